package pipeline

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/internal/dekking"
	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/publish"
	"github.com/ivz-twente/jeugd/transform"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// Run executes one complete run and returns its manifest. On any error the
// previous `latest` publication is left untouched and the partial run
// directory and store are removed. Each phase owns what it opens.
func Run(ctx context.Context, o Options) (*Manifest, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	r, err := begin(o)
	if err != nil {
		return nil, err
	}
	defer r.end()
	if err := r.phases(ctx); err != nil {
		return r.failed(ctx, err)
	}
	return r.m, nil
}

// phases runs the phases after begin, one after another.
func (r *run) phases(ctx context.Context) error {
	if err := r.load(ctx); err != nil {
		return err
	}
	if err := r.checkQuality(); err != nil {
		r.qualityFailed = true
		return err
	}
	testPause(ctx, r.log, "aggregate")
	if err := ctx.Err(); err != nil {
		return err // stopped between phases: the next one does not start
	}
	counts, err := r.count(ctx)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := r.protect(ctx, counts); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.publish(ctx, counts.Cells)
}

// run is one run between begin and end: what every phase reads, and what
// end releases.
type run struct {
	o         Options
	id        string
	log       zerolog.Logger
	lock      *lock
	ref       *geocode.Reference
	files     []InputFile
	m         *Manifest
	stats     transform.Stats  // of the transform, after load
	dek       *dekking.Dekking // which months each source covers, after load
	q         *quarantine.Sink
	storePath string
	store     *aggregate.Store
	switching bool // swapLatest was called: runs/<id> may be needed to complete the switch
	published bool
	// qualityFailed: the run stopped at the quarantine or match rate check,
	// so its manifest (the rates) is worth returning.
	qualityFailed bool
}

// begin makes the directories, takes the lock, cleans up after killed runs,
// loads the reference data and lists the inbox.
func begin(o Options) (*run, error) {
	start := time.Now().UTC()
	// Microseconds keep run ids in start order, which cleanStale relies on.
	id := start.Format("20060102T150405.000000Z") + "-" + randomSuffix()
	r := &run{o: o, id: id, log: o.Log.With().Str("run_id", id).Logger(), q: &quarantine.Sink{}}
	r.storePath = StorePath(o.State, id)
	for _, d := range []string{o.State, filepath.Dir(r.storePath), o.Out, filepath.Join(o.Out, "runs")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("create directory: %w", err)
		}
	}
	if err := os.Chmod(o.State, 0o700); err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	lk, err := acquireLock(o.State)
	if err != nil {
		return nil, err
	}
	r.lock = lk
	if err := o.perms.outDirs(o.Out); err != nil {
		r.end()
		return nil, err
	}
	cleanStale(o, r.log)
	if err := r.readInputs(start); err != nil {
		r.end()
		return nil, err
	}
	return r, nil
}

// readInputs loads the reference data, lists the inbox and starts the
// manifest.
func (r *run) readInputs(start time.Time) error {
	ref, err := geocode.LoadReference(r.o.Reference)
	if err != nil {
		return fmt.Errorf("%w: reference: %w", ErrConfig, err)
	}
	r.o.RegioCode, r.o.RegioNaam = regio(r.o.RegioCode, r.o.RegioNaam, ref.Regio)
	for _, old := range ref.OldIndelingen() {
		r.log.Warn().Str("gemeente", old.Code).Int("jaar", old.Jaar).Int("nieuwste", old.Nieuwste).
			Msg("buurt codes of an older CBS indeling: its buurt figures are on old boundaries")
	}
	o := r.o
	files, skipped, err := scanInbox(o.Inbox, o.Schemas)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	for _, s := range skipped {
		r.log.Warn().Str("file", s).Msg("inbox entry skipped")
	}
	r.ref, r.files = ref, files
	r.m = &Manifest{
		RunID: r.id, Software: o.Software.Version, Start: start,
		RunDate: o.Today.Format("2006-01-02"),
		Settings: Settings{
			MinCount: o.MinCount, Margin: o.policy.Margin, Plan: o.Schemas.Plan.File, MaxQuarantineRate: o.MaxQuarantineRate,
			MinMatchRate: o.MinMatchRate,
			Recipients:   o.Recipients, Regio: o.RegioCode, Schemas: o.SchemasName,
			ReferenceDir: o.Reference, Reference: referenceDigest(o.Reference),
		},
		Bronnen: map[string]*BronReport{},
	}
	r.m.Operator.Skipped = skipped
	if o.Software.Revision != "" {
		r.m.Build = &o.Software
	}
	r.m.ConfigHash = hashJSON(r.m.Settings)
	return nil
}

// regio resolves the regio's code and name: as configured, else as the
// reference names it, else "regio" and "Regio". A code without a name is
// its own name.
func regio(code, naam string, ref geocode.Regio) (string, string) {
	if code == "" && naam == "" {
		code, naam = ref.Code, ref.Naam
	}
	return cmp.Or(code, "regio"), cmp.Or(naam, code, "Regio")
}

// end closes the store, removes it, the operator's files beside it and
// the partial run directory unless the run published, and releases the
// lock.
func (r *run) end() {
	if r.store != nil {
		r.store.Close()
	}
	if !r.published {
		removeRunState(r.o.State, r.id)
		os.RemoveAll(r.partialDir())
		if !r.switching {
			os.RemoveAll(r.runDir()) // complete but never published; a failed switch leaves it to the next run
		}
	}
	r.lock.release()
}

func (r *run) runDir() string     { return filepath.Join(r.o.Out, "runs", r.id) }
func (r *run) partialDir() string { return r.runDir() + ".partial" }

