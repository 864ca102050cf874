//go:build !linux

package hamming

func makeHuge[T any](n int) []T { return make([]T, n) }
