// Package vpdq computes and matches vPDQ, Meta's video hash: PDQ hashes of
// frames sampled from a video, compared as an unordered bag of frame
// hashes. Hash lists for video (ThreatExchange, HMA, StopNCII) use it:
// re-encoded, trimmed or rescaled copies of a video (and lightly cropped
// ones) still share most frame hashes with the original.
//
// # Hashing
//
// HashFile decodes a video with ffmpeg (a subprocess, one per video; raw
// RGB24 frames through a pipe, no temporary files), samples every
// floor(fps)-th frame (one per second) or every frame, and hashes each
// with package pdq exactly as the reference vpdq-hash-video does: RGB24
// from libswscale's area conversion, float luma 0.299/0.587/0.114, and no
// 512-pixel pre-resize. With Debian 12's FFmpeg 5.1 the output equals the
// reference's bit for bit; other FFmpeg versions convert colours slightly
// differently and move a few bits (README.md in this package's directory
// records the reference's behaviour and where this package differs). HashFile also
// returns the file's MD5, which hash exchanges carry beside vPDQ.
//
// # Text format
//
// Write and Parse read and write the reference's hash files, one line per
// frame: frame_number,quality,pdq_hex,timestamp_seconds.
//
// # Matching
//
// Compare compares two videos as the reference does and returns the two
// percentages: of query frames found in the other video, and of its
// frames found in the query (MatchOptions and Rule give the exact
// definitions, which differ between Meta's C++ tool and its Python/HMA
// code). Index finds the matching videos among many, with the same result
// as comparing with each (Exhaustive) but through an exact Hamming-range
// index of all frames, and reports which segments of each video matched.
//
// The package depends only on the standard library and Haven's public pdq
// and hamming packages.
package vpdq
