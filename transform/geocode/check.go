package geocode

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Report is what `jeugd reference check DIR` shows: which files were read,
// per gemeente how complete the reference is, and every problem found.
type Report struct {
	Files     []SourceFile
	Gemeenten []GemeenteCheck
	Totaal    GemeenteCheck // sums over all gemeenten; Code and Naam are empty
	PC6s      int           // distinct PC6s in the postcode table
	Regio     Regio         // the region the reference names, if one
	Old       []OldIndeling // gemeenten with buurt codes of an older CBS year: a warning, not a problem
	Problems  []Problem
}

// GemeenteCheck counts the reference data of one gemeente.
type GemeenteCheck struct {
	Code, Naam    string
	Wijken        int
	Buurten       int
	WithPolygon   int // buurten with a polygon
	WithAddresses int // buurten with at least one address in the postcode table
	Adressen      int // addresses in the postcode table
	HasPolygon    bool
}

// Problem is one defect, named by the code of the area it is in.
type Problem struct {
	Code, Reason string
}

// OK reports whether Check found no problem.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Check inspects a Reference: counts per gemeente, polygon validity
// (closed rings of at least three points with positive area) and postcode
// table coverage. Self-intersection is not tested.
func Check(ref *Reference) Report {
	rep := Report{Files: ref.Files, Regio: ref.Regio, Old: ref.OldIndelingen()}
	byCode := make(map[string]int, len(ref.Gemeenten))
	for _, g := range ref.Gemeenten {
		byCode[g.Code] = len(rep.Gemeenten)
		rep.Gemeenten = append(rep.Gemeenten, GemeenteCheck{Code: g.Code, Naam: g.Naam, HasPolygon: len(g.Geometry) > 0})
		if g.Naam == "" {
			rep.Problems = append(rep.Problems, Problem{g.Code, "gemeente has no name"})
		}
		if reason := polygonProblem(g.Geometry); len(g.Geometry) > 0 && reason != "" {
			rep.Problems = append(rep.Problems, Problem{g.Code, reason})
		}
	}
	for wk := range ref.wijken {
		if i, ok := byCode[gemeenteString(wk/100)]; ok {
			rep.Gemeenten[i].Wijken++
		}
	}
	perBuurt := make([]int, len(ref.Buurten))
	var lastPC uint64 = math.MaxUint64
	for _, e := range ref.pc.addr {
		perBuurt[e&buurtMask]++
		if pc := e >> (buurtBits + hnBits); pc != lastPC {
			rep.PC6s++
			lastPC = pc
		}
	}
	for i, b := range ref.Buurten {
		gc := &rep.Gemeenten[byCode[b.Gemeentecode]]
		gc.Buurten++
		if len(b.Geometry) > 0 {
			gc.WithPolygon++
			if reason := polygonProblem(b.Geometry); reason != "" {
				rep.Problems = append(rep.Problems, Problem{b.Code, reason})
			}
		}
		if perBuurt[i] > 0 {
			gc.WithAddresses++
			gc.Adressen += perBuurt[i]
		}
	}
	rep.Problems = append(rep.Problems, postcodeProblems(&rep)...)
	for _, g := range rep.Gemeenten {
		t := &rep.Totaal
		t.Wijken += g.Wijken
		t.Buurten += g.Buurten
		t.WithPolygon += g.WithPolygon
		t.WithAddresses += g.WithAddresses
		t.Adressen += g.Adressen
	}
	return rep
}

// ProblemPostcodetabel is the Problem code of a missing postcode table.
const ProblemPostcodetabel = "postcodetabel"

// MinPostcodeCoverage is the least share of a gemeente's buurten that
// should hold an address in the postcode table; below it the table is thin
// there. The CBS table lists every address, so nearly every buurt has one.
const MinPostcodeCoverage = 0.8

