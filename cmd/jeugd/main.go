// Command jeugd turns supplier exports into anonymous youth figures per buurt.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	// A soft limit on the Go heap keeps peak memory flat as inboxes grow
	// (the GC works harder instead); GOMEMLIMIT overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(384 << 20)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr) // tests call run too
	stop()
	os.Exit(code)
}
