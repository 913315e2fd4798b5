// Command demo is the workload of the development stack: a tiny HTTP service
// that calls its upstreams through the local Kuma data plane proxy and fails a
// configurable share of its requests, a TCP echo server, a traffic generator,
// a seeder that writes Kuma resources to the control plane, and an HTTP probe
// for container health checks (the images it runs in have no shell or curl).
//
// It lives in its own Go module so that the plugin's module keeps only the
// plugin's dependencies; it uses the standard library only.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: demo <command> [flags]

commands:
  serve   HTTP service: calls upstreams, fails a share of requests, generates load
  echo    TCP echo server
  seed    PUT Kuma resources (JSON files) to the control plane API
  probe   exit 0 if a URL answers 2xx (container health checks)

Run "demo <command> -h" for the flags of a command.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(args []string, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	commands := map[string]func([]string) error{
		"serve": runServe,
		"echo":  runEcho,
		"seed":  runSeed,
		"probe": runProbe,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err := cmd(args[1:]); err != nil {
		fmt.Fprintf(stderr, "demo %s: %v\n", args[0], err)
		return 1
	}
	return 0
}
