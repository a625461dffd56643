//! Reading a transcript with the templates and, when the app has one, a
//! learned model, and deciding which one to believe.
//!
//! The rules: a template matched word for word wins outright (authors know
//! their own phrasings best); otherwise the more confident of a fuzzy
//! template parse (above the matcher's threshold) and the learned model
//! (above its own threshold) answers, both confidences being calibrated
//! probabilities; otherwise nothing was understood. A model trained with
//! out-of-domain sentences (`hush_learn::OUT_OF_DOMAIN`) that confidently
//! calls a sentence out of domain overrules a fuzzy template parse. A
//! reading of a request said in the negative ("don't pay my water bill")
//! is no reading ([`hush_nlu::negates`]), nor is a payment asked for more
//! than once or joined to a second one ([`hush_nlu::more_than_once`]),
//! nor a learned reading with no value of an intent that always has one
//! ("pause the music" as `adjust_volume`).

use hush_learn::{LearnedModel, Prediction};
use hush_nlu::{Builtin, Evidence, Intent, Language, Matcher, Slot, Value};
use parking_lot::Mutex;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Which reader answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadBy {
    /// The intent templates.
    Template,
    /// The learned model.
    Learned,
}

/// An understood request and who understood it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Understood {
    /// The intent and its slots.
    pub intent: Intent,
    /// Which reader found it.
    pub source: ReadBy,
    /// A second request said after it and not read ("order a pizza" of
    /// "book a ride to the airport and order a pizza"): the user is told
    /// to ask for it on its own.
    pub left: Option<String>,
}

impl Understood {
    /// Whether a template matched the words exactly: anything else (an
    /// edit forgiven, a word skipped, the learned model's reading) may be
    /// a mishearing read into a request. On the spoken dev sets, few right
    /// answers and most wrong ones were not exact (docs/BENCHMARKS.md).
    pub fn exact(&self) -> bool {
        self.source == ReadBy::Template && self.intent.cost == 0.0
    }
}

/// Why a sentence that reads as a request is not taken as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// It asks for the opposite ("don't call mum").
    Negated(Language),
    /// It asks for a payment more than once, for two, or leaves the
    /// choice open ("every month", "and fifty to dad", "mum or dad").
    MoreThanOnce(Language),
    /// It asks for a payment on a condition hush cannot check ("if it is
    /// under fifty dollars", "unless she already paid").
    Conditional(Language),
}

/// What the learned model made of a sentence.
enum Learned {
    Intent(Intent),
    /// Confidently none of the app's intents.
    OutOfDomain,
    /// Below its threshold (or no model, or it failed).
    Unsure,
    /// An intent it may not be taken as.
    Refused(Refusal),
}

/// A list's phrases as words, each with the value it names.
type ListWords = Arc<[(String, Vec<String>)]>;

/// The template matcher, optionally fused with a learned model.
pub struct Understanding {
    matcher: Matcher,
    learned: Option<(Arc<LearnedModel>, f32)>,
    /// The one language the learned model reads, if it reads only one.
    model_language: Option<Language>,
    /// Per list index and language, its phrases' words ([`Understanding::list_words`]).
    list_words: Mutex<HashMap<(usize, Language), ListWords>>,
}

impl Understanding {
    /// Templates only; add a learned model with [`Understanding::with_model`].
    pub fn new(matcher: Matcher) -> Understanding {
        Understanding { matcher, learned: None, model_language: None, list_words: Mutex::new(HashMap::new()) }
    }

    /// Adds a learned model that answers above `threshold`.
    pub fn with_model(mut self, model: impl Into<Arc<LearnedModel>>, threshold: f32) -> Understanding {
        let model = model.into();
        // The first prediction sets up the one-thread pool and the
        // kernels' buffers (~100 ms against ~12 ms after): paid here, not on
        // the first command. A failure shows again, logged, where it reads.
        let _ = model.predict(&["hello"]);
        self.learned = Some((model, threshold));
        self
    }

    /// Adds the built-in domains' model ([`crate::parts::builtin_learned`]),
    /// which learned English sentences and reads those only: in an engine
    /// of several languages, a sentence heard or parsed in another is read
    /// by the templates alone (the model reads "pesan ojek ke bandara" as
    /// noise, and could call it out of domain).
    pub fn with_builtin_model(self, model: impl Into<Arc<LearnedModel>>, threshold: f32) -> Understanding {
        Understanding { model_language: Some(Language::English), ..self.with_model(model, threshold) }
    }

