#!/usr/bin/env python3
"""Instruction counts of hush's stages under callgrind, against committed
baselines: a change that makes a stage slower fails `make bench-check`
even on a machine whose timings swing by 10-30 %.

Each stage (benches/counts.rs) runs on one thread, once with 0 repetitions
(its setup alone: loading the model, compiling the grammar) and once with
REPS; the difference over REPS is the stage's count. Valgrind's virtual CPU
hides AVX-512, so the kernels measured are the AVX2 ones whatever the host.

    python3 benches/counts.py measure --out target/bench/counts.json
    python3 benches/counts.py compare --measured target/bench/counts.json [--baseline benches/counts.json] [--margin 5]
    python3 benches/counts.py measure --out benches/counts.json   # new baselines, after a deliberate change

compare exits 1 when a stage's count rose more than --margin percent, and
says which; a count that fell by more than the margin is reported, so the
baseline can be lowered with the change that earned it.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Stage and repetitions: enough that the stage outweighs what varies in its
# setup (hash seeds, allocator state), few enough for valgrind's pace.
STAGES = {
    "mel": 20,
    "encoder": 1,
    "decoder-step": 4,
    "decode": 1,
    "hear-constrained": 1,
    "template-parse": 1000,
    "learned-parse": 4,
    "text-turn": 1000,
}


def bench_binary():
    out = subprocess.run(
        ["cargo", "bench", "--bench", "counts", "--no-run", "--message-format=json"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "counts" and msg.get("executable"):
            return msg["executable"]
    sys.exit("cargo built no counts bench")


def instructions(binary, stage, reps, cpu=0):
    # One core each, so that pools sized by the cores available (the
    # learned model's) have one thread, like rayon's global pool here.
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    proc = subprocess.run(
        ["taskset", "-c", str(cpu), "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", binary, stage, str(reps)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not found:
        raise SystemExit(f"{stage} x{reps} failed under callgrind:\n{proc.stderr[-3000:]}")
    return int(found.group(1))


def measure(args):
    binary = bench_binary()
    stages = args.stages.split(",") if args.stages else list(STAGES)
    subprocess.run([binary, "states", "0"], cwd=ROOT, check=True)
    # Valgrind runs a program on one core: the runs go side by side, one a
    # core (the counts do not depend on what else runs).
    runs = [(stage, reps) for stage in stages for reps in (0, STAGES[stage])]
    cpus = sorted(os.sched_getaffinity(0))
    with ThreadPoolExecutor(max_workers=len(cpus)) as pool:
        found = dict(zip(runs, pool.map(lambda i: instructions(binary, *runs[i], cpus[i % len(cpus)]), range(len(runs)))))
    counts = {}
    for stage in stages:
        reps = STAGES[stage]
        setup = found[(stage, 0)]
        counts[stage] = round((found[(stage, reps)] - setup) / reps)
        print(f"{stage:>18}: {counts[stage]:>15,} instructions per run (setup {setup:,})", flush=True)
    rustc = subprocess.run(["rustc", "-V"], cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout.strip()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"rustc": rustc, "instructions": counts}, indent=1) + "\n")


def compare(args):
    measured_file, baseline_file = (json.loads(Path(p).read_text()) for p in (args.measured, args.baseline))
    measured, baseline = measured_file["instructions"], baseline_file["instructions"]
    if measured_file.get("rustc") != baseline_file.get("rustc"):
        # Another compiler makes other code: counts may move without a change of ours.
        print(f"note: measured with {measured_file.get('rustc')}, the baselines with {baseline_file.get('rustc')}")
    risen = []
    for stage, base in baseline.items():
        base = round(base * args.baseline_scale)
        if stage not in measured:
            risen.append(f"{stage}: not measured")
            continue
        change = (measured[stage] - base) / base * 100
        note = ""
        if change > args.margin:
            risen.append(f"{stage}: {base:,} -> {measured[stage]:,} ({change:+.1f} %)")
            note = "  SLOWER"
        elif change < -args.margin:
            note = "  faster: lower the baseline with the change that did it"
        print(f"{stage:>18}: {measured[stage]:>15,} vs {base:>15,} ({change:+.2f} %){note}")
    if risen:
        print(f"instruction counts rose more than {args.margin} %:\n  " + "\n  ".join(risen), file=sys.stderr)
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="count every stage's instructions")
    m.add_argument("--out", required=True)
    m.add_argument("--stages", help="comma-separated subset")
    c = sub.add_parser("compare", help="fail when a stage's count rose past the margin")
    c.add_argument("--measured", required=True)
    c.add_argument("--baseline", default=str(ROOT / "benches" / "counts.json"))
    c.add_argument("--margin", type=float, default=5.0, help="percent")
    c.add_argument("--baseline-scale", type=float, default=1.0, help="scale the baselines (0.9: as if every stage got 10 %% cheaper; proves the gate fails)")
    args = ap.parse_args()
    measure(args) if args.command == "measure" else compare(args)


if __name__ == "__main__":
    main()
