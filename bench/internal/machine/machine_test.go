package machine

import (
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	d := Describe()
	if !strings.Contains(d, "cores") || !strings.Contains(d, "go1") {
		t.Errorf("Describe() = %q", d)
	}
	if Load() == "" {
		t.Error("Load() is empty")
	}
}
