#!/usr/bin/env bash
# Output folder safety: no removal through links, a lock instead of process ids, one set at a time, clean failures.
#
# Each case is a defect the output folder once had:
# - a link named like a leftover staging folder made the next run empty the
#   folder it pointed to; links, files and other users' folders under such
#   names must be left alone (with a warning), and DIR/.mentormatch itself
#   must be our own real folder;
# - leftovers were judged dead by process id; now a run holding DIR's lock
#   is waited for and its staging folder kept;
# - `solve` into a folder last used by `match` left the old meetings beside
#   the new pairings (also when the old files were written by an older
#   version straight into DIR);
# - a publishing call failing half way (injected with tests/shim) kept the
#   files already moved: now DIR shows the old set (exit 3) or the new one;
# - a file size limit (ulimit -f) killed the run with SIGXFSZ; then its
#   message named the output file without its folder;
# - a run killed while creating a new folder left it half made;
# - a link of the user's named like a result (DIR/pairings.csv -> a file on
#   another file system) was taken over through its target: the run failed
#   with "Invalid cross-device link" (or, on one file system, the user's link
#   was replaced); such a link is refused by name, and it and its target stay;
# - a plain file under a name of the set (the user's scores as DIR/pairings.csv,
#   a hand-made DIR/mentors.csv) was taken over as an older version's result
#   and deleted; now the run stops naming it, and the file stays.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_SHIM:?}"
# Calendars carry DTSTAMP = the time of writing unless SOURCE_DATE_EPOCH is set.
export SOURCE_DATE_EPOCH=1800000000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sample="$MM_SRC/datasets/sample"
. "$MM_SRC/tests/tools/cli_checks.sh"