    /// The template matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// The learned model, if any.
    pub fn model(&self) -> Option<&LearnedModel> {
        self.learned.as_ref().map(|(m, _)| &**m)
    }

    /// Reads `text` under the fusion rules (see the module's doc).
    pub fn read(&self, text: &str) -> Option<Understood> {
        self.read_in(text, None)
    }

    /// [`Understanding::read`] of a sentence heard in `language` (when
    /// the recogniser said): the learned model reads it only in its own
    /// language. Without a language, the template parse's language
    /// decides, else the language its words lean to
    /// ([`Matcher::language_of`]); with none of these, the model reads it.
    pub fn read_in(&self, text: &str, language: Option<Language>) -> Option<Understood> {
        self.reading(text, language).ok()
    }

    /// [`Understanding::read_in`], saying why a sentence that reads as a
    /// request was not taken as one, when that is why nothing was read.
    pub fn reading(&self, text: &str, language: Option<Language>) -> Result<Understood, Option<Refusal>> {
        let said = hush_nlu::words(text);
        let (meant, mut read) = match self.corrected(&said, language) {
            // What is meant is refused as it would be, said plainly ("...
            // no wait to mum and dad", "... to dad every month").
            Some((meant, read)) => match self.refusal(&meant, &read.intent).or_else(|| self.refusal(text, &read.intent)) {
                Some(r) => return Err(Some(r)),
                None => (meant, read),
            },
            None => self.first_request(text, &said, language)?,
        };
        let text = meant.as_str();
        // "pay my water bill at the end of the month": a yes would pay now;
        // "pay the minimum on my credit card": all that is due.
        let set = self.matcher.intents();
        let time = hush_nlu::unread_time(set, text, &read.intent);
        // A name that ran into a day, read or not, or into doubt, ends
        // before it: "send some money to mum tomorrow" and "... to mum
        // maybe" pay mum, not "mum tomorrow" or "mum maybe".
        if let Some(spec) = set.intent_in(&read.intent.name, read.intent.language).filter(|s| s.confirm) {
            let said = hush_nlu::words(text);
            let days = read.intent.slots.iter().filter(|s| builtin_in(spec, &s.name, &[Builtin::Date, Builtin::Time]));
            let doubt = Some(hush_nlu::hedge_from(&said)).filter(|&at| at < said.len());
            let begins = |s: &Slot| said_at(&said, &hush_nlu::words(&s.raw), said.len()).map(|at| hush_nlu::time_begins(spec.language, &said, at));
            let ends: Vec<usize> = days.filter_map(begins).chain(time).chain(doubt).collect();
            for at in ends {
                self.end_before(spec, &said, at, &mut read.intent);
            }
        }
        for (slot, unread) in [("date", time.is_some()), ("amount", hush_nlu::unread_amount(set, text, &read.intent))] {
            if unread && !read.intent.missing.iter().any(|m| m == slot) {
                read.intent.missing.push(slot.to_owned());
            }
        }
        Ok(read)
    }

    /// `text`'s reading, or, where a second request is joined on ("book
    /// a ride to the airport and order a pizza",
    /// [`Matcher::joined_request`]) and the templates read each part
    /// word for word, the first request's: read whole, the place ran on
    /// into the second, which is left to be asked for on its own
    /// ([`Understood::left`]). Neither part may be a reply ("go ahead and pay
    /// the tv bill" is one request) or refused on its own; so "send twenty
    /// dollars to mum and pay my water bill" asks about mum's payment
    /// alone, and the bill is left to be asked for.
    fn first_request(&self, text: &str, said: &[String], language: Option<Language>) -> Result<(String, Understood), Option<Refusal>> {
        // Each part read on its own, under every rule: a part refused ("...
        // every month and ...") leaves the sentence to be read whole.
        let request = |words: &[String]| {
            let read = self.templates(&words.join(" ")).ok()?;
            let reply = [hush_nlu::CONFIRM, hush_nlu::DENY, hush_nlu::CANCEL].contains(&read.intent.name.as_str());
            (read.intent.cost == 0.0 && !reply).then_some(read)
        };
        let split = self.matcher.joined_request(said).and_then(|(end, next)| Some((end, next, request(&said[..end])?, request(&said[next..])?)));
        match split {
            Some((end, next, first, _)) => Ok((said[..end].join(" "), Understood { left: Some(said[next..].join(" ")), ..first })),
            None => self.fused(text, language).map(|r| (text.to_owned(), r)),
        }
    }

