// Command generate writes the Kuma dashboards to dashboards/<uid>.json.
// Run it from anywhere inside the repository: `go generate ./pkg/dashboards`
// or `go run ./pkg/dashboards/cmd/generate`.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kumahq/kuma-grafana-datasource/pkg/dashboards"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	for _, s := range dashboards.All() {
		b, err := dashboards.Render(s)
		if err != nil {
			return err
		}
		path := filepath.Join(root, dashboards.FileName(s.UID))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", path)
	}
	return nil
}

// repoRoot walks up from the working directory to the directory holding
// go.mod, since go generate runs in the package directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}
