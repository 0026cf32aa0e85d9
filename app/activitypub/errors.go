package activitypub

import (
	"encoding/json"
	"fmt"
	"io"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func writeErr(w io.Writer, msg string) {
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
