package ingest

import (
	"errors"
	"fmt"
	"strings"
)

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
	KindAgeRange                      // age at the event date outside the source's plausible range (transform)
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
	KindAgeRange:      "age at the event date is outside the range this source serves",
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

// Quarantine receives rejected rows: where and why, never the values.
// Implementations must be safe for concurrent use.
type Quarantine interface{ Reject(*RowError) }

// Conditions that fail a whole file. Test them with errors.Is.
var (
	ErrMissingColumn = errors.New("required column missing")
	ErrEmptyFile     = errors.New("file is empty")
	ErrNoHeader      = errors.New("no header row matches the source")
	ErrUnknownFormat = errors.New("unknown file format")
	ErrUnreadable    = errors.New("file is unreadable")
	ErrAmbiguous     = errors.New("file matches more than one source")
	ErrNoSource      = errors.New("file matches no source")
)

// MissingColumnError fails a file whose header lacks required fields. It
// names the fields and, per field, the closest delivered header that matched
// nothing (empty when none is close). Headers are not personal data.
type MissingColumnError struct {
	File, Sheet string
	Fields      []string // canonical names of the missing fields
	Closest     []string // per field, the nearest unmatched header or ""
}

func (e *MissingColumnError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		b.WriteString("[" + e.Sheet + "]")
	}
	b.WriteString(": ")
	for i, f := range e.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f)
		if e.Closest[i] != "" {
			fmt.Fprintf(&b, " (closest header %q)", e.Closest[i])
		}
	}
	b.WriteString(": ")
	b.WriteString(ErrMissingColumn.Error())
	return b.String()
}

func (e *MissingColumnError) Unwrap() error { return ErrMissingColumn }
