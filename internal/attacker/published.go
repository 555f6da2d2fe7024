package attacker

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Row is one published cell as the dashboard CSV gives it.
type Row struct {
	Indicator, Niveau, Code, Periodetype, Periode, Uitsplitsing, Klasse string
	Waarde                                                              int64
	Withheld                                                            bool
}

func (r Row) key() string {
	return strings.Join([]string{r.Indicator, r.Niveau, r.Code, r.Periodetype, r.Periode, r.Uitsplitsing, r.Klasse}, "|")
}

// ReadCSV reads a published indicatoren.csv by its header names, comma or
// semicolon separated, with or without a byte order mark. Rows marked
// geen_gegevens (a period a source did not deliver) are left out: they
// carry no figure and stand in no relation.
func ReadCSV(r io.Reader) ([]Row, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	if first, err := br.Peek(256); (err == nil || err == io.EOF) && strings.Count(string(first), ";") > strings.Count(string(first), ",") {
		cr.Comma = ';'
	}
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, need := range []string{"indicator", "gebiedsniveau", "gebiedscode", "periodetype", "periode", "uitsplitsing", "klasse", "waarde", "onderdrukt"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("attacker: column %q missing", need)
		}
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		row := Row{
			Indicator: rec[col["indicator"]], Niveau: rec[col["gebiedsniveau"]], Code: rec[col["gebiedscode"]],
			Periodetype: rec[col["periodetype"]], Periode: rec[col["periode"]],
			Uitsplitsing: rec[col["uitsplitsing"]], Klasse: rec[col["klasse"]],
		}
		if i, ok := col["geen_gegevens"]; ok && rec[i] == "true" {
			continue
		}
		row.Withheld = rec[col["onderdrukt"]] == "true"
		if !row.Withheld {
			if row.Waarde, err = strconv.ParseInt(rec[col["waarde"]], 10, 64); err != nil {
				return nil, fmt.Errorf("attacker: waarde of %s: %w", row.key(), err)
			}
		}
		rows = append(rows, row)
	}
}

// System turns published rows into cells and the relations an analyst
// derives from the codes alone: a buurt BUggggwwbb lies in wijk WKggggww,
// a wijk in gemeente GMgggg, a gemeente in the regio; a month in its
// quarter, a quarter in its year; every class in its breakdown's totaal.
// exact says per indicator whether its relations are sums (records,
// incidents, cases) or only inequalities (distinct persons). Rows of
// several publications may be passed together: a cell published twice
// must show the same thing, or the attacker has learned more (the union).
func System(rows []Row, exact func(indicator string) bool) ([]Cell, []Relation, []Row, error) {
	index := map[string]int{}
	var cells []Cell
	var uniq []Row
	for _, r := range rows {
		k := r.key()
		if i, ok := index[k]; ok {
			// Two publications of one cell: whatever either shows is known.
			if !r.Withheld {
				if !cells[i].Withheld && cells[i].Value != r.Waarde {
					return nil, nil, nil, fmt.Errorf("attacker: %s published as %d and %d", k, cells[i].Value, r.Waarde)
				}
				cells[i] = Cell{Value: r.Waarde}
			}
			continue
		}
		index[k] = len(cells)
		cells = append(cells, Cell{Withheld: r.Withheld, Value: r.Waarde})
		uniq = append(uniq, r)
	}
	groups := map[string]*Relation{}
	var order []string
	link := func(kind string, total Row, part int) {
		t, ok := index[total.key()]
		if !ok {
			return
		}
		gk := kind + "|" + total.key()
		g := groups[gk]
		if g == nil {
			g = &Relation{Total: t, Exact: exact(total.Indicator)}
			groups[gk] = g
			order = append(order, gk)
		}
		g.Parts = append(g.Parts, part)
	}
	regio := map[string]string{}
	for _, r := range uniq {
		if r.Niveau == "regio" {
			regio[r.Indicator] = r.Code
		}
	}
	for i, r := range uniq {
		if up, ok := parentArea(r, regio[r.Indicator]); ok {
			link("area", up, i)
		}
		if up, ok := parentPeriod(r); ok {
			link("time", up, i)
		}
		if r.Uitsplitsing != "totaal" {
			up := r
			up.Uitsplitsing, up.Klasse = "totaal", "totaal"
			link("class:"+r.Uitsplitsing, up, i)
		}
	}
	rels := make([]Relation, 0, len(order))
	for _, k := range order {
		rels = append(rels, *groups[k])
	}
	return cells, rels, uniq, nil
}

func parentArea(r Row, regio string) (Row, bool) {
	up := r
	switch r.Niveau {
	case "buurt":
		if len(r.Code) != 10 {
			return up, false
		}
		up.Niveau, up.Code = "wijk", "WK"+r.Code[2:8]
	case "wijk":
		if len(r.Code) != 8 {
			return up, false
		}
		up.Niveau, up.Code = "gemeente", "GM"+r.Code[2:6]
	case "gemeente":
		up.Niveau, up.Code = "regio", regio
	default:
		return up, false
	}
	return up, true
}

func parentPeriod(r Row) (Row, bool) {
	up := r
	switch r.Periodetype {
	case "maand":
		if len(r.Periode) != 7 {
			return up, false
		}
		m, err := strconv.Atoi(r.Periode[5:])
		if err != nil || m < 1 || m > 12 {
			return up, false
		}
		up.Periodetype, up.Periode = "kwartaal", fmt.Sprintf("%s-K%d", r.Periode[:4], (m-1)/3+1)
	case "kwartaal":
		up.Periodetype, up.Periode = "jaar", r.Periode[:4]
	default:
		return up, false
	}
	return up, true
}
