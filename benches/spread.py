"""How much the model tests' measured figures move with the ways a machine
can differ (issue 27): the int8 kernel candle picks at run time (AVX-512
VNNI or AVX2, forced with MISTRALRS_FORCE_AVX2=1) and the number of worker
threads. Runs `hush bench asr` on the clips tests/asr_dev.rs scores and
prints, per configuration, the figures that test bounds:

  q8_0 WER on the 240 clean and the 80 10 dB clips (bounds 21.3 and 28.0),
  f32 and q8_0 WER on every third clean clip and how many of those 80
  texts differ (bounds: q8_0 within 1 point of f32, at most a quarter).

Usage: python3 benches/spread.py [--hush target/release/hush]
       [--threads 1,2,4] [--out target/bench/spread.json]
Takes about 25 minutes on 2 cores (made by `make bench-spread`).
"""
import argparse, json, os, pathlib, subprocess, sys, tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEV = ROOT / ".." / "shared" / "data" / "audio-dev" / "manifest.jsonl"



def manifest(rows, path):
    base = DEV.resolve().parent
    path.write_text("".join(json.dumps({**r, "audio": str(base / r["audio"])}) + "\n" for r in rows))
    return path


def bench(hush, models, rows, threads, env, tmp):
    out = tmp / "out.json"
    m = manifest(rows, tmp / "m.jsonl")
    cmd = [hush, "bench", "asr", "--manifest", str(m), "--threads", str(threads), "--json", str(out)]
    for model in models:
        cmd += ["--compare", model]
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return {r["model"]: r for r in json.loads(out.read_text())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hush", default=str(ROOT / "target" / "release" / "hush"))
    ap.add_argument("--threads", default="1,2,4")
    ap.add_argument("--out", default=str(ROOT / "target" / "bench" / "spread.json"))
    a = ap.parse_args()
    rows = [json.loads(l) for l in DEV.read_text().splitlines() if l.strip()]
    clean = [r for r in rows if r.get("snr_db") is None]
    noisy = [r for r in rows if r.get("snr_db") == 10.0]
    third = clean[::3]
    results = []
    print(f"{'kernel':<8} {'threads':>7} {'clean':>7} {'10 dB':>7} {'f32 /3':>7} {'q8 /3':>7} {'differ':>7}")
    for kernel in ["native", "avx2"]:
        env = dict(os.environ)
        env.pop("MISTRALRS_FORCE_AVX2", None)
        if kernel == "avx2":
            env["MISTRALRS_FORCE_AVX2"] = "1"
        for threads in [int(t) for t in a.threads.split(",")]:
            with tempfile.TemporaryDirectory() as tmp:
                tmp = pathlib.Path(tmp)
                q8 = bench(a.hush, ["tiny.en-q8_0"], clean + noisy, threads, env, tmp)["tiny.en-q8_0"]
                f32 = bench(a.hush, ["tiny.en"], third, threads, env, tmp)["tiny.en"]
            by_audio = {i["audio"]: i for i in q8["items"]}
            q8_third = [by_audio[str(DEV.resolve().parent / r["audio"])] for r in third]
            # Texts compared as written (case and punctuation too): at least
            # as many as the test's count, which compares normalised words.
            differ = sum(q["hypothesis"] != f["hypothesis"] for q, f in zip(q8_third, f32["items"]))
            q8_third_wer = 100.0 * sum(i["edits"] for i in q8_third) / sum(i["words"] for i in q8_third)
            row = {"kernel": kernel, "threads": threads, "q8_clean": q8["wer"]["clean"], "q8_10dB": q8["wer"]["10dB"],
                   "f32_third": f32["wer"]["clean"], "q8_third": q8_third_wer, "differ": differ, "of": len(third),
                   "q8_texts": [i["hypothesis"] for i in q8["items"]], "f32_texts": [i["hypothesis"] for i in f32["items"]]}
            results.append(row)
            print(f"{kernel:<8} {threads:>7} {row['q8_clean']:>7.2f} {row['q8_10dB']:>7.2f} {row['f32_third']:>7.2f} {q8_third_wer:>7.2f} {differ:>4}/{len(third)}", flush=True)
    print("q8_0 texts identical across thread counts on each kernel:",
          all(r["q8_texts"] == next(s for s in results if s["kernel"] == r["kernel"])["q8_texts"] for r in results))
    print("f32 texts identical in every configuration:", all(r["f32_texts"] == results[0]["f32_texts"] for r in results))
    pathlib.Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(a.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    sys.exit(main())
