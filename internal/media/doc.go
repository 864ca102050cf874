// Package media identifies and decodes images safely: it sniffs the format
// from the content (JPEG, PNG, GIF, WebP, TIFF, BMP, HEIC, AVIF) and names
// common non-image types, reads the dimensions from the header and refuses
// inputs over a pixel or byte budget before allocating pixels, turns decoder
// panics into errors, and reads EXIF metadata (package exif) from every
// container that carries it.
//
// Decoded pixels stay in the decoder's native image type and alpha is never
// composited or premultiplied: the PDQ reference hashes the stored colour
// under transparent pixels, and package pdq converts each type itself.
package media
