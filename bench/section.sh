#!/usr/bin/env bash
# Replaces the section NAME of docs/benchmarks.md with the contents of FILE:
# the text between "<!-- begin NAME -->" and "<!-- end NAME -->", appended
# at the end when the markers are absent. Every bench script records its
# results this way (Go benches through bench/internal/record.Replace), so
# that one file holds all figures.
set -euo pipefail
name=$1 file=$2
doc="$(git rev-parse --show-toplevel)/docs/benchmarks.md"
[ -f "$doc" ] || printf '# Benchmarks\n\nMeasured figures; each section says the machine and the command.\n' > "$doc"
python3 - "$doc" "$name" "$file" <<'PY'
import sys, re
doc, name, path = sys.argv[1:]
text = open(doc).read()
body = open(path).read().rstrip("\n")
begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
block = f"{begin}\n{body}\n{end}"
if begin in text and end in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: block, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(doc, "w").write(text)
PY
