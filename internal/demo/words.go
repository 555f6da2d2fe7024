package demo

import ()

var (
	voornamenM = []string{"Daan", "Sem", "Lucas", "Milan", "Levi", "Luuk", "Bram", "Finn", "Noah", "Jesse",
		"Thijs", "Stijn", "Ruben", "Mohamed", "Ömer", "José", "André", "Joël", "Tygo", "Gijs"}
	voornamenV = []string{"Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Chloë", "Noëlle", "Anaïs", "Fenna",
		"Sara", "Lotte", "Eva", "Yasmina", "Renée", "Inès", "Nora", "Fleur", "Liv", "Isa"}
	voornamenX  = []string{"Robin", "Sam", "Kim", "Alex", "Noa", "Charlie"}
	achternamen = []string{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit",
		"Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer",
		"Nijhuis", "Oude Nijhuis", "Kleinsman", "Wolters", "ter Horst", "Lammerink", "Pothof", "Bruggink",
		"Haverkamp", "Schuurman", "Ten Dam", "Özdemir", "Müller", "Sánchez", "Çelik", "Öztürk", "Gonçalves",
		"Lefèvre", "Kraaijenbrink", "Roelofs", "Hofstede", "Olde Hengel"}
	toevoegingen = []string{"A", "B", "C", "-1", "-2", "bis", "a"}
	straten      = []string{"Dorpsstraat", "Kerkstraat", "Molenstraat", "Stationsstraat", "Schoolstraat",
		"Marktstraat", "Grotestraat", "Oldenzaalsestraat", "Enschedesestraat", "Deldenerstraat",
		"Hengelosestraat", "Parallelweg", "Kanaalweg", "Tuinstraat", "Beatrixstraat", "Julianastraat",
		"Wilhelminastraat", "Prins Bernhardstraat", "Nieuwstraat", "Haaksbergerstraat", "Essenlaan",
		"Eschweg", "Veldkampweg", "De Höfte", "Boekelosestraat"}
	scholen = []string{"OBS De Regenboog", "CBS Het Kompas", "De Zonnebloem", "Het Anker", "KBS De Wegwijzer",
		"College Noordoost", "Twentse Scholengemeenschap", "Lyceum aan de Es", "Vakcollege Twente",
		"ROC Oost", "Praktijkschool De Brug", "Montessorischool Het Palet", "OBS Het Veldhuis",
		"Christelijk College Zuid", "Openbare Scholengemeenschap Oost"}
)

type feit struct {
	code, omschrijving string
	artikel            string  // as the OM writes it
	victim             bool    // the offence has a victim
	org                float64 // the chance that a victim is an organisation (a shop, school, gemeente)
}

// feiten are the offences of police cases. Winkeldiefstal and vernieling
// mostly have an organisation as victim; WWM, cyber and zeden are there so
// that every categorie of the one list occurs, zeden rarely.
var feiten = []feit{
	{"300 Sr", "Mishandeling", "art. 300 lid 1 Sr", true, 0},
	{"310 Sr", "Diefstal", "art. 310 Sr", true, 0.2},
	{"310 Sr", "Winkeldiefstal", "art. 310 Sr", true, 1},
	{"311 Sr", "Diefstal met braak", "art. 311 lid 1 sub 5 Sr", true, 0.25},
	{"312 Sr", "Straatroof", "art. 312 lid 1 Sr", true, 0},
	{"350 Sr", "Vernieling", "art. 350 Sr", true, 0.7},
	{"285 Sr", "Bedreiging", "art. 285 lid 1 Sr", true, 0},
	{"141 Sr", "Openlijke geweldpleging", "art. 141 lid 1 Sr", true, 0},
	{"Opiumwet 3", "Bezit softdrugs", "art. 3 Opiumwet", false, 0},
	{"Opiumwet 2", "Handel harddrugs", "art. 2 Opiumwet", false, 0},
	{"WVW 8", "Rijden onder invloed", "art. 8 WVW 1994", false, 0},
	{"WVW 7", "Doorrijden na ongeval", "art. 7 WVW 1994", true, 0},
	{"416 Sr", "Heling", "art. 416 Sr", false, 0},
	{"424 Sr", "Baldadigheid", "art. 424 Sr", false, 0},
	{"461 Sr", "Verboden toegang", "art. 461 Sr", false, 0},
	{"art. 26 WWM", "Bezit verboden wapen (mes)", "art. 26 WWM", false, 0},
	{"138ab Sr", "Computervredebreuk", "art. 138ab Sr", true, 0.3},
	{"326 Sr", "Oplichting via phishing", "art. 326 Sr", true, 0},
	{"246 Sr", "Aanranding", "art. 246 Sr", true, 0},
}

var feitWeights = []int{14, 10, 10, 6, 4, 14, 8, 5, 8, 3, 5, 2, 4, 6, 5, 3, 1, 2, 1}

// organisaties are victims that are not persons; the gemeente itself is
// one too.
var organisaties = []string{"Supermarkt De Hoek B.V.", "Bouwbedrijf Oost", "Sporthal De Bult", "Stichting Jongerenwerk",
	"Kringloopwinkel Twente", "Woningcorporatie Oost", "Basisschool De Esch", "Sportvereniging Rood-Wit", "Tankstation A1"}

// soortSpelling spells soort_slachtoffer (person, organisation) the way
// BVH exports do; soortJaNee is a column "Rechtspersoon" with ja or nee.
var soortSpelling = [][2]string{
	{"Natuurlijk persoon", "Rechtspersoon"},
	{"NP", "RP"},
	{"Persoon", "Bedrijf"},
	{"nee", "ja"},
}

const soortJaNee = 3

