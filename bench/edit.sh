#!/usr/bin/env bash
# Time an author's edit: build a copy of the bundled course, then change one lesson's text three
# times, rebuilding after each, and check the incremental result equals a clean build byte for byte.
#
#   bash bench/edit.sh [modgen build options, e.g. --format site --lang en]
#
# Uses the python of $PY (default: .venv/bin/python, else python3) and the code of this checkout.
# Each build runs in its own process, as an author's `modgen build` does.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}
W=$(mktemp -d "${TMPDIR:-/tmp}/modgen-edit.XXXX")
trap 'rm -rf "$W"' EXIT
cp -r course.yaml modules quizzes "$W/"
export PYTHONPATH=$PWD
"$PY" -m generator build "$W" -o "$W/out" -q "$@"
for i in 1 2 3; do
    "$PY" - "$W/modules/02-pre-activity.yaml" "$i" <<'P'
import sys
path, i = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
# the first line of the English body of the lesson's first section, as bench/run.py does
at = text.index("\n", text.index("en: ", text.index("body:"))) + 1
at += len(text[at:]) - len(text[at:].lstrip(" "))
open(path, "w", encoding="utf-8").write(text[:at] + f"Edit {i}. " + text[at:])
P
  /usr/bin/time -f "one-lesson edit: %e s, %M KB peak" "$PY" -m generator build "$W" -o "$W/out" -q "$@"
done
/usr/bin/time -f "nothing changed: %e s" "$PY" -m generator build "$W" -o "$W/out" -q "$@"
"$PY" -m generator build "$W" -o "$W/clean" -q "$@"
# .cache/stat.json records what this machine saw of each file (inodes, times): it differs.
if diff -r -x stat.json "$W/out" "$W/clean" >/dev/null; then
  echo "incremental == clean: OK"
else
  echo "incremental != clean: STALE"; diff -rq -x stat.json "$W/out" "$W/clean" | head; exit 1
fi
uptime
