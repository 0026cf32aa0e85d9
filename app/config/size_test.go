package config

import "testing"

func TestParseSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"16MiB", 16 << 20, false},
		{"512KiB", 512 << 10, false},
		{"1GiB", 1 << 30, false},
		{"10MB", 10_000_000, false},
		{"100kB", 100_000, false},
		{"1024", 1024, false},
		{"7B", 7, false},
		{" 2 mib ", 2 << 20, false},
		{"12XB", 0, true},
		{"MiB", 0, true},
		{"-1MiB", 0, true},
		{"1.5MiB", 0, true},
		{"", 0, true},
		{"99999999999TiB", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSize(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseSize(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseSize(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[int64]string{
		16 << 20:   "16MiB",
		10_000_000: "10MB",
		1024:       "1KiB",
		1000:       "1kB",
		1234:       "1234B",
		0:          "0B",
	} {
		if got := FormatSize(in); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", in, got, want)
		}
		if back, err := ParseSize(FormatSize(in)); err != nil || back != in {
			t.Errorf("ParseSize(FormatSize(%d)) = %d, %v", in, back, err)
		}
	}
}

func TestMaxBodySizeForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		env  []string
		want int64
	}{
		{"yaml integer", "server:\n  max_body_size: 1024\n", nil, 1024},
		{"yaml size string", "server:\n  max_body_size: 10MB\n", nil, 10_000_000},
		{"env size", "", []string{"PUKEKO_SERVER_MAX_BODY_SIZE=512KiB"}, 512 << 10},
		{"env bytes", "", []string{"PUKEKO_SERVER_MAX_BODY_SIZE=2048"}, 2048},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := loadYAML(t, tt.file, tt.env...)
			if err != nil {
				t.Fatal(err)
			}
			if c.Server.MaxBodyBytes != tt.want {
				t.Errorf("MaxBodyBytes = %d, want %d", c.Server.MaxBodyBytes, tt.want)
			}
		})
	}
	_, err := loadYAML(t, "", "PUKEKO_SERVER_MAX_BODY_SIZE=12XB")
	wantErr(t, err, "server.max_body_size", `"12XB"`, "PUKEKO_SERVER_MAX_BODY_SIZE")
}
