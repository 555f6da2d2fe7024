//go:build !duckdb_arrow

package aggregate

// The store receives events through duckdb-go's Arrow interface, which is
// compiled only with the build tag duckdb_arrow. Build, vet and test with
// it: GOFLAGS=-tags=duckdb_arrow (see README). Without it the build stops
// here, rather than produce a jeugd that cannot load events.
var _ = buildWithTagDuckdbArrow
