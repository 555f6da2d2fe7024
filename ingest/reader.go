// Package ingest reads supplier exports (CSV and XLSX) into Arrow record
// batches of canonical, typed fields, following a declarative schemas.Source.
// Rows that do not parse are quarantined with their position, never their
// values.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/internal/ordered"
	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/schemas"
)

// ColRij is the first column of every raw batch: the row number the supplier
// sees (Excel row or text-editor line), so that later stages can quarantine
// a row with its position.
const ColRij = "_rij"

// Metadata keys on every raw schema.
const (
	MetaBron  = "bron"
	MetaSoort = "soort"
)

// Options configure a Reader. The zero value is usable.
type Options struct {
	Sheet      string              // XLSX sheet name; empty means the first sheet whose header matches
	BatchSize  int                 // rows per batch; default 65536
	Quarantine quarantine.Rejecter // receives rejected rows; nil discards them (they are still counted)
	Log        zerolog.Logger      // warnings such as ignored columns; default zerolog.Nop()
	Mem        memory.Allocator    // default memory.DefaultAllocator
	Name       string              // file name to report; default the path as given
	// Workers parse the rows of this one file in parallel: one goroutine
	// reads the file in order and hands BatchSize rows at a time to Workers
	// goroutines that check and convert them. Batches keep file order and
	// rows keep their position; the Quarantine is called from the workers.
	// 0 or 1 reads and parses in the caller's goroutine.
	Workers int
}

// Stats counts what a Reader saw. Read == Accepted + Quarantined.
type Stats struct {
	Read, Accepted, Quarantined int
	Ignored                     []string // headers that match no field, as delivered
}

// RawSchema is the Arrow schema of a source's accepted rows: ColRij (int32)
// then one nullable column per field in declaration order. date -> date32,
// int and huisnummer -> int64, decimal -> float64, everything else -> utf8
// (normalised: postcode 1234AB, bsn 9 digits, code the canonical code).
// Fields absent from a file are all-null columns.
func RawSchema(src *schemas.Source) *arrow.Schema {
	fields := []arrow.Field{{Name: ColRij, Type: arrow.PrimitiveTypes.Int32}}
	for _, f := range src.Fields {
		fields = append(fields, arrow.Field{Name: f.Name, Type: arrowType(f.Type), Nullable: true})
	}
	md := arrow.NewMetadata([]string{MetaBron, MetaSoort}, []string{src.Bron, src.Soort})
	return arrow.NewSchema(fields, &md)
}

func arrowType(t schemas.Type) arrow.DataType {
	switch t {
	case schemas.TypeDate:
		return arrow.FixedWidthTypes.Date32
	case schemas.TypeInt, schemas.TypeHuisnummer:
		return arrow.PrimitiveTypes.Int64
	case schemas.TypeDecimal:
		return arrow.PrimitiveTypes.Float64
	default:
		return arrow.BinaryTypes.String
	}
}

var _ array.RecordReader = (*Reader)(nil) // compile-time check

const defaultBatchSize = 65536

// splitBatchSize is the default batch of a Reader with several workers:
// small enough that the workers share a file evenly.
const splitBatchSize = 16384

// maxCodeCache bounds the per-field cache of code spellings seen.
const maxCodeCache = 256

// Reader reads one supplier file and yields accepted rows in the source's
// RawSchema; rejected rows go to the Quarantine. Like csv.Reader it is
// concrete. The caller calls Release; batches from RecordBatch are valid
// until the next call to Next (Retain them to keep them longer).
//
// A row is counted in Stats.Read when it has any non-blank cell. A rejected
// row reports every bad cell to the Quarantine but counts once.
type Reader struct {
	ctx    context.Context
	src    *schemas.Source
	opts   Options
	stats  Stats
	err    error
	refs   atomic.Int64
	schema *arrow.Schema

	file    io.Closer // the opened file, when NewReader opened it
	book    workbook
	rows    rowSource
	sheet   string
	hdr     header
	titles  []string     // the non-empty cells of the rows above the header
	pending []scannedRow // rows read past the header while looking for it
	done    bool
	seq     *parser                      // the parser of a Reader with one worker
	split   *ordered.Map[*chunk, parsed] // the workers of a Reader with more than one
	cur     arrow.RecordBatch
}

