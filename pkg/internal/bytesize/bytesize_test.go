package bytesize

import "testing"

func TestFormat(t *testing.T) {
	cases := map[int64]string{
		0:         "0 bytes",
		1:         "1 bytes",
		1<<20 - 1: "1048575 bytes",
		1 << 20:   "1 MiB",
		1<<20 + 1: "1048577 bytes",
		64 << 20:  "64 MiB",
		3 << 30:   "3072 MiB",
	}
	for n, want := range cases {
		if got := Format(n); got != want {
			t.Errorf("Format(%d) = %q, want %q", n, got, want)
		}
	}
}
