# syntax=docker/dockerfile:1
# Grafana with this plugin, built from source: the frontend with Node, the
# backend with Go and mage, both inside the build, so `docker compose up
# --build` needs no toolchain on the host. Every base image is pinned.
ARG NODE_IMAGE=node:22.23.3-slim
ARG GO_IMAGE=golang:1.26.8
ARG GRAFANA_IMAGE=grafana/grafana:12.4.0

FROM ${NODE_IMAGE} AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# webpack copies plugin.json, the logos, README, CHANGELOG, LICENSE and the
# dashboards next to module.js.
COPY . .
RUN npm run build

FROM ${GO_IMAGE} AS backend
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# mage reads the executable name from src/plugin.json and the version from
# package.json.
COPY Magefile.go package.json ./
COPY src/plugin.json ./src/plugin.json
COPY pkg ./pkg
# TARGETARCH is set by BuildKit (amd64 on most machines, arm64 on Apple
# silicon), so the binary matches the Grafana image's platform. It must be
# declared without a default: BuildKit treats a default as a user value and
# never replaces it (docker/buildx#510). The fallback covers builders that
# set nothing.
ARG TARGETARCH
RUN go run github.com/magefile/mage -v build:custom linux "${TARGETARCH:-amd64}"

FROM ${GRAFANA_IMAGE}
COPY --from=frontend /src/dist/ /var/lib/grafana/plugins/kumahq-kuma-datasource/
COPY --from=backend /src/dist/ /var/lib/grafana/plugins/kumahq-kuma-datasource/
