"""Speech probabilities of the reference Silero VAD (the package's own
silero_vad.onnx under onnxruntime), chunk by chunk, the way the package's
OnnxWrapper feeds it: 512 new samples after the previous chunk's last 64,
the state carried over. hush's plain-Rust Silero must match these
(crates/hush-audio/tests/silero.rs).

    python benches/compare/silero_reference.py MODEL.onnx CLIP.wav > probs.json

Needs numpy and onnxruntime (a venv of its own); reads 16 kHz mono 16-bit WAV.
"""
import json
import sys
import wave

import numpy as np
import onnxruntime


def main():
    onnx, clip = sys.argv[1], sys.argv[2]
    with wave.open(clip) as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (16000, 1, 2):
            sys.exit(f"{clip}: need 16 kHz mono 16-bit")
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    opts = onnxruntime.SessionOptions()
    opts.inter_op_num_threads = opts.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(onnx, sess_options=opts, providers=["CPUExecutionProvider"])
    state = np.zeros((2, 1, 128), dtype=np.float32)
    context = np.zeros((1, 64), dtype=np.float32)
    probs = []
    for i in range(0, len(x) - 511, 512):
        chunk = np.concatenate([context, x[None, i:i + 512]], axis=1)
        out, state = session.run(None, {"input": chunk, "state": state, "sr": np.array(16000, dtype=np.int64)})
        probs.append(round(float(out[0, 0]), 6))
        context = chunk[:, -64:]
    json.dump({"clip": clip, "chunk": 512, "probabilities": probs}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
