package publish

// Neutralise defuses CSV and formula injection (OWASP): a text that a
// spreadsheet would read as a formula, because it starts with = + - @, a tab
// or a carriage return, gets a leading single quote. Everything else is
// returned as is, without allocating. Apply it to every text cell written to
// CSV or XLSX.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
