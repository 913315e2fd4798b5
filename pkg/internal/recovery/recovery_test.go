package recovery

import (
	"context"
	"fmt"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"
)

func TestGoReportsAPanicAsTheGroupsErrorAndCancelsTheRest(t *testing.T) {
	g, ctx := errgroup.WithContext(context.Background())
	Go(g, "waiting", func() error {
		<-ctx.Done()
		return ctx.Err()
	})
	Go(g, "reading a map", func() error {
		panic("a bug")
	})

	err := g.Wait()

	require.Error(t, err)
	assert.Contains(t, err.Error(), "internal error while reading a map: a bug")
	assert.True(t, backend.IsPluginError(err), "a panic is the plugin's error")
	assert.NotErrorIs(t, err, context.Canceled)
}

// recordingLogger keeps what Error logs.
type recordingLogger struct {
	log.Logger
	lines []string
}

func (l *recordingLogger) Error(msg string, args ...any) {
	l.lines = append(l.lines, fmt.Sprint(append([]any{msg}, args...)...))
}

func TestThePanicLogShowsRuntimeErrorsButNotArbitraryValues(t *testing.T) {
	rec := &recordingLogger{Logger: log.DefaultLogger}
	defer func(l log.Logger) { log.DefaultLogger = l }(log.DefaultLogger)
	log.DefaultLogger = rec

	err := Call("calling upstream", func() error {
		panic("GET http://127.0.0.1/?token=s3cret-token failed")
	})
	assert.ErrorContains(t, err, "s3cret-token", "the query's error keeps the value; pkg/plugin scrubs it")
	var value any = "a name"
	err = Call("reading a count", func() error {
		_ = value.(int) // a runtime.Error: interface conversion
		return nil
	})
	assert.ErrorContains(t, err, "interface conversion")

	require.Len(t, rec.lines, 2)
	assert.NotContains(t, rec.lines[0], "s3cret-token")
	assert.Contains(t, rec.lines[0], "a string")
	assert.Contains(t, rec.lines[1], "interface conversion: interface {} is string, not int")
}