    /// `text` as meant where the speaker corrected themselves in it
    /// ([`hush_nlu::correction`]), with its reading: "send twenty dollars
    /// to mum no wait to dad" pays dad, "... to mum not dad" mum. The words
    /// after the marker are read as a value of the request said before it
    /// (the value said last first), else said in place of that value or
    /// from the last word they repeat ("pay my water bill sorry my
    /// electricity bill"). `None` where there is no correction, or no
    /// reading of one; an intent that takes free text (a message can say
    /// "no") is not corrected.
    fn corrected(&self, said: &[String], language: Option<Language>) -> Option<(String, Understood)> {
        // Heard in no known language, the first marker of any.
        let languages = Language::ALL.iter().filter(|&&l| language.is_none_or(|heard| heard == l));
        let c = languages.filter_map(|&l| hush_nlu::correction(l, said)).min_by_key(|c| c.start)?;
        let before_words = said[..c.start].join(" ");
        let mut before = self.fused(&before_words, language).ok()?;
        let spec = self.matcher.intents().intent_in(&before.intent.name, before.intent.language)?;
        if spec.slots.iter().any(|d| builtin_in(spec, &d.name, &[Builtin::Wildcard])) {
            return None;
        }
        let after = &said[c.end..];
        // The value said last before the marker, and where it begins.
        let last = before.intent.slots.iter().find_map(|s| {
            let w = hush_nlu::words(&s.raw);
            said_at(said, &w, c.start).filter(|&i| i + w.len() == c.start).map(|i| (i, s.name.clone()))
        });
        let read_as = |slot: &str| self.read_slot(&before.intent.name, before.intent.language, slot, &after.join(" "));
        if c.kind == hush_nlu::CorrectionKind::Excludes {
            read_as(&last?.1)?;
            return Some((before_words, before));
        }
        // Said again from its first word, the request is said anew.
        let anew = after[0] == said[0];
        let names = last.iter().map(|l| l.1.as_str()).chain(spec.slots.iter().map(|d| d.name.as_str()));
        if let Some(value) = names.filter_map(read_as).next().filter(|_| !anew) {
            before.intent.missing.retain(|m| *m != value.name);
            before.intent.slots.retain(|s| s.name != value.name);
            let from = last.filter(|l| l.1 == value.name).map_or(c.start, |l| l.0);
            let meant = said[..from].iter().chain(after).cloned().collect::<Vec<_>>().join(" ");
            before.intent.slots.push(value);
            return Some((meant, before));
        }
        let restart = (0..c.start).rev().find(|&j| said[j] == after[0]);
        [restart, last.map(|l| l.0)]
            .into_iter()
            .flatten()
            .map(|from| said[..from].iter().chain(after).cloned().collect::<Vec<_>>().join(" "))
            .filter_map(|meant| Some((meant.clone(), self.fused(&meant, language).ok().filter(|r| r.intent.name == before.intent.name)?)))
            .min_by_key(|(_, r)| r.intent.missing.len())
    }

    /// Ends every value of `intent` said across word `at` of `said`
    /// before it, read again as its slot's value ("send twenty dollars to
    /// mum after payday": the recipient "mum after payday" is mum). A
    /// value with nothing left before it, or that no longer reads, is
    /// dropped, and asked for if required. Free text (a message) is the
    /// user's words, kept whole: "text mum i might be late maybe".
    fn end_before(&self, spec: &hush_nlu::IntentSpec, said: &[String], at: usize, intent: &mut Intent) {
        let mut kept = Vec::with_capacity(intent.slots.len());
        for slot in std::mem::take(&mut intent.slots) {
            let value = hush_nlu::words(&slot.raw);
            let free = builtin_in(spec, &slot.name, &[Builtin::Wildcard]);
            let Some(start) = said_at(said, &value, at).filter(|&i| !free && i + value.len() > at) else {
                kept.push(slot);
                continue;
            };
            match self.read_slot(&intent.name, intent.language, &slot.name, &said[start..at].join(" ")) {
                Some(cut) => kept.push(cut),
                None => {
                    if spec.required.contains(&slot.name) && !intent.missing.contains(&slot.name) {
                        intent.missing.push(slot.name);
                    }
                }
            }
        }
        intent.slots = kept;
    }

