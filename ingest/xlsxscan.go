package ingest

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// The worksheet and shared strings are read with a small pull tokenizer
// instead of encoding/xml, which allocates for every token and attribute
// and made XLSX reading ten times slower than CSV. It understands what
// SpreadsheetML parts contain (tags with optional prefixes, attributes,
// entities, character references, CDATA, comments and processing
// instructions) and checks well-formedness only as far as reading cells
// needs. Errors never quote the document: it holds personal data.

// Limits on what one part may make us hold.
const (
	xlsxMaxCols     = 16384   // columns A..XFD
	xlsxMaxRows     = 1048576 // rows in a worksheet
	xlsxMaxRowBytes = 4 << 20 // decoded text of one row or one shared string
	xlsxMaxTagBytes = 64 << 10
	xlsxScanBuf     = 64 << 10
)

var (
	errXMLSyntax   = errors.New("malformed XML")
	errXMLEOF      = errors.New("XML ends early")
	errXMLEntity   = errors.New("bad XML entity")
	errXMLDocType  = errors.New("XML with a document type declaration")
	errTagTooLong  = errors.New("XML tag longer than 64 KiB")
	errTextTooLong = errors.New("cell text longer than 4 MiB")
	errBadUTF8     = errors.New("text is not UTF-8")
	errCellRef     = errors.New("bad cell reference")
	errRowRef      = errors.New("bad row number")
	errTooManyCols = errors.New("more than 16384 columns")
	errSharedIndex = errors.New("bad shared string index")
)

type tokKind uint8

const (
	tokStart tokKind = iota + 1 // <name ...>
	tokEmpty                    // <name .../>
	tokEnd                      // </name>
)

// xmlScanner yields tags from r. name and attrs alias the buffer and are
// valid until the next call.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	err      error // from r; io.EOF once it is drained
	limit    int   // text and cdata fail when dst grows past this length

	name  []byte // local name of the last tag, without prefix
	attrs []byte // the last start tag's attributes, raw
	attr  []byte // scratch for attribute values holding entities
}

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, xlsxScanBuf), limit: xlsxMaxRowBytes}
}

// more reads from r, keeping unread bytes (moved to the start of buf) and
// growing buf when it is full. It reports whether bytes were added.
// Offsets relative to pos stay valid.
func (x *xmlScanner) more() bool {
	if x.err != nil {
		return false
	}
	if x.pos > 0 {
		x.end = copy(x.buf, x.buf[x.pos:x.end])
		x.pos = 0
	}
	if x.end == len(x.buf) {
		x.buf = append(x.buf, make([]byte, len(x.buf))...)
	}
	for range 100 {
		n, err := x.r.Read(x.buf[x.end:])
		x.end += n
		if err != nil {
			x.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	x.err = io.ErrNoProgress
	return false
}

// ensure makes n bytes available from pos when the input has them.
func (x *xmlScanner) ensure(n int) bool {
	for x.end-x.pos < n {
		if !x.more() {
			return false
		}
	}
	return true
}

// early is the error for input that stops inside a construct.
func (x *xmlScanner) early() error {
	if x.err != nil && !errors.Is(x.err, io.EOF) {
		return x.err
	}
	return errXMLEOF
}

func (x *xmlScanner) is(name string) bool { return string(x.name) == name }

// next reads up to and including the next tag, skipping character data,
// comments and processing instructions. It returns io.EOF at a clean end.
func (x *xmlScanner) next() (tokKind, error) {
	for {
		i := 0 // tags mostly follow one another
		if x.pos == x.end || x.buf[x.pos] != '<' {
			i = bytes.IndexByte(x.buf[x.pos:x.end], '<')
		}
		if i < 0 {
			x.pos = x.end
			if !x.more() {
				if x.err != nil && !errors.Is(x.err, io.EOF) {
					return 0, x.err
				}
				return 0, io.EOF
			}
			continue
		}
		x.pos += i
		k, err := x.tag()
		if err != nil || k != 0 {
			return k, err
		}
	}
}

// tag reads the construct at pos, which is '<'. It returns 0 for those
// that are not tags.
func (x *xmlScanner) tag() (tokKind, error) {
	if x.end-x.pos < 2 && !x.ensure(2) {
		return 0, x.early()
	}
	switch x.buf[x.pos+1] {
	case '?':
		return 0, x.skipPast("?>")
	case '!':
		x.ensure(9)
		rest := x.buf[x.pos:x.end]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			return 0, x.skipPast("-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			return 0, x.skipPast("]]>")
		}
		return 0, errXMLDocType
	}
	gt, err := x.tagEnd()
	if err != nil {
		return 0, err
	}
	t := x.buf[x.pos+1 : x.pos+gt]
	x.pos += gt + 1
	kind := tokStart
	switch {
	case t[0] == '/':
		kind = tokEnd
		t = t[1:]
	case t[len(t)-1] == '/':
		kind = tokEmpty
		t = t[:len(t)-1]
	}
	n, local := 0, 0
	for n < len(t) && !xmlSpace(t[n]) {
		if t[n] == ':' {
			local = n + 1 // past the prefix
		}
		n++
	}
	if n == 0 {
		return 0, errXMLSyntax
	}
	x.name, x.attrs = t[local:n], t[n:]
	return kind, nil
}

