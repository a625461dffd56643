//! The template matcher.
//!
//! Every template of every intent is compiled once into one
//! epsilon-free automaton whose edges are words or slots, with one shared
//! start state indexed by word. Parsing is a best-first walk of that
//! automaton against the transcript's words in which each step has a cost:
//! a matching word is free, a word that sounds like or is spelt like the
//! expected one is cheap, an unrelated substitution, an extra word or a
//! missing word cost more (less for fillers like "um" or "the"). The
//! cheapest complete paths are the n-best parses; their cost, relative to
//! the utterance's length, gives the confidence.
//!
//! The parts live beside it: [`crate::automaton`] (the compiled form),
//! `compile` (templates to automaton), `search` (the walk), `confidence`
//! (evidence to a probability) and `words` (word lists and costs).

use crate::automaton::{Label, Phrases, SlotMove, SlotRef, StartIndex, TemplateRef, TypeIndex};
use crate::fuzzy::{sound_key, Fuzzy};
use crate::grammar::{Grammar, GrammarType};
use crate::spec::{IntentSet, SlotType};
use crate::values::Value;
use crate::words::{may_be_inside, FILLER_COST, JOINING, NOT_FIRST, NOT_LAST, UNLISTED_LEAD};
use crate::{Language, MatchParams, Slot};
use foldhash::{HashMap, HashMapExt, HashSet};
use rphonetic::DoubleMetaphone;

/// All templates of an [`IntentSet`], compiled for matching.
pub struct Matcher {
    pub(crate) set: IntentSet,
    pub(crate) params: MatchParams,
    pub(crate) words: HashMap<String, u32>,
    pub(crate) word_text: Vec<String>,
    /// Known words, with their sound keys, for misheard ones.
    pub(crate) vocab: Fuzzy,
    pub(crate) word_sound: Vec<String>,
    /// Per known word: the languages whose templates say it (bits by
    /// [`language_bit`]).
    pub(crate) word_languages: Vec<u8>,
    /// Cost of a template word not being said.
    pub(crate) word_del: Vec<f32>,
    /// The fillers of the languages the intents are in.
    pub(crate) fillers: HashSet<&'static str>,
    /// Per known word: it is one of [`SWAPPABLE`].
    pub(crate) swappable: Vec<bool>,
    /// ln(1 + k) for k matched words, for bounding confidences.
    pub(crate) ln1p: Vec<f32>,
    /// Known words each known word sounds or is spelt like.
    pub(crate) word_near: Vec<Vec<(u32, f32)>>,
    /// The automaton's edges laid out flat (state i's are
    /// `edges[edge_index[i]..edge_index[i + 1]]`) and their accepts
    /// (NONE or a template): what the search walks.
    pub(crate) edge_index: Vec<u32>,
    pub(crate) edges: Vec<(Label, u32)>,
    pub(crate) accepts: Vec<u32>,
    /// Per edge: skipping its word leads somewhere the state could not
    /// reach for free (false for optional words).
    pub(crate) del_useful: Vec<bool>,
    pub(crate) start_words: StartIndex,
    /// Start-state slot moves, grouped by slot type: (type, [(slot, target, cost)]).
    pub(crate) start_slots: Vec<(u32, Vec<SlotMove>)>,
    pub(crate) slot_refs: Vec<SlotRef>,
    pub(crate) types: Vec<TypeIndex>,
    pub(crate) phrases: Phrases,
    /// Template id → (intent index, template index in the intent, fixed slots).
    pub(crate) templates: Vec<TemplateRef>,
    pub(crate) skip: HashSet<String>,
    pub(crate) metaphone: DoubleMetaphone,
    /// Distinguishes this matcher's entries in the per-thread caches.
    pub(crate) id: u64,
    /// The templates of bare answers per (intent, language, slot), compiled
    /// when first asked for ([`Matcher::slot_answers`]).
    pub(crate) answers: std::sync::Mutex<AnswerReaders>,
}

