// Package model holds the types of banks and their entries: what an opinion
// about a hash says, and under which category scheme. It depends on no
// database, so that the exchange formats (internal/bank/formats) can read and
// write entries without linking the store; package bank re-exports these
// types and keeps them in the store.
package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/signal"
)

// Kind says whether matches against a bank flag material (positive) or
// clear it (negative: known-benign images such as stock photos, whose
// matches suppress positive ones).
type Kind string

const (
	Positive Kind = "positive"
	Negative Kind = "negative"
)

// Scheme is a named category scheme. A category value means nothing without
// its scheme: "1" is CSAM in VICS US but there is no "1" in UK A/B/C.
type Scheme string

const (
	SchemeNone Scheme = ""
	// SchemeVICSUS is Project VIC's US profile: 0 non-pertinent, 1 CSAM,
	// 2 child exploitative (age-difficult), 3 CGI/animation, 4 comparison.
	SchemeVICSUS Scheme = "vics-us"
	// SchemeVICSUK is the numeric Category of VICS files written with the
	// UK profile (the UK's CAID grading). The numbers are kept as written;
	// mapping them to UK A/B/C is the importer's documented choice.
	SchemeVICSUK Scheme = "vics-uk"
	// SchemeUK is the UK sentencing categories A, B, C.
	SchemeUK Scheme = "uk"
	// SchemeNCMEC is the NCMEC / Tech Coalition industry classification:
	// A1, A2, B1, B2 (A: prepubescent, B: pubescent; 1: sex act, 2: lascivious).
	SchemeNCMEC Scheme = "ncmec"
	// SchemeINHOPE is INHOPE's ICCAM: "baseline" (illegal everywhere) or
	// "national" (illegal under national law only).
	SchemeINHOPE Scheme = "inhope"
)

// schemeValues lists the valid values of each scheme.
var schemeValues = map[Scheme][]string{
	SchemeVICSUS: {"0", "1", "2", "3", "4"},
	SchemeVICSUK: {"0", "1", "2", "3", "4", "5", "6"},
	SchemeUK:     {"A", "B", "C"},
	SchemeNCMEC:  {"A1", "A2", "B1", "B2"},
	SchemeINHOPE: {"baseline", "national"},
}

// ErrCategory reports a category value its scheme does not have.
var ErrCategory = errors.New("invalid category")

// Category is a value in a scheme; the zero value is "uncategorised".
type Category struct {
	Scheme Scheme `json:"scheme,omitempty"`
	Value  string `json:"value,omitempty"`
}

// NewCategory checks value against scheme, normalising its case.
func NewCategory(scheme Scheme, value string) (Category, error) {
	value = strings.TrimSpace(value)
	if scheme == SchemeNone {
		if value != "" {
			return Category{}, fmt.Errorf("%w: %q has no scheme", ErrCategory, value)
		}
		return Category{}, nil
	}
	valid, ok := schemeValues[scheme]
	if !ok {
		return Category{}, fmt.Errorf("%w: unknown scheme %q", ErrCategory, scheme)
	}
	for _, v := range valid {
		if strings.EqualFold(v, value) {
			return Category{Scheme: scheme, Value: v}, nil
		}
	}
	return Category{}, fmt.Errorf("%w: %q is not in scheme %s (%s)", ErrCategory, value, scheme, strings.Join(valid, ", "))
}

// IsZero reports an uncategorised entry.
func (c Category) IsZero() bool { return c == Category{} }

func (c Category) String() string {
	if c.IsZero() {
		return "uncategorised"
	}
	return string(c.Scheme) + ":" + c.Value
}

// Bank is a list of hashes from one source.
type Bank struct {
	ID          int64
	Name        string
	Description string
	// SourceOrg is the organisation that curates the bank.
	SourceOrg string
	Kind      Kind
	// SharedWith lists the organisations that may match against the bank;
	// the source organisation always may.
	SharedWith []string
	// Thresholds overrides the match distance per perceptual kind (pdq:
	// 31 by default).
	Thresholds map[signal.Kind]int
	// Seq is bumped by every change to the bank or its entries.
	Seq       int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Flags are the facts an opinion may state about the material. A nil
// pointer means "not stated", which differs from false.
type Flags struct {
	VictimIdentified   *bool `json:"victim_identified,omitempty"`
	OffenderIdentified *bool `json:"offender_identified,omitempty"`
	SelfGenerated      *bool `json:"self_generated,omitempty"`
	Distributed        *bool `json:"distributed,omitempty"`
}

// Entry is one opinion about one hash in one bank. The same hash in two
// banks is two entries; their disagreement is visible, never merged away.
type Entry struct {
	ID     int64
	BankID int64
	Signal signal.Signal
	// Quality is the PDQ quality when the source gave it.
	Quality  *int
	Category Category
	Series   string
	Flags
	// SourceID is the entry's identifier at its source (an NCMEC entry id,
	// a ThreatExchange descriptor id, a StopNCII case), for round trips
	// and withdrawals.
	SourceID string
	// Tags are free labels from the source.
	Tags    []string
	AddedBy string
	AddedAt time.Time
	// Seq is the bank sequence number of the entry's last change.
	Seq int64
	// Withdrawn is set when the opinion is withdrawn (a tombstone): the
	// entry stays for the audit trail but no longer matches.
	Withdrawn       *time.Time
	WithdrawnBy     string
	WithdrawnReason string
	// Extra keeps the fields of the source record that Haven does not
	// model, so that an export can give them back (VICS round trips).
	Extra json.RawMessage
}

// Active reports whether the entry matches.
func (e *Entry) Active() bool { return e.Withdrawn == nil }
