// Command gpx_kuma is the backend of the Kuma datasource for Grafana.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/kumahq/kuma-grafana-datasource/pkg/plugin"
)

const pluginID = "kumahq-kuma-datasource"

func main() {
	if err := datasource.Manage(pluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("plugin exited", "error", err)
		os.Exit(1)
	}
}
