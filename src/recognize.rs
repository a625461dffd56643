//! Hearing a command with what the app's intents allow: Whisper alone,
//! primed with the intents' vocabulary, or kept inside their templates
//! (grammar-constrained decoding), with a fallback to free text for
//! what the templates do not cover.

use hush_asr::{AsrError, DecodeOptions, Encoded, Guide, Recognizer, Transcript, Unguided};
use hush_nlu::{Grammar, GrammarState};
use serde::Serialize;

/// How speech is decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decoding {
    /// Whisper writes what it hears.
    #[default]
    Free,
    /// Whisper is told, as text said before, what the loaded intents'
    /// commands sound like (a sentence per intent, then list phrases).
    Biased,
    /// Whisper may only write sentences of the loaded templates; free
    /// text when none fits.
    Constrained,
    /// Constrained, believed when the grammar cost Whisper little;
    /// otherwise free decoding of the same encoded audio decides between
    /// the two by their scores. Out-of-grammar speech comes out as free
    /// text, for the learned model or a rejection.
    Auto,
}

/// Which decoding a transcript came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeardBy {
    /// Whisper wrote what it heard.
    Free,
    /// Whisper was kept inside the intent templates.
    Grammar,
}

/// The knobs of grammar-constrained decoding, tuned on the spoken dev set
/// (`benches/intent_audio/`); see docs/BENCHMARKS.md.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrammarParams {
    /// Log-probability taken off a hypothesis per word of free text
    /// (wildcards, unlisted names): the grammar's weight.
    pub free_word_cost: f32,
    /// `auto` believes a grammar sentence outright when what it cost
    /// Whisper (summed log-probability of its first choices over the ones
    /// taken) is at most this.
    pub accept_regret: f32,
    /// Otherwise the grammar sentence wins when its mean token
    /// log-probability is at most this much below free decoding's.
    pub margin: f32,
    /// The margin instead when the free text is no sentence of
    /// the grammar and the grammar's sentence took no free text: Whisper
    /// heard a command, but wrote one word of it wrong ("open the rear
    /// life", "switch to sports top").
    pub closed_margin: f32,
    /// ... provided the grammar's sentence is not itself unlikely (mean
    /// token log-probability at least this): out-of-domain noise can read
    /// as a listed sentence, but only a strained one.
    pub closed_floor: f32,
    /// Hypotheses kept by the constrained beam.
    pub beam: usize,
    /// Beyond the margins, a grammar sentence still this close to free
    /// decoding's mean, and not below `ask_floor`, is kept as a question
    /// ("Did you say ...?", [`Heard::doubtful`]) when the free text is no
    /// command: a rejection becomes a yes-or-no. Below `margin` it is off.
    pub ask_margin: f32,
    /// See `ask_margin`.
    pub ask_floor: f32,
}

impl GrammarParams {
    /// Whether `auto` keeps the grammar's whole sentence (where `sentence`
    /// left the grammar, its mean token log-probability `logprob`) over
    /// free decoding's text (and its mean).
    fn grammar_wins(&self, grammar: &Grammar, sentence: &GrammarState, logprob: f32, free: (&str, f32)) -> bool {
        let closed = logprob >= self.closed_floor && grammar.sentence(sentence).is_some_and(|(_, free)| free == 0) && sentence_of(grammar, free.0).is_none();
        let margin = if closed { self.closed_margin.max(self.margin) } else { self.margin };
        logprob >= free.1 - margin
    }

    /// Whether a grammar sentence that lost to free decoding's text is
    /// still worth asking about: the free text is no command, and the
    /// sentence is within `ask_margin` of it and above `ask_floor`.
    fn worth_asking(&self, grammar: &Grammar, logprob: f32, free: (&str, f32)) -> bool {
        self.ask_margin > self.margin && logprob >= self.ask_floor && logprob >= free.1 - self.ask_margin && sentence_of(grammar, free.0).is_none()
    }
}

