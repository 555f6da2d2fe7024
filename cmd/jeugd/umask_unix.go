//go:build unix

package main

import (
	"io/fs"
	"syscall"
)

// processUmask is the umask jeugd started with, read once at start-up
// before anything runs concurrently (reading it means setting it).
var processUmask = func() fs.FileMode {
	m := syscall.Umask(0o022)
	syscall.Umask(m)
	return fs.FileMode(m)
}()