// count computes the cells of every table of the plan from the store.
func (r *run) count(ctx context.Context) (*aggregate.Counts, error) {
	r.stage("count", "counting indicators")
	t0 := time.Now()
	q := aggregate.Query{Today: r.o.Today, Namer: r.ref, RegioCode: r.o.RegioCode, RegioNaam: r.o.RegioNaam, Gebieden: Gebieden(r.ref),
		Dekking: r.dek}
	counts, err := r.store.Count(ctx, r.o.policy.Plan, q)
	if err != nil {
		return nil, err
	}
	r.log.Info().Int("cells", len(counts.Cells)).Dur("took", time.Since(t0)).Msg("indicators counted")
	return counts, nil
}

// Gebieden lists the buurten of the reference: each gets its cells, zeros
// included.
func Gebieden(ref *geocode.Reference) []aggregate.Gebied {
	out := make([]aggregate.Gebied, len(ref.Buurten))
	for i, b := range ref.Buurten {
		out[i] = aggregate.Gebied{Buurt: b.Code, Wijk: b.Wijkcode, Gemeente: b.Gemeentecode}
	}
	return out
}

// protect applies disclosure control, then checks the cells as they will be
// published against its proof: if that ever fails, nothing is published.
// The loss per table goes to the manifest (cells and withheld) and, with
// the split into small cells and complements, to the operator's STATE.
func (r *run) protect(ctx context.Context, counts *aggregate.Counts) error {
	r.stage("protect", "protecting small counts")
	t0 := time.Now()
	sum, err := counts.Protect(ctx, r.o.policy)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("%w: %w", ErrUnsafePublicate, err)
	}
	r.stage("verify", "checking the protection")
	t1 := time.Now()
	if err := verify(ctx, counts, r.o.policy); err != nil {
		if ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("%w: %w", ErrUnsafePublicate, err)
	}
	r.log.Info().Dur("took", time.Since(t1)).Msg("protection verified")
	r.m.Onderdrukking = disclosure(sum, r.o.policy, false)
	r.m.Operator.Onderdrukking = disclosure(sum, r.o.policy, true)
	var cells, primary, secondary int
	for _, l := range sum.Tables {
		cells, primary, secondary = cells+l.Cells, primary+l.Primary, secondary+l.Secondary
	}
	r.log.Info().Int("cells", cells).Int("primary", primary).Int("secondary", secondary).Int("min_count", r.o.MinCount).
		Dur("took", time.Since(t0)).Msg("disclosure control applied")
	return nil
}

// publish writes every table into the partial run directory, completes it
// and makes it `latest`, with the store of this run beside it.
func (r *run) publish(ctx context.Context, cells []aggregate.Cell) error {
	r.stage("publish", "publishing")
	partial := r.partialDir()
	if err := os.MkdirAll(partial, 0o700); err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	if err := publishCoverage(r.o, r.ref, r.dek, partial); err != nil {
		return err
	}
	if err := publishAll(ctx, r.o, r.ref, partial, cells, r.q, r.m); err != nil {
		return err
	}
	testPause(ctx, r.log, "publish")
	r.m.End = time.Now().UTC()
	if err := publish.WriteJSON(filepath.Join(partial, "manifest.json"), r.m); err != nil {
		return err
	}
	if err := r.publishState(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := r.o.perms.openTree(partial); err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	if err := os.Rename(partial, r.runDir()); err != nil {
		return fmt.Errorf("finish run directory: %w", err)
	}
	testPause(ctx, r.log, "rename")
	err := r.store.Close()
	r.store = nil
	if err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err // stopped before the switch: the complete run is not published
	}
	r.switching = true
	if err := swapLatest(r.o, r.id); err != nil {
		return err // the complete run directory is removed by the next run, or completes its switch
	}
	r.published = true
	if err := r.o.perms.chown(filepath.Join(r.o.Out, LatestLink)); err != nil {
		r.log.Warn().Err(err).Msg("latest keeps the owner's group")
	}
	closeOthers(r.o.Out, r.id)
	if r.o.KeepRuns > 0 {
		prune(r.o.Out, r.o.State, r.o.KeepRuns, r.log)
	}
	r.log.Info().Int("events", r.m.Events).Int("cells", len(cells)).Str("dir", r.runDir()).Msg("run published")
	return nil
}

// stage marks the start of a phase: a log line for the journal and, on a
// terminal, a progress line.
func (r *run) stage(name, what string) {
	r.log.Info().Str("stage", name).Msg("stage started")
	if r.o.Progress != nil {
		fmt.Fprintf(r.o.Progress, "%s ...\n", what)
	}
}

// verify runs counts.Verify, which takes no context, so that a stop ends
// the run at once even during the check: on cancellation it returns the
// context's error and lets the check finish in the background, on counts
// that nothing else uses any more.
func verify(ctx context.Context, counts *aggregate.Counts, p aggregate.Policy) error {
	done := make(chan error, 1)
	go func() { done <- counts.Verify(p) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func randomSuffix() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func hashJSON(v any) string {
	b, _ := json.Marshal(v)
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// referenceDigest hashes the names and sizes of the reference files, so the
// manifest shows when the reference data changed between runs.
func referenceDigest(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			fmt.Fprintf(h, "%s\x00%d\x00", e.Name(), info.Size())
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// testPause is a test hook for the fault tests: with JEUGD_TEST_PAUSE set
// to a stage (ingest, aggregate, publish, rename) the run logs "test pause"
// at that point and sleeps, so a test can kill the process exactly there.
func testPause(ctx context.Context, log zerolog.Logger, stage string) {
	if os.Getenv("JEUGD_TEST_PAUSE") != stage {
		return
	}
	log.Warn().Str("stage", stage).Msg("test pause")
	select {
	case <-ctx.Done():
	case <-time.After(time.Minute):
	}
}
