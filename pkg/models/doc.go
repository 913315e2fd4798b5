// Package models holds what the backend and the frontend share: query types
// and fields, settings, their validation rules and the user errors.
//
// The frontend's copy of the constants, src/generated/models.ts, is written
// from this package by `go generate ./pkg/models` (cmd/generate); a test
// fails when it is stale. The rules that are functions (label names, URLs,
// the zone filter) are checked against shared cases in
// testdata/agreement/ by a Go test and a jest test.
package models

//go:generate go run ./cmd/generate
