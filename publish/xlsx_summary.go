package publish

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ivz-twente/jeugd/aggregate"
)

// sheetWriter fills a small sheet line by line. Text goes through
// Neutralise, so nothing can become a formula.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

func (s *sheetWriter) line(style int, cells ...string) {
	s.row++
	for i, v := range cells {
		if s.err != nil || v == "" {
			continue
		}
		at := cellName(i+1, s.row)
		s.err = s.f.SetCellStr(s.sheet, at, Neutralise(v))
		if s.err == nil && style != 0 && i == 0 {
			s.err = s.f.SetCellStyle(s.sheet, at, at, style)
		}
	}
}

// put writes v into column col of the current line: a whole number, a
// share (float64, as a percentage) or text.
func (s *sheetWriter) put(col int, v any, style int) {
	if s.err != nil || v == nil {
		return
	}
	at := cellName(col, s.row)
	switch v := v.(type) {
	case int64:
		s.err = s.f.SetCellInt(s.sheet, at, v)
	case float64:
		s.err = s.f.SetCellFloat(s.sheet, at, v, -1, 64)
	case string:
		s.err = s.f.SetCellStr(s.sheet, at, Neutralise(v))
	}
	if s.err == nil && style != 0 {
		s.err = s.f.SetCellStyle(s.sheet, at, at, style)
	}
}

// num writes a key and a whole number.
func (s *sheetWriter) num(style int, key string, n int64) {
	s.line(style, key)
	s.put(2, n, 0)
}

func writeLegenda(f *excelize.File, st styles, gm, naam string, tables []*table, names []string, opts GemeenteOptions) error {
	s := &sheetWriter{f: f, sheet: sheetLegenda}
	s.line(st.title, "Jeugdcijfers "+naam+" ("+gm+")")
	s.line(0)
	s.line(st.bold, "Tekens")
	s.line(st.bold, marker, "Onderdrukt: niet gepubliceerd. Het aantal is klein (1 tot de drempel k van de indicator), of het is "+
		"weggelaten zodat zo'n klein aantal niet uit de andere cijfers is af te leiden. Beide krijgen bewust hetzelfde teken, "+
		"en het kan elk aantal zijn, ook 0 of meer dan k: lees x dus niet als 'minder dan 5'.")
	s.line(st.bold, geenMarker, "Geen gegevens: een bron van deze indicator dekt deze periode niet (niet geleverd), dus er is geen cijfer; "+
		"dat is iets anders dan 0.")
	s.line(st.bold, "(leeg)", "0: geen registraties in dit gebied, deze periode en deze klasse.")
	s.line(st.bold, "'", "Tekst die begint met = + - of @ krijgt een ' ervoor, zodat Excel die niet als formule leest.")
	s.line(0)
	s.line(st.bold, "Werkbladen")
	s.line(st.bold, sheetSamenvatting, "Kerncijfers van het laatste volledige jaar, met de regio ter vergelijking en het jaar ervoor; "+
		"daaronder de gegevens van deze publicatie: run, bronnen met aantallen rijen en softwareversie.")
	docs := map[string]string{}
	for _, d := range opts.Indicators {
		docs[d.Name] = d.Doc
	}
	for i, t := range tables {
		s.line(st.bold, names[i], t.describe(docs[t.indicator]))
	}
	s.line(0)
	s.line(st.bold, "Indeling")
	s.line(st.bold, "werkbladen", "Per indicator een werkblad per soort periode: per jaar de gemeente, haar wijken en buurten; "+
		"per kwartaal de gemeente en haar wijken; per maand de gemeente (zoals het tabellenplan ze publiceert). Het werkblad "+
		"'klassen' heeft de uitsplitsingen (geslacht, leeftijdsklasse, categorie, delictsoort) per klasse.")
	s.line(st.bold, "rijen", "Eerst de gemeente, dan elke wijk gevolgd door haar buurten, op CBS-code. "+
		"Registraties waarvan alleen de gemeente bekend is, staan onder wijk en buurt 'onbekend' (code eindigt op XX), onderaan.")
	s.line(st.bold, "kolommen", "De perioden in tijdsvolgorde: jaren (2025), kwartalen (2025-K1) of maanden (2025-03). "+
		fmt.Sprintf("Past een tabel niet in %d kolommen, dan staat ze in lange vorm: een rij per gebied en periode.", MaxSheetColumns))
	s.line(st.bold, "perioden", "Alleen afgesloten perioden worden gepubliceerd.")
	s.line(0)
	s.line(st.bold, "Bronnen")
	s.line(st.bold, "gebieden", "CBS, Wijk- en buurtkaart: gebiedscodes (GMgggg, WKggggww, BUggggwwbb) en gebiedsnamen.")
	s.line(st.bold, "registraties", "De leveranciers en hun aantallen rijen staan op het werkblad "+sheetSamenvatting+".")
	for _, w := range opts.Warnings {
		s.line(st.bold, "let op", w)
	}
	s.line(0)
	s.line(st.bold, "Privacy")
	s.line(st.bold, "beleid", "Alleen aantallen, nooit personen. Per indicator geldt een drempel k (hieronder): "+
		"aantallen van 1 tot k worden weggelaten, en waar cellen optellen tot een gepubliceerd totaal (buurten tot wijk, wijken "+
		"tot gemeente, maanden tot kwartaal en jaar, klassen tot totaal) zo nodig ook andere cellen. Voor elk weggelaten klein "+
		"aantal is bewezen dat het met alle gepubliceerde cijfers samen minstens k waarden kan hebben, 0 inbegrepen.")
	for _, d := range opts.Indicators {
		if d.K < 2 {
			s.line(st.bold, d.Name, "drempel k = 0: zonder drempel gepubliceerd, want dit zijn geen personen; elk aantal wordt getoond "+
				"(zie docs/disclosure-control.md).")
		} else {
			s.line(st.bold, d.Name, fmt.Sprintf("drempel k = %d: aantallen van 1 tot en met %d worden niet getoond.", d.K, d.K-1))
		}
	}
	if s.err != nil {
		return fmt.Errorf("sheet %s: %w", sheetLegenda, s.err)
	}
	if err := f.SetColWidth(sheetLegenda, "A", "A", 34); err != nil {
		return err
	}
	if err := f.SetColWidth(sheetLegenda, "B", "B", 100); err != nil {
		return err
	}
	last := cellName(2, s.row)
	return f.SetCellStyle(sheetLegenda, "B1", last, st.wrap)
}

