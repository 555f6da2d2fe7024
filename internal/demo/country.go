package demo

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"

	"github.com/paulmach/orb"
)

// A country-size region sits on a grid of square buurten in the North Sea
// west of Holland, as the demo region does: inside the RD range, far from
// any real buurt. Codes GM5001 and up are not used by CBS.
const (
	countryX0    = 2_000.0   // RD x of the south-west corner
	countryY0    = 380_000.0 // RD y
	countryCell  = 700.0     // buurt side in metres
	countryCols  = 60        // buurten per grid row
	countryFirst = 5001      // gemeentecode of the first gemeente
)

// WriteCountry writes a fictional region of n gemeenten into dir, in the
// formats WriteRegion writes, at the scale of a country: each gemeente has
// 3-15 wijken of 2-8 buurten (about 40 buurten a gemeente, as the 342 Dutch
// gemeenten have some 14,000), square buurt polygons on a grid, a buurt
// list with names and a postcode-huisnummer table of 8-16 addresses per
// buurt. With n = 350 it is about the size of the Netherlands, for
// benchmarks of the whole chain at that scale. The same seed gives the
// same bytes.
func WriteCountry(dir string, seed int64, n int) error {
	if n < 1 || n > 4999 {
		return fmt.Errorf("country region: %d gemeenten, want 1..4999", n)
	}
	buurten := countryBuurten(seed, n)
	if err := writeBuurten(dir, buurten); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6e6c))
	return writeCSVFile(filepath.Join(dir, "pc6hnr.csv"), ';', func(w *csv.Writer) error {
		w.Write([]string{"PC6", "Huisnummer", "Buurt2024", "Wijk2024", "Gemeente2024"})
		wijken := 0
		for i := 0; i < len(buurten); wijken++ {
			// Each wijk its own PC4: 1000 and up, as many as there are wijken.
			pc4, wijk := 1000+wijken, buurten[i].wijk
			letters := 0
			for ; i < len(buurten) && buurten[i].wijk == wijk; i++ {
				for hn := 1; hn <= 8+rng.IntN(9); hn++ {
					pc := fmt.Sprintf("%04d%c%c", pc4, 'A'+letters/26%26, 'A'+letters%26)
					w.Write([]string{pc, strconv.Itoa(hn), strconv.FormatUint(uint64(buurten[i].code), 10),
						strconv.FormatUint(uint64(wijk), 10), strconv.FormatUint(uint64(buurten[i].gemeente), 10)})
				}
				letters++
			}
		}
		if wijken > 9000 {
			return fmt.Errorf("country region: %d wijken do not fit in one PC4 each", wijken)
		}
		return nil
	})
}

// countryBuurten lays the buurten of n gemeenten row by row on a square
// grid; each is one cell.
func countryBuurten(seed int64, n int) []*regionBuurt {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x636f756e747279))
	var buurten []*regionBuurt
	for g := range n {
		code := uint32(countryFirst + g)
		naam := fmt.Sprintf("%s %d", demoGemeenten[g%len(demoGemeenten)].naam, g+1)
		for w := range 3 + rng.IntN(13) {
			wijk := code*100 + uint32(w)
			wijknaam := fmt.Sprintf("%s-%s %d", naam, demoWijken[w%len(demoWijken)], w/len(demoWijken)+1)
			for b := range 2 + rng.IntN(7) {
				i := len(buurten)
				x0 := countryX0 + float64(i%countryCols)*countryCell
				y0 := countryY0 + float64(i/countryCols)*countryCell
				ring := orb.Ring{{x0, y0}, {x0 + countryCell, y0}, {x0 + countryCell, y0 + countryCell}, {x0, y0 + countryCell}, {x0, y0}}
				buurten = append(buurten, &regionBuurt{
					code: wijk*100 + uint32(b), wijk: wijk, gemeente: code,
					naam: demoBuurten[(b+w)%len(demoBuurten)], wijknaam: wijknaam, gemeenteNm: naam, ring: ring,
				})
			}
		}
	}
	return buurten
}
