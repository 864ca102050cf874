package jpeg

import (
	"os"
	"testing"
)

func TestInstrOne(t *testing.T) {
	f := os.Getenv("ONE")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	switch os.Getenv("MODE") {
	case "full":
		DecodeBytes(data, Options{})
	case "nearest":
		DecodeNearest(data, 512, 512, Options{})
	}
}
