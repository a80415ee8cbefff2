#!/usr/bin/env bash
# CPU time of a whole default audit (harness + sampler) of the vectorised numpy Euler–Maruyama
# sampler (fixtures/samplers/python/numpy_em.py), protocol 1 (JSON rows) against protocol 2 (base64
# f64 / f32, batched score messages). Issue 15 target: ≤ 10 s CPU with protocol 2.
#
#   bash bench/audit-protocol.sh                     # 3 runs per configuration (medians)
#   BENCH_REPEATS=5 bash bench/audit-protocol.sh
#   BENCH_AUDIT_STDLIB=1 bash bench/audit-protocol.sh   # also the stdlib example_em.py (v1, ≈ 30 s CPU a run)
#
# How it measures: `/usr/bin/time` around the CLI gives the user + system CPU of the harness and
# everything it waited for (the sampler included); a second `/usr/bin/time` inside --command gives
# the sampler's own share; harness = total − sampler. Every run must end in `pass` (the audit at its
# default δ = 1e-6, --seed 1), else the script stops. Outputs (reports, timings) in bench/out/
# (git-ignored). Needs python3 with numpy and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS="${BENCH_REPEATS:-3}"
OUT=bench/out/audit-protocol
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "bench/audit-protocol.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }
python3 -c 'import numpy' 2>/dev/null || { echo "bench/audit-protocol.sh: python3 cannot import numpy: skipped" >&2; exit 0; }

NUMPY=fixtures/samplers/python/numpy_em.py
CONFIGS=(
  "numpy v1 (JSON rows)|python3 $NUMPY --protocol 1"
  "numpy v2 f64|python3 $NUMPY --protocol 2"
  "numpy v2 f32|python3 $NUMPY --protocol 2 --encoding f32"
  "numpy v2 f64, 4 blocks per message|python3 $NUMPY --protocol 2 --blocks 4"
)
if [ "${BENCH_AUDIT_STDLIB:-0}" = 1 ]; then
  CONFIGS+=("stdlib example_em.py v1|python3 fixtures/samplers/python/example_em.py")
fi

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "audit protocol benchmark: default problem set, --seed 1, $REPEATS runs each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-36s | %-14s | %-14s | %-14s | %-10s | %s |\n' "sampler" "CPU total s" "harness s" "sampler s" "wall s" "runs (total CPU)"
printf '|%s|%s|%s|%s|%s|%s|\n' "--------------------------------------" "----------------" "----------------" "----------------" "------------" "---"
JSON_ROWS=()
for config in "${CONFIGS[@]}"; do
  label="${config%%|*}"
  cmd="${config#*|}"
  totals=(); harness=(); sampler=(); walls=()
  for r in $(seq 1 "$REPEATS"); do
    st="$OUT/sampler-time.txt"
    tt="$OUT/total-time.txt"
    rm -f "$st" "$tt"
    /usr/bin/time -o "$tt" -f '%U %S %e' node bin/collapse-check.mjs audit \
      --command "/usr/bin/time -o $st -f '%U %S' $cmd" --seed 1 --json --out "$OUT/report" \
      > "$OUT/audit.json" 2> "$OUT/stderr.txt" || true
    verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$OUT/audit.json")
    if [ "$verdict" != pass ]; then
      echo "run of '$label' ended in '$verdict' (expected pass): see $OUT/" >&2
      exit 1
    fi
    read -r tu ts te < <(tail -n 1 "$tt")
    read -r su ss < <(tail -n 1 "$st")
    total=$(awk -v a="$tu" -v b="$ts" 'BEGIN {printf "%.2f", a + b}')
    samp=$(awk -v a="$su" -v b="$ss" 'BEGIN {printf "%.2f", a + b}')
    totals+=("$total"); sampler+=("$samp"); walls+=("$te")
    harness+=("$(awk -v a="$total" -v b="$samp" 'BEGIN {printf "%.2f", a - b}')")
  done
  mt=$(printf '%s\n' "${totals[@]}" | median)
  mh=$(printf '%s\n' "${harness[@]}" | median)
  ms=$(printf '%s\n' "${sampler[@]}" | median)
  mw=$(printf '%s\n' "${walls[@]}" | median)
  printf '| %-36s | %-14s | %-14s | %-14s | %-10s | %s |\n' "$label" "$mt" "$mh" "$ms" "$mw" "${totals[*]}"
  JSON_ROWS+=("{\"sampler\":\"$label\",\"cpu_total_s\":$mt,\"cpu_harness_s\":$mh,\"cpu_sampler_s\":$ms,\"wall_s\":$mw}")
done
(IFS=,; echo "[${JSON_ROWS[*]}]")