// tagEnd returns the offset from pos of the '>' closing the tag at pos,
// outside quoted attribute values.
func (x *xmlScanner) tagEnd() (int, error) {
	var quote byte
	i := 1
	for {
		for ; x.pos+i < x.end; i++ {
			c := x.buf[x.pos+i]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			switch c {
			case '"', '\'':
				quote = c
			case '>':
				if i == 1 {
					return 0, errXMLSyntax
				}
				if i > xlsxMaxTagBytes {
					return 0, errTagTooLong
				}
				return i, nil
			}
		}
		if i > xlsxMaxTagBytes {
			return 0, errTagTooLong
		}
		if !x.more() {
			return 0, x.early()
		}
	}
}

// skipPast discards input up to and including end.
func (x *xmlScanner) skipPast(end string) error {
	x.pos += 2 // past "<?" or "<!", so that "<?>" is not taken as closed
	for {
		if i := bytes.Index(x.buf[x.pos:x.end], []byte(end)); i >= 0 {
			x.pos += i + len(end)
			return nil
		}
		if keep := len(end) - 1; x.end-x.pos > keep {
			x.pos = x.end - keep
		}
		if !x.more() {
			return x.early()
		}
	}
}

// skip discards the content of the element whose start tag was just read,
// through its end tag.
func (x *xmlScanner) skip() error {
	for depth := 1; depth > 0; {
		k, err := x.next()
		if err != nil {
			return eofIsEarly(err)
		}
		switch k {
		case tokStart:
			depth++
		case tokEnd:
			depth--
		}
	}
	return nil
}

func eofIsEarly(err error) error {
	if errors.Is(err, io.EOF) {
		return errXMLEOF
	}
	return err
}

