package mastodon

import (
	"errors"
	"net/http"

	"pukeko/app/media"
	"pukeko/app/social"
)

// socialError answers the errors of app/social and app/media that are the
// caller's doing with Mastodon's status and text; anything else is a 500.
func (c *call) socialError(err error) {
	if c.quoteError(err) {
		return
	}
	var status int
	var msg string
	switch {
	case errors.Is(err, social.ErrPostNotFound), errors.Is(err, social.ErrNotPostOwner):
		c.notFound()
		return
	case errors.Is(err, social.ErrEmptyPost):
		status, msg = 422, "Validation failed: Text can't be blank"
	case errors.Is(err, social.ErrPostTooLong):
		status, msg = 422, "Validation failed: Text character limit exceeded ("+err.Error()+")"
	case errors.Is(err, social.ErrTooManyAttachments):
		status, msg = 422, "Validation failed: Media attachments are too many ("+err.Error()+")"
	case errors.Is(err, social.ErrMediaNotFound):
		status, msg = 422, "Validation failed: Media attachments are invalid"
	case errors.Is(err, social.ErrMediaProcessing):
		status, msg = 422, "Cannot attach files that have not finished processing. Try again in a moment!"
	case errors.Is(err, social.ErrInvalidPoll), errors.Is(err, social.ErrInvalidChoice):
		status, msg = 422, "Validation failed: "+err.Error()
	case errors.Is(err, social.ErrNotPoll):
		c.notFound()
		return
	case errors.Is(err, social.ErrPollClosed):
		status, msg = 422, "Validation failed: The poll has already ended"
	case errors.Is(err, social.ErrOwnPoll), errors.Is(err, social.ErrAlreadyVoted):
		status, msg = 422, "Validation failed: "+err.Error()
	case errors.Is(err, social.ErrTooManyPins):
		status, msg = 422, "Validation failed: You have already pinned the maximum number of posts"
	case errors.Is(err, social.ErrNotPinnable), errors.Is(err, social.ErrNotBoosted):
		status, msg = 422, "Validation failed: "+err.Error()
	case errors.Is(err, social.ErrBlocked):
		status, msg = 403, "This action is not allowed"
	case errors.Is(err, social.ErrProfileInvalid):
		status, msg = 422, "Validation failed: "+err.Error()
	case errors.Is(err, social.ErrBlockedDomain):
		status, msg = 403, "This domain is blocked"
	case errors.Is(err, media.ErrUnsupported):
		status, msg = 422, "Validation failed: File content type is invalid"
	case errors.Is(err, media.ErrTooLarge):
		status, msg = 422, "Validation failed: File is too large ("+err.Error()+")"
	case errors.Is(err, media.ErrBadFile):
		status, msg = 422, "Validation failed: File could not be processed"
	default:
		c.api.fail(c, err)
		return
	}
	writeError(c.w, status, msg)
}

var _ = http.StatusOK