impl Default for GrammarParams {
    fn default() -> Self {
        GrammarParams {
            free_word_cost: 1.5,
            accept_regret: 3.0,
            margin: 0.6,
            closed_margin: 1.3,
            closed_floor: -2.4,
            beam: 4,
            ask_margin: 2.0,
            ask_floor: -3.0,
        }
    }
}

/// What was heard, and how.
#[derive(Debug, Clone)]
pub struct Heard {
    /// What was said.
    pub transcript: Transcript,
    /// Which decoding it came from.
    pub by: HeardBy,
    /// The intent whose template the transcript is a sentence of (the
    /// grammar's, or free decoding's when it wrote one).
    pub intent: Option<String>,
    /// What the grammar cost Whisper (see [`GrammarParams::accept_regret`]).
    pub regret: Option<f32>,
    /// The other decoding's reading, when `auto` decoded both ways and
    /// the grammar's was a whole sentence: what the chosen one was weighed
    /// against.
    pub other: Option<Transcript>,
    /// The grammar's sentence kept only to be asked about (see
    /// [`GrammarParams::ask_margin`]): not to be acted on without a yes.
    pub doubtful: bool,
}

/// A decoding choice with what it needs (a prompt, a grammar), for
/// recognising outside an [`crate::Engine`] (which holds one).
pub struct Hearing {
    decoding: Decoding,
    params: GrammarParams,
    prompt: Option<String>,
    grammar: Option<Grammar>,
}

/// Characters of vocabulary prompt: about 180 tokens, inside Whisper's
/// 223-token budget for text said before.
pub const PROMPT_CHARS: usize = 800;

/// [`Grammar`] as a [`Guide`] for the recogniser.
struct IntentGuide<'a> {
    grammar: &'a Grammar,
    free_word_cost: f32,
}

impl Guide for IntentGuide<'_> {
    type State = GrammarState;
    fn start(&self) -> GrammarState {
        self.grammar.start()
    }
    fn feed(&self, state: &GrammarState, piece: &str) -> Option<GrammarState> {
        self.grammar.feed(state, piece)
    }
    fn can_end(&self, state: &GrammarState) -> bool {
        self.grammar.complete(state).is_some()
    }
    fn expected(&self, state: &GrammarState, out: &mut Vec<String>) {
        self.grammar.expected(state, out)
    }
    fn penalty(&self, state: &GrammarState) -> f32 {
        self.grammar.free_words(state) as f32 * self.free_word_cost
    }
    fn same(&self, a: &GrammarState, b: &GrammarState) -> bool {
        a.same_words(b)
    }
}

/// Whisper's own text, with no intent read into it.
fn heard_freely(transcript: Transcript) -> Heard {
    Heard { transcript, by: HeardBy::Free, intent: None, regret: None, other: None, doubtful: false }
}

impl Heard {
    /// Free decoding's text in place of a grammar sentence kept only to be
    /// asked about: an answer to a question (a slot's value) is read as
    /// said, since "Did you say ...?" does not fit there.
    pub(crate) fn into_answer(self) -> Heard {
        match self {
            Heard { doubtful: true, other: Some(free), transcript, .. } => Heard { other: Some(transcript), ..heard_freely(free) },
            heard => heard,
        }
    }
}

impl Hearing {
    /// Free decoding's options: the recogniser's, with the vocabulary
    /// prompt when biased.
    fn free_options(&self, rec: &Recognizer) -> DecodeOptions {
        let opts = rec.params().decode.clone();
        DecodeOptions { prompt: self.prompt.clone().or(opts.prompt), ..opts }
    }

    /// `matcher`'s intents heard the `decoding` way.
    pub fn new(decoding: Decoding, params: GrammarParams, matcher: &hush_nlu::Matcher) -> Hearing {
        let prompt = (decoding == Decoding::Biased).then(|| hush_nlu::vocabulary_prompt(matcher.intents(), PROMPT_CHARS));
        let grammar = matches!(decoding, Decoding::Constrained | Decoding::Auto).then(|| matcher.grammar());
        Hearing { decoding, params, prompt, grammar }
    }

