package prometheus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"unsafe"
)

// readBufSize is the read buffer of the streaming decoder: big enough that
// nearly every string fits in it, small enough to pool.
const readBufSize = 64 << 10

var readBufs = sync.Pool{New: func() any { b := make([]byte, readBufSize); return &b }}

// envelope is what decodeAnswer learns about an /api/v1/query answer
// besides the vector.
type envelope struct {
	status, errorType, errorMsg string
	resultType                  string
	hasResult                   bool
	warnings                    []string
}

// errSyntax marks a body that is not JSON or not the answer's shape.
var errSyntax = errors.New("malformed JSON")

// decoder reads one Prometheus JSON answer from a stream in a single pass.
// It keeps only the labels asked for, interns their values, and holds no
// more of the body than its read buffer: no map per series, no copy of the
// body.
type decoder struct {
	r        io.Reader
	buf      []byte
	pos, end int
	readErr  error
	// scratch holds a string that crosses a buffer refill or has escapes;
	// key holds the current object key, which a refill would overwrite.
	scratch, key []byte
	// last is the id of the value each label had in the previous series.
	last []uint32

	vec *Vector
}

// decodeAnswer decodes an instant-query answer from r into a Vector of
// labels, with every sample value.
func decodeAnswer(r io.Reader, labels []string) (*Vector, envelope, error) {
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	d := &decoder{r: r, buf: *bp, vec: newVector(labels), last: make([]uint32, len(labels))}
	var env envelope
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "status":
			return d.stringTo(&env.status)
		case "errorType":
			return d.stringTo(&env.errorType)
		case "error":
			return d.stringTo(&env.errorMsg)
		case "warnings":
			return d.array(func() error {
				var w string
				err := d.stringTo(&w)
				env.warnings = append(env.warnings, w)
				return err
			})
		case "data":
			if d.null() {
				return nil
			}
			return d.object(func(key []byte) error {
				switch string(key) {
				case "resultType":
					return d.stringTo(&env.resultType)
				case "result":
					if d.null() {
						return nil
					}
					env.hasResult = true
					return d.array(d.sample)
				}
				return d.skip()
			})
		}
		return d.skip()
	})
	if err == nil {
		if c, ok := d.peek(); ok {
			err = fmt.Errorf("%w: %q after the answer", errSyntax, c)
		} else if d.readErr != nil && !errors.Is(d.readErr, io.EOF) {
			err = d.readErr
		}
	}
	return d.vec, env, err
}

// sample decodes {"metric":{…},"value":[ts,"v"]}. A sample without a
// "value" (a native histogram) is dropped.
func (d *decoder) sample() error {
	v := d.vec
	c := v.next()
	base := len(c.ids)
	c.ids = slices.Grow(c.ids, len(v.Labels))[:base+len(v.Labels)]
	clear(c.ids[base:]) // a dropped series may have left ids there
	if d.fastSample(c, base) {
		return nil
	}
	clear(c.ids[base:])
	hasValue := false
	var val float64
	err := d.object(func(key []byte) error {
		switch string(key) {
		case "metric":
			return d.object(func(name []byte) error {
				k := v.labelIndex(name)
				if k < 0 {
					return d.skip()
				}
				s, err := d.str()
				if err != nil {
					return err
				}
				c.ids[base+k] = d.internLabel(k, s)
				return nil
			})
		case "value":
			i := 0
			return d.array(func() error {
				defer func() { i++ }()
				if i != 1 {
					return d.skip() // the timestamp: every sample has the query's
				}
				s, err := d.str()
				if err != nil {
					return err
				}
				if val, err = parseValue(s); err != nil {
					return err
				}
				hasValue = true
				return nil
			})
		}
		return d.skip()
	})
	if err != nil || !hasValue {
		c.ids = c.ids[:base]
		return err
	}
	c.values = append(c.values, val)
	v.n++
	return nil
}

// fastSampleBytes is how much of the answer fastSample wants in the
// buffer: more than a series of the map's queries takes.
const fastSampleBytes = 4 << 10

