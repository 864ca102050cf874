package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/havenproject/haven/internal/bank/formats/vics"
)

// generate writes an input of about n entries in format to path,
// streaming: pytx writes n "pdq <hash>" lines; vics writes n/3 Media of
// three hashes each (MD5, SHA-1, PDQ).
func generate(path, format string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	switch format {
	case "pytx":
		err = writePDQLines(w, n, 1)
	case "vics":
		err = vics.WriteSynthetic(w, n/3, 1)
	default:
		err = fmt.Errorf("unknown format %q", format)
	}
	if err != nil {
		return fmt.Errorf("generate %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func writePDQLines(w *bufio.Writer, n int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 2))
	var (
		raw [32]byte
		txt [64]byte
	)
	for range n {
		for i := 0; i < len(raw); i += 8 {
			v := rng.Uint64()
			for j := range 8 {
				raw[i+j] = byte(v >> (8 * j))
			}
		}
		hex.Encode(txt[:], raw[:])
		w.WriteString("pdq ")
		w.Write(txt[:])
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	return nil
}
