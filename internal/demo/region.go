// Package demo generates the fictional region and supplier inbox that the
// demo, the tests and new users run the pipeline on.
package demo

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/ivz-twente/jeugd/transform/geocode"
)

// The region lies in the North Sea west of Den Helder: inside the RD range,
// so every formula works, but far from any real buurt. Codes GM99xx are not
// used by CBS.
const (
	regionX0 = 50_000.0  // RD x of the south-west corner
	regionY0 = 540_000.0 // RD y
	cellW    = 800.0     // buurt width in metres before jitter
	cellH    = 600.0     // buurt height
	jitter   = 100.0     // max vertex displacement; well below half a cell
	dent     = 0.35      // sideways shift of a dented edge, as part of cellW
)

var demoGemeenten = []struct {
	code uint32
	naam string
}{
	{9901, "Demodorp"},
	{9902, "Voorbeeldstad"},
	{9903, "Proefveen"},
}

var demoWijken = []string{"Noord", "Oost", "Zuid", "West"}

var demoBuurten = []string{
	"Molenhoek", "Kerkbuurt", "Het Veld", "Beekdal", "De Esch", "Nieuwland",
	"Oude Kern", "Stationsbuurt", "Bosrand", "De Weiden", "Lindehof", "Vennebroek",
	"Hazelaar", "Zonnewijde", "Kampstede", "Eikenlaan", "Dijkzicht", "Broekhuis",
	"Heidezoom", "Brinkveld",
}

// regionBuurt is one generated buurt; codes are CBS numbers without prefix.
type regionBuurt struct {
	code, wijk, gemeente       uint32
	naam, wijknaam, gemeenteNm string
	ring                       orb.Ring
}

type regionAdres struct {
	pc    string
	hn    int
	buurt *regionBuurt
}

// Region writes the fictional region of seed into dir (see WriteRegion)
// and loads it, as the demo, the tests and benchmarks use it.
func Region(dir string, seed int64) (*geocode.Reference, error) {
	if err := WriteRegion(dir, seed); err != nil {
		return nil, err
	}
	return geocode.LoadReference(dir)
}

// WriteRegion writes a small fictional region into dir in the CBS formats
// LoadReference reads: three gemeenten (GM9901 Demodorp, GM9902
// Voorbeeldstad, GM9903 Proefveen) of 2-4 wijken with 2-5 buurten each, as
// buurt polygons in RD New (buurten.geojson), a buurt list with names
// (buurten.csv) and a postcode-huisnummer-buurt table in CBS layout
// (pc6hnr.csv, 20-60 addresses per buurt, some PC6s spanning two buurten).
// The same seed gives the same bytes.
func WriteRegion(dir string, seed int64) error {
	buurten, adressen := generateRegion(seed)
	if err := writeBuurten(dir, buurten); err != nil {
		return err
	}
	return writeCSVFile(filepath.Join(dir, "pc6hnr.csv"), ';', func(w *csv.Writer) error {
		w.Write([]string{"PC6", "Huisnummer", "Buurt2024", "Wijk2024", "Gemeente2024"})
		for _, a := range adressen {
			w.Write([]string{
				a.pc, strconv.Itoa(a.hn), strconv.FormatUint(uint64(a.buurt.code), 10),
				strconv.FormatUint(uint64(a.buurt.wijk), 10), strconv.FormatUint(uint64(a.buurt.gemeente), 10),
			})
		}
		return nil
	})
}

