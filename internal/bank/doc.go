// Package bank keeps hash banks: lists of hashes from one source, each entry
// an opinion with provenance (who said it, when, under which category
// scheme), shared with named organisations, and withdrawn by tombstone rather
// than deleted. Every change bumps the bank's sequence number so that
// indexes and partners can follow changes incrementally.
package bank
