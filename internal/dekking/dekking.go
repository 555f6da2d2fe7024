package dekking

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"
)

// How coverage was known, as Bron.Bepaald names it. A source whose files
// were known in different ways names each, joined with "+".
const (
	ViaConfig       = "config"        // the dekking setting of the source
	ViaTitel        = "titel"         // a title row above the header
	ViaWerkblad     = "werkblad"      // the name of the XLSX sheet
	ViaBestandsnaam = "bestandsnaam"  // the file name
	ViaRijen        = "rijen"         // the first to the last month with rows
	GeenLevering    = "geen levering" // no file, or none with rows or a period
)

// Setting is the coverage of one source set in the config: van and tot
// (YYYY-MM, inclusive; tot empty: up to the run date) and the months known
// to have no delivery. It overrides what the deliveries say.
type Setting struct {
	Van       string   `yaml:"van" json:"van"`
	Tot       string   `yaml:"tot" json:"tot,omitempty"`
	Ontbreekt []string `yaml:"ontbreekt" json:"ontbreekt,omitempty"`
}

// ErrSetting reports an invalid dekking setting.
var ErrSetting = errors.New("invalid dekking setting")

// months returns the months s covers up to the run month today.
func (s Setting) months(today Maand) (map[Maand]bool, error) {
	van, err := ParseMaand(s.Van)
	if err != nil {
		return nil, fmt.Errorf("van: %w", err)
	}
	tot := today
	if s.Tot != "" {
		if tot, err = ParseMaand(s.Tot); err != nil {
			return nil, fmt.Errorf("tot: %w", err)
		}
	}
	if tot < van {
		return nil, fmt.Errorf("tot %s is before van %s", tot, van)
	}
	out := map[Maand]bool{}
	for m := van; m <= min(tot, today); m++ {
		out[m] = true
	}
	for _, o := range s.Ontbreekt {
		m, err := ParseMaand(o)
		if err != nil {
			return nil, fmt.Errorf("ontbreekt: %w", err)
		}
		if m < van || m > tot {
			return nil, fmt.Errorf("ontbreekt: %s is outside %s..%s", m, van, tot)
		}
		delete(out, m)
	}
	return out, nil
}

// Check reports every invalid setting, naming its source: a source not in
// known, or a month that is not YYYY-MM or outside van..tot.
func Check(settings map[string]Setting, known []string) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(settings)) {
		if !slices.Contains(known, name) {
			errs = append(errs, fmt.Errorf("dekking %s: %w: no source of that name (sources: %s)", name, ErrSetting, strings.Join(known, ", ")))
			continue
		}
		if _, err := settings[name].months(maand(9999, 12)); err != nil {
			errs = append(errs, fmt.Errorf("dekking %s: %w: %w", name, ErrSetting, err))
		}
	}
	return errors.Join(errs...)
}

// Levering is one delivered file of a source as the run read it.
type Levering struct {
	Bron   string   // source name: bron-soort
	Path   string   // as in the inbox; its base name may declare a period
	Sheet  string   // XLSX sheet read, may declare a period
	Titles []string // cells above the header, may declare a period
	// Eerste and Laatste are the first and last event date of its rows
	// that became events; both zero when it has none.
	Eerste, Laatste time.Time
}

// declared is the period a delivery declares, and where.
func (l *Levering) declared() (Periode, string, bool) {
	if p, ok := Declared(strings.Join(l.Titles, " ")); ok {
		return p, ViaTitel, true
	}
	if p, ok := Declared(l.Sheet); ok {
		return p, ViaWerkblad, true
	}
	base := path.Base(strings.ReplaceAll(l.Path, "\\", "/"))
	if p, ok := Declared(strings.TrimSuffix(base, path.Ext(base))); ok {
		return p, ViaBestandsnaam, true
	}
	return Periode{}, "", false
}

// Bron is the coverage of one source: what the manifest and bronnen.csv
// say of it.
type Bron struct {
	Bron string `json:"-"`
	// Van and Tot are the first and last covered month (YYYY-MM); empty
	// when nothing is covered.
	Van string `json:"eerste_maand,omitempty"`
	Tot string `json:"laatste_maand,omitempty"`
	// Ontbreekt are the months between Van and Tot without a delivery:
	// "geen gegevens" for the indicators of the source.
	Ontbreekt []string `json:"maanden_zonder_levering"`
	// Bepaald says how the coverage was known (ViaConfig, ViaTitel, ...).
	Bepaald string `json:"bepaald_door"`
	// Buiten counts the deliveries with rows outside the period they
	// declare (late registrations, or a wrong title): those rows fall in
	// months their delivery does not cover.
	Buiten int `json:"leveringen_met_rijen_buiten_periode,omitempty"`

	months map[Maand]bool
}

