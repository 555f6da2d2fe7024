package aggregate

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/ivz-twente/jeugd/aggregate/sdc"
)

// Policy is the disclosure control of a publication: the table plan, with
// its threshold k per indicator, and what may tighten it. It is the one
// place the rule lives; the CLI and the config only fill it in.
type Policy struct {
	Plan *Plan
	// MinCount raises k to at least this for every indicator the plan
	// protects (k >= 2); 0 keeps the plan's k. Indicators the plan
	// publishes without threshold stay so: give them a k in the plan.
	MinCount int64
	// Margin widens every protected interval beyond [0, k-1]: with 1, an
	// analyst who knows from elsewhere that a withheld cell is not 0 (a
	// Halt referral for a misdrijf implies a minderjarige dader) still
	// keeps k possible values.
	Margin int64
}

// DefaultMargin is the margin of a run unless configured otherwise.
const DefaultMargin = 1

// ErrPolicy reports an invalid Policy.
var ErrPolicy = errors.New("invalid disclosure policy")

// Validate reports whether p is usable.
func (p Policy) Validate() error {
	var errs []error
	if p.Plan == nil {
		errs = append(errs, errors.New("no table plan"))
	}
	if p.MinCount != 0 && p.MinCount < 2 {
		errs = append(errs, fmt.Errorf("minimum count %d: give 0 (the plan's k) or at least 2", p.MinCount))
	}
	if p.Margin < 0 {
		errs = append(errs, fmt.Errorf("margin %d is negative", p.Margin))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrPolicy, err)
	}
	return nil
}

// K is the threshold p applies to the indicator of ip, by p's own plan:
// cells of 1..K-1 are withheld; below 2 nothing is.
func (p Policy) K(ip *IndicatorPlan) int64 {
	k := ip.K
	if own := p.Plan.Indicator(ip.Name); own != nil {
		k = own.K
	}
	if k >= 2 && p.MinCount > k {
		return p.MinCount
	}
	return k
}

// Stricter reports whether q withholds at least what p does for every
// indicator, so that an answer under q adds nothing to a publication
// under p.
func (p Policy) Stricter(q Policy) bool {
	for _, ip := range p.Plan.Indicatoren {
		if q.K(ip) < p.K(ip) {
			return false
		}
	}
	return q.Margin >= p.Margin
}

func (p Policy) options(ip *IndicatorPlan) sdc.Options {
	return sdc.Options{K: p.K(ip), Margin: p.Margin, Release: releaseCost}
}

// Summary reports what Protect did, per indicator and table.
type Summary struct {
	Tables []Loss // in publishing order
}

// Loss counts the cells of one table of one indicator.
type Loss struct {
	Indicator string
	Table     Table
	K         int64
	Cells     int // all cells, zeros included
	Primary   int // 1..k-1, withheld for themselves
	Secondary int // withheld to protect them: safe cells that are lost
	// AtLeastK counts the cells of k or more, AtLeastKWithheld those of
	// them withheld: the figures users miss most (zeros are lost too, but
	// say less).
	AtLeastK, AtLeastKWithheld int
}

// Safe is the number of cells that are safe in themselves: 0 or at least k.
func (l Loss) Safe() int { return l.Cells - l.Primary }

// Protect withholds, per indicator under p, every cell of 1..k-1 and the
// complements that keep each at k or more possible values for an analyst
// holding everything published (sdc.Protect), and blanks the Waarde of
// every withheld cell so that nothing downstream can leak it. Indicators
// are protected concurrently. It stops with the context's error when ctx
// ends.
func (c *Counts) Protect(ctx context.Context, p Policy) (*Summary, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return c.protectParts(ctx, p, func(ctx context.Context, part *countsPart, t *sdc.Table, mv sdc.Proposer) (*sdc.Result, error) {
		return sdc.Protect(ctx, t, p.options(part.g.ip), mv)
	})
}

// Reprotect protects the counts again under p, which must be Stricter than
// the policy of the last Protect: every cell withheld stays withheld, so
// the cells it publishes are a subset, with the same values, of those
// published before (sdc.Reprotect).
func (c *Counts) Reprotect(ctx context.Context, before, p Policy) (*Summary, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !before.Stricter(p) {
		return nil, fmt.Errorf("%w: reprotecting needs a stricter policy", ErrPolicy)
	}
	return c.protectParts(ctx, p, func(ctx context.Context, part *countsPart, t *sdc.Table, mv sdc.Proposer) (*sdc.Result, error) {
		if part.res == nil {
			return nil, errors.New("reprotect before protect")
		}
		return sdc.Reprotect(ctx, t, part.res, p.options(part.g.ip), mv)
	})
}

// protectParts runs protect on every indicator's table with its mover,
// keeps the results and applies p to the cells.
func (c *Counts) protectParts(ctx context.Context, p Policy,
	protect func(context.Context, *countsPart, *sdc.Table, sdc.Proposer) (*sdc.Result, error)) (*Summary, error) {
	err := c.eachPart(ctx, func(ctx context.Context, part *countsPart) error {
		t := part.table()
		res, err := protect(ctx, part, t, newMover(part.g, part.values, t.Cost))
		if ue, ok := errors.AsType[*sdc.UnsafeError](err); ok {
			return fmt.Errorf("protect %s: %w", describe(&c.Cells[part.start+ue.Cell]), err)
		}
		part.res = res
		return err
	})
	if err != nil {
		return nil, err
	}
	return c.apply(p), nil
}