// postcodeProblems reports a missing postcode-huisnummer table, and a
// gemeente it covers thinly, with what that means for geocoding: without
// it a row giving only postcode and huisnummer (as most person sources do
// for the home address) cannot be placed in a buurt and falls back to its
// gemeente or stays unknown, and the PC6 majority fallback is lost too.
func postcodeProblems(rep *Report) []Problem {
	adressen := 0
	for _, g := range rep.Gemeenten {
		adressen += g.Adressen
	}
	if adressen == 0 {
		return []Problem{{ProblemPostcodetabel, "no postcode-huisnummer table: rows that give only postcode and " +
			"huisnummer cannot be placed in a buurt (they count for their gemeente or as unknown), and the PC6 majority " +
			"fallback is unavailable too; add the CBS postcode-huisnummer-buurt table (pc6hnr) to the reference directory"}}
	}
	var out []Problem
	for _, g := range rep.Gemeenten {
		switch {
		case g.Buurten == 0:
		case g.WithAddresses == 0:
			out = append(out, Problem{g.Code, "the postcode table has no address in this gemeente: its rows that give " +
				"only postcode and huisnummer cannot be placed in a buurt"})
		case float64(g.WithAddresses) < MinPostcodeCoverage*float64(g.Buurten):
			out = append(out, Problem{g.Code, fmt.Sprintf("the postcode table is thin here: only %d of %d buurten hold an "+
				"address, so rows with only postcode and huisnummer in the others cannot be placed in a buurt",
				g.WithAddresses, g.Buurten)})
		}
	}
	return out
}

// polygonProblem returns why a geometry is unusable, or "".
func polygonProblem(mp orb.MultiPolygon) string {
	if len(mp) == 0 {
		return "empty polygon"
	}
	for _, p := range mp {
		if len(p) == 0 {
			return "polygon without rings"
		}
		for _, r := range p {
			if len(r) < 4 {
				return "ring with fewer than three points"
			}
			if !r.Closed() {
				return "ring not closed"
			}
		}
		if planar.Area(p) == 0 || math.Abs(planar.Area(p[0])) <= holesArea(p) {
			return "polygon without area"
		}
	}
	return ""
}

func holesArea(p orb.Polygon) float64 {
	var a float64
	for _, h := range p[1:] {
		a += math.Abs(planar.Area(h))
	}
	return a
}

// WriteText prints the report as aligned tables.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tkind\tcrs\trecords\tskipped\t")
	for _, f := range r.Files {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t\n", f.Name, f.Kind, f.CRS, f.Records, f.Skipped)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "gemeente\tnaam\tpolygon\twijken\tbuurten\twith polygon\twith addresses\taddresses\t")
	row := func(g GemeenteCheck, polygon string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t\n",
			g.Code, g.Naam, polygon, g.Wijken, g.Buurten, g.WithPolygon, g.WithAddresses, g.Adressen)
	}
	for _, g := range r.Gemeenten {
		polygon := "no"
		if g.HasPolygon {
			polygon = "yes"
		}
		row(g, polygon)
	}
	row(GemeenteCheck{Code: "total", Wijken: r.Totaal.Wijken, Buurten: r.Totaal.Buurten,
		WithPolygon: r.Totaal.WithPolygon, WithAddresses: r.Totaal.WithAddresses, Adressen: r.Totaal.Adressen}, "")
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\npostcode table: %d addresses in %d PC6s, %d of %d buurten covered\n",
		r.Totaal.Adressen, r.PC6s, r.Totaal.WithAddresses, r.Totaal.Buurten)
	if r.Regio.Code != "" {
		fmt.Fprintf(w, "regio: %s %s\n", r.Regio.Code, r.Regio.Naam)
	} else {
		fmt.Fprintln(w, "regio: not named by the reference (set regio_code and regio_naam)")
	}
	for _, o := range r.Old {
		fmt.Fprintf(w, "warning: %s %s has buurt codes of CBS %d, the newest here is %d; its buurt figures are on old boundaries\n",
			o.Code, o.Naam, o.Jaar, o.Nieuwste)
	}
	if r.OK() {
		_, err := fmt.Fprintln(w, "problems: none")
		return err
	}
	fmt.Fprintf(w, "problems: %d\n", len(r.Problems))
	for _, p := range r.Problems {
		if _, err := fmt.Fprintf(w, "  %s: %s\n", p.Code, p.Reason); err != nil {
			return err
		}
	}
	return nil
}
