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
	// Bronnen are the sources (bron-soort) the indicator's figures come
	// from: a month is covered only when every one of them covers it.
	Bronnen []string
}

// minderjarigeVerdachte is a police or OM suspect of a misdrijf in the
// criminal age range of daders, 12-17 at the event date (design §5). CBS
// and WODC count suspects of misdrijven; an offence the classification
// knows to be an overtreding (book 3 Sr, such as 461 verboden toegang) is
// left out. An unknown delictsoort counts: the police and OM register
// suspects of misdrijven (an overtreding is settled with a fine, not a
// suspect registration), so an unrecognised code is most likely one.
const minderjarigeVerdachte = "rol = 'verdachte' AND delictsoort <> 'overtreding' AND leeftijd BETWEEN 12 AND 17"

// minderjarigeHaltMisdrijf is a Halt referral for a misdrijf at 12-17.
// Halt handles both kinds (vernieling, winkeldiefstal; spijbelen, vuurwerk,
// openbare dronkenschap), so only a known misdrijf counts as a dader: a
// truant is not a suspect of a crime, and CBS figures on suspects of
// misdrijven stay comparable. Halt overtredingen count in halt_verwijzingen.
const minderjarigeHaltMisdrijf = "rol = 'verwijzing' AND delictsoort = 'misdrijf' AND leeftijd BETWEEN 12 AND 17"

// zakenMinderjarigCTE lists the cases with at least one minor suspect; the
// predicates of Indicators may refer to it.
const zakenMinderjarigCTE = "zaken_minderjarig AS (SELECT DISTINCT zaak FROM events WHERE zaak IS NOT NULL AND " + minderjarigeVerdachte + ")"

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
		Bronnen: []string{"politie-incidenten"},
	},
	{
		Name:           "minderjarige_daders",
		Doc:            "Unieke personen van 12-17 jaar die verdachte zijn van een misdrijf (politie, OM) of voor een misdrijf naar Halt verwezen, naar woonbuurt.",
		DocEN:          "Distinct persons aged 12-17 suspected of a misdrijf (crime) by police or OM or referred to Halt for one, by buurt of residence.",
		Where:          "(" + minderjarigeVerdachte + ") OR (" + minderjarigeHaltMisdrijf + ")",
		Count:          CountPersoon,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse", "categorie"},
		Bronnen:        []string{"politie-verdachten", "om-zaken", "halt-verwijzingen"},
	},
	{
		Name:           "feiten_minderjarigen",
		Doc:            "Unieke misdrijven met ten minste één verdachte van 12-17 jaar, naar pleegbuurt.",
		DocEN:          "Distinct crimes (misdrijven) with at least one suspect aged 12-17, by buurt of occurrence.",
		Where:          "rol = 'verdachte' AND zaak IN (SELECT zaak FROM zaken_minderjarig)",
		Count:          CountZaak,
		Locatie:        Pleeg,
		Uitsplitsingen: []string{"categorie"},
		Bronnen:        []string{"politie-verdachten", "om-zaken"},
	},
	{
		Name:           "slachtoffers",
		Doc:            "Unieke slachtoffers van misdrijven met ten minste één verdachte van 12-17 jaar, naar woonbuurt.",
		DocEN:          "Distinct victims of crimes (misdrijven) with at least one suspect aged 12-17, by buurt of residence.",
		Where:          "rol = 'slachtoffer' AND zaak IN (SELECT zaak FROM zaken_minderjarig)",
		Count:          CountPersoon,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse"},
		Bronnen:        []string{"politie-slachtoffers", "politie-verdachten"},
	},
	{
		Name:           "jeugdige_slachtoffers",
		Doc:            "Unieke slachtoffers jonger dan 18 jaar van enig geregistreerd feit, naar woonbuurt.",
		DocEN:          "Distinct victims younger than 18 of any registered offence, by buurt of residence.",
		Where:          "rol = 'slachtoffer' AND leeftijd < 18",
		Count:          CountPersoon,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse"},
		Bronnen:        []string{"politie-slachtoffers"},
	},
	{
		Name:           "halt_verwijzingen",
		Doc:            "Verwijzingen naar Halt voor misdrijven en overtredingen, naar woonbuurt.",
		DocEN:          "Referrals to Halt for crimes and misdemeanours, by buurt of residence.",
		Where:          "rol = 'verwijzing'",
		Count:          CountRecords,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse", "categorie", "delictsoort"},
		Bronnen:        []string{"halt-verwijzingen"},
	},
	{
		Name:           "verzuimmeldingen",
		Doc:            "Meldingen van schoolverzuim bij leerplicht, naar woonbuurt.",
		DocEN:          "School absence reports to the attendance officer, by buurt of residence.",
		Where:          "rol = 'verzuim'",
		Count:          CountRecords,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse", "categorie"},
		Bronnen:        []string{"leerplicht-verzuim"},
	},
	{
		Name:           "jgz_signalen",
		Doc:            "Risicosignalen van de jeugdgezondheidszorg, naar woonbuurt.",
		DocEN:          "Risk signals from youth health care, by buurt of residence.",
		Where:          "rol = 'signaal'",
		Count:          CountRecords,
		Locatie:        Woon,
		Uitsplitsingen: []string{"geslacht", "leeftijdsklasse", "categorie"},
		Bronnen:        []string{"jgz-signalen"},
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
