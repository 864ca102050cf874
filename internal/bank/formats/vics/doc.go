// Package vics reads and writes Project VIC's VICS JSON, the case and hash
// exchange format of Griffeye, X-Ways Clees4All, IPED, RECON LAB and NIST's
// CAID sets.
//
// Reading accepts 1.1, 1.2, 1.3 (`odata.metadata`) and 2.0
// (`@odata.context`), `#Media` feeds and `#Cases` exports, deciding by the
// body's shape rather than the context fragment (RECON LAB writes a
// Cases-shaped body under a 2.0 `#Media` context). It streams: the decoder
// holds one Media object at a time, however long the `value` array.
//
// Decisions:
//   - One Media yields one entry per signal it carries (MD5, SHA1, and every
//     MD5/SHA1/SHA-256/PDQ/vPDQ in AlternativeHashes; a vPDQ as HMA's JSON
//     array in a string, with HashName "VPDQ"), each with the Media's
//     category, series, flags and tags. Their SourceID is the Media's MD5
//     (else its SHA1, else its first signal) so that the writer can put
//     them back together. PhotoDNA (a property or an alternative hash) is
//     not a Haven signal and is kept in Extra.
//   - Unknown properties, in file order and spelling, go into the first
//     entry's Extra under "vics" and are written back on export.
//   - Category: a file with a US or UK profile in its 2.0 context URL is
//     read in that scheme; otherwise Options.Scheme applies. A value the
//     scheme does not have (NIST CAID's 8), null, or any value when no
//     scheme is known, is not guessed at: the entry is uncategorised and
//     the raw Category is kept in Extra. 0 in the US profile is
//     "non-pertinent" (vics-us:0), which differs from absent or null.
//   - Keys match case-insensitively (as IPED reads them). A key given twice
//     in one Media rejects that Media.
//   - A Media whose MD5 repeats one seen earlier is handed on again: the
//     reader keeps no set of seen hashes (memory stays constant), and the
//     importer decides what a repeat means (bank.Import counts a hash
//     already active in the bank as a duplicate: the first occurrence
//     stands).
//   - Case-level properties of a #Cases file are not carried into entries;
//     the writer writes a #Media feed.
package vics
