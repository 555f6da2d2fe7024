package pipeline

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/dekking"
	"github.com/ivz-twente/jeugd/transform"
)

// datumCol is the event date in transform.EventSchema.
var datumCol = transform.EventSchema.FieldIndices(transform.ColDatum)[0]

// dates widens the span of event dates of the file by batch b.
func (f *fileResult) dates(b arrow.RecordBatch) {
	col, ok := b.Column(datumCol).(*array.Date32)
	if !ok {
		return
	}
	for i, d := range col.Date32Values() {
		if col.IsNull(i) {
			continue
		}
		if !f.hasRows || d < f.first {
			f.first = d
		}
		if !f.hasRows || d > f.last {
			f.last = d
		}
		f.hasRows = true
	}
}

// coverage works out which months each source covers from the config and
// the files that were read, records it per source in the manifest and
// warns about months without a delivery: the figures of those months are
// published as "geen gegevens".
func (r *run) coverage(results []fileResult) error {
	var lev []dekking.Levering
	for i, f := range r.files {
		res := &results[i]
		if f.Duplicat != "" || res.err != nil {
			continue // a failed file covers nothing
		}
		l := dekking.Levering{Bron: f.Bron, Path: f.Path, Sheet: res.sheet, Titles: res.titles}
		if res.hasRows {
			l.Eerste, l.Laatste = res.first.ToTime(), res.last.ToTime()
		}
		lev = append(lev, l)
	}
	d, err := dekking.New(r.o.Schemas.Names(), lev, r.o.Dekking, r.o.Today)
	if err != nil {
		return err // checked by validate already
	}
	r.dek = d
	for _, b := range d.Bronnen() {
		if br := r.m.Bronnen[b.Bron]; br != nil {
			br.Dekking = b
		}
		log := r.log.With().Str("bron", b.Bron).Str("bepaald_door", b.Bepaald).Logger()
		switch {
		case b.Bepaald == dekking.GeenLevering:
			log.Warn().Msg("no delivery: the figures of this source are published as geen gegevens")
		case len(b.Ontbreekt) > 0:
			log.Warn().Str("van", b.Van).Str("tot", b.Tot).Strs("maanden", b.Ontbreekt).
				Msg("months without a delivery: their figures are published as geen gegevens")
		}
		if b.Buiten > 0 {
			log.Warn().Int("files", b.Buiten).Msg("files with rows outside the period they declare: those rows count only where a delivery covers their month")
		}
	}
	return nil
}

// Dekking is the coverage the run recorded per source, for recounting the
// published tables (a stricter k): nil for a manifest from before coverage
// was recorded, which counts every month.
func (m *Manifest) Dekking() aggregate.Dekking {
	bronnen := map[string]*dekking.Bron{}
	for name, br := range m.Bronnen {
		if br.Dekking != nil {
			bronnen[name] = br.Dekking
		}
	}
	if len(bronnen) == 0 {
		return nil
	}
	return dekking.Restore(bronnen)
}
