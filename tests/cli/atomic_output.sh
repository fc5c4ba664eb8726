#!/usr/bin/env bash
# All or nothing: a failed, interrupted or killed-while-writing run leaves the output folder exactly as it was.
#
# A pipeline that reads DIR must never see half a result.  A good run fills
# DIR; then runs that fail (a bad roster, a rule found impossible while
# matching) and runs stopped by SIGTERM or SIGINT, half a second in (still
# computing), while their files are being written into the staging
# folder (its tables, then its calendar files, which several threads
# create) and while the staged set is synced before it is published, must each leave DIR byte-for-byte unchanged (same names, same
# contents) with no staging folder behind (DIR/.mentormatch holds only the
# set DIR/latest points to); folders the interrupted run created itself (DIR
# and missing parents, built under a hidden stand-in) must be gone.  The signal must still end
# the process (exit status 128 + signal), as its sender asked.
set -euo pipefail
: "${MM_BIN:?}" "${MM_SRC:?}" "${MM_SHIM:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Job control, so background runs receive SIGINT instead of ignoring it.
set -m
sample="$MM_SRC/datasets/sample"
. "$MM_SRC/tests/tools/cli_checks.sh"

snapshot() { (cd "$1" && find . -print | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
# Anything in DIR/.mentormatch but the set DIR/latest points to is left over.
staging_left() {
  local live entry
  live=$(readlink "$1/latest" 2>/dev/null || true)
  for entry in "$1"/.mentormatch/* "$1"/.mentormatch-staging-*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    [ "$entry" = "$1/$live" ] || return 0
  done
  return 1
}

dir="$work/out"
"$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --pairs "$sample/pairs.csv" \
  --config "$sample/program.conf" --quiet --out "$dir"
snapshot "$dir" >"$work/before"
[ "$(grep -c '^\./' "$work/before")" -ge 6 ] || { echo "the good run wrote too little"; exit 1; }

unchanged() { # unchanged CASE-NAME: DIR as before and nothing staged
  snapshot "$dir" >"$work/after"
  if ! cmp -s "$work/before" "$work/after"; then
    fail "$1: the output folder changed"
    diff "$work/before" "$work/after" | head -20 | sed 's/^/  /'
    return 1
  fi
  if staging_left "$dir"; then
    fail "$1: a staging folder was left behind"
    return 1
  fi
  return 0
}

# Failing runs.
printf 'id,timezone,availability\nE1,UTC,Mon-Fri 9am-5pm\n' >"$work/bad_mentees.csv"
set +e
"$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$work/bad_mentees.csv" --start 2027-03-01 \
  --quiet --out "$dir" 2>"$work/stderr"
rc=$?
set -e
if [ "$rc" -eq 1 ] && unchanged "bad roster"; then pass "bad roster (exit 1): folder unchanged"; fi
[ "$rc" -eq 1 ] || fail "bad roster: exit status $rc, expected 1"

printf 'mentee_id,mentor_id,rule\nE001,M001,require\nE002,M001,require\nE003,M001,require\nE004,M001,require\n' \
  >"$work/impossible_pairs.csv"
set +e
"$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --pairs "$work/impossible_pairs.csv" \
  --start 2027-03-01 --quiet --out "$dir" 2>"$work/stderr"
rc=$?
set -e
if [ "$rc" -eq 1 ] && unchanged "impossible rules"; then pass "impossible rules (exit 1): folder unchanged"; fi
[ "$rc" -eq 1 ] || { fail "impossible rules: exit status $rc, expected 1"; cat "$work/stderr"; }

# Interrupted runs.  A large program is still computing after half a second;
# a middle-sized one is killed as soon as its first file is being staged.
"$MM_BIN" generate --mentees 20000 --mentors 5000 --seed 11 --out "$work/large" >/dev/null
"$MM_BIN" generate --mentees 6000 --mentors 1500 --seed 12 --out "$work/medium" >/dev/null

start_run() { # start_run INPUT-DIR OUT-DIR: starts a match in the background, sets $pid
  "$MM_BIN" match --mentors "$1/mentors.csv" --mentees "$1/mentees.csv" --start 2027-03-01 --threads 2 \
    --quiet --out "$2" >/dev/null 2>"$work/stderr" &
  pid=$!
}

wait_run() { # waits for the run start_run began; sets $rc to its exit status
  rc=0
  wait "$pid" || rc=$?
}

for sig in TERM INT; do
  want=$((128 + $(kill -l "$sig")))

  start_run "$work/large" "$dir"
  sleep 0.5
  kill -s "$sig" "$pid" 2>/dev/null || true # a run that already ended is judged by its exit status
  wait_run
  if [ "$rc" -ne "$want" ]; then
    fail "SIG$sig at 0.5 s: exit status $rc, expected $want"
    head -c 2000 "$work/stderr" | sed 's/^/  /'
  elif unchanged "SIG$sig at 0.5 s"; then
    pass "SIG$sig at 0.5 s (exit $rc): folder unchanged"
  fi

  start_run "$work/medium" "$dir"
  if wait_for_file "$dir/.mentormatch/staging-*/pairings.csv" "$pid"; then
    kill -s "$sig" "$pid" 2>/dev/null || true
    wait_run
    if [ "$rc" -ne "$want" ]; then
      fail "SIG$sig while staging: exit status $rc, expected $want"
    elif unchanged "SIG$sig while staging"; then
      pass "SIG$sig while staging (exit $rc): folder unchanged"
    fi
  else
    wait_run
    fail "SIG$sig while staging: the run ended (exit status $rc) before its files were staged"
    head -c 2000 "$work/stderr" | sed 's/^/  /'
  fi

  fresh="$work/fresh-$sig"
  start_run "$work/medium" "$fresh/sub/dir"
  if wait_for_file "$work/.mentormatch-new-*/sub/dir/.mentormatch/staging-*/pairings.csv" "$pid"; then
    kill -s "$sig" "$pid" 2>/dev/null || true
    wait_run
    if [ "$rc" -ne "$want" ]; then
      fail "SIG$sig while staging into new folders: exit status $rc, expected $want"
    elif [ -e "$fresh" ] || compgen -G "$work/.mentormatch-new-*" >/dev/null; then
      fail "SIG$sig while staging into new folders: $fresh or its stand-in is still there"
      find "$work"/*fresh* | head -5 | sed 's/^/  /'
    else
      pass "SIG$sig while staging into new folders (exit $rc): all three removed"
    fi
  else
    wait_run
    fail "SIG$sig while staging into new folders: the run ended (exit status $rc) before its files were staged"
    head -c 2000 "$work/stderr" | sed 's/^/  /'
  fi
done

# Killed while several threads create the calendar files: the handler must
# wait for the creations in flight, or a file made behind its back keeps the
# staging folder (and the stand-in) from being removed.
for k in 1 2 3; do
  fresh="$work/fresh-calendars-$k"
  start_run "$work/medium" "$fresh/sub/dir"
  if wait_for_file "$work/.mentormatch-new-*/sub/dir/.mentormatch/staging-*/invites/*" "$pid"; then
    kill -s TERM "$pid" 2>/dev/null || true
    wait_run
    if [ "$rc" -ne 143 ]; then
      fail "SIGTERM while staging calendars ($k): exit status $rc, expected 143"
    elif [ -e "$fresh" ] || compgen -G "$work/.mentormatch-new-*" >/dev/null; then
      fail "SIGTERM while staging calendars ($k): $fresh or its stand-in is still there"
      rm -rf "$work"/.mentormatch-new-*
    else
      pass "SIGTERM while staging calendars ($k): all removed"
    fi
  else
    wait_run
    fail "SIGTERM while staging calendars ($k): the run ended (exit status $rc) before its calendars were staged"
  fi
done

# Interrupted while the staged set is synced to disk (made to last 3 s by
# the shim): the handler runs on another thread and waits for publishing to
# end, and publishing must then stop and undo the run.  It used to publish
# the set and only then end (the stress test caught it under load).
sync_run() { # sync_run OUT-DIR: starts a match whose sync is slow, sets $pid
  rm -f "$work/syncing"
  MM_SHIM_SYNC_US=3000000 MM_SHIM_SYNC_MARK="$work/syncing" LD_PRELOAD="$MM_SHIM" \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" "$MM_BIN" match --mentors "$work/medium/mentors.csv" \
    --mentees "$work/medium/mentees.csv" --start 2027-03-01 --threads 2 --quiet --out "$1" >/dev/null 2>"$work/stderr" &
  pid=$!
}
# signal_while_syncing SIG OUT-DIR NAME: signals a slow-sync run into
# OUT-DIR once it syncs; 0 when it then ended with 128 + SIG (the failure
# is reported otherwise).
signal_while_syncing() {
  sync_run "$2"
  if ! wait_for_file "$work/syncing" "$pid"; then
    wait_run
    fail "$3: the run ended (exit status $rc) before it synced"
    return 1
  fi
  sleep 0.3
  kill -s "$1" "$pid" 2>/dev/null || true
  wait_run
  [ "$rc" -eq $((128 + $(kill -l "$1"))) ] || { fail "$3: exit status $rc"; return 1; }
}
for sig in TERM INT; do
  name="SIG$sig while syncing"
  if signal_while_syncing "$sig" "$dir" "$name" && unchanged "$name"; then pass "$name: folder unchanged"; fi
  fresh="$work/fresh-sync-$sig"
  name="SIG$sig while syncing a new folder"
  signal_while_syncing "$sig" "$fresh/sub" "$name" || continue
  if [ -e "$fresh" ] || compgen -G "$work/.mentormatch-new-*" >/dev/null; then
    fail "$name: $fresh or its stand-in is still there"
    rm -rf "$fresh" "$work"/.mentormatch-new-*
  else
    pass "$name: all removed"
  fi
done

# A run killed outright (SIGKILL) leaves its staging folder behind; the next
# run into the same folder removes it: the lock on DIR shows nobody uses it.
# (An older version's staging folder, named after its process, too.)
orphan_dir="$work/orphans"
mkdir -p "$orphan_dir"
sh -c 'exit 0' &
dead=$!
wait "$dead"
mkdir -p "$orphan_dir/.mentormatch-staging-$dead-abcdef"
touch "$orphan_dir/.mentormatch-staging-$dead-abcdef/pairings.csv"
mkdir -p "$orphan_dir/.mentormatch/staging-1-2-3"
touch "$orphan_dir/.mentormatch/staging-1-2-3/pairings.csv"
"$MM_BIN" match --mentors "$MM_SRC/tests/data/good/mentors.csv" --mentees "$MM_SRC/tests/data/good/mentees.csv" \
  --start 2027-03-01 --quiet --out "$orphan_dir"
if staging_left "$orphan_dir"; then
  fail "a dead run's staging folder survived the next run"
else
  pass "a dead run's staging folder is removed by the next run"
fi

# Runs started together into a DIR that does not exist yet take turns as
# into one that does: each builds under its own stand-in, and one that finds
# DIR (or a folder above it) made by another meanwhile moves its set in and
# publishes in turn.  Most of them used to stop with "another program created
# the output folder meanwhile; run again", and a run's stand-in could be
# taken for a dead one's between its mkdir and its lock and removed under it.
set +m
together() { # together OUT...: one run per OUT, all at once; fails unless all exit 0
  local pids=() out bad=0
  for out in "$@"; do
    "$MM_BIN" match --mentors "$sample/mentors.csv" --mentees "$sample/mentees.csv" --start 2027-03-01 \
      --calendars none --quiet --out "$out" 2>>"$work/together.err" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || bad=1; done
  return "$bad"
}
whole() { # whole DIR: a complete set, one run folder, no staging left
  [ -s "$1/pairings.csv" ] && [ -s "$1/summary.json" ] &&
    [ "$(find "$1/.mentormatch" -mindepth 1 -maxdepth 1 | wc -l)" -eq 1 ] && ! staging_left "$1"
}
ok=1
for round in 1 2 3 4 5; do
  rm -rf "$work/new"
  together "$work/new/dir" "$work/new/dir" "$work/new/dir" "$work/new/dir" "$work/new/x/y" "$work/new/z" || ok=0
  for d in dir x/y z; do whole "$work/new/$d" || ok=0; done
  [ -z "$(find "$work" "$work/new" -maxdepth 1 -name '.*mentormatch-new*')" ] || ok=0
done
if [ "$ok" = 1 ]; then
  pass "runs started together into new folders: all exit 0, each folder one whole set, no stand-in left"
else
  fail "runs started together into new folders: $(sort -u "$work/together.err" | head -3)"
fi

finish atomic_output
