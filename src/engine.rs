//! The embedding surface: build an [`Engine`] once, then hand it audio or
//! text and get a [`Turn`] back.
use crate::error::EngineError;
use crate::recognize::Decoding;
use crate::session::Session;
use crate::shared::{known_intents, Actions, Shared};
use crate::turn::Turn;
use hush_actions::Action;
use hush_nlu::IntentSet;
use std::path::Path;
use std::sync::Arc;

/// A voice assistant: speech model, intents and actions, built once and
/// shared (it is `Send + Sync`; clone a [`Session`] per user).
///
/// The `process_*` calls run one conversation (the engine's default
/// session); [`Engine::session`] starts others that share the models.
///
/// Text needs no speech model, so this runs anywhere: the app's action
/// pays the bill only after a plain "yes".
///
/// ```
/// use hush::{async_trait, Action, ActionContext, ActionError, Intent, Outcome, Status};
///
/// struct Bills;
///
/// #[async_trait]
/// impl Action for Bills {
///     fn intents(&self) -> Vec<&str> {
///         vec!["pay_bill"]
///     }
///
///     async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
///         // `pay_bill` is marked `confirm: true`: hush asked, the user said yes.
///         assert!(ctx.confirmed);
///         let biller = intent.slot("biller").ok_or(ActionError::MissingSlot("biller".into()))?;
///         Ok(Outcome::done(format!("Paid the {} bill.", biller.value)))
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), hush::EngineError> {
/// let engine = hush::Engine::builder().action(Bills).build()?;
/// let turn = engine.process_text("pay my electricity bill of forty two dollars").await?;
/// assert_eq!(turn.intent.as_deref(), Some("pay_bill"));
/// assert!(turn.prompt.is_some(), "hush asks first: {}", turn.reply());
/// let turn = engine.process_text("yes").await?;
/// assert_eq!(turn.outcome.map(|o| o.status), Some(Status::Done));
/// # Ok(()) }
/// ```
pub struct Engine {
    pub(crate) shared: Arc<Shared>,
    pub(crate) default: Session,
}

impl Engine {
    /// A new conversation (its own pending questions) on this engine.
    pub fn session(&self) -> Session {
        Session::new(self.shared.clone())
    }

    /// The default conversation.
    pub fn default_session(&self) -> &Session {
        &self.default
    }

    /// A turn from a WAV file (any rate and channel count).
    pub async fn process_wav(&self, path: impl AsRef<Path>) -> Result<Turn, EngineError> {
        self.default.process_wav(path).await
    }

    /// A turn from mono PCM samples in [-1, 1] at `rate` Hz.
    pub async fn process_pcm(&self, samples: &[f32], rate: u32) -> Result<Turn, EngineError> {
        self.default.process_pcm(samples, rate).await
    }

    /// A turn from typed (or already transcribed) text.
    pub async fn process_text(&self, text: &str) -> Result<Turn, EngineError> {
        self.default.process_text(text).await
    }

    /// The intents the engine understands.
    pub fn intents(&self) -> &IntentSet {
        self.shared.understanding.matcher().intents()
    }

    /// The intents that have an action.
    pub fn handled_intents(&self) -> Vec<String> {
        self.shared.routes().intents().into_iter().map(str::to_owned).collect()
    }

    /// Adds an action to a built engine (hosts that learn their handlers
    /// late, such as the C ABI's callbacks); as with
    /// [`EngineBuilder::action`](crate::EngineBuilder::action), it takes over its intents from the
    /// fallback actions. Turns already running keep the actions they
    /// started with. Errors leave the engine as it was: an intent the
    /// engine does not know, or one that another of the app's actions
    /// handles.
    pub fn register(&self, action: impl Action) -> Result<(), EngineError> {
        let action: Arc<dyn Action> = Arc::new(action);
        known_intents(action.as_ref(), self.intents())?;
        let mut actions = self.shared.actions.write();
        let mut app = actions.app.clone();
        app.push(action);
        *actions = Actions::new(app, actions.fallback.clone(), actions.base.clone())?;
        Ok(())
    }

    /// Whether a speech model was loaded (an engine without one takes text only).
    pub fn has_model(&self) -> bool {
        self.shared.recognizer.is_some()
    }

    /// How speech is decoded (free, biased, constrained to the templates, or auto).
    pub fn decoding(&self) -> Decoding {
        self.shared.hearing.decoding()
    }
}