// text appends character data up to the next tag to dst, decoded, with
// CDATA sections included and comments dropped. It leaves pos at the tag.
func (x *xmlScanner) text(dst []byte) ([]byte, error) {
	for {
		for x.pos < x.end {
			// Copy the run of plain bytes at once.
			seg := x.buf[x.pos:x.end]
			n := 0
			for n < len(seg) && seg[n] != '<' && seg[n] != '&' && seg[n] != '\r' {
				n++
			}
			dst = append(dst, seg[:n]...)
			x.pos += n
			if len(dst) > x.limit {
				return dst, errTextTooLong
			}
			if x.pos == x.end {
				break
			}
			c := x.buf[x.pos]
			switch c {
			case '<':
				x.ensure(9)
				rest := x.buf[x.pos:x.end]
				switch {
				case bytes.HasPrefix(rest, []byte("<![CDATA[")):
					var err error
					if dst, err = x.cdata(dst); err != nil {
						return dst, err
					}
				case bytes.HasPrefix(rest, []byte("<!--")):
					if err := x.skipPast("-->"); err != nil {
						return dst, err
					}
				default:
					return dst, nil
				}
				continue
			case '&':
				var err error
				if dst, err = x.entity(dst); err != nil {
					return dst, err
				}
				continue
			case '\r':
				// XML turns CR LF and a lone CR into LF.
				if x.ensure(2) && x.buf[x.pos+1] == '\n' {
					x.pos++
				}
				c = '\n'
			}
			dst = append(dst, c)
			x.pos++
			if len(dst) > x.limit {
				return dst, errTextTooLong
			}
		}
		if !x.more() {
			return dst, x.early()
		}
	}
}

// cdata appends the CDATA section at pos.
func (x *xmlScanner) cdata(dst []byte) ([]byte, error) {
	x.pos += len("<![CDATA[")
	for {
		seg := x.buf[x.pos:x.end]
		if i := bytes.Index(seg, []byte("]]>")); i >= 0 {
			dst = appendNewlines(dst, seg[:i])
			x.pos += i + 3
			return dst, nil
		}
		// Keep what could start "]]>", and a CR that may precede an LF.
		n := max(len(seg)-2, 0)
		if n > 0 && seg[n-1] == '\r' {
			n--
		}
		dst = appendNewlines(dst, seg[:n])
		x.pos += n
		if len(dst) > x.limit {
			return dst, errTextTooLong
		}
		if !x.more() {
			return dst, x.early()
		}
	}
}

// appendNewlines appends s with CR LF and lone CR turned into LF; s does
// not end in a CR unless the CR is the last byte of its section.
func appendNewlines(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\r' {
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			c = '\n'
		}
		dst = append(dst, c)
	}
	return dst
}

// entity appends the entity or character reference at pos.
func (x *xmlScanner) entity(dst []byte) ([]byte, error) {
	const longest = len("&#x0010FFFF;")
	x.ensure(longest)
	seg := x.buf[x.pos:min(x.end, x.pos+longest)]
	semi := bytes.IndexByte(seg, ';')
	if semi < 0 {
		return dst, errXMLEntity
	}
	dst, ok := appendEntity(dst, seg[1:semi])
	if !ok {
		return dst, errXMLEntity
	}
	x.pos += semi + 1
	return dst, nil
}