    /// Reads `text` under the fusion rules.
    fn fused(&self, text: &str, language: Option<Language>) -> Result<Understood, Option<Refusal>> {
        let template = self.templates(text);
        let exact = template.as_ref().is_ok_and(|t| t.intent.cost == 0.0);
        if self.learned.is_none() || exact || self.foreign(text, language, template.as_ref().ok()) {
            return template;
        }
        match (template, self.learned(text)) {
            // The model learned the near-misses the templates' fuzzy
            // matching lets through ("the phone bill was higher than i
            // expected").
            (_, Learned::OutOfDomain) => Err(None),
            (Ok(t), Learned::Intent(l)) if t.intent.confidence >= l.confidence => Ok(t),
            (_, Learned::Intent(l)) => Ok(Understood { intent: l, source: ReadBy::Learned, left: None }),
            (t, Learned::Unsure) => t,
            (Ok(t), Learned::Refused(_)) => Ok(t),
            (Err(why), Learned::Refused(r)) => Err(why.or(Some(r))),
        }
    }

    /// Whether `text` (heard in `heard`, if known) is in a language other
    /// than the one the model reads.
    fn foreign(&self, text: &str, heard: Option<Language>, template: Option<&Understood>) -> bool {
        let Some(reads) = self.model_language else { return false };
        let said_in = heard.or(template.map(|t| t.intent.language)).or_else(|| self.matcher.language_of(text));
        said_in.is_some_and(|s| s != reads)
    }

    /// Reads `text` with the templates alone.
    pub fn read_templates(&self, text: &str) -> Option<Understood> {
        self.templates(text).ok()
    }

    fn templates(&self, text: &str) -> Result<Understood, Option<Refusal>> {
        let intent = self.matcher.parse(text).ok_or(None)?;
        match self.refusal(text, &intent) {
            Some(r) => Err(Some(r)),
            None => Ok(Understood { intent, source: ReadBy::Template, left: None }),
        }
    }

    /// Whether `text` asks for the opposite of `intent` ("don't call mum"
    /// read as `call_contact`), for a payment more than once ("send
    /// twenty dollars to mum every month", "... and fifty to dad"), or on a
    /// condition ("... if she asks"): such a reading is no request,
    /// whichever reader found it.
    fn refusal(&self, text: &str, intent: &Intent) -> Option<Refusal> {
        let set = self.matcher.intents();
        if hush_nlu::negates(set, text, intent) {
            Some(Refusal::Negated(intent.language))
        } else if hush_nlu::more_than_once(set, text, intent) {
            Some(Refusal::MoreThanOnce(intent.language))
        } else if hush_nlu::conditional(set, text, intent) {
            Some(Refusal::Conditional(intent.language))
        } else {
            None
        }
    }

    /// Reads `text` with the learned model alone (for comparing readers):
    /// `None` without a model, below its threshold, or out of its domain.
    pub fn read_learned(&self, text: &str) -> Option<Understood> {
        match self.learned(text) {
            Learned::Intent(intent) => Some(Understood { intent, source: ReadBy::Learned, left: None }),
            Learned::OutOfDomain | Learned::Unsure | Learned::Refused(_) => None,
        }
    }