// fastSample decodes one series as Prometheus writes it, all of it in the
// buffer: {"metric":{"name":"value",…},"value":[ts,"v"]}, no white space,
// no escapes, metric first. That is nearly every series, and this way
// takes a third of the time of the general one. Anything else (another
// engine's key order or spacing, an escape, a series longer than the
// buffer holds) returns false having consumed nothing, and sample takes
// the general way; label values interned on the way are kept, which is
// harmless.
func (d *decoder) fastSample(c *chunk, base int) bool {
	d.ensure(fastSampleBytes)
	b := d.buf[:d.end]
	p := d.pos
	const head = `{"metric":{`
	if len(b)-p < len(head) || string(b[p:p+len(head)]) != head {
		return false
	}
	p += len(head)
	v := d.vec
	ids := c.ids[base : base+len(v.Labels)]
	if p < len(b) && b[p] == '}' {
		p++
	} else {
		for {
			name, next, ok := plainString(b, p)
			if !ok || next+1 >= len(b) || b[next] != ':' {
				return false
			}
			value, next, ok := plainString(b, next+1)
			if !ok || next >= len(b) {
				return false
			}
			if k := v.labelIndex(name); k >= 0 {
				ids[k] = d.internLabel(k, value)
			}
			p = next + 1
			if b[next] == '}' {
				break
			}
			if b[next] != ',' {
				return false
			}
		}
	}
	const value = `,"value":[`
	if len(b)-p < len(value) || string(b[p:p+len(value)]) != value {
		return false
	}
	p += len(value)
	// The timestamp, skipped: every sample has the query's.
	ts := p
	for p < len(b) && isNumberByte(b[p]) {
		p++
	}
	if p == ts || p >= len(b) || b[p] != ',' {
		return false
	}
	s, next, ok := plainString(b, p+1)
	if !ok || len(b)-next < 2 || b[next] != ']' || b[next+1] != '}' {
		return false
	}
	val, err := parseValue(s)
	if err != nil {
		return false
	}
	d.pos = next + 2
	c.values = append(c.values, val)
	v.n++
	return true
}

// plainString returns the string at b[p:] when it has no escape, and the
// position after its closing quote.
func plainString(b []byte, p int) (s []byte, next int, ok bool) {
	if p >= len(b) || b[p] != '"' {
		return nil, 0, false
	}
	// Label values are short: a plain loop beats two IndexByte calls.
	for i := p + 1; i < len(b); i++ {
		switch b[i] {
		case '"':
			return b[p+1 : i], i + 1, true
		case '\\':
			return nil, 0, false
		}
	}
	return nil, 0, false
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

// parseValue parses a sample value: a float, NaN, +Inf or -Inf in a string.
func parseValue(s []byte) (float64, error) {
	if len(s) == 0 {
		return 0, fmt.Errorf("%w: empty sample value", errSyntax)
	}
	if f, ok := parseDecimal(s); ok {
		return f, nil
	}
	// s is not kept, so no copy is needed for ParseFloat.
	f, err := strconv.ParseFloat(unsafe.String(&s[0], len(s)), 64)
	if err != nil {
		return 0, fmt.Errorf("%w: sample value %q is not a number", errSyntax, string(s))
	}
	return f, nil
}

// pow10 are the powers of ten a float64 holds exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseDecimal parses the common sample value, digits with at most one
// point and at most 15 digits in all, as ParseFloat does, in a fraction of
// its time: the digits and the power of ten are exact float64s, so their
// quotient is the correctly rounded value. Anything else returns false.
func parseDecimal(s []byte) (float64, bool) {
	var mantissa uint64
	digits, frac := 0, -1
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			mantissa = mantissa*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	return float64(mantissa) / pow10[max(frac, 0)], true
}

// internLabel is internBytes for the value of Labels[k]. Neighbouring
// series mostly repeat a label's value (the buckets, classes and counters
// of one pair come together), so the last id seen for each label is tried
// before the map.
func (d *decoder) internLabel(k int, s []byte) uint32 {
	if id := d.last[k]; id != 0 && d.vec.Strings[id] == string(s) {
		return id
	}
	id := d.internBytes(s)
	d.last[k] = id
	return id
}

// internBytes returns the id of s, adding it on first sight. The lookup
// with string(s) does not allocate; only a new value is copied.
func (d *decoder) internBytes(s []byte) uint32 {
	if id, ok := d.vec.intern[string(s)]; ok {
		return id
	}
	return d.vec.internString(string(s))
}

// object calls field for each key of an object; field must consume the
// value.
func (d *decoder) object(field func(key []byte) error) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	if c, _ := d.peek(); c == '}' {
		d.pos++
		return nil
	}
	for {
		key, err := d.str()
		if err != nil {
			return err
		}
		d.key = append(d.key[:0], key...)
		if err := d.expect(':'); err != nil {
			return err
		}
		if err := field(d.key); err != nil {
			return err
		}
		c, ok := d.peek()
		if !ok {
			return d.eof()
		}
		d.pos++
		switch c {
		case ',':
		case '}':
			return nil
		default:
			return fmt.Errorf("%w: %q in an object", errSyntax, c)
		}
	}
}

// array calls elem for each element of an array; elem must consume it.
func (d *decoder) array(elem func() error) error {
	if err := d.expect('['); err != nil {
		return err
	}
	if c, _ := d.peek(); c == ']' {
		d.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		c, ok := d.peek()
		if !ok {
			return d.eof()
		}
		d.pos++
		switch c {
		case ',':
		case ']':
			return nil
		default:
			return fmt.Errorf("%w: %q in an array", errSyntax, c)
		}
	}
}

