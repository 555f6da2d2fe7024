package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ivz-twente/jeugd/schemas"
)

// InputFile is one supplier export found in the inbox.
type InputFile struct {
	Path     string // relative to the inbox, slash-separated
	abs      string
	Bron     string // source name: bron-soort
	SHA256   string
	Size     int64
	src      *schemas.Source
	Duplicat string // Path of an earlier file with the same content; such a file is skipped
}

// exportExt are the file kinds read from the inbox; anything else is
// reported and left alone.
var exportExt = map[string]bool{".csv": true, ".txt": true, ".tsv": true, ".xlsx": true}

// scanInbox lists INBOX/<source>/* exports. Folders must be named after a
// source; files are read in name order so runs are reproducible. Symbolic
// links are not followed, so a crafted inbox cannot make the run read
// files outside it.
func scanInbox(inbox string, set *schemas.Set) (files []InputFile, skipped []string, err error) {
	entries, err := os.ReadDir(inbox)
	if err != nil {
		return nil, nil, fmt.Errorf("inbox: %w", err)
	}
	seen := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() {
			skipped = append(skipped, e.Name()+" (not in a source folder)")
			continue
		}
		src := set.Source(e.Name())
		if src == nil {
			skipped = append(skipped, e.Name()+"/ (no source of that name; expected one of "+strings.Join(set.Names(), ", ")+")")
			continue
		}
		dir := filepath.Join(inbox, e.Name())
		sub, err := os.ReadDir(dir)
		if err != nil {
			return nil, nil, fmt.Errorf("inbox: %w", err)
		}
		sort.Slice(sub, func(i, j int) bool { return sub[i].Name() < sub[j].Name() })
		for _, f := range sub {
			rel := e.Name() + "/" + f.Name()
			if f.Type()&fs.ModeType != 0 || strings.HasPrefix(f.Name(), ".") || strings.HasPrefix(f.Name(), "~$") {
				skipped = append(skipped, rel+" (not a regular export file)")
				continue
			}
			if !exportExt[strings.ToLower(filepath.Ext(f.Name()))] {
				skipped = append(skipped, rel+" (not .csv, .txt, .tsv or .xlsx)")
				continue
			}
			abs := filepath.Join(dir, f.Name())
			sum, size, err := hashFile(abs)
			if err != nil {
				return nil, nil, fmt.Errorf("inbox: %w", err)
			}
			in := InputFile{Path: rel, abs: abs, Bron: src.Name(), SHA256: sum, Size: size, src: src}
			if prev, ok := seen[sum]; ok {
				in.Duplicat = prev
			} else {
				seen[sum] = rel
			}
			files = append(files, in)
		}
	}
	return files, skipped, nil
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