    fn learned(&self, text: &str) -> Learned {
        let Some((model, threshold)) = &self.learned else { return Learned::Unsure };
        // A transcript without a word ("...", "?": how Whisper writes a
        // noise) says nothing, but the model still answers its likeliest
        // class: the built-in one read such text as `confirm`. Words as
        // the templates and the slot reading below split them.
        if hush_nlu::words(text).is_empty() {
            return Learned::Unsure;
        }
        match model.predict(&[text]) {
            Ok(mut p) => match p.pop().filter(|p| p.confidence >= *threshold) {
                Some(p) if p.intent == hush_learn::OUT_OF_DOMAIN => Learned::OutOfDomain,
                Some(p) => {
                    let i = self.intent(p, text);
                    if self.says_nothing(&i) {
                        return Learned::Unsure;
                    }
                    self.refusal(text, &i).map_or(Learned::Intent(i), Learned::Refused)
                }
                None => Learned::Unsure,
            },
            Err(e) => {
                tracing::warn!(error = %e, "the learned model failed; using the templates alone");
                Learned::Unsure
            }
        }
    }

    /// Whether `intent` holds no value where every one of its templates
    /// sets one and none is asked for: the model knew the domain but not
    /// the request ("pause the music", "stop the music" read as
    /// `adjust_volume`, to be done with no direction and no level).
    fn says_nothing(&self, intent: &Intent) -> bool {
        let set = self.matcher.intents();
        intent.slots.is_empty()
            && intent.missing.is_empty()
            && set.intent_in(&intent.name, intent.language).is_some_and(|spec| spec.required.is_empty() && set.always_sets_a_slot(spec))
    }

