use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::{peak, resample, Audio, AudioError, AudioLimits, SAMPLE_RATE};

/// More channels than any microphone array hush serves is a lying header.
pub const MAX_CHANNELS: u16 = 32;

/// Samples reserved before any are read: about 2 s of 48 kHz stereo. A
/// header may claim gigabytes that the file does not hold.
const INITIAL_CAPACITY: u64 = 1 << 18;

/// What the WAV header said, before any conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavInfo {
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
    pub float: bool,
    /// Frames (samples per channel) the header announces.
    pub frames: u64,
}

/// Reads a WAV file into 16 kHz mono audio.
pub fn read_wav(path: impl AsRef<Path>, opts: &AudioLimits) -> Result<(Audio, WavInfo), AudioError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| AudioError::Io { path: path.to_owned(), source })?;
    decode_wav(BufReader::new(file), opts)
}

/// Reads a WAV file as it is: interleaved frames at the file's own rate
/// (for a source that resamples on its own, such as a replay).
pub fn read_wav_frames(path: impl AsRef<Path>, opts: &AudioLimits) -> Result<(Vec<f32>, WavInfo), AudioError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|source| AudioError::Io { path: path.to_owned(), source })?;
    decode_frames(BufReader::new(file), opts)
}

/// Header checks and sample decoding; no conversion.
fn decode_frames<R: Read>(reader: R, opts: &AudioLimits) -> Result<(Vec<f32>, WavInfo), AudioError> {
    let mut wav = hound::WavReader::new(reader).map_err(header_error)?;
    let spec = wav.spec();
    let info = WavInfo {
        sample_rate: spec.sample_rate,
        channels: spec.channels,
        bits_per_sample: spec.bits_per_sample,
        float: spec.sample_format == hound::SampleFormat::Float,
        frames: wav.duration() as u64,
    };
    // Every field the header gives is checked before anything is sized
    // from it; the buffer then grows with the data actually read.
    if !crate::RATES.contains(&spec.sample_rate) {
        return Err(AudioError::BadRate(spec.sample_rate));
    }
    if spec.channels == 0 {
        return Err(AudioError::NotWav { reason: "zero channels".into() });
    }
    if spec.channels > MAX_CHANNELS {
        return Err(AudioError::Unsupported(format!("{} channels (hush takes at most {MAX_CHANNELS})", spec.channels)));
    }
    let limit = opts.max_duration.as_secs_f64();
    let seconds = info.frames as f64 / spec.sample_rate as f64;
    if seconds > limit {
        return Err(AudioError::TooLong { seconds, limit });
    }
    if info.frames == 0 {
        return Err(AudioError::Empty);
    }
    let expected = info.frames * spec.channels as u64;
    let interleaved = match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Float, 32) => {
            let samples = collect(wav.samples::<f32>(), expected, |s| s)?;
            // Float files can hold NaN and infinities, which would poison
            // every stage after (found by the `wav` fuzz target).
            if let Some(index) = samples.iter().position(|s| !s.is_finite()) {
                let mut samples = samples;
                crate::clear(&mut samples);
                return Err(AudioError::NotFinite { index: index as u64 });
            }
            samples
        }
        (hound::SampleFormat::Int, bits @ (8 | 16 | 24 | 32)) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f64;
            collect(wav.samples::<i32>(), expected, |s| (s as f64 * scale) as f32)?
        }
        (fmt, bits) => return Err(AudioError::Unsupported(format!("{bits}-bit {fmt:?}"))),
    };
    Ok((interleaved, info))
}

/// Decodes WAV bytes from any reader into 16 kHz mono audio.
pub fn decode_wav<R: Read>(reader: R, opts: &AudioLimits) -> Result<(Audio, WavInfo), AudioError> {
    let (interleaved, info) = decode_frames(reader, opts)?;
    let mono = downmix(&interleaved, info.channels as usize);
    let mut interleaved = interleaved;
    crate::clear(&mut interleaved);
    if let Some(floor_dbfs) = opts.silence_floor_dbfs {
        let p = peak(&mono);
        let peak_dbfs = 20.0 * p.max(1e-10).log10();
        if peak_dbfs < floor_dbfs {
            return Err(AudioError::Silent { peak_dbfs, floor_dbfs });
        }
    }
    let samples = if info.sample_rate == SAMPLE_RATE {
        mono
    } else {
        let mut mono = mono;
        let out = resample(&mono, info.sample_rate, SAMPLE_RATE);
        crate::clear(&mut mono);
        out?
    };
    Ok((Audio::from_samples(samples), info))
}

