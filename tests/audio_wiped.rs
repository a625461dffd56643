//! Audio does not linger in freed memory. A counting allocator checks every
//! heap block freed while the engine handles a turn for a run of the raw
//! samples it was given; after the turn none may hold them (buffers that
//! held audio are zeroised before they are freed). Needs the model
//! (`make models`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

const MARK: usize = 16;
static ARMED: AtomicBool = AtomicBool::new(false);
static MARKER: [AtomicU32; MARK] = [const { AtomicU32::new(0) }; MARK];
static DIRTY: AtomicUsize = AtomicUsize::new(0);
static CHECKED: AtomicUsize = AtomicUsize::new(0);

struct Watch;

unsafe impl GlobalAlloc for Watch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::Relaxed) && layout.size() >= MARK * 4 && layout.align() >= 4 {
            // SAFETY: the block is live until System.dealloc below, and f32
            // blocks are 4-aligned.
            let words = unsafe { std::slice::from_raw_parts(ptr as *const u32, layout.size() / 4) };
            let first = MARKER[0].load(Ordering::Relaxed);
            let found = words.windows(MARK).any(|w| w[0] == first && w.iter().zip(&MARKER).all(|(a, b)| *a == b.load(Ordering::Relaxed)));
            if found {
                DIRTY.fetch_add(1, Ordering::Relaxed);
            }
            CHECKED.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Watch = Watch;

fn engine() -> hush::Engine {
    hush::Engine::builder()
        .model("tiny.en-q8_0")
        .fallback_actions(hush_reference::actions_in_memory().unwrap())
        .build()
        .unwrap_or_else(|e| panic!("{e}\n(run `make models`)"))
}

fn arm(samples: &[f32]) {
    // A stretch from the middle of the speech: distinctive, never all zero.
    let at = samples.len() / 2;
    for (m, s) in MARKER.iter().zip(&samples[at..at + MARK]) {
        m.store(s.to_bits(), Ordering::Relaxed);
    }
    assert!(samples[at..at + MARK].iter().any(|s| *s != 0.0));
    DIRTY.store(0, Ordering::SeqCst);
    CHECKED.store(0, Ordering::SeqCst);
    ARMED.store(true, Ordering::SeqCst);
}

fn disarm() -> (usize, usize) {
    ARMED.store(false, Ordering::SeqCst);
    (DIRTY.load(Ordering::SeqCst), CHECKED.load(Ordering::SeqCst))
}

#[test]
fn no_freed_buffer_holds_the_audio_of_a_turn() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let e = engine();
    let clip = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/audio/pay_bill.wav");
    let (audio, _) = hush::parts::read_wav(clip, &Default::default()).unwrap();
    let pcm: Vec<f32> = audio.samples().to_vec();

    // PCM handed over directly at 16 kHz (no resampling: the engine's copy
    // is the caller's samples bit for bit, the hardest case).
    arm(&pcm);
    let turn = rt.block_on(e.process_pcm(&pcm, 16_000)).unwrap();
    let (dirty, checked) = disarm();
    assert_eq!(turn.intent.as_deref(), Some("pay_bill"), "{turn:?}");
    assert!(checked > 100, "the allocator saw the turn's frees ({checked})");
    assert_eq!(dirty, 0, "{dirty} freed buffers still held the audio");

    // The same samples as a 32-bit float WAV file: decoding buffers too.
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("turn.wav");
    let spec = hound::WavSpec { channels: 1, sample_rate: 16_000, bits_per_sample: 32, sample_format: hound::SampleFormat::Float };
    let mut w = hound::WavWriter::create(&wav, spec).unwrap();
    pcm.iter().for_each(|s| w.write_sample(*s).unwrap());
    w.finalize().unwrap();
    arm(&pcm);
    let turn = rt.block_on(e.process_wav(&wav)).unwrap();
    let (dirty, _) = disarm();
    assert_eq!(turn.intent.as_deref(), Some("pay_bill"));
    assert_eq!(dirty, 0, "{dirty} freed buffers still held the audio read from the file");

    // Live: through the capture ring (as from a microphone), the endpointer,
    // a read ahead and the listener's worker.
    let mut stream = vec![0.0f32; 8_000];
    stream.extend_from_slice(&pcm);
    stream.extend(vec![0.0f32; 8_000]);
    arm(&pcm);
    let events = rt.block_on(async {
        let (mut writer, capture) = hush::parts::audio::capture(16_000, 1, std::time::Duration::from_secs(30)).unwrap();
        writer.write(&stream).unwrap();
        writer.close();
        let mut listener = e.session().listen(hush::listen::ListenParams { mode: hush::listen::Mode::Continuous, ..Default::default() }).unwrap();
        let mut events = Vec::new();
        while let hush::parts::audio::Read::Audio(mut chunk) = capture.read(1_600, std::time::Duration::ZERO).unwrap() {
            events.extend(listener.replay(&chunk).await);
            hush::parts::audio::clear(&mut chunk);
        }
        events.extend(listener.finish().await);
        events
    });
    let (dirty, _) = disarm();
    let intents: Vec<_> = events.iter().filter_map(|e| if let hush::listen::Event::Turn(t) = e { t.turn.intent.clone() } else { None }).collect();
    assert_eq!(intents, ["pay_bill"], "{events:?}");
    assert_eq!(dirty, 0, "{dirty} freed buffers still held the audio heard live");

    // The check itself works: an ordinary copy freed without wiping is seen.
    arm(&pcm);
    drop(std::hint::black_box(pcm.clone()));
    assert_eq!(disarm().0, 1);
}
