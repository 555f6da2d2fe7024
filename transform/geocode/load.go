package geocode

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// loader collects what the files of a reference directory say; finish turns
// it into a Reference. Names: the first non-empty one in file-name order wins.
type loader struct {
	buurten   map[uint32]*Buurt
	wijken    map[uint32]string
	gemeenten map[uint32]*Gemeente
	regios    map[string]string // VRnn or CRnn -> name
	files     []SourceFile

	pcIDs   map[uint32]uint16 // buurt code -> load-time id in the packed table
	pcCodes []uint32          // load-time id -> buurt code
	pc      pcTable

	// jaarVan says how a buurt's Jaar was known: a stated indeling year
	// (jaarGezegd) beats the year of the polygon file (jaarAfgeleid),
	// whatever the order the files are read in.
	jaarVan map[uint32]uint8
}

const (
	jaarAfgeleid uint8 = iota + 1
	jaarGezegd
)

// jaar records year as the indeling year of buurt n when it is known
// better than what was recorded.
func (l *loader) jaar(n uint32, year int, how uint8) {
	if year < 1900 || year > 2200 || l.jaarVan[n] >= how {
		return
	}
	l.buurtAt(n).Jaar = year
	l.jaarVan[n] = how
}

// parseJaar reads a year such as 2024, or the year in front of a
// jrstatcode such as 2024BU01470101; 0 otherwise.
func parseJaar(s string) int {
	if len(s) < 4 || !isDigits(s[:4]) || len(s) > 4 && '0' <= s[4] && s[4] <= '9' {
		return 0
	}
	y, _ := strconv.Atoi(s[:4])
	return y
}

func newLoader() *loader {
	return &loader{
		buurten:   map[uint32]*Buurt{},
		wijken:    map[uint32]string{},
		gemeenten: map[uint32]*Gemeente{},
		regios:    map[string]string{},
		pcIDs:     map[uint32]uint16{},
		jaarVan:   map[uint32]uint8{},
	}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// file reads one file; a zero SourceFile.Kind means it was not recognised.
func (l *loader) file(path string) (SourceFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return SourceFile{}, errors.Unwrap(err) // *PathError would repeat the path
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return SourceFile{}, err
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	if len(head) > 0 && head[0] == '{' {
		return l.geojson(br)
	}
	if !utf8.Valid(head) && bytes.IndexByte(head, 0) >= 0 {
		return SourceFile{}, nil // binary, not ours
	}
	return l.csv(br)
}

// ---- GeoJSON ----

func (l *loader) geojson(r io.Reader) (SourceFile, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return SourceFile{}, err
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return SourceFile{}, fmt.Errorf("not a GeoJSON feature collection: %w", err)
	}
	crs, err := detectCRS(fc)
	if err != nil {
		return SourceFile{}, err
	}
	sf := SourceFile{CRS: crs.String()}
	var nb, nw, ng int
	for _, f := range fc.Features {
		mp := multiPolygon(f.Geometry)
		if mp != nil {
			crs.toRD(mp)
		}
		p := props(f.Properties)
		switch {
		case p.buurt != 0:
			nb++
			b := l.buurtAt(p.buurt)
			setIfEmpty(&b.Naam, p.buurtnaam)
			if b.Geometry == nil && mp != nil {
				b.Geometry = mp
				b.GrensJaar = p.jaarGrenzen
			}
			l.jaar(p.buurt, p.jaarIndeling, jaarGezegd)
			l.jaar(p.buurt, p.jaarGrenzen, jaarAfgeleid)
			l.wijkName(p.buurt/100, p.wijknaam)
			l.gemeenteName(p.buurt/10000, p.gemeentenaam)
		case p.wijk != 0:
			nw++
			l.wijkName(p.wijk, p.wijknaam)
			l.gemeenteName(p.wijk/100, p.gemeentenaam)
		case p.gemeente != 0:
			ng++
			g := l.gemeenteName(p.gemeente, p.gemeentenaam)
			if g.Geometry == nil && mp != nil {
				g.Geometry = mp
			}
		default:
			l.regio(p.statcode, p.statnaam)
		}
	}
	switch {
	case nb > 0:
		sf.Kind, sf.Records = KindBuurtPolygonen, nb
	case nw > 0:
		sf.Kind, sf.Records = KindWijkPolygonen, nw
	case ng > 0:
		sf.Kind, sf.Records = KindGemeentePolygonen, ng
	}
	return sf, nil
}

