package geocode

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// csv recognises a buurt list, a kerncijfer table or the postcode table by
// its header and reads it. The delimiter is sniffed from the header line.
func (l *loader) csv(br *bufio.Reader) (SourceFile, error) {
	if b, _ := br.Peek(3); bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	line, _ := br.Peek(4096)
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	cr := csv.NewReader(br)
	cr.Comma = sniffComma(line)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1 // rows are checked against the columns we use
	header, err := cr.Read()
	if err == io.EOF {
		return SourceFile{}, nil
	}
	if err != nil {
		return SourceFile{}, nil // not CSV: not ours
	}
	cols := headerColumns(header)
	if cols.pc6 >= 0 && cols.huisnummer >= 0 && cols.pcBuurt >= 0 {
		return l.postcodes(cr, cols)
	}
	if cols.buurtcode >= 0 || cols.regiocode >= 0 || cols.gemeentecode >= 0 && cols.gemeentenaam >= 0 {
		return l.names(cr, cols)
	}
	return SourceFile{}, nil
}

func sniffComma(line []byte) rune {
	best, n := ',', bytes.Count(line, []byte{','})
	for _, c := range []rune{';', '\t', '|'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

// columns holds header positions, -1 when absent.
type columns struct {
	pc6, huisnummer, pcBuurt                                  int
	buurtcode, buurtnaam, wijkcode, wijknaam                  int
	gemeentecode, gemeentenaam, regiocode, regionaam, maxUsed int
	pcYear, jaar                                              int
}

// headerColumns matches CBS column names case-insensitively, ignoring
// spaces, underscores and StatLine's numeric key suffix ("Codering_3").
func headerColumns(header []string) columns {
	c := columns{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, -1, -1}
	set := func(p *int, i int) {
		if *p < 0 {
			*p = i
			c.maxUsed = max(c.maxUsed, i)
		}
	}
	for i, h := range header {
		h = normalizeHeader(h)
		switch h {
		case "pc6", "postcode":
			set(&c.pc6, i)
		case "huisnummer", "huisnr":
			set(&c.huisnummer, i)
		case "buurtcode", "bucode":
			set(&c.buurtcode, i)
		case "buurtnaam", "bunaam":
			set(&c.buurtnaam, i)
		case "wijkcode", "wkcode":
			set(&c.wijkcode, i)
		case "wijknaam", "wknaam":
			set(&c.wijknaam, i)
		case "gemeentecode", "gmcode":
			set(&c.gemeentecode, i)
		case "gemeentenaam", "gmnaam":
			set(&c.gemeentenaam, i)
		case "regiocode", "statcode", "codering", "gwbcode":
			set(&c.regiocode, i)
		case "regionaam", "statnaam", "wijkenenbuurten", "gwbnaam", "naam":
			set(&c.regionaam, i)
		case "jaarindeling", "indelingsjaar":
			set(&c.jaar, i)
		}
		// Buurt2024 (any year) or plain Buurt: the postcode table's buurt.
		if rest, ok := strings.CutPrefix(h, "buurt"); ok && (rest == "" || len(rest) == 4 && isDigits(rest)) {
			year := 0
			if rest != "" {
				year, _ = strconv.Atoi(rest)
			}
			if c.pcBuurt < 0 || year > c.pcYear {
				c.pcBuurt, c.pcYear = i, year
				c.maxUsed = max(c.maxUsed, i)
			}
		}
	}
	return c
}

func normalizeHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
	if i := strings.LastIndexByte(h, '_'); i > 0 && isDigits(h[i+1:]) {
		h = h[:i]
	}
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(h)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func field(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// names reads a CSV of codes with names: the buurt list (buurtcode,
// buurtnaam, wijkcode, wijknaam, gemeentecode, gemeentenaam) or a CBS
// kerncijfer table (regiocode or codering with a name and gemeentenaam).
func (l *loader) names(cr *csv.Reader, c columns) (SourceFile, error) {
	sf := SourceFile{Kind: KindNamen}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sf, err // *csv.ParseError: line and column, no value
		}
		sf.Records++
		gm := field(rec, c.gemeentenaam)
		if n, ok := parseBuurtcode(field(rec, c.buurtcode)); ok && n != 0 {
			b := l.buurtAt(n)
			setIfEmpty(&b.Naam, fixEncoding(field(rec, c.buurtnaam)))
			l.jaar(n, parseJaar(field(rec, c.jaar)), jaarGezegd)
			l.wijkName(n/100, fixEncoding(field(rec, c.wijknaam)))
			l.gemeenteName(n/10000, fixEncoding(gm))
			continue
		}
		if n, ok := parseWijkcode(field(rec, c.wijkcode)); ok && n != 0 {
			l.wijkName(n, fixEncoding(field(rec, c.wijknaam)))
		}
		if n, ok := parseGemeentecode(field(rec, c.gemeentecode)); ok && n != 0 {
			l.gemeenteName(n, fixEncoding(gm))
		}
		code, naam := field(rec, c.regiocode), fixEncoding(field(rec, c.regionaam))
		if len(code) < 2 {
			continue
		}
		switch strings.ToUpper(code[:2]) {
		case "BU":
			if n, ok := parseBuurtcode(code); ok && n != 0 {
				setIfEmpty(&l.buurtAt(n).Naam, naam)
				l.wijkName(n/100, "")
				l.gemeenteName(n/10000, fixEncoding(gm))
			}
		case "WK":
			if n, ok := parseWijkcode(code); ok && n != 0 {
				l.wijkName(n, naam)
				l.gemeenteName(n/100, fixEncoding(gm))
			}
		case "GM":
			if n, ok := parseGemeentecode(code); ok && n != 0 {
				if naam == "" {
					naam = gm
				}
				l.gemeenteName(n, fixEncoding(naam))
			}
		default:
			l.regio(code, naam)
		}
	}
	return sf, nil
}

// postcodes streams the CBS postcode-huisnummer-buurt table into the packed
// table. Rows without a usable PC6, huisnummer or buurt code are counted in
// Skipped, never reported by value.
func (l *loader) postcodes(cr *csv.Reader, c columns) (SourceFile, error) {
	sf := SourceFile{Kind: KindPostcodetabel}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sf, err
		}
		sf.Records++
		if len(rec) <= c.maxUsed {
			sf.Skipped++
			continue
		}
		pc, ok1 := parsePC6(rec[c.pc6])
		hn, err := strconv.Atoi(strings.TrimSpace(rec[c.huisnummer]))
		bu, ok2 := parseBuurtcode(rec[c.pcBuurt])
		if !ok1 || err != nil || hn <= 0 || hn > huisnummerMax || !ok2 || bu == 0 {
			sf.Skipped++
			continue
		}
		id, ok := l.pcIDs[bu]
		if !ok {
			if len(l.pcCodes) == maxBuurten {
				return sf, fmt.Errorf("line %d: more than %d distinct buurten", sf.Records+1, maxBuurten)
			}
			id = uint16(len(l.pcCodes))
			l.pcIDs[bu] = id
			l.pcCodes = append(l.pcCodes, bu)
		}
		l.pc.addr = append(l.pc.addr, addrKey(pc, hn)<<buurtBits|uint64(id))
	}
	return sf, nil
}

// fixEncoding decodes Windows-1252 text, which older CBS exports use.
func fixEncoding(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
		return d
	}
	return s
}

func setIfEmpty(dst *string, s string) {
	if *dst == "" {
		*dst = s
	}
}