// describe says in the Legenda what a table sheet holds.
func (t *table) describe(doc string) string {
	plural := map[string]string{"gemeente": "de gemeente", "wijk": "wijken", "buurt": "buurten", "regio": "de regio"}
	var what []string
	for _, r := range t.rows {
		key := r.uitsplitsing
		if !t.breakdown {
			key = cmp.Or(plural[r.niveau], r.niveau)
		}
		if !slices.Contains(what, key) {
			what = append(what, key)
		}
	}
	text := "Indicator " + t.indicator + " per " + t.periodetype
	if t.breakdown {
		text += ", uitgesplitst naar " + joinNL(what)
	} else {
		text += ": " + joinNL(what)
	}
	if t.long() {
		text += " (lange vorm: een rij per periode)"
	}
	if doc != "" {
		text += ". " + doc
	}
	return text
}

// joinNL joins words the Dutch way: "a, b en c".
func joinNL(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " en " + words[len(words)-1]
}

// figures are the headline figures of the Samenvatting: per indicator the
// gemeente and the regio in the last complete year and the year before.
type figures struct {
	jaar, vorig string
	regio       string // the regio's name, "" when the cells hold none
	rows        []figureRow
}

type figureRow struct {
	doc       IndicatorDoc
	gm, regio [2]value // [jaar, vorig]
}

// headlines reads the headline figures from the published cells, so they
// are exactly what the tables show.
func headlines(cells []aggregate.Cell, gm string, opts GemeenteOptions) figures {
	var fig figures
	total := func(c *aggregate.Cell) bool { return c.Periodetype == "jaar" && c.Uitsplitsing == "totaal" }
	years := map[string]bool{}
	for i := range cells {
		c := &cells[i]
		if total(c) && c.Gebiedsniveau == "gemeente" && c.Gebiedscode == gm {
			years[c.Periode] = true
			fig.jaar = max(fig.jaar, c.Periode)
		}
	}
	if fig.jaar == "" {
		return fig
	}
	if y, err := strconv.Atoi(fig.jaar); err == nil && years[strconv.Itoa(y-1)] {
		fig.vorig = strconv.Itoa(y - 1)
	}
	at := map[string]int{}
	add := func(d IndicatorDoc) {
		if _, ok := at[d.Name]; !ok {
			at[d.Name] = len(fig.rows)
			fig.rows = append(fig.rows, figureRow{doc: d})
		}
	}
	for _, d := range opts.Indicators {
		add(d)
	}
	for i := range cells {
		c := &cells[i]
		if !total(c) || c.Periode != fig.jaar && c.Periode != fig.vorig {
			continue
		}
		var slot *[2]value
		switch {
		case c.Gebiedsniveau == "gemeente" && c.Gebiedscode == gm:
			add(IndicatorDoc{Name: c.Indicator})
			slot = &fig.rows[at[c.Indicator]].gm
		case c.Gebiedsniveau == "regio":
			if _, ok := at[c.Indicator]; !ok {
				continue
			}
			fig.regio = c.Gebiedsnaam
			slot = &fig.rows[at[c.Indicator]].regio
		default:
			continue
		}
		slot[b2i(c.Periode == fig.vorig)] = valueOf(c)
	}
	fig.rows = slices.DeleteFunc(fig.rows, func(r figureRow) bool { return r.gm[0].state == absent && r.gm[1].state == absent })
	return fig
}

