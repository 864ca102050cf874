#!/bin/sh
# Regenerates testdata/gen/*.jpg. Needs ImageMagick 6 (convert), libjpeg-turbo
# 2.1.5's cjpeg and python3. Sources: chelsea.png from Debian's python3-skimage
# (CC0, Stefan van der Walt), found in the shared PDQ corpus, and seeded noise.
set -eu
cd "$(dirname "$0")"
SRC=${CHELSEA:-../../../../shared/testdata/pdq/images/debian/python3-skimage/chelsea.png}
OUT=gen
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
rm -rf "$OUT"; mkdir -p "$OUT"

# Sources at several sizes: a photo crop and a noisy patch (high frequencies).
for s in 1x1 2x2 3x3 7x13 17x9 33x17 61x45; do
  convert "$SRC" -crop 120x90+100+60 +repage -resize "$s!" -depth 8 "$T/photo-$s.ppm"
done
convert -seed 7 -size 40x24 xc:gray +noise Random -depth 8 "$T/noise.ppm"
convert "$SRC" -crop 160x120+80+40 +repage -depth 8 "$T/big.ppm"

# Sampling factors (Y,Cb,Cr) over odd sizes.
for smp in 1x1 2x1 1x2 2x2 4x1 1x4 4x2 2x4 3x1 3x2 1x3 \
           1x1,2x2,2x2 2x2,2x1,1x2 4x1,2x1,1x1 2x1,1x1,2x1 2x2,1x2,2x1 1x2,1x1,1x1; do
  name=$(echo "$smp" | tr ',' '_')
  for s in 1x1 2x2 3x3 7x13 17x9 33x17 61x45; do
    cjpeg -quality 85 -sample "$smp" -outfile "$OUT/s$name-$s.jpg" "$T/photo-$s.ppm"
  done
done

# Restart intervals (rows, and blocks with B), baseline and progressive.
cjpeg -sample 2x2 -restart 1b -outfile "$OUT/rst-1b-420.jpg" "$T/photo-61x45.ppm"
cjpeg -sample 1x1 -restart 1b -outfile "$OUT/rst-1b-444.jpg" "$T/photo-61x45.ppm"
cjpeg -sample 2x1 -restart 3b -outfile "$OUT/rst-3b-422.jpg" "$T/photo-61x45.ppm"
cjpeg -sample 2x2 -restart 1 -outfile "$OUT/rst-1row-420.jpg" "$T/big.ppm"
cjpeg -progressive -restart 1b -outfile "$OUT/rst-1b-prog.jpg" "$T/photo-61x45.ppm"
cjpeg -progressive -restart 2 -outfile "$OUT/rst-2row-prog.jpg" "$T/big.ppm"
cjpeg -grayscale -restart 5b -outfile "$OUT/rst-5b-gray.jpg" "$T/photo-33x17.ppm"

# Progressive: libjpeg's default script and hand-written ones.
for smp in 1x1 2x1 2x2 1x2 4x1; do
  cjpeg -progressive -sample "$smp" -outfile "$OUT/prog-$smp.jpg" "$T/photo-61x45.ppm"
done
cjpeg -progressive -outfile "$OUT/prog-7x13.jpg" "$T/photo-7x13.ppm"
cjpeg -progressive -outfile "$OUT/prog-1x1px.jpg" "$T/photo-1x1.ppm"
cjpeg -scans scripts/spectral.txt -outfile "$OUT/prog-spectral.jpg" "$T/big.ppm"
cjpeg -scans scripts/approx.txt -outfile "$OUT/prog-approx.jpg" "$T/big.ppm"
cjpeg -scans scripts/approx.txt -sample 1x1 -outfile "$OUT/prog-approx-444.jpg" "$T/photo-33x17.ppm"
cjpeg -scans scripts/gray.txt -grayscale -outfile "$OUT/prog-gray.jpg" "$T/photo-61x45.ppm"
cjpeg -progressive -grayscale -outfile "$OUT/prog-gray-17x9.jpg" "$T/photo-17x9.ppm"
cjpeg -progressive -optimize -quality 95 -outfile "$OUT/prog-noise-q95.jpg" "$T/noise.ppm"

