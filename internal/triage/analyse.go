package triage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/havenproject/haven/pdq"
)

// verdictRank orders media within a group: new first, benign last.
var verdictRank = map[Verdict]int{New: 0, NearKnown: 1, Known: 2, BenignKnown: 3}

// facts is what grouping keeps in memory for one distinct media: a fixed
// few dozen bytes (the PDQ, the capture time, interned camera ids), never
// the record itself.
type facts struct {
	pdq     pdq.Hash
	taken   int64 // Unix seconds; valid when hasTime
	camera  int32 // interned "make model #serial" of a serial-bearing camera, -1 for none
	model   int32 // interned make+model, -1 for none
	verdict Verdict
	hasPDQ  bool
	hasTime bool
	video   bool
}

// interner gives each distinct string (a camera) a small id.
type interner map[string]int32

func (in interner) id(s string) int32 {
	if s == "" {
		return -1
	}
	if i, ok := in[s]; ok {
		return i
	}
	in[s] = int32(len(in))
	return in[s]
}

// analysis is one pass over the scratch store, inside one transaction.
type analysis struct {
	ctx   context.Context
	tx    *sql.Tx
	opt   Options
	facts []facts // by media id - 1
	// videos holds the vPDQ frames of video media, by media index.
	videos    map[int][]string
	knownCams map[string]string // camera -> series, known material with unidentified victims
	seen      *Sightings
}

// analyse stacks, links, groups, scores and ranks the records in s.
func analyse(ctx context.Context, s *spill, opt Options, res *Result) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	a := &analysis{ctx: ctx, tx: tx, opt: opt, videos: map[int][]string{}, knownCams: map[string]string{}}
	st := opt.Stages
	t := time.Now()
	if err := a.stack(); err != nil {
		return fmt.Errorf("stack duplicates: %w", err)
	}
	if err := a.loadFacts(); err != nil {
		return fmt.Errorf("read media: %w", err)
	}
	st.add(StageGroup, t)
	if opt.Store != nil {
		t = time.Now()
		if a.seen, err = linkCases(ctx, opt.Store, opt.Case, opt.Seizure, a.eachMedia, a.facts, opt.NearRadius); err != nil {
			return err
		}
		for c, s := range a.seen.KnownCams {
			a.knownCams[c] = s
		}
		st.add(StageLink, t)
	}
	t = time.Now()
	kinds, roots := group(a.facts, a.videos, opt.NearRadius)
	if err := a.writeGroups(roots); err != nil {
		return fmt.Errorf("group: %w", err)
	}
	if err := a.score(kinds); err != nil {
		return fmt.Errorf("score: %w", err)
	}
	if err := a.rank(res); err != nil {
		return fmt.Errorf("rank: %w", err)
	}
	st.add(StageGroup, t)
	return tx.Commit()
}

// stack makes one media row per distinct content of the media files; its
// representative record is the one with the first path.
func (a *analysis) stack() error {
	_, err := a.tx.ExecContext(a.ctx, `INSERT INTO media (sha256, rep, first_path, nfiles)
		SELECT sha256, key, MIN(path), COUNT(*) FROM files WHERE media = 1 GROUP BY sha256 ORDER BY MIN(path)`)
	return err
}

