package transform

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/schemas"
)

// Events wraps a reader of src's raw batches into a reader of EventSchema
// batches, transforming one batch per Next. It retains raw and releases it
// with its own last Release; the caller still releases its own reference.
// Batches that lose every row to the quarantine are skipped. When raw ends
// the stage logs one line with the file's counts.
func (t *Transformer) Events(ctx context.Context, raw array.RecordReader, src *schemas.Source, file, sheet string) array.RecordReader {
	raw.Retain()
	r := &eventReader{ctx: ctx, raw: raw, st: t.Stage(src, file, sheet)}
	r.refs.Store(1)
	return r
}

var _ array.RecordReader = (*eventReader)(nil)

type eventReader struct {
	refs   atomic.Int64
	ctx    context.Context
	raw    array.RecordReader
	st     *FileStage
	cur    arrow.RecordBatch
	err    error
	done   bool
	logged bool
}

func (r *eventReader) Retain() { r.refs.Add(1) }

func (r *eventReader) Release() {
	if r.refs.Add(-1) != 0 {
		return
	}
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	r.raw.Release()
}

func (r *eventReader) Schema() *arrow.Schema { return EventSchema }

func (r *eventReader) Next() bool {
	if r.cur != nil {
		r.cur.Release()
		r.cur = nil
	}
	if r.done {
		return false
	}
	for r.raw.Next() {
		out, err := r.st.Apply(r.ctx, r.raw.RecordBatch())
		if err != nil {
			r.err, r.done = err, true
			return false
		}
		if out.NumRows() == 0 {
			out.Release()
			continue
		}
		r.cur = out
		return true
	}
	r.err, r.done = r.raw.Err(), true
	r.st.Finish()
	return false
}

func (r *eventReader) RecordBatch() arrow.RecordBatch { return r.cur }
func (r *eventReader) Record() arrow.RecordBatch      { return r.cur }
func (r *eventReader) Err() error                     { return r.err }

// Finish logs the file's counts in one line, and a warning listing the
// codes no rule matched, once the last batch is applied. Call it once per
// file; Events does so itself. It logs counts and codes only, never a value.
func (s *FileStage) Finish() {
	b := &s.total
	s.log.Info().Str("file", s.file).Int("events", b.events).Int("rows_quarantined", b.quarantinedTotal()).
		Int("invalid_bsn", b.invalidBSN).Int("missing_persoon", b.missingPersoon).Int("unknown_categorie", b.unknown).
		Int("organisaties", b.organisaties).
		Msg("file transformed")
	s.logUnknown()
}

// maxLoggedCodes bounds the codes one warning lists, most frequent first.
const maxLoggedCodes = 20

// logUnknown warns once per file about values no rule of the lijst
// matched, listing the codes (never a description or person value, see
// unknownCode) so that schemas/classificatie.yaml can be extended.
func (s *FileStage) logUnknown() {
	if len(s.fileUnknown) == 0 {
		return
	}
	codes := slices.SortedFunc(maps.Keys(s.fileUnknown), func(a, b string) int {
		return cmp.Or(cmp.Compare(s.fileUnknown[b], s.fileUnknown[a]), cmp.Compare(a, b))
	})
	total := 0
	for _, n := range s.fileUnknown {
		total += n
	}
	arr := zerolog.Arr()
	for _, code := range codes[:min(len(codes), maxLoggedCodes)] {
		arr.Dict(zerolog.Dict().Str("code", code).Int("rows", s.fileUnknown[code]))
	}
	s.log.Warn().Str("file", s.file).Str("lijst", s.classifier.naam).Str("otherwise", s.classifier.otherwise).
		Int("rows", total).Int("codes", len(codes)).Array("unknown_codes", arr).
		Msg("values matched no rule of the lijst; add them to classificatie.yaml")
}
