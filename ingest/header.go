package ingest

import (
	"errors"
	"io"

	"github.com/ivz-twente/jeugd/schemas"
)

// headerScan is how many leading rows may hold the header; exports put a
// title, a date or a blank line above it.
const headerScan = 20

// scannedRow is a row read while looking for the header. Rows after the
// header are replayed to the Reader.
type scannedRow struct {
	cells []string
	at    Pos
}

// scanRows reads up to headerScan non-empty rows from rs.
func scanRows(rs rowSource) ([]scannedRow, error) {
	var rows []scannedRow
	for len(rows) < headerScan {
		cells, at, err := rs.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return rows, err
		}
		if blank(cells) {
			continue
		}
		rows = append(rows, scannedRow{cells: append([]string(nil), cells...), at: at})
	}
	return rows, nil
}

// aliasIndex maps every normalised field name and alias of src to the
// field's index.
func aliasIndex(src *schemas.Source) map[string]int {
	idx := make(map[string]int)
	for i, f := range src.Fields {
		idx[schemas.Normalize(f.Name)] = i
		for _, a := range f.Aliases {
			idx[schemas.Normalize(a)] = i
		}
	}
	return idx
}

// header is a row matched against a source.
type header struct {
	row      int      // position of the header row
	names    []string // cells as delivered, trimmed
	colField []int    // field index per column; -1 ignored
	fieldCol []int    // column per field; -1 absent from the file
	width    int      // columns up to the last non-empty header cell
	matched  int      // distinct fields found
	ignored  []string // headers matching no field
	dups     []string // headers of a field already matched
}

func matchHeader(src *schemas.Source, idx map[string]int, row scannedRow) header {
	h := header{
		row:      row.at.Row,
		names:    make([]string, len(row.cells)),
		colField: make([]int, len(row.cells)),
		fieldCol: make([]int, len(src.Fields)),
	}
	for i := range h.fieldCol {
		h.fieldCol[i] = -1
	}
	for c, cell := range row.cells {
		h.colField[c] = -1
		name := trimSpace(cell)
		h.names[c] = name
		if name == "" {
			continue
		}
		h.width = c + 1
		f, ok := idx[schemas.Normalize(name)]
		switch {
		case !ok:
			h.ignored = append(h.ignored, name)
		case h.fieldCol[f] >= 0:
			h.dups = append(h.dups, name)
		default:
			h.fieldCol[f] = c
			h.colField[c] = f
			h.matched++
		}
	}
	return h
}

// missing lists the required fields the header lacks.
func (h *header) missing(src *schemas.Source) []int {
	var m []int
	for i, f := range src.Fields {
		if f.Required && h.fieldCol[i] < 0 {
			m = append(m, i)
		}
	}
	return m
}

// pickHeader returns the scanned row that matches the most fields (the
// first on a tie) and its index, or index -1 when no row matches any field.
func pickHeader(src *schemas.Source, idx map[string]int, rows []scannedRow) (header, int) {
	var best header
	at := -1
	for i, r := range rows {
		h := matchHeader(src, idx, r)
		if h.matched > best.matched {
			best, at = h, i
		}
	}
	return best, at
}

// missingColumns builds the error for a header without required fields,
// naming each missing field and the closest unmatched delivered header.
func missingColumns(file, sheet string, src *schemas.Source, h header) *MissingColumnError {
	e := &MissingColumnError{File: file, Sheet: sheet}
	for _, i := range h.missing(src) {
		f := &src.Fields[i]
		e.Fields = append(e.Fields, f.Name)
		e.Closest = append(e.Closest, closestHeader(f, h))
	}
	return e
}

// closestHeader returns the unmatched header nearest, by edit distance on
// normalised text, to any spelling of f; "" when none is reasonably close.
func closestHeader(f *schemas.Field, h header) string {
	best, bestD := "", 1<<30
	for c, name := range h.names {
		if name == "" || h.colField[c] >= 0 {
			continue
		}
		n := schemas.Normalize(name)
		for _, a := range append([]string{f.Name}, f.Aliases...) {
			an := schemas.Normalize(a)
			d := editDistance(n, an)
			// Beyond half the alias length it is a different word.
			if d < bestD && d <= (len(an)+1)/2 {
				best, bestD = name, d
			}
		}
	}
	if len(best) > 60 {
		best = best[:60]
	}
	return best
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// blank reports whether every cell is empty or white space.
func blank(cells []string) bool {
	for _, c := range cells {
		if trimSpace(c) != "" {
			return false
		}
	}
	return true
}