// generateRegion lays the wijken out as columns of a jittered grid, one
// buurt per cell, gemeenten side by side. Neighbouring cells share their
// vertices, so the polygons tile without overlap; two shared edges get a
// sideways-shifted midpoint, which makes one buurt of each pair non-convex.
func generateRegion(seed int64) ([]*regionBuurt, []regionAdres) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6a65756764))
	type column struct {
		gemeente, wijk int
		rows           int
	}
	var cols []column
	for g := range demoGemeenten {
		for w := range 2 + rng.IntN(3) {
			cols = append(cols, column{g, w, 2 + rng.IntN(4)})
		}
	}
	const maxRows = 5
	nx := len(cols) + 1
	vertex := make([]orb.Point, nx*(maxRows+1))
	for i := range vertex {
		x, y := i%nx, i/nx
		vertex[i] = orb.Point{
			round(regionX0 + float64(x)*cellW + (rng.Float64()*2-1)*jitter),
			round(regionY0 + float64(y)*cellH + (rng.Float64()*2-1)*jitter),
		}
	}
	at := func(x, y int) orb.Point { return vertex[y*nx+x] }

	// Dented edges: vertical grid line x, row y, shared by two columns.
	type edge struct{ x, y int }
	var shared []edge
	for x := 1; x < len(cols); x++ {
		for y := range min(cols[x-1].rows, cols[x].rows) {
			shared = append(shared, edge{x, y})
		}
	}
	mid := map[edge]orb.Point{}
	for _, k := range rng.Perm(len(shared))[:min(2, len(shared))] {
		e := shared[k]
		a, b := at(e.x, e.y), at(e.x, e.y+1)
		shift := dent * cellW
		if rng.IntN(2) == 0 {
			shift = -shift
		}
		mid[e] = orb.Point{round((a[0]+b[0])/2 + shift), round((a[1] + b[1]) / 2)}
	}

	var buurten []*regionBuurt
	names := map[int][]int{} // per gemeente, a permutation of demoBuurten
	used := map[int]int{}
	for x, c := range cols {
		g := demoGemeenten[c.gemeente]
		if names[c.gemeente] == nil {
			names[c.gemeente] = rng.Perm(len(demoBuurten))
		}
		wijk := g.code*100 + uint32(c.wijk+1)
		for y := range c.rows {
			// Counter-clockwise, with the dent points on the right and left edges.
			ring := orb.Ring{at(x, y), at(x+1, y)}
			if m, ok := mid[edge{x + 1, y}]; ok {
				ring = append(ring, m)
			}
			ring = append(ring, at(x+1, y+1), at(x, y+1))
			if m, ok := mid[edge{x, y}]; ok {
				ring = append(ring, m)
			}
			ring = append(ring, ring[0])
			n := names[c.gemeente][used[c.gemeente]]
			used[c.gemeente]++
			buurten = append(buurten, &regionBuurt{
				code: wijk*100 + uint32(y+1), wijk: wijk, gemeente: g.code,
				naam: demoBuurten[n], wijknaam: g.naam + "-" + demoWijken[c.wijk], gemeenteNm: g.naam,
				ring: ring,
			})
		}
	}

	return buurten, regionAdressen(rng, buurten)
}

// regionAdressen numbers the addresses of the buurten: each wijk gets its
// own PC4 (99gw); PC6s hold 8-22 consecutive addresses and usually run on
// into the next buurt.
func regionAdressen(rng *rand.Rand, buurten []*regionBuurt) []regionAdres {
	var adressen []regionAdres
	for i := 0; i < len(buurten); {
		wijk := buurten[i].wijk
		pc4 := 9900 + int(wijk/100%10)*10 + int(wijk%100)
		letters, left, hn := -1, 0, 0
		for ; i < len(buurten) && buurten[i].wijk == wijk; i++ {
			if rng.IntN(3) == 0 {
				left = 0
			}
			for range 20 + rng.IntN(41) {
				if left == 0 {
					letters++
					left, hn = 8+rng.IntN(15), 0
				}
				hn += 1 + rng.IntN(2)
				pc := fmt.Sprintf("%04d%c%c", pc4, 'A'+letters/26, 'A'+letters%26)
				adressen = append(adressen, regionAdres{pc, hn, buurten[i]})
				left--
			}
		}
	}
	return adressen
}

func round(v float64) float64 { return math.Round(v*100) / 100 }

// writeBuurten creates dir with the buurt polygons (buurten.geojson) and the
// buurt list with names (buurten.csv) of a fictional region.
func writeBuurten(dir string, buurten []*regionBuurt) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeRegionGeoJSON(filepath.Join(dir, "buurten.geojson"), buurten); err != nil {
		return err
	}
	if err := writeCSVFile(filepath.Join(dir, "buurten.csv"), ',', func(w *csv.Writer) error {
		w.Write([]string{"buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam"})
		for _, b := range buurten {
			w.Write([]string{
				fmt.Sprintf("BU%08d", b.code), b.naam, fmt.Sprintf("WK%06d", b.wijk), b.wijknaam,
				fmt.Sprintf("GM%04d", b.gemeente), b.gemeenteNm,
			})
		}
		return nil
	}); err != nil {
		return err
	}
	return nil
}

func writeRegionGeoJSON(path string, buurten []*regionBuurt) error {
	fc := geojson.NewFeatureCollection()
	fc.ExtraMembers = geojson.Properties{
		"name": "buurten_demo",
		"crs":  map[string]any{"type": "name", "properties": map[string]any{"name": "urn:ogc:def:crs:EPSG::28992"}},
	}
	for _, b := range buurten {
		f := geojson.NewFeature(orb.Polygon{b.ring})
		f.ID = fmt.Sprintf("BU%08d", b.code)
		f.Properties = geojson.Properties{
			"buurtcode": f.ID, "buurtnaam": b.naam,
			"wijkcode": fmt.Sprintf("WK%06d", b.wijk), "wijknaam": b.wijknaam,
			"gemeentecode": fmt.Sprintf("GM%04d", b.gemeente), "gemeentenaam": b.gemeenteNm,
		}
		fc.Append(f)
	}
	data, err := fc.MarshalJSON()
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

func writeCSVFile(path string, comma rune, rows func(*csv.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	w.Comma = comma
	err = rows(w)
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
