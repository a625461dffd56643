"""Runs the whole test suite several ways and checks every result is the
same (issue 27): one test thread and the default, twice each, each run in
a shuffled order with its own seed (libtest's `--shuffle`, which a stable
test binary accepts under RUSTC_BOOTSTRAP=1). Each test's outcome and the
figures it prints (its `measured:` lines: WER, counts, logit differences)
must agree across the runs.

Usage: python3 benches/orders.py [--runs 1,default,1,default] [--only asr_dev,listen]
Builds with `cargo test --release --no-run` first (the profile `make test`
uses). Takes about 4 times the suite's own run time.
"""
import argparse, json, os, pathlib, random, re, subprocess, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def binaries():
    out = subprocess.run(["cargo", "test", "--release", "--workspace", "--no-run", "--message-format=json"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    bins = []
    for line in out.splitlines():
        m = json.loads(line)
        if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
            bins.append((m["executable"], pathlib.Path(m["manifest_path"]).parent, m["target"]["name"]))
    return sorted(set(bins))


def run(bins, threads, seed):
    results, figures = {}, {}
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    for exe, cwd, name in bins:
        # The dev-data tests too (`make test-dev`'s, marked ignored).
        args = [exe, "-Z", "unstable-options", f"--shuffle-seed={seed}", "--show-output", "--include-ignored"]
        if threads != "default":
            args.append(f"--test-threads={threads}")
        p = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
        for m in re.finditer(r"^test (\S+) \.\.\. (\w+)", p.stdout, re.M):
            results[f"{name}::{m.group(1)}"] = m.group(2)
        # What the tests print as measured (their `measured:` lines).
        for m in re.finditer(r"^---- (\S+) std(?:out|err) ----\n(.*?)(?=^---- |^successes:|^failures:|\Z)", p.stdout, re.M | re.S):
            lines = [l for l in m.group(2).splitlines() if l.startswith("measured:")]
            if lines:
                figures[f"{name}::{m.group(1)}"] = lines
        if p.returncode != 0 and not re.search(r"^test ", p.stdout, re.M):
            results[f"{name}::<binary>"] = f"exit {p.returncode}"
    return results, figures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", default="1,default,1,default")
    ap.add_argument("--only", help="comma-separated test targets (e.g. asr_dev,listen); all when absent")
    a = ap.parse_args()
    bins = binaries()
    if a.only:
        bins = [b for b in bins if b[2] in a.only.split(",")]
    runs = []
    for threads in a.runs.split(","):
        seed = random.randrange(1 << 32)
        results, figures = run(bins, threads, seed)
        failed = sorted(t for t, r in results.items() if r not in ("ok", "ignored"))
        print(f"threads={threads:<8} seed={seed:<11} tests={len(results)} not ok={failed}", flush=True)
        runs.append((results, figures))
    same_results = all(r == runs[0][0] for r, _ in runs)
    same_figures = all(f == runs[0][1] for _, f in runs)
    print("outcomes identical:", same_results)
    print("printed figures identical:", same_figures, f"({len(runs[0][1])} tests print figures)")
    for t, lines in sorted(runs[0][1].items()):
        print(f"  {t}:", *lines, sep="\n    ")
    if not (same_results and same_figures):
        for i, (r, f) in enumerate(runs[1:], 1):
            print(f"run {i} differs:", {k: (runs[0][0].get(k), v) for k, v in r.items() if runs[0][0].get(k) != v},
                  {k: (runs[0][1].get(k), v) for k, v in f.items() if runs[0][1].get(k) != v})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
