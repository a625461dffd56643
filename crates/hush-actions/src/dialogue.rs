//! The safety rules between understanding and doing: intents marked
//! `confirm: true` wait for a yes, missing required slots are asked for and
//! filled from the next utterance, and every request gets an idempotency
//! key derived from what was asked.

use crate::action::{Outcome, Status};
use crate::messages::{fill, spaced};
use crate::registry::Registry;
use hush_nlu::{answer, opens_negated, Answer, Intent, Language, Matcher, SlotAnswers, CANCEL, CONFIRM, DENY};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DialogueParams {
    /// A confirmation question not answered within this is dropped: a late
    /// "yes" pays nothing.
    pub confirm_timeout: Duration,
    /// A question for a missing slot not answered within this is dropped.
    pub fill_timeout: Duration,
    /// Ask "Did you say ...?" before acting on a request heard doubtfully
    /// (see [`Dialogue::step`]). On the spoken dev sets this turned most
    /// wrong answers into questions (docs/BENCHMARKS.md).
    pub check_doubtful: bool,
}

impl Default for DialogueParams {
    fn default() -> Self {
        DialogueParams { confirm_timeout: Duration::from_secs(30), fill_timeout: Duration::from_secs(60), check_doubtful: true }
    }
}

/// The conversation state of one user: at most one question pending.
pub struct Dialogue {
    params: DialogueParams,
    pending: Option<Pending>,
    /// The language the utterance being stepped was heard in, if known.
    heard_in: Option<Language>,
}

struct Pending {
    intent: Intent,
    asked: Instant,
    question: Question,
    /// Unclear answers already given to this question: the second one
    /// cancels rather than asking forever.
    unclear: u8,
}

enum Question {
    Confirm,
    /// "Did you say ...?" (the question, said again after an unclear
    /// answer): a new request heard doubtfully, checked before anything
    /// else is asked or done.
    Heard(String),
    /// The slot asked for, and the reader of a bare answer to it.
    Slot {
        name: String,
        answers: SlotAnswers,
    },
}

/// What a pending question waits for, so an app can show the right
/// control (yes/no buttons, a destination picker) without parsing the
/// spoken prompt. As JSON: `{"confirm": "pay_bill"}` or
/// `{"slot": "destination"}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Awaiting {
    /// A yes or no before this intent runs.
    Confirm(String),
    /// A value for this slot of the pending intent.
    Slot(String),
}

/// What the engine should do with an utterance.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Run the action for this intent now.
    Run { intent: Intent, confirmed: bool, key: String },
    /// Say this and wait for the next utterance.
    Ask { intent: Intent, prompt: String },
    /// Say this; nothing runs.
    Reply(Outcome),
}

impl Dialogue {
    pub fn new(params: DialogueParams) -> Self {
        Dialogue { params, pending: None, heard_in: None }
    }

    /// The intent waiting for an answer, if any.
    pub fn pending(&self) -> Option<&Intent> {
        self.pending.as_ref().map(|p| &p.intent)
    }

    /// What the pending question waits for, if one is pending.
    pub fn awaiting(&self) -> Option<Awaiting> {
        self.pending.as_ref().map(|p| match &p.question {
            Question::Confirm | Question::Heard(_) => Awaiting::Confirm(p.intent.name.clone()),
            Question::Slot { name, .. } => Awaiting::Slot(name.clone()),
        })
    }

    /// Whether the pending question wants a yes or no (a confirmation, or
    /// a check of what was heard): its answer should be heard as said (free
    /// decoding), not fitted to a template.
    pub fn awaiting_confirmation(&self) -> bool {
        self.pending.as_ref().is_some_and(|p| matches!(p.question, Question::Confirm | Question::Heard(_)))
    }

    /// Drops any pending question (the user pressed cancel, barged in).
    pub fn reset(&mut self) {
        self.pending = None;
    }

    /// The language the next utterances are heard in (a multilingual
    /// recogniser says): what is not understood is answered in it. `None`:
    /// the language of the loaded intents.
    pub fn hear_in(&mut self, language: Option<Language>) {
        self.heard_in = language;
    }