    /// A learned prediction as an [`Intent`]: slot text read by the same
    /// lists and built-in parsers as templates ("forty two dollars" →
    /// 42 USD). For an intent the intent files declare, a slot they do not
    /// declare, or whose words do not read as its type, is dropped, and
    /// required slots left unfilled are missing (the dialogue asks for
    /// them). Intents the files do not know keep their slots as text.
    fn intent(&self, p: Prediction, text: &str) -> Intent {
        let spec = match self.model_language {
            Some(l) => self.matcher.intents().intent_in(&p.intent, l),
            None => self.matcher.intents().intent(&p.intent),
        };
        let mut slots: Vec<Slot> = Vec::new();
        // Numbers said for a slot that did not read as its value: asked for.
        let mut unread: Vec<String> = Vec::new();
        let tagged = p.slots.clone();
        for s in p.slots {
            if slots.iter().any(|x| x.name == s.slot) {
                continue;
            }
            let slot = match spec {
                Some(spec) if builtin_in(spec, &s.slot, &[Builtin::Wildcard]) => self.read_slot(&p.intent, spec.language, &s.slot, &s.text),
                Some(spec) if spec.slot(&s.slot).is_some_and(|d| d.several) => {
                    // Read whole: the list would read "fish and chips" as
                    // its "chips". Else as tagged.
                    let all = self.with_the_rest(spec, text, &s, &tagged).and_then(|all| {
                        self.read_slot(&p.intent, spec.language, &s.slot, &all)
                            .filter(|x| hush_nlu::words(&x.raw).len() == hush_nlu::words(&all).len())
                            .or_else(|| self.matcher.unlisted_value(&p.intent, spec.language, &s.slot, &all))
                    });
                    all.or_else(|| self.read_slot(&p.intent, spec.language, &s.slot, &before_closing(text, &s)))
                }
                Some(spec) => self.read_slot(&p.intent, spec.language, &s.slot, &before_closing(text, &s)),
                None => Some(Slot { name: s.slot.clone(), value: Value::Text(s.text.clone()), raw: s.text.clone(), sensitive: false }),
            };
            // A number the tagger left beside an amount is part of what
            // was said: "one fifty" tagged "fifty", "a million and a half"
            // tagged "a million". The amount is asked for rather than read
            // short (other numbers are read as tagged: a wrong one moves
            // no money).
            let short = slot.as_ref().is_some_and(|x| matches!(x.value, Value::Money(_))) && number_beside(text, s.start, s.end);
            match slot {
                Some(slot) if !short => slots.push(slot),
                // "pay my bill of zero dollars", "set the volume to 150": a
                // number out of the slot's range is asked for, not replaced
                // by a default (the bill's due amount) or left out.
                _ if spec.is_some_and(|spec| builtin_in(spec, &s.slot, &[Builtin::Integer, Builtin::Number, Builtin::Money])) => unread.push(s.slot),
                _ => {}
            }
        }
        // Values the model did not tag but the templates' closest parse of
        // the same intent found: values the words imply ("it's too loud"
        // means down) and slots of a sentence close to a template.
        if spec.is_some() {
            // Only from a parse the matcher would accept: a weak one fills
            // slots with stray words ("transfer money" → recipient
            // "transfer").
            let threshold = self.matcher.params().threshold;
            if let Some(t) = self.matcher.parse_nbest(text, 8).into_iter().find(|t| t.name == p.intent && t.confidence >= threshold) {
                // The tagger sometimes ends an open value early ("hear
                // hotel california" tagged "hotel"): the template's value
                // that goes on from the tagged words is the whole one. Only
                // on: a fuzzy parse that starts earlier has taken in a word
                // before the value ("pay back lisa" → "back lisa").
                for s in &mut slots {
                    if let Some(whole) = t.slots.iter().find(|w| w.name == s.name && goes_on(&hush_nlu::words(&w.raw), &hush_nlu::words(&s.raw))) {
                        *s = whole.clone();
                    }
                }
                // A word fills one slot: the template's reading of words
                // the model tagged as another slot ("put on adele": artist
                // tagged, media parsed) is the same words said twice.
                let said = hush_nlu::words(text);
                let tagged: Vec<String> = slots.iter().flat_map(|x| hush_nlu::words(&x.raw)).collect();
                for s in t.slots {
                    if slots.iter().all(|x| x.name != s.name) && !said_twice(&said, &tagged, &hush_nlu::words(&s.raw)) {
                        slots.push(s);
                    }
                }
            }
        }
        if let Some(spec) = spec {
            self.listed_phrases(spec, text, &mut slots);
            // Where money moves (a confirmed intent with an amount), an
            // optional value of a closed list that the templates always
            // introduce ("from my savings") is read only where it is
            // introduced so: in "send twenty dollars to my mum's savings" the
            // tagger read the account paid from. (A ride's kind, "a shared
            // ride", is said back in its question.)
            if spec.confirm && spec.slots.iter().any(|d| builtin_in(spec, &d.name, &[Builtin::Money])) {
                let set = self.matcher.intents();
                slots.retain(|s| {
                    let closed =
                        spec.slot(&s.name).is_some_and(|d| matches!(d.ty, hush_nlu::SlotType::List(i) if set.lists.get(i).is_some_and(|l| l.open.is_none())));
                    !closed
                        || spec.required.contains(&s.name)
                        || set.words_before(spec, &s.name).is_none_or(|before| introduced(text, &s.raw, &before, spec.language))
                });
            }
        }
        let mut missing: Vec<String> =
            spec.map(|spec| spec.required.iter().filter(|r| slots.iter().all(|s| s.name != **r)).cloned().collect()).unwrap_or_default();
        for name in unread {
            if !missing.contains(&name) && slots.iter().all(|s| s.name != name) {
                missing.push(name);
            }
        }
        let words = hush_nlu::words(text).len();
        Intent {
            name: p.intent,
            slots,
            confidence: p.confidence,
            // As costly as the loosest template parse, so that a template
            // answer to a question is preferred to a learned new request.
            cost: self.matcher.params().max_cost,
            missing,
            template: String::new(),
            evidence: Evidence { words, matched: 0, free: words, edit_cost: 0.0, skip_cost: 0.0, free_cost: 0.0 },
            language: spec.map_or(Language::English, |s| s.language),
        }
    }

    /// The value tagged `s`, one that may name several things, with the
    /// things said after it with "and": to the end of the last value
    /// `tagged` for the same slot ("pizza" and "a coke" in "order a pizza
    /// and a coke for dinner"), else up to the next slot tagged and the
    /// words that lead into it ("from"), or to the end of the request (the
    /// tagger cut "get me fish and chips" at "fish"). Not where a second
    /// request is joined on ("... and play some jazz").
    fn with_the_rest(&self, spec: &hush_nlu::IntentSpec, text: &str, s: &hush_learn::TaggedSlot, tagged: &[hush_learn::TaggedSlot]) -> Option<String> {
        let said = hush_nlu::words(text);
        let word_at = |chars: usize| hush_nlu::words(&text.chars().take(chars).collect::<String>()).len();
        let at = word_at(s.start);
        let end = at + hush_nlu::words(&s.text).len();
        let after = tagged.iter().filter(|t| t.start > s.start);
        let stop = match (after.clone().filter(|t| t.slot == s.slot).map(|t| t.end).max(), after.min_by_key(|t| t.start)) {
            (Some(last), _) => word_at(last),
            (None, Some(next)) => {
                let leads = self.matcher.intents().words_before(spec, &next.slot).unwrap_or_default();
                let mut stop = word_at(next.start);
                while stop > end && leads.contains(&said[stop - 1]) {
                    stop -= 1;
                }
                stop
            }
            (None, None) => hush_nlu::closing_from(&said),
        };
        let joint = self.matcher.joined_request(&said).map(|(end, _)| end);
        (end + 1 < stop && hush_nlu::joins_items(spec.language, &said[end]) && joint != Some(end)).then(|| said[at..stop].join(" "))
    }