fn collect<S, I, F>(samples: I, expected: u64, convert: F) -> Result<Vec<f32>, AudioError>
where
    I: Iterator<Item = hound::Result<S>>,
    F: Fn(S) -> f32,
{
    // Only a little is reserved up front: the header's length is a claim,
    // and the data may end long before it. `take` guards against a reader
    // that runs on.
    let mut out = Vec::with_capacity(expected.min(INITIAL_CAPACITY) as usize);
    for s in samples.take(expected as usize) {
        match s {
            Ok(s) => out.push(convert(s)),
            // hound reports a short read as `Other` ("Failed to read enough
            // bytes"), so every I/O error inside the data counts as truncation.
            Err(hound::Error::IoError(_) | hound::Error::UnfinishedSample) => return Err(AudioError::Truncated { expected, got: out.len() as u64 }),
            Err(e) => return Err(AudioError::NotWav { reason: e.to_string() }),
        }
    }
    if (out.len() as u64) < expected {
        return Err(AudioError::Truncated { expected, got: out.len() as u64 });
    }
    Ok(out)
}

fn header_error(e: hound::Error) -> AudioError {
    match e {
        hound::Error::Unsupported => AudioError::Unsupported("format tag not PCM or IEEE float".into()),
        hound::Error::TooWide => AudioError::Unsupported("sample wider than 32 bits".into()),
        hound::Error::InvalidSampleFormat => AudioError::Unsupported("invalid sample format".into()),
        hound::Error::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => AudioError::NotWav { reason: "header is truncated".into() },
        other => AudioError::NotWav { reason: other.to_string() },
    }
}

