package mastodon

// VerifyRendering turns on comparing every page served from the render
// cache with a plain rendering of it.
func VerifyRendering(on bool) { verifyRendering.Store(on) }

// TakeRenderMismatches returns, and forgets, the differences found.
func TakeRenderMismatches() []string {
	renderMismatches.Lock()
	defer renderMismatches.Unlock()
	found := renderMismatches.found
	renderMismatches.found = nil
	return found
}
