package published

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/duckdb/duckdb-go/v2"
)

// Errors of Query that callers tell apart.
var (
	ErrNotReadOnly   = errors.New("only one read-only SELECT statement is allowed")
	ErrTooManyRows   = errors.New("the result has more rows than allowed")
	errNotSelectJSON = "not implemented" // json_serialize_sql's error_type for a statement that is not a SELECT
)

// Query runs one read-only SELECT statement over the published tables and
// calls header with the column names, then row for every result row, in
// order. Nothing else runs: the statement text is parsed (DuckDB's
// json_serialize_sql) and its type checked before anything is executed, so
// several statements, a write, ATTACH, LOAD, SET or COPY are refused with
// ErrNotReadOnly without running any of them. The caller's context bounds
// the time; the memory limit of Open bounds the memory; after Limits.MaxRows
// rows it stops with ErrTooManyRows.
func (t *Tables) Query(ctx context.Context, query string, header func([]string) error, row func([]any) error) error {
	conn, err := t.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var parsed struct {
		Error      bool              `json:"error"`
		Type       string            `json:"error_type"`
		Message    string            `json:"error_message"`
		Statements []json.RawMessage `json:"statements"`
	}
	var js string
	if err := conn.QueryRowContext(ctx, "SELECT json_serialize_sql(?::VARCHAR)::VARCHAR", query).Scan(&js); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(js), &parsed); err != nil {
		return fmt.Errorf("parse the statement: %w", err)
	}
	switch {
	case parsed.Error && parsed.Type != errNotSelectJSON:
		return fmt.Errorf("%s error: %s", parsed.Type, parsed.Message)
	case len(parsed.Statements) > 1:
		return fmt.Errorf("%w: the text holds %d statements", ErrNotReadOnly, len(parsed.Statements))
	}
	// Not every SELECT serialises (PIVOT does not): the prepared statement's
	// type decides. Prepare without a context extracts the statements and
	// refuses more than one before it prepares, so nothing runs here either.
	return conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return errors.New("duckdb connection cannot prepare")
		}
		st, err := c.Prepare(query)
		if err != nil {
			if parsed.Error {
				return fmt.Errorf("%w (this statement would change or reach outside the published tables)", ErrNotReadOnly)
			}
			return err
		}
		defer st.Close()
		ds, ok := st.(*duckdb.Stmt)
		if !ok {
			return errors.New("not a duckdb statement")
		}
		typ, err := ds.StatementType()
		if err != nil {
			return err
		}
		if typ != duckdb.STATEMENT_TYPE_SELECT {
			return fmt.Errorf("%w (this statement would change or reach outside the published tables)", ErrNotReadOnly)
		}
		rows, err := ds.QueryContext(ctx, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		return t.scan(rows, header, row)
	})
}

// scan hands the rows of a result to the callbacks, at most maxRows.
func (t *Tables) scan(rows driver.Rows, header func([]string) error, row func([]any) error) error {
	cols := rows.Columns()
	if err := header(cols); err != nil {
		return err
	}
	vals := make([]driver.Value, len(cols))
	out := make([]any, len(cols))
	for n := 0; ; n++ {
		err := rows.Next(vals)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if n == t.maxRows {
			return fmt.Errorf("%w: more than %d", ErrTooManyRows, t.maxRows)
		}
		for i, v := range vals {
			out[i] = v
		}
		if err := row(out); err != nil {
			return err
		}
	}
}
