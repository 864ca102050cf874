//go:build nodynamic

package media

import "testing"

// With -tags nodynamic no system library may be used.
func TestNodynamicUsesWebAssembly(t *testing.T) {
	if got := HEIFDecoders(); got != "heic: WebAssembly (wazero); avif: WebAssembly (wazero)" {
		t.Errorf("HEIFDecoders() = %q", got)
	}
}
