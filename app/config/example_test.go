package config

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

const examplePath = "../../config.example.yaml"

func TestExampleConfigLoadsAsDefaults(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path, err := filepath.Abs(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load(LoadOptions{Path: path, Getwd: dir, SearchPaths: []string{}})
	if err != nil {
		t.Fatalf("loading %s: %v", examplePath, err)
	}
	want, err := Load(LoadOptions{Getwd: dir, SearchPaths: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != path {
		t.Errorf("Source = %q, want %q", got.Source, path)
	}
	got.Source = ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("example config differs from the defaults:\n got %+v\nwant %+v", got, want)
	}
}

// exampleLine matches "key:" or "key: value" with optional trailing comment.
var exampleLine = regexp.MustCompile(`^( *)([a-z0-9_]+):(?: +(.*?))?(?: +#.*)?$`)

func TestExampleConfigDocumentsEveryKey(t *testing.T) {
	t.Parallel()
	f, err := os.Open(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	values := map[string]string{}  // full key -> value text
	commented := map[string]bool{} // full key -> preceded by a comment
	var path []string
	prevComment := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			prevComment = false
			continue
		case strings.HasPrefix(trimmed, "#"):
			prevComment = true
			continue
		}
		m := exampleLine.FindStringSubmatch(line)
		if m == nil || len(m[1])%2 != 0 || len(m[1])/2 > len(path) {
			t.Fatalf("%s:%d: unexpected line %q", examplePath, n, line)
		}
		path = append(path[:len(m[1])/2], m[2])
		key := strings.Join(path, ".")
		if m[3] != "" {
			values[key] = m[3]
			commented[key] = prevComment
		}
		prevComment = false
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	for _, o := range Options() {
		got, ok := values[o.Key]
		switch {
		case !ok:
			t.Errorf("%s: key %s missing", examplePath, o.Key)
		case got != o.Default:
			t.Errorf("%s: %s is %s, want the default %s", examplePath, o.Key, got, o.Default)
		case !commented[o.Key]:
			t.Errorf("%s: %s has no comment above it", examplePath, o.Key)
		}
		delete(values, o.Key)
	}
	for key := range values {
		t.Errorf("%s: %s is not a known key", examplePath, key)
	}
}
