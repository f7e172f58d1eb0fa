#!/usr/bin/env bash
# Reproduces: below a path longer than PATH_MAX (4096 bytes on Linux) the walk gives up with a
# warning on stderr only (with the whole 4,400-character path in it): the practice document there
# is not checked and no diagnostic says so; and evidence that exists there is reported as
# "does not exist" (evidence-not-found), not as unreadable.
#   fuzz/regressions/hostile/path-max.sh [SMM-LINT]
set -euo pipefail
bin=$(realpath "${1:-target/release/smm-lint}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/hardening"
printf -- '---\nprofile: demo\nsystem: Demo\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n' >"$dir/profile.md"
comp=$(printf 'e%.0s' $(seq 199))
rel=""
(
  cd -P "$dir"
  for _ in $(seq 22); do mkdir "$comp"; cd -P "$comp"; done
  printf '# Deep\n\n## Anchor\n' >deep.md
  printf -- '---\npractice: access-control\ncurrent: 1/general\nassessed: 2026-10-01\nasessor: x\n---\n# Deep\n' >access-control.md
)
for _ in $(seq 22); do rel="$rel$comp/"; done
printf -- '---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../%sdeep.md#anchor\n    kind: procedure\n---\n# P\n' "$rel" >"$dir/hardening/patch-management.md"
cd "$dir"
set +e
"$bin" check --format json --today 2026-11-21 . >"$dir/out.json" 2>"$dir/err.txt"
echo "exit $?"
set -e
grep -E '"(rule|path)"' "$dir/out.json" | cut -c1-120
echo "stderr: $(wc -c <"$dir/err.txt") bytes: $(cut -c1-160 "$dir/err.txt")…"
