package geocode

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// Buurt is one CBS buurt with its place in the hierarchy. Geometry is in
// RD New (EPSG:28992) metres, whatever the file's CRS was; it is empty when
// the reference lists the buurt without a polygon.
type Buurt struct {
	Code, Naam                 string // BU01470101
	Wijkcode, Wijknaam         string // WK014701
	Gemeentecode, Gemeentenaam string // GM0147
	Geometry                   orb.MultiPolygon
	// Jaar is the year of the CBS buurt indeling the code comes from, as
	// the reference says (a jaar_indeling column or property, or else the
	// year of the polygon file that holds it); 0 when it does not say.
	Jaar int
	// GrensJaar is the year of the boundaries of Geometry (jaar_grenzen,
	// or the year of a jrstatcode); 0 when unknown or without a polygon.
	GrensJaar int
}

// Gemeente is one municipality of the reference region. Geometry (RD New)
// is set when a gemeente polygon layer was read.
type Gemeente struct {
	Code, Naam string
	Geometry   orb.MultiPolygon
}

// FileKind says what a reference file was recognised as.
type FileKind string

const (
	KindBuurtPolygonen    FileKind = "buurtpolygonen"    // GeoJSON buurt layer
	KindGemeentePolygonen FileKind = "gemeentepolygonen" // GeoJSON gemeente layer
	KindWijkPolygonen     FileKind = "wijkpolygonen"     // GeoJSON wijk layer, read for names only
	KindNamen             FileKind = "namen"             // CSV of buurt, wijk and gemeente codes with names
	KindPostcodetabel     FileKind = "postcodetabel"     // CBS postcode-huisnummer-buurt table
)

// SourceFile describes one file LoadReference used.
type SourceFile struct {
	Name    string   // base name
	Kind    FileKind //
	CRS     string   // for GeoJSON: "RD" or "WGS84", as found
	Records int      // features or data rows read
	Skipped int      // rows of the postcode table that could not be used
}

// Reference is the region's CBS reference data, read from a directory.
// It is read-only after LoadReference and safe for concurrent use.
type Reference struct {
	Buurten   []Buurt      // sorted by Code
	Gemeenten []Gemeente   // sorted by Code
	Files     []SourceFile // the files used, by name; others were ignored
	// Regio is the region the gemeenten form, where the reference names
	// exactly one: a veiligheidsregio (VRnn) or COROP area (CRnn) record,
	// such as VR05 Twente. Empty otherwise.
	Regio Regio

	buurtIndex    map[uint32]int32  // numeric buurt code -> index in Buurten
	gemeenteIndex map[uint32]int32  // numeric gemeente code -> index in Gemeenten
	wijken        map[uint32]string // every known wijk -> name, "" when unknown
	unknown       []Result          // per gemeente: the MethodGemeente result
	pc            pcTable
}

// ErrNoReference means a directory held no recognisable CBS reference file.
var ErrNoReference = errors.New("no CBS reference files found")

// LoadReference reads the CBS files in dir, telling them apart by content
// (GeoJSON properties, CSV columns), not by name: buurt and gemeente
// polygons (GeoJSON, RD New or WGS84), buurt lists and kerncijfer tables
// with names (CSV) and the postcode-huisnummer-buurt table (CSV). Files it
// does not recognise are ignored; a recognised file that cannot be read
// fails the load with an error naming it.
func LoadReference(dir string) (*Reference, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reference directory: %w", err)
	}
	l := newLoader()
	for _, e := range entries { // ReadDir sorts by name: deterministic precedence
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || skipExt[strings.ToLower(filepath.Ext(name))] {
			continue
		}
		sf, err := l.file(filepath.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("reference file %s: %w", name, err)
		}
		if sf.Kind != "" {
			sf.Name = name
			l.files = append(l.files, sf)
		}
	}
	if len(l.buurten) == 0 && len(l.gemeenten) == 0 {
		return nil, fmt.Errorf("%s: %w", dir, ErrNoReference)
	}
	return l.finish()
}

// skipExt lists extensions that are never reference data, so they are not
// even opened.
var skipExt = map[string]bool{
	".md": true, ".pdf": true, ".html": true, ".xlsx": true, ".xls": true, ".zip": true,
	".gz": true, ".png": true, ".jpg": true, ".shp": true, ".dbf": true, ".shx": true,
	".prj": true, ".gpkg": true, ".parquet": true, ".go": true,
}

