package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/schemas.md from the schemas")

// The committed reference page must match what `jeugd schemas doc`
// renders from the embedded schemas (as Benthos and rclone check theirs).
func TestSchemasDocUpToDate(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"schemas", "doc"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("jeugd schemas doc: exit %d: %s", code, stderr.String())
	}
	const path = "../../docs/schemas.md"
	if *updateDocs {
		if err := os.WriteFile(path, stdout.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), stdout.String()); diff != "" {
		t.Errorf("docs/schemas.md is stale; run go test ./cmd/jeugd -run TestSchemasDocUpToDate -update-docs (-committed +rendered):\n%s", diff)
	}
}
