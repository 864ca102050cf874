package vpdq_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/havenproject/haven/vpdq"
)

func ExampleHashFile() {
	res, err := vpdq.HashFile(context.Background(), "video.mp4", vpdq.Options{})
	if err != nil {
		log.Fatal(err) // errors.Is(err, vpdq.ErrNoVideo) and so on tell why
	}
	fmt.Printf("md5 %x, %d frames\n", res.MD5, len(res.Frames))
	vpdq.Write(os.Stdout, res.Frames) // the reference's text format
}

func ExampleIndex() {
	known, _ := vpdq.Parse(strings.NewReader(`0,100,b2dc981be36c994787bc16811edcda81d20b855627b6bff86e8ba1050b44ff86,0.000
30,100,92de981be52e894783bc92854edcda89f24b955627b6dff82a8b81052554dbc6,1.000
60,100,c0a3efc9a963f0a91e9a62392afc65013ba5421f529aafb9af4fa013157467e2,2.000
`))
	// An upload: the same video with a logo added, trimmed to its first two
	// seconds.
	upload, _ := vpdq.Parse(strings.NewReader(`0,100,b2d8981b616c894787bc36a51edcda89d24b955627b6bff8668ba1050b44dbc6,0.000
30,100,925e981be52e896781bc92951edcda09da4bd55625b6bffc268b81052554dbc6,1.000
`))
	x, err := vpdq.NewIndex(vpdq.DefaultMatch)
	if err != nil {
		log.Fatal(err)
	}
	x.Add(42, known)
	matches, _ := x.Search(context.Background(), upload)
	for _, m := range matches {
		fmt.Printf("video %d: %.1f%% of the upload, %.1f%% of the known video, seconds %v-%v\n",
			m.ID, m.QueryPercent, m.ComparedPercent, m.ComparedSegments[0].Start, m.ComparedSegments[0].End)
	}
	// Output:
	// video 42: 100.0% of the upload, 66.7% of the known video, seconds 0-1
}
