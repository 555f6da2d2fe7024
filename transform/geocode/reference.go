package geocode

import "github.com/paulmach/orb"

// Buurt is one CBS buurt with its place in the hierarchy. Geometry is in
// RD New (EPSG:28992) metres, whatever the file's CRS was.
type Buurt struct {
	Code, Naam                 string // BU01470101
	Wijkcode, Wijknaam         string // WK014701
	Gemeentecode, Gemeentenaam string // GM0147
	Geometry                   orb.MultiPolygon
}

// Gemeente is one municipality of the reference region.
type Gemeente struct {
	Code, Naam string
}

// Reference is the region's CBS reference data, read from a directory.
// CONTRACT STUB: the geocode work replaces the bodies.
type Reference struct {
	Buurten   []Buurt    // sorted by Code
	Gemeenten []Gemeente // sorted by Code
}

// LoadReference reads the CBS files in dir, telling them apart by content
// (GeoJSON properties, CSV columns), not by name.
func LoadReference(dir string) (*Reference, error) { panic("geocode.LoadReference: not implemented yet") }

// Naam returns the name of a buurt, wijk or gemeente code ("onbekend" for the
// unknown markers, "" when the code is not in the reference).
func (r *Reference) Naam(code string) string { panic("not implemented yet") }

// GemeenteByName resolves a gemeente name or code, case-insensitively
// ("borne", "GM0147", "Rijssen-Holten").
func (r *Reference) GemeenteByName(s string) (Gemeente, bool) { panic("not implemented yet") }

// Geocoder resolves Locations against a Reference. It is safe for concurrent
// use and built once per run (spatial index, postcode table).
type Geocoder struct{ ref *Reference }

// NewGeocoder builds the indexes.
func NewGeocoder(ref *Reference) *Geocoder { return &Geocoder{ref: ref} }

// Locate resolves loc in the order buurtcode, postcode+huisnummer,
// coordinates, postcode alone, gemeente; see Method.
func (g *Geocoder) Locate(loc *Location) Result { panic("geocode.Locate: not implemented yet") }

// Adressen calls yield for every address of the postcode-huisnummer table,
// in a deterministic order, until yield returns false.
func (r *Reference) Adressen(yield func(pc string, huisnummer int, buurtcode string) bool) {
	panic("not implemented yet")
}

// PointOnSurface returns a point guaranteed inside the buurt's polygon (RD).
func PointOnSurface(b Buurt) orb.Point { panic("not implemented yet") }

// RDToWGS84 converts RD New metres to WGS84 degrees.
func RDToWGS84(x, y float64) (lat, lon float64) { panic("not implemented yet") }

// WGS84ToRD converts WGS84 degrees to RD New metres.
func WGS84ToRD(lat, lon float64) (x, y float64) { panic("not implemented yet") }