    /// Fills a listed slot neither the model nor a template filled from
    /// a phrase of its list said in `text` ("the car needs fuel",
    /// "warm up the car"): the longest such phrase whose words no other
    /// slot took, when the phrases found all name one value. A phrase of
    /// fillers alone ("me", a student in "show me") names nothing here.
    fn listed_phrases(&self, spec: &hush_nlu::IntentSpec, text: &str, slots: &mut Vec<Slot>) {
        let said = hush_nlu::words(text);
        // Where money moves, a phrase the templates say as their own words
        // is theirs: the "wallet" of "refill the canteen wallet" pays from
        // no wallet. (Elsewhere such words are the value the templates
        // imply: "cool it", "mute".)
        let template_words: Vec<Vec<String>> =
            if spec.confirm { spec.templates.iter().map(|t| hush_nlu::words(&t.text.replace('|', " "))).collect() } else { Vec::new() };
        let the_templates_say = |phrase: &[String]| template_words.iter().any(|t| t.windows(phrase.len()).any(|w| w == phrase));
        for slot in &spec.slots {
            let hush_nlu::SlotType::List(i) = slot.ty else { continue };
            if slots.iter().any(|s| s.name == slot.name) {
                continue;
            }
            let taken: Vec<String> = slots.iter().flat_map(|x| hush_nlu::words(&x.raw)).collect();
            let phrases = self.list_words(i, spec.language);
            let found: Vec<&(String, Vec<String>)> = phrases
                .iter()
                .filter(|(_, phrase)| {
                    said.windows(phrase.len()).any(|w| w == phrase.as_slice()) && !said_twice(&said, &taken, phrase) && !the_templates_say(phrase)
                })
                .collect();
            let Some((value, longest)) = found.iter().max_by_key(|f| f.1.len()) else { continue };
            if found.iter().all(|f| f.0 == *value) {
                slots.extend(self.read_slot(&spec.name, spec.language, &slot.name, &longest.join(" ")));
            }
        }
    }

    /// `text` as a value of `intent`'s slot `slot`, if it reads as one.
    fn read_slot(&self, intent: &str, language: Language, slot: &str, text: &str) -> Option<Slot> {
        self.matcher.slot_answers(intent, language, slot)?.read(&self.matcher, text)
    }

    /// The words of every phrase of list `i` that says more than
    /// `language`'s fillers, with the value each names (worked out once: an
    /// app's list may hold thousands of names).
    fn list_words(&self, i: usize, language: Language) -> ListWords {
        let mut cache = self.list_words.lock();
        cache
            .entry((i, language))
            .or_insert_with(|| {
                let list = self.matcher.intents().lists.get(i);
                list.into_iter()
                    .flat_map(|l| &l.values)
                    .flat_map(|v| v.phrases.iter().map(|p| (v.value.clone(), hush_nlu::words(p))))
                    .filter(|(_, phrase)| phrase.iter().any(|w| !hush_nlu::is_filler(language, w)))
                    .collect()
            })
            .clone()
    }
}

/// Whether `spec`'s slot `slot` holds one of the built-in types `types`
/// (a number of any kind; the free text of a message).
fn builtin_in(spec: &hush_nlu::IntentSpec, slot: &str, types: &[Builtin]) -> bool {
    spec.slot(slot).is_some_and(|d| matches!(d.ty, hush_nlu::SlotType::Builtin { ty, .. } if types.contains(&ty)))
}

