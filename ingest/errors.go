package ingest

import (
	"errors"
	"fmt"
	"strings"
)

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
