package triage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/havenproject/haven/hamming"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/pdq"
)

// Sightings is what earlier triages in the store say about this seizure's
// content: where else each SHA-256 and camera body was seen, and the cameras
// of known material whose victim is not identified.
type Sightings struct {
	Media     map[string][]string // sha256 -> "case X / seizure Y"
	Cameras   map[string][]string // camera -> "case X / seizure Y"
	KnownCams map[string]string   // camera -> series (case)
}

const chunk = 400 // values per IN list, well under both databases' limits

// linkCases records the seizure's media in the store, replacing what an
// earlier run of the same seizure recorded, and returns where else its
// content and cameras were seen. each streams the media with their
// representative records; fs are their facts (for the PDQ look-up). A
// seizure with no case name is not recorded. Memory: the sightings found
// and the distinct cameras, not the seizure's records.
func linkCases(ctx context.Context, db *store.DB, caseName, seizure string, each func(func(int, string, *File) error) error,
	fs []facts, radius int) (*Sightings, error) {
	seen := &Sightings{Media: map[string][]string{}, Cameras: map[string][]string{}, KnownCams: map[string]string{}}
	if caseName == "" {
		return seen, nil
	}
	var id int64
	cams := map[string]bool{}
	const where = ` FROM triage_media m JOIN triage_seizures s ON s.id = m.seizure_id WHERE m.seizure_id <> $1 AND `
	lookShas := func(shas []any) error {
		return inChunks(ctx, db, `SELECT m.sha256, s.case_name, s.name`+where+`m.sha256 IN `, id, shas, func(rows *sql.Rows) error {
			var sha, c, s string
			if err := rows.Scan(&sha, &c, &s); err != nil {
				return err
			}
			seen.Media[sha] = appendNew(seen.Media[sha], place(c, s))
			return nil
		})
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id FROM triage_seizures WHERE case_name = $1 AND name = $2`, caseName, seizure).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRowContext(ctx, `INSERT INTO triage_seizures (case_name, name, created_at) VALUES ($1, $2, $3) RETURNING id`,
				caseName, seizure, time.Now().UTC()).Scan(&id)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM triage_media WHERE seizure_id = $1`, id); err != nil {
			return err
		}
		var shas []any
		err = each(func(_ int, sha string, f *File) error {
			unident := 0
			series := ""
			if f.Verdict == Known && !identified(f.Matches) {
				unident, series = 1, seriesName(f.Matches)
			}
			if c := f.EXIF.Camera(); c != "" {
				cams[c] = true
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO triage_media (seizure_id, sha256, md5, pdq, verdict, camera, series, unidentified)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, sha, f.MD5, f.PDQ, string(f.Verdict), f.EXIF.Camera(), series, unident); err != nil {
				return err
			}
			// Other seizures' rows are not changed by this transaction:
			// look them up a chunk at a time as the media stream past.
			if shas = append(shas, sha); len(shas) == chunk {
				err := lookShas(shas)
				shas = shas[:0]
				return err
			}
			return nil
		})
		if err == nil {
			err = lookShas(shas)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record seizure %s/%s: %w", caseName, seizure, err)
	}
	var camList []any
	for c := range cams {
		camList = append(camList, c)
	}
	err = inChunks(ctx, db, `SELECT m.camera, s.case_name, s.name, m.unidentified, m.series`+where+`m.camera IN `, id, camList, func(rows *sql.Rows) error {
		var cam, c, s, series string
		var unident int
		if err := rows.Scan(&cam, &c, &s, &unident, &series); err != nil {
			return err
		}
		seen.Cameras[cam] = appendNew(seen.Cameras[cam], place(c, s))
		if unident == 1 {
			seen.KnownCams[cam] = series + " (" + place(c, s) + ")"
		}
		return nil
	})
	if err == nil {
		err = nearSightings(ctx, db, id, each, fs, radius, seen)
	}
	if err != nil {
		return nil, fmt.Errorf("look up other cases: %w", err)
	}
	return seen, nil
}

// media returns where else a media was seen: its content, and for new
// material its camera.
func (s *Sightings) media(sha string, f *File, v Verdict) []string {
	out := append([]string(nil), s.Media[sha]...)
	if c := f.EXIF.Camera(); c != "" && v == New {
		for _, where := range s.Cameras[c] {
			out = appendNew(out, where+" (same camera)")
		}
	}
	return out
}

// nearSightings finds the seizure's new media that are near-duplicates (PDQ
// within radius) of media recorded in other seizures. It indexes this
// seizure's new media and streams the others' PDQs past the index, so memory
// follows the seizure's distinct new images (a few dozen bytes each), not
// the store.
func nearSightings(ctx context.Context, db *store.DB, id int64, each func(func(int, string, *File) error) error,
	fs []facts, radius int, seen *Sightings) error {
	idx := hamming.New()
	for i, x := range fs {
		if x.verdict == New && x.hasPDQ {
			idx.Add(uint64(i), x.pdq)
		}
	}
	if idx.Len() == 0 {
		return nil
	}
	rows, err := db.SQL.QueryContext(ctx, `SELECT m.sha256, m.pdq, s.case_name, s.name FROM triage_media m
		JOIN triage_seizures s ON s.id = m.seizure_id WHERE m.seizure_id <> $1 AND m.pdq <> ''`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	hits := map[int][]string{} // media index -> other seizures, with the other's sha256
	var buf []hamming.Match
	for rows.Next() {
		var sha, hex, c, s string
		if err := rows.Scan(&sha, &hex, &c, &s); err != nil {
			return err
		}
		h, err := pdq.Parse(hex)
		if err != nil {
			continue
		}
		buf = idx.Search(h, radius, buf[:0])
		for _, x := range buf {
			hits[int(x.ID)] = append(hits[int(x.ID)], sha, place(c, s)+" (near-duplicate)")
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(hits) == 0 {
		return nil
	}
	return each(func(i int, sha string, _ *File) error {
		h := hits[i]
		for k := 0; k+1 < len(h); k += 2 {
			if h[k] != sha {
				seen.Media[sha] = appendNew(seen.Media[sha], h[k+1])
			}
		}
		return nil
	})
}

func place(caseName, seizure string) string { return "case " + caseName + " / seizure " + seizure }

// inChunks runs q with "($2, $3, ...)" appended for each chunk of values,
// $1 being first.
func inChunks(ctx context.Context, db *store.DB, q string, first any, vals []any, scan func(*sql.Rows) error) error {
	for len(vals) > 0 {
		n := min(len(vals), chunk)
		ph := make([]string, n)
		for i := range ph {
			ph[i] = fmt.Sprintf("$%d", i+2)
		}
		args := append([]any{first}, vals[:n]...)
		rows, err := db.SQL.QueryContext(ctx, q+"("+strings.Join(ph, ", ")+")", args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		vals = vals[n:]
	}
	return nil
}
