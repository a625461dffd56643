#!/usr/bin/env python3
"""Command acceptance, wrong answers and false accepts by SNR on each half
of a spoken set (generate.py's `split`: tune, held), from the items a
`hush bench matrix` run wrote, read by the templates as the matrix reads
them (`hush parse`); and the run's recognition latency.

    python3 benches/intent_audio/halves.py --run target/bench/intents/items/tiny.en-q8_0.trim-on.beam-1.auto.jsonl \\
        --manifest ~/.cache/hush/spoken/rhino_car/manifest.jsonl [--intents DIR]

A command is accepted when its intent and every slot equal the templates'
reading of the reference sentence; wrong when it is read as another intent
or with another slot; out-of-domain clips read as any intent are false
accepts. With --check, a reading that is not an exact template match
(an edit forgiven, or the learned model's), or a grammar sentence auto
offered only as a question (the item's "asked"), is "checked": the engine
asks "Did you say ...?" instead of acting, so it is neither accepted nor
wrong (nor a false accept).
"""
import argparse
import collections
import json
import statistics
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readings(hush, intents, texts):
    out = {}
    uniq = sorted(set(texts))
    for k in range(0, len(uniq), 200):
        chunk = uniq[k:k + 200]
        args = [hush, "parse", "--json"] + (["--intents", intents] if intents else []) + ["--"] + chunk
        lines = subprocess.run(args, capture_output=True, text=True).stdout.splitlines()
        assert len(lines) == len(chunk), (len(lines), len(chunk))
        for t, line in zip(chunk, lines):
            p = json.loads(line)
            exact = p.get("source") == "template" and (p.get("parses") or [{}])[0].get("cost") == 0
            out[t] = (p.get("intent"), tuple(sorted((s["name"], json.dumps(s.get("value"), sort_keys=True)) for s in p.get("slots") or [])), exact)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, help="a matrix run's items/<run>.jsonl")
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--intents")
    ap.add_argument("--hush", default=str(ROOT / "target" / "release" / "hush"))
    ap.add_argument("--check", action="store_true", help="readings that are not exact are checked with the user, not acted on")
    args = ap.parse_args()
    manifest = {m["audio"] + "\t" + m["text"].lower(): m for m in map(json.loads, open(args.manifest))}
    items = [json.loads(line) for line in open(args.run)]
    pairs = [(manifest[i["key"].split("\t")[0] + "\t" + i["key"].split("\t", 1)[1].lower()], i) for i in items]
    read = readings(args.hush, args.intents, [m["text"] for m, _ in pairs] + [i["hypothesis"] for _, i in pairs] + [i["asked"] for _, i in pairs if i.get("asked")])
    conds = ["clean", "24", "15", "12", "9", "6", "3", "0"]
    checked = " / checked" if args.check else ""
    print(f"{Path(args.run).stem}: % of commands accepted / answered wrongly{checked} by SNR, false accepts of out-of-domain clips")
    for split in ["tune", "held"]:
        count, total = collections.Counter(), collections.Counter()
        for m, i in pairs:
            if m.get("split") != split:
                continue
            cond = "clean" if m["snr_db"] is None else str(m["snr_db"])
            if args.check and i.get("asked"):
                got, asked = read[i["asked"]], True
            else:
                got = read[i["hypothesis"]]
                asked = args.check and got[0] is not None and not got[2]
            if m["intent"] is None:
                total["ood"] += 1
                count["fa"] += got[0] is not None and not asked
                count["ood asked"] += asked
                continue
            count["checks right"] += asked and got[:2] == read[m["text"]][:2]
            outcome = "rejected" if got[0] is None else "checked" if asked else "ok" if got[:2] == read[m["text"]][:2] else "wrong"
            for c in [cond, "all"]:
                total[c] += 1
                count[(c, outcome)] += 1
        pct = lambda n, d: f"{100 * n / d:.1f}" if d else "-"
        kinds = ["ok", "wrong"] + (["checked"] if args.check else [])
        cells = " | ".join(f"{c} " + " / ".join(pct(count[(c, k)], total[c]) for k in kinds) for c in conds + ["all"])
        asks = f" | checks naming the right command {count['checks right']}, out-of-domain clips asked about {count['ood asked']}" if args.check else ""
        print(f"  {split} ({total['all']} commands, {total['ood']} out-of-domain): {cells} | false accepts {pct(count['fa'], total['ood'])}{asks}")
    asr = [i["asr"] for _, i in pairs]
    print(f"  recognition p50 {statistics.median(asr):.0f} ms, p95 {sorted(asr)[int(0.95 * (len(asr) - 1))]:.0f} ms over {len(asr)} clips")


if __name__ == "__main__":
    main()
