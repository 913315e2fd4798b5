// Package bytesize writes byte counts the way the plugin's settings take them,
// so an error about a cap names the number the user configured.
package bytesize

import "fmt"

// Format writes n as whole MiB when it is a multiple of 1 MiB (the settings'
// unit), else as bytes.
func Format(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
