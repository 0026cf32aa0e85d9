package social

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
)

// MaxReportComment is how long the comment of a report filed here may be,
// in characters (Mastodon's limit).
const MaxReportComment = 1000

// ErrReportInvalid is wrapped by the errors of a report that cannot be
// filed; the text after it says why, as Mastodon's validation does.
var ErrReportInvalid = errors.New("invalid report")

// ReportOptions is what a reporter says about an account.
type ReportOptions struct {
	Target   *model.Identity
	PostIDs  []model.ID // posts of Target
	Comment  string
	Category string // model.Report*; "other" when empty (violation when rules are given)
	RuleIDs  []model.ID
	// Forward sends the report, anonymously (by the server's own actor),
	// to the server of a remote target.
	Forward bool
}

// Report files a report of one of ours for the moderators, and forwards it
// to the target's server as a Flag when asked and the target is remote.
func (in *Instance) Report(ctx context.Context, reporter *model.Identity, o ReportOptions) (*model.Report, error) {
	if utf8.RuneCountInString(o.Comment) > MaxReportComment {
		return nil, fmt.Errorf("%w: Comment is too long (maximum is %d characters)", ErrReportInvalid, MaxReportComment)
	}
	category := o.Category
	if category == "" {
		category = model.ReportOther
		if len(o.RuleIDs) > 0 {
			category = model.ReportViolation
		}
	}
	if !model.ValidReportCategory(category) {
		return nil, fmt.Errorf("%w: Category is not included in the list", ErrReportInvalid)
	}
	var rules []model.ID
	if category == model.ReportViolation {
		// Rules matter to violations only, and must all exist (as Mastodon
		// checks them).
		all, err := store.ServerRules(ctx, in.DB)
		if err != nil {
			return nil, err
		}
		for _, id := range o.RuleIDs {
			if !slices.ContainsFunc(all, func(r *model.Rule) bool { return r.ID == id }) {
				return nil, fmt.Errorf("%w: Rule ids does not reference valid rules", ErrReportInvalid)
			}
			if !slices.Contains(rules, id) {
				rules = append(rules, id)
			}
		}
	}
	posts, err := store.PostsOfAuthor(ctx, in.DB, o.Target.ID, o.PostIDs)
	if err != nil {
		return nil, err
	}
	if len(posts) < len(distinctPostIDs(o.PostIDs)) {
		// Mastodon looks them up among the target's posts: one that is
		// not there is not found.
		return nil, ErrPostNotFound
	}
	r := &model.Report{
		ID: model.NewID(), Local: true, ReporterID: reporter.ID, TargetID: o.Target.ID, PostIDs: posts,
		RuleIDs: rules, Category: category, Comment: o.Comment,
		Forwarded: o.Forward && !o.Target.Local,
	}
	r.URI = fmt.Sprintf("%s/reports/%d", in.BaseURL(in.MainDomain), r.ID)
	if _, err := store.CreateReport(ctx, in.DB, r); err != nil {
		return nil, err
	}
	if r.Forwarded {
		if err := in.forwardReport(ctx, r, o.Target); err != nil {
			// The report stands for our moderators; only the copy for the
			// other server is lost.
			in.Logger.Warn("report: forwarding failed", "report", r.ID, "target", o.Target.URI, "error", err)
		}
	}
	return r, nil
}

// forwardReport queues a Flag of the report to the target's server, from
// the server's own actor as Mastodon sends it: the reporter stays
// anonymous to the other side.
func (in *Instance) forwardReport(ctx context.Context, r *model.Report, target *model.Identity) error {
	sys, err := in.EnsureSystemIdentity(ctx)
	if err != nil {
		return err
	}
	objects := []string{target.URI}
	if len(r.PostIDs) > 0 {
		posts, err := store.PostsByIDs(ctx, in.DB, r.PostIDs)
		if err != nil {
			return err
		}
		slices.SortFunc(posts, func(a, b *model.Post) int { return cmp.Compare(a.ID, b.ID) })
		for _, p := range posts {
			objects = append(objects, p.URI)
		}
	}
	flag := ap.NewActivity("Flag", r.URI, sys.URI, objects)
	flag["content"] = r.Comment
	return in.deliver(ctx, in.DB, sys, target, flag)
}

// distinctPostIDs returns ids without repeats, in order.
func distinctPostIDs(ids []model.ID) []model.ID {
	var out []model.ID
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