// Naam returns the name of a buurt, wijk or gemeente code: "onbekend" for
// the unknown markers (UnknownBuurtcode, UnknownWijkcode) and "" when the
// code is not in the reference. A buurt without a published name gives "";
// a wijk without one gives CBS's default form "Wijk 01 Borne".
func (r *Reference) Naam(code string) string {
	if len(code) < 2 {
		return ""
	}
	switch strings.ToUpper(code[:2]) {
	case "BU":
		if strings.HasSuffix(code, "XXXX") && len(code) == 10 {
			if _, ok := r.gemeenteIndex[mustDigits(code[2:6])]; ok {
				return "onbekend"
			}
			return ""
		}
		if n, ok := parseBuurtcode(code); ok {
			if i, ok := r.buurtIndex[n]; ok {
				return r.Buurten[i].Naam
			}
		}
	case "WK":
		if strings.HasSuffix(code, "XX") && len(code) == 8 {
			if _, ok := r.gemeenteIndex[mustDigits(code[2:6])]; ok {
				return "onbekend"
			}
			return ""
		}
		if n, ok := parseWijkcode(code); ok {
			if naam, ok := r.wijken[n]; ok {
				if naam != "" {
					return naam
				}
				return r.defaultWijknaam(n)
			}
		}
	case "GM":
		if n, ok := parseGemeentecode(code); ok {
			if i, ok := r.gemeenteIndex[n]; ok {
				return r.Gemeenten[i].Naam
			}
		}
	}
	return ""
}

func (r *Reference) defaultWijknaam(wk uint32) string {
	ww := wijkString(wk)[6:]
	if i, ok := r.gemeenteIndex[wk/100]; ok && r.Gemeenten[i].Naam != "" {
		return "Wijk " + ww + " " + r.Gemeenten[i].Naam
	}
	return "Wijk " + ww
}

// mustDigits parses a run of digits; anything else gives a code no
// gemeente has.
func mustDigits(s string) uint32 {
	var n uint32
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return ^uint32(0)
		}
		n = n*10 + uint32(s[i]-'0')
	}
	return n
}

// GemeenteByName resolves a gemeente name or code, case-insensitively
// ("borne", "GM0147", "0147", "Rijssen-Holten"). A name without CBS's
// parenthesised suffix ("Hengelo" for "Hengelo (O.)") matches when only one
// gemeente of the reference has it.
func (r *Reference) GemeenteByName(s string) (Gemeente, bool) {
	i := r.gemeente(s)
	if i < 0 {
		return Gemeente{}, false
	}
	return r.Gemeenten[i], true
}

// gemeente is GemeenteByName without allocating; it returns an index or -1.
func (r *Reference) gemeente(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return -1
	}
	if n, ok := parseGemeentecode(s); ok {
		if i, ok := r.gemeenteIndex[n]; ok {
			return int(i)
		}
		return -1
	}
	for i := range r.Gemeenten {
		if strings.EqualFold(r.Gemeenten[i].Naam, s) {
			return i
		}
	}
	found := -1
	for i := range r.Gemeenten {
		naam := r.Gemeenten[i].Naam
		if k := strings.Index(naam, " ("); k > 0 && strings.EqualFold(naam[:k], s) {
			if found >= 0 {
				return -1 // ambiguous, e.g. Hengelo (O.) and Hengelo (Gld.)
			}
			found = i
		}
	}
	return found
}

// buurt returns the index of a buurt code or -1.
func (r *Reference) buurt(code string) int {
	if n, ok := parseBuurtcode(code); ok {
		if i, ok := r.buurtIndex[n]; ok {
			return int(i)
		}
	}
	return -1
}

// sortBuurten orders b by code.
func sortBuurten(b []Buurt) {
	slices.SortFunc(b, func(x, y Buurt) int { return strings.Compare(x.Code, y.Code) })
}

func slicesSortGemeenten(g []Gemeente) {
	slices.SortFunc(g, func(x, y Gemeente) int { return strings.Compare(x.Code, y.Code) })
}
