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
	// (the GC works harder instead); GOMEMLIMIT overrides it. It must stay
	// well above the live heap, which the published cells dominate (about
	// 1 GiB for the Netherlands' 2.4M cells): at 384 MiB the GC ran without
	// pause there and the run took 2.5 times as long.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(2 << 30)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr) // tests call run too
	stop()
	os.Exit(code)
}
