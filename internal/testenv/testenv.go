// Package testenv holds what tests share about their environment.
package testenv

import (
	"os"
	"testing"
)

// LongEnv is the environment variable that runs the long tests: oracles,
// loss reports, fault injection and large inboxes. `go test ./...` stays
// quick; `JEUGD_LONG=1 go test ./...` runs everything, as CI does.
const LongEnv = "JEUGD_LONG"

// Long skips t unless JEUGD_LONG=1.
func Long(t testing.TB) {
	t.Helper()
	if os.Getenv(LongEnv) != "1" {
		t.Skipf("long test: set %s=1 to run it", LongEnv)
	}
}
