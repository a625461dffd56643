//! Embedding hush in an app: build an engine with one action of your own,
//! hand it a request, read the turn.
//!
//!     cargo run --release --example embed                 # typed request
//!     cargo run --release --example embed -- call.wav     # spoken (needs `make models`)

use hush::{async_trait, Action, ActionContext, ActionError, Engine, Intent, Outcome};

/// The app's dialer, for the built-in `call_contact` intent.
struct Dialer;

#[async_trait]
impl Action for Dialer {
    fn intents(&self) -> &[&str] {
        &["call_contact"]
    }

    async fn execute(&self, intent: &Intent, _ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let who = intent.slot("contact").ok_or(ActionError::MissingSlot("contact".into()))?;
        // A real app would place the call here.
        Ok(Outcome::done(format!("Calling {}.", who.value)))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let wav = std::env::args().nth(1);
    let mut engine = Engine::builder().action(Dialer);
    if wav.is_some() {
        engine = engine.model("tiny.en-q8_0");
    }
    let engine = engine.build()?;
    let turn = match &wav {
        Some(path) => engine.process_wav(path).await?,
        None => engine.process_text("call mom on her mobile").await?,
    };
    println!("\"{}\" -> {}: {}", turn.transcript, turn.intent.as_deref().unwrap_or("-"), turn.reply());
    Ok(())
}
