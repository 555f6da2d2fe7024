package aggregate

// Count says what an indicator counts.
type Count uint8

const (
	CountZaak    Count = iota + 1 // distinct cases (zaak pseudonym); null zaak is not counted
	CountPersoon                  // distinct persons (persoon pseudonym); null persoon is not counted
	CountRecords                  // every event
)

// Locatie says which location of an event places it in an area.
type Locatie uint8

const (
	Pleeg Locatie = iota + 1 // where it happened (pleeg_*)
	Woon                     // where the person lives (woon_*)
)

// Indicator is one published figure's definition.
type Indicator struct {
	Name           string
	Doc            string // one line, Dutch
	DocEN          string // the same in English
	Where          string // SQL predicate on the events table; may use the zaken_minderjarig CTE
	Count          Count
	Locatie        Locatie
	Uitsplitsingen []string // breakdowns besides totaal, in the order of Uitsplitsingen
}

// Indicators are all figures the pipeline publishes, in publishing order.
// An event counts only when it has a gemeentecode at the indicator's
// Locatie: without one it happened or lives outside the region.
var Indicators = []Indicator{
	{
		Name:    "jeugdoverlast",
		Doc:     "Politie-incidenten gemeld als jeugdoverlast, naar pleegbuurt.",
		DocEN:   "Police incidents registered as youth nuisance, by buurt of occurrence.",
		Where:   "rol = 'incident' AND categorie = 'jeugdoverlast'",
		Count:   CountZaak,
		Locatie: Pleeg,
	},
	{
		Name:           "minderjarige_daders",
		Doc:            "Unieke personen van 12-17 jaar die verdachte zijn (politie, OM) of naar Halt verwezen, naar woonbuurt.",
		DocEN:          "Distinct persons aged 12-17 suspected by police or OM or referred to Halt, by buurt of residence.",
		Where:          "rol IN ('verdachte', 'verwijzing') AND leeftijd BETWEEN 12 AND 17",
		Count:          CountPersoon,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse", "categorie"},
	},
	{
		Name:           "feiten_minderjarigen",
		Doc:            "Unieke feiten met ten minste één verdachte van 12-17 jaar, naar pleegbuurt.",
		DocEN:          "Distinct offences with at least one suspect aged 12-17, by buurt of occurrence.",
		Where:          "rol = 'verdachte' AND zaak IN (SELECT zaak FROM zaken_minderjarig)",
		Count:          CountZaak,
		Locatie:        Pleeg,
		Uitsplitsingen: []string{"categorie"},
	},
	{
		Name:           "slachtoffers",
		Doc:            "Unieke slachtoffers van feiten met ten minste één verdachte van 12-17 jaar, naar woonbuurt.",
		DocEN:          "Distinct victims of offences with at least one suspect aged 12-17, by buurt of residence.",
		Where:          "rol = 'slachtoffer' AND zaak IN (SELECT zaak FROM zaken_minderjarig)",
		Count:          CountPersoon,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse"},
	},
	{
		Name:           "jeugdige_slachtoffers",
		Doc:            "Unieke slachtoffers jonger dan 18 jaar van enig geregistreerd feit, naar woonbuurt.",
		DocEN:          "Distinct victims younger than 18 of any registered offence, by buurt of residence.",
		Where:          "rol = 'slachtoffer' AND leeftijd < 18",
		Count:          CountPersoon,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse"},
	},
	{
		Name:           "halt_verwijzingen",
		Doc:            "Verwijzingen naar Halt, naar woonbuurt.",
		DocEN:          "Referrals to Halt, by buurt of residence.",
		Where:          "rol = 'verwijzing'",
		Count:          CountRecords,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse", "categorie"},
	},
	{
		Name:           "verzuimmeldingen",
		Doc:            "Meldingen van schoolverzuim bij leerplicht, naar woonbuurt.",
		DocEN:          "School absence reports to the attendance officer, by buurt of residence.",
		Where:          "rol = 'verzuim'",
		Count:          CountRecords,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse", "categorie"},
	},
	{
		Name:           "jgz_signalen",
		Doc:            "Risicosignalen van de jeugdgezondheidszorg, naar woonbuurt.",
		DocEN:          "Risk signals from youth health care, by buurt of residence.",
		Where:          "rol = 'signaal'",
		Count:          CountRecords,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse", "categorie"},
	},
}

// IndicatorByName returns the definition of name.
func IndicatorByName(name string) (Indicator, bool) {
	for _, ind := range Indicators {
		if ind.Name == name {
			return ind, true
		}
	}
	return Indicator{}, false
}

// prefix is the column prefix of the location in the events table.
func (l Locatie) prefix() string {
	if l == Pleeg {
		return "pleeg_"
	}
	return "woon_"
}