match_into() { "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --pairs "$sample/pairs.csv" \
  --config "$sample/program.conf" --quiet --out "$@"; }
printf 'mentee_id,mentor_id,score\nE1,M1,5\nE2,M1,3\n' >"$work/S.csv"
printf 'mentor_id,capacity\nM1,1\n' >"$work/C.csv"
solve_into() { "$MM_BIN" solve --scores "$work/S.csv" --capacities "$work/C.csv" --quiet --out "$@"; }
# What a reader of DIR sees: each visible name that opens as a file, with its
# hash (summary.json's lines of measurements left out).
view() {
  (cd "$1" && for f in *; do
    [ -f "$f" ] && [ "$f" != latest ] && echo "$(grep -v '^  "\(threads\|timings\)"' "$f" | sha256sum) $f"
  done) || true
}

# Links and foreign entries under leftover names.
mkdir -p "$work/victim" "$work/d1"
echo precious >"$work/victim/keep"
ln -s "$work/victim" "$work/d1/.mentormatch-staging-99999-x"
mkdir -p "$work/d1/.mentormatch"
ln -s "$work/victim" "$work/d1/.mentormatch/staging-99999-y"
ln -s "$work/victim" "$work/d1/.mentormatch/run-99999-z"
match_into "$work/d1" 2>"$work/err"
check_that "links named like leftovers: the folder they point to is untouched" '[ -f "$work/victim/keep" ]'
check_that "links named like leftovers: the links stay, with a warning" \
  '[ -L "$work/d1/.mentormatch-staging-99999-x" ] && grep -q "warning: left alone .*staging-99999-x: not a folder" "$work/err"'
if [ "$(id -u)" = 0 ]; then
  mkdir "$work/d1/.mentormatch-staging-99998-o"
  touch "$work/d1/.mentormatch-staging-99998-o/pairings.csv"
  chown -R 65534 "$work/d1/.mentormatch-staging-99998-o"
  match_into "$work/d1" 2>"$work/err"
  check_that "another user's staging folder is left alone with a warning" \
    '[ -f "$work/d1/.mentormatch-staging-99998-o/pairings.csv" ] && grep -q "99998-o: a folder of another user" "$work/err"'
else
  echo "skip another user's folder: needs root to make one"
fi
mkdir -p "$work/d2"
ln -s "$work/victim" "$work/d2/.mentormatch"
set +e
match_into "$work/d2" 2>"$work/err"
rc=$?
set -e
check_that "DIR/.mentormatch as a link: exit 3, nothing written through it" \
  '[ "$rc" = 3 ] && [ "$(ls "$work/victim")" = keep ] && grep -q "is not a folder" "$work/err"'

# A link of the user's named like a result is refused, never followed.
target_fs=/dev/shm
[ -d "$target_fs" ] && [ -w "$target_fs" ] || target_fs=$work
target=$(mktemp "$target_fs/mm-user-target.XXXXXX")
echo "the user's own bytes" >"$target"
mkdir -p "$work/d2b"
ln -s "$target" "$work/d2b/pairings.csv"
set +e
match_into "$work/d2b" 2>"$work/err"
rc=$?
set -e
check_that "a user's link named pairings.csv: exit 3, named, link and target kept" \
  '[ "$rc" = 3 ] && grep -q "d2b/pairings.csv: error: is a link this tool did not make" "$work/err" &&
   [ "$(readlink "$work/d2b/pairings.csv")" = "$target" ] && [ "$(cat "$target")" = "the user'"'"'s own bytes" ] &&
   [ ! -e "$work/d2b/latest" ]'
rm -f "$target"

# The lock: a run waits for the one holding DIR and keeps its staging folder.
mkdir -p "$work/d3/.mentormatch/staging-99999-live"
touch "$work/d3/.mentormatch/staging-99999-live/pairings.csv"
flock "$work/d3/.mentormatch" sleep 2 &
holder=$!
sleep 0.3
match_into "$work/d3" &
run=$!
sleep 1
check_that "a run waits while another holds DIR's lock" 'kill -0 "$run" 2>/dev/null'
check_that "the lock holder's staging folder is kept meanwhile" '[ -f "$work/d3/.mentormatch/staging-99999-live/pairings.csv" ]'
wait "$holder"
wait "$run"
check_that "once the lock is free the run finishes and removes the leftover" \
  '[ ! -e "$work/d3/.mentormatch/staging-99999-live" ] && [ -f "$work/d3/meetings.ics" ]'

# The calendar folders: links like the files, switched with the set.
match_into "$work/d4"
check_that "invites/ and calendars/ are links into the current run, their files open through them" \
  '[ "$(readlink "$work/d4/invites")" = latest/invites ] && [ "$(readlink "$work/d4/calendars")" = latest/calendars ] &&
   [ "$(ls "$work/d4/invites" | wc -l)" -gt 0 ] && grep -q "^METHOD:REQUEST" "$work/d4/invites/$(ls "$work/d4/invites" | head -n 1)"'
held=$(ls "$work/d4/invites" | head -n 1)
exec 9<"$work/d4/invites/$held"
# solve after match: one set, never old meetings beside new pairings.
solve_into "$work/d4"
check_that "solve after match: the meetings are gone" '[ ! -e "$work/d4/meetings.ics" ] && [ ! -e "$work/d4/meetings.csv" ]'
check_that "solve after match: invites/ and calendars/ are gone with them, the old run's folder too" \
  '[ ! -e "$work/d4/invites" ] && [ ! -L "$work/d4/invites" ] && [ ! -L "$work/d4/calendars" ] &&
   [ "$(find "$work/d4/.mentormatch" -mindepth 1 -maxdepth 1 | wc -l)" = 1 ]'
check_that "an invitation opened before stays readable" 'grep -q "^METHOD:REQUEST" <&9'
exec 9<&-
mkdir -p "$work/d8/invites"
echo "the user's own" >"$work/d8/invites/mine.txt"
set +e
match_into "$work/d8" 2>"$work/err"
rc=$?
set -e
check_that "a real folder DIR/invites: exit 3, left as it was, nothing published" \
  '[ "$rc" = 3 ] && grep -q "invites: error: is a folder" "$work/err" && [ "$(ls "$work/d8/invites")" = mine.txt ] && [ ! -e "$work/d8/latest" ]'
check_that "solve after match: the folder shows solve's three files" \
  '[ "$(view "$work/d4" | wc -l)" = 3 ] && grep -q "^E1,M1" "$work/d4/pairings.csv"'
# A plain file under a name of the set was taken for an older version's
# result and replaced: the user's scores saved as DIR/pairings.csv were lost
# by `solve --scores DIR/pairings.csv --out DIR`, a hand-made DIR/mentors.csv
# by `generate --out DIR`. Only this tool's links are replaced; any other
# file stops the run (exit 3) naming it, before anything is published.
refused_file() { # refused_file NAME DIR FILE: exit 3 naming DIR/FILE, DIR as before, nothing published
  local rdir=$2 rfile=$3
  check_that "$1" '[ "$rc" = 3 ] && grep -q "^$rdir/$rfile: error: is a file this tool did not write" "$work/err" &&
    [ "$(ls -A "$rdir" | sort)" = "$(cat "$work/before")" ] && [ ! -e "$rdir/latest" ] && [ -z "$(ls -A "$rdir/.mentormatch")" ]'
}
mkdir -p "$work/d5"
echo "old meetings" >"$work/d5/meetings.ics"
echo "old pairings" >"$work/d5/pairings.csv"
echo "the user's notes" >"$work/d5/notes.txt"
ls -A "$work/d5" | sed '$a .mentormatch' | sort >"$work/before"
set +e
solve_into "$work/d5" 2>"$work/err"
rc=$?
set -e
refused_file "files straight in DIR (an older version's, or the user's): refused by name, kept" "$work/d5" pairings.csv
check_that "  ... their bytes unchanged" '[ "$(cat "$work/d5/pairings.csv")" = "old pairings" ] && [ "$(cat "$work/d5/meetings.ics")" = "old meetings" ]'
mkdir -p "$work/d9"
cp "$work/S.csv" "$work/d9/pairings.csv"
ls -A "$work/d9" | sed '$a .mentormatch' | sort >"$work/before"
set +e
"$MM_BIN" solve --scores "$work/d9/pairings.csv" --capacities "$work/C.csv" --quiet --out "$work/d9" 2>"$work/err"
rc=$?
set -e
refused_file "solve --scores DIR/pairings.csv --out DIR: the scores file is not taken over" "$work/d9" pairings.csv
check_that "  ... the scores file unchanged" 'cmp -s "$work/S.csv" "$work/d9/pairings.csv"'
mkdir -p "$work/d10"
echo "my own mentors" >"$work/d10/mentors.csv"
ls -A "$work/d10" | sed '$a .mentormatch' | sort >"$work/before"
set +e
"$MM_BIN" generate --mentees 30 --mentors 10 --seed 4 --out "$work/d10" --quiet 2>"$work/err"
rc=$?
set -e
refused_file "generate --out DIR over the user's DIR/mentors.csv: refused, kept" "$work/d10" mentors.csv
check_that "  ... its bytes unchanged" '[ "$(cat "$work/d10/mentors.csv")" = "my own mentors" ]'

# Rosters from generate stay (as plain files, same bytes) when match publishes into their folder.
"$MM_BIN" generate --mentees 30 --mentors 10 --seed 4 --out "$work/g" --quiet
cp "$work/g/mentees.csv" "$work/g-mentees.csv"
echo "E999,edited by hand" >>"$work/g/mentees.csv"
"$MM_BIN" match --mentors "$work/g/mentors.csv" --mentees "$work/g-mentees.csv" --start 2027-03-01 --quiet --out "$work/g"
check_that "generate's rosters stay beside match's results, the edit kept" \
  '[ -f "$work/g/meetings.ics" ] && [ ! -L "$work/g/mentees.csv" ] && grep -q "^E999,edited by hand" "$work/g/mentees.csv" && [ -f "$work/g/mentors.csv" ]'
set +e
"$MM_BIN" generate --mentees 30 --mentors 10 --seed 5 --out "$work/g" --quiet 2>"$work/err"
rc=$?
set -e
check_that "generate again into that folder: the edited roster is now the user's file, refused and kept" \
  '[ "$rc" = 3 ] && grep -q "g/mentors.csv: error: is a file this tool did not write" "$work/err" &&
   grep -q "^E999,edited by hand" "$work/g/mentees.csv" && [ -f "$work/g/meetings.ics" ]'

# A publishing call that fails: the old set (exit 3) or the whole new one (exit 0).
match_into "$work/d6"
old=$(view "$work/d6")
solve_into "$work/d7"
new=$(view "$work/d7")
for k in $(seq 1 14); do
  set +e
  MM_SHIM_FAIL_AT=$k LD_PRELOAD="$MM_SHIM" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" solve_into "$work/d6" 2>"$work/err"
  rc=$?
  set -e
  got=$(view "$work/d6")
  if { [ "$rc" = 3 ] && [ "$got" = "$old" ] && grep -q "error" "$work/err"; } || { [ "$rc" = 0 ] && [ "$got" = "$new" ]; }; then
    pass "publishing call $k fails: exit $rc, DIR shows $([ "$rc" = 0 ] && echo the new || echo the old) set"
  else
    fail "publishing call $k fails: exit $rc and DIR shows neither set"
    echo "$got" | sed 's/^/  /'
  fi
  [ "$rc" = 0 ] && match_into "$work/d6" && old=$(view "$work/d6")
done

# A file size limit: exit 3 with a message, DIR unchanged.  (ThreadSanitizer's
# runtime grows files of its own and dies of SIGBUS under the limit.)
if grep -qa __tsan_init "$MM_BIN"; then
  echo "skip ulimit -f: ThreadSanitizer build"
else
  before=$(view "$work/d6")
  set +e
  (ulimit -f 8 && match_into "$work/d6") 2>"$work/err"
  rc=$?
  set -e
  check_that "ulimit -f: exit 3 (got $rc), 'File too large', DIR unchanged" \
    '[ "$rc" = 3 ] && grep -q "File too large" "$work/err" && [ "$(view "$work/d6")" = "$before" ]'
  # The message named the file without its folder ("meetings.csv: error: ..."), as if an input had failed.
  check_that "ulimit -f: the message names DIR/file" \
    'grep -Eq "^$work/d6/[a-z]+\.(csv|ics|html|json): error: .*File too large" "$work/err"'
fi

# SIGKILL while a new folder is being made: the folder does not appear half made.
(MM_SHIM_DELAY_US=200000 LD_PRELOAD="$MM_SHIM" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" exec "$MM_BIN" match \
  --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --quiet --start 2027-03-01 --out "$work/new/sub") &
pid=$!
for _ in $(seq 400); do
  compgen -G "$work/.mentormatch-new-*/sub/.mentormatch/staging-*/summary.json" >/dev/null && break
  sleep 0.01
done
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
check_that "SIGKILL while creating a folder: it does not appear" '[ ! -e "$work/new" ]'
match_into "$work/new/sub"
check_that "the next run builds it and removes the dead run's stand-in" \
  '[ -f "$work/new/sub/meetings.ics" ] && ! compgen -G "$work/.mentormatch-new-*" >/dev/null'

# A dead stand-in under the name earlier versions gave it goes as well.
mkdir -p "$work/.new2.mentormatch-new-99999-x/.mentormatch"
match_into "$work/new2"
check_that "a dead stand-in named the earlier way (.NAME.mentormatch-new-TAG) is removed" \
  '[ -f "$work/new2/pairings.csv" ] && [ ! -e "$work/.new2.mentormatch-new-99999-x" ]'

finish outdir_safety
