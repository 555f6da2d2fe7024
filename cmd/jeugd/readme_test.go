package main

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadmeAnalystExamples runs every command of the README's analyst
// section as written, in order, in an empty folder: the demo first, then
// the analyst commands on its publication. Each must exit 0, and a file it
// is told to write must be there.
func TestReadmeAnalystExamples(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := shellCommands(section(string(readme), "## For analysts"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) < 6 || cmds[0][1] != "demo" {
		t.Fatalf("the analyst section has %d commands, starting with %q; want the demo and the examples", len(cmds), cmds[0])
	}
	t.Chdir(t.TempDir())
	t.Setenv(ConfigEnv, "")
	for _, args := range cmds {
		switch {
		case args[0] == "export" && len(args) == 2:
			k, v, _ := strings.Cut(args[1], "=")
			t.Setenv(k, v)
			continue
		case args[0] != "jeugd":
			t.Fatalf("README analyst command %q is not a jeugd command; the test cannot run it", args)
		}
		stdout, stderr, code := runCLI(t, nil, append(args[1:], "--log-level", "error")...)
		if code != exitOK {
			t.Errorf("README: %s\nexit %d\nstderr: %s", strings.Join(args, " "), code, stderr)
			continue
		}
		if stdout == "" && !slices.Contains(args, "--output") {
			t.Errorf("README: %s printed nothing", strings.Join(args, " "))
		}
		for i, a := range args {
			if (a == "--output" || a == "--dir") && i+1 < len(args) {
				if _, err := os.Stat(args[i+1]); err != nil {
					t.Errorf("README: %s: %v", strings.Join(args, " "), err)
				}
			}
		}
	}
}

// section returns the part of a Markdown text from the heading to the
// next heading of the same level.
func section(text, heading string) string {
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		return ""
	}
	rest := text[i+len(heading)+2:]
	level := heading[:strings.IndexByte(heading, ' ')+1]
	if j := strings.Index(rest, "\n"+level); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

var shBlockRE = regexp.MustCompile("(?s)```sh\n(.*?)```")

// shellCommands splits the ```sh blocks of text into commands, as a POSIX
// shell would for the simple forms the README uses: words, 'single' and
// "double" quotes (which may span lines), backslash escapes and line
// continuations, and comments.
func shellCommands(text string) ([][]string, error) {
	var cmds [][]string
	for _, m := range shBlockRE.FindAllStringSubmatch(text, -1) {
		var words []string
		var word strings.Builder
		inWord := false
		src := []rune(m[1])
		end := func() {
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		}
		for i := 0; i < len(src); i++ {
			c := src[i]
			switch {
			case c == '\\' && i+1 < len(src):
				i++
				if src[i] != '\n' {
					word.WriteRune(src[i])
					inWord = true
				}
			case c == '\'' || c == '"':
				j := i + 1
				for j < len(src) && src[j] != c {
					if c == '"' && src[j] == '\\' && j+1 < len(src) {
						j++
					}
					word.WriteRune(src[j])
					j++
				}
				if j == len(src) {
					return nil, errors.New("unterminated quote in a README sh block")
				}
				i, inWord = j, true
			case c == '#' && !inWord:
				for i < len(src) && src[i] != '\n' {
					i++
				}
				i--
			case c == '\n':
				end()
				if len(words) > 0 {
					cmds = append(cmds, words)
					words = nil
				}
			case c == ' ' || c == '\t':
				end()
			default:
				word.WriteRune(c)
				inWord = true
			}
		}
		end()
		if len(words) > 0 {
			cmds = append(cmds, words)
		}
	}
	return cmds, nil
}

func TestShellCommands(t *testing.T) {
	text := "```sh\njeugd a --x 'b c' # note\n" + `jeugd query "select 'x'
  from t" \
  --format csv
export K=v
` + "```\n"
	got, err := shellCommands(text)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"jeugd", "a", "--x", "b c"}, {"jeugd", "query", "select 'x'\n  from t", "--format", "csv"}, {"export", "K=v"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shellCommands (-want +got):\n%s", diff)
	}
}