/// The compiled templates of bare answers per (intent, language, slot);
/// `None` where the intent has no such slot.
pub(crate) type AnswerReaders = HashMap<(String, Language, String), Option<std::sync::Arc<Matcher>>>;

/// Longest text parsed, in bytes, and in words: a spoken command is a
/// sentence or two; dictation is not parsed into an intent.
pub const MAX_TEXT_BYTES: usize = 1_000;
pub const MAX_WORDS: usize = 64;

impl Matcher {
    pub fn intents(&self) -> &IntentSet {
        &self.set
    }

    pub fn params(&self) -> MatchParams {
        self.params
    }

    /// The templates as a prefix acceptor for guiding a recogniser.
    pub fn grammar(&self) -> Grammar {
        Grammar {
            edge_index: self.edge_index.clone(),
            edges: self.edges.clone(),
            accepts: self.accepts.clone(),
            word_text: self.word_text.clone(),
            slot_types: self.slot_refs.iter().map(|s| s.type_id).collect(),
            types: self.types.iter().map(|t| GrammarType::from_index(t, &self.set.lists)).collect(),
            template_intent: self.templates.iter().map(|t| self.set.intents[t.0 as usize].name.clone()).collect(),
            skip: self.skip.clone(),
        }
    }

    /// The language `text` is most likely in, judged by the templates'
    /// words it uses ("saya mau ke bandara" is Indonesian to a set of
    /// English and Indonesian intents): for a sentence no template reads,
    /// typed or heard by a recogniser that did not say. `None` when no
    /// known word leans one way.
    pub fn language_of(&self, text: &str) -> Option<Language> {
        let mut counts = [0usize; Language::ALL.len()];
        for w in crate::words(text) {
            let Some(&id) = self.words.get(&w) else { continue };
            let bits = self.word_languages[id as usize];
            // A word of every loaded language says nothing.
            if bits.count_ones() == 1 {
                counts[bits.trailing_zeros() as usize] += 1;
            }
        }
        let best = *counts.iter().max()?;
        let mut leaders = Language::ALL.into_iter().zip(counts).filter(|&(_, c)| c == best && c > 0);
        match (leaders.next(), leaders.next()) {
            (Some((l, _)), None) => Some(l),
            _ => None,
        }
    }

    /// Number of automaton states, for the curious.
    pub fn state_count(&self) -> usize {
        self.accepts.len()
    }

    /// The known words (or list phrases) `s` sounds or is spelt like,
    /// remembered per thread and matcher.
    pub(crate) fn remembered_near(&self, space: Space, s: &str, key: &str) -> Vec<(u32, f32)> {
        NEAR.with(|cache| {
            let mut cache = cache.borrow_mut();
            let k = (self.id, space, s.to_string());
            if let Some(v) = cache.get(&k) {
                return v.clone();
            }
            if cache.len() >= SOUND_CACHE {
                cache.clear();
            }
            let mut out = Vec::new();
            match space {
                Space::Words => self.vocab.near(s, key, &mut out),
                Space::Phrases => self.phrases.fuzzy.near(s, key, &mut out),
            }
            cache.insert(k, out.clone());
            out
        })
    }

