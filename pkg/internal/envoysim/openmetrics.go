package envoysim

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// labels is one label set. It is rendered sorted by name.
type labels map[string]string

// with returns a copy of l with the given name/value pairs added.
func (l labels) with(kv ...string) labels {
	out := make(labels, len(l)+len(kv)/2)
	maps.Copy(out, l)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func (l labels) String() string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteString(`="`)
		b.WriteString(escaper.Replace(l[k]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

var escaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// series is one time series whose value goes linearly from base at Start to
// base+growth at End: growth is a counter's increase over the window, zero
// for a constant gauge.
type series struct {
	name        string
	labels      string
	base        float64
	growth      float64
	leSortOrder float64 // keeps histogram buckets in le order
}

// family is an OpenMetrics metric family.
type family struct {
	name, typ, help string
	series          map[string]*series
}

// registry accumulates series; adding to an existing series sums, as
// kuma-dp sums merged clusters and a callee sums its callers.
type registry struct {
	families map[string]*family
}

func newRegistry() *registry { return &registry{families: map[string]*family{}} }

func (r *registry) family(name, typ string) *family {
	f, ok := r.families[name]
	if !ok {
		help, known := helps[name]
		if !known {
			panic("envoysim: no HELP text for family " + name)
		}
		f = &family{name: name, typ: typ, help: help, series: map[string]*series{}}
		r.families[name] = f
	}
	return f
}

func (r *registry) add(f *family, name string, l labels, base, growth, order float64) {
	key := name + l.String()
	s, ok := f.series[key]
	if !ok {
		s = &series{name: name, labels: l.String(), leSortOrder: order}
		f.series[key] = s
	}
	s.base += base
	s.growth += growth
}

// counter adds total to a counter over the window. Counters start at total
// (the proxy ran as long before Start), so only increase() and rate() give
// the window's numbers. Names ending in _total form an OpenMetrics counter
// family; Envoy's other counters (e.g. _rq_xx) are typed unknown, because
// OpenMetrics requires the _total suffix on counter samples.
func (r *registry) counter(name string, l labels, total float64) {
	if fam, ok := strings.CutSuffix(name, "_total"); ok {
		r.add(r.family(fam, "counter"), name, l, total, total, 0)
		return
	}
	r.add(r.family(name, "unknown"), name, l, total, total, 0)
}

// gauge adds v to a constant gauge.
func (r *registry) gauge(name string, l labels, v float64) {
	r.add(r.family(name, "gauge"), name, l, v, 0, 0)
}

// rampGauge adds a gauge that goes from base to base+growth (uptime).
func (r *registry) rampGauge(name string, l labels, base, growth float64) {
	r.add(r.family(name, "gauge"), name, l, base, growth, 0)
}

// histogram adds cumulative bucket counts (one per bound, +Inf last) and the
// sum of observations over the window.
func (r *registry) histogram(name string, l labels, bounds, cumulative []float64, sum float64) {
	f := r.family(name, "histogram")
	for i, le := range bounds {
		r.add(f, name+"_bucket", l.with("le", formatLe(le)), cumulative[i], cumulative[i], le)
	}
	count := cumulative[len(cumulative)-1]
	r.add(f, name+"_count", l, count, count, math.Inf(1))
	r.add(f, name+"_sum", l, sum, sum, math.Inf(1))
}

func formatLe(le float64) string {
	if math.IsInf(le, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(le, 'f', -1, 64)
}

// write renders every family as OpenMetrics text, sorted for determinism,
// with one sample per step from start to end inclusive, and "# EOF".
func (r *registry) write(start, end time.Time, step time.Duration) []byte {
	var times []string
	var fracs []float64
	window := end.Sub(start)
	for t := start; !t.After(end); t = t.Add(step) {
		times = append(times, strconv.FormatFloat(float64(t.UnixMilli())/1000, 'f', -1, 64))
		fracs = append(fracs, float64(t.Sub(start))/float64(window))
	}
	names := make([]string, 0, len(r.families))
	for n := range r.families {
		names = append(names, n)
	}
	sort.Strings(names)

	// Sized up front: large scenarios render hundreds of MB, and growing by
	// doubling spent most of the time clearing new buffers.
	size := 1 << 10
	sorted := make([][]*series, len(names))
	for i, n := range names {
		sorted[i] = r.families[n].sortedSeries()
		for _, s := range sorted[i] {
			size += (len(s.name) + len(s.labels) + 48) * len(times)
		}
	}
	var b bytes.Buffer
	b.Grow(size)
	num := make([]byte, 0, 32)
	for i, n := range names {
		f := r.families[n]
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", f.name, f.help, f.name, f.typ)
		for _, s := range sorted[i] {
			for i, ts := range times {
				b.WriteString(s.name)
				b.WriteString(s.labels)
				b.WriteByte(' ')
				num = strconv.AppendFloat(num[:0], s.base+s.growth*fracs[i], 'g', -1, 64)
				b.Write(num)
				b.WriteByte(' ')
				b.WriteString(ts)
				b.WriteByte('\n')
			}
		}
	}
	b.WriteString("# EOF\n")
	return b.Bytes()
}

// sortedSeries orders series by labels without le, then le, then name, so a
// histogram's buckets, count and sum of one label set are adjacent.
func (f *family) sortedSeries() []*series {
	out := make([]*series, 0, len(f.series))
	for _, s := range f.series {
		out = append(out, s)
	}
	// The keys are stripped once, not in every comparison.
	keys := make(map[*series]string, len(out))
	for _, s := range out {
		keys[s] = stripLe(s.labels)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		ka, kb := keys[a], keys[b]
		if ka != kb {
			return ka < kb
		}
		if a.leSortOrder != b.leSortOrder {
			return a.leSortOrder < b.leSortOrder
		}
		return a.name < b.name
	})
	return out
}

// stripLe drops the le label from a rendered label set.
func stripLe(s string) string {
	i := strings.Index(s, `,le="`)
	if i < 0 {
		i = strings.Index(s, `{le="`)
	}
	if i < 0 {
		return s
	}
	i++ // keep the separator
	j := strings.IndexByte(s[i+4:], '"')
	return s[:i] + s[i+4+j+1:]
}
