package bank

import (
	"context"
	"fmt"
	"strings"
)

// EntriesByID returns the entries with the given IDs (withdrawn ones
// included: a caller holding an ID from an index that has not caught up yet
// must see that it was withdrawn), keyed by ID. Absent IDs are absent from
// the map.
func (s *Service) EntriesByID(ctx context.Context, ids []int64) (map[int64]Entry, error) {
	out := make(map[int64]Entry, len(ids))
	const chunk = 500 // stay far below both databases' parameter limits
	for len(ids) > 0 {
		n := min(len(ids), chunk)
		args := make([]any, n)
		marks := make([]string, n)
		for i, id := range ids[:n] {
			args[i], marks[i] = id, fmt.Sprintf("$%d", i+1)
		}
		err := s.streamEntries(ctx, func(e *Entry) error { out[e.ID] = *e; return nil },
			`SELECT `+entryCols+` FROM entries WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("entries by id: %w", err)
		}
		ids = ids[n:]
	}
	return out, nil
}
