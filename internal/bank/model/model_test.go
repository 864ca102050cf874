package model

import (
	"errors"
	"testing"
)

func TestNewCategory(t *testing.T) {
	tests := []struct {
		scheme  Scheme
		value   string
		want    Category
		wantErr bool
	}{
		{SchemeNCMEC, " a1 ", Category{SchemeNCMEC, "A1"}, false},
		{SchemeINHOPE, "Baseline", Category{SchemeINHOPE, "baseline"}, false},
		{SchemeVICSUS, "0", Category{SchemeVICSUS, "0"}, false},
		{SchemeVICSUS, "8", Category{}, true},
		{SchemeUK, "D", Category{}, true},
		{SchemeNone, "", Category{}, false},
		{SchemeNone, "A", Category{}, true},
		{Scheme("iwf"), "A", Category{}, true},
	}
	for _, tc := range tests {
		got, err := NewCategory(tc.scheme, tc.value)
		if got != tc.want || (err != nil) != tc.wantErr || (err != nil && !errors.Is(err, ErrCategory)) {
			t.Errorf("NewCategory(%q, %q) = %v, %v", tc.scheme, tc.value, got, err)
		}
	}
	if (Category{}).String() != "uncategorised" || (Category{SchemeUK, "A"}).String() != "uk:A" {
		t.Error("Category.String")
	}
}
