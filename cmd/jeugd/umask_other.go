//go:build !unix

package main

import "io/fs"

// processUmask stands in for the umask where there is none (Windows):
// published files get 0644, which Windows maps to "not read-only".
var processUmask fs.FileMode = 0o022
