package pipeline

import (
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
	if err := r.load(ctx); err != nil {
		return nil, err
	}
	if err := r.checkQuality(); err != nil {
		return r.m, err
	}
	testPause(ctx, r.log, "aggregate")
	counts, err := r.count(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.protect(ctx, counts); err != nil {
		return nil, err
	}
	if err := r.publish(ctx, counts.Cells); err != nil {
		return nil, err
	}
	return r.m, nil
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
	published bool
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
	o := r.o
	ref, err := geocode.LoadReference(o.Reference)
	if err != nil {
		return fmt.Errorf("%w: reference: %w", ErrConfig, err)
	}
	files, skipped, err := scanInbox(o.Inbox, o.Schemas)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	for _, s := range skipped {
		r.log.Warn().Str("file", s).Msg("inbox entry skipped")
	}
	r.ref, r.files = ref, files
	r.m = &Manifest{
		RunID: r.id, Software: o.Version, Start: start,
		RunDate: o.Today.Format("2006-01-02"),
		Settings: Settings{
			MinCount: o.MinCount, Margin: o.policy.Margin, Plan: o.Schemas.Plan.File, MaxQuarantineRate: o.MaxQuarantineRate,
			MinMatchRate: o.MinMatchRate,
			Recipients:   o.Recipients, Regio: o.RegioCode, Schemas: o.SchemasName,
			ReferenceDir: o.Reference, Reference: referenceDigest(o.Reference),
		},
		Skipped: skipped, Bronnen: map[string]*BronReport{},
	}
	r.m.ConfigHash = hashJSON(r.m.Settings)
	return nil
}

// end closes the store, removes it and the partial run directory unless
// the run published, and releases the lock.
func (r *run) end() {
	if r.store != nil {
		r.store.Close()
	}
	if !r.published {
		removeStore(r.storePath)
		os.RemoveAll(r.partialDir())
	}
	r.lock.release()
}

func (r *run) runDir() string     { return filepath.Join(r.o.Out, "runs", r.id) }
func (r *run) partialDir() string { return r.runDir() + ".partial" }

// count computes the cells of every table of the plan from the store.
func (r *run) count(ctx context.Context) (*aggregate.Counts, error) {
	r.o.stage("counting indicators")
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
	r.o.stage("protecting small counts")
	t0 := time.Now()
	sum, err := counts.Protect(ctx, r.o.policy)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		return fmt.Errorf("%w: %w", ErrUnsafePublicate, err)
	}
	if err := counts.Verify(r.o.policy); err != nil {
		return fmt.Errorf("%w: %w", ErrUnsafePublicate, err)
	}
	r.m.Onderdrukking = disclosure(sum, r.o.policy, false)
	if err := publish.WriteJSON(r.storePath+".onderdrukking.json", disclosure(sum, r.o.policy, true)); err != nil {
		return err
	}
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
	r.o.stage("publishing")
	partial := r.partialDir()
	if err := os.MkdirAll(partial, 0o755); err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	if err := publishCoverage(r.o, r.ref, r.dek, partial); err != nil {
		return err
	}
	if err := publishAll(r.o, r.ref, partial, cells, r.q, r.m); err != nil {
		return err
	}
	testPause(ctx, r.log, "publish")
	r.m.End = time.Now().UTC()
	if err := publish.WriteJSON(filepath.Join(partial, "manifest.json"), r.m); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
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
	if err := swapLatest(r.o, r.id); err != nil {
		return err // the complete run directory is removed by the next run, or completes its switch
	}
	r.published = true
	r.log.Info().Int("events", r.m.Events).Int("cells", len(cells)).Str("dir", r.runDir()).Msg("run published")
	return nil
}

// stage prints a progress line on a terminal.
func (o *Options) stage(what string) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "%s ...\n", what)
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
