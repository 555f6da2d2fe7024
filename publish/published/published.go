// Package published reads the protected tables of a publication back for
// analysts: filtered cells for `jeugd aggregate` and read-only SQL for
// `jeugd query`. It never opens the internal store, so nothing it returns
// can hold more than what was published.
package published

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ivz-twente/jeugd/aggregate"
)

// Tables are the published tables of one run directory, loaded into an
// in-memory DuckDB with file access switched off afterwards.
type Tables struct {
	db      *sql.DB
	maxRows int
}

// DashboardParquet is the published dashboard table inside a run directory.
const DashboardParquet = "dashboard/indicatoren.parquet"

// Limits bound what one analyst's query may take. The zero value gives
// the defaults.
type Limits struct {
	Memory  string // DuckDB memory_limit, e.g. "256MB"; default DefaultMemory
	MaxRows int    // rows a query may return; default DefaultMaxRows
}

// Defaults of Limits. A time limit is the caller's context.
const (
	DefaultMemory  = "256MB"
	DefaultMaxRows = 1_000_000
)

// Open loads runDir's dashboard table as the table `indicatoren` into an
// in-memory database and then locks it down: no file access, no spilling
// to disk (a query that needs more than the memory limit stops), no path
// in any setting, and no statement can change the configuration.
func Open(ctx context.Context, runDir string, lim Limits) (*Tables, error) {
	path := filepath.Join(runDir, filepath.FromSlash(DashboardParquet))
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("published tables: %w", err)
	}
	if lim.Memory == "" {
		lim.Memory = DefaultMemory
	}
	if lim.MaxRows <= 0 {
		lim.MaxRows = DefaultMaxRows
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one in-memory database, one connection
	stmts := []string{
		"CREATE TABLE indicatoren AS SELECT * FROM read_parquet('" + strings.ReplaceAll(path, "'", "''") + "')",
		"SET memory_limit = '" + strings.ReplaceAll(lim.Memory, "'", "''") + "'",
		// No spilling at all: DuckDB's default spills to ./.tmp.
		"SET temp_directory = ''",
		"SET max_temp_directory_size = '0B'",
		"SET secret_directory = ''", // its default names the home directory
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		// From here on no statement can read or write a file or attach a
		// database, whatever the user types.
		"SET enable_external_access = false",
		"SET lock_configuration = true",
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			return nil, fmt.Errorf("published tables: %w", err)
		}
	}
	return &Tables{db: db, maxRows: lim.MaxRows}, nil
}

// Close releases the in-memory database.
func (t *Tables) Close() error { return t.db.Close() }

// Filter selects published cells; empty fields select everything.
type Filter struct {
	Indicator    string
	Niveau       string   // buurt, wijk, gemeente, regio
	Periodetype  string   // maand, kwartaal, jaar
	Gemeenten    []string // GM codes
	Uitsplitsing string   // totaal, geslacht, ...; empty selects all
	Van, Tot     string   // YYYY-MM, inclusive, compared on the period's first month
}

