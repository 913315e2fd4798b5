// Package sseread reads frames the way Grafana's server-side expressions
// (alerting, recording rules, Reduce/Math/Threshold) read a datasource's
// response, so tests fail on frames Grafana would reject.
//
// The rules follow Grafana's pkg/expr (converter.go, dataplane.go), which
// hands typed frames to the data plane readers of
// github.com/grafana/dataplane/sdata (reader.CanReadBasedOnMeta,
// timeseries multi/wide, numeric multi/long/wide), and the alert evaluation
// of pkg/services/ngalert/eval, which needs every result's labels to be
// unique. That module is not on the Go module proxy this project uses, so
// the rules are restated here; the README lists them.
package sseread

import (
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Version is the only TypeVersion the data plane readers know for the
// types the plugin uses.
var Version = data.FrameTypeVersion{0, 1}

// Value is one series or number as the expressions see it.
type Value struct {
	Name   string
	Labels data.Labels
	// Times is nil for a number.
	Times  []time.Time
	Values []*float64
}

// Read returns the values of a response's frames, or the error that makes
// Grafana reject them. An empty result is "no data", not an error.
func Read(frames data.Frames) ([]Value, error) {
	if len(frames) == 0 {
		return nil, nil
	}
	first := frames[0]
	if first == nil || first.Meta == nil || first.Meta.Type == "" || first.Meta.TypeVersion.IsZero() {
		// Untyped frames take the old path, which wants wide time series.
		return nil, fmt.Errorf("frame 0 has no Meta.Type and TypeVersion: expressions would read it as a wide time series and reject it")
	}
	t := first.Meta.Type
	if first.Meta.TypeVersion != Version {
		return nil, fmt.Errorf("frame type %s version %s is not the version %s the data plane readers know", t, first.Meta.TypeVersion, Version)
	}
	for i, f := range frames {
		if f == nil {
			return nil, fmt.Errorf("frame %d is nil", i)
		}
		if _, err := f.RowLen(); err != nil {
			return nil, fmt.Errorf("frame %d has fields of different lengths: %w", i, err)
		}
	}
	switch t {
	case data.FrameTypeTimeSeriesMulti:
		return readTimeSeriesMulti(frames)
	case data.FrameTypeNumericMulti:
		return readNumericMulti(frames)
	case data.FrameTypeNumericLong:
		return readNumericLong(first)
	}
	return nil, fmt.Errorf("frame type %q is not one the plugin should send to expressions", t)
}

// valueTypes are the value field types the readers accept.
func isValueField(f *data.Field) bool {
	ft := f.Type()
	return ft.Numeric() || ft == data.FieldTypeBool || ft == data.FieldTypeNullableBool
}

func readTimeSeriesMulti(frames data.Frames) ([]Value, error) {
	if len(frames[0].Fields) == 0 {
		return nil, nil // the typed no-data response
	}
	var out []Value
	for i, f := range frames {
		if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti {
			continue // untyped extra frames are ignored
		}
		times := f.TypeIndices(data.FieldTypeTime)
		if len(times) == 0 {
			return nil, fmt.Errorf("frame %d has no []time.Time field", i)
		}
		var vf *data.Field
		for _, fld := range f.Fields {
			if isValueField(fld) {
				vf = fld
				break
			}
		}
		if vf == nil {
			return nil, fmt.Errorf("frame %d has no numeric value field", i)
		}
		tf := f.Fields[times[0]]
		v := Value{Name: vf.Name, Labels: vf.Labels}
		for r := 0; r < tf.Len(); r++ {
			ts := tf.At(r).(time.Time)
			if r > 0 && ts.Before(v.Times[r-1]) {
				return nil, fmt.Errorf("frame %d: time is not sorted", i)
			}
			fv, err := vf.NullableFloatAt(r)
			if err != nil {
				return nil, fmt.Errorf("frame %d: %w", i, err)
			}
			v.Times, v.Values = append(v.Times, ts), append(v.Values, fv)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no series and not a no-data response")
	}
	return out, nil
}

func readNumericMulti(frames data.Frames) ([]Value, error) {
	if len(frames[0].Fields) == 0 {
		return nil, nil
	}
	var out []Value
	for i, f := range frames {
		if f.Meta == nil || f.Meta.Type != data.FrameTypeNumericMulti {
			return nil, fmt.Errorf("frame %d has type %q, expected numeric-multi", i, typeOf(f))
		}
		for _, fld := range f.Fields {
			if !isValueField(fld) {
				continue
			}
			if fld.Len() != 1 {
				return nil, fmt.Errorf("frame %d: a number has %d values, not 1", i, fld.Len())
			}
			fv, err := fld.NullableFloatAt(0)
			if err != nil {
				return nil, fmt.Errorf("frame %d: %w", i, err)
			}
			out = append(out, Value{Name: fld.Name, Labels: fld.Labels, Values: []*float64{fv}})
			break
		}
	}
	return out, nil
}

// readNumericLong makes a number of every numeric cell, labelled by the
// row's string cells; other columns (bool, time) are ignored.
func readNumericLong(f *data.Frame) ([]Value, error) {
	var out []Value
	for r := 0; r < f.Rows(); r++ {
		labels := data.Labels{}
		for _, fld := range f.Fields {
			if fld.Type() == data.FieldTypeString {
				labels[fld.Name] = fld.At(r).(string)
			} else if fld.Type() == data.FieldTypeNullableString {
				if s := fld.At(r).(*string); s != nil {
					labels[fld.Name] = *s
				}
			}
		}
		for _, fld := range f.Fields {
			if !fld.Type().Numeric() {
				continue
			}
			fv, err := fld.NullableFloatAt(r)
			if err != nil {
				return nil, err
			}
			out = append(out, Value{Name: fld.Name, Labels: labels, Values: []*float64{fv}})
		}
	}
	return out, nil
}

// UniqueForAlerting returns the error Grafana's alert evaluation gives when
// two results share their labels (the metric name is not part of them).
func UniqueForAlerting(values []Value) error {
	seen := map[string]string{}
	for _, v := range values {
		k := v.Labels.String()
		if other, ok := seen[k]; ok {
			return fmt.Errorf("frame cannot uniquely be identified by its labels: %s and %s both have {%s}", other, v.Name, k)
		}
		seen[k] = v.Name
	}
	return nil
}

func typeOf(f *data.Frame) data.FrameType {
	if f.Meta == nil {
		return ""
	}
	return f.Meta.Type
}
