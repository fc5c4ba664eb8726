#!/usr/bin/env bash
# install.sh: `cmake --install` into a temporary prefix, then programs built against that copy.
#
# What an engineer embedding the engine relies on: the header alone in
# include/ (none of engine/'s private headers), a shared library with a
# soname that exports the mm_ API and nothing else (every function the
# header declares, no internal symbol), a static library, a relocatable
# pkg-config file and CMake package, and the tool with its man page and bash
# completion.  The program built is README's "Using the library" example,
# taken from README itself so the two cannot drift apart; it is compiled
# with pkg-config (shared, and static from `pkg-config --static`), and with
# find_package against both the shared and the static target, and each
# build is run.  The header alone must also compile as C99 and C++.
# Environment (set by CTest): MM_BUILD, the build tree; MM_SRC, the source
# tree; MM_CC, the C compiler of the build; MM_CONSUMER_FLAGS, its sanitizer
# flags (the installed library needs their runtimes).
set -euo pipefail
# grep -q reads here-strings, not pipes: with pipefail, a writer cut short by
# grep's early exit would count as a failure.

: "${MM_BUILD:?MM_BUILD must name the build tree}"
: "${MM_SRC:?MM_SRC must name the source tree}"
CC=${MM_CC:-cc}
read -r -a FLAGS <<<"${MM_CONSUMER_FLAGS:-}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mm_install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "install.sh: FAIL: $*" >&2
  exit 1
}

prefix="$tmp/prefix"
cmake --install "$MM_BUILD" --prefix "$prefix" >"$tmp/install.log" || fail "cmake --install: $(cat "$tmp/install.log")"

# The public header alone.
headers=$(cd "$prefix/include" && find . -type f | sort | paste -sd' ' -)
[ "$headers" = "./mentormatch.h" ] || fail "include/ holds '$headers', expected ./mentormatch.h only"

# pkg-config, relocated: nothing in the file names the build's prefix.
pc=$(find "$prefix" -name mentormatch.pc)
[ -n "$pc" ] || fail "no mentormatch.pc installed"
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
version=$(sed -n 's/^#define MM_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$/\2/p' "$prefix/include/mentormatch.h" | paste -sd. -)
[ "$(pkg-config --modversion mentormatch)" = "$version" ] || fail "pkg-config --modversion: $(pkg-config --modversion mentormatch), header: $version"
libdir=$(pkg-config --variable=libdir mentormatch)
[ -f "$libdir/libmentormatch.a" ] || fail "no static library in $libdir"
so="$libdir/libmentormatch.so"
[ -L "$so" ] || fail "no libmentormatch.so link in $libdir"

# Soname and exports.
soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
case "$version" in
0.*) want_soname="libmentormatch.so.0.$(echo "$version" | cut -d. -f2)" ;;
*) want_soname="libmentormatch.so.${version%%.*}" ;;
esac
[ "$soname" = "$want_soname" ] || fail "soname '$soname', expected '$want_soname'"
[ -e "$libdir/$soname" ] || fail "$soname is not installed"
nm -D --defined-only "$so" | awk '{print $3}' | sort >"$tmp/exported"
others=$(grep -v '^mm_' "$tmp/exported" | paste -sd' ' - || true)
[ -z "$others" ] || fail "the shared library exports non-API symbols: $others"
grep -oP '^(const |unsigned |struct )*[a-z_0-9]+ \**\Kmm_[a-z0-9_]+(?=\()' "$prefix/include/mentormatch.h" | sort -u >"$tmp/declared"
missing=$(comm -23 "$tmp/declared" "$tmp/exported" | paste -sd' ' -)
extra=$(comm -13 "$tmp/declared" "$tmp/exported" | paste -sd' ' -)
[ -z "$missing" ] || fail "declared in mentormatch.h but not exported: $missing"
[ -z "$extra" ] || fail "exported but not declared in mentormatch.h: $extra"
[ "$(wc -l <"$tmp/declared")" -gt 30 ] || fail "found only $(wc -l <"$tmp/declared") declarations in the header"

# README's example, run by each build below.
awk '/^## Using the library/ {s = 1} s && /^```c$/ {c = 1; next} c && /^```$/ {exit} c' \
  "$MM_SRC/README.md" >"$tmp/example.c"
