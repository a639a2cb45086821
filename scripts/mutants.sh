#!/usr/bin/env bash
# Mutation check: breaks one important behaviour at a time (scripts/mutants.txt), rebuilds
# only the test programs that must notice, runs them, and puts the source back. A mutant is
# "killed" when its tests fail, "SURVIVED" when they pass (a hole in the suite).
# Exits non-zero when a mutant survives, when its original text is not found (or not unique:
# code moved by a refactor must be re-pointed), or when a mutant does not build.
#
#   scripts/mutants.sh [--build-dir DIR] [--list FILE] [--check] [NAME-REGEX]
#
# --check only verifies that every original text is found exactly once (no build, seconds).
# NAME-REGEX picks mutants by name (all by default). The build dir must be configured with
# -DCHALK_BUILD_TESTS=ON (scripts/build.sh). Sources are restored after each mutant, also on
# Ctrl-C; the listed test targets are rebuilt from the clean sources at the end.
# The format of the list is described at the top of scripts/mutants.txt (docs/TESTING.md).
set -uo pipefail
cd "$(dirname "$0")/.."

build_dir=build
list=scripts/mutants.txt
only=""
check=0
while (($#)); do
    case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --list) list=$2; shift 2 ;;
    --check) check=1; shift ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) only=$1; shift ;;
    esac
done
((check)) || [[ -f "$build_dir/CTestTestfile.cmake" ]] || {
    echo "mutants: $build_dir is not a configured build (run scripts/build.sh -DCHALK_BUILD_TESTS=ON)" >&2
    exit 2
}
export QT_QPA_PLATFORM=offscreen QT_NO_GLIB=1
jobs=${JOBS:-2}
work=$(mktemp -d)
backup=""
target_file=""
restore() {
    if [[ -n "$backup" && -f "$backup" ]]; then
        cp -p "$backup" "$target_file"
        touch "$target_file" # newer than the mutant's objects: the next build recompiles it
        backup=""
    fi
}
trap 'restore; rm -rf "$work"; exit 130' INT TERM
trap 'restore; rm -rf "$work"' EXIT

# apply FILE ORIGINAL REPLACEMENT [OUT]: replaces the one place matching ORIGINAL (writing
# FILE, or OUT when given). Whitespace runs
# match any whitespace (formatting does not matter); "\n" in either text is a line break.
# Exit 3: not found, 4: found more than once.
apply() {
    python3 - "$@" <<'EOF'
import re, sys
path, original, replacement = sys.argv[1], sys.argv[2], sys.argv[3]
out = sys.argv[4] if len(sys.argv) > 4 else path
original = original.replace('\\n', '\n').strip()
replacement = replacement.replace('\\n', '\n').strip()
pattern = r'\s+'.join(re.escape(part) for part in original.split())
text = open(path, encoding='utf-8').read()
found = list(re.finditer(pattern, text))
if not found:
    sys.exit(3)
if len(found) > 1:
    sys.exit(4)
m = found[0]
open(out, 'w', encoding='utf-8').write(text[:m.start()] + replacement + text[m.end():])
EOF
}

# The build targets of the tests a regex selects: test names minus their re-run suffixes.
targets_for() {
    ctest --test-dir "$build_dir" -N -R "$1" | sed -n 's/^ *Test *#[0-9]*: *//p' |
        sed -E 's/_(sqlite|epoll)$//' | sort -u
}

declare -a results
killed=0 survived=0 broken=0 missing=0 total=0
all_targets=()
while IFS= read -r raw || [[ -n "$raw" ]]; do
    [[ -z "${raw//[[:space:]]/}" || "$raw" =~ ^[[:space:]]*# ]] && continue
    IFS=$'\x1f' read -r name file original replacement tests <<<"${raw//' @@ '/$'\x1f'}"
    name=$(echo "$name" | xargs)
    file=$(echo "$file" | xargs)
    tests=$(echo "$tests" | xargs)
    if [[ -z "$name" || -z "$file" || -z "$original" || -z "$replacement" || -z "$tests" ]]; then
        echo "mutants: malformed line: $raw" >&2
        results+=("BROKEN    (malformed line) $raw")
        broken=$((broken + 1))
        continue
    fi
    [[ -n "$only" && ! "$name" =~ $only ]] && continue
    total=$((total + 1))
    echo "==== $name ($file)"
    if [[ ! -f "$file" ]]; then
        results+=("NOT FOUND $name: no file $file")
        missing=$((missing + 1))
        continue
    fi
    if ((check)); then
        apply "$file" "$original" "$replacement" "$work/checked"
        status=$?
    else
        target_file=$file
        backup="$work/backup"
        cp -p "$file" "$backup"
        apply "$file" "$original" "$replacement"
        status=$?
    fi
    if ((status != 0)); then
        backup="" # nothing was changed
        why=$([[ $status == 3 ]] && echo "original text not found" || echo "original text found more than once")
        [[ $status == 3 || $status == 4 ]] || why="could not apply (status $status)"
        results+=("NOT FOUND $name: $why in $file")
        missing=$((missing + 1))
        continue
    fi
    if ((check)); then
        results+=("found     $name")
        continue
    fi
    mapfile -t targets < <(targets_for "$tests")
    if ((${#targets[@]} == 0)); then
        restore
        results+=("BROKEN    $name: no test matches '$tests'")
        broken=$((broken + 1))
        continue
    fi
    all_targets+=("${targets[@]}")
    if ! cmake --build "$build_dir" -j"$jobs" --target "${targets[@]}" >"$work/build.log" 2>&1; then
        restore
        tail -20 "$work/build.log"
        results+=("BROKEN    $name: the mutant does not build")
        broken=$((broken + 1))
        continue
    fi
    if ctest --test-dir "$build_dir" -R "$tests" -j"$jobs" --stop-on-failure >"$work/test.log" 2>&1; then
        results+=("SURVIVED  $name: $tests all passed")
        survived=$((survived + 1))
        echo "     survived"
    else
        failed=$(grep -oE '^[[:space:]]*[0-9]+ - [^ ]+ \(' "$work/test.log" | awk '{print $3}' | sort -u | tr '\n' ' ')
        results+=("killed    $name: by ${failed:-(see ctest)}")
        killed=$((killed + 1))
        echo "     killed by ${failed}"
    fi
    restore
done <"$list"

if ((${#all_targets[@]})); then
    echo "==== rebuilding the tested targets from the restored sources"
    mapfile -t uniq < <(printf '%s\n' "${all_targets[@]}" | sort -u)
    cmake --build "$build_dir" -j"$jobs" --target "${uniq[@]}" >"$work/build.log" 2>&1 ||
        { tail -20 "$work/build.log"; echo "mutants: the restored sources do not build" >&2; }
fi

echo
echo "==== mutants: $total run, $killed killed, $survived survived, $missing not found, $broken broken"
printf '%s\n' "${results[@]}"
((survived == 0 && missing == 0 && broken == 0))
