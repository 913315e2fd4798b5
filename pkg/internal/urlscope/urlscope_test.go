package urlscope

import (
	"net/url"
	"testing"
)

func TestUnder(t *testing.T) {
	cases := []struct {
		base, u string
		want    bool
	}{
		{"http://cp:5681", "http://cp:5681/meshes", true},
		{"http://cp:5681", "http://cp:5681", true},
		{"http://cp:5681/", "http://cp:5681/meshes", true},
		{"http://cp:5681/kuma", "http://cp:5681/kuma", true},
		{"http://cp:5681/kuma", "http://cp:5681/kuma/meshes", true},
		{"http://cp:5681/kuma/", "http://cp:5681/kuma/meshes", true},
		{"http://cp:5681/kuma/", "http://cp:5681/kuma", true},
		{"http://cp:5681/kuma", "http://cp:5681/kumax", false},
		{"http://cp:5681/kuma", "http://cp:5681/", false},
		{"http://cp:5681/a%2Fb", "http://cp:5681/a%2Fb/x", true},
		{"http://cp:5681/a", "http://cp:5681/a%2Fb", false},
		{"http://cp:5681/kuma", "https://cp:5681/kuma/meshes", false},
		{"http://cp:5681/kuma", "http://cp:5682/kuma/meshes", false},
		{"http://cp:5681/kuma", "http://other:5681/kuma/meshes", false},
	}
	for _, c := range cases {
		base, err := url.Parse(c.base)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(c.u)
		if err != nil {
			t.Fatal(err)
		}
		if got := Under(base, u); got != c.want {
			t.Errorf("Under(%s, %s) = %v, want %v", c.base, c.u, got, c.want)
		}
	}
}
