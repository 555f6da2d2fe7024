package demo

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"

	"golang.org/x/text/encoding/charmap"
	xtransform "golang.org/x/text/transform"
)

type csvOpts struct {
	delim  byte
	bom    bool
	cp1252 bool
	crlf   bool
	decDot bool
	df     dateFmt
}

type csvWriter struct {
	g    *gen
	o    *output
	opts csvOpts
	f    *os.File
	enc  io.WriteCloser // Windows-1252 encoder, or nil
	w    *bufio.Writer
	cw   *csv.Writer
	rec  []string
	scr  []byte
	rng  stream
}

func newCSVWriter(path string, g *gen, o *output, headers []string, opts csvOpts) (*csvWriter, error) {
	f, err := createExport(path)
	if err != nil {
		return nil, err
	}
	c := &csvWriter{g: g, o: o, opts: opts, f: f, rng: newStream(g.seed, saltFile, uint64(o.sp.kind)<<8|uint64(o.cur)+100)}
	var dst io.Writer = f
	if opts.cp1252 {
		c.enc = xtransform.NewWriter(f, charmap.Windows1252.NewEncoder())
		dst = c.enc
	}
	c.w = bufio.NewWriterSize(dst, 256<<10)
	if opts.bom && !opts.cp1252 {
		c.w.WriteString("\ufeff")
	}
	c.cw = csv.NewWriter(c.w)
	c.cw.Comma, c.cw.UseCRLF = rune(opts.delim), opts.crlf
	return c, c.cw.Write(headers)
}

func (c *csvWriter) writeRow(r *row) error {
	c.rec = c.rec[:0]
	for _, s := range c.o.cols {
		cl := &r.c[s]
		c.scr = c.scr[:0]
		if cl.kind == cDate {
			df := cl.df
			if df == dfFile {
				df = c.opts.df
				if c.g.messy && c.rng.intn(20) == 0 {
					df = []dateFmt{dfShort, dfISO, dfDMY, dfSlash}[c.rng.intn(4)]
				}
			}
			c.scr = appendDate(c.scr, cl.d, df)
		} else {
			c.scr = r.text(c.scr, cl, !c.opts.decDot)
		}
		if c.g.canary && canarySlots[s] && len(c.scr) > 0 {
			c.g.record(c.scr)
		}
		c.rec = append(c.rec, string(c.scr))
	}
	if r.extra {
		c.rec = append(c.rec, "zie opmerking")
	}
	return c.cw.Write(c.rec)
}

func (c *csvWriter) close() error {
	c.cw.Flush()
	err := c.cw.Error()
	if ferr := c.w.Flush(); err == nil {
		err = ferr
	}
	if c.enc != nil {
		if cerr := c.enc.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	return err
}