/// Averages interleaved channels into one.
pub fn downmix(interleaved: &[f32], channels: usize) -> Vec<f32> {
    if channels == 1 {
        return interleaved.to_vec();
    }
    interleaved.chunks_exact(channels).map(|f| f.iter().sum::<f32>() / channels as f32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use std::time::Duration;

    fn tone(rate: u32, secs: f32, amp: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n).map(|i| amp * (2.0 * std::f32::consts::PI * 440.0 * i as f32 / rate as f32).sin()).collect()
    }

    fn wav_bytes(spec: hound::WavSpec, frames: &[f32]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = hound::WavWriter::new(&mut buf, spec).unwrap();
            for &s in frames {
                for _ in 0..spec.channels {
                    match (spec.sample_format, spec.bits_per_sample) {
                        (hound::SampleFormat::Float, _) => w.write_sample(s).unwrap(),
                        (_, 8) => w.write_sample((s * 127.0) as i8).unwrap(),
                        (_, 16) => w.write_sample((s * 32767.0) as i16).unwrap(),
                        (_, bits) => w.write_sample((s as f64 * ((1i64 << (bits - 1)) - 1) as f64) as i32).unwrap(),
                    }
                }
            }
            w.finalize().unwrap();
        }
        buf.into_inner()
    }

    fn spec(rate: u32, channels: u16, bits: u16, float: bool) -> hound::WavSpec {
        let sample_format = if float { hound::SampleFormat::Float } else { hound::SampleFormat::Int };
        hound::WavSpec { channels, sample_rate: rate, bits_per_sample: bits, sample_format }
    }

    #[test]
    fn decodes_every_supported_encoding() {
        let src = tone(16_000, 0.5, 0.5);
        for (bits, float) in [(8, false), (16, false), (24, false), (32, false), (32, true)] {
            for channels in [1u16, 2, 6] {
                let bytes = wav_bytes(spec(16_000, channels, bits, float), &src);
                let (audio, info) =
                    decode_wav(Cursor::new(bytes), &AudioLimits::default()).unwrap_or_else(|e| panic!("{bits}-bit float={float} ch={channels}: {e}"));
                assert_eq!(info.channels, channels);
                assert_eq!(audio.samples().len(), src.len());
                let tol = if bits == 8 { 1.0 / 64.0 } else { 1e-3 };
                let err = audio.samples().iter().zip(&src).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
                assert!(err < tol, "{bits}-bit float={float} ch={channels}: max error {err}");
            }
        }
    }

    #[test]
    fn resamples_other_rates_to_16k() {
        for rate in [8_000, 22_050, 44_100, 48_000] {
            let bytes = wav_bytes(spec(rate, 2, 16, false), &tone(rate, 1.0, 0.5));
            let (audio, info) = decode_wav(Cursor::new(bytes), &AudioLimits::default()).unwrap();
            assert_eq!(info.sample_rate, rate);
            assert_eq!(audio.samples().len(), 16_000, "rate {rate}");
            assert!((audio.peak() - 0.5).abs() < 0.02, "rate {rate}: peak {}", audio.peak());
        }
    }

    /// A table of broken inputs, each with the error it must produce.
    #[test]
    fn bad_wavs_give_typed_errors() {
        let good = wav_bytes(spec(16_000, 1, 16, false), &tone(16_000, 0.5, 0.5));
        let silent = wav_bytes(spec(16_000, 1, 16, false), &vec![0.0; 8000]);
        let empty = wav_bytes(spec(16_000, 1, 16, false), &[]);
        let long = wav_bytes(spec(8_000, 1, 8, false), &vec![0.1; 8000 * 3]);
        let mut truncated = good.clone();
        truncated.truncate(good.len() - 1001);
        let mut odd_byte = good.clone();
        odd_byte.truncate(good.len() - 1);
        let mut alaw = good.clone();
        alaw[20] = 6; // WAVE_FORMAT_ALAW
        let mut f64wav = wav_bytes(spec(16_000, 1, 32, true), &tone(16_000, 0.1, 0.5));
        f64wav[34] = 64; // claims 64-bit float
        let short_opts = AudioLimits { max_duration: Duration::from_secs(2), ..Default::default() };
        let mut nan = wav_bytes(spec(16_000, 1, 32, true), &tone(16_000, 0.1, 0.5));
        let n = nan.len();
        nan[n - 4..].copy_from_slice(&f32::NAN.to_le_bytes());

        let def = AudioLimits::default();
        type Check = fn(&AudioError) -> bool;
        let cases: Vec<(&str, Vec<u8>, &AudioLimits, Check)> = vec![
            ("text file", b"hello, this is not audio at all".to_vec(), &def, |e| matches!(e, AudioError::NotWav { .. })),
            ("zero bytes", vec![], &def, |e| matches!(e, AudioError::NotWav { .. })),
            ("header cut", good[..30].to_vec(), &def, |e| matches!(e, AudioError::NotWav { .. })),
            ("data cut", truncated, &def, |e| matches!(e, AudioError::Truncated { .. })),
            ("half sample", odd_byte, &def, |e| matches!(e, AudioError::Truncated { .. })),
            ("no samples", empty, &def, |e| matches!(e, AudioError::Empty)),
            ("all silent", silent, &def, |e| matches!(e, AudioError::Silent { .. })),
            ("a-law", alaw, &def, |e| matches!(e, AudioError::Unsupported(_))),
            ("64-bit float", f64wav, &def, |e| matches!(e, AudioError::Unsupported(_) | AudioError::NotWav { .. })),
            ("too long", long, &short_opts, |e| matches!(e, AudioError::TooLong { .. })),
            ("a NaN sample", nan, &def, |e| matches!(e, AudioError::NotFinite { index: 1599 })),
        ];
        for (name, bytes, opts, check) in cases {
            match decode_wav(Cursor::new(bytes), opts) {
                Ok(_) => panic!("{name}: decoded"),
                Err(e) => assert!(check(&e), "{name}: wrong error {e:?}"),
            }
        }
    }

    #[test]
    fn too_long_is_refused_without_reading_the_data() {
        // A header announcing an hour of 48 kHz stereo, followed by no data:
        // if the decoder read the data first it would report truncation.
        let mut bytes = wav_bytes(spec(48_000, 2, 16, false), &tone(48_000, 0.01, 0.5));
        let frames: u32 = 48_000 * 3600;
        let data_len = frames * 4;
        let n = bytes.len();
        bytes[n - 480 * 4 - 4..n - 480 * 4].copy_from_slice(&data_len.to_le_bytes());
        let err = decode_wav(Cursor::new(bytes), &AudioLimits::default()).unwrap_err();
        assert!(matches!(err, AudioError::TooLong { .. }), "{err:?}");
    }

    /// Headers that claim enormous or impossible audio over 60 bytes: each
    /// is a typed error, found without reserving what the header claims.
    #[test]
    fn lying_headers_allocate_nothing_big() {
        let patch = |channels: u16, rate: u32, bits: u16| {
            let mut b = wav_bytes(spec(16_000, 1, 16, false), &[0.1; 8]);
            b[22..24].copy_from_slice(&channels.to_le_bytes());
            b[24..28].copy_from_slice(&rate.to_le_bytes());
            let block = channels.wrapping_mul(bits / 8);
            b[28..32].copy_from_slice(&rate.wrapping_mul(block as u32).to_le_bytes());
            b[32..34].copy_from_slice(&block.to_le_bytes());
            b[34..36].copy_from_slice(&bits.to_le_bytes());
            let n = b.len();
            // The most data a header can claim, whole frames of it.
            let block = (block as u32).max(1);
            b[n - 20..n - 16].copy_from_slice(&(u32::MAX - u32::MAX % block).to_le_bytes());
            b
        };
        let long = AudioLimits { max_duration: Duration::from_secs(u32::MAX as u64), ..Default::default() };
        type Check = fn(&AudioError) -> bool;
        let cases: Vec<(&str, Vec<u8>, Check)> = vec![
            ("65535 channels", patch(65_535, 16_000, 16), |e| matches!(e, AudioError::Unsupported(_) | AudioError::NotWav { .. })),
            ("33 channels", patch(33, 16_000, 16), |e| matches!(e, AudioError::Unsupported(_))),
            ("65535 channels of 32-bit float", patch(65_535, 384_000, 32), |e| matches!(e, AudioError::Unsupported(_) | AudioError::NotWav { .. })),
            ("4294967295 Hz", patch(1, u32::MAX, 16), |e| matches!(e, AudioError::BadRate(_) | AudioError::NotWav { .. })),
            ("1 Hz", patch(1, 1, 16), |e| matches!(e, AudioError::BadRate(1))),
            ("32 channels, 0xFFFFFFFF bytes", patch(32, 48_000, 16), |e| matches!(e, AudioError::Truncated { .. } | AudioError::TooLong { .. })),
            ("mono, 0xFFFFFFFF bytes", patch(1, 16_000, 16), |e| matches!(e, AudioError::Truncated { .. } | AudioError::TooLong { .. })),
        ];
        for (name, bytes, check) in cases {
            assert!(bytes.len() < 80, "{name}: {} bytes", bytes.len());
            for opts in [&AudioLimits::default(), &long] {
                let t = std::time::Instant::now();
                match decode_wav(Cursor::new(bytes.clone()), opts) {
                    Ok(_) => panic!("{name}: decoded"),
                    Err(e) => assert!(check(&e), "{name}: wrong error {e:?}"),
                }
                match decode_frames(Cursor::new(bytes.clone()), opts) {
                    Ok(_) => panic!("{name}: frames decoded"),
                    Err(e) => assert!(check(&e), "{name}: wrong error {e:?}"),
                }
                assert!(t.elapsed() < Duration::from_secs(1), "{name}: {:?}", t.elapsed());
            }
        }
    }

    #[test]
    fn silence_check_can_be_disabled() {
        let silent = wav_bytes(spec(16_000, 1, 16, false), &vec![0.0; 800]);
        let opts = AudioLimits { silence_floor_dbfs: None, ..Default::default() };
        let (audio, _) = decode_wav(Cursor::new(silent), &opts).unwrap();
        assert_eq!(audio.samples().len(), 800);
    }

    #[test]
    fn missing_file_names_the_path() {
        let err = read_wav("/nonexistent/x.wav", &AudioLimits::default()).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/x.wav"));
    }
}