// writeSamenvatting writes the headline figures with the regio beside the
// gemeente, then the run summary as key/value lines (whole numbers, such
// as row counts, as numbers).
func writeSamenvatting(f *excelize.File, st styles, gm, naam string, fig figures, opts GemeenteOptions) error {
	s := &sheetWriter{f: f, sheet: sheetSamenvatting}
	s.line(st.title, "Samenvatting "+naam+" ("+gm+")")
	s.line(0)
	if fig.jaar == "" {
		s.line(st.bold, "Kerncijfers", "Er is nog geen volledig kalenderjaar gepubliceerd.")
	} else {
		writeFigures(s, st, naam, fig)
	}
	for _, w := range opts.Warnings {
		s.line(0)
		s.line(st.bold, "Let op", w)
	}
	s.line(0)
	s.line(st.bold, "Publicatie")
	for _, kv := range opts.Summary {
		if n, ok := wholeNumber(kv.Value); ok {
			s.num(st.bold, kv.Key, n)
		} else {
			s.line(st.bold, kv.Key, kv.Value)
		}
	}
	if s.err != nil {
		return fmt.Errorf("sheet %s: %w", sheetSamenvatting, s.err)
	}
	if err := f.SetColWidth(sheetSamenvatting, "A", "A", 34); err != nil {
		return err
	}
	return f.SetColWidth(sheetSamenvatting, "B", "H", 18)
}

// writeFigures writes the table of headline figures.
func writeFigures(s *sheetWriter, st styles, naam string, fig figures) {
	regio := fig.regio
	if regio == "" {
		regio = "regio"
	}
	s.line(st.bold, "Kerncijfers "+fig.jaar)
	header := []string{"indicator", "drempel k", naam + " " + fig.jaar, regio + " " + fig.jaar, "aandeel " + naam + " in " + regio}
	if fig.vorig != "" {
		header = append(header, naam+" "+fig.vorig, regio+" "+fig.vorig)
	}
	s.line(0)
	for i, h := range header {
		s.put(i+1, h, st.header)
	}
	for _, r := range fig.rows {
		s.line(0)
		s.put(1, r.doc.Name, st.bold)
		s.put(2, r.doc.K, 0)
		putFigure(s, st, 3, r.gm[0])
		putFigure(s, st, 4, r.regio[0])
		if r.gm[0].state == shown && r.regio[0].state == shown && r.regio[0].n > 0 {
			s.put(5, float64(r.gm[0].n)/float64(r.regio[0].n), st.percent)
		} else if r.gm[0].state == suppressed || r.regio[0].state == suppressed {
			s.put(5, marker, st.marker)
		}
		if fig.vorig != "" {
			putFigure(s, st, 6, r.gm[1])
			putFigure(s, st, 7, r.regio[1])
		}
	}
	s.line(0, "", marker+" = onderdrukt (elk aantal mogelijk, ook 0); "+geenMarker+" = geen gegevens; leeg = geen cijfer gepubliceerd. "+
		"Het aandeel is "+naam+" gedeeld door "+regio+", alleen waar beide getoond worden.")
}

// putFigure writes a published value: a number, the marker, or nothing.
func putFigure(s *sheetWriter, st styles, col int, v value) {
	switch v.state {
	case shown:
		s.put(col, v.n, st.number)
	case suppressed:
		s.put(col, marker, st.marker)
	case geen:
		s.put(col, geenMarker, st.marker)
	}
}

// wholeNumber accepts plain digits without a leading zero, so that codes and
// ids like "0147" stay text.
func wholeNumber(s string) (int64, bool) {
	if s == "" || len(s) > 15 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
