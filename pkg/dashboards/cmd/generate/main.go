// Command generate writes the Kuma dashboards to dashboards/<uid>.json and
// the variants for public dashboards to dashboards/public/<uid>.json.
// Run it from anywhere inside the repository: `go generate ./pkg/dashboards`
// or `go run ./pkg/dashboards/cmd/generate`; the -public-* flags name the
// datasources and the mesh of the public variants.
package main

import (
	"flag"
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
	pub := dashboards.DefaultPublicOptions
	flag.StringVar(&pub.KumaUID, "public-kuma-uid", pub.KumaUID, "uid of the Kuma datasource the public dashboards query")
	flag.StringVar(&pub.PrometheusUID, "public-prometheus-uid", pub.PrometheusUID, "uid of the Prometheus datasource the public dashboards query")
	flag.StringVar(&pub.Mesh, "public-mesh", pub.Mesh, "mesh the public dashboards show")
	flag.Parse()
	root, err := repo.Root()
	if err != nil {
		return err
	}
	if err := write(root, dashboards.All(), dashboards.FileName); err != nil {
		return err
	}
	return write(root, dashboards.Public(pub), dashboards.PublicFileName)
}

func write(root string, specs []dashboards.Spec, fileName func(string) string) error {
	for _, s := range specs {
		b, err := dashboards.Render(s)
		if err != nil {
			return err
		}
		path := filepath.Join(root, fileName(s.UID))
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