/// Where `said` first says the words `value`, starting before word
/// `before`.
fn said_at(said: &[String], value: &[String], before: usize) -> Option<usize> {
    (0..before.min(said.len())).find(|&i| !value.is_empty() && said[i..].starts_with(value))
}

/// Whether the words `value` where `text` first says them come after one
/// of `before`, fillers between ("from my savings": "from"). A value not
/// found as said, or said first, is taken as introduced.
fn introduced(text: &str, value: &str, before: &HashSet<String>, language: Language) -> bool {
    let said = hush_nlu::words(text);
    let value = hush_nlu::words(value);
    let Some(at) = said_at(&said, &value, said.len()) else { return true };
    said[..at].iter().rev().find(|w| !hush_nlu::is_filler(language, w)).is_none_or(|w| before.contains(w))
}

/// The words tagged `s` without the courtesy and haste that end `text`
/// ([`hush_nlu::closing_from`]): the tagger reads "send twenty dollars to
/// mum thanks" with the recipient "mum thanks", and "call mum right now"
/// with the contact "mum right".
fn before_closing(text: &str, s: &hush_learn::TaggedSlot) -> String {
    let closing = hush_nlu::closing_from(&hush_nlu::words(text));
    let at = hush_nlu::words(&text.chars().take(s.start).collect::<String>()).len();
    let tagged = hush_nlu::words(&s.text);
    if at < closing && at + tagged.len() > closing {
        tagged[..closing - at].join(" ")
    } else {
        s.text.clone()
    }
}

/// Whether a word that says a number ("one" too), or "and" or "point"
/// before one, sits right before or after the characters `start..end` of
/// `text`.
fn number_beside(text: &str, start: usize, end: usize) -> bool {
    let before = hush_nlu::words(&text.chars().take(start).collect::<String>());
    let after = hush_nlu::words(&text.chars().skip(end).collect::<String>());
    let number = |w: Option<&String>| w.is_some_and(|w| w == "one" || hush_nlu::says_a_number(w));
    // "and fifty cents", "and a half", "point five".
    let joined = after.first().is_some_and(|w| w == "and" || w == "point");
    let next = if after.get(1).is_some_and(|w| w == "a") { 2 } else { 1 };
    // "ten dollars two my sister": "two" said for "to" before a word that
    // is no part of an amount.
    let to = after.first().is_some_and(|w| w == "two") && after.get(1).is_some_and(|w| !number(Some(w)) && !w.starts_with("cent"));
    number(before.last()) || (number(after.first()) && !to) || (joined && number(after.get(next)))
}

/// Whether `whole` is `part`'s words and more after them.
fn goes_on(whole: &[String], part: &[String]) -> bool {
    !part.is_empty() && part.len() < whole.len() && whole.starts_with(part)
}

/// Whether `more` words, read beside `taken` ones, would use some word
/// more often than the sentence `said` holds it: the same words given to
/// two slots (a word said twice may go to both).
fn said_twice(said: &[String], taken: &[String], more: &[String]) -> bool {
    let count = |ws: &[String], w: &String| ws.iter().filter(|x| *x == w).count();
    more.iter().any(|w| count(taken, w) + count(more, w) > count(said, w))
}

#[cfg(test)]
mod tests {
    use super::{goes_on, said_twice};

    #[test]
    fn a_whole_value_goes_on_from_the_tagged_words() {
        let w = |s: &str| hush_nlu::words(s);
        assert!(goes_on(&w("hotel california"), &w("hotel")));
        assert!(!goes_on(&w("back lisa"), &w("lisa")), "starts before the tagged words");
        assert!(!goes_on(&w("hotel"), &w("hotel")), "no longer");
        assert!(!goes_on(&w("hotel"), &w("")));
    }

    #[test]
    fn a_word_fills_one_slot_unless_said_twice() {
        let w = |s: &str| hush_nlu::words(s);
        let said = w("tell my boss that my car broke down");
        assert!(!said_twice(&said, &w("my boss"), &w("my car broke down")));
        assert!(said_twice(&said, &w("my boss"), &w("boss")));
        assert!(said_twice(&w("put on adele"), &w("adele"), &w("adele")));
        // A value the template fixes has no words.
        assert!(!said_twice(&w("it's too loud"), &w(""), &w("")));
    }
}
