package vics

import (
	"strings"

	"github.com/havenproject/haven/internal/bank/model"
)

// Context is what the context URL of a VICS file says.
type Context struct {
	URL string
	// Version is "1.1", "1.2", "1.3", "2.0", or "" when not recognised.
	Version string
	// Profile is the 2.0 variant path segment: US, UK, Default, CUSTOM,
	// UNKNOWN...
	Profile string
	// Fragment is what follows '#': Media or Cases.
	Fragment string
}

// Context URL prefixes.
const (
	url1x = "http://github.com/ICMEC/ProjectVic/DataModels/"
	url20 = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/"
)

// ParseContext reads a context URL such as
// http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media.
func ParseContext(u string) Context {
	c := Context{URL: u}
	rest := u
	if i := strings.LastIndexByte(rest, '#'); i >= 0 {
		c.Fragment, rest = rest[i+1:], rest[:i]
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		if v, ok := strings.CutSuffix(strings.ToLower(p), ".xml"); ok {
			c.Version = v
			if i+1 < len(parts) && !strings.HasPrefix(parts[i+1], "$") {
				c.Profile = parts[i+1]
			}
		}
	}
	return c
}

// Scheme returns the category scheme the profile names, or SchemeNone.
func (c Context) Scheme() model.Scheme {
	switch strings.ToUpper(c.Profile) {
	case "US":
		return model.SchemeVICSUS
	case "UK":
		return model.SchemeVICSUK
	}
	return model.SchemeNone
}