// Dekking is the coverage of every source of a run. It implements
// aggregate.Dekking.
type Dekking struct {
	bronnen map[string]*Bron
}

// New works out the coverage of every source in bronnen from its config
// setting or its deliveries (see the package doc). Months after today's
// month are never covered.
func New(bronnen []string, leveringen []Levering, settings map[string]Setting, today time.Time) (*Dekking, error) {
	now := MaandOf(today)
	d := &Dekking{bronnen: map[string]*Bron{}}
	for _, name := range bronnen {
		b := &Bron{Bron: name, months: map[Maand]bool{}}
		d.bronnen[name] = b
		if s, ok := settings[name]; ok {
			months, err := s.months(now)
			if err != nil {
				return nil, fmt.Errorf("dekking %s: %w: %w", name, ErrSetting, err)
			}
			b.months, b.Bepaald = months, ViaConfig
			continue
		}
		b.fromLeveringen(name, leveringen, now)
	}
	for _, b := range d.bronnen {
		b.summarise(now)
	}
	return d, nil
}

// fromLeveringen covers the periods the deliveries of name declare, and
// the months from the first to the last row of those that declare none.
func (b *Bron) fromLeveringen(name string, leveringen []Levering, now Maand) {
	via := map[string]bool{}
	first, last := Maand(1<<30), Maand(-1)
	for i := range leveringen {
		l := &leveringen[i]
		if l.Bron != name {
			continue
		}
		rows := !l.Eerste.IsZero()
		if p, how, ok := l.declared(); ok {
			via[how] = true
			for m := p.Van; m <= min(p.Tot, now); m++ {
				b.months[m] = true
			}
			if rows && (MaandOf(l.Eerste) < p.Van || MaandOf(l.Laatste) > p.Tot) {
				b.Buiten++
			}
			continue
		}
		if rows {
			via[ViaRijen] = true
			first, last = min(first, MaandOf(l.Eerste)), max(last, MaandOf(l.Laatste))
		}
	}
	for m := first; m <= min(last, now); m++ {
		b.months[m] = true
	}
	b.Bepaald = strings.Join(slices.Sorted(maps.Keys(via)), "+")
}

// summarise fills Van, Tot and Ontbreekt from the covered months.
func (b *Bron) summarise(now Maand) {
	b.Ontbreekt = []string{}
	if len(b.months) == 0 {
		b.Bepaald = GeenLevering
		return
	}
	months := slices.Sorted(maps.Keys(b.months))
	first, last := months[0], min(months[len(months)-1], now)
	b.Van, b.Tot = first.String(), last.String()
	for m := first; m <= last; m++ {
		if !b.months[m] {
			b.Ontbreekt = append(b.Ontbreekt, m.String())
		}
	}
}

// Covers reports whether source bron covers the month that starts at
// month: aggregate.Dekking.
func (d *Dekking) Covers(bron string, month time.Time) bool {
	b := d.bronnen[bron]
	return b != nil && b.months[MaandOf(month)]
}

// Restore rebuilds a Dekking from the coverage a run recorded per source
// (the manifest's bronnen): a source not in bronnen covers nothing.
func Restore(bronnen map[string]*Bron) *Dekking {
	d := &Dekking{bronnen: map[string]*Bron{}}
	for name, b := range bronnen {
		if b == nil {
			continue
		}
		r := *b
		r.Bron, r.months = name, map[Maand]bool{}
		van, err1 := ParseMaand(b.Van)
		tot, err2 := ParseMaand(b.Tot)
		if err1 == nil && err2 == nil {
			for m := van; m <= tot; m++ {
				r.months[m] = true
			}
		}
		for _, o := range b.Ontbreekt {
			if m, err := ParseMaand(o); err == nil {
				delete(r.months, m)
			}
		}
		d.bronnen[name] = &r
	}
	return d
}

// Bron returns the coverage of source name, or nil.
func (d *Dekking) Bron(name string) *Bron { return d.bronnen[name] }

// Bronnen returns the coverage of every source, by name.
func (d *Dekking) Bronnen() []*Bron {
	out := make([]*Bron, 0, len(d.bronnen))
	for _, name := range slices.Sorted(maps.Keys(d.bronnen)) {
		out = append(out, d.bronnen[name])
	}
	return out
}
