//! Live sources: a replay goes through the same conversion as a file read,
//! and device problems are errors, not panics.

use hush_audio::{read_wav, replay, AudioLimits, Capture, Pace, Read};
use std::path::Path;
use std::time::{Duration, Instant};

fn drain(c: &Capture) -> Vec<f32> {
    let mut all = Vec::new();
    loop {
        match c.read(8_000, Duration::from_millis(100)).expect("no device error") {
            Read::Audio(a) => all.extend(a),
            Read::Waiting => {}
            Read::Ended => return all,
        }
    }
}

/// A 2.5 s, 44.1 kHz stereo WAV (a rising tone on the left, cabin noise on
/// the right), as a phone or a car's head unit would record: the replay
/// must downmix and resample it as a file read does.
fn stereo_clip(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("stereo-44k.wav");
    let spec = hound::WavSpec { channels: 2, sample_rate: 44_100, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    let noise = hush_eval::mix::road_noise(2.5, 3);
    for i in 0..110_250usize {
        let t = i as f64 / 44_100.0;
        let left = 0.4 * (2.0 * std::f64::consts::PI * (200.0 + 300.0 * t) * t).sin();
        let right = noise[i * 16_000 / 44_100] as f64;
        w.write_sample((left * 32_767.0) as i16).unwrap();
        w.write_sample((right * 32_767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
    path
}

#[test]
fn a_fast_replay_delivers_what_a_file_read_gives() {
    let dir = tempfile::tempdir().unwrap();
    let path = stereo_clip(dir.path());
    let (whole, _) = read_wav(&path, &AudioLimits::default()).unwrap();
    let (source, capture) = replay(&path, Pace::Fast, Duration::from_millis(200), &AudioLimits::default()).unwrap();
    assert_eq!((source.info.sample_rate, source.info.channels), (44_100, 2));
    let streamed = drain(&capture);
    assert_eq!(streamed.len(), whole.samples().len());
    let max = whole.samples().iter().zip(&streamed).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    assert!(max < 1e-4, "{max}");
    assert_eq!(capture.dropped(), 0, "a fast replay waits for room");
}

#[test]
fn a_real_time_replay_takes_the_clip_s_duration_and_drops_when_nobody_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = stereo_clip(dir.path());
    let (whole, _) = read_wav(&path, &AudioLimits::default()).unwrap();
    let t = Instant::now();
    let (_source, capture) = replay(&path, Pace::RealTime, Duration::from_secs(60), &AudioLimits::default()).unwrap();
    let got = drain(&capture);
    assert!(t.elapsed() >= whole.duration().mul_f32(0.9), "{:?} for {:?}", t.elapsed(), whole.duration());
    assert_eq!(got.len(), whole.samples().len());

    // Nobody reads for the whole clip and the ring holds 0.5 s: the rest is
    // dropped and counted (the resampler's last few samples, flushed at the
    // end, wait for room).
    let (_source, capture) = replay(&path, Pace::RealTime, Duration::from_millis(500), &AudioLimits::default()).unwrap();
    std::thread::sleep(whole.duration() + Duration::from_millis(300));
    let kept = drain(&capture);
    assert!((8_000..8_200).contains(&kept.len()), "{}", kept.len());
    assert_eq!(capture.dropped() as usize + kept.len(), whole.samples().len());
}

#[test]
fn bad_files_are_errors_before_any_audio() {
    let missing = replay(Path::new("no/such.wav"), Pace::Fast, Duration::from_secs(1), &AudioLimits::default());
    assert!(missing.err().unwrap().to_string().contains("no/such.wav"));
    let dir = std::env::temp_dir().join(format!("hush-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.wav");
    std::fs::write(&junk, b"RIFF....WAVEjunk").unwrap();
    assert!(replay(&junk, Pace::Fast, Duration::from_secs(1), &AudioLimits::default()).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(feature = "microphone")]
#[test]
fn devices_missing_or_unknown_are_clear_errors() {
    // CI has no sound card: listing and opening the default may fail, but
    // with an error, never a panic.
    match hush_audio::input_devices() {
        Ok(list) => assert!(list.iter().all(|d| !d.name.is_empty())),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    if let Err(e) = hush_audio::open_microphone(None, Duration::from_secs(1)) {
        assert!(e.to_string().contains("device"), "{e}");
    }
    let err = hush_audio::open_microphone(Some("hush test: no such device"), Duration::from_secs(1)).err().expect("unknown device");
    let text = err.to_string();
    assert!(text.contains("no input device named \"hush test: no such device\""), "{text}");
    assert!(text.contains("available:"), "{text}");
}
