module github.com/kumahq/kuma-grafana-datasource/demo

go 1.26