// skip consumes one value of any type.
func (d *decoder) skip() error {
	c, ok := d.peek()
	if !ok {
		return d.eof()
	}
	switch c {
	case '{':
		return d.object(func([]byte) error { return d.skip() })
	case '[':
		return d.array(d.skip)
	case '"':
		d.pos++
		return d.skipString()
	}
	// A number, true, false or null: everything up to a delimiter.
	n := 0
	for d.pos < d.end || d.fill() {
		c := d.buf[d.pos]
		if c == ',' || c == '}' || c == ']' || isSpace(c) {
			break
		}
		d.pos++
		n++
	}
	if n == 0 {
		return fmt.Errorf("%w: %q where a value belongs", errSyntax, c)
	}
	return nil
}

// null consumes a null if one comes next.
func (d *decoder) null() bool {
	if c, _ := d.peek(); c != 'n' {
		return false
	}
	return d.skip() == nil
}

// skipString consumes the rest of a string whose opening quote is
// consumed, without keeping it: labels nobody asked for can be any size.
func (d *decoder) skipString() error {
	for {
		if d.pos == d.end && !d.fill() {
			return d.eof()
		}
		i := bytes.IndexAny(d.buf[d.pos:d.end], `"\`)
		if i < 0 {
			d.pos = d.end
			continue
		}
		d.pos += i + 1
		if d.buf[d.pos-1] == '"' {
			return nil
		}
		// A backslash: the next byte is escaped, whatever it is.
		if d.pos == d.end && !d.fill() {
			return d.eof()
		}
		d.pos++
	}
}

// maxString caps a string the decoder keeps (a label value, a warning):
// longer ones are not Prometheus label values but a broken or hostile
// answer, which must not grow a buffer to the body cap.
const maxString = 1 << 20

// stringTo decodes a string into *dst.
func (d *decoder) stringTo(dst *string) error {
	s, err := d.str()
	*dst = string(s)
	return err
}

// str decodes a string. The result is valid until the next read: it points
// into the read buffer, or into scratch when the string crossed a refill or
// had escapes.
func (d *decoder) str() ([]byte, error) {
	if err := d.expect('"'); err != nil {
		return nil, err
	}
	if i := bytes.IndexByte(d.buf[d.pos:d.end], '"'); i >= 0 && bytes.IndexByte(d.buf[d.pos:d.pos+i], '\\') < 0 {
		s := d.buf[d.pos : d.pos+i]
		d.pos += i + 1
		return s, nil
	}
	// Slow path: gather the raw string, quotes included, then unescape.
	d.scratch = append(d.scratch[:0], '"')
	escaped, esc := false, false
	for {
		if d.pos == d.end && !d.fill() {
			return nil, d.eof()
		}
		c := d.buf[d.pos]
		d.pos++
		if len(d.scratch) > maxString {
			return nil, fmt.Errorf("%w: a string longer than %d bytes", errSyntax, maxString)
		}
		d.scratch = append(d.scratch, c)
		switch {
		case esc:
			esc = false
		case c == '\\':
			esc, escaped = true, true
		case c == '"':
			if !escaped {
				return d.scratch[1 : len(d.scratch)-1], nil
			}
			var s string
			if err := json.Unmarshal(d.scratch, &s); err != nil {
				return nil, fmt.Errorf("%w: %v", errSyntax, err) //nolint:errorlint // errSyntax alone marks the answer as malformed; the string decoding error is text only
			}
			d.scratch = append(d.scratch[:0], s...)
			return d.scratch, nil
		}
	}
}

// expect consumes c, after any white space.
func (d *decoder) expect(c byte) error {
	got, ok := d.peek()
	if !ok {
		return d.eof()
	}
	if got != c {
		return fmt.Errorf("%w: %q where %q belongs", errSyntax, got, c)
	}
	d.pos++
	return nil
}

// peek skips white space and returns the next byte without consuming it.
func (d *decoder) peek() (byte, bool) {
	for {
		for d.pos < d.end {
			if c := d.buf[d.pos]; !isSpace(c) {
				return c, true
			}
			d.pos++
		}
		if !d.fill() {
			return 0, false
		}
	}
}

// ensure reads more of the body until n bytes are in the buffer past pos,
// or the body ends, or the buffer is full; it keeps what is not consumed.
func (d *decoder) ensure(n int) {
	if d.end-d.pos >= n || d.readErr != nil {
		return
	}
	d.end = copy(d.buf, d.buf[d.pos:d.end])
	d.pos = 0
	for d.end < n && d.readErr == nil {
		m, err := d.r.Read(d.buf[d.end:])
		d.end += m
		d.readErr = err
	}
}

// fill reads more of the body into the buffer, dropping what was consumed.
func (d *decoder) fill() bool {
	if d.readErr != nil {
		return false
	}
	d.pos, d.end = 0, 0
	for d.end == 0 {
		n, err := d.r.Read(d.buf)
		d.end = n
		if err != nil {
			d.readErr = err
			return n > 0
		}
	}
	return true
}

// eof is the error for a body that ends too early or could not be read.
func (d *decoder) eof() error {
	if d.readErr != nil && !errors.Is(d.readErr, io.EOF) {
		return d.readErr
	}
	return fmt.Errorf("%w: the answer ends early", errSyntax)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
