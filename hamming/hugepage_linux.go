package hamming

import (
	"syscall"
	"unsafe"
)

// hugeMin is the size from which arrays are laid out for transparent huge
// pages. Searches touch these arrays at random; with 4 KiB pages nearly
// every touch also misses the TLB, and under virtualisation a page walk
// costs several memory accesses of its own (measured on the reference VM:
// dependent loads over 512 MiB take 227 ns with 4 KiB pages, 52 ns with
// huge pages).
const hugeMin = 8 << 20

const hugePage = 2 << 20

// makeHuge returns a zeroed slice of n elements which, when large, starts
// on a huge-page boundary and is advised to be backed by huge pages. The
// advice must come before the memory is first written, so that pages are
// faulted in huge. The alignment costs at most 2 MiB of padding.
func makeHuge[T any](n int) []T {
	size := uintptr(n) * unsafe.Sizeof(*new(T))
	if size < hugeMin {
		return make([]T, n)
	}
	pad := int(hugePage / unsafe.Sizeof(*new(T)))
	raw := make([]T, n+pad)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	k := int((hugePage - p%hugePage) % hugePage / unsafe.Sizeof(*new(T)))
	s := raw[k : k+n : k+n]
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), size&^(hugePage-1))
	_ = syscall.Madvise(b, 14 /* MADV_HUGEPAGE; only a hint */)
	return s
}
