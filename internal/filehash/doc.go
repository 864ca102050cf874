// Package filehash hashes files: the exact digests (MD5, SHA-1, SHA-256)
// that hash lists key on, and for images the PDQ hash and quality, with the
// facts a reviewer needs (format, dimensions, EXIF orientation). It expands
// command-line inputs (files, directories, standard input) and runs the work
// on a bounded pool of workers, delivering results in input order.
package filehash
