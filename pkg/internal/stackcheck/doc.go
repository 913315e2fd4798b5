// Package stackcheck tests the files of the development and demo stack
// (docker-compose.yaml, the Dockerfiles, demo/, provisioning/) where no
// Docker engine runs, as on CI: the compose file parses and references paths
// that exist, every image is pinned, only Grafana listens publicly, every
// long-running service has a health check, the Prometheus config passes
// promtool, the provisioned datasources load into the plugin's settings and
// validate, the dashboards provider points at the plugin's dashboards, and
// the demo workload builds and passes its own tests.
//
// The package has tests only.
package stackcheck
