package promtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
)

// CacheEnv names a directory where the TSDB blocks made from a data set are
// kept, under a hash of the data and of promtool, so that the packages of one
// test run, which go test runs as separate processes, convert each data set
// once. scripts/test.sh sets it to a fresh directory per run; unset, each
// server converts its data itself.
const CacheEnv = "KUMA_PROMTEST_CACHE"

// makeBlocks fills the TSDB directory data with the blocks of openMetrics,
// from the cache when CacheEnv is set.
func makeBlocks(promtool string, openMetrics []byte, data string) error {
	root := os.Getenv(CacheEnv)
	if root == "" {
		return createBlocks(promtool, openMetrics, data)
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return fmt.Errorf("block cache %s: %w", CacheEnv, err)
	}
	key, err := cacheKey(promtool, openMetrics)
	if err != nil {
		return err
	}
	entry := filepath.Join(root, key)
	// The lock makes a second process wait for the first one's blocks
	// instead of converting the same data again.
	unlock, err := lockFile(entry + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := os.Stat(entry); err != nil {
		// Convert next to the entry and rename, so that an entry is complete
		// even if this process dies halfway (or the lock is not supported).
		tmp, err := os.MkdirTemp(root, key+".tmp-")
		if err != nil {
			return err
		}
		defer func() { _ = os.RemoveAll(tmp) }() // best effort: a leftover is only disk
		if err := createBlocks(promtool, openMetrics, filepath.Join(tmp, "data")); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(tmp, "data"), entry); err != nil && !exists(entry) {
			return err
		}
	}
	return linkTree(entry, data)
}

func createBlocks(promtool string, openMetrics []byte, data string) error {
	input := data + ".om"
	if err := os.WriteFile(input, openMetrics, 0o600); err != nil {
		return err
	}
	defer func() { _ = os.Remove(input) }() // keep big inputs from piling up in long test runs
	if out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", input, data).CombinedOutput(); err != nil {
		return fmt.Errorf("promtool tsdb create-blocks-from openmetrics: %w\n%s", err, out)
	}
	return nil
}

// cacheKey hashes the data and the promtool binary (path, size, time), whose
// version decides the blocks' format.
func cacheKey(promtool string, openMetrics []byte) (string, error) {
	fi, err := os.Stat(promtool)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	_, _ = fmt.Fprintf(h, "%s %d %d\n", promtool, fi.Size(), fi.ModTime().UnixNano()) // a hash never fails to write
	h.Write(openMetrics)
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// linkTree recreates the directory tree src at dst with hard links (copies
// where links fail). Prometheus never writes a block's files in place: it
// replaces them by rename and deletes whole blocks, so the cached files stay
// intact.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		if os.Link(path, target) == nil {
			return nil
		}
		return copyFile(path, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }() // read-only
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close() // the copy's error is the one to report
		return err
	}
	return out.Close()
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
