package cli_test

import (
	"debug/elf"
	"os"
	"testing"

	"pukeko/app/testkit"
)

// The release build is one static binary: no interpreter, no dynamic
// section, no shared libraries to install beside it.
func TestBinaryIsStatic(t *testing.T) {
	t.Parallel()
	path := testkit.Binary(t)
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %s program header: it is dynamically linked", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs shared libraries: %v", libs)
	}
	if st, err := os.Stat(path); err == nil {
		t.Logf("binary size: %.1f MB", float64(st.Size())/1e6)
	}
}
