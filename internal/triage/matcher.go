package triage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/bank/formats"
	"github.com/havenproject/haven/internal/match"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/pdq"
	"github.com/havenproject/haven/vpdq"
)

// Matcher looks files up in the store's banks (PDQ in memory, digests by the
// store's exact lookup) and in hash-list files loaded into memory. It is safe
// for concurrent use.
type Matcher struct {
	svc *bank.Service // nil: no store
	idx *match.Index
	// allowed says which banks the organisation may match against (nil:
	// all). Hash-list files are the investigator's own and always allowed.
	allowed func(*match.Bank) bool

	mu      sync.Mutex
	entries map[[2]int64]bank.Entry // (bank, entry) -> opinion, for file banks and a cache of the store's
	names   map[int64]string
	files   int // hash-list files loaded
}

// fileBankBase is the lowest bank id given to a hash-list file: they count
// down from match.MaxBankID, far above any stored bank's id.
const fileBankBase = int64(match.MaxBankID) - 1<<20

// NewMatcher loads the PDQ and vPDQ entries of the banks in svc (nil for
// none) that org may match against: banks whose source organisation is org
// or that are shared with it. An empty org uses every bank (a single-user,
// offline triage).
func NewMatcher(ctx context.Context, svc *bank.Service, org string) (*Matcher, error) {
	m := &Matcher{svc: svc, idx: match.New(), entries: map[[2]int64]bank.Entry{}, names: map[int64]string{}}
	if org != "" {
		m.allowed = func(b *match.Bank) bool { return b.ID >= fileBankBase || slices.Contains(b.SharedWith, org) }
	}
	if svc != nil {
		idx, _, err := match.LoadPDQ(ctx, svc)
		if err != nil {
			return nil, fmt.Errorf("load banks: %w", err)
		}
		m.idx = idx
	}
	for _, b := range m.idx.Banks() {
		m.names[b.ID] = b.Name
	}
	return m, nil
}

// LoadFile reads a hash-list file in any format package formats detects
// and indexes its entries as a positive bank named "file:BASE". Rejected
// records are skipped; a fatal error loads nothing.
func (m *Matcher) LoadFile(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("hashes %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, formats.DetectSize)
	n, _ := io.ReadFull(f, head)
	format, ok := formats.Detect(head[:n])
	if !ok {
		return 0, fmt.Errorf("hashes %s: %w", path, formats.ErrFormat)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("hashes %s: %w", path, err)
	}
	r, err := formats.NewReader(format, f, formats.Options{Kind: signal.PDQ})
	if err != nil {
		return 0, fmt.Errorf("hashes %s: %w", path, err)
	}
	m.mu.Lock()
	bankID := int64(match.MaxBankID) - int64(m.files)
	m.files++
	name := "file:" + filepath.Base(path)
	m.names[bankID] = name
	m.mu.Unlock()
	var batch []match.Entry
	var ents []bank.Entry
	for {
		e, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var rec *formats.RecordError
		if errors.As(err, &rec) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("hashes %s: %w", path, err)
		}
		e.ID, e.BankID = int64(len(ents)+1), bankID
		ents = append(ents, e)
		batch = append(batch, match.Entry{ID: e.ID, BankID: bankID, Signal: e.Signal})
	}
	if err := m.idx.SetBank(match.Bank{ID: bankID, Name: name, Kind: bank.Positive}); err != nil {
		return 0, err
	}
	if err := m.idx.AddBatch(batch); err != nil {
		return 0, fmt.Errorf("hashes %s: %w", path, err)
	}
	m.mu.Lock()
	for _, e := range ents {
		m.entries[[2]int64{bankID, e.ID}] = e
	}
	m.mu.Unlock()
	return len(ents), nil
}