// appendEntity appends the text of &name; to dst.
func appendEntity(dst, name []byte) ([]byte, bool) {
	switch string(name) {
	case "lt":
		return append(dst, '<'), true
	case "gt":
		return append(dst, '>'), true
	case "amp":
		return append(dst, '&'), true
	case "apos":
		return append(dst, '\''), true
	case "quot":
		return append(dst, '"'), true
	}
	if len(name) < 2 || name[0] != '#' {
		return dst, false
	}
	var n uint64
	var err error
	if name[1] == 'x' {
		n, err = strconv.ParseUint(string(name[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(name[1:]), 10, 32)
	}
	r := rune(n)
	if err != nil || n > utf8.MaxRune || !xmlChar(r) {
		return dst, false
	}
	return utf8.AppendRune(dst, r), true
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func xmlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// nextAttr splits the first attribute off a, raw. ok is false at the end
// of a or where it is malformed.
func nextAttr(a []byte) (key, val, rest []byte, ok bool) {
	i := 0
	for i < len(a) && xmlSpace(a[i]) {
		i++
	}
	k := i
	for i < len(a) && a[i] != '=' && !xmlSpace(a[i]) {
		i++
	}
	key = a[k:i]
	for i < len(a) && xmlSpace(a[i]) {
		i++
	}
	if i == len(a) || a[i] != '=' {
		return nil, nil, nil, false
	}
	i++
	for i < len(a) && xmlSpace(a[i]) {
		i++
	}
	if i == len(a) || a[i] != '"' && a[i] != '\'' {
		return nil, nil, nil, false
	}
	q := a[i]
	i++
	v := i
	for i < len(a) && a[i] != q {
		i++
	}
	if i == len(a) {
		return nil, nil, nil, false
	}
	return key, a[v:i], a[i+1:], true
}

// attrValue decodes an attribute value; the result may alias val or the
// scanner's scratch buffer.
func (x *xmlScanner) attrValue(val []byte) ([]byte, bool) {
	if bytes.IndexByte(val, '&') < 0 {
		return val, true
	}
	x.attr = x.attr[:0]
	for len(val) > 0 {
		amp := bytes.IndexByte(val, '&')
		if amp < 0 {
			x.attr = append(x.attr, val...)
			break
		}
		x.attr = append(x.attr, val[:amp]...)
		semi := bytes.IndexByte(val[amp:], ';')
		if semi < 0 {
			return nil, false
		}
		var ok bool
		if x.attr, ok = appendEntity(x.attr, val[amp+1:amp+semi]); !ok {
			return nil, false
		}
		val = val[amp+semi+1:]
	}
	return x.attr, true
}

// getAttr returns the value of the last start tag's attribute name.
func (x *xmlScanner) getAttr(name string) ([]byte, bool) {
	for a := x.attrs; ; {
		key, val, rest, ok := nextAttr(a)
		if !ok {
			return nil, false
		}
		if string(key) == name {
			return x.attrValue(val)
		}
		a = rest
	}
}

// elementText appends the character data of the element whose start tag
// was just read, leaving out that of nested elements.
func (x *xmlScanner) elementText(dst []byte) ([]byte, error) {
	for {
		var err error
		if dst, err = x.text(dst); err != nil {
			return dst, err
		}
		k, err := x.next()
		if err != nil {
			return dst, eofIsEarly(err)
		}
		switch k {
		case tokEnd:
			return dst, nil
		case tokStart:
			if err := x.skip(); err != nil {
				return dst, err
			}
		}
	}
}

// richText appends the text of a string item (<si> or <is>) whose start
// tag was just read: its <t> and the <t> of its runs <r>, leaving out
// phonetic runs and formatting. Excel escapes characters XML cannot hold
// as _xHHHH_, which is undone.
func (x *xmlScanner) richText(dst []byte) ([]byte, error) {
	start := len(dst)
	for depth := 1; depth > 0; {
		k, err := x.next()
		if err != nil {
			return dst, eofIsEarly(err)
		}
		switch {
		case k == tokEnd:
			depth--
		case k == tokStart && x.is("t") && depth <= 2:
			if dst, err = x.elementText(dst); err != nil {
				return dst, err
			}
		case k == tokStart && x.is("r") && depth == 1:
			depth++
		case k == tokStart:
			if err := x.skip(); err != nil {
				return dst, err
			}
		}
	}
	return unescapeOOXML(dst, start), nil
}

// unescapeOOXML undoes _xHHHH_ escapes in dst[start:] in place, as Excel
// (and excelize, which wrote our fixtures) reads them: an escape of a
// surrogate vanishes, and _x005F_ is a literal underscore.
func unescapeOOXML(dst []byte, start int) []byte {
	s := dst[start:]
	i := bytes.Index(s, []byte("_x"))
	if i < 0 {
		return dst
	}
	w := i
	for i < len(s) {
		if s[i] == '_' && i+7 <= len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if r, err := strconv.ParseUint(string(s[i+2:i+6]), 16, 32); err == nil {
				if !utf16Surrogate(rune(r)) {
					w += utf8.EncodeRune(s[w:], rune(r))
				}
				i += 7
				continue
			}
		}
		s[w] = s[i]
		w++
		i++
	}
	return dst[:start+w]
}

func utf16Surrogate(r rune) bool { return r >= 0xD800 && r <= 0xDFFF }