    /// The sound key of `s`, remembered per thread: transcripts repeat
    /// their words, and Double Metaphone is not cheap.
    pub(crate) fn sound(&self, s: &str) -> String {
        SOUNDS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(k) = cache.get(s) {
                return k.clone();
            }
            if cache.len() >= SOUND_CACHE {
                cache.clear();
            }
            let k = sound_key(&self.metaphone, s);
            cache.insert(s.to_string(), k.clone());
            k
        })
    }

    /// Where in `words` a second request may be joined on to a first
    /// ("... to the airport and order a pizza", "... dan pesan makan"):
    /// the end of the first and the start of the second, at joining words
    /// before a word some template opens with (fillers and politeness
    /// aside). Whether both are requests is for a reading to say.
    pub fn joined_request<S: AsRef<str>>(&self, words: &[S]) -> Option<(usize, usize)> {
        let opens = |w: &str| !self.is_filler(w) && self.words.get(w).is_some_and(|id| self.start_words.contains_key(id));
        let joins = |i: usize| JOINING.contains(&words[i].as_ref());
        let at = (1..words.len().saturating_sub(1)).find(|&i| joins(i) && opens(words[i + 1].as_ref()))?;
        let first = (1..=at).rev().find(|&e| !joins(e - 1)).unwrap_or(at);
        Some((first, at + 1))
    }

    pub(crate) fn is_filler(&self, w: &str) -> bool {
        self.fillers.contains(w)
    }

    pub(crate) fn del_cost(&self, w: u32) -> f32 {
        self.word_del[w as usize]
    }

    /// What leaving out word `w` (followed by `next`) costs.
    pub(crate) fn ins_cost(&self, w: &str, next: Option<&str>) -> f32 {
        if self.skip.contains(w) {
            // As in hassil: skip words are not there at all.
            0.0
        } else if self.is_filler(w) {
            FILLER_COST
        } else if crate::numbers::says_a_number(w) || (w == "one" && next.is_some_and(crate::numbers::says_a_number)) {
            // A number left out beside a value reads another amount:
            // "nineteen ninety nine dollars" as $99, "10 20 dollars" as $20,
            // "one fifty" as $50.
            f32::INFINITY
        } else {
            0.8
        }
    }

    /// A value for an open list slot (places, contacts) that the list does
    /// not know, taken as said: "grand indonesia" for "Where to?". `None`
    /// for other slots, or more words than the list allows.
    pub fn unlisted_value(&self, intent: &str, language: Language, slot: &str, text: &str) -> Option<Slot> {
        let spec = self.set.intent_in(intent, language)?.slot(slot)?;
        let SlotType::List(list) = spec.ty else { return None };
        let limit = self.set.lists.get(list)?.open?;
        let words = crate::words(text);
        let lead = words.iter().take_while(|w| UNLISTED_LEAD.contains(&w.as_str())).count();
        // The words a name may not end on are the sentence's ("mum like",
        // "home now"); one it may not begin with or hold is no name.
        let end = words.iter().rposition(|w| !NOT_LAST.contains(&w.as_str())).map_or(lead, |i| (i + 1).max(lead));
        let value = &words[lead..end];
        // A value of several things is held to the limit thing by thing.
        let longest = match spec.several {
            true => crate::items(&value.join(" "), language).iter().map(|i| crate::words(&i.name).len()).max().unwrap_or(0),
            false => value.len(),
        };
        if value.is_empty() || longest > limit || NOT_FIRST.contains(&value[0].as_str()) || !value.iter().all(|w| may_be_inside(w)) {
            return None;
        }
        // Numbers alone name no one and nothing, as in the search.
        if value.iter().all(|w| crate::numbers::says_a_number(w)) {
            return None;
        }
        let value = value.join(" ");
        Some(Slot { name: slot.to_owned(), value: Value::Text(value.clone()), raw: value, sensitive: spec.sensitive })
    }
}

/// `language`'s bit in [`Matcher::word_languages`].
pub(crate) fn language_bit(language: Language) -> u8 {
    1 << Language::ALL.iter().position(|&l| l == language).unwrap_or(0)
}

/// Most sound keys (and neighbour lists) remembered per thread.
const SOUND_CACHE: usize = 8192;

/// Which fuzzy index a remembered neighbour list came from.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Space {
    Words,
    Phrases,
}

/// Tells matchers apart in the per-thread caches.
pub(crate) static NEXT_MATCHER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

type NearCache = HashMap<(u64, Space, String), Vec<(u32, f32)>>;