    /// Decides what an utterance means given what was asked before.
    /// `parsed` is the matcher's reading of `text` (None if not understood);
    /// `doubtful` when `text` may not be what was said (speech read with
    /// forgiveness): a new request is then checked with the user ("Did you
    /// say ...?") before it is acted on.
    pub fn step(&mut self, text: &str, parsed: Option<Intent>, doubtful: bool, matcher: &Matcher, registry: &Registry, now: Instant) -> Step {
        let answered = |p: &Option<Intent>, names: &[&str]| p.as_ref().is_some_and(|i| names.contains(&i.name.as_str()));
        let heard = (doubtful && self.params.check_doubtful).then_some(text);
        let Some(pending) = self.pending.take() else {
            return self.fresh(text, parsed, heard, matcher, registry, None, now);
        };
        let limit = match pending.question {
            Question::Confirm | Question::Heard(_) => self.params.confirm_timeout,
            Question::Slot { .. } => self.params.fill_timeout,
        };
        if now.saturating_duration_since(pending.asked) > limit {
            return self.fresh(text, parsed, heard, matcher, registry, Some(&pending.intent), now);
        }
        let said = match pending.question {
            Question::Confirm | Question::Heard(_) => answer(text, parsed.as_ref(), matcher),
            Question::Slot { .. } => Answer::Unclear,
        };
        // "no, thirty" to "Send $20.00 to mum?": the request with the new
        // value, asked again (never run without its own yes).
        if matches!(pending.question, Question::Confirm) && said != Answer::Yes {
            if let Some(corrected) = correction(text, &pending.intent, matcher) {
                return self.proceed(corrected, matcher, registry, now);
            }
        }
        match pending.question {
            Question::Confirm | Question::Heard(_) => match (said, matches!(pending.question, Question::Heard(_))) {
                (Answer::Yes, true) => self.proceed(pending.intent, matcher, registry, now),
                (Answer::Yes, false) => {
                    let key = idempotency_key(&pending.intent);
                    Step::Run { intent: pending.intent, confirmed: true, key }
                }
                (Answer::No, checking) => {
                    let says = registry.messages(pending.intent.language);
                    Step::Reply(Outcome::new(Status::Aborted, if checking { says.say_again } else { says.cancelled }))
                }
                // A new request (or the doubtful one said again) replaces
                // the unanswered one, which is dropped.
                (Answer::Unclear, _) if parsed.as_ref().is_some_and(|p| ![CONFIRM, DENY, CANCEL].contains(&p.name.as_str())) => {
                    self.fresh(text, parsed, heard, matcher, registry, None, now)
                }
                (Answer::Unclear, _) => self.ask_again(pending, matcher, registry, now),
            },
            // "don't book it" to "Where to?" calls the request off.
            Question::Slot { .. } if answered(&parsed, &[DENY, CANCEL]) || opens_negated(pending.intent.language, text) => {
                Step::Reply(Outcome::new(Status::Aborted, registry.messages(pending.intent.language).cancelled))
            }
            Question::Slot { name, answers } => {
                // The request said again in full, now with the slot: a new
                // request like any other, checked when maybe misheard.
                if let Some(p) = parsed.as_ref().filter(|p| p.name == pending.intent.name && p.slot(&name).is_some()) {
                    let merged = merge(pending.intent, p);
                    return self.fresh(text, Some(merged), heard, matcher, registry, None, now);
                }
                let answer = answers.parse(text);
                let other_wins = match (&parsed, &answer) {
                    (Some(p), Some(a)) => p.confidence > a.confidence && p.cost < a.cost,
                    (Some(_), None) => true,
                    _ => false,
                };
                if other_wins {
                    return self.fresh(text, parsed, heard, matcher, registry, None, now);
                }
                let slot = answers.slot_of(answer);
                let slot = slot.or_else(|| if parsed.is_none() { answers.unlisted(matcher, text) } else { None });
                // "mum or dad" to "Who should I send it to?" is not one
                // payee, nor "twenty every month" one amount.
                let slot = slot.filter(|s| {
                    let mut asked = pending.intent.clone();
                    asked.slots.push(s.clone());
                    !hush_nlu::more_than_once(matcher.intents(), text, &asked)
                });
                match slot {
                    Some(slot) => {
                        let mut intent = pending.intent;
                        intent.missing.retain(|m| *m != slot.name);
                        intent.slots.push(slot);
                        self.proceed(intent, matcher, registry, now)
                    }
                    None => {
                        let says = registry.messages(pending.intent.language);
                        let prompt = format!("{} {}", says.didnt_get, slot_prompt(matcher, &pending.intent, &name, &says.what));
                        let intent = pending.intent.clone();
                        self.pending = Some(Pending { asked: now, question: Question::Slot { name, answers }, ..pending });
                        Step::Ask { intent, prompt }
                    }
                }
            }
        }
    }