// featureProps holds the CBS properties of one feature as numeric codes
// (0 = absent; no CBS code is 0) and names.
type featureProps struct {
	buurt, wijk, gemeente             uint32
	buurtnaam, wijknaam, gemeentenaam string
	statcode, statnaam                string
	// jaarIndeling is a stated year of the indeling; jaarGrenzen the year
	// of the boundaries (jaar_grenzen, or the year of a jrstatcode).
	jaarIndeling, jaarGrenzen int
}

// props reads the CBS property names of the gebiedsindelingen (buurtcode,
// statcode) and of the older wijk- en buurtkaart (BU_CODE, GM_NAAM).
func props(p geojson.Properties) featureProps {
	var fp featureProps
	for k, v := range p {
		s := propString(v)
		switch strings.ReplaceAll(strings.ToLower(k), "_", "") {
		case "buurtcode", "bucode":
			fp.buurt, _ = parseBuurtcode(s)
		case "buurtnaam", "bunaam":
			fp.buurtnaam = s
		case "wijkcode", "wkcode":
			fp.wijk, _ = parseWijkcode(s)
		case "wijknaam", "wknaam":
			fp.wijknaam = s
		case "gemeentecode", "gmcode":
			fp.gemeente, _ = parseGemeentecode(s)
		case "gemeentenaam", "gmnaam":
			fp.gemeentenaam = s
		case "statcode":
			fp.statcode = s
		case "statnaam":
			fp.statnaam = s
		case "jaarindeling", "indelingsjaar":
			fp.jaarIndeling = parseJaar(s)
		case "jaargrenzen", "jaar":
			if fp.jaarGrenzen == 0 {
				fp.jaarGrenzen = parseJaar(s)
			}
		case "jrstatcode":
			fp.jaarGrenzen = parseJaar(s)
		}
	}
	// statcode/statnaam name the feature itself; its prefix says the level.
	if len(fp.statcode) > 2 {
		switch strings.ToUpper(fp.statcode[:2]) {
		case "BU":
			if n, ok := parseBuurtcode(fp.statcode); ok && fp.buurt == 0 {
				fp.buurt = n
				setIfEmpty(&fp.buurtnaam, fp.statnaam)
			}
		case "WK":
			if n, ok := parseWijkcode(fp.statcode); ok && fp.wijk == 0 && fp.buurt == 0 {
				fp.wijk = n
				setIfEmpty(&fp.wijknaam, fp.statnaam)
			}
		case "GM":
			if n, ok := parseGemeentecode(fp.statcode); ok && fp.gemeente == 0 && fp.wijk == 0 && fp.buurt == 0 {
				fp.gemeente = n
				setIfEmpty(&fp.gemeentenaam, fp.statnaam)
			}
		}
	}
	return fp
}

func propString(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(fixEncoding(v))
	case float64:
		if v == float64(int64(v)) {
			return strconv.FormatInt(int64(v), 10)
		}
	}
	return ""
}

