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
	artikel            string // as the OM writes it
	victim             bool   // the offence has a person as victim
}

var feiten = []feit{
	{"300 Sr", "Mishandeling", "art. 300 lid 1 Sr", true},
	{"310 Sr", "Diefstal", "art. 310 Sr", true},
	{"311 Sr", "Diefstal met braak", "art. 311 lid 1 sub 5 Sr", true},
	{"312 Sr", "Straatroof", "art. 312 lid 1 Sr", true},
	{"350 Sr", "Vernieling", "art. 350 Sr", false},
	{"285 Sr", "Bedreiging", "art. 285 lid 1 Sr", true},
	{"141 Sr", "Openlijke geweldpleging", "art. 141 lid 1 Sr", true},
	{"Opiumwet 3", "Bezit softdrugs", "art. 3 Opiumwet", false},
	{"Opiumwet 2", "Handel harddrugs", "art. 2 Opiumwet", false},
	{"WVW 8", "Rijden onder invloed", "art. 8 WVW 1994", false},
	{"WVW 7", "Doorrijden na ongeval", "art. 7 WVW 1994", true},
	{"416 Sr", "Heling", "art. 416 Sr", false},
	{"424 Sr", "Baldadigheid", "art. 424 Sr", false},
	{"461 Sr", "Verboden toegang", "art. 461 Sr", false},
}

var feitWeights = []int{14, 16, 6, 4, 14, 8, 5, 8, 3, 5, 2, 4, 6, 5}

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
	haltDelicten = []string{"Winkeldiefstal", "Vernieling", "Vuurwerk", "Spijbelen", "Baldadigheid",
		"Openlijke geweldpleging", "Diefstal", "Graffiti", "Heling", "Belediging", "Brandstichting", "Schoolverzuim"}
	haltWeights = []int{22, 16, 12, 10, 9, 5, 8, 5, 3, 4, 2, 4}
	verwijzers  = []string{"Politie", "Boa", "Leerplicht", "OM", "Politie Oost-Nederland"}
	haltAfloop  = []string{"Positief afgerond", "Negatief afgerond", "Lopend", "Terug naar verwijzer"}
)

var (
	verzuimSpelling = [][4]string{
		{"absoluut", "relatief", "luxe", "signaal"},
		{"Absoluut verzuim", "Relatief verzuim", "Luxe verzuim", "Signaalverzuim"},
		{"ABS", "REL", "luxeverzuim", "zorgwekkend verzuim"},
	}
	verzuimWeights = []int{8, 60, 12, 20}
	afhandelingen  = []string{"Gesprek met ouders", "Waarschuwing", "Proces-verbaal", "Doorverwezen naar Halt",
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