# Sequential images in several scans (non-interleaved).
cjpeg -scans scripts/sequential.txt -outfile "$OUT/seq-3scans.jpg" "$T/photo-61x45.ppm"
cjpeg -scans scripts/sequential2.txt -sample 1x1 -outfile "$OUT/seq-2scans.jpg" "$T/photo-33x17.ppm"

# Greyscale baseline.
for s in 1x1 7x13 17x9 61x45; do
  cjpeg -grayscale -outfile "$OUT/gray-$s.jpg" "$T/photo-$s.ppm"
done

# Quantisation extremes: ringing clamps at 0/255; 16-bit table entries.
cjpeg -quality 1 -outfile "$OUT/q1-noise.jpg" "$T/noise.ppm"
cjpeg -quality 1 -sample 1x1 -outfile "$OUT/q1-photo.jpg" "$T/photo-61x45.ppm"
cjpeg -quality 100 -outfile "$OUT/q100-noise.jpg" "$T/noise.ppm"
cjpeg -qtables scripts/qtables16.txt -outfile "$OUT/qtable16.jpg" "$T/photo-61x45.ppm"
cjpeg -optimize -outfile "$OUT/optimized.jpg" "$T/photo-61x45.ppm"

# Colour spaces: RGB (Adobe transform 0), RGB known only by component IDs,
# YCCK (Adobe transform 2, as ImageMagick writes CMYK), CMYK (the same data
# relabelled as transform 0, and without the Adobe marker).
cjpeg -rgb -outfile "$OUT/rgb-adobe.jpg" "$T/photo-33x17.ppm"
convert "$T/photo-61x45.ppm" -colorspace cmyk -quality 90 "$OUT/ycck.jpg"
convert "$T/photo-17x9.ppm" -colorspace cmyk -quality 90 -sampling-factor 2x2,1x1,1x1,2x2 "$OUT/ycck-420.jpg"
cjpeg -outfile "$T/plain.jpg" "$T/photo-61x45.ppm"
python3 - "$OUT" "$T/plain.jpg" <<'PY'
import sys
out, plain = sys.argv[1], sys.argv[2]

def segments(b):
    """Yield (start, end, marker) of marker segments before SOS."""
    i = 2
    while True:
        m = b[i + 1]
        n = int.from_bytes(b[i + 2:i + 4], 'big')
        yield i, i + 2 + n, m
        if m == 0xDA:
            return
        i += 2 + n

def drop(b, markers):
    keep, last = bytearray(b[:2]), 2
    for s, e, m in segments(b):
        if m in markers and m != 0xDA:
            keep += b[last:s]
            last = e
    keep += b[last:]
    return bytes(keep)

rgb = open(f'{out}/rgb-adobe.jpg', 'rb').read()
open(f'{out}/rgb-ids.jpg', 'wb').write(drop(rgb, {0xEE}))
ycck = open(f'{out}/ycck.jpg', 'rb').read()
i = ycck.index(b'Adobe')
assert ycck[i + 11] == 2, 'expected Adobe transform 2'
cmyk = ycck[:i + 11] + b'\x00' + ycck[i + 12:]
open(f'{out}/cmyk.jpg', 'wb').write(cmyk)
open(f'{out}/cmyk-no-adobe.jpg', 'wb').write(drop(cmyk, {0xEE}))
p = open(plain, 'rb').read()
# No JFIF and odd component IDs: libjpeg assumes YCbCr.
q = bytearray(drop(p, {0xE0}))
s = q.index(b'\xff\xc0')
for k in range(3):
    q[s + 10 + 3 * k] = 10 + k
s = q.index(b'\xff\xda')
for k in range(3):
    q[s + 5 + 2 * k] = 10 + k
open(f'{out}/ycc-ids.jpg', 'wb').write(bytes(q))
# Motion-JPEG style: no DHT, the decoder must use the standard tables.
open(f'{out}/no-dht.jpg', 'wb').write(drop(p, {0xC4}))
PY

# Unsupported by this decoder (djpeg decodes it): arithmetic coding.
cjpeg -arithmetic -outfile "$OUT/arith.jpg" "$T/photo-17x9.ppm"
