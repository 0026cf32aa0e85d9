package metrics

import (
	"runtime"
	"testing"
)

func TestNewRegistersRuntimeCollectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		family string
		linux  bool // only exported where /proc exists
	}{
		{family: "go_goroutines"},
		{family: "go_memstats_alloc_bytes"},
		{family: "process_cpu_seconds_total", linux: true},
		{family: "process_start_time_seconds", linux: true},
	}
	// Two registries must not collide: New must not touch global state.
	_ = New()
	families, err := New().Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, mf := range families {
		found[mf.GetName()] = true
	}
	for _, tt := range tests {
		if tt.linux && runtime.GOOS != "linux" {
			continue
		}
		if !found[tt.family] {
			t.Errorf("family %s not gathered", tt.family)
		}
	}
}
