// Package quarantine describes rejected rows for every stage: where a row
// sits in the file the supplier delivered and why it was rejected, never
// its values. Ingest and transform report to a Rejecter; a run or a check
// collects into one Sink, and publish writes the Sink's rows as
// kwaliteit/quarantaine.csv.
package quarantine

import "fmt"

// Kind says why a row was rejected; reports group by it. String gives the
// reason. A Kind never carries the cell value.
type Kind uint8

const (
	KindMissing       Kind = iota + 1 // required field empty
	KindBadDate                       // not dd-mm-jjjj, d-m-jjjj, jjjj-mm-dd, dd/mm/jjjj or an Excel serial
	KindBadNumber                     // not a whole or decimal number
	KindBadPostcode                   // not a Dutch PC6 (1234AB)
	KindBadHuisnummer                 // no house number digits
	KindUnknownCode                   // not in the field's code list
	KindFieldCount                    // the row has more cells than the header
	KindBadEncoding                   // bytes that are not text in any supported encoding
	KindBirthAfter                    // geboortedatum after the event date (transform)
	KindTooOld                        // age above 120 at the event date (transform)
	KindNoLocation                    // no location resolves, not even to a gemeente (transform)
	KindFutureDate                    // event date after the run date (transform)
)

var kindText = map[Kind]string{
	KindMissing:       "required value is empty",
	KindBadDate:       "is not a date (dd-mm-jjjj, jjjj-mm-dd, dd/mm/jjjj or Excel date)",
	KindBadNumber:     "is not a number",
	KindBadPostcode:   "is not a postcode (1234AB)",
	KindBadHuisnummer: "is not a house number",
	KindUnknownCode:   "is not in the code list",
	KindFieldCount:    "row has more cells than the header",
	KindBadEncoding:   "is not readable text",
	KindBirthAfter:    "geboortedatum is after the event date",
	KindTooOld:        "age at the event date is above 120",
	KindNoLocation:    "no location resolves to a buurt or gemeente",
	KindFutureDate:    "event date is in the future",
}

func (k Kind) String() string {
	if s, ok := kindText[k]; ok {
		return s
	}
	return fmt.Sprintf("kind %d", uint8(k))
}

// RowError reports one quarantined row. It never holds the cell value.
type RowError struct {
	File   string // path as given, relative to the inbox where there is one
	Sheet  string // empty for CSV
	Row    int    // 1-based, as Excel or a text editor shows it
	Column string // header as delivered; empty when the reason is the whole row
	Kind   Kind
}

func (e *RowError) Error() string {
	at := e.File
	if e.Sheet != "" {
		at += "[" + e.Sheet + "]"
	}
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %v", at, e.Row, e.Kind)
	}
	return fmt.Sprintf("%s:%d: column %q: %v", at, e.Row, e.Column, e.Kind)
}

// Rejecter receives rejected rows: where and why, never the values.
// Implementations must be safe for concurrent use; *Sink is the one in use.
type Rejecter interface{ Reject(*RowError) }
