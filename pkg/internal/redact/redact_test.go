package redact

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestURLDropsUserInfoQueryValuesAndFragment(t *testing.T) {
	for raw, want := range map[string]string{
		"http://admin:PASS@h:9090/p?token=PASS&a=1#PASS": "http://xxxxx@h:9090/p?a=xxxxx&token=xxxxx",
		"ftp://admin:PASS@h":                             "ftp://xxxxx@h",
		"http://admin:PASS#x@h":                          "(an unparsable URL)",
		"http://admin:PASS@h x":                          "(an unparsable URL)",
		"http://h/kuma":                                  "http://h/kuma",
	} {
		assert.Equal(t, want, URL(raw), raw)
	}
}

func TestScrubberMasksSecretsInEveryForm(t *testing.T) {
	s := NewScrubber("tok-123", BasicAuth("grafana", "pw-456"), "", "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----")
	text := "token tok-123, basic Z3JhZmFuYTpwdy00NTY=, key line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC, Bearer abcdefghijklmnop, basic auth user"
	got := s.String(text)
	for _, secret := range []string{"tok-123", "Z3JhZmFuYTpwdy00NTY=", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "abcdefghijklmnop"} {
		assert.NotContains(t, got, secret)
	}
	assert.Contains(t, got, "basic auth user", "advice that mentions basic auth stays readable")

	err := s.Error(errors.Join(errors.New("failed with tok-123"), errSentinel))
	assert.NotContains(t, err.Error(), "tok-123")
	assert.ErrorIs(t, err, errSentinel, "the chain survives")
	assert.Nil(t, s.Error(nil))
}

var errSentinel = errors.New("sentinel")