// NewReader opens name (CSV or XLSX, told apart by content) for src. It fails
// the file, with one clear error, when it cannot be read, is empty, or lacks
// a required column (a *MissingColumnError, which wraps ErrMissingColumn).
func NewReader(ctx context.Context, name string, src *schemas.Source, opts Options) (*Reader, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err // *PathError names the file only
	}
	r, err := newReader(ctx, f, name, src, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	return r, nil
}

// newReader reads from in; path, when not empty, lets a format reopen the
// file for random access.
func newReader(ctx context.Context, in io.Reader, path string, src *schemas.Source, opts Options) (*Reader, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = defaultBatchSize
		if opts.Workers > 1 {
			opts.BatchSize = splitBatchSize
		}
	}
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	if opts.Name == "" {
		opts.Name = path
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	book, err := openBook(in, path)
	if err != nil {
		return nil, fileError(opts.Name, err)
	}
	r := &Reader{ctx: ctx, src: src, opts: opts, book: book, schema: RawSchema(src)}
	if err := r.findSheet(); err != nil {
		book.Close()
		return nil, err
	}
	r.schema = withHeaders(r.schema, src, r.hdr)
	r.refs.Store(1)
	if opts.Workers <= 1 {
		r.seq = r.newParser()
	}
	r.stats.Ignored = r.hdr.ignored
	// Headers are not personal data, so they may be logged.
	if len(r.hdr.ignored) > 0 {
		r.opts.Log.Warn().Strs("columns", r.hdr.ignored).Msg("ignoring columns that match no field")
	}
	if len(r.hdr.dups) > 0 {
		r.opts.Log.Warn().Strs("columns", r.hdr.dups).Msg("ignoring repeated columns; the first one wins")
	}
	return r, nil
}

// MetaHeader is the field metadata key holding the header as delivered in
// this file, so that later stages can quarantine a row naming the column
// the supplier sees rather than the canonical field name.
const MetaHeader = "header"

// withHeaders annotates each field present in the file with its header.
func withHeaders(sc *arrow.Schema, src *schemas.Source, h header) *arrow.Schema {
	fields := sc.Fields()
	for i := range src.Fields {
		if col := h.fieldCol[i]; col >= 0 && col < len(h.names) {
			md := arrow.NewMetadata([]string{MetaHeader}, []string{h.names[col]})
			fields[i+1].Metadata = md
		}
	}
	md := sc.Metadata()
	return arrow.NewSchema(fields, &md)
}

// fileError prefixes a file-level error with the file name.
func fileError(name string, err error) error {
	return fmt.Errorf("%s: %w", name, err)
}

// findSheet settles on the sheet and header row: the named sheet, or the
// first sheet whose header has every required field.
func (r *Reader) findSheet() error {
	idx := aliasIndex(r.src)
	sheets := r.book.Sheets()
	if r.opts.Sheet != "" {
		sheets = []string{r.opts.Sheet}
	}
	var (
		bestMiss *MissingColumnError
		bestN    = -1
		anyRows  bool
	)
	for _, sheet := range sheets {
		rs, err := r.book.Rows(sheet)
		if err != nil {
			return fileError(r.opts.Name, err)
		}
		rows, err := scanRows(rs)
		if err != nil {
			rs.Close()
			return fileError(r.opts.Name, err)
		}
		anyRows = anyRows || len(rows) > 0
		h, at := pickHeader(r.src, idx, rows)
		if at < 0 {
			rs.Close()
			continue
		}
		if miss := h.missing(r.src); len(miss) > 0 {
			if h.matched > bestN {
				bestN, bestMiss = h.matched, missingColumns(r.opts.Name, sheet, r.src, h)
			}
			rs.Close()
			continue
		}
		r.rows, r.sheet, r.hdr, r.pending = rs, sheet, h, rows[at+1:]
		for _, t := range rows[:at] {
			for _, c := range t.cells {
				if c = trimSpace(c); c != "" {
					r.titles = append(r.titles, c)
				}
			}
		}
		return nil
	}
	switch {
	case bestMiss != nil:
		return bestMiss
	case !anyRows:
		return fileError(r.opts.Name, ErrEmptyFile)
	}
	return fileError(r.opts.Name, ErrNoHeader)
}

// Detect returns the source whose schema best matches the file's header:
// of the sources whose required fields are all present, the one matching
// the most fields. It fails with ErrNoSource or ErrAmbiguous.
func Detect(ctx context.Context, name string, set *schemas.Set, opts Options) (*schemas.Source, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if opts.Name == "" {
		opts.Name = name
	}
	return detect(ctx, f, name, set, opts)
}

