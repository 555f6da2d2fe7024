// Package geocode resolves locations to CBS buurt, wijk and gemeente using
// the official CBS reference files (buurt polygons as GeoJSON, the
// postcode-huisnummer-buurt table as CSV).
package geocode

// Method says how a location was resolved. It is recorded on every event.
type Method string

const (
	MethodNone               Method = ""                    // the source gives no such location
	MethodBuurtcode          Method = "buurtcode"           // explicit CBS buurt code
	MethodPostcodeHuisnummer Method = "postcode_huisnummer" // CBS postcode-huisnummer table
	MethodCoordinaten        Method = "coordinaten"         // RD or WGS84 point in polygon
	MethodPostcode           Method = "postcode"            // PC6 alone, the buurt holding most of its addresses
	MethodGemeente           Method = "gemeente"            // gemeente only; buurt unknown
	MethodOnbekend           Method = "onbekend"            // given but not resolvable
)

// Methods in order of preference.
var Methods = []Method{MethodBuurtcode, MethodPostcodeHuisnummer, MethodCoordinaten, MethodPostcode, MethodGemeente, MethodOnbekend}

// InBuurt reports whether m places a location in a CBS buurt, not merely
// in a gemeente or nowhere: the match rate counts these.
func (m Method) InBuurt() bool {
	switch m {
	case MethodBuurtcode, MethodPostcodeHuisnummer, MethodCoordinaten, MethodPostcode:
		return true
	}
	return false
}

// UnknownBuurtcode is the buurt code under which events of gemeente gm
// ("GM0147") whose buurt is unknown are counted: "BU0147XXXX". It cannot
// collide with a CBS code, which has digits only.
func UnknownBuurtcode(gm string) string { return "BU" + gm[2:] + "XXXX" }

// UnknownWijkcode is the wijk of UnknownBuurtcode: "WK0147XX".
func UnknownWijkcode(gm string) string { return "WK" + gm[2:] + "XX" }

// Location is what a row tells about one place. Zero values mean absent.
type Location struct {
	Buurtcode  string  // as delivered; BU prefix optional
	Postcode   string  // normalised 1234AB
	Huisnummer int64   // 0 when absent
	X, Y       float64 // RD New metres; HasRD says whether set
	HasRD      bool
	Lat, Lon   float64 // WGS84 degrees; HasWGS84 says whether set
	HasWGS84   bool
	Gemeente   string // name or GM code
}

// Empty reports whether the location gives nothing to resolve.
func (l *Location) Empty() bool {
	return l.Buurtcode == "" && l.Postcode == "" && !l.HasRD && !l.HasWGS84 && l.Gemeente == ""
}

// Result is a resolved location. For MethodGemeente the buurt and wijk are
// the UnknownBuurtcode/UnknownWijkcode of the gemeente; for MethodOnbekend
// and MethodNone all codes are empty.
type Result struct {
	Gemeentecode, Wijkcode, Buurtcode string
	Method                            Method
}
