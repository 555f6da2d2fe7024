// Package pipeline runs the whole job: inbox -> ingest -> transform ->
// store -> indicators -> disclosure control -> publish, into a new run
// directory that becomes `latest` only when everything succeeded.
package pipeline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/rs/zerolog"

	"github.com/ivz-twente/jeugd/aggregate"
	"github.com/ivz-twente/jeugd/ingest"
	"github.com/ivz-twente/jeugd/internal/quarantine"
	"github.com/ivz-twente/jeugd/publish"
	"github.com/ivz-twente/jeugd/schemas"
	"github.com/ivz-twente/jeugd/transform"
	"github.com/ivz-twente/jeugd/transform/geocode"
)

// Options configure a run. Validate fills defaults and checks them.
type Options struct {
	Inbox, Reference, Out, State string
	Key                          []byte
	Schemas                      *schemas.Set
	SchemasName                  string // "builtin" or the --schemas directory, for the manifest
	MinCount                     int
	Policy                       string  // suppress | round5
	MaxQuarantineRate            float64 // per bron, 0..1
	Recipients                   []string
	RegioCode, RegioNaam         string
	Today                        time.Time // run date; default now
	Version                      string
	Workers                      int
	Report                       bool // also write an HTML report per recipient into the run directory
	Log                          zerolog.Logger
	Progress                     io.Writer // human progress lines (a terminal), or nil
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
	if o.MinCount == 0 {
		o.MinCount = 5
	}
	if o.MinCount < 2 {
		errs = append(errs, fmt.Errorf("--min-count must be at least 2, got %d", o.MinCount))
	}
	if o.Policy == "" {
		o.Policy = "suppress"
	}
	if o.Policy != "suppress" && o.Policy != "round5" {
		errs = append(errs, fmt.Errorf("--policy must be suppress or round5, got %q", o.Policy))
	}
	if o.MaxQuarantineRate == 0 {
		o.MaxQuarantineRate = 0.10
	}
	if o.MaxQuarantineRate < 0 || o.MaxQuarantineRate > 1 {
		errs = append(errs, fmt.Errorf("--max-quarantine-rate must be between 0 and 1, got %g", o.MaxQuarantineRate))
	}
	if o.RegioCode == "" {
		o.RegioCode, o.RegioNaam = "regio", "Regio"
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

// Run executes one complete run and returns its manifest. On any error the
// previous `latest` publication is left untouched and the partial run
// directory is removed.
func Run(ctx context.Context, o Options) (m *Manifest, err error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	start := time.Now().UTC()
	// Microseconds keep run ids in start order, which cleanStale relies on.
	runID := start.Format("20060102T150405.000000Z") + "-" + randomSuffix()
	log := o.Log.With().Str("run_id", runID).Logger()

	for _, d := range []string{o.State, o.Out, filepath.Join(o.Out, "runs")} {
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
	defer lk.release()
	cleanStale(o, log)

	ref, err := geocode.LoadReference(o.Reference)
	if err != nil {
		return nil, fmt.Errorf("%w: reference: %w", ErrConfig, err)
	}
	files, skipped, err := scanInbox(o.Inbox, o.Schemas)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	for _, s := range skipped {
		log.Warn().Str("file", s).Msg("inbox entry skipped")
	}

	m = &Manifest{
		RunID: runID, Software: o.Version, Start: start,
		RunDate: o.Today.Format("2006-01-02"),
		Settings: Settings{
			MinCount: o.MinCount, Policy: o.Policy, MaxQuarantineRate: o.MaxQuarantineRate,
			Recipients: o.Recipients, Regio: o.RegioCode, Schemas: o.SchemasName,
			ReferenceDir: o.Reference, Reference: referenceDigest(o.Reference),
		},
		Skipped: skipped, Bronnen: map[string]*BronReport{},
	}
	m.ConfigHash = hashJSON(m.Settings)

	// The store of this run is built beside the current one and replaces it
	// only when the run publishes, so analysts always query the store that
	// matches `latest`.
	storePath := filepath.Join(o.State, "runs", runID+".duckdb")
	if err := os.MkdirAll(filepath.Dir(storePath), 0o700); err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	published := false
	defer func() {
		if !published {
			removeStore(storePath)
		}
	}()
	store, err := aggregate.OpenStore(ctx, storePath)
	if err != nil {
		return nil, err
	}
	defer store.Close()

	q := &quarantine.Sink{}
	tr, err := transform.New(transform.Options{
		Key: o.Key, Locator: geocode.NewGeocoder(ref), Classificatie: o.Schemas.Classificatie,
		Quarantine: q, Today: o.Today, Log: log,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}

	o.stage(fmt.Sprintf("reading %d files from %s", len(files), o.Inbox))
	if err := loadInbox(ctx, o, log, files, q, tr, store, m); err != nil {
		return nil, err
	}
	if err := checkQuarantine(o, m); err != nil {
		return m, err
	}
	testPause(ctx, log, "aggregate")
	o.stage("counting indicators")
	t0 := time.Now()
	cells, err := store.Cells(ctx, aggregate.Query{Today: o.Today, Namer: ref, RegioCode: o.RegioCode, RegioNaam: o.RegioNaam})
	if err != nil {
		return nil, err
	}
	log.Info().Int("cells", len(cells)).Dur("took", time.Since(t0)).Msg("indicators counted")
	o.stage("protecting small counts")
	t0 = time.Now()
	policy := aggregate.Policy{Name: o.Policy, MinCount: o.MinCount}
	sum, err := aggregate.Protect(cells, policy)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsafePublicate, err)
	}
	// An independent check of the published cells before anything is
	// written: if it ever fails, nothing is published.
	if err := aggregate.Verify(cells, policy); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnsafePublicate, err)
	}
	m.Onderdrukking = suppressedCounts(cells, sum)
	log.Info().Str("policy", o.Policy).Int("min_count", o.MinCount).Dur("took", time.Since(t0)).Msg("disclosure control applied")
	o.stage("publishing")

	runDir := filepath.Join(o.Out, "runs", runID)
	partial := runDir + ".partial"
	if err := os.MkdirAll(partial, 0o755); err != nil {
		return nil, fmt.Errorf("run directory: %w", err)
	}
	defer func() {
		if !published {
			os.RemoveAll(partial)
		}
	}()
	if err := publishAll(o, ref, partial, cells, q, m); err != nil {
		return nil, err
	}
	testPause(ctx, log, "publish")
	m.End = time.Now().UTC()
	if err := publish.WriteJSON(filepath.Join(partial, "manifest.json"), m); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := os.Rename(partial, runDir); err != nil {
		return nil, fmt.Errorf("finish run directory: %w", err)
	}
	testPause(ctx, log, "rename")
	if err := store.Close(); err != nil {
		return nil, fmt.Errorf("close store: %w", err)
	}
	if err := swapLatest(o, runID); err != nil {
		return nil, err
	}
	published = true
	log.Info().Int("events", m.Events).Int("cells", len(cells)).Str("dir", runDir).Msg("run published")
	return m, nil
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

// fileResult is what one worker reports about one input file.
type fileResult struct {
	idx   int
	stats ingest.Stats
	sheet string
	err   error
}

// loadInbox reads every file with o.Workers parallel workers, transforms
// each batch and streams the events into the store through one loader.
func loadInbox(ctx context.Context, o Options, log zerolog.Logger, files []InputFile, q *quarantine.Sink, tr *transform.Transformer, store *aggregate.Store, m *Manifest) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	batches := make(chan arrow.RecordBatch, o.Workers*2)
	results := make(chan fileResult, len(files))
	var wg sync.WaitGroup
	for w := 0; w < o.Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results <- readFile(ctx, o, files[i], i, q, tr, batches)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			if files[i].Duplicat != "" {
				continue
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(batches); close(results) }()

	events := 0
	rr := array.ReaderFromIter(transform.EventSchema, func(yield func(arrow.RecordBatch, error) bool) {
		for b := range batches {
			first := events == 0
			events += int(b.NumRows())
			if !yield(b, nil) {
				b.Release()
				for b := range batches { // drain so the workers can stop
					b.Release()
				}
				return
			}
			if first {
				testPause(ctx, log, "ingest") // the store has taken the first batch
			}
		}
	})
	loadErr := store.Load(ctx, rr)
	rr.Release()
	if loadErr != nil {
		cancel()
		for b := range batches {
			b.Release()
		}
		return fmt.Errorf("load store: %w", loadErr)
	}
	m.Events = events

	byIdx := map[int]fileResult{}
	for r := range results {
		byIdx[r.idx] = r
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	usable := 0
	for i, f := range files {
		in := ManifestInput{Path: f.Path, Bron: f.Bron, SHA256: f.SHA256, Size: f.Size, Status: "ok"}
		br := m.bron(f.Bron)
		br.Files++
		if f.Duplicat != "" {
			in.Status = "duplicate of " + f.Duplicat
			log.Warn().Str("file", f.Path).Str("same_as", f.Duplicat).Msg("duplicate export skipped")
			m.Inputs = append(m.Inputs, in)
			continue
		}
		r := byIdx[i]
		// Quarantined counts rows rejected by ingest and by transform.
		in.Sheet, in.Read, in.Quarantined = r.sheet, r.stats.Read, q.CountFile(f.Path)
		in.Accepted = in.Read - in.Quarantined
		if r.err != nil {
			in.Status = "failed: " + r.err.Error()
			br.FailedFiles++
			log.Error().Str("bron", f.Bron).Str("file", f.Path).Err(r.err).Msg("file failed")
		} else {
			usable++
			log.Info().Str("bron", f.Bron).Str("file", f.Path).Int("rows_read", in.Read).
				Int("rows_quarantined", in.Quarantined).Msg("file ingested")
		}
		br.Read += in.Read
		br.Accepted += in.Accepted
		br.Events += in.Accepted // every accepted row becomes one event
		br.Quarantined += in.Quarantined
		m.Inputs = append(m.Inputs, in)
	}
	addTransformStats(m, tr.Stats())
	if usable == 0 {
		return ErrNothingToDo
	}
	return nil
}

func (m *Manifest) bron(name string) *BronReport {
	br := m.Bronnen[name]
	if br == nil {
		br = &BronReport{}
		m.Bronnen[name] = br
	}
	return br
}

// readFile ingests and transforms one file, sending event batches on out.
func readFile(ctx context.Context, o Options, f InputFile, idx int, q quarantine.Rejecter, tr *transform.Transformer, out chan<- arrow.RecordBatch) fileResult {
	res := fileResult{idx: idx}
	r, err := ingest.NewReader(ctx, f.abs, f.src, ingest.Options{Quarantine: q, Log: o.Log.With().Str("file", f.Path).Logger(), Name: f.Path, Mem: memory.DefaultAllocator})
	if err != nil {
		res.err = err
		return res
	}
	defer r.Release()
	res.sheet = r.Sheet()
	stage := tr.Stage(f.src, f.Path, r.Sheet())
	for r.Next() {
		ev, err := stage.Apply(ctx, r.RecordBatch())
		if err != nil {
			res.err = err
			break
		}
		select {
		case out <- ev:
		case <-ctx.Done():
			ev.Release()
			res.err = ctx.Err()
			return res
		}
	}
	if res.err == nil {
		res.err = r.Err()
	}
	res.stats = r.Stats()
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "  read %9d rows  %s\n", res.stats.Read, f.Path)
	}
	return res
}

// checkQuarantine fails the run when a source lost too many rows: better no
// publication than one that silently undercounts.
func checkQuarantine(o Options, m *Manifest) error {
	var over []string
	names := make([]string, 0, len(m.Bronnen))
	for name := range m.Bronnen {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		br := m.Bronnen[name]
		if br.Read > 0 {
			br.QuarantineRate = float64(br.Quarantined) / float64(br.Read)
		}
		if br.QuarantineRate > o.MaxQuarantineRate {
			over = append(over, fmt.Sprintf("%s %.1f%%", name, 100*br.QuarantineRate))
		}
	}
	if len(over) > 0 {
		return fmt.Errorf("%v (threshold %.1f%%): %w", over, 100*o.MaxQuarantineRate, ErrQuarantineRate)
	}
	return nil
}

func suppressedCounts(cells []aggregate.Cell, sum aggregate.Summary) map[string]SuppressedCount {
	out := map[string]SuppressedCount{}
	for _, c := range cells {
		sc := out[c.Indicator]
		sc.Cells++
		out[c.Indicator] = sc
	}
	for ind, s := range sum.Indicators {
		sc := out[ind]
		sc.Primary, sc.Secondary = s.Primary, s.Secondary
		out[ind] = sc
	}
	return out
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