    /// How speech is decoded.
    pub fn decoding(&self) -> Decoding {
        self.decoding
    }

    /// The knobs of grammar-constrained decoding.
    pub fn params(&self) -> &GrammarParams {
        &self.params
    }

    /// Transcribes 16 kHz mono `samples` as said: free and unprompted.
    /// An answer to a confirmation is heard this way, so that no template
    /// can turn a "no" into a "yes".
    pub fn hear_as_said(&self, rec: &Recognizer, samples: &[f32]) -> Result<Heard, AsrError> {
        rec.transcribe_with(samples, &rec.params().decode).map(heard_freely)
    }

    /// Transcribes 16 kHz mono `samples` the chosen way.
    pub fn hear(&self, rec: &Recognizer, samples: &[f32]) -> Result<Heard, AsrError> {
        if self.grammar.is_some() {
            // Commands fit one window; longer audio is dictation, heard freely.
            match rec.encode_window(samples, &rec.params().decode) {
                Err(AsrError::TooLong { .. }) => {}
                r => return self.hear_encoded(rec, &r?),
            }
        }
        rec.transcribe_with(samples, &self.free_options(rec)).map(heard_freely)
    }

    /// Decodes one encoded window the chosen way (an encoding can be
    /// decoded again, another way, without encoding again).
    pub fn hear_encoded(&self, rec: &Recognizer, enc: &Encoded) -> Result<Heard, AsrError> {
        let Some(grammar) = &self.grammar else {
            return rec.decode_guided(enc, &self.free_options(rec), &Unguided).map(|g| heard_freely(g.transcript));
        };
        let opts = rec.params().decode.clone();
        // Auto decodes freely first: when Whisper's own text is a sentence
        // of the grammar there is nothing to steer (a quarter of commands,
        // at free decoding's cost).
        let first = if self.decoding == Decoding::Auto {
            let f = rec.decode_guided(enc, &opts, &Unguided)?.transcript;
            // Only a sentence of listed words: free text inside an open
            // list or a wildcard is where the beam finds better readings.
            if let Some((intent, 0)) = sentence_of(grammar, &f.text) {
                return Ok(Heard { intent: Some(intent.to_owned()), ..heard_freely(f) });
            }
            Some(f)
        } else {
            None
        };
        let guide = IntentGuide { grammar, free_word_cost: self.params.free_word_cost };
        let guided_opts = DecodeOptions { beam: self.params.beam.max(opts.beam), ..opts.clone() };
        let mut c = rec.decode_guided(enc, &guided_opts, &guide)?;
        let fits = c.state.as_ref().and_then(|s| grammar.complete(s)).map(str::to_owned);
        if fits.is_some() && (self.decoding == Decoding::Constrained || c.regret <= self.params.accept_regret) {
            if let Some(f) = &first {
                c.transcript.timings.add_decoding(&f.timings);
            }
            return Ok(Heard { transcript: c.transcript, by: HeardBy::Grammar, intent: fits, regret: Some(c.regret), other: first, doubtful: false });
        }
        let mut f = match first {
            Some(f) => f,
            None => rec.decode_guided(enc, &opts, &Unguided)?.transcript,
        };
        // Both decodings' time counts; the encoding was shared.
        f.timings.add_decoding(&c.transcript.timings);
        let free = (f.text.as_str(), f.avg_logprob);
        let grammar_wins = fits.is_some() && c.state.as_ref().is_some_and(|s| self.params.grammar_wins(grammar, s, c.transcript.avg_logprob, free));
        let doubtful = !grammar_wins && fits.is_some() && self.params.worth_asking(grammar, c.transcript.avg_logprob, free);
        Ok(if grammar_wins || doubtful {
            c.transcript.timings = f.timings;
            Heard { transcript: c.transcript, by: HeardBy::Grammar, intent: fits, regret: Some(c.regret), other: Some(f), doubtful }
        } else {
            Heard { other: fits.is_some().then_some(c.transcript), ..heard_freely(f) }
        })
    }
}

