// Package pipeline runs the whole job, one phase after another: inbox ->
// ingest -> transform -> store -> indicators -> disclosure control ->
// publish, into a new run directory that becomes `latest` only when
// everything succeeded.
package pipeline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"time"

	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/dekking"
	"github.com/ivz-twente/jeugd/schemas"
)

// Options configure a run. Validate fills defaults and checks them.
type Options struct {
	Inbox, Reference, Out, State string
	Key                          []byte
	Schemas                      *schemas.Set
	SchemasName                  string  // "builtin" or the --schemas directory, for the manifest
	MinCount                     int     // raises k of every protected indicator to at least this; 0 keeps the table plan's
	MaxQuarantineRate            float64 // per bron, 0..1
	MinMatchRate                 float64 // per bron and locatie, 0..1: below it nothing is published; 0 means DefaultMinMatchRate
	Recipients                   []string
	// Dekking sets, per source, the months it covers (config key dekking);
	// a source without one is covered as its deliveries declare or, else,
	// from its first to its last month with rows (internal/dekking).
	Dekking              map[string]dekking.Setting
	RegioCode, RegioNaam string    // default: the region the reference names, else "regio", "Regio"
	Today                time.Time // run date; default now
	Software             Software  // the code of this run, for the manifest
	Workers              int       // files read at once, and goroutines per stage within one file; default GOMAXPROCS
	Report               bool      // also write an HTML report per recipient into its gemeente folder
	// Group may read the publication (OUT/latest): a group name or id; ""
	// keeps the owner's primary group. Umask masks the permissions of
	// everything published (027: owner and group read, others nothing);
	// group and others never get write access. STATE stays owner-only.
	Group    string
	Umask    fs.FileMode
	KeepRuns int // after publishing, remove all runs but the KeepRuns newest and latest; 0 keeps every run
	Log      zerolog.Logger
	Progress io.Writer // human progress lines (a terminal), or nil

	policy aggregate.Policy // from the table plan and MinCount, by validate
	perms  perms            // of the publication, from Umask and Group, by validate
}

// Errors callers map to exit codes.
var (
	ErrConfig          = errors.New("configuration error")
	ErrQuarantineRate  = errors.New("quarantine rate above the threshold")
	ErrNothingToDo     = errors.New("inbox holds no usable export")
	ErrUnsafePublicate = errors.New("disclosure control could not protect every cell")
)

func (o *Options) validate() error {
	var errs []error
	need := func(v, flag string) {
		if v == "" {
			errs = append(errs, fmt.Errorf("%s is required", flag))
		}
	}
	need(o.Inbox, "--inbox")
	need(o.Reference, "--reference")
	need(o.Out, "--out")
	need(o.State, "--state")
	if len(o.Key) < 32 {
		errs = append(errs, errors.New("a key of at least 32 bytes is required (--key-file or JEUGD_KEY)"))
	}
	if o.Schemas == nil {
		o.Schemas = schemas.Builtin()
		o.SchemasName = "builtin"
	}
	if o.MinCount != 0 && o.MinCount < 2 {
		errs = append(errs, fmt.Errorf("--min-count must be at least 2 (or 0 for the table plan's k), got %d", o.MinCount))
	}
	if plan, err := aggregate.NewPlan(o.Schemas.Plan); err != nil {
		errs = append(errs, err)
	} else {
		o.policy = aggregate.Policy{Plan: plan, MinCount: int64(o.MinCount), Margin: aggregate.DefaultMargin}
	}
	if o.MaxQuarantineRate == 0 {
		o.MaxQuarantineRate = 0.10
	}
	if o.MaxQuarantineRate < 0 || o.MaxQuarantineRate > 1 {
		errs = append(errs, fmt.Errorf("--max-quarantine-rate must be between 0 and 1, got %g", o.MaxQuarantineRate))
	}
	if o.MinMatchRate == 0 {
		o.MinMatchRate = DefaultMinMatchRate
	}
	if o.MinMatchRate < 0 || o.MinMatchRate > 1 {
		errs = append(errs, fmt.Errorf("--min-match-rate must be between 0 and 1, got %g", o.MinMatchRate))
	}
	if err := dekking.Check(o.Dekking, o.Schemas.Names()); err != nil {
		errs = append(errs, err)
	}
	if o.KeepRuns < 0 {
		errs = append(errs, fmt.Errorf("--keep-runs must be 0 (keep every run) or more, got %d", o.KeepRuns))
	}
	if p, err := newPerms(o.Umask, o.Group); err != nil {
		errs = append(errs, err)
	} else {
		o.perms = p
	}
	if o.Software.Version == "" {
		o.Software.Version = "unknown"
	}
	if o.Today.IsZero() {
		o.Today = time.Now()
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return nil
}