// Lookup returns the hits for a file's digests and PDQ (with its dihedral
// variants when d is set), negative banks suppressing positive hits.
func (m *Matcher) Lookup(ctx context.Context, f *File, d *pdq.Dihedral) ([]Hit, error) {
	sigs := []signal.Signal{{Kind: signal.MD5, Value: f.MD5}, {Kind: signal.SHA1, Value: f.SHA1}, {Kind: signal.SHA256, Value: f.SHA256}}
	var raw []match.Hit
	kinds := map[[2]int64]signal.Kind{}
	for _, s := range sigs {
		if s.Value == "" {
			continue
		}
		for _, h := range m.idx.Lookup(match.Query{Signal: s, Allowed: m.allowed}) {
			raw = append(raw, h)
			kinds[[2]int64{h.BankID, h.EntryID}] = s.Kind
		}
		if m.svc == nil {
			continue
		}
		found, err := m.svc.LookupExact(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("lookup %s: %w", s.Kind, err)
		}
		for _, x := range found {
			if b := match.BankFrom(x.Bank); m.allowed != nil && !m.allowed(&b) {
				continue // not shared with this organisation
			}
			k := [2]int64{x.Bank.ID, x.Entry.ID}
			m.mu.Lock()
			m.entries[k], m.names[x.Bank.ID] = x.Entry, x.Bank.Name
			m.mu.Unlock()
			kinds[k] = s.Kind
			raw = append(raw, match.Hit{BankID: x.Bank.ID, BankName: x.Bank.Name, Negative: x.Bank.Kind == bank.Negative, EntryID: x.Entry.ID})
		}
	}
	if f.PDQ != "" {
		s := signal.Signal{Kind: signal.PDQ, Value: f.PDQ}
		for _, h := range m.idx.Lookup(match.Query{Signal: s, Dihedral: d, Allowed: m.allowed}) {
			raw = append(raw, h)
			kinds[[2]int64{h.BankID, h.EntryID}] = signal.PDQ
		}
	}
	videos := map[[2]int64]*vpdq.Comparison{}
	if f.VPDQ != "" {
		// Every bank video with a matching frame, under each bank's frame
		// distance; the verdict shows the percentages and segments.
		hs, err := m.idx.LookupContext(ctx, match.Query{Signal: signal.Signal{Kind: signal.VPDQ, Value: f.VPDQ}, Allowed: m.allowed})
		if err != nil && !errors.Is(err, vpdq.ErrSyntax) {
			return nil, fmt.Errorf("vpdq lookup: %w", err)
		}
		for _, h := range hs {
			k := [2]int64{h.BankID, h.EntryID}
			videos[k], kinds[k] = h.Video, signal.VPDQ
			raw = append(raw, h)
		}
	}
	if len(raw) == 0 {
		return nil, nil
	}
	raw = match.Suppress(dedupeHits(raw))
	if err := m.fetch(ctx, raw); err != nil {
		return nil, err
	}
	hits := make([]Hit, 0, len(raw))
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range raw {
		k := [2]int64{h.BankID, h.EntryID}
		e := m.entries[k]
		name := m.names[h.BankID]
		if name == "" {
			name = h.BankName
		}
		hit := Hit{
			Source: name, Negative: h.Negative, Suppressed: h.Suppressed,
			Kind: string(kinds[k]), Distance: h.Distance,
			Scheme: string(e.Category.Scheme), Category: e.Category.Value, Series: e.Series,
			VictimIdentified: e.VictimIdentified,
		}
		if v := videos[k]; v != nil {
			hit.QueryPercent, hit.ComparedPercent = v.QueryPercent, v.ComparedPercent
			for _, s := range v.QuerySegments {
				hit.Segments = append(hit.Segments, Segment{Start: s.Start, End: s.End})
			}
		}
		hits = append(hits, hit)
	}
	return hits, nil
}

// dedupeHits keeps one hit per entry, the nearest.
func dedupeHits(hs []match.Hit) []match.Hit {
	best := map[[2]int64]int{}
	var out []match.Hit
	for _, h := range hs {
		k := [2]int64{h.BankID, h.EntryID}
		if i, ok := best[k]; ok {
			if h.Distance < out[i].Distance {
				out[i] = h
			}
			continue
		}
		best[k] = len(out)
		out = append(out, h)
	}
	return out
}

// fetch loads the opinions of store entries not yet cached.
func (m *Matcher) fetch(ctx context.Context, hs []match.Hit) error {
	if m.svc == nil {
		return nil
	}
	var ids []int64
	m.mu.Lock()
	for _, h := range hs {
		if _, ok := m.entries[[2]int64{h.BankID, h.EntryID}]; !ok {
			ids = append(ids, h.EntryID)
		}
	}
	m.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	got, err := m.svc.EntriesByID(ctx, ids)
	if err != nil {
		return fmt.Errorf("bank entries: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, e := range got {
		m.entries[[2]int64{e.BankID, id}] = e
	}
	return nil
}

// verdict reads a file's hits: a negative hit wins (benign-known), then an
// exact digest hit (known), then a perceptual one, even at distance 0
// (near-known: the bytes differ).
func verdict(hits []Hit) Verdict {
	v := New
	for _, h := range hits {
		switch {
		case h.Negative:
			return BenignKnown
		case h.Suppressed:
			continue
		case h.Kind != string(signal.PDQ) && h.Kind != string(signal.VPDQ):
			v = Known
		case v != Known:
			v = NearKnown
		}
	}
	return v
}
