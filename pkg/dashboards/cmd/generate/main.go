// Command generate writes the Kuma dashboards to dashboards/<uid>.json.
// Run it from anywhere inside the repository: `go generate ./pkg/dashboards`
// or `go run ./pkg/dashboards/cmd/generate`.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/kumahq/kuma-grafana-datasource/pkg/dashboards"
	"github.com/kumahq/kuma-grafana-datasource/pkg/internal/repo"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := repo.Root()
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