func detect(ctx context.Context, in io.Reader, path string, set *schemas.Set, opts Options) (*schemas.Source, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	book, err := openBook(in, path)
	if err != nil {
		return nil, fileError(opts.Name, err)
	}
	defer book.Close()
	sheets := book.Sheets()
	if opts.Sheet != "" {
		sheets = []string{opts.Sheet}
	}
	score := make([]int, len(set.Sources))
	idx := make([]map[string]int, len(set.Sources))
	for i, src := range set.Sources {
		idx[i] = aliasIndex(src)
	}
	anyRows := false
	for _, sheet := range sheets {
		rs, err := book.Rows(sheet)
		if err != nil {
			return nil, fileError(opts.Name, err)
		}
		rows, err := scanRows(rs)
		rs.Close()
		if err != nil {
			return nil, fileError(opts.Name, err)
		}
		anyRows = anyRows || len(rows) > 0
		for i, src := range set.Sources {
			h, at := pickHeader(src, idx[i], rows)
			if at >= 0 && len(h.missing(src)) == 0 && h.matched > score[i] {
				score[i] = h.matched
			}
		}
	}
	if !anyRows {
		return nil, fileError(opts.Name, ErrEmptyFile)
	}
	best, top := -1, 0
	var tied []string
	for i, s := range score {
		switch {
		case s == 0:
		case s > top:
			best, top, tied = i, s, []string{set.Sources[i].Name()}
		case s == top:
			tied = append(tied, set.Sources[i].Name())
		}
	}
	switch {
	case best < 0:
		return nil, fileError(opts.Name, ErrNoSource)
	case len(tied) > 1:
		return nil, fmt.Errorf("%s: %s: %w", opts.Name, strings.Join(tied, ", "), ErrAmbiguous)
	}
	return set.Sources[best], nil
}

// Retain adds a reference.
func (r *Reader) Retain() { r.refs.Add(1) }

// Release drops a reference; the last one frees the batch and builders and
// closes the file.
func (r *Reader) Release() {
	if r.refs.Add(-1) != 0 {
		return
	}
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.split != nil {
		r.split.Stop()
		r.split = nil
	}
	if r.seq != nil {
		r.seq.release()
		r.seq = nil
	}
	if r.rows != nil {
		r.rows.Close()
	}
	r.book.Close()
	if r.file != nil {
		r.file.Close()
	}
}

func (r *Reader) Schema() *arrow.Schema          { return r.schema }
func (r *Reader) RecordBatch() arrow.RecordBatch { return r.cur }

// Record is RecordBatch under its old name.
func (r *Reader) Record() arrow.RecordBatch { return r.cur }
func (r *Reader) Err() error                { return r.err }

// Stats counts the rows so far; final once Next has returned false.
func (r *Reader) Stats() Stats { return r.stats }

// Sheet is the XLSX sheet read; empty for CSV.
func (r *Reader) Sheet() string { return r.sheet }

func (r *Reader) Source() *schemas.Source { return r.src }

// Titles returns the non-empty cells of the rows above the header, in
// order: a title such as "Periode: januari t/m juni 2025". They are what
// the supplier wrote and may hold anything, so they are read for a
// declared period only, never logged or published.
func (r *Reader) Titles() []string { return r.titles }

// Next reads the next batch of accepted rows: up to BatchSize rows read,
// in file order.
func (r *Reader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	for !r.done && r.err == nil {
		var (
			b   arrow.RecordBatch
			st  Stats
			err error
		)
		if r.seq != nil {
			b, st, err = r.parseNext()
		} else {
			b, st, err = r.splitNext()
		}
		r.stats.Read += st.Read
		r.stats.Accepted += st.Accepted
		r.stats.Quarantined += st.Quarantined
		switch {
		case errors.Is(err, io.EOF):
			r.done = true
		case err != nil:
			r.err = err
		}
		if b != nil && b.NumRows() > 0 {
			r.cur = b
			return true
		}
		if b != nil {
			b.Release()
		}
	}
	return false
}

// parseNext reads and parses one chunk in the caller's goroutine.
func (r *Reader) parseNext() (arrow.RecordBatch, Stats, error) {
	var c chunk
	r.scan(r.ctx, &c)
	b := r.seq.parse(&c)
	return b, r.seq.st, c.err
}
