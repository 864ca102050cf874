#!/bin/sh
# Regenerates the binary fixtures that the tests cannot build with Go's
# standard library: 7z archives (p7zip-full) and bzip2 streams (bzip2).
# Run from this directory. Contents are short benign texts.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/dir"
printf 'hello from 7z\n' > "$tmp/src/a.txt"
printf 'second file, in a directory\n' > "$tmp/src/dir/b.txt"
touch -d '2021-03-04 05:06:07 UTC' "$tmp/src/a.txt" "$tmp/src/dir/b.txt"
rm -f plain.7z encrypted.7z encrypted-headers.7z a.txt.bz2 two.tar.bz2
(cd "$tmp/src" && 7z a -bd -mtm=on -mtc=on -mta=on "$OLDPWD/plain.7z" a.txt dir >/dev/null)
(cd "$tmp/src" && 7z a -bd -pbridges "$OLDPWD/encrypted.7z" a.txt >/dev/null)
(cd "$tmp/src" && 7z a -bd -pbridges -mhe=on "$OLDPWD/encrypted-headers.7z" a.txt >/dev/null)
bzip2 -c "$tmp/src/a.txt" > a.txt.bz2
tar --format=ustar -C "$tmp/src" -cf - a.txt dir/b.txt | bzip2 -c > two.tar.bz2
