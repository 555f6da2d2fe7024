// Command baseline is the yardstick for scripts/bench.sh: the core of a run
// done by DuckDB alone. It reads every CSV of an inbox with read_csv,
// hashes the person key with sha256, joins postcode and huisnummer to buurt
// through the region's postcode table and counts per source x buurt x
// month into a Parquet file.
//
// It skips what the pipeline does on top: XLSX files, quarantine and its
// report, date and code validation beyond a few formats, geocoding by
// coordinates or buurtcode, keyed (HMAC) pseudonyms, the indicator rules,
// disclosure control and the per-gemeente tables. Headers are mapped to
// fields with the pipeline's schemas, in Go, once per file.
//
//	go run ./bench/baseline -inbox DIR/inbox -postcodes DIR/referentie/pc6hnr.csv -db FILE -out FILE
package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/ivz-twente/jeugd/schemas"
)

func main() {
	inbox := flag.String("inbox", "", "inbox with one folder per source")
	postcodes := flag.String("postcodes", "", "postcode table in CBS layout (PC6;Huisnummer;Buurt2024;...)")
	dbPath := flag.String("db", "", "DuckDB file to create (removed first)")
	out := flag.String("out", "", "Parquet file for the counts")
	flag.Parse()
	if *inbox == "" || *postcodes == "" || *dbPath == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(context.Background(), *inbox, *postcodes, *dbPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, inbox, postcodes, dbPath, out string) error {
	start := time.Now()
	set := schemas.Builtin()
	var selects []string
	skipped := 0
	for _, name := range set.Names() {
		files, _ := filepath.Glob(filepath.Join(inbox, name, "*"))
		for _, f := range files {
			if !strings.EqualFold(filepath.Ext(f), ".csv") {
				skipped++
				continue
			}
			q, err := fileSelect(set.Source(name), f)
			if err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			selects = append(selects, q)
		}
	}
	if len(selects) == 0 {
		return fmt.Errorf("no CSV files in %s", inbox)
	}
	for _, p := range []string{dbPath, dbPath + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	db, err := sql.Open("duckdb", dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	stmts := []string{
		fmt.Sprintf(`CREATE TABLE adres AS SELECT PC6 AS pc, Huisnummer AS hn, Buurt2024 AS buurt
			FROM read_csv(%s, delim=';', header=true, columns={'PC6': 'VARCHAR', 'Huisnummer': 'INTEGER', 'Buurt2024': 'VARCHAR', 'Wijk2024': 'VARCHAR', 'Gemeente2024': 'VARCHAR'})`, lit(postcodes)),
		`CREATE TABLE events AS
			SELECT r.bron, r.persoon, a.buurt, date_trunc('month', r.datum) AS maand
			FROM (` + strings.Join(selects, "\n\t\t\tUNION ALL ") + `) r
			JOIN (SELECT DISTINCT ON (pc, hn) pc, hn, buurt FROM adres) a ON a.pc = r.pc AND a.hn = r.hn
			WHERE r.datum IS NOT NULL`,
		fmt.Sprintf(`COPY (SELECT bron AS indicator, buurt, maand, count(DISTINCT persoon) AS n
			FROM events GROUP BY ALL ORDER BY ALL) TO %s (FORMAT parquet)`, lit(out)),
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	var events, cells int64
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM read_parquet(`+lit(out)+`))`).Scan(&events, &cells); err != nil {
		return err
	}
	fmt.Printf("csv_files %d\nxlsx_skipped %d\nevents %d\ncells %d\nseconds %.2f\n",
		len(selects), skipped, events, cells, time.Since(start).Seconds())
	return nil
}

// fileSelect builds the SELECT for one CSV: canonical column names from the
// header, the person key hashed, postcode normalised, the date parsed.
func fileSelect(src *schemas.Source, path string) (string, error) {
	head, utf8ok, err := sniff(path)
	if err != nil {
		return "", err
	}
	delim := ";"
	for _, d := range []string{"\t", ","} {
		if strings.Count(head, d) > strings.Count(head, delim) {
			delim = d
		}
	}
	byAlias := map[string]string{}
	for _, f := range src.Fields {
		byAlias[schemas.Normalize(f.Name)] = f.Name
		for _, a := range f.Aliases {
			byAlias[schemas.Normalize(a)] = f.Name
		}
	}
	has := map[string]bool{}
	var names []string
	for i, h := range strings.Split(head, delim) {
		n, ok := byAlias[schemas.Normalize(strings.Trim(h, `"`))]
		if !ok || has[n] {
			n = fmt.Sprintf("extra%d", i)
		}
		has[n] = true
		names = append(names, lit(n)+": 'VARCHAR'")
	}
	col := func(n string) string {
		if has[n] {
			return n
		}
		return "NULL::VARCHAR"
	}
	person := fmt.Sprintf("coalesce(nullif(trim(%s), ''), lower(trim(%s)) || '|' || trim(%s))",
		col("bsn"), col("achternaam"), col("geboortedatum"))
	pc, hn := col("woon_postcode"), col("woon_huisnummer")
	if src.Name() == "politie-incidenten" {
		person = col("registratienummer")
		pc, hn = col("pleeg_postcode"), col("pleeg_huisnummer")
	}
	enc := "utf-8"
	if !utf8ok {
		enc = "latin-1"
	}
	return fmt.Sprintf(`SELECT %s AS bron, sha256(%s) AS persoon,
			upper(replace(%s, ' ', '')) AS pc, try_cast(%s AS INTEGER) AS hn,
			try_strptime(%s, ['%%d-%%m-%%Y', '%%Y-%%m-%%d', '%%d/%%m/%%Y', '%%d-%%m-%%y']) AS datum
		FROM read_csv(%s, delim=%s, header=true, columns={%s}, encoding=%s,
			ignore_errors=true, null_padding=true, auto_detect=false, quote='"', escape='"')`,
		lit(src.Name()), person, pc, hn, col(src.Datum), lit(path), lit(delim), strings.Join(names, ", "), lit(enc)), nil
}

// sniff returns the header line without BOM and whether the first MiB is
// valid UTF-8 (otherwise the file is read as Latin-1, close to cp1252).
func sniff(path string) (string, bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		return "", false, err
	}
	buf = buf[:n]
	ok := utf8.Valid(buf)
	if !ok && n == len(buf) {
		// A cut multi-byte rune at the end is not an encoding error.
		ok = utf8.Valid(buf[:n-utf8.UTFMax])
	}
	line, err := bufio.NewReader(strings.NewReader(string(buf))).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", false, err
	}
	line = strings.TrimPrefix(strings.TrimRight(line, "\r\n"), "\ufeff")
	return line, ok, nil
}

// lit quotes a SQL string literal.
func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
