#!/usr/bin/env bash
# Reproduces: every `sha256` pin hashes its file again, and nothing limits the evidence items of a
# document, so N pins on one large file cost N full reads of it.
#   fuzz/regressions/hostile/many-pins.sh [SMM-LINT] [PINS] [MIB]
# Builds a tree in a temp dir (a profile, one practice with PINS pins on a MIB MiB sparse
# evidence file), runs `check --format json`, prints the time and the number of findings.
set -euo pipefail
bin=${1:-target/release/smm-lint}
bin=$(realpath "$bin")
pins=${2:-10}
mib=${3:-1024}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/hardening" "$dir/evidence"
printf -- '---\nprofile: demo\nsystem: Demo\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n' >"$dir/profile.md"
printf '# Big\n' >"$dir/evidence/big.md"
truncate -s "${mib}M" "$dir/evidence/big.md"
{
  printf -- '---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n'
  for i in $(seq "$pins"); do
    printf '  - path: ../evidence/big.md\n    kind: procedure\n    sha256: %064x\n' $((0xabcdef00 + i))
  done
  printf -- '---\n# P\n'
} >"$dir/hardening/patch-management.md"
cd "$dir"
start=$(date +%s.%N)
"$bin" check --format json --today 2026-11-21 . | grep -c '"rule": "evidence-changed"' || true
end=$(date +%s.%N)
echo "$pins pins on a $mib MiB file: $(echo "$end - $start" | bc) s"
