// Package aggregate loads anonymous events into an internal DuckDB store,
// counts the indicators per area, period and breakdown, and applies
// disclosure control before anything is published.
package aggregate

// Cell is one published figure: an indicator for one area, period and
// breakdown class. The exported fields are exactly the columns of
// indicatoren.csv, in order.
type Cell struct {
	Indicator     string // jeugdoverlast, minderjarige_daders, ...
	Gebiedsniveau string // buurt, wijk, gemeente, regio
	Gebiedscode   string // BU01470101, WK014701, GM0147, regio code
	Gebiedsnaam   string
	Gemeentecode  string // empty for regio
	Periodetype   string // maand, kwartaal, jaar
	Periode       string // 2025-03, 2025-K1, 2025
	Uitsplitsing  string // totaal, geslacht, leeftijdsklasse, categorie, delictsoort
	Klasse        string // totaal for uitsplitsing totaal
	Waarde        int64  // meaningless when Onderdrukt or GeenGegevens
	Onderdrukt    bool
	// GeenGegevens marks a period a source of the indicator does not cover:
	// no figure, distinct from 0 and from Onderdrukt.
	GeenGegevens bool

	Ouder string // parent area code (wijk of a buurt, gemeente of a wijk, regio of a gemeente); not published
}

// Niveaus, Periodetypes and Uitsplitsingen in publishing order.
var (
	Niveaus        = []string{"regio", "gemeente", "wijk", "buurt"}
	Periodetypes   = []string{"jaar", "kwartaal", "maand"}
	Uitsplitsingen = []string{"totaal", "geslacht", "leeftijdsklasse", "categorie", "delictsoort"}
)