    /// A yes-or-no question asked again after an unclear answer; a second
    /// unclear answer drops it.
    fn ask_again(&mut self, pending: Pending, matcher: &Matcher, registry: &Registry, now: Instant) -> Step {
        let says = registry.messages(pending.intent.language);
        if pending.unclear >= 1 {
            return Step::Reply(Outcome::new(Status::Aborted, says.still_unclear));
        }
        let question = match &pending.question {
            Question::Heard(question) => question.clone(),
            _ => confirmation(matcher, registry, &pending.intent),
        };
        let prompt = format!("{} {question}", says.say_yes_or_no);
        let intent = pending.intent.clone();
        self.pending = Some(Pending { asked: now, unclear: pending.unclear + 1, ..pending });
        Step::Ask { intent, prompt }
    }

    /// An utterance, `text`, with nothing pending (or after the pending
    /// question expired, which `expired` names); `heard`, the words as
    /// heard when they may not be what was said.
    #[allow(clippy::too_many_arguments)]
    fn fresh(
        &mut self,
        text: &str,
        parsed: Option<Intent>,
        heard: Option<&str>,
        matcher: &Matcher,
        registry: &Registry,
        expired: Option<&Intent>,
        now: Instant,
    ) -> Step {
        let Some(intent) = parsed else {
            // Nothing understood: the language it was heard in, else the
            // one its words lean to, else that of the first intents.
            let language = self.heard_in.or_else(|| matcher.language_of(text)).or(matcher.intents().intents.first().map(|s| s.language)).unwrap_or_default();
            return Step::Reply(Outcome::new(Status::NotUnderstood, registry.messages(language).cant_help));
        };
        if intent.name == CONFIRM || intent.name == DENY || (intent.name == CANCEL && !registry.handles(CANCEL)) {
            let says = registry.messages(expired.unwrap_or(&intent).language);
            return Step::Reply(match expired {
                Some(old) => Outcome::new(Status::Expired, fill(&says.expired, &[("intent", &spaced(&old.name))])),
                None if intent.name == CONFIRM => Outcome::new(Status::NotUnderstood, says.nothing_to_confirm),
                None => Outcome::new(Status::Aborted, says.okay),
            });
        }
        // A request that asks for confirmation anyway is checked by that
        // question, which says what was understood.
        if let Some(heard) = heard.filter(|_| !confirms(matcher, &intent.name)) {
            let says = registry.messages(intent.language);
            let prompt = fill(&says.did_you_say, &[("heard", as_said(heard))]);
            self.pending = Some(Pending { intent: intent.clone(), asked: now, question: Question::Heard(prompt.clone()), unclear: 0 });
            return Step::Ask { intent, prompt };
        }
        self.proceed(intent, matcher, registry, now)
    }

    /// Asks for the first missing slot, then for confirmation, then runs.
    fn proceed(&mut self, intent: Intent, matcher: &Matcher, registry: &Registry, now: Instant) -> Step {
        if let Some(name) = intent.missing.first().cloned() {
            if let Some(answers) = matcher.slot_answers(&intent.name, intent.language, &name) {
                let prompt = slot_prompt(matcher, &intent, &name, &registry.messages(intent.language).what);
                self.pending = Some(Pending { intent: intent.clone(), asked: now, question: Question::Slot { name, answers }, unclear: 0 });
                return Step::Ask { intent, prompt };
            }
        }
        if confirms(matcher, &intent.name) {
            let prompt = confirmation(matcher, registry, &intent);
            self.pending = Some(Pending { intent: intent.clone(), asked: now, question: Question::Confirm, unclear: 0 });
            return Step::Ask { intent, prompt };
        }
        let key = idempotency_key(&intent);
        Step::Run { intent, confirmed: false, key }
    }
}

/// Whether `intent` waits for a yes before it runs (`confirm: true`).
fn confirms(matcher: &Matcher, intent: &str) -> bool {
    matcher.intents().intent(intent).is_some_and(|s| s.confirm)
}

