package ingest

import (
	"errors"
	"fmt"
)

// Kind classifies a Problem so that a report can count problems by cause.
type Kind int

// The kinds of problem a walk reports.
const (
	// KindLimit: a limit of Limits stopped the walk from opening or
	// finishing an archive or from reading an entry (Problem.Limit names it).
	KindLimit Kind = iota + 1
	// KindCorrupt: an archive or compressed stream is damaged or truncated.
	KindCorrupt
	// KindEncrypted: an archive or entry needs a password.
	KindEncrypted
	// KindUnsupported: a compression method or format variant this package
	// cannot decode (e.g. Deflate64 in zip).
	KindUnsupported
	// KindUnreadable: the operating system refused or failed a read, or an
	// input does not exist.
	KindUnreadable
)

// Sentinel errors: a *Problem matches the one of its Kind with errors.Is.
var (
	ErrLimit       = errors.New("limit exceeded")
	ErrCorrupt     = errors.New("corrupt or truncated")
	ErrEncrypted   = errors.New("encrypted")
	ErrUnsupported = errors.New("unsupported")
	ErrUnreadable  = errors.New("unreadable")
	// ErrReleased is returned by Item.Open after Item.Release.
	ErrReleased = errors.New("ingest: item already released")
)

var kindNames = map[Kind]string{
	KindLimit: "limit", KindCorrupt: "corrupt", KindEncrypted: "encrypted",
	KindUnsupported: "unsupported", KindUnreadable: "unreadable",
}

var kindErrs = map[Kind]error{
	KindLimit: ErrLimit, KindCorrupt: ErrCorrupt, KindEncrypted: ErrEncrypted,
	KindUnsupported: ErrUnsupported, KindUnreadable: ErrUnreadable,
}

func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Problem is what went wrong with one file, entry or archive. It is the Err
// of a problem Item and of errors returned while reading an Item's bytes.
type Problem struct {
	Kind Kind
	// Path is the provenance path of the file, entry or archive concerned:
	// for a limit hit while expanding an archive, the archive whose limit
	// was reached.
	Path string
	// Limit names the Limits field that was reached (e.g. "MaxRatio"), for
	// KindLimit only.
	Limit string
	// Err is the underlying cause, if any.
	Err error
}

func (p *Problem) Error() string {
	s := p.Path + ": " + p.Kind.String()
	if p.Limit != "" {
		s += " " + p.Limit
	}
	if p.Err != nil {
		s += ": " + p.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause.
func (p *Problem) Unwrap() error { return p.Err }

// Is reports whether target is the sentinel of p's Kind.
func (p *Problem) Is(target error) bool { return kindErrs[p.Kind] == target }

// problemf builds a Problem whose cause is a formatted message.
func problemf(kind Kind, path, format string, args ...any) *Problem {
	return &Problem{Kind: kind, Path: path, Err: fmt.Errorf(format, args...)}
}

// limitProblem reports that the named limit (a Limits field) was reached.
func limitProblem(path, limit string, format string, args ...any) *Problem {
	return &Problem{Kind: KindLimit, Path: path, Limit: limit, Err: fmt.Errorf(format, args...)}
}

// asProblem turns an error met while reading path into a Problem, keeping
// one that already is.
func asProblem(err error, path string) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	p = &Problem{Kind: errKind(err), Path: path, Err: err}
	if errors.Is(err, errWindow) {
		p.Limit = "MaxWindow"
	}
	return p
}