// Cells returns the published cells matching f, in published order.
func (t *Tables) Cells(ctx context.Context, f Filter) ([]aggregate.Cell, error) {
	// A publication from before geen_gegevens has no such column.
	geen := "false"
	var n int
	if err := t.db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.columns
		WHERE table_name = 'indicatoren' AND column_name = 'geen_gegevens'`).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		geen = "geen_gegevens"
	}
	rows, err := t.db.QueryContext(ctx, `SELECT indicator, gebiedsniveau, gebiedscode, gebiedsnaam,
		coalesce(gemeentecode, ''), periodetype, periode, uitsplitsing, klasse, waarde, onderdrukt, `+geen+`
		FROM indicatoren WHERE ? = '' OR indicator = ? ORDER BY rowid`, f.Indicator, f.Indicator)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cells []aggregate.Cell
	for rows.Next() {
		var c aggregate.Cell
		var w sql.NullInt64
		if err := rows.Scan(&c.Indicator, &c.Gebiedsniveau, &c.Gebiedscode, &c.Gebiedsnaam, &c.Gemeentecode,
			&c.Periodetype, &c.Periode, &c.Uitsplitsing, &c.Klasse, &w, &c.Onderdrukt, &c.GeenGegevens); err != nil {
			return nil, err
		}
		c.Waarde = w.Int64
		if f.match(&c) {
			cells = append(cells, c)
		}
	}
	return cells, rows.Err()
}

// FilterCells keeps the cells matching f, in order.
func FilterCells(cells []aggregate.Cell, f Filter) []aggregate.Cell {
	var out []aggregate.Cell
	for i := range cells {
		if f.match(&cells[i]) {
			out = append(out, cells[i])
		}
	}
	return out
}

func (f *Filter) match(c *aggregate.Cell) bool {
	switch {
	case f.Indicator != "" && c.Indicator != f.Indicator,
		f.Niveau != "" && c.Gebiedsniveau != f.Niveau,
		f.Periodetype != "" && c.Periodetype != f.Periodetype,
		f.Uitsplitsing != "" && c.Uitsplitsing != f.Uitsplitsing,
		len(f.Gemeenten) > 0 && !slices.Contains(f.Gemeenten, c.Gemeentecode):
		return false
	}
	first, last := monthRange(c.Periodetype, c.Periode)
	return (f.Van == "" || first >= f.Van) && (f.Tot == "" || last <= f.Tot)
}

// monthRange gives the first and last month (YYYY-MM) of a period:
// 2025 -> 2025-01..2025-12, 2025-K2 -> 2025-04..2025-06.
func monthRange(periodetype, periode string) (first, last string) {
	switch periodetype {
	case "jaar":
		return periode + "-01", periode + "-12"
	case "kwartaal":
		if len(periode) == 7 && periode[5] == 'K' && periode[6] >= '1' && periode[6] <= '4' {
			q := int(periode[6] - '0')
			return fmt.Sprintf("%s-%02d", periode[:4], 3*q-2), fmt.Sprintf("%s-%02d", periode[:4], 3*q)
		}
	}
	return periode, periode
}

// Area is a published area code and name.
type Area struct{ Code, Naam string }

// Gemeenten lists the published gemeenten.
func (t *Tables) Gemeenten(ctx context.Context) ([]Area, error) {
	return t.areas(ctx, "gemeente")
}

// Names maps every published area code to its name; it implements
// aggregate.Namer for recomputing cells with the published names.
func (t *Tables) Names(ctx context.Context) (Names, error) {
	areas, err := t.areas(ctx, "")
	if err != nil {
		return nil, err
	}
	n := Names{}
	for _, a := range areas {
		n[a.Code] = a.Naam
	}
	return n, nil
}

// Names maps area codes to names.
type Names map[string]string

// Naam implements aggregate.Namer.
func (n Names) Naam(code string) string { return n[code] }

func (t *Tables) areas(ctx context.Context, niveau string) ([]Area, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT DISTINCT gebiedscode, gebiedsnaam FROM indicatoren
		WHERE ? = '' OR gebiedsniveau = ? ORDER BY 1`, niveau, niveau)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Area
	for rows.Next() {
		var a Area
		if err := rows.Scan(&a.Code, &a.Naam); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CellKey identifies a cell across tables computed from the same store.
func CellKey(c *aggregate.Cell) string {
	return c.Indicator + "\x00" + c.Gebiedsniveau + "\x00" + c.Gebiedscode + "\x00" + c.Periode + "\x00" + c.Uitsplitsing + "\x00" + c.Klasse
}

// Suppressed returns the keys (CellKey) of every suppressed published cell.
// A recomputation with a stricter k must keep them suppressed: otherwise
// its answer could be combined with the publication to undo a suppression.
func (t *Tables) Suppressed(ctx context.Context) (map[string]bool, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT indicator, gebiedsniveau, gebiedscode, periode, uitsplitsing, klasse
		FROM indicatoren WHERE onderdrukt`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[string]bool{}
	for rows.Next() {
		var c aggregate.Cell
		if err := rows.Scan(&c.Indicator, &c.Gebiedsniveau, &c.Gebiedscode, &c.Periode, &c.Uitsplitsing, &c.Klasse); err != nil {
			return nil, err
		}
		keys[CellKey(&c)] = true
	}
	return keys, rows.Err()
}

// Gebieden lists the buurten of the publication with their wijk and
// gemeente: the region the run counted.
func (t *Tables) Gebieden(ctx context.Context) ([]aggregate.Gebied, error) {
	rows, err := t.db.QueryContext(ctx, `SELECT DISTINCT gebiedscode, gemeentecode FROM indicatoren
		WHERE gebiedsniveau = 'buurt' ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []aggregate.Gebied
	for rows.Next() {
		var bu, gm string
		if err := rows.Scan(&bu, &gm); err != nil {
			return nil, err
		}
		if len(bu) == 10 {
			out = append(out, aggregate.Gebied{Buurt: bu, Wijk: "WK" + bu[2:8], Gemeente: gm})
		}
	}
	return out, rows.Err()
}
