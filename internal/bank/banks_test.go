package bank_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/store/storetest"
)

func TestBanks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := bank.NewService(db)
		b, err := s.Create(ctx, bank.Bank{Name: "ncmec-2024", Description: "NCMEC list", SourceOrg: "ncmec",
			SharedWith: []string{" police-b", "police-a", "police-a", ""}, Thresholds: map[signal.Kind]int{signal.PDQ: 24}})
		if err != nil {
			t.Fatal(err)
		}
		if b.ID == 0 || b.Kind != bank.Positive || b.Seq != 1 || !slices.Equal(b.SharedWith, []string{"police-a", "police-b"}) {
			t.Errorf("created %+v", b)
		}
		got, err := s.Get(ctx, "ncmec-2024")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != b.Name || got.Description != b.Description || got.Thresholds[signal.PDQ] != 24 ||
			!slices.Equal(got.SharedWith, b.SharedWith) || !got.CreatedAt.Equal(b.CreatedAt) {
			t.Errorf("got %+v, want %+v", got, b)
		}
		if _, err := s.Create(ctx, bank.Bank{Name: "ncmec-2024"}); !errors.Is(err, bank.ErrExists) {
			t.Errorf("duplicate: %v", err)
		}
		if _, err := s.Create(ctx, bank.Bank{Name: "stock", Kind: bank.Negative}); err != nil {
			t.Fatal(err)
		}
		list, err := s.List(ctx)
		if err != nil || len(list) != 2 || list[0].Name != "ncmec-2024" || list[1].Kind != bank.Negative {
			t.Errorf("list %+v, %v", list, err)
		}
		up, err := s.Update(ctx, "ncmec-2024", bank.BankUpdate{Kind: ptr(bank.Negative), SharedWith: &[]string{"care"},
			Thresholds: &map[signal.Kind]int{}})
		if err != nil {
			t.Fatal(err)
		}
		got, _ = s.Get(ctx, "ncmec-2024")
		if up.Seq != 2 || got.Seq != 2 || got.Kind != bank.Negative || !slices.Equal(got.SharedWith, []string{"care"}) ||
			got.Thresholds != nil || got.Description != "NCMEC list" {
			t.Errorf("updated %+v, read back %+v", up, got)
		}
		if _, err := s.Get(ctx, "nope"); !errors.Is(err, bank.ErrNotFound) {
			t.Errorf("get missing: %v", err)
		}
		if _, err := s.Update(ctx, "nope", bank.BankUpdate{}); !errors.Is(err, bank.ErrNotFound) {
			t.Errorf("update missing: %v", err)
		}
	})
}

func TestBankValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := bank.NewService(db)
		for _, b := range []bank.Bank{
			{Name: ""},
			{Name: "has space"},
			{Name: "../etc"},
			{Name: "ok", Kind: "maybe"},
			{Name: "ok", Thresholds: map[signal.Kind]int{signal.MD5: 1}},
			{Name: "ok", Thresholds: map[signal.Kind]int{signal.PDQ: 257}},
			{Name: "ok", SourceOrg: "a\x00b"},
			{Name: "ok", Description: "\xff"},
		} {
			if _, err := s.Create(t.Context(), b); !errors.Is(err, bank.ErrInvalid) {
				t.Errorf("%+v: %v", b, err)
			}
		}
	})
}
