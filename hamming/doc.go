// Package hamming indexes 256-bit perceptual hashes (PDQ) and answers
// "every entry within Hamming distance r of q" exactly: the result always
// equals a brute-force scan (Linear), for every radius. A missed match is a
// missed child; nothing here is approximate.
//
// # Design
//
// Multi-index hashing (Norouzi, Punjani, Fleet) splits the 256 bits into m
// substrings ("boxes") and indexes each in a table; by the pigeonhole
// principle a hash within distance r of the query has some box within
// distance r/m of the query's box, so probing every box's neighbourhood
// finds all candidates, which are then verified. Meta's PDQ reference
// (mih.h) and faiss' IndexBinaryMultiHash (used by HMA) fix m = 16 boxes of
// 16 bits; at r = 31 and 10M hashes each query verifies about 41,000
// candidates at random memory locations. This package differs in four ways.
//
//  1. Layout from arithmetic, per segment size. For n hashes the layout
//     (number of boxes, directory bits) minimises a cost model of probes,
//     scanned entries and verified candidates for the tuning radius
//     (Options.TuneRadius, default 31) within a memory budget. For 10M
//     hashes that is 11 boxes of 23-24 bits with 2^20-bucket directories.
//  2. Thresholds per query radius (generalised pigeonhole, Qin et al.,
//     "GPH", ICDE 2018): box i is probed to threshold t_i with
//     sum(t_i + 1) >= r + 1, not necessarily all equal (t_i = -1 skips a
//     box). A small knapsack picks the t_i of least modelled cost for each
//     radius, or a linear scan when that is cheaper (very large radii).
//  3. Packed entries with filter bits. A table is a directory of offsets
//     (CSR) on the first d bits of its box and one uint32 per hash: the
//     hash's position and, in the spare high bits, the ring bits that follow
//     the directory prefix — the rest of the box, then the start of the next
//     box. Most non-matches are rejected from these bits without touching
//     the hash.
//  4. Pigeonring chain filter (Qin and Xiao, VLDB 2018). With c_i = t_i+1
//     and sum c_i >= r+1, if d <= r there is a box s such that every run of
//     consecutive boxes starting at s (around the ring) has distance below
//     its sum of c_i; in particular d_s <= t_s and
//     d_s + d_{s+1} <= t_s + t_{s+1} + 1. Probing box s keeps only entries
//     meeting both, using the next box's bits carried in the entry.
//
// Searches are written as passes over small arrays (bucket bounds for all
// boxes, then bucket contents, then candidates) so that their cache misses
// overlap, and large arrays ask for transparent huge pages: random access
// to hundreds of megabytes otherwise also misses the TLB on nearly every
// load.
//
// # Updates
//
// An index is a list of immutable segments, each sorted by id with its own
// tables and layout, plus a tail of up to 1024 recent additions searched
// linearly. A full tail becomes a segment; segments are merged so that
// sizes at least halve from one to the next (amortised O(log n) rebuilds
// per hash). Removal sets a tombstone bit; a segment more than half
// tombstones is rebuilt. Finding an id is a binary search per segment, so
// no id map is needed: memory is the 32-byte hash, the 8-byte id and the
// tables (about 49 bytes per hash at 10M).
//
// # Ids
//
// Ids are uint64, chosen by the caller (a bank entry's row id); one hash
// per id. Adding an id again replaces its hash.
//
// # Snapshots
//
// WriteTo writes every segment — ids, hashes, tombstones and tables — in
// checksummed blocks (CRC-32C); Load reads them back without rebuilding,
// so a node starts in about the time it takes to read the file. Load
// checks every value that could steer a search out of bounds (offsets,
// positions, id order, layout parameters) and returns an error wrapping
// ErrCorrupt for a damaged file; it never panics and never returns a
// partial index.
package hamming
