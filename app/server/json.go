package server

import (
	"encoding/json"
	"net/http"
)

// writeJSON writes v as a JSON response with the given status code.
// Encoding errors are ignored: the values passed are fixed, encodable maps,
// and a write error means the client has gone away.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