var afdoeningen = []string{"Transactie", "Strafbeschikking", "Dagvaarding", "Voorwaardelijk sepot",
	"Onvoorwaardelijk sepot", "Taakstraf", "Verwezen naar Halt", "Voeging ad informandum"}

type incidentKlasse struct {
	code         string
	omschrijving []string
}

var incidentKlassen = []incidentKlasse{
	{"E35", []string{"Melding overlast jeugd", "Overlast jeugd", "Jeugdoverlast", "Overlast door jeugd"}},
	{"E33", []string{"Overlast verward/overspannen persoon", "Verward/overspannen persoon"}},
	{"E37", []string{"Geluidsoverlast"}},
	{"E30", []string{"Burengerucht (relatieproblemen)"}},
	{"E34", []string{"Overlast i.v.m. alcohol/drugs"}},
	{"E38", []string{"Overlast zwervers"}},
	{"F10", []string{"Diefstal/inbraak woning"}},
	{"F32", []string{"Diefstal van brom-, snor-, fietsen"}},
	{"F41", []string{"Winkeldiefstal"}},
	{"F50", []string{"Mishandeling"}},
	{"F53", []string{"Bedreiging"}},
	{"F71", []string{"Vernieling cq. zaakbeschadiging"}},
	{"F72", []string{"Baldadigheid", "Vuurwerkoverlast"}},
	{"A20", []string{"Verkeersongeval met letsel"}},
}

var incidentWeights = []int{22, 8, 10, 6, 5, 2, 6, 8, 6, 5, 4, 10, 4, 4}

var (
	// haltDelicten are Halt offences as referrers write them: misdrijven
	// (winkeldiefstal, vernieling) and overtredingen (spijbelen, vuurwerk
	// afsteken, openbare dronkenschap, 461 and 424 Sr), an unknown code and
	// a free text no rule knows.
	haltDelicten = []string{"Winkeldiefstal", "Vernieling", "Vuurwerk afsteken", "Vuurwerk", "Spijbelen", "Baldadigheid",
		"424 Sr", "Openlijke geweldpleging", "Diefstal", "Graffiti", "Heling", "Belediging", "Brandstichting", "Schoolverzuim",
		"Openbare dronkenschap", "461 Sr", "H17", "Zie dossier"}
	haltWeights = []int{20, 14, 8, 4, 8, 5, 3, 4, 7, 4, 2, 3, 2, 3, 3, 3, 1, 1}
	haltUnknown = map[string]bool{"H17": true, "Zie dossier": true}
	verwijzers  = []string{"Politie", "Boa", "Leerplicht", "OM", "Politie Oost-Nederland"}
	haltAfloop  = []string{"Positief afgerond", "Negatief afgerond", "Lopend", "Terug naar verwijzer"}
)

// verzuimSoort is a kind of school absence, spelled three ways: plain, as
// DUO's verzuimregister names it, and as a leerplicht system abbreviates
// it. rmc kinds are for 18-22 year olds, the others for 5-17.
type verzuimSoort struct {
	spelling [3]string
	weight   int
	rmc      bool
	unknown  bool // no rule of lijst verzuim knows it: it counts as overig and in the unknown codes
}

var verzuimSoorten = []verzuimSoort{
	{spelling: [3]string{"16 uur in 4 weken", "16 uur in 4 weken", "REL"}, weight: 22},
	{spelling: [3]string{"relatief", "Relatief verzuim", "RV"}, weight: 12},
	{spelling: [3]string{"absoluut", "Absoluut verzuim", "ABS"}, weight: 6},
	{spelling: [3]string{"luxe", "Luxe verzuim", "luxeverzuim"}, weight: 10},
	{spelling: [3]string{"signaal", "Signaalverzuim", "signaal"}, weight: 6},
	{spelling: [3]string{"te laat komen", "Te laat komen", "te laat"}, weight: 6},
	{spelling: [3]string{"langdurig relatief verzuim", "Langdurig relatief verzuim", "LRV"}, weight: 5},
	{spelling: [3]string{"thuiszitter", "Thuiszitter", "thuiszitter"}, weight: 2},
	{spelling: [3]string{"overig verzuim", "Overig verzuim", "overig"}, weight: 4},
	{spelling: [3]string{"zorgwekkend ziekteverzuim", "Zorgwekkend ziekteverzuim", "MAZL"}, weight: 4},
	{spelling: [3]string{"RMC", "RMC-melding", "RMC"}, weight: 8, rmc: true},
	{spelling: [3]string{"V17", "V17", "V17"}, weight: 1, unknown: true},
	{spelling: [3]string{"vrijstelling", "Vrijstelling aangevraagd", "schoolziek"}, weight: 1, unknown: true},
}

var verzuimWeights = func() []int {
	w := make([]int, len(verzuimSoorten))
	for i, v := range verzuimSoorten {
		w[i] = v.weight
	}
	return w
}()

var maandNamen = [12]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
	"september", "oktober", "november", "december"}

var (
	afhandelingen = []string{"Gesprek met ouders", "Waarschuwing", "Proces-verbaal", "Doorverwezen naar Halt",
		"Zorgmelding", "Geen actie nodig", "Verzuim gestopt"}
	signaaltypen = []string{"Opvoedingsproblemen", "Psychosociale problemen", "Vermoeden verwaarlozing",
		"Huiselijk geweld", "Overgewicht", "Ontwikkelingsachterstand", "Schoolverzuim", "Middelengebruik"}
	// geslachtSpelling per supplier: m, v, x, unknown.
	geslachtSpelling = [][4]string{
		{"M", "V", "X", "O"},
		{"man", "vrouw", "anders", "onbekend"},
		{"1", "2", "3", "0"},
		{"m", "v", "x", ""},
	}
)