// eachMedia streams every media with its representative record, by id.
func (a *analysis) eachMedia(fn func(i int, sha string, f *File) error) error {
	rows, err := a.tx.QueryContext(a.ctx, `SELECT m.id, m.sha256, f.rec FROM media m JOIN files f ON f.key = m.rep ORDER BY m.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var sha string
		var rec []byte
		if err := rows.Scan(&id, &sha, &rec); err != nil {
			return err
		}
		f, err := decodeRec(rec)
		if err != nil {
			return err
		}
		if err := fn(id-1, sha, f); err != nil {
			return err
		}
	}
	return rows.Err()
}

// loadFacts fills a.facts, the vPDQ of videos and the cameras of known
// material whose victim is not identified.
func (a *analysis) loadFacts() error {
	cams, models := interner{}, interner{}
	return a.eachMedia(func(i int, _ string, f *File) error {
		x := facts{verdict: f.Verdict, camera: -1, model: -1, video: f.Video}
		if h, err := pdq.Parse(f.PDQ); err == nil && f.PDQ != "" {
			x.pdq, x.hasPDQ = h, true
		}
		if e := f.EXIF; e != nil && e.Camera() != "" {
			if e.Serial != "" {
				x.camera = cams.id(e.Camera())
			}
			x.model = models.id(e.Make + "\x00" + e.Model)
			if e.Taken != nil {
				x.taken, x.hasTime = e.Taken.Unix(), true
			}
			if f.Verdict == Known && !identified(f.Matches) {
				a.knownCams[e.Camera()] = seriesName(f.Matches)
			}
		}
		if f.VPDQ != "" {
			a.videos[i] = strings.Split(f.VPDQ, "\n")
		}
		if i != len(a.facts) {
			return fmt.Errorf("media ids not dense at %d", i)
		}
		a.facts = append(a.facts, x)
		return nil
	})
}

// writeGroups stores each media's group root, verdict rank and capture time
// (the review order within a group).
func (a *analysis) writeGroups(roots []int32) error {
	st, err := a.tx.PrepareContext(a.ctx, `UPDATE media SET grp = ?, vrank = ?, taken = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	for i, x := range a.facts {
		taken := int64(0)
		if x.hasTime {
			taken = x.taken
		}
		if _, err := st.ExecContext(a.ctx, roots[i], verdictRank[x.verdict], taken, i+1); err != nil {
			return err
		}
	}
	return nil
}

// score streams the media group by group, scores each group and stores it.
func (a *analysis) score(kinds map[int32]GroupKind) error {
	rows, err := a.tx.QueryContext(a.ctx, `SELECT m.grp, m.sha256, m.nfiles, m.first_path, f.rec FROM media m
		JOIN files f ON f.key = m.rep ORDER BY m.grp, m.vrank, m.taken, m.first_path`)
	if err != nil {
		return err
	}
	defer rows.Close()
	ins, err := a.tx.PrepareContext(a.ctx, `INSERT INTO groups (root, kind, score, reasons, cameras, first_path, nmedia) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	now := a.opt.Now()
	var g *Group
	var root int32 = -1
	var first string
	flush := func() error {
		if g == nil {
			return nil
		}
		g.Cameras = cameras(g)
		score(g, now, a.knownCams)
		reasons, _ := json.Marshal(g.Reasons)
		cams, _ := json.Marshal(g.Cameras)
		_, err := ins.ExecContext(a.ctx, root, string(g.Kind), g.Score, reasons, cams, first, len(g.Media))
		return err
	}
	for rows.Next() {
		var grp int32
		var sha, firstPath string
		var n int
		var rec []byte
		if err := rows.Scan(&grp, &sha, &n, &firstPath, &rec); err != nil {
			return err
		}
		f, err := decodeRec(rec)
		if err != nil {
			return err
		}
		if grp != root {
			if err := flush(); err != nil {
				return err
			}
			g, root, first = &Group{Kind: kinds[grp]}, grp, firstPath
			if g.Kind == "" {
				g.Kind = Single
			}
		}
		if firstPath < first {
			first = firstPath
		}
		m := &Media{SHA256: sha, Verdict: f.Verdict, File: f, NFiles: n}
		if a.seen != nil {
			if m.SeenIn = a.seen.media(sha, f, m.Verdict); len(m.SeenIn) > 0 {
				b, _ := json.Marshal(m.SeenIn)
				if _, err := a.tx.ExecContext(a.ctx, `UPDATE media SET seen_in = ? WHERE sha256 = ?`, string(b), sha); err != nil {
					return err
				}
			}
		}
		// Scoring needs each media's facts, not its files: records are
		// dropped as soon as the group is scored.
		g.Media = append(g.Media, m)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// rank numbers the groups by score (then first path) and the media in
// review order: group by group, new first, then by capture time and path.
func (a *analysis) rank(res *Result) error {
	for _, q := range []string{
		`UPDATE groups SET gid = r.n FROM (SELECT root, ROW_NUMBER() OVER (ORDER BY score DESC, first_path) AS n FROM groups) r WHERE groups.root = r.root`,
		`CREATE INDEX groups_gid ON groups (gid)`,
		`UPDATE media SET ord = r.n FROM (SELECT m.id, ROW_NUMBER() OVER (ORDER BY g.gid, m.vrank, m.taken, m.first_path) AS n
			FROM media m JOIN groups g ON g.root = m.grp) r WHERE media.id = r.id`,
		`CREATE INDEX media_grp ON media (grp, ord)`,
		`CREATE INDEX media_ord ON media (ord)`,
	} {
		if _, err := a.tx.ExecContext(a.ctx, q); err != nil {
			return err
		}
	}
	var reasons string
	err := a.tx.QueryRowContext(a.ctx, `SELECT score, reasons, (SELECT COUNT(*) FROM groups) FROM groups WHERE gid = 1`).Scan(&res.Score, &reasons, &res.NGroups)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(reasons), &res.Reasons)
}

func seriesName(hits []Hit) string {
	for _, h := range hits {
		if h.Series != "" && !h.Negative {
			return h.Series
		}
	}
	return "(unnamed)"
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}
