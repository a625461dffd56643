//! Embedding hush in an app: build an engine with one action of your own,
//! then hand it a typed request, or stream it audio frames as an app's own
//! audio stack delivers them and read each turn as its utterance ends.
//!
//!     cargo run --release --example embed                 # typed request
//!     cargo run --release --example embed -- call.wav     # streamed (needs `make models`)

use hush::listen::ListenParams;
use hush::{async_trait, Action, ActionContext, ActionError, Engine, Intent, Outcome, Turn};

/// The app's dialer, for the built-in `call_contact` intent.
struct Dialer;

#[async_trait]
impl Action for Dialer {
    fn intents(&self) -> Vec<&str> {
        vec!["call_contact"]
    }

    async fn execute(&self, intent: &Intent, _ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let who = intent.slot("contact").ok_or(ActionError::MissingSlot("contact".into()))?;
        // A real app would place the call here.
        Ok(Outcome::done(format!("Calling {}.", who.value)))
    }
}

fn show(turn: &Turn) {
    println!("\"{}\" -> {}: {}", turn.transcript, turn.intent.as_deref().unwrap_or("-"), turn.reply());
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(wav) = std::env::args().nth(1) else {
        let engine = Engine::builder().action(Dialer).build()?;
        show(&engine.process_text("call mom on her mobile").await?);
        return Ok(());
    };
    let engine = Engine::builder().model("tiny.en-q8_0").action(Dialer).build()?;
    // Stands in for the app's audio callback: 20 ms frames at the
    // recording's own rate.
    let (frames, info) = hush::parts::audio::read_wav_frames(&wav, &Default::default())?;
    let mono = hush::parts::audio::downmix(&frames, info.channels as usize);
    let mut stream = engine.session().stream(ListenParams::default())?;
    for frame in mono.chunks(info.sample_rate as usize / 50) {
        if let Some(turn) = stream.feed(frame, info.sample_rate).await? {
            show(&turn);
        }
    }
    // The audio stopped: whatever was still being said ends here.
    for turn in stream.finish().await {
        show(&turn?);
    }
    Ok(())
}
