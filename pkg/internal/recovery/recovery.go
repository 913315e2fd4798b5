// Package recovery turns a panic in a goroutine the plugin starts into an
// error of the query that started it, so no goroutine can take the plugin
// process, and every query in flight for every user, down with it.
package recovery

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"golang.org/x/sync/errgroup"
)

// Call runs fn and returns its error, or a plugin error when fn panics. The
// stack goes to the log; the message names what was running.
func Call(what string, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.DefaultLogger.Error("recovered from a panic", "in", what, "panic", logged(r), "stack", string(debug.Stack()))
			err = backend.PluginError(fmt.Errorf("internal error while %s: %v (a bug in the plugin: please report it)", what, r))
		}
	}()
	return fn()
}

// logged is what the log shows of a panic value. Only the runtime's own
// errors (nil maps, bad indexes) are shown: any other value may quote
// upstream text or a setting, and the log is not scrubbed of the
// configured secrets as the returned error is (pkg/plugin scrubs answers).
func logged(r any) string {
	if re, ok := r.(runtime.Error); ok {
		return re.Error()
	}
	return fmt.Sprintf("a %T (its text is in the query's error)", r)
}

// Go runs fn in g with Call, so that the group's fan-out (the one way the
// plugin runs work concurrently within a query) reports a panic as the
// group's error and cancels the rest.
func Go(g *errgroup.Group, what string, fn func() error) {
	g.Go(func() error { return Call(what, fn) })
}
