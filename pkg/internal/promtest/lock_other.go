//go:build !unix

package promtest

// lockFile does not lock: two processes may convert the same data, and the
// rename in makeBlocks keeps the cache entry whole.
func lockFile(string) (unlock func(), err error) { return func() {}, nil }
