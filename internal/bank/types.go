package bank

import "github.com/havenproject/haven/internal/bank/model"

// The types of banks and entries live in package model, which links no
// database; these aliases are their names in this package.
type (
	Kind     = model.Kind
	Scheme   = model.Scheme
	Category = model.Category
	Bank     = model.Bank
	Flags    = model.Flags
	Entry    = model.Entry
)

const (
	Positive = model.Positive
	Negative = model.Negative

	SchemeNone   = model.SchemeNone
	SchemeVICSUS = model.SchemeVICSUS
	SchemeVICSUK = model.SchemeVICSUK
	SchemeUK     = model.SchemeUK
	SchemeNCMEC  = model.SchemeNCMEC
	SchemeINHOPE = model.SchemeINHOPE
)

// ErrCategory reports a category value its scheme does not have.
var ErrCategory = model.ErrCategory

// NewCategory checks value against scheme, normalising its case.
func NewCategory(scheme Scheme, value string) (Category, error) {
	return model.NewCategory(scheme, value)
}