func multiPolygon(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// crsKind is the coordinate system of a GeoJSON file.
type crsKind uint8

const (
	crsRD crsKind = iota
	crsLonLat
	crsLatLon // EPSG:4326 in its official axis order
)

func (c crsKind) String() string {
	if c == crsRD {
		return "RD"
	}
	return "WGS84"
}

func (c crsKind) toRD(mp orb.MultiPolygon) {
	if c == crsRD {
		return
	}
	for _, p := range mp {
		for _, r := range p {
			for i, pt := range r {
				lat, lon := pt[1], pt[0]
				if c == crsLatLon {
					lat, lon = pt[0], pt[1]
				}
				r[i][0], r[i][1] = WGS84ToRD(lat, lon)
			}
		}
	}
}

// ErrCRS means a GeoJSON file is in neither RD New nor WGS84.
var ErrCRS = errors.New("coordinates are neither RD New (EPSG:28992) nor WGS84")

// detectCRS reads the crs member and checks it against the coordinate
// ranges; without a crs member the ranges decide. In the Netherlands
// longitude (3-8) and latitude (50-54) cannot be confused, so swapped axes
// are recognised too.
func detectCRS(fc *geojson.FeatureCollection) (crsKind, error) {
	b, ok := bounds(fc)
	if !ok {
		return crsRD, nil // no geometry: names only
	}
	name := ""
	if c, ok := fc.ExtraMembers["crs"].(map[string]any); ok {
		if p, ok := c["properties"].(map[string]any); ok {
			name, _ = p["name"].(string)
		}
	}
	degrees := b.Min[0] >= -180 && b.Max[0] <= 180 && b.Min[1] >= -90 && b.Max[1] <= 90
	rd := b.Min[0] >= -7000 && b.Max[0] <= 300000 && b.Min[1] >= 289000 && b.Max[1] <= 629000
	switch {
	case strings.Contains(name, "28992") && rd:
		return crsRD, nil
	case strings.Contains(name, "28992"):
		return 0, fmt.Errorf("crs member says RD New but coordinates are out of range: %w", ErrCRS)
	case name != "" && !isWGS84Name(name):
		return 0, fmt.Errorf("unsupported crs member: %w", ErrCRS)
	case degrees && b.Min[0] >= 49 && b.Max[0] <= 55 && b.Min[1] >= 2 && b.Max[1] <= 8:
		return crsLatLon, nil
	case degrees:
		return crsLonLat, nil
	case rd && name == "":
		return crsRD, nil
	}
	return 0, ErrCRS
}

func isWGS84Name(name string) bool {
	for _, s := range []string{"CRS84", "4326", "4258", "WGS84", "WGS 84"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

func bounds(fc *geojson.FeatureCollection) (orb.Bound, bool) {
	var b orb.Bound
	found := false
	for _, f := range fc.Features {
		mp := multiPolygon(f.Geometry)
		if len(mp) == 0 {
			continue
		}
		if !found {
			b, found = mp.Bound(), true
		} else {
			b = b.Union(mp.Bound())
		}
	}
	return b, found
}

func (l *loader) buurtAt(n uint32) *Buurt {
	b, ok := l.buurten[n]
	if !ok {
		b = &Buurt{}
		l.buurten[n] = b
	}
	return b
}

func (l *loader) wijkName(n uint32, naam string) {
	if n == 0 {
		return
	}
	if l.wijken[n] == "" {
		l.wijken[n] = naam
	}
}

func (l *loader) gemeenteName(n uint32, naam string) *Gemeente {
	g, ok := l.gemeenten[n]
	if !ok {
		g = &Gemeente{}
		l.gemeenten[n] = g
	}
	setIfEmpty(&g.Naam, naam)
	return g
}

// finish builds the Reference: codes derived from the buurt codes, names
// filled in down the hierarchy, the postcode table remapped and sorted.
func (l *loader) finish() (*Reference, error) {
	for _, bu := range l.pcCodes { // buurten only the postcode table knows
		l.buurtAt(bu)
	}
	for n := range l.buurten {
		l.wijkName(n/100, "")
		l.gemeenteName(n/10000, "")
	}
	for n := range l.wijken {
		l.gemeenteName(n/100, "")
	}
	if len(l.buurten) > maxBuurten {
		return nil, fmt.Errorf("more than %d buurten", maxBuurten)
	}
	r := &Reference{
		Regio:         l.oneRegio(),
		Buurten:       make([]Buurt, 0, len(l.buurten)),
		Gemeenten:     make([]Gemeente, 0, len(l.gemeenten)),
		Files:         l.files,
		buurtIndex:    make(map[uint32]int32, len(l.buurten)),
		gemeenteIndex: make(map[uint32]int32, len(l.gemeenten)),
		wijken:        l.wijken,
	}
	for n, g := range l.gemeenten {
		g.Code = gemeenteString(n)
		r.Gemeenten = append(r.Gemeenten, *g)
	}
	slicesSortGemeenten(r.Gemeenten)
	for i, g := range r.Gemeenten {
		n, _ := parseGemeentecode(g.Code)
		r.gemeenteIndex[n] = int32(i)
		r.unknown = append(r.unknown, Result{
			Gemeentecode: g.Code, Wijkcode: UnknownWijkcode(g.Code), Buurtcode: UnknownBuurtcode(g.Code),
			Method: MethodGemeente,
		})
	}
	for n, b := range l.buurten {
		b.Code, b.Wijkcode, b.Gemeentecode = buurtString(n), wijkString(n/100), gemeenteString(n/10000)
		b.Wijknaam = l.wijken[n/100]
		b.Gemeentenaam = l.gemeenten[n/10000].Naam
		r.Buurten = append(r.Buurten, *b)
	}
	sortBuurten(r.Buurten)
	for i, b := range r.Buurten {
		n, _ := parseBuurtcode(b.Code)
		r.buurtIndex[n] = int32(i)
	}
	remap := make([]int, len(l.pcCodes))
	for id, bu := range l.pcCodes {
		remap[id] = int(r.buurtIndex[bu])
	}
	r.pc = l.pc
	r.pc.finish(remap)
	return r, nil
}
