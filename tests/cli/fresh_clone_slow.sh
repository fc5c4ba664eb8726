#!/usr/bin/env bash
# A clone is self-sufficient: the suite builds and passes from a copy of the tree with nothing beside it.
#
# Copies the files git tracks (and new ones it does not ignore; a plain copy
# without build folders when the source is not a git checkout) into an
# empty temporary folder, so no ../shared or other neighbour exists, then
# configures, builds and runs the non-slow suite there.  This test and the
# slow ones are left out of the inner run (recursion, time).  The copy must
# also not mention ../shared, which would only work beside our checkout.
set -euo pipefail
: "${MM_SRC:?}"
if [ -n "${MM_FRESH_CLONE_INNER:-}" ]; then
  echo "skip: already inside a fresh-clone run"
  exit 77
fi
for tool in cmake ctest cc; do
  command -v "$tool" >/dev/null || { echo "skip: no $tool on PATH to build the copy"; exit 77; }
done
export MM_FRESH_CLONE_INNER=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src="$work/alone/mentormatch"
mkdir -p "$src"
if git -C "$MM_SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$MM_SRC" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done | xargs -0 cp --parents -t "$src")
else
  tar -C "$MM_SRC" --exclude='./build*' --exclude='./out*' -cf - . | tar -C "$src" -xf -
fi
echo "copied $(find "$src" -type f | wc -l) files; beside the copy: $(ls -A "$work/alone" | tr '\n' ' ')"
if grep -rIl --exclude-dir=.git --exclude=fresh_clone_slow.sh -e '\.\./shared' "$src"; then
  echo "FAIL files above still refer to ../shared"
  exit 1
fi
cd "$src"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMM_BUILD_BENCH=OFF >"$work/configure.log" ||
  { tail -20 "$work/configure.log"; exit 1; }
nice cmake --build build -j2 >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
ctest --test-dir build --output-on-failure -j2 -LE slow -E '^cli_fresh_clone'
echo "fresh_clone: the suite passes from a lone copy"
