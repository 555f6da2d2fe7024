package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/ivz-twente/jeugd/internal/golden"
)

// The committed reference page must match what `jeugd schemas doc`
// renders from the embedded schemas (as Benthos and rclone check theirs).
func TestSchemasDocUpToDate(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"schemas", "doc"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("jeugd schemas doc: exit %d: %s", code, stderr.String())
	}
	golden.Check(t, "../../docs/schemas.md", stdout.Bytes())
}
