package model

import "time"

// Report categories.
const (
	ReportSpam      = "spam"
	ReportLegal     = "legal"
	ReportViolation = "violation" // of the server's rules (RuleIDs)
	ReportOther     = "other"
)

// ValidReportCategory reports whether c is a report category.
func ValidReportCategory(c string) bool {
	switch c {
	case ReportSpam, ReportLegal, ReportViolation, ReportOther:
		return true
	}
	return false
}

// Report is a complaint about an account for the moderators: filed here by
// one of ours (Local) or received from another server as a Flag
// (ReporterID its actor).
type Report struct {
	ID          ID
	Local       bool
	ReporterID  ID // 0 when the reporter is gone
	TargetID    ID
	PostIDs     []ID
	RuleIDs     []ID
	Category    string
	Comment     string
	Forwarded   bool   // a Flag was sent to the target's server
	URI         string // the Flag's id
	ActionTaken *time.Time
	Created     time.Time
}

// Rule is one of the server's rules.
type Rule struct {
	ID   ID
	Text string
	Hint string
}
