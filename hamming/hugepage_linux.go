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

// makeHuge returns a zeroed slice of n elements; when large, the kernel
// is asked to back it with huge pages. The advice must come before the
// memory is first written, so that pages are faulted in huge. (The slice
// is not padded to a huge-page boundary: that would cost up to 2 MiB per
// array, and only its partial first and last huge pages miss out.)
func makeHuge[T any](n int) []T {
	s := make([]T, n)
	size := uintptr(n) * unsafe.Sizeof(*new(T))
	if size < hugeMin {
		return s
	}
	base := unsafe.Pointer(unsafe.SliceData(s))
	start := (uintptr(base) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(base) + size) &^ (hugePage - 1)
	if end > start {
		b := unsafe.Slice((*byte)(unsafe.Add(base, start-uintptr(base))), end-start)
		_ = syscall.Madvise(b, 14 /* MADV_HUGEPAGE; only a hint */)
	}
	return s
}
