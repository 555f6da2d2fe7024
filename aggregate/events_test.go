package aggregate

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/ivz-twente/jeugd/transform"
)

// ev is one anonymous event written by hand. Empty pleeg/woon gemeente means
// that location is absent; an empty buurt with a gemeente is the unknown
// buurt. Leeftijd < 0 means unknown.
type ev struct {
	bron, soort, rol string
	datum            string // 2025-03-14
	pleeg, woon      string // buurt code BU01470101, or "GM0147" for gemeente only
	persoon, zaak    string // "" is null
	leeftijd         int
	geslacht         string
	categorie        string
	delictsoort      string // "" becomes misdrijf for verdachte and verwijzing events, empty otherwise
}

// locationOf splits a hand-written location into gemeente, wijk and buurt
// the way the geocoder fills them.
func locationOf(s string) (gm, wk, bu string) {
	switch {
	case s == "":
		return "", "", ""
	case len(s) == 6: // GM0147: buurt unknown
		return s, "WK" + s[2:] + "XX", "BU" + s[2:] + "XXXX"
	default: // BU01470101
		return "GM" + s[2:6], "WK" + s[2:8], s
	}
}

func klasse(age int) string {
	switch {
	case age < 0:
		return transform.Onbekend
	case age < 12:
		return "0-11"
	case age < 15:
		return "12-14"
	case age < 18:
		return "15-17"
	case age < 23:
		return "18-22"
	}
	return "23+"
}

// buildEvents returns events as one batch of transform.EventSchema.
func buildEvents(t testing.TB, mem memory.Allocator, evs []ev) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(mem, transform.EventSchema)
	defer b.Release()
	str := func(i int, v string) { b.Field(i).(*array.StringBuilder).Append(v) }
	nullable := func(i int, v string) {
		if v == "" {
			b.Field(i).AppendNull()
			return
		}
		str(i, v)
	}
	for _, e := range evs {
		d, err := time.Parse(time.DateOnly, e.datum)
		if err != nil {
			t.Fatalf("event date: %v", err)
		}
		pgm, pwk, pbu := locationOf(e.pleeg)
		wgm, wwk, wbu := locationOf(e.woon)
		method := func(s string) string {
			switch {
			case s == "":
				return ""
			case len(s) == 6:
				return "gemeente"
			}
			return "buurtcode"
		}
		bron, soort := e.bron, e.soort
		if bron == "" {
			bron, soort = "politie", "test"
		}
		geslacht, categorie := e.geslacht, e.categorie
		if geslacht == "" {
			geslacht = transform.Onbekend
		}
		if categorie == "" {
			categorie = transform.Onbekend
		}
		str(0, bron)
		str(1, soort)
		b.Field(2).(*array.Date32Builder).Append(arrow.Date32FromTime(d))
		str(3, pgm)
		str(4, pwk)
		str(5, pbu)
		str(6, method(e.pleeg))
		str(7, wgm)
		str(8, wwk)
		str(9, wbu)
		str(10, method(e.woon))
		nullable(11, e.persoon)
		nullable(12, e.zaak)
		if e.leeftijd < 0 {
			b.Field(13).AppendNull()
		} else {
			b.Field(13).(*array.Int16Builder).Append(int16(e.leeftijd))
		}
		str(14, klasse(e.leeftijd))
		str(15, geslacht)
		str(16, categorie)
		str(17, e.rol)
		delict := e.delictsoort
		if delict == "" && (e.rol == "verdachte" || e.rol == "verwijzing") {
			delict = "misdrijf"
		}
		str(18, delict)
	}
	return b.NewRecordBatch()
}

// loadStore opens a store in a temp dir and loads evs into it.
func loadStore(t testing.TB, evs []ev) *Store {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	ctx := context.Background()
	s, err := OpenStore(ctx, filepath.Join(t.TempDir(), "store", "jeugd.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	rec := buildEvents(t, mem, evs)
	rr, err := array.NewRecordReader(transform.EventSchema, []arrow.RecordBatch{rec})
	rec.Release()
	if err != nil {
		t.Fatal(err)
	}
	err = s.Load(ctx, rr)
	rr.Release()
	if err != nil {
		t.Fatal(err)
	}
	mem.AssertSize(t, 0)
	return s
}