[ "$(wc -l <"$tmp/example.c")" -gt 15 ] || fail "README's library example not found"
check_run() { # NAME BINARY
  "$2" >"$tmp/$1.out" 2>"$tmp/$1.err" || fail "$1 exited $?: $(cat "$tmp/$1.err")"
  [ "$(grep -c -- ' -> .*, score 0\.[0-9]*, [A-Z][a-z][a-z] [0-9][0-9]:[0-9][0-9] in the mentor' "$tmp/$1.out")" -eq 2 ] ||
    fail "$1 did not print two pairs: $(cat "$tmp/$1.out")"
  grep -qx "optimal (library $version)" "$tmp/$1.out" || fail "$1's last line: $(tail -1 "$tmp/$1.out")"
}

# 1. pkg-config (cflags must not point into the source tree).
cflags=$(pkg-config --cflags mentormatch)
case "$cflags" in *"$MM_SRC"*) fail "pkg-config --cflags points into the source tree: $cflags" ;; esac
# shellcheck disable=SC2046
"$CC" -std=c11 -Wall -Wextra -Wpedantic -Werror "${FLAGS[@]}" "$tmp/example.c" -o "$tmp/example_pc" \
  $(pkg-config --cflags --libs mentormatch) -Wl,-rpath,"$libdir" || fail "building with pkg-config"
check_run pkg-config "$tmp/example_pc"
grep -q "$soname" <<<"$(ldd "$tmp/example_pc")" || fail "the pkg-config build does not load $soname"

# Static linking with pkg-config --static: Libs.private must name every
# library the archive needs.
static_libs=$(pkg-config --static --libs mentormatch | sed 's/-lmentormatch\b//')
# shellcheck disable=SC2086
"$CC" -std=c11 "${FLAGS[@]}" "$tmp/example.c" -o "$tmp/example_pc_static" $(pkg-config --cflags mentormatch) \
  "$libdir/libmentormatch.a" $static_libs || fail "static link with pkg-config --static ($static_libs)"
check_run pkg-config-static "$tmp/example_pc_static"
! grep -q libmentormatch <<<"$(ldd "$tmp/example_pc_static")" || fail "example_pc_static loads libmentormatch"

# The header is also valid C++ (extern "C") and strict C99.
printf '#include <mentormatch.h>\nint main(void) { return mm_version() == MM_VERSION_NUMBER ? 0 : 1; }\n' >"$tmp/version.c"
"$CC" -std=c99 -Wall -Wextra -Wpedantic -Werror "${FLAGS[@]}" "$tmp/version.c" -o "$tmp/version_c" \
  $(pkg-config --cflags --libs mentormatch) -Wl,-rpath,"$libdir" || fail "the header in C99"
"$tmp/version_c" || fail "mm_version() differs from the installed header's MM_VERSION_NUMBER"
if command -v c++ >/dev/null; then
  cp "$tmp/version.c" "$tmp/version.cc"
  c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only $(pkg-config --cflags mentormatch) "$tmp/version.cc" ||
    fail "the header in C++"
else
  echo "install.sh: note: no C++ compiler, the header's C++ use not checked"
fi

# 2. find_package, shared and static targets.
mkdir "$tmp/consumer"
cp "$tmp/example.c" "$tmp/consumer/"
cat >"$tmp/consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(mentormatch REQUIRED)
add_executable(example_shared example.c)
target_link_libraries(example_shared PRIVATE mentormatch::mentormatch)
add_executable(example_static example.c)
target_link_libraries(example_static PRIVATE mentormatch::mentormatch_static)
CMAKE
cmake -S "$tmp/consumer" -B "$tmp/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${FLAGS[*]}" >"$tmp/consumer.log" 2>&1 ||
  fail "configuring with find_package: $(cat "$tmp/consumer.log")"
cmake --build "$tmp/consumer/build" >>"$tmp/consumer.log" 2>&1 || fail "building with find_package: $(cat "$tmp/consumer.log")"
check_run find_package-shared "$tmp/consumer/build/example_shared"
check_run find_package-static "$tmp/consumer/build/example_static"
grep -q "$soname" <<<"$(ldd "$tmp/consumer/build/example_shared")" || fail "example_shared does not load $soname"
! grep -q libmentormatch <<<"$(ldd "$tmp/consumer/build/example_static")" || fail "example_static loads libmentormatch"

# 3. The tool and its documentation.
[ "$("$prefix/bin/mentormatch" --version)" = "mentormatch $version" ] || fail "installed tool's --version"
[ -f "$prefix/share/man/man1/mentormatch.1" ] || fail "man page not installed"
[ -f "$prefix/share/bash-completion/completions/mentormatch" ] || fail "bash completion not installed"

echo "install.sh: $soname with $(wc -l <"$tmp/exported") mm_ symbols; README's example built and run via pkg-config and find_package (shared, static)"
