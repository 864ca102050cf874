package main

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/havenproject/haven/internal/bank"
	"github.com/havenproject/haven/internal/media/exif"
	"github.com/havenproject/haven/internal/signal"
	"github.com/havenproject/haven/internal/store"
	"github.com/havenproject/haven/internal/triage"
	"github.com/havenproject/haven/pdq"
)

// plant is the make-up of the priority collection.
type plant struct {
	Noise, NoisePhotos, Known, NearKnown int
	Series                               []int // sizes of the planted new series
}

var defaultPlant = plant{Noise: 3000, NoisePhotos: 400, Known: 200, NearKnown: 100, Series: []int{12, 8, 6}}

// priorityResult is where the planted new-series items fall in Haven's
// review order and in file-system (path) order.
type priorityResult struct {
	Media, SeriesItems          int
	HavenFirst, HavenAll        int // 1-based positions
	FSFirst, FSAll              int
	HavenPerSeries, FSPerSeries []int // position of each series' last item
	TopKind                     string
	Wall                        float64
}

type entrySlice []bank.Entry

func (e *entrySlice) Next() (bank.Entry, error) {
	if len(*e) == 0 {
		return bank.Entry{}, io.EOF
	}
	x := (*e)[0]
	*e = (*e)[1:]
	return x, nil
}

// runPriority builds the planted collection under dir, banks in a store
// under dir/data, triages it and measures the reviewer positions.
func runPriority(ctx context.Context, dir string, p plant, seed uint64) (priorityResult, error) {
	var pr priorityResult
	r := rand.New(rand.NewPCG(seed, 3))
	in := filepath.Join(dir, "seizure")
	folder := func() string { return filepath.Join(in, fmt.Sprintf("f%02d", r.IntN(40))) }
	name := func(ext string) string { return fmt.Sprintf("%08x%s", r.Uint32(), ext) }
	db, err := store.Open(ctx, filepath.Join(dir, "data"))
	if err != nil {
		return pr, err
	}
	defer db.Close()
	svc := bank.NewService(db)
	if _, err := svc.Create(ctx, bank.Bank{Name: "hotline", Kind: bank.Positive}); err != nil {
		return pr, err
	}
	cat, _ := bank.NewCategory(bank.SchemeVICSUS, "1")
	var es entrySlice
	img := func(w, h int) ([]byte, error) { return encodeJPEG(draw(r, w, h), 85) }
	for i := range p.Noise {
		b, err := img(160+r.IntN(480), 120+r.IntN(360))
		if err == nil {
			err = writeFile(filepath.Join(folder(), name(".jpg")), b)
		}
		if err != nil {
			return pr, err
		}
		_ = i
	}
	makes := []string{"Canon", "Nikon", "Sony", "Apple", "Samsung", "Fujifilm", "Olympus", "Google"}
	now := time.Now().UTC()
	for range p.NoisePhotos {
		b, err := img(800, 600)
		if err != nil {
			return pr, err
		}
		mk := makes[r.IntN(len(makes))]
		c := exif.Camera{Make: mk, Model: fmt.Sprintf("%s M%d", mk, r.IntN(30)), Serial: fmt.Sprintf("N%06d", r.IntN(1e6)),
			Taken: now.Add(-time.Duration(r.IntN(15*365*24)) * time.Hour)}
		if err := writeEXIFPhoto(filepath.Join(folder(), name(".jpg")), b, c); err != nil {
			return pr, err
		}
	}
	for i := range p.Known {
		b, err := img(320+r.IntN(320), 240+r.IntN(240))
		if err != nil {
			return pr, err
		}
		sum := md5.Sum(b)
		sig, _ := signal.New(signal.MD5, hex.EncodeToString(sum[:]))
		ident := i%2 == 0
		es = append(es, bank.Entry{Signal: sig, Category: cat, Series: fmt.Sprintf("K%d", i%20), Flags: bank.Flags{VictimIdentified: &ident}})
		if err := writeFile(filepath.Join(folder(), name(".jpg")), b); err != nil {
			return pr, err
		}
	}
	for range p.NearKnown {
		src := draw(r, 640, 480)
		h, _ := pdq.HashImage(src)
		es = append(es, bank.Entry{Signal: signal.Signal{Kind: signal.PDQ, Value: h.String()}, Category: cat, Series: "NK"})
		b, err := encodeJPEG(half(src), 65)
		if err == nil {
			err = writeFile(filepath.Join(folder(), name(".jpg")), b)
		}
		if err != nil {
			return pr, err
		}
	}
	if _, err := svc.Import(ctx, "hotline", &es, bank.ImportOptions{AddedBy: "bench"}); err != nil {
		return pr, err
	}
	series := map[string]int{} // path -> series index
	cams := []exif.Camera{{Make: "Canon", Model: "Canon EOS 80D", Serial: "SN-A"}, {Make: "Nikon", Model: "NIKON D5300", Serial: "SN-B"},
		{Make: "Apple", Model: "iPhone 12"}}
	for s, n := range p.Series {
		c := cams[s%len(cams)]
		start := now.Add(-time.Duration(20+15*s) * 24 * time.Hour)
		for k := range n {
			b, err := img(1024, 768)
			if err != nil {
				return pr, err
			}
			c.Taken = start.Add(time.Duration(k*(10+5*s)) * time.Minute)
			path := filepath.Join(folder(), name(".jpg"))
			if err := writeEXIFPhoto(path, b, c); err != nil {
				return pr, err
			}
			series[path] = s
		}
	}
	pr.SeriesItems = len(series)
	t := time.Now()
	res, err := triage.Run(ctx, triage.Options{Inputs: []string{in}, OutDir: filepath.Join(dir, "out"), Store: db})
	if err != nil {
		return pr, err
	}
	defer res.Close()
	pr.Wall = time.Since(t).Seconds()
	var review []string
	if err := res.EachReview(ctx, func(p string) error { review = append(review, p); return nil }); err != nil {
		return pr, err
	}
	res.EachGroup(ctx, 1, 1, func(g *triage.Group) error { pr.TopKind = string(g.Kind); return nil })
	fs := append([]string(nil), review...)
	sort.Strings(fs) // the walk's order: paths in lexical order
	pr.Media = len(review)
	pr.HavenFirst, pr.HavenAll, pr.HavenPerSeries = positions(review, series, len(p.Series))
	pr.FSFirst, pr.FSAll, pr.FSPerSeries = positions(fs, series, len(p.Series))
	return pr, nil
}

// positions returns the 1-based position of the first planted item, of the
// last, and of each series' last item.
func positions(order []string, series map[string]int, n int) (first, all int, per []int) {
	per = make([]int, n)
	for i, p := range order {
		s, ok := series[p]
		if !ok {
			continue
		}
		if first == 0 {
			first = i + 1
		}
		all = i + 1
		per[s] = i + 1
	}
	return first, all, per
}

func joinInts(xs []int) string {
	var s []string
	for _, x := range xs {
		s = append(s, fmt.Sprint(x))
	}
	return strings.Join(s, ", ")
}

// writeEXIFPhoto writes the JPEG jpg carrying camera c's EXIF.
func writeEXIFPhoto(path string, jpg []byte, c exif.Camera) error {
	b, err := exif.InJPEG(jpg, exif.Build(c))
	if err != nil {
		return fmt.Errorf("exif for %s: %w", path, err)
	}
	return writeFile(path, b)
}