/// The intent `text` (a whole transcript) is a sentence of, if any, and
/// the words it takes as free text.
fn sentence_of<'g>(grammar: &'g Grammar, text: &str) -> Option<(&'g str, usize)> {
    grammar.sentence(&grammar.feed(&grammar.start(), &format!(" {}", text.trim()))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript(text: &str) -> Transcript {
        let t = hush_asr::Timings::default();
        Transcript {
            text: text.into(),
            language: None,
            tokens: vec![],
            avg_logprob: -1.0,
            no_speech_prob: 0.0,
            stop: hush_asr::Stop::EndOfText,
            encoder_frames: 0,
            timings: t,
        }
    }

    #[test]
    fn an_answer_is_read_as_said_not_as_the_sentence_kept_to_ask_about() {
        let kept = Heard {
            transcript: transcript(" play jazz"),
            by: HeardBy::Grammar,
            intent: Some("play".into()),
            regret: Some(2.0),
            other: Some(transcript(" the airport")),
            doubtful: true,
        };
        let answer = kept.into_answer();
        assert_eq!((answer.transcript.text.as_str(), answer.by, answer.intent, answer.doubtful), (" the airport", HeardBy::Free, None, false));
        assert_eq!(answer.other.unwrap().text, " play jazz");
        // A sentence the grammar won with stays.
        let won =
            Heard { transcript: transcript(" play jazz"), by: HeardBy::Grammar, intent: Some("play".into()), regret: Some(0.1), other: None, doubtful: false };
        assert_eq!(won.into_answer().transcript.text, " play jazz");
    }

    #[test]
    fn a_listed_sentence_beats_free_text_outside_the_grammar_by_a_wider_margin() {
        let yaml = r#"
intents:
  open_window:
    slots: {window: window}
    templates: ["open the {window} window", "open the {window}"]
  play:
    slots: {station: station}
    templates: ["play {station}"]
lists:
  window: [rear left, rear right, driver]
  station: {values: [jazz], open: 3}
"#;
        let set = hush_nlu::IntentSet::from_sources(&[("t.yaml", yaml)]).unwrap();
        let grammar = hush_nlu::Matcher::new(set, hush_nlu::MatchParams::default()).grammar();
        let p = GrammarParams::default();
        let walk = |text: &str| grammar.feed(&grammar.start(), text).unwrap();
        let listed = walk(" open the rear left");
        // 0.9 below free decoding's text, which is no command: a word misheard.
        assert!(p.grammar_wins(&grammar, &listed, -1.0, (" Open the rear life.", -0.1)));
        assert!(!p.grammar_wins(&grammar, &listed, -1.5, (" Open the rear life.", -0.1)), "beyond the wider margin");
        assert!(!p.grammar_wins(&grammar, &listed, -2.5, (" Open the rear life.", -1.6)), "a strained sentence keeps the narrow margin");
        // Free text that is a command itself keeps the narrow margin.
        assert!(!p.grammar_wins(&grammar, &listed, -1.0, (" Open the driver window.", -0.1)));
        assert!(p.grammar_wins(&grammar, &listed, -0.6, (" Open the driver window.", -0.1)));
        // A sentence with unlisted words is weaker evidence: the narrow margin.
        let unlisted = walk(" play smooth radio");
        assert!(!p.grammar_wins(&grammar, &unlisted, -1.0, (" Pay smooth radio.", -0.1)));

        // Lost, but close enough to ask about, when the free text is no command.
        assert!(p.worth_asking(&grammar, -1.9, (" Open the rear life.", -0.1)));
        assert!(!p.worth_asking(&grammar, -2.2, (" Open the rear life.", -0.1)), "beyond the ask margin");
        assert!(!p.worth_asking(&grammar, -3.1, (" Open the rear life.", -1.5)), "below the ask floor");
        assert!(!p.worth_asking(&grammar, -1.0, (" Open the driver window.", -0.1)), "the free text is a command");
        assert!(!GrammarParams { ask_margin: 0.0, ..p }.worth_asking(&grammar, -0.9, (" Open the rear life.", -0.1)), "off");
    }
}