// eachPart runs f on every indicator's part, GOMAXPROCS at a time, and
// returns the first error.
func (c *Counts) eachPart(ctx context.Context, f func(context.Context, *countsPart) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(c.parts))
	var (
		wg   sync.WaitGroup
		next atomic.Int32
	)
	for range min(len(c.parts), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(c.parts); i = int(next.Add(1) - 1) {
				if errs[i] = f(ctx, &c.parts[i]); errs[i] != nil {
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// apply marks the withheld cells, blanks their values and counts the loss.
func (c *Counts) apply(p Policy) *Summary {
	sum := &Summary{}
	for i := range c.parts {
		part := &c.parts[i]
		g, k := part.g, p.K(part.g.ip)
		index := map[Table]int{}
		for _, t := range g.ip.Tables {
			index[t] = len(sum.Tables)
			sum.Tables = append(sum.Tables, Loss{Indicator: g.ip.Name, Table: t, K: k})
		}
		g.each(func(id, n int, _ int32, pt int, _ int32, u, _ int) {
			cell := &c.Cells[part.start+id]
			st := part.res.Status[id]
			cell.Onderdrukt = st.Suppressed()
			cell.Waarde = part.values[id]
			if cell.Onderdrukt {
				cell.Waarde = 0
			}
			l := &sum.Tables[index[Table{n, pt, u}]]
			l.Cells++
			if part.values[id] >= max(k, 1) {
				l.AtLeastK++
				if st.Suppressed() {
					l.AtLeastKWithheld++
				}
			}
			switch st {
			case sdc.Primary:
				l.Primary++
			case sdc.Secondary:
				l.Secondary++
			}
		})
	}
	return sum
}

// table is the part as the protection sees it: true counts, the relations
// between its cells and the price of withholding each.
func (p *countsPart) table() *sdc.Table {
	if p.t == nil {
		cost := make([]int64, p.g.n)
		p.g.each(func(id, n int, _ int32, pt int, per int32, u, _ int) {
			cost[id] = tableCost(n, pt, u)
			if !p.g.covered[pt][per] {
				cost[id] = 1 << 60 // geen gegevens: never a complement
			}
		})
		p.t = &sdc.Table{Values: p.values, Groups: p.g.relations(), Cost: cost, Order: p.g.order()}
	}
	return p.t
}

// ErrDisclosure means a protected table does not carry its proof. It should
// never happen: Verify is the independent last check before anything is
// published.
var ErrDisclosure = errors.New("disclosure check failed")

// Verify checks the cells as they will be published against the proof of
// the last Protect, trusting neither: every published value is the true
// count and not in 1..k-1, and the certificates show that every small cell
// keeps k or more possible values and no withheld cell is determined, given
// every relation between the cells (sdc.Verify). The dashboard, the
// gemeente files and the analysts' answers are all slices of these cells,
// so one check covers everything published together.
func (c *Counts) Verify(p Policy) error {
	for i := range c.parts {
		part := &c.parts[i]
		if part.res == nil {
			return fmt.Errorf("%w: %s was not protected", ErrDisclosure, part.g.ip.Name)
		}
		shown := &sdc.Result{Status: make([]sdc.Status, part.g.n), Certs: part.res.Certs}
		k := p.K(part.g.ip)
		for id := range part.g.n {
			cell := &c.Cells[part.start+id]
			v := part.values[id]
			switch {
			case cell.Onderdrukt:
				shown.Status[id] = sdc.Secondary
				if v > 0 && v < k {
					shown.Status[id] = sdc.Primary
				}
			case cell.Waarde != v:
				return fmt.Errorf("%w: %s is published as %d, not its count", ErrDisclosure, describe(cell), cell.Waarde)
			case k >= 2 && v > 0 && v < k:
				return fmt.Errorf("%w: %s is published below k = %d", ErrDisclosure, describe(cell), k)
			}
		}
		if err := sdc.Verify(part.table(), shown, p.options(part.g.ip)); err != nil {
			if ve, ok := errors.AsType[*sdc.VerifyError](err); ok {
				return fmt.Errorf("%w: %s: %s", ErrDisclosure, describe(&c.Cells[part.start+ve.Cell]), ve.Reason)
			}
			return fmt.Errorf("%w: %s: %w", ErrDisclosure, part.g.ip.Name, err)
		}
	}
	return nil
}

func describe(c *Cell) string {
	return fmt.Sprintf("%s %s %s %s %s %s", c.Indicator, c.Gebiedsniveau, c.Gebiedscode, c.Periode, c.Uitsplitsing, c.Klasse)
}

// value is the true count of cell i.
func (c *Counts) value(i int) int64 {
	for _, p := range c.parts {
		if i >= p.start && i < p.start+p.g.n {
			return p.values[i-p.start]
		}
	}
	return 0
}
