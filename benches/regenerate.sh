#!/usr/bin/env bash
# Regenerates BENCHMARKS.md from one run of every bench (run it on a quiet machine): each
# bench appends its tables to $SCPLAN_BENCH_REPORT; this script dates them, names the machine
# and the commit, and puts them under the text kept in benches/BENCHMARKS.head.md.
# SCPLAN_BENCHES="process merge" runs only those (the file then holds only their tables).
set -euo pipefail
cd "$(dirname "$0")/.."
report=$(mktemp)
trap 'rm -f "$report"' EXIT
export SCPLAN_BENCH_REPORT="$report"
benches=${SCPLAN_BENCHES:-$(grep -A1 '^\[\[bench\]\]' Cargo.toml | sed -n 's/^name = "\(.*\)"/\1/p')}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%MZ)
cargo bench --no-run --quiet
for bench in $benches; do
  echo "== cargo bench --bench $bench" >&2
  # What the bench before wrote (the editor's bench saves the large plan a thousand times)
  # goes to the disk first, so that its writing back does not slow the next bench's writes.
  sync
  cargo bench --quiet --bench "$bench"
done
{
  cat benches/BENCHMARKS.head.md
  echo
  echo "## Results of $started"
  echo
  echo "One run of \`benches/regenerate.sh\` at commit $(git rev-parse --short HEAD), on"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(free -g | awk '/Mem:/{print $2}') GiB; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)."
  if [ "${CARGO_PROFILE_RELEASE_LTO:-}" = "false" ]; then
    echo "Built with the release profile but LTO off (CARGO_PROFILE_RELEASE_LTO=false,"
    echo "CARGO_PROFILE_RELEASE_CODEGEN_UNITS=${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-16}): every program alike, so the ratios hold."
  else
    echo "Built with the release profile (fat LTO, one codegen unit)."
  fi
  echo "Every ratio is to a reference measured in the same run; each table names the command that"
  echo "reproduces it alone."
  echo
  cat "$report"
} > BENCHMARKS.md
echo "BENCHMARKS.md written" >&2
