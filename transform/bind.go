package transform

import (
	"errors"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/schemas"
)

// locCols are the columns of one location; nil when the source lacks them.
type locCols struct {
	buurtcode, postcode, gemeente *array.String
	huisnummer                    *array.Int64
	x, y, lat, lon                *array.Float64
}

// cols are the columns of a raw batch the stage reads.
type cols struct {
	rij                                   *array.Int32
	datum, geboren                        *array.Date32
	bsn, achternaam, voornamen, geslacht  *array.String
	registratie, parket, soortSlachtoffer *array.String
	velden                                []*array.String
	pleeg, woon                           locCols
	headers                               map[string]string // canonical field -> header as delivered
}

// bind finds the stage's columns in in's schema. A declared field that is
// missing or of another type means the batch is not the source's RawSchema.
func (s *FileStage) bind(in arrow.RecordBatch) (*cols, error) {
	b := &binder{src: s.src, in: in}
	headers := map[string]string{}
	for _, f := range in.Schema().Fields() {
		if h, ok := f.Metadata.GetValue(ingest.MetaHeader); ok {
			headers[f.Name] = h
		}
	}
	loc := func(p string) locCols {
		return locCols{
			buurtcode: b.str(p + "buurtcode"), postcode: b.str(p + "postcode"), gemeente: b.str(p + "gemeente"),
			huisnummer: b.i64(p + "huisnummer"),
			x:          b.f64(p + "x"), y: b.f64(p + "y"), lat: b.f64(p + "lat"), lon: b.f64(p + "lon"),
		}
	}
	c := &cols{
		datum: b.date(s.src.Datum, true), geboren: b.date(fieldGeboortedatum, false),
		bsn: b.str(fieldBSN), achternaam: b.str(fieldAchternaam), voornamen: b.str(fieldVoornamen), geslacht: b.str(fieldGeslacht),
		registratie: b.str(fieldRegistratienummer), parket: b.str(fieldParketnummer), soortSlachtoffer: b.str(fieldSoortSlachtoffer),
		pleeg: loc("pleeg_"), woon: loc("woon_"), headers: headers,
	}
	if a := b.col(ingest.ColRij, true); a != nil {
		if v, ok := a.(*array.Int32); ok {
			c.rij = v
		} else {
			b.errs = append(b.errs, fmt.Errorf("column %s is %s, want int32", ingest.ColRij, a.DataType()))
		}
	}
	for _, v := range s.velden {
		c.velden = append(c.velden, b.str(v))
	}
	if s.src.Categorie != nil && s.classifier == nil {
		b.errs = append(b.errs, fmt.Errorf("categorie lijst %s not in the classificatie", s.src.Categorie.Lijst))
	}
	if err := errors.Join(b.errs...); err != nil {
		return nil, fmt.Errorf("%s: %w: %w", s.file, ErrSchema, err)
	}
	return c, nil
}

// binder finds typed columns in a raw batch and collects every problem.
type binder struct {
	src  *schemas.Source
	in   arrow.RecordBatch
	errs []error
}

// col is the column of a field; nil when an optional field is not declared.
func (b *binder) col(name string, required bool) arrow.Array {
	if !required && !b.src.Has(name) {
		return nil
	}
	idx := b.in.Schema().FieldIndices(name)
	if len(idx) != 1 {
		b.errs = append(b.errs, fmt.Errorf("column %s missing", name))
		return nil
	}
	return b.in.Column(idx[0])
}

// typed returns the column of a field as T, or nil.
func typed[T arrow.Array](b *binder, name string, required bool, want string) T {
	var zero T
	a := b.col(name, required)
	if a == nil {
		return zero
	}
	v, ok := a.(T)
	if !ok {
		b.errs = append(b.errs, fmt.Errorf("column %s is %s, want %s", name, a.DataType(), want))
	}
	return v
}

func (b *binder) str(name string) *array.String {
	return typed[*array.String](b, name, false, "utf8")
}

func (b *binder) date(name string, required bool) *array.Date32 {
	return typed[*array.Date32](b, name, required, "date32")
}

func (b *binder) i64(name string) *array.Int64 { return typed[*array.Int64](b, name, false, "int64") }

func (b *binder) f64(name string) *array.Float64 {
	return typed[*array.Float64](b, name, false, "float64")
}
