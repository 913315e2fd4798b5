package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Bounds of the timeout setting: every request to the control plane and to
// Prometheus has one, whatever jsonData says.
const (
	DefaultTimeout = 30 * time.Second
	MinTimeout     = time.Second
	MaxTimeout     = 300 * time.Second
)

// Bounds of prometheusMaxResponseMiB.
const (
	DefaultPrometheusMaxResponseMiB = 256
	MaxPrometheusMaxResponseMiB     = 4096
)

// FlexNumber is a number that the settings may hold as a JSON number or a
// numeric string ("5"), as provisioning files and older editors write it.
type FlexNumber float64

// UnmarshalJSON accepts a number, a numeric string, "" and null.
func (n *FlexNumber) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%q is not a number", s)
		}
		*n = FlexNumber(f)
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = FlexNumber(f)
	return nil
}

// RequestTimeout is the timeout of every outbound request: timeout seconds
// clamped to 1–300, and 30 when unset, zero or negative.
func (s Settings) RequestTimeout() time.Duration {
	v := float64(s.Timeout)
	if v <= 0 {
		return DefaultTimeout
	}
	if v >= MaxTimeout.Seconds() {
		return MaxTimeout
	}
	return max(MinTimeout, time.Duration(v*float64(time.Second)))
}

// PrometheusMaxResponseBytes is the cap of one Prometheus answer: the
// setting in MiB, 256 when unset, at most 4096.
func (s Settings) PrometheusMaxResponseBytes() int64 {
	v := float64(s.PrometheusMaxResponseMiB)
	if v <= 0 {
		v = DefaultPrometheusMaxResponseMiB
	}
	return int64(min(math.Ceil(v), MaxPrometheusMaxResponseMiB)) << 20
}

// sdkStringKeys are jsonData keys the SDK's own settings parsing asserts to
// be strings: another type there panics inside the SDK, so they are checked
// first.
var sdkStringKeys = []string{
	"access", "url", "basicAuthUser", "serverName", "secureSocksProxyUsername",
	"sigV4Region", "sigV4AssumeRoleArn", "sigV4AuthType", "sigV4ExternalId", "sigV4Profile",
}

// checkJSONData checks that jsonData is an object and that the keys the SDK
// reads have the types it assumes.
func checkJSONData(raw json.RawMessage) error {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &obj); err != nil {
		return fmt.Errorf("%w: jsonData must be a JSON object, not %s", ErrInvalidSettings, jsonKind(trimmed))
	}
	keys := append([]string(nil), sdkStringKeys...)
	for k := range obj {
		if strings.HasPrefix(k, "httpHeaderName") {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		if v, ok := obj[k]; ok && jsonKind(v) != "a string" {
			return fmt.Errorf("%w: jsonData.%s must be a string, not %s", ErrInvalidSettings, k, jsonKind(v))
		}
	}
	for _, k := range []string{"timeout", "prometheusMaxResponseMiB"} {
		var n FlexNumber
		if v, ok := obj[k]; ok && json.Unmarshal(v, &n) != nil {
			return fmt.Errorf("%w: jsonData.%s must be a number of %s, not %s", ErrInvalidSettings, k,
				map[string]string{"timeout": "seconds", "prometheusMaxResponseMiB": "MiB"}[k], string(v))
		}
	}
	return nil
}

// jsonKind names the JSON type of a value, for messages.
func jsonKind(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "empty"
	}
	switch v[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// describeJSONError names the setting and the JSON type that was wrong,
// never the Go types it was decoded into.
func describeJSONError(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		field := typeErr.Field[strings.LastIndex(typeErr.Field, ".")+1:] // not the Go path of an embedded struct
		return fmt.Sprintf("%s must be %s, not a JSON %s", field, wantKind(typeErr.Type.Kind().String()), typeErr.Value)
	}
	if syntaxErr, ok := errors.AsType[*json.SyntaxError](err); ok {
		return "not valid JSON: " + syntaxErr.Error()
	}
	// FlexNumber's own errors say what was wrong with the value.
	return err.Error()
}

func wantKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "float64", "int", "int64":
		return "a number"
	}
	return "another type"
}
