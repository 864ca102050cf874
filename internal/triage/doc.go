// Package triage turns a seized collection into a short, explained list of
// what to look at first, for victim identification.
//
// Run walks the inputs with package ingest, hashes and describes every file
// on a bounded pool of workers (digests, PDQ, dimensions, EXIF, a small
// thumbnail), looks each up in the banks of the store and in hash-list files,
// and records it in an append-only journal (journal.jsonl in the output
// directory, fsynced per batch) so that an interrupted run resumes without
// hashing again. It then stacks exact duplicates, clusters near-duplicates
// with a Hamming index, forms series candidates from new material sharing a
// camera, a capture session or a look, scores every group with the weights of
// the table in score.go (documented in docs/triage.md), records the seizure's
// hashes and camera serials in the store so that later triages in other cases
// can say "also seen in case X", and hands the result to package report.
package triage
