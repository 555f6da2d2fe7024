// Package transform turns raw supplier rows into anonymous events: it
// pseudonymises person and case keys with a keyed HMAC, computes the age at
// the event date, classifies codes into a categorie, geocodes locations to
// CBS buurt, and drops every identifier. EventSchema is the only thing the
// aggregate stage receives.
package transform

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/ivz-twente/jeugd/schemas"
)

// Column names of EventSchema, declared once.
const (
	ColBron              = "bron"
	ColSoort             = "soort"
	ColDatum             = "datum" // event date (day)
	ColPleegGemeentecode = "pleeg_gemeentecode"
	ColPleegWijkcode     = "pleeg_wijkcode"
	ColPleegBuurtcode    = "pleeg_buurtcode"
	ColPleegGeocode      = "pleeg_geocode" // geocode.Method that resolved it
	ColWoonGemeentecode  = "woon_gemeentecode"
	ColWoonWijkcode      = "woon_wijkcode"
	ColWoonBuurtcode     = "woon_buurtcode"
	ColWoonGeocode       = "woon_geocode"
	ColPersoon           = "persoon" // pseudonym, null when no person key
	ColZaak              = "zaak"    // pseudonym of registratienummer/parketnummer
	ColLeeftijd          = "leeftijd"
	ColLeeftijdsklasse   = "leeftijdsklasse"
	ColGeslacht          = "geslacht"
	ColCategorie         = "categorie"
	ColRol               = "rol"
	ColDelictsoort       = "delictsoort" // misdrijf, overtreding or onbekend for offences; empty for other events
)

// Leeftijdsklassen in order; Onbekend when there is no birth date.
var Leeftijdsklassen = []string{"0-11", "12-14", "15-17", "18-22", "23+", Onbekend}

// Geslachten in order.
var Geslachten = []string{"m", "v", "x", Onbekend}

// Onbekend marks an unknown class.
const Onbekend = "onbekend"

// Rollen are the event roles, one per source kind.
var Rollen = []string{"incident", "verdachte", "slachtoffer", "verwijzing", "verzuim", "signaal"}

// Delictsoorten in order: the delictsoort of an offence (rol verdachte or
// verwijzing). Dutch criminal law knows two kinds of offence: misdrijven
// (book 2 of the Wetboek van Strafrecht, and what a special law names so)
// and overtredingen (book 3, and the rest of the special laws). CBS and
// WODC count suspects of misdrijven; Halt handles both (vernieling,
// winkeldiefstal are misdrijven; spijbelen, vuurwerk, openbare dronkenschap
// overtredingen). Onbekend when neither article nor rule decides. Events of
// other roles carry an empty delictsoort.
var Delictsoorten = []string{schemas.Misdrijf, schemas.Overtreding, Onbekend}

// delictRol reports whether events of rol are offences and so carry a
// delictsoort.
func delictRol(rol string) bool { return rol == "verdachte" || rol == "verwijzing" }

// EventSchema is the anonymous event. It has no field that can hold a name,
// BSN, address, postcode, house number, coordinate, exact birth date, case
// number, school or free text; a test asserts its field list. Location codes
// are empty strings when the source does not give that location; an event
// whose buurt is unknown but gemeente known carries UnknownBuurtcode.
var EventSchema = arrow.NewSchema([]arrow.Field{
	{Name: ColBron, Type: arrow.BinaryTypes.String},
	{Name: ColSoort, Type: arrow.BinaryTypes.String},
	{Name: ColDatum, Type: arrow.FixedWidthTypes.Date32},
	{Name: ColPleegGemeentecode, Type: arrow.BinaryTypes.String},
	{Name: ColPleegWijkcode, Type: arrow.BinaryTypes.String},
	{Name: ColPleegBuurtcode, Type: arrow.BinaryTypes.String},
	{Name: ColPleegGeocode, Type: arrow.BinaryTypes.String},
	{Name: ColWoonGemeentecode, Type: arrow.BinaryTypes.String},
	{Name: ColWoonWijkcode, Type: arrow.BinaryTypes.String},
	{Name: ColWoonBuurtcode, Type: arrow.BinaryTypes.String},
	{Name: ColWoonGeocode, Type: arrow.BinaryTypes.String},
	{Name: ColPersoon, Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: ColZaak, Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: ColLeeftijd, Type: arrow.PrimitiveTypes.Int16, Nullable: true},
	{Name: ColLeeftijdsklasse, Type: arrow.BinaryTypes.String},
	{Name: ColGeslacht, Type: arrow.BinaryTypes.String},
	{Name: ColCategorie, Type: arrow.BinaryTypes.String},
	{Name: ColRol, Type: arrow.BinaryTypes.String},
	{Name: ColDelictsoort, Type: arrow.BinaryTypes.String},
}, nil)
