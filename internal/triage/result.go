package triage

import (
	"context"
	"encoding/json"
)

// Result is a finished triage. Its records stay on disk (the scratch store
// in the output directory): the Each methods stream them, so that a report
// of millions of files needs no more memory than one of hundreds. Close
// removes the scratch store.
type Result struct {
	Case, Seizure string
	NFiles        int64 // records: files, archives and walk problems
	NGroups       int
	Score         float64  // the seizure's score: its best group's
	Reasons       []string // for the seizure score
	Counts        map[Verdict]int
	Archives      int64
	Resumed       int64
	s             *spill
}

// Close removes the scratch store; the Each methods fail afterwards.
func (r *Result) Close() error {
	if r.s == nil {
		return nil
	}
	err := r.s.close()
	r.s = nil
	return err
}

// EachFile calls fn with every record in provenance-path order and the id
// of its group (0 for files that are not media).
func (r *Result) EachFile(ctx context.Context, fn func(f *File, group int) error) error {
	rows, err := r.s.db.QueryContext(ctx, `SELECT f.rec, COALESCE(g.gid, 0) FROM files f
		LEFT JOIN media m ON f.media = 1 AND m.sha256 = f.sha256 LEFT JOIN groups g ON g.root = m.grp ORDER BY f.path, f.key`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rec []byte
		var gid int
		if err := rows.Scan(&rec, &gid); err != nil {
			return err
		}
		f, err := decodeRec(rec)
		if err != nil {
			return err
		}
		if err := fn(f, gid); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachGroup calls fn with the groups in priority order, from first, each
// with its media in review order (new first, then by capture time and
// path) and each media with its files (up to MaxFilesListed). Only one
// group is in memory at a time. limit <= 0 means every group.
func (r *Result) EachGroup(ctx context.Context, first, limit int, fn func(g *Group) error) error {
	if limit <= 0 {
		limit = r.NGroups
	}
	first = max(first, 1)
	end := first + limit
	for first < end {
		// Group heads are small: read a page of them, then their media.
		heads, roots, err := r.groupHeads(ctx, first, min(end, first+256))
		if err != nil || len(heads) == 0 {
			return err
		}
		for i, g := range heads {
			if err := r.loadMedia(ctx, g, roots[i]); err != nil {
				return err
			}
			if err := fn(g); err != nil {
				return err
			}
			heads[i] = nil
		}
		first += len(heads)
	}
	return nil
}

func (r *Result) groupHeads(ctx context.Context, from, to int) ([]*Group, []int64, error) {
	rows, err := r.s.db.QueryContext(ctx, `SELECT gid, root, kind, score, reasons, cameras FROM groups
		WHERE gid >= ? AND gid < ? ORDER BY gid`, from, to)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var gs []*Group
	var roots []int64
	for rows.Next() {
		g := new(Group)
		var root int64
		var reasons, cams string
		if err := rows.Scan(&g.ID, &root, &g.Kind, &g.Score, &reasons, &cams); err != nil {
			return nil, nil, err
		}
		json.Unmarshal([]byte(reasons), &g.Reasons)
		json.Unmarshal([]byte(cams), &g.Cameras)
		gs, roots = append(gs, g), append(roots, root)
	}
	return gs, roots, rows.Err()
}

// loadMedia fills g.Media from the scratch store.
func (r *Result) loadMedia(ctx context.Context, g *Group, root int64) error {
	rows, err := r.s.db.QueryContext(ctx, `SELECT m.sha256, m.nfiles, m.seen_in, f.rec FROM media m JOIN files f ON f.key = m.rep
		WHERE m.grp = ? ORDER BY m.ord`, root)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sha, seen string
		var n int
		var rec []byte
		if err := rows.Scan(&sha, &n, &seen, &rec); err != nil {
			rows.Close()
			return err
		}
		f, err := decodeRec(rec)
		if err != nil {
			rows.Close()
			return err
		}
		m := &Media{SHA256: sha, Verdict: f.Verdict, File: f, NFiles: n}
		if seen != "" {
			json.Unmarshal([]byte(seen), &m.SeenIn)
		}
		g.Media = append(g.Media, m)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, m := range g.Media {
		if err := r.paths(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (r *Result) paths(ctx context.Context, m *Media) error {
	rows, err := r.s.db.QueryContext(ctx, `SELECT path FROM files WHERE media = 1 AND sha256 = ? ORDER BY path LIMIT ?`, m.SHA256, MaxFilesListed)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		m.Files = append(m.Files, p)
	}
	return rows.Err()
}

// EachReview calls fn with every media file's path in the order a reviewer
// should open them: group by group, each group's media in review order,
// each media's files by path.
func (r *Result) EachReview(ctx context.Context, fn func(path string) error) error {
	rows, err := r.s.db.QueryContext(ctx, `SELECT f.path FROM files f JOIN media m ON m.sha256 = f.sha256
		WHERE f.media = 1 ORDER BY m.ord, f.path`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return rows.Err()
}
