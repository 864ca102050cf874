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
// 16 bits; at r = 31 and 10M hashes each query then verifies about 41,000
// candidates at random memory locations. This package differs in five ways.
//
//  1. Layout from arithmetic, per segment size. For n hashes the layout
//     (number of boxes, directory bits, entry width) minimises a cost model
//     of directory probes, scanned entries and verified candidates at the
//     tuning radius (Options.TuneRadius, default 31) within a memory budget
//     (Options.MaxBytesPerHash, default 94). For 10M hashes that is 11
//     boxes of 23-24 bits, 2^20-bucket directories and 5-byte entries.
//  2. Thresholds per query radius (generalised pigeonhole, Qin et al.,
//     "GPH", ICDE 2018): box i is probed to threshold t_i with
//     sum(t_i + 1) >= r + 1, not necessarily all equal (t_i = -1 skips a
//     box). A small knapsack picks the t_i of least modelled cost for each
//     radius, or a linear scan where that is cheaper (very large radii).
//  3. Packed entries with filter bits. A table is a directory on the first
//     d bits of its box (a 32-bit offset per 64 buckets and a 16-bit one per
//     bucket) and one 4- or 5-byte entry per hash: the hash's position and,
//     in the other bits, up to 16 ring bits following the directory prefix —
//     the rest of the box, then the start of the next box. Non-matches are
//     rejected from these bits without touching the hash.
//  4. Pigeonring chain filter (Qin and Xiao, VLDB 2018). With c_i = t_i+1
//     and sum c_i >= r+1, if d <= r there is a box s such that every run of
//     consecutive boxes starting at s (around the ring) has distance below
//     its sum of c_i; in particular d_s <= t_s and
//     d_s + d_{s+1} <= t_s + t_{s+1} + 1. Probing box s keeps only entries
//     meeting both, using the next box's bits carried in the entry, through
//     a lookup table per box and prefix distance. At 10M hashes and r = 31
//     this leaves about 200 hashes to verify per query instead of 2,400
//     (plain multi-index hashing with the same boxes) or 41,000 (16×16).
//  5. Memory-level parallelism. Searches are written as passes over small
//     arrays (bucket bounds for all boxes, then bucket contents, then
//     candidates) so that their cache misses overlap, and large arrays ask
//     for transparent huge pages: random access to hundreds of megabytes
//     otherwise also misses the TLB on nearly every load, and under
//     virtualisation a page walk costs several memory accesses.
//
// # Memory
//
// Per hash: 32 bytes of hash, 4 bytes of id (8 when an id of the segment
// exceeds 32 bits), a tombstone bit and the tables: 93.5 bytes at 10M
// hashes, about 92 at 1M. A larger Options.MaxBytesPerHash buys faster
// layouts where memory allows: at 1M hashes a budget of 104 gives 16 boxes
// of 16 bits probed at threshold 1 (102 bytes per hash, 272 probes instead
// of 1,050 per radius-31 query, 2-3× less CPU); 120 adds filter bits
// (5-byte entries) and also speeds up 10M hashes by about 1.4×.
//
// # Updates
//
// An index is a list of immutable segments, each sorted by id with its own
// tables and layout, plus a tail of up to 1024 recent additions searched
// linearly. A full tail becomes a segment; segments are merged so that
// sizes at least halve from one to the next (amortised O(log n) rebuilds
// per hash). Removal sets a tombstone bit; a segment more than half
// tombstones is rebuilt. Compact merges everything into one segment,
// which searches fastest (after loading a bank in batches). Finding an id is a binary search per segment, so
// no id map is needed. Bulk loads (AddBatch) build one segment directly.
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
// partial index. Integrity beyond that rests on the checksums: a snapshot
// is the node's own file, not input from outside.
package hamming
