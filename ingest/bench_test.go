package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ivz-twente/jeugd/schemas"
)

// benchRows builds a realistic politie-verdachten export: 15 columns with
// dates, postcodes, house numbers, coordinates and a code.
func benchRows(n int) [][]string {
	rows := [][]string{{"BVH nummer", "Pleegdatum", "Geboortedatum", "BSN", "Achternaam", "Voornamen", "Geslacht",
		"Postcode", "Huisnummer", "Feitcode", "Feitomschrijving", "Pleegpostcode", "Pleeghuisnummer", "Pleeg X", "Pleeg Y"}}
	for i := range n {
		rows = append(rows, []string{
			"PL0600-2023" + strconv.Itoa(100000+i), "15-07-2023", "01-02-2008", strconv.Itoa(100000000 + i),
			"Jansen", "Piet", "man", "7511 AB", strconv.Itoa(1+i%200) + "a", "F310", "eenvoudige diefstal",
			"7521AB", "10", "257000,5", "472000,25",
		})
	}
	return rows
}

func benchRead(b *testing.B, path string, rows int) {
	src := schemas.Builtin().Source("politie-verdachten")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := NewReader(context.Background(), path, src, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for r.Next() {
		}
		if r.Err() != nil || r.Stats().Accepted != rows {
			b.Fatalf("Err() = %v, Stats() = %+v", r.Err(), r.Stats())
		}
		r.Release()
	}
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadCSV(b *testing.B) {
	const n = 200000
	var buf bytes.Buffer
	for _, r := range benchRows(n) {
		for i, c := range r {
			if i > 0 {
				buf.WriteByte(';')
			}
			buf.WriteString(c)
		}
		buf.WriteString("\r\n")
	}
	path := filepath.Join(b.TempDir(), "bench.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	benchRead(b, path, n)
}

func BenchmarkReadXLSX(b *testing.B) {
	const n = 50000
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	writeXLSX(b, path, []string{"Export"}, benchRows(n))
	benchRead(b, path, n)
}
