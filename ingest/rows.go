package ingest

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
)

// chunk is a run of non-blank rows as the file gave them: the cells of row
// i are cells[start(i):ends[i]], at at[i]. Reading fills chunks in file
// order; parsing turns one into a batch.
type chunk struct {
	cells []string
	ends  []int
	at    []Pos
	err   error // what ended reading after these rows; io.EOF at the end
}

func (c *chunk) rows() int { return len(c.ends) }

func (c *chunk) row(i int) []string {
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.cells[start:c.ends[i]]
}

// scan reads up to BatchSize non-blank rows into c (emptied first). It
// stops early at the end of the file, on an error or on cancellation,
// which c.err then holds. The strings a rowSource returns may be kept.
func (r *Reader) scan(ctx context.Context, c *chunk) {
	c.cells, c.ends, c.at, c.err = c.cells[:0], c.ends[:0], c.at[:0], nil
	for c.rows() < r.opts.BatchSize {
		if len(c.ends)&1023 == 0 {
			if err := ctx.Err(); err != nil {
				c.err = err
				return
			}
		}
		cells, at, err := r.next()
		if errors.Is(err, io.EOF) {
			c.err = io.EOF
			return
		}
		if err != nil {
			c.err = fileError(r.opts.Name, err)
			return
		}
		if blank(cells) {
			continue
		}
		c.cells = append(c.cells, cells...)
		c.ends = append(c.ends, len(c.cells))
		c.at = append(c.at, at)
	}
}

func (r *Reader) next() ([]string, Pos, error) {
	if len(r.pending) > 0 {
		p := r.pending[0]
		r.pending = r.pending[1:]
		return p.cells, p.at, nil
	}
	return r.rows.Next()
}

// parser checks rows and converts the good ones into a batch of the
// Reader's schema. It holds the builders and caches of one goroutine.
type parser struct {
	r    *Reader
	bld  *array.RecordBuilder
	rij  *array.Int32Builder
	cols []column
	st   Stats // counts of the last parse
}

func (r *Reader) newParser() *parser {
	p := &parser{r: r, bld: array.NewRecordBuilder(r.opts.Mem, r.schema)}
	p.rij = p.bld.Field(0).(*array.Int32Builder)
	p.cols = make([]column, len(r.src.Fields))
	for i := range r.src.Fields {
		c := &p.cols[i]
		c.field = &r.src.Fields[i]
		c.col = r.hdr.fieldCol[i]
		switch b := p.bld.Field(i + 1).(type) {
		case *array.Int64Builder:
			c.i64 = b
		case *array.Float64Builder:
			c.f64 = b
		case *array.Date32Builder:
			c.d32 = b
		case *array.StringBuilder:
			c.str = b
		}
		if c.field.Type == schemas.TypeCode {
			c.codes = make(map[string]string)
		}
	}
	return p
}

func (p *parser) release() { p.bld.Release() }

// parse turns the rows of c into a batch, which may be empty; p.st counts
// them.
func (p *parser) parse(c *chunk) arrow.RecordBatch {
	p.st = Stats{}
	p.bld.Reserve(c.rows())
	for i := range c.rows() {
		p.row(c.row(i), c.at[i])
	}
	return p.bld.NewRecordBatch()
}

// row validates one row and appends it when every cell is good.
func (p *parser) row(cells []string, at Pos) {
	p.st.Read++
	hdr := &p.r.hdr
	for c := hdr.width; c < len(cells); c++ {
		if trimSpace(cells[c]) != "" {
			p.reject(at, "", quarantine.KindFieldCount)
			p.st.Quarantined++
			return
		}
	}
	bad := false
	for i := range p.cols {
		col := &p.cols[i]
		if k := col.parse(cells); k != 0 {
			p.reject(at, hdr.names[col.col], k)
			bad = true
		}
	}
	if bad {
		p.st.Quarantined++
		return
	}
	p.rij.Append(int32(at.Row))
	for i := range p.cols {
		p.cols[i].add()
	}
	p.st.Accepted++
}

func (p *parser) reject(at Pos, column string, k quarantine.Kind) {
	r := p.r
	if r.opts.Quarantine != nil {
		r.opts.Quarantine.Reject(&quarantine.RowError{File: r.opts.Name, Sheet: r.sheet, Row: at.Row, Column: column, Kind: k})
	}
}

// column parses one field's cells and appends them to its builder.
type column struct {
	field *schemas.Field
	col   int // cell index in the file; -1 when the file lacks the field

	i64   *array.Int64Builder
	f64   *array.Float64Builder
	d32   *array.Date32Builder
	str   *array.StringBuilder
	codes map[string]string // trimmed spelling -> code, for TypeCode

	// The value of the current row, set by parse and appended by add.
	null bool
	i    int64
	f    float64
	d    arrow.Date32
	s    string
	b    []byte
}

// parse reads the column's cell into the column's current value and
// returns the reason it is bad, or 0.
func (c *column) parse(cells []string) quarantine.Kind {
	c.null = true
	if c.col < 0 {
		return 0
	}
	var v string
	if c.col < len(cells) {
		v = trimSpace(cells[c.col])
	}
	if v == "" {
		if c.field.Required {
			return quarantine.KindMissing
		}
		return 0
	}
	var ok bool
	switch c.field.Type {
	case schemas.TypeDate:
		var d int32
		d, ok = ParseDate(v)
		c.d = arrow.Date32(d)
		if !ok {
			return quarantine.KindBadDate
		}
	case schemas.TypeInt:
		if c.i, ok = ParseInt(v); !ok {
			return quarantine.KindBadNumber
		}
	case schemas.TypeHuisnummer:
		if c.i, ok = ParseHuisnummer(v); !ok {
			return quarantine.KindBadHuisnummer
		}
	case schemas.TypeDecimal:
		if c.f, ok = ParseDecimal(v); !ok {
			return quarantine.KindBadNumber
		}
	case schemas.TypePostcode:
		if c.b, ok = AppendPostcode(c.b[:0], v); !ok {
			return quarantine.KindBadPostcode
		}
	case schemas.TypeBSN:
		// An unusable BSN is not a bad row: transform falls back to the
		// name key, so the value simply stays null.
		if c.b, ok = AppendBSN(c.b[:0], v); !ok {
			return 0
		}
	case schemas.TypeCode:
		if c.s, ok = c.codes[v]; !ok {
			if c.s, ok = c.field.Code(v); !ok {
				return quarantine.KindUnknownCode
			}
			if len(c.codes) < maxCodeCache {
				c.codes[strings.Clone(v)] = c.s
			}
		}
	default:
		c.s = v
	}
	c.null = false
	return 0
}

// add appends the current value to the builder.
func (c *column) add() {
	switch {
	case c.null:
		switch {
		case c.i64 != nil:
			c.i64.AppendNull()
		case c.f64 != nil:
			c.f64.AppendNull()
		case c.d32 != nil:
			c.d32.AppendNull()
		default:
			c.str.AppendNull()
		}
	case c.i64 != nil:
		c.i64.Append(c.i)
	case c.f64 != nil:
		c.f64.Append(c.f)
	case c.d32 != nil:
		c.d32.Append(c.d)
	case c.field.Type == schemas.TypePostcode || c.field.Type == schemas.TypeBSN:
		c.str.BinaryBuilder.Append(c.b)
	default:
		c.str.Append(c.s)
	}
}
