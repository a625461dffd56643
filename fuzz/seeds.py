"""Seed corpora for the fuzz targets, made from the repository's own
fixtures (intent files, demo clips, reply tables) and a few minimal files
of each binary format, into fuzz/corpus/TARGET (not in git)."""
import pathlib, re, struct, shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"


def put(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def wav(rate, channels, bits, fmt, frames):
    block = channels * bits // 8
    data = bytes((i * 37) % 256 for i in range(frames * block))
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, fmt, channels, rate, rate * block, block, bits)
            + b"data" + struct.pack("<I", len(data)) + data)


for p in sorted((ROOT / "examples" / "audio").glob("*.wav")) + sorted((ROOT / "tests" / "fixtures" / "wake").glob("*.wav"))[:2]:
    put("wav", p.name, p.read_bytes()[:8192])
for i, (rate, ch, bits, fmt) in enumerate([(16000, 1, 16, 1), (48000, 2, 16, 1), (8000, 1, 8, 1), (44100, 2, 24, 1), (16000, 1, 32, 3), (22050, 6, 32, 1)]):
    put("wav", f"tiny{i}.wav", wav(rate, ch, bits, fmt, 64))

yamls = sorted((ROOT / "intents").rglob("*.yaml")) + sorted((ROOT / "tests" / "fixtures" / "intents").glob("*.yaml"))
sentences = set()
for p in yamls:
    src = p.read_text()
    name = f"{p.parent.name}-{p.name}"
    put("intents", name, src)
    # `compile` runs on 1 KB files: the first kilobyte, cut at a line end.
    put("compile", name, src[:1024].rsplit("\n", 1)[0] + "\n")
    for m in re.finditer(r'^\s*-\s+"(.*)"\s*$', src, re.M):
        put("template", f"{p.stem}-{len(list((OUT / 'template').glob('*'))) if (OUT / 'template').exists() else 0}", m.group(1))
    for m in re.finditer(r"examples:\s*\[(.*)\]", src):
        sentences.update(s.strip().strip('"') for s in m.group(1).split('",'))
replies = (ROOT / "tests" / "fixtures" / "replies.rs").read_text()
sentences.update(re.findall(r'"([^"]*)"', replies))
sentences.update(["pay my electricity bill of forty two dollars", "wake me at 5:30 p.m. tomorrow", "send Rp50.000 to budi",
                  "two thousand and twenty four", "set the temperature to twenty one degrees", "one hundred and five point two",
                  "bayar tagihan listrik dua juta setengah rupiah", "jam setengah tujuh pagi", "Rp 1.250.000,00", "tanggal 25 maret",
                  "kedua puluh satu", "satu jam dan sepuluh menit lagi", "jam tujuh kurang seperempat malam", "50rb goceng 1,5 juta",
                  "付电费五十块", "给王伟转两百元", "一万零五百", "三块五毛钱", "人民币一千元", "明天下午三点半", "下周一", "十分钟后",
                  "第二十一个", "1.5万", "两百五"])
for i, s in enumerate(sorted(sentences)):
    put("parse", f"s{i}", s)
    put("values", f"s{i}", s)

rhino = ROOT / "benches" / "intent_audio" / "rhino_car.yaml"
put("import", "rhino_car", b"\x00" + rhino.read_bytes())
put("import", "hassil", b"\x01" + b'language: en\nintents:\n  HassTurnOn:\n    data:\n      - sentences:\n          - "turn on [the] {name}"\nlists:\n  name:\n    values: [lamp, fan]\n')

def s16(text):
    b = text.encode() + b"\x00"
    return struct.pack("<H", len(b)) + b
ct2 = struct.pack("<I", 6) + s16("WhisperSpec") + struct.pack("<I", 3) + struct.pack("<I", 2)
ct2 += s16("encoder/num_heads") + bytes([0]) + bytes([3]) + struct.pack("<I", 4) + struct.pack("<i", 6)
ct2 += s16("decoder/embeddings/weight") + bytes([2]) + struct.pack("<II", 4, 2) + bytes([0]) + struct.pack("<I", 32) + bytes(32)
ct2 += struct.pack("<I", 1) + s16("decoder/num_heads") + s16("encoder/num_heads")
put("ct2", "tiny", ct2)

# A tiny ONNX model: a node the reader skips and two float initializers,
# one with packed dims (protobuf by hand: key, length, bytes).
def pb(field, data):
    n, out = len(data), b""
    while n >= 0x80:
        out += bytes([(n & 0x7f) | 0x80])
        n >>= 7
    return bytes([field << 3 | 2]) + out + bytes([n]) + data
w = bytes([1 << 3, 2, 1 << 3, 3, 2 << 3, 1]) + pb(8, b"w") + pb(9, struct.pack("<6f", 1, 2, 3, 4, 5, 6))
b = pb(1, bytes([2])) + bytes([2 << 3, 1]) + pb(8, b"b") + pb(9, struct.pack("<2f", 0.5, 0.25))
put("onnx", "tiny", bytes([8, 8]) + pb(7, pb(1, b"node") + pb(5, w) + pb(5, b)))

# A tiny whisper.cpp file: tiny.en's hparams, 2 mel filters of 2, two
# tokens, one f32 tensor (the reader checks; the import checks the rest).
gm = struct.pack("<I", 0x67676D6C) + struct.pack("<11i", 51864, 1500, 384, 6, 4, 448, 384, 6, 4, 2, 1)
gm += struct.pack("<ii", 2, 2) + bytes(16) + struct.pack("<i", 2) + struct.pack("<i", 1) + b"a" + struct.pack("<i", 2) + b"bc"
gm += struct.pack("<iii", 1, 15, 0) + struct.pack("<i", 2) + b"decoder.ln.bias" + bytes(8)
put("ggml", "tiny", gm)

g = struct.pack("<IIQQ", 0x46554747, 3, 1, 1) + struct.pack("<Q", 17) + b"general.alignment" + struct.pack("<II", 4, 32)
g += struct.pack("<Q", 1) + b"w" + struct.pack("<I", 1) + struct.pack("<Q", 32) + struct.pack("<I", 8) + struct.pack("<Q", 0)
g += bytes(-len(g) % 32) + bytes(34)
put("gguf", "tiny", g)
# What the gguf target found in CI: candle strips the NULs and reads an
# alignment of 0 (kept as a seed so every run starts from it).
put("gguf", "nul-alignment", g.replace(struct.pack("<Q", 17) + b"general.alignment" + struct.pack("<II", 4, 32),
                                       struct.pack("<Q", 18) + b"general.alignment\x00" + struct.pack("<II", 4, 0)))

for i, c in enumerate(['{}', '{"beam": 4, "threads": 2, "decoding": "auto"}', '{"reference_actions": true, "dry_run": true}',
                       '{"listen": {"mode": "continuous", "end_silence_ms": 300, "wake_phrase": "hey hush"}}',
                       '{"model": "tiny.en-q8_0", "intents": ["intents"], "action_timeout_ms": 5000, "learned_threshold": 0.5}']):
    put("ffi_config", f"c{i}", c)

for i, turns in enumerate([[0, 8], [1, 11], [2, 9], [3, 15], [4, 12, 8], [5, 20], [6], [0, 13, 8], [1, 14], [2, 21, 16]]):
    put("dialogue", f"d{i}", b"\n".join(bytes([t]) for t in turns))
print("seeded", ", ".join(f"{d.name} {len(list(d.iterdir()))}" for d in sorted(OUT.iterdir())))
