//! Long audio cut at its pauses into the windows the decoder sees.

use crate::WINDOW_SAMPLES;

/// Splits audio longer than one window into the pieces the decoder sees.
///
/// Whisper without timestamps writes one stretch of speech per window and
/// then tends to end, dropping later sentences of a long window; and a cut at
/// a fixed 30 s splits words. So long audio is cut in the middle of every
/// pause of at least 0.6 s (20 ms frames within 10 dB of the 2nd-percentile
/// frame, the noise floor), and a piece still longer than 30 s at its quietest frame
/// between 20 and 30 s. Audio of one window or less is one piece.
#[allow(clippy::single_range_in_vec_init)] // one piece is a valid answer
pub fn split_at_pauses(samples: &[f32]) -> Vec<std::ops::Range<usize>> {
    const FRAME: usize = 320;
    const MIN_PAUSE: usize = 30;
    if samples.len() <= WINDOW_SAMPLES {
        return vec![0..samples.len()];
    }
    let db: Vec<f32> = samples.chunks(FRAME).map(|f| 10.0 * (f.iter().map(|s| s * s).sum::<f32>() / f.len() as f32).max(1e-12).log10()).collect();
    let mut sorted = db.clone();
    sorted.sort_by(f32::total_cmp);
    let quiet = sorted[sorted.len() / 50] + 10.0;
    // Cut points (in frames) at the middle of each long pause.
    let mut cuts = Vec::new();
    let mut run_start = None;
    for (i, &d) in db.iter().chain(std::iter::once(&f32::INFINITY)).enumerate() {
        match (d < quiet, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(start)) => {
                if i - start >= MIN_PAUSE && start > 0 && i < db.len() {
                    cuts.push((start + i) / 2);
                }
                run_start = None;
            }
            _ => {}
        }
    }
    cuts.push(db.len());
    let window_frames = WINDOW_SAMPLES / FRAME;
    let mut pieces = Vec::new();
    let mut start = 0;
    for cut in cuts {
        while cut - start > window_frames {
            let (lo, hi) = (start + window_frames * 2 / 3, start + window_frames);
            let quietest = (lo..hi).min_by(|a, b| db[*a].total_cmp(&db[*b])).unwrap_or(hi);
            pieces.push(start..quietest);
            start = quietest;
        }
        if cut > start {
            pieces.push(start..cut);
            start = cut;
        }
    }
    pieces.into_iter().map(|r| r.start * FRAME..(r.end * FRAME).min(samples.len())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_audio_splits_at_pauses_and_caps_pieces() {
        let tone = |secs: f32| -> Vec<f32> { (0..(secs * 16_000.0) as usize).map(|i| (i as f32 * 0.2).sin() * 0.3).collect() };
        let quiet = |secs: f32| vec![0.0005f32; (secs * 16_000.0) as usize];
        // Short audio: one piece, whatever its pauses.
        let short: Vec<f32> = [tone(2.0), quiet(1.0), tone(2.0)].concat();
        assert_eq!(split_at_pauses(&short), vec![0..short.len()]);
        // 10 s speech, 1 s pause, 25 s speech, 0.2 s pause, 10 s speech.
        let long: Vec<f32> = [tone(10.0), quiet(1.0), tone(25.0), quiet(0.2), tone(10.0)].concat();
        let pieces = split_at_pauses(&long);
        assert_eq!(pieces.first().unwrap().start, 0);
        assert_eq!(pieces.last().unwrap().end, long.len());
        assert!(pieces.windows(2).all(|w| w[0].end == w[1].start), "contiguous: {pieces:?}");
        assert!(pieces.iter().all(|r| r.len() <= WINDOW_SAMPLES), "{pieces:?}");
        // The 1 s pause is a cut, in its middle. The 0.2 s one is too short
        // for a pause, but the 35.7 s after the first cut must be split, and
        // its quietest point is that short pause.
        assert_eq!(pieces.len(), 3, "{pieces:?}");
        let cut = |i: usize| pieces[i].end as f32 / 16_000.0;
        assert!((cut(0) - 10.5).abs() < 0.05, "first cut at {} s", cut(0));
        assert!((36.0..=36.2).contains(&cut(1)), "second cut at {} s", cut(1));
        // Continuous sound over 30 s is still cut into windows.
        let endless = tone(70.0);
        let pieces = split_at_pauses(&endless);
        assert!(pieces.len() >= 3 && pieces.iter().all(|r| r.len() <= WINDOW_SAMPLES), "{pieces:?}");
    }
}