/// The question asked before `intent` runs: its action's, else its intent
/// file's `confirmation` with the values read (a slot not said left out,
/// with the space around it), else hush's.
fn confirmation(matcher: &Matcher, registry: &Registry, intent: &Intent) -> String {
    let spec = matcher.intents().intent_in(&intent.name, intent.language);
    let written = spec.and_then(|spec| {
        let values: Vec<(&str, String)> =
            spec.slots.iter().map(|d| (d.name.as_str(), intent.slot(&d.name).map(|s| s.value.to_string()).unwrap_or_default())).collect();
        let args: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        spec.confirmation.as_deref().map(|q| fill(q, &args).split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
    });
    registry.confirmation(intent, written)
}

/// Words as heard, to quote: without Whisper's closing punctuation.
fn as_said(heard: &str) -> &str {
    heard.trim().trim_end_matches(['.', '!', '?', ',', '。', '！', '？', '，'])
}

/// The slot's `prompt:`, or a question made from its name (`what`).
fn slot_prompt(matcher: &Matcher, intent: &Intent, slot: &str, what: &str) -> String {
    matcher
        .intents()
        .intent_in(&intent.name, intent.language)
        .and_then(|i| i.slot(slot))
        .and_then(|s| s.prompt.clone())
        .unwrap_or_else(|| fill(what, &[("slot", &spaced(slot))]))
}

/// `base` with the slots of `newer` it lacked.
fn merge(mut base: Intent, newer: &Intent) -> Intent {
    for s in &newer.slots {
        if base.slot(&s.name).is_none() {
            base.slots.push(s.clone());
        }
    }
    base.missing.retain(|m| base.slots.iter().all(|s| s.name != *m));
    base
}

/// Words said around a corrected value ("no, make it thirty", "sorry, I
/// meant tomorrow", "bukan, maksud saya lima puluh ribu"): the reply holds
/// nothing else. Not "not": "no, not thirty" is no new amount.
#[rustfmt::skip]
const CORRECTING: &[&str] = &[
    "no", "nope", "nah", "yes", "yeah", "wait", "actually", "sorry", "oops", "i", "said", "meant", "mean", "make", "it", "that", "send",
    "pay", "transfer", "instead", "then", "please", "um", "uh", "oh", "er", "erm", "change", "to", "the", "amount", "should", "be", "is",
    "so", "just", "for", "on", "at", "but", "ok", "okay",
    "tidak", "bukan", "eh", "ya", "iya", "tapi", "maksud", "maksudnya", "saya", "aku", "jadi", "ganti", "aja", "saja", "deh", "dong", "kirim", "bayar",
    "yang", "tolong", "maaf", "bilang", "tadi", "ke", "untuk",
];

/// The pending request with one value changed, when `text` only gives a
/// new value for one of its slots ("no, thirty dollars", "make it fifty",
/// "actually tomorrow"). Only a value read whole by the slot's type or
/// lists (an amount, a date, a listed name), never free text such as a
/// new recipient (a request said in full replaces the pending one), and
/// only one that differs from the value asked about.
fn correction(text: &str, intent: &Intent, matcher: &Matcher) -> Option<Intent> {
    let spec = matcher.intents().intent_in(&intent.name, intent.language)?;
    let said = hush_nlu::words(text);
    // The value is read from the words that are not the correction's own.
    let value_words: Vec<&str> = said.iter().map(String::as_str).filter(|w| !CORRECTING.contains(w)).collect();
    if value_words.is_empty() {
        return None;
    }
    let said_value = value_words.join(" ");
    let best = spec
        .slots
        .iter()
        .filter_map(|slot| {
            let answers = matcher.slot_answers(&intent.name, intent.language, &slot.name)?;
            let reading = answers.parse(&said_value).filter(|r| r.evidence.free == 0)?;
            let confidence = reading.confidence;
            let value = answers.slot_of(Some(reading))?;
            let own = hush_nlu::words(&value.raw);
            let rest_corrects = said.iter().all(|w| own.contains(w) || CORRECTING.contains(&w.as_str()));
            let changed = intent.slot(&value.name).is_none_or(|old| old.value != value.value);
            (rest_corrects && changed && !own.is_empty()).then_some((confidence, value))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    let mut corrected = intent.clone();
    corrected.slots.retain(|s| s.name != best.1.name);
    corrected.missing.retain(|m| *m != best.1.name);
    corrected.slots.push(best.1);
    Some(corrected)
}

/// A stable key for "this request": the intent and its slot values, in a
/// fixed order, hashed. The same words said twice, or a retried call, give
/// the same key; the key itself reveals no slot values.
pub fn idempotency_key(intent: &Intent) -> String {
    let mut slots: Vec<(&str, String)> = intent.slots.iter().map(|s| (s.name.as_str(), serde_json::to_string(&s.value).unwrap_or_default())).collect();
    slots.sort();
    let mut h = Sha256::new();
    h.update(intent.name.as_bytes());
    for (name, value) in slots {
        h.update([0]);
        h.update(name.as_bytes());
        h.update([1]);
        h.update(value.as_bytes());
    }
    h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}
