// Package ucrt lets Debian's mingw-w64 link DuckDB's Windows library: a
// program that uses DuckDB imports it (blank) so that its Windows build
// links. On other systems it is empty.
package ucrt