thread_local! {
    static NEAR: std::cell::RefCell<NearCache> = std::cell::RefCell::new(HashMap::new());
    static SOUNDS: std::cell::RefCell<HashMap<String, String>> = std::cell::RefCell::new(HashMap::new());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Intent;

    const RIDE: &str = r#"
lists:
  place:
    airport: [the airport, airport terminal]
    home: []
    work: [the office, office]
  biller:
    electricity: [power, pln, electric]
    water: [pdam]
rules:
  polite: "(please|kindly)"
skip_words: [um, uh]
intents:
  order_ride:
    slots: {destination: place, pickup: place, time: time}
    required: [destination]
    templates:
      - "[<polite>] (book|order|get) [me] a (ride|car|taxi) to {destination} [from {pickup}] [{time}]"
      - "i need a (ride|car|taxi) to {destination}"
  pay_bill:
    confirm: true
    slots:
      biller: biller
      amount: {type: money, sensitive: true}
    templates:
      - "pay [my] {biller} bill [of {amount}]"
  send_message:
    slots: {contact: place, message: {type: wildcard, max_words: 10}}
    templates:
      - "(text|message) {contact} {message}"
"#;

    fn matcher() -> Matcher {
        let set = IntentSet::from_sources(&[("test.yaml", RIDE)]).unwrap();
        Matcher::new(set, MatchParams::default())
    }

    fn text(i: &Intent, slot: &str) -> Option<String> {
        i.slot(slot).map(|s| s.value.to_string())
    }

    #[test]
    fn exact_and_fuzzy() {
        let m = matcher();
        let i = m.parse("Please book me a ride to the airport at 5:30 p.m.").unwrap();
        assert_eq!(i.name, "order_ride");
        assert_eq!(text(&i, "destination").as_deref(), Some("airport"));
        assert_eq!(i.slot("time").unwrap().value.to_string(), "17:30");
        assert_eq!(i.cost, 0.0);
        assert!(i.confidence > 0.9, "{i:?}");

        let i = m.parse("book me a right to the airport").unwrap();
        assert_eq!(i.name, "order_ride", "{i:?}");
        assert_eq!(text(&i, "destination").as_deref(), Some("airport"));

        let i = m.parse("pay my electric city bill").unwrap();
        assert_eq!((i.name.as_str(), text(&i, "biller").as_deref()), ("pay_bill", Some("electricity")));

        let i = m.parse("pay my PLN bill of Rp 50.000").unwrap();
        assert_eq!(i.slot("amount").unwrap().value, Value::Money(crate::Money { minor: 5_000_000, exponent: 2, currency: Some("IDR".into()) }));
        assert!(format!("{:?}", i.slot("amount").unwrap()).contains("redacted"));

        let i = m.parse("text home I'm running late").unwrap();
        assert_eq!(i.slot("message").unwrap().raw, "I'm running late");

        assert!(m.parse("what is the weather like in paris").is_none());
        assert!(m.parse("").is_none());
        let nb = m.parse_nbest("book a car to work", 3);
        assert_eq!(nb[0].name, "order_ride");
        assert!(nb.windows(2).all(|w| w[0].cost <= w[1].cost));
    }

    #[test]
    fn two_word_phrases_heard_as_three_sound_alike_words() {
        let yaml =
            "lists:\n  feature: [heated seat, fog lights]\nintents:\n  turn_on:\n    slots: {feature: feature}\n    templates: [\"turn on the {feature}\"]\n";
        let m = Matcher::new(IntentSet::from_sources(&[("car.yaml", yaml)]).unwrap(), MatchParams::default());
        for (heard, meant) in [("turn on the heat it seat", "heated seat"), ("Turn on the frog lights.", "fog lights")] {
            let i = m.parse(heard).unwrap_or_else(|| panic!("{heard}: not understood"));
            assert_eq!(text(&i, "feature").as_deref(), Some(meant), "{heard}");
            assert!(i.cost > 0.0, "{heard}: a sound-alike is not free");
        }
        assert!(m.parse("turn on the heat").is_none());
    }
}
