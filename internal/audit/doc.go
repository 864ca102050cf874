// Package audit keeps Haven's audit trail: who did what to which object,
// when, from where, and with what result. It is not the application log.
//
// Records are append-only and chained: each carries the SHA-256 of the
// record before it (PrevHash) and its own Hash, computed over a canonical
// encoding of its fields and PrevHash (see Record.ComputeHash). Appends
// serialise on a one-row chain head (audit_head), locked with SELECT ... FOR
// UPDATE on PostgreSQL and by SQLite's single writer, so the chain stays
// linear with several Haven nodes on one database. Triggers in the schema
// refuse UPDATE and DELETE on the records, as a guard against mistakes;
// the chain is what detects deliberate changes.
//
// Verify walks the chain and names the first record that was edited,
// removed, inserted or reordered. What a chain alone cannot show is the
// removal of the newest records together with a matching rewrite of the
// head, or a wholesale rewrite by someone holding the database: for that,
// record Verify's head (ID and hash) somewhere else from time to time and
// pass it back as an Anchor; Verify then fails if that record is gone or
// differs.
package audit
