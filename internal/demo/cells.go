package demo

import ()

type cellKind uint8

const (
	cEmpty cellKind = iota
	cStr            // s
	cBuf            // arena[lo:hi]
	cInt            // n
	cDate           // d, days since 1970-01-01; df overrides the file's format
	cDec            // n / 10^prec
)

type dateFmt uint8

const (
	dfFile   dateFmt = iota // the file's format
	dfDMY                   // dd-mm-jjjj
	dfISO                   // jjjj-mm-dd
	dfSlash                 // dd/mm/jjjj
	dfShort                 // d-m-jjjj
	dfSerial                // Excel serial (XLSX only)
)

type cell struct {
	kind   cellKind
	df     dateFmt
	prec   uint8
	d      int32
	lo, hi int32
	n      int64
	s      string
}

type fileStyle struct {
	gemeente, geslacht, verzuim uint8
	soort                       uint8 // spelling of soort_slachtoffer: index into soortSpelling
}

type row struct {
	c          [nSlots]cell
	arena      []byte
	extra      bool
	invalidBSN bool
	org        bool // an organisation victim: accepted, gets no planted defect
	style      fileStyle
}

func (r *row) reset() {
	r.c = [nSlots]cell{}
	r.arena = r.arena[:0]
	r.extra = false
	r.invalidBSN = false
	r.org = false
}

func (r *row) str(s slot, v string) {
	if v == "" {
		r.c[s] = cell{}
		return
	}
	r.c[s] = cell{kind: cStr, s: v}
}
func (r *row) buf(s slot, lo int) { r.c[s] = cell{kind: cBuf, lo: int32(lo), hi: int32(len(r.arena))} }
func (r *row) bytes(s slot, b []byte) {
	lo := len(r.arena)
	r.arena = append(r.arena, b...)
	r.buf(s, lo)
}
func (r *row) int(s slot, n int64)          { r.c[s] = cell{kind: cInt, n: n} }
func (r *row) date(s slot, d int32)         { r.c[s] = cell{kind: cDate, d: d} }
func (r *row) dec(s slot, n int64, p uint8) { r.c[s] = cell{kind: cDec, n: n, prec: p} }

// text renders a non-date cell.
func (r *row) text(b []byte, c *cell, decComma bool) []byte {
	switch c.kind {
	case cStr:
		return append(b, c.s...)
	case cBuf:
		return append(b, r.arena[c.lo:c.hi]...)
	case cInt:
		return appendInt(b, int(c.n), 0)
	case cDec:
		return appendFixed(b, c.n, c.prec, decComma)
	}
	return b
}

type rowWriter interface {
	writeRow(r *row) error
	close() error
}
