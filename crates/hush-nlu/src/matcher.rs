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

use crate::fuzzy::{sound_key, Fuzzy};
use crate::grammar::{Grammar, GrammarType};
use crate::normalize::{tokenize, Token};
use crate::spec::{IntentSet, SlotType};
use crate::template::Expr;
use crate::values::{parse_builtin, Builtin, Value};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rphonetic::DoubleMetaphone;
use serde::Serialize;
use std::fmt;

/// How forgiving the matcher is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchParams {
    /// Parses below this confidence are "not understood". The confidence
    /// is calibrated: at 0.3, on SLURP devel, 97 % of accepted in-domain
    /// parses are right and 97.7 % of out-of-domain sentences are rejected.
    pub threshold: f32,
    /// Paths costing more than this are abandoned.
    pub max_cost: f32,
    /// Paths costing this much more than the best at the same point are
    /// abandoned.
    pub beam: f32,
}

impl Default for MatchParams {
    fn default() -> Self {
        MatchParams { threshold: 0.3, max_cost: 3.0, beam: 1.0 }
    }
}

/// A slot filled by a parse.
#[derive(Clone, PartialEq, Serialize)]
pub struct Slot {
    pub name: String,
    pub value: Value,
    /// The words of the transcript it came from, as written there (empty
    /// for values a template fixes).
    pub raw: String,
    /// Marked `sensitive:` in the intent file: never print it in logs.
    pub sensitive: bool,
}

/// `Debug` (and so every `tracing` field) hides sensitive values.
impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sensitive {
            write!(f, "Slot {{ name: {:?}, value: <redacted> }}", self.name)
        } else {
            write!(f, "Slot {{ name: {:?}, value: {:?}, raw: {:?} }}", self.name, self.value, self.raw)
        }
    }
}

/// An understood request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intent {
    pub name: String,
    pub slots: Vec<Slot>,
    /// In [0, 1]: how likely this parse is right.
    pub confidence: f32,
    /// Total edit cost of the match (0 = a template matched word for word).
    pub cost: f32,
    /// Required slots the utterance did not give.
    pub missing: Vec<String>,
    /// The template that matched, as written in its intent file.
    pub template: String,
    /// What the confidence was computed from.
    pub evidence: Evidence,
}

/// How well a template explained an utterance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evidence {
    pub words: usize,
    /// Words matched by template words exactly, or by listed or built-in
    /// slot values.
    pub matched: usize,
    /// Words taken as free text (wildcards, unlisted values).
    pub free: usize,
    /// Cost of misheard and extra words.
    pub edit_cost: f32,
    /// Cost of template words that were not said.
    pub skip_cost: f32,
    /// Cost of the free text (unlisted values are less likely than listed).
    pub free_cost: f32,
}

impl Slot {
    /// The slot as JSON for logs and reports: a sensitive value and the
    /// words it came from are replaced by `"<redacted>"` unless `reveal`.
    pub fn to_json(&self, reveal: bool) -> serde_json::Value {
        let hide = self.sensitive && !reveal;
        serde_json::json!({
            "name": self.name,
            "value": if hide { serde_json::json!("<redacted>") } else { serde_json::to_value(&self.value).unwrap_or_default() },
            "raw": if hide { "<redacted>" } else { self.raw.as_str() },
            "sensitive": self.sensitive,
        })
    }
}

impl Intent {
    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.name == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Label {
    Word(u32),
    Slot(u32),
}

#[derive(Debug, Clone, Default)]
struct State {
    edges: Vec<(Label, u32)>,
    /// Template completed here.
    accept: Option<u32>,
}

#[derive(Debug)]
struct SlotRef {
    name: String,
    type_id: u32,
    sensitive: bool,
}

/// A list slot type: which list, and how many words its phrases have.
#[derive(Debug)]
pub(crate) struct ListIndex {
    pub(crate) list: u32,
    max_words: usize,
    /// Unlisted phrases of up to this many words are taken as said.
    pub(crate) open: usize,
}

/// Every phrase of every list, so that a stretch of words is looked up
/// once for all the lists that might want it.
#[derive(Debug)]
struct Phrases {
    /// Phrase words joined by spaces → (list, value).
    exact: HashMap<String, Vec<(u32, u32)>>,
    /// Phrase without spaces ("electric city" = "electricity").
    squashed: HashMap<String, Vec<(u32, u32)>>,
    /// Squashed phrases that sound or are spelt like what was heard.
    fuzzy: Fuzzy,
    /// Fuzzy item → (list, value).
    fuzzy_value: Vec<(u32, u32)>,
    max_words: usize,
    /// Every prefix of every phrase, spaced and run together: a stretch of
    /// words that is none cannot grow into a phrase.
    prefixes: HashSet<String>,
}

#[derive(Debug)]
pub(crate) enum TypeIndex {
    List(ListIndex),
    Builtin { ty: Builtin, min: Option<f64>, max: Option<f64>, max_words: usize },
}

/// Start-state moves for one word: (target, cost) for templates starting
/// with it, or starting with it after one skipped word.
type StartIndex = HashMap<u32, Vec<(u32, f32)>>;

/// A slot edge out of the start state: (slot, target state, cost).
type SlotMove = (u32, u32, f32);

/// A compiled template: (intent index, template index in the intent, fixed slots).
type TemplateRef = (u32, u32, Vec<(String, String)>);

/// A list phrase heard: (list, value, cost).
type Hit = (u32, u32, f32);

/// All templates of an [`IntentSet`], compiled for matching.
pub struct Matcher {
    set: IntentSet,
    params: MatchParams,
    words: HashMap<String, u32>,
    word_text: Vec<String>,
    /// Known words, with their sound keys, for misheard ones.
    vocab: Fuzzy,
    word_sound: Vec<String>,
    /// Cost of a template word not being said.
    word_del: Vec<f32>,
    /// Per known word: it is one of [`SWAPPABLE`].
    swappable: Vec<bool>,
    /// ln(1 + k) for k matched words, for bounding confidences.
    ln1p: Vec<f32>,
    /// Known words each known word sounds or is spelt like.
    word_near: Vec<Vec<(u32, f32)>>,
    /// The automaton's edges laid out flat (state i's are
    /// `edges[edge_index[i]..edge_index[i + 1]]`) and their accepts
    /// (NONE or a template): what the search walks.
    edge_index: Vec<u32>,
    edges: Vec<(Label, u32)>,
    accepts: Vec<u32>,
    /// Per edge: skipping its word leads somewhere the state could not
    /// reach for free (false for optional words).
    del_useful: Vec<bool>,
    start_words: StartIndex,
    /// Start-state slot moves, grouped by slot type: (type, [(slot, target, cost)]).
    start_slots: Vec<(u32, Vec<SlotMove>)>,
    slot_refs: Vec<SlotRef>,
    types: Vec<TypeIndex>,
    phrases: Phrases,
    /// Template id → (intent index, template index in the intent, fixed slots).
    templates: Vec<TemplateRef>,
    skip: HashSet<String>,
    metaphone: DoubleMetaphone,
    /// Distinguishes this matcher's entries in the per-thread caches.
    id: u64,
}

/// Edges of a state beyond which skipping into it is not checked for
/// being free (see `compile`).
const DOMINANCE_CHECK: usize = 256;

/// Longest text parsed, in bytes, and in words: a spoken command is a
/// sentence or two; dictation is not parsed into an intent.
pub const MAX_TEXT_BYTES: usize = 1_000;
pub const MAX_WORDS: usize = 64;

const FILLERS: &[&str] = &[
    "um", "uh", "erm", "hmm", "ah", "oh", "the", "a", "an", "please", "just", "like", "so", "okay", "ok", "hey", "now", "then", "me", "my", "some", "can",
    "you", "could", "would", "i", "of", "and", "is", "it", "that", "there", "well", "actually", "kindly",
];

/// Words that begin no name, place or title ("me", "about", "to"...):
/// they belong to the sentence around the slot.
pub(crate) const NOT_FIRST: &[&str] = &[
    "me", "my", "us", "our", "you", "your", "him", "her", "his", "them", "their", "it", "its", "i", "we", "to", "of", "for", "from", "at", "in", "on", "about",
    "with", "and", "or", "is", "are", "was", "please", "what", "when", "where", "how", "who", "which", "that", "some", "any", "do", "does", "can", "could",
    "would", "will", "should", "not", "so", "if", "by", "off", "out", "again",
];

/// Words found in no name, place or dish.
pub(crate) const NOT_INSIDE: &[&str] = &["for", "to", "from", "at", "please"];

/// Words that end no name, place or title.
pub(crate) const NOT_LAST: &[&str] = &[
    "the", "a", "an", "me", "my", "us", "our", "your", "to", "of", "for", "from", "at", "in", "on", "about", "with", "and", "or", "please", "that", "some",
    "any", "by", "again", "now",
];

/// Words said before an unlisted value ("to grand indonesia").
const UNLISTED_LEAD: &[&str] = &["um", "uh", "oh", "to", "at", "from", "the"];

const START: u32 = 0;

/// Longest stretch of words matched to a list phrase by sound or spelling.
const FUZZY_SPAN: usize = 2;

/// Cost of hearing one short function word for another ("to" for "a").
const FUNCTION_SWAP_COST: f32 = 0.5;

/// The short function words ASR swaps for one another.
const SWAPPABLE: &[&str] = &["a", "an", "the", "to", "of", "for", "my", "me", "in", "on", "at", "and", "your", "this"];

/// Cost of hearing a word unlike the one the template has.
const UNRELATED_COST: f32 = 1.2;

/// Lowest confidence an n-best list (n > 1) goes down to.
const N_BEST_FLOOR: f32 = 0.02;

/// Beam of an n-best search.
const N_BEST_BEAM: f32 = 3.0;

/// Cost of a word repeated right after itself.
const STUTTER_COST: f32 = 0.1;

/// Words before a template that cost at most [`LEAD_COST`] each.
const LEAD_WORDS: usize = 2;
const LEAD_COST: f32 = 0.3;

struct Nfa {
    states: Vec<State>,
    eps: Vec<Vec<u32>>,
}

impl Nfa {
    fn add(&mut self) -> u32 {
        self.states.push(State::default());
        self.eps.push(Vec::new());
        (self.states.len() - 1) as u32
    }
}

impl Matcher {
    /// Compiles every template of `set`.
    pub fn new(set: IntentSet, params: MatchParams) -> Matcher {
        let mut m = Matcher {
            set,
            params,
            words: HashMap::new(),
            word_text: Vec::new(),
            vocab: Fuzzy::new(),
            word_sound: Vec::new(),
            word_del: Vec::new(),
            word_near: Vec::new(),
            swappable: Vec::new(),
            ln1p: (0..=130).map(|k| (1.0 + k as f32).ln()).collect(),
            edge_index: Vec::new(),
            edges: Vec::new(),
            accepts: Vec::new(),
            del_useful: Vec::new(),
            start_words: HashMap::new(),
            start_slots: Vec::new(),
            slot_refs: Vec::new(),
            types: Vec::new(),
            phrases: Phrases {
                exact: HashMap::new(),
                squashed: HashMap::new(),
                fuzzy: Fuzzy::new(),
                fuzzy_value: Vec::new(),
                max_words: 1,
                prefixes: HashSet::new(),
            },
            templates: Vec::new(),
            skip: HashSet::new(),
            metaphone: DoubleMetaphone::new(Some(10)),
            id: NEXT_MATCHER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        m.skip = m.set.skip_words.iter().cloned().collect();
        m.index_phrases();
        m.compile();
        m.word_near = (0..m.word_text.len())
            .map(|i| {
                let mut out = Vec::new();
                m.vocab.near(&m.word_text[i], &m.word_sound[i], &mut out);
                out
            })
            .collect();
        m
    }

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

    /// Number of automaton states, for the curious.
    pub fn state_count(&self) -> usize {
        self.accepts.len()
    }

    /// The known words (or list phrases) `s` sounds or is spelt like,
    /// remembered per thread and matcher.
    fn remembered_near(&self, space: Space, s: &str, key: &str) -> Vec<(u32, f32)> {
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
    fn sound(&self, s: &str) -> String {
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

    fn word_id(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.words.get(w) {
            return id;
        }
        let id = self.word_text.len() as u32;
        self.words.insert(w.to_string(), id);
        self.word_text.push(w.to_string());
        let key = self.sound(w);
        self.vocab.insert(w, &key);
        self.word_sound.push(key);
        self.word_del.push(if self.is_filler(w) { 0.4 } else { 0.9 });
        self.swappable.push(SWAPPABLE.contains(&w));
        id
    }

    fn type_id(&mut self, ty: &SlotType, cache: &mut Vec<SlotType>) -> u32 {
        if let Some(i) = cache.iter().position(|t| t == ty) {
            return i as u32;
        }
        let index = match ty {
            SlotType::List(i) => {
                let list = &self.set.lists[*i];
                let max_words = list.values.iter().flat_map(|v| &v.phrases).map(|p| crate::normalize::words(p).len()).max().unwrap_or(1);
                TypeIndex::List(ListIndex { list: *i as u32, max_words, open: list.open.unwrap_or(0) })
            }
            &SlotType::Builtin { ty, min, max, max_words } => TypeIndex::Builtin { ty, min, max, max_words },
        };
        cache.push(ty.clone());
        self.types.push(index);
        (self.types.len() - 1) as u32
    }

    fn index_phrases(&mut self) {
        let mut p =
            Phrases { exact: HashMap::new(), squashed: HashMap::new(), fuzzy: Fuzzy::new(), fuzzy_value: Vec::new(), max_words: 1, prefixes: HashSet::new() };
        for (li, list) in self.set.lists.iter().enumerate() {
            for (vi, v) in list.values.iter().enumerate() {
                let id = (li as u32, vi as u32);
                for phrase in &v.phrases {
                    let w = crate::normalize::words(phrase);
                    p.max_words = p.max_words.max(w.len());
                    let squashed: String = w.concat();
                    for text in [w.join(" "), squashed.clone()] {
                        for (i, _) in text.char_indices().skip(1) {
                            p.prefixes.insert(text[..i].to_string());
                        }
                        p.prefixes.insert(text);
                    }
                    for (map, key) in [(&mut p.exact, w.join(" ")), (&mut p.squashed, squashed.clone())] {
                        let ids = map.entry(key).or_default();
                        if !ids.iter().any(|x| x.0 == id.0) {
                            ids.push(id);
                        }
                    }
                    p.fuzzy.insert(&squashed, &sound_key(&self.metaphone, &squashed));
                    p.fuzzy_value.push(id);
                }
            }
        }
        self.phrases = p;
    }

    fn compile(&mut self) {
        let mut nfa = Nfa { states: Vec::new(), eps: Vec::new() };
        let start = nfa.add();
        let mut type_cache = Vec::new();
        let mut slot_ids: HashMap<(u32, String), u32> = HashMap::new();
        let intents = self.set.intents.clone();
        for (ii, intent) in intents.iter().enumerate() {
            for (ti, t) in intent.templates.iter().enumerate() {
                let tid = self.templates.len() as u32;
                self.templates.push((ii as u32, ti as u32, t.fixed.clone()));
                let (s, e) = (nfa.add(), nfa.add());
                nfa.eps[start as usize].push(s);
                nfa.states[e as usize].accept = Some(tid);
                let mut ctx = Ctx { intent: ii as u32, slot_ids: &mut slot_ids, type_cache: &mut type_cache, depth: 0 };
                self.build(&mut nfa, &t.expr, s, e, &mut ctx);
            }
        }
        let states = eliminate_epsilons(&nfa);
        self.edge_index.push(0);
        for st in &states {
            self.edges.extend_from_slice(&st.edges);
            self.edge_index.push(self.edges.len() as u32);
            self.accepts.push(st.accept.unwrap_or(NONE));
            let own: HashSet<(Label, u32)> = st.edges.iter().copied().collect();
            for &(_, to) in &st.edges {
                let t = &states[to as usize];
                // Past DOMINANCE_CHECK edges the skip is kept as if useful: the
                // search then tries a move that cannot win (same results),
                // and a long run of optional words compiles in linear time
                // per edge rather than quadratic.
                let dominated = t.edges.len() <= DOMINANCE_CHECK && t.edges.iter().all(|e| own.contains(e)) && (t.accept.is_none() || t.accept == st.accept);
                self.del_useful.push(!dominated);
            }
        }
        // The start state is indexed by word, including templates whose
        // first word was not said ("ride to the airport" for "get a ride ...").
        let mut index: StartIndex = HashMap::new();
        let mut slots = Vec::new();
        for &(label, to) in &states[START as usize].edges {
            match label {
                Label::Word(w) => {
                    index.entry(w).or_default().push((to, 0.0));
                    for &(l2, to2) in &states[to as usize].edges {
                        match l2 {
                            Label::Word(w2) => index.entry(w2).or_default().push((to2, self.del_cost(w))),
                            Label::Slot(s) => slots.push((s, to2, self.del_cost(w))),
                        }
                    }
                }
                Label::Slot(s) => slots.push((s, to, 0.0)),
            }
        }
        for v in index.values_mut() {
            v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            v.dedup_by_key(|x| x.0);
        }
        self.start_words = index;
        let mut grouped: Vec<(u32, Vec<SlotMove>)> = Vec::new();
        for (slot, to, c) in slots {
            let ty = self.slot_refs[slot as usize].type_id;
            match grouped.iter_mut().find(|g| g.0 == ty) {
                Some(g) => g.1.push((slot, to, c)),
                None => grouped.push((ty, vec![(slot, to, c)])),
            }
        }
        self.start_slots = grouped;
    }

    fn build(&mut self, nfa: &mut Nfa, e: &Expr, from: u32, to: u32, ctx: &mut Ctx) {
        match e {
            Expr::Word(w) => {
                let id = self.word_id(w);
                nfa.states[from as usize].edges.push((Label::Word(id), to));
            }
            Expr::Seq(items) => {
                let mut cur = from;
                for (i, item) in items.iter().enumerate() {
                    let next = if i + 1 == items.len() { to } else { nfa.add() };
                    self.build(nfa, item, cur, next, ctx);
                    cur = next;
                }
                if items.is_empty() {
                    nfa.eps[from as usize].push(to);
                }
            }
            Expr::Alt(branches) => {
                for b in branches {
                    let (s, t) = (nfa.add(), nfa.add());
                    nfa.eps[from as usize].push(s);
                    nfa.eps[t as usize].push(to);
                    self.build(nfa, b, s, t, ctx);
                }
            }
            Expr::Opt(inner) => {
                nfa.eps[from as usize].push(to);
                self.build(nfa, inner, from, to, ctx);
            }
            Expr::Slot { name, .. } => {
                let intent = &self.set.intents[ctx.intent as usize];
                // The loader declared every referenced slot.
                let Some(spec) = intent.slot(name).cloned() else { return };
                let key = (ctx.intent, name.clone());
                let id = match ctx.slot_ids.get(&key) {
                    Some(&id) => id,
                    None => {
                        let type_id = self.type_id(&spec.ty, ctx.type_cache);
                        self.slot_refs.push(SlotRef { name: name.clone(), type_id, sensitive: spec.sensitive });
                        let id = (self.slot_refs.len() - 1) as u32;
                        ctx.slot_ids.insert(key, id);
                        id
                    }
                };
                nfa.states[from as usize].edges.push((Label::Slot(id), to));
            }
            Expr::Rule(name) => {
                // The loader rejected missing and recursive rules; the depth
                // bound keeps a hand-built set from looping anyway.
                if let Some(body) = self.set.rules.get(name).cloned().filter(|_| ctx.depth < 32) {
                    ctx.depth += 1;
                    self.build(nfa, &body, from, to, ctx);
                    ctx.depth -= 1;
                }
            }
        }
    }

    fn is_filler(&self, w: &str) -> bool {
        FILLERS.contains(&w)
    }

    fn del_cost(&self, w: u32) -> f32 {
        self.word_del[w as usize]
    }

    fn ins_cost(&self, w: &str) -> f32 {
        if self.skip.contains(w) {
            // As in hassil: skip words are not there at all.
            0.0
        } else if self.is_filler(w) {
            0.4
        } else {
            0.8
        }
    }

    /// A value for an open list slot (places, contacts) that the list does
    /// not know, taken as said: "grand indonesia" for "Where to?". `None`
    /// for other slots, or more words than the list allows.
    pub fn unlisted_value(&self, intent: &str, slot: &str, text: &str) -> Option<Slot> {
        let spec = self.set.intent(intent)?.slot(slot)?;
        let SlotType::List(list) = spec.ty else { return None };
        let limit = self.set.lists.get(list)?.open?;
        let words = crate::words(text);
        let lead = words.iter().take_while(|w| UNLISTED_LEAD.contains(&w.as_str())).count();
        let value = &words[lead..];
        if value.is_empty() || value.len() > limit {
            return None;
        }
        let value = value.join(" ");
        Some(Slot { name: slot.to_owned(), value: Value::Text(value.clone()), raw: value, sensitive: spec.sensitive })
    }

    /// Parses a transcript: the best intent above the threshold, if any.
    pub fn parse(&self, text: &str) -> Option<Intent> {
        self.parse_nbest(text, 1).into_iter().next().filter(|i| i.confidence >= self.params.threshold)
    }

    /// The `n` best parses (one per intent), best first, whatever their
    /// confidence.
    pub fn parse_nbest(&self, text: &str, n: usize) -> Vec<Intent> {
        // Longer text is no command: refused before any work on it.
        if text.len() > MAX_TEXT_BYTES || n == 0 {
            return Vec::new();
        }
        let tokens = tokenize(text);
        if tokens.is_empty() || tokens.len() > MAX_WORDS {
            return Vec::new();
        }
        // Paths that could only end below `floor` confidence are not worth
        // following.
        let floor = if n == 1 { self.params.threshold } else { N_BEST_FLOOR.min(self.params.threshold) };
        BEST.with(|b| {
            let mut best = b.borrow_mut();
            Search::new(self, text, &tokens, floor, &mut best).run(n)
        })
    }
}

struct Ctx<'a> {
    intent: u32,
    slot_ids: &'a mut HashMap<(u32, String), u32>,
    type_cache: &'a mut Vec<SlotType>,
    depth: usize,
}

/// Removes epsilon moves: each state gets the word and slot edges of every
/// state it reaches by epsilons, and their accepts. States reachable only
/// through epsilons drop out.
fn eliminate_epsilons(nfa: &Nfa) -> Vec<State> {
    let n = nfa.states.len();
    // Work in proportion to the closures and edges made: a state's closure
    // is marked with a stamp rather than searched, and its edges are
    // deduplicated through a set (a run of n optional words makes n²/2
    // edges, which a search of each state's list would make n³).
    let mut stamp = vec![u32::MAX; n];
    let mut closure = Vec::new();
    let mut stack = Vec::new();
    let mut edges_seen: HashSet<(Label, u32)> = HashSet::new();
    let mut new_id = vec![u32::MAX; n];
    let mut order = vec![START];
    new_id[START as usize] = 0;
    let mut out: Vec<State> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let old = order[i];
        let tag = i as u32;
        closure.clear();
        stamp[old as usize] = tag;
        closure.push(old);
        stack.push(old);
        while let Some(x) = stack.pop() {
            for &y in &nfa.eps[x as usize] {
                if stamp[y as usize] != tag {
                    stamp[y as usize] = tag;
                    closure.push(y);
                    stack.push(y);
                }
            }
        }
        let mut st = State::default();
        edges_seen.clear();
        for &c in &closure {
            let src = &nfa.states[c as usize];
            if st.accept.is_none() {
                st.accept = src.accept;
            }
            for &(label, to) in &src.edges {
                if new_id[to as usize] == u32::MAX {
                    new_id[to as usize] = order.len() as u32;
                    order.push(to);
                }
                let edge = (label, new_id[to as usize]);
                if edges_seen.insert(edge) {
                    st.edges.push(edge);
                }
            }
        }
        out.push(st);
        i += 1;
    }
    out
}

#[derive(Clone, Copy)]
struct Entry {
    state: u32,
    pos: u16,
    cost: f32,
    /// Last slot fill on this path (index into `fills`), or NONE.
    trace: u32,
    /// Words taken as free text (wildcards, unlisted values): they are
    /// no evidence for the template.
    free: u16,
    /// Words matched by the template or a listed value.
    matched: u16,
    /// Part of `cost` that free text cost.
    free_cost: f32,
    /// Part of `cost` that template words not said cost.
    skipped: f32,
}

#[derive(Clone, Copy)]
struct Fill {
    prev: u32,
    slot: u32,
    /// Index into `cands`.
    cand: u32,
}

/// A way a slot reads the words at `start`: `value` None means "the
/// words as said" (free text, unlisted values), made only if it wins.
struct Cand {
    start: u16,
    len: u16,
    cost: f32,
    value: Option<Value>,
}

pub(crate) const NONE: u32 = u32::MAX;

/// A (position × state) table of costs that is cleared by bumping a
/// generation number rather than by writing, reused across parses on a
/// thread: the search touches a few hundred of its cells.
#[derive(Default)]
struct Best {
    generation: u32,
    stamps: Vec<u32>,
    costs: Vec<f32>,
}

impl Best {
    fn reset(&mut self, size: usize) {
        if self.stamps.len() < size {
            self.stamps.resize(size, 0);
            self.costs.resize(size, 0.0);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamps.fill(0);
            self.generation = 1;
        }
    }

    fn get(&self, i: usize) -> Option<f32> {
        (self.stamps[i] == self.generation).then(|| self.costs[i])
    }

    fn set(&mut self, i: usize, cost: f32) {
        self.stamps[i] = self.generation;
        self.costs[i] = cost;
    }
}

/// Most sound keys (and neighbour lists) remembered per thread.
const SOUND_CACHE: usize = 8192;

/// Which fuzzy index a remembered neighbour list came from.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Space {
    Words,
    Phrases,
}

/// Tells matchers apart in the per-thread caches.
static NEXT_MATCHER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

type NearCache = HashMap<(u64, Space, String), Vec<(u32, f32)>>;

thread_local! {
    static NEAR: std::cell::RefCell<NearCache> = std::cell::RefCell::new(HashMap::new());
    static SOUNDS: std::cell::RefCell<HashMap<String, String>> = std::cell::RefCell::new(HashMap::new());
    static BEST: std::cell::RefCell<Best> = std::cell::RefCell::new(Best::default());
}

struct Search<'m> {
    m: &'m Matcher,
    text: &'m str,
    tokens: &'m [Token],
    /// The words' text.
    words: Vec<&'m str>,
    /// Per word: its id if the templates know it.
    ids: Vec<u32>,
    /// Per word: the cost of it not being in the template.
    ins: Vec<f32>,
    /// Per word: known words it sounds or is spelt like, with costs.
    near: Vec<Vec<(u32, f32)>>,
    /// Per word: its sound key.
    sounds: Vec<String>,
    /// Per word: it may begin / end an unlisted value.
    may_begin: Vec<bool>,
    may_end: Vec<bool>,
    /// Per word: it may be inside an unlisted value ("for", "to" join a
    /// sentence's parts, not a name's).
    may_be_inside: Vec<bool>,
    /// Paths whose edits or free text cost more than these cannot reach
    /// the confidence asked for.
    max_cost: f32,
    max_free: f32,
    /// Logit of the lowest confidence worth finding.
    floor_logit: f32,
    /// Paths costing this much more than the best at their position stop.
    beam: f32,
    /// Cheapest cost so far at (position, state).
    best: &'m mut Best,
    layers: Vec<Vec<Entry>>,
    fills: Vec<Fill>,
    cands: Vec<Cand>,
    /// (type, start) → range of `cands`.
    cand_index: HashMap<(u32, u16), (u32, u32)>,
    /// (start, len) → list phrases those words say: (list, value, cost).
    exact_hits: HashMap<(u16, u16), Vec<Hit>>,
    fuzzy_hits: HashMap<(u16, u16), Vec<Hit>>,
    /// Position → how many words could be a list phrase (see `phrase_reach`).
    reach: HashMap<u16, usize>,
    /// Templates completed, with the path's last entry.
    done: Vec<(u32, Entry)>,
}

impl<'m> Search<'m> {
    fn new(m: &'m Matcher, text: &'m str, tokens: &'m [Token], floor: f32, best: &'m mut Best) -> Self {
        let (max_cost, max_free) = cost_limits(floor, tokens.len());
        let max_cost = max_cost.min(m.params.max_cost);
        let floor = floor.clamp(1e-3, 1.0 - 1e-3);
        best.reset((tokens.len() + 1) * m.accepts.len());
        let mut ids = Vec::with_capacity(tokens.len());
        let mut near = Vec::with_capacity(tokens.len());
        let mut sounds = Vec::with_capacity(tokens.len());
        for t in tokens {
            let id = m.words.get(&t.text).copied();
            let (key, out) = match id {
                Some(id) => (m.word_sound[id as usize].clone(), m.word_near[id as usize].clone()),
                None => {
                    let key = m.sound(&t.text);
                    let out = m.remembered_near(Space::Words, &t.text, &key);
                    (key, out)
                }
            };
            ids.push(id.unwrap_or(NONE));
            near.push(out);
            sounds.push(key);
        }
        // A word said twice ("book book a ride") is a stutter, nearly free.
        let ins = tokens.iter().enumerate().map(|(i, t)| if i > 0 && tokens[i - 1].text == t.text { STUTTER_COST } else { m.ins_cost(&t.text) }).collect();
        let may_begin = tokens.iter().map(|t| !NOT_FIRST.contains(&t.text.as_str())).collect();
        let may_end = tokens.iter().map(|t| !NOT_LAST.contains(&t.text.as_str())).collect();
        let may_be_inside = tokens.iter().map(|t| !NOT_INSIDE.contains(&t.text.as_str())).collect();
        Search {
            m,
            text,
            tokens,
            words: tokens.iter().map(|t| t.text.as_str()).collect(),
            ids,
            ins,
            near,
            sounds,
            may_begin,
            may_end,
            may_be_inside,
            max_cost,
            max_free,
            floor_logit: (floor / (1.0 - floor)).ln(),
            // Alternatives to the best parse are what an n-best list is for.
            beam: if floor < m.params.threshold { m.params.beam.max(N_BEST_BEAM) } else { m.params.beam },
            best,
            layers: vec![Vec::new(); tokens.len() + 1],
            fills: Vec::new(),
            cands: Vec::new(),
            cand_index: HashMap::with_capacity(64),
            exact_hits: HashMap::with_capacity(64),
            fuzzy_hits: HashMap::with_capacity(32),
            reach: HashMap::with_capacity(16),
            done: Vec::new(),
        }
    }

    /// The best confidence (as a logit) any completion of `e` could
    /// reach: every word still to come matched, no more edits.
    fn hope(&self, e: &Entry) -> f32 {
        let matched = e.matched as usize + self.tokens.len() - e.pos as usize;
        let edit = e.cost - e.free_cost - e.skipped;
        W_BIAS
            + W_MATCHED * self.m.ln1p[matched.min(self.m.ln1p.len() - 1)]
            + W_EDIT * edit
            + W_SKIP * e.skipped
            + W_FREE * e.free_cost
            + W_UNEXPLAINED.max(0.0)
    }

    fn push(&mut self, e: Entry) {
        if e.cost - e.free_cost > self.max_cost || e.free_cost > self.max_free || self.hope(&e) < self.floor_logit {
            return;
        }
        let key = self.key(e.pos, e.state);
        if self.best.get(key).is_some_and(|c| c <= e.cost) {
            return;
        }
        self.best.set(key, e.cost);
        self.layers[e.pos as usize].push(e);
    }

    fn key(&self, pos: u16, state: u32) -> usize {
        pos as usize * self.m.accepts.len() + state as usize
    }

    /// The candidate readings of a slot type at `pos`, computed once.
    fn cands_at(&mut self, type_id: u32, pos: u16) -> (u32, u32) {
        if let Some(&r) = self.cand_index.get(&(type_id, pos)) {
            return r;
        }
        let from = self.cands.len() as u32;
        self.compute_cands(type_id, pos as usize);
        let r = (from, self.cands.len() as u32);
        self.cand_index.insert((type_id, pos), r);
        r
    }

    fn compute_cands(&mut self, type_id: u32, pos: usize) {
        let rest = self.tokens.len() - pos;
        let start = pos as u16;
        match &self.m.types[type_id as usize] {
            TypeIndex::Builtin { ty: Builtin::Wildcard, max_words, .. } => {
                for len in 1..=rest.min(*max_words) {
                    // Shorter free text leaves more words to the template.
                    self.cands.push(Cand { start, len: len as u16, cost: 0.02 * len as f32, value: None });
                }
            }
            &TypeIndex::Builtin { ty, min, max, .. } => {
                let words = &self.words[pos..(pos + 12).min(self.words.len())];
                if let Some(r) = parse_builtin(ty, words).filter(|r| r.in_range(min, max)) {
                    self.cands.push(Cand { start, len: r.len as u16, cost: r.cost, value: Some(r.value) });
                }
            }
            TypeIndex::List(l) => {
                let first = self.cands.len();
                self.list_cands(l, pos);
                for len in 1..=rest.min(l.open) {
                    if self.cands[first..].iter().any(|c| c.len as usize == len) {
                        continue;
                    }
                    // Names and places do not start or end with "the",
                    // "me", "about"...: those belong to the sentence.
                    if !self.may_begin[pos] || !self.may_end[pos + len - 1] || !self.may_be_inside[pos..pos + len].iter().all(|&ok| ok) {
                        continue;
                    }
                    // An unlisted value is less likely than a listed one and
                    // grows less likely with its length, unless it contains
                    // a listed one ("pepperoni pizza", "the mall of america").
                    let contains_known = (1..len).any(|k| self.says_exactly(pos + k, len - k, l.list) || self.says_exactly(pos, k, l.list));
                    let cost = if contains_known { 0.15 + 0.05 * len as f32 } else { 0.45 + 0.1 * len as f32 };
                    self.cands.push(Cand { start, len: len as u16, cost, value: None });
                }
            }
        }
    }

    fn list_cands(&mut self, l: &ListIndex, pos: usize) {
        let start = pos as u16;
        for len in 1..=(self.tokens.len() - pos).min(l.max_words + 1) {
            let mine = |hits: &[Hit]| hits.iter().filter(|h| h.0 == l.list).min_by(|a, b| a.2.total_cmp(&b.2)).copied();
            let best = match mine(self.exact_hits(pos, len)) {
                Some(h) => Some(h),
                None => mine(self.fuzzy_hits(pos, len)),
            };
            if let Some((list, v, cost)) = best {
                let value = Some(Value::Text(self.m.set.lists[list as usize].values[v as usize].value.clone()));
                self.cands.push(Cand { start, len: len as u16, cost, value });
            }
        }
    }

    /// Whether the words at `pos..pos + len` are a phrase of `list`, word
    /// for word.
    fn says_exactly(&mut self, pos: usize, len: usize, list: u32) -> bool {
        self.exact_hits(pos, len).iter().any(|h| h.0 == list && h.2 == 0.0)
    }

    /// The list phrases the words at `pos..pos + len` are, word for word
    /// (cost 0) or run together ("electric city" for "electricity").
    fn exact_hits(&mut self, pos: usize, len: usize) -> &[Hit] {
        let key = (pos as u16, len as u16);
        if !self.exact_hits.contains_key(&key) {
            let p = &self.m.phrases;
            let words = &self.tokens[pos..pos + len];
            let mut hits: Vec<Hit> = Vec::new();
            if len > self.phrase_reach(pos) {
                self.exact_hits.insert(key, hits);
                return &self.exact_hits[&key];
            }
            let joined = words.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
            if let Some(ids) = p.exact.get(&joined) {
                hits.extend(ids.iter().map(|&(l, v)| (l, v, 0.0)));
            }
            if len > 1 {
                let squashed: String = words.iter().map(|t| t.text.as_str()).collect();
                for &(l, v) in p.squashed.get(&squashed).map_or(&[][..], |v| v.as_slice()) {
                    if !hits.iter().any(|h| h.0 == l) {
                        hits.push((l, v, 0.15));
                    }
                }
            }
            self.exact_hits.insert(key, hits);
        }
        &self.exact_hits[&key]
    }

    /// How many words from `pos` on could still be (the start of) a list
    /// phrase, spaced or run together.
    fn phrase_reach(&mut self, pos: usize) -> usize {
        if let Some(&r) = self.reach.get(&(pos as u16)) {
            return r;
        }
        let p = &self.m.phrases;
        let (mut joined, mut squashed) = (String::new(), String::new());
        let mut reach = 0;
        for (k, t) in self.tokens[pos..].iter().enumerate().take(p.max_words + 1) {
            if k > 0 {
                joined.push(' ');
            }
            joined.push_str(&t.text);
            squashed.push_str(&t.text);
            if !p.prefixes.contains(&joined) && !p.prefixes.contains(&squashed) {
                break;
            }
            reach = k + 1;
        }
        self.reach.insert(pos as u16, reach);
        reach
    }

    /// List phrases the words at `pos..pos + len` sound or are spelt like.
    /// Only short stretches: longer phrases must be said as they are.
    fn fuzzy_hits(&mut self, pos: usize, len: usize) -> &[Hit] {
        let key = (pos as u16, len as u16);
        if !self.fuzzy_hits.contains_key(&key) {
            let p = &self.m.phrases;
            let squashed: String = self.tokens[pos..pos + len].iter().map(|t| t.text.as_str()).collect();
            let mut hits: Vec<Hit> = Vec::new();
            if len <= FUZZY_SPAN && squashed.len() >= 3 {
                let key = if len == 1 { self.sounds[pos].clone() } else { self.m.sound(&squashed) };
                for (i, c) in self.m.remembered_near(Space::Phrases, &squashed, &key) {
                    let (l, v) = p.fuzzy_value[i as usize];
                    if !hits.iter().any(|h| h.0 == l && h.2 <= c) {
                        hits.push((l, v, c));
                    }
                }
            }
            self.fuzzy_hits.insert(key, hits);
        }
        &self.fuzzy_hits[&key]
    }

    fn raw(&self, pos: usize, len: usize) -> &str {
        let (a, b) = (self.tokens[pos].start, self.tokens[pos + len - 1].end);
        &self.text[a..b.max(a)]
    }

    fn run(mut self, n: usize) -> Vec<Intent> {
        let len = self.tokens.len();
        let mut lead = 0.0f32;
        for pos in 0..=len {
            // A template may start after words that are not part of it.
            if pos < len {
                self.enter_templates(pos, lead);
                // People address the assistant before asking ("olly",
                // "ok google", "hey so"): the first words before a template
                // cost less than words inside one.
                lead += if pos < LEAD_WORDS { self.ins[pos].min(LEAD_COST) } else { self.ins[pos] };
            }
            self.expand_layer(pos);
        }
        self.results(n)
    }

    fn enter_templates(&mut self, pos: usize, cost: f32) {
        if cost > self.max_cost {
            return;
        }
        let m = self.m;
        let p1 = (pos + 1) as u16;
        if let Some(moves) = m.start_words.get(&self.ids[pos]) {
            for &(to, c) in moves {
                self.push(Entry { state: to, pos: p1, cost: cost + c, trace: NONE, free: 0, matched: 1, free_cost: 0.0, skipped: c });
            }
        }
        // Misheard first words: only ones that sound or are spelt alike.
        let near = std::mem::take(&mut self.near[pos]);
        for &(w, c) in &near {
            for &(to, c0) in m.start_words.get(&w).map_or(&[][..], |v| v.as_slice()) {
                self.push(Entry { state: to, pos: p1, cost: cost + c0 + c, trace: NONE, free: 0, matched: 0, free_cost: 0.0, skipped: c0 });
            }
        }
        self.near[pos] = near;
        for (ty, moves) in &m.start_slots {
            // Read the words as this type only if some template starting
            // with it could still reach the floor from here.
            let viable = moves.iter().any(|&(_, _, c0)| {
                let e = Entry { state: START, pos: pos as u16, cost: cost + c0, trace: NONE, free: 0, matched: 0, free_cost: 0.0, skipped: c0 };
                self.hope(&e) >= self.floor_logit && cost + c0 <= self.max_cost
            });
            if !viable {
                continue;
            }
            let (from, until) = self.cands_at(*ty, pos as u16);
            if from == until {
                continue;
            }
            for &(slot, to, c0) in moves {
                self.fill(slot, to, Entry { state: START, pos: pos as u16, cost: cost + c0, trace: NONE, free: 0, matched: 0, free_cost: 0.0, skipped: c0 });
            }
        }
    }

    /// Follows slot edge `slot` to `to` from `e` (whose position and cost
    /// are where the slot starts).
    fn fill(&mut self, slot: u32, to: u32, e: Entry) {
        let (pos, cost) = (e.pos, e.cost);
        if cost > self.max_cost {
            return;
        }
        let type_id = self.m.slot_refs[slot as usize].type_id;
        let (from, until) = self.cands_at(type_id, pos);
        for k in from..until {
            let c = &self.cands[k as usize];
            let (end, total) = (pos + c.len, cost + c.cost);
            if total - e.free_cost > self.max_cost || self.best.get(self.key(end, to)).is_some_and(|b| b <= total) {
                continue;
            }
            let (free, matched, free_cost) = match c.value {
                None => (e.free + c.len, e.matched, e.free_cost + c.cost),
                Some(_) => (e.free, e.matched + c.len, e.free_cost),
            };
            self.fills.push(Fill { prev: e.trace, slot, cand: k });
            let t = (self.fills.len() - 1) as u32;
            self.push(Entry { state: to, pos: end, cost: total, trace: t, free, matched, free_cost, skipped: e.skipped });
        }
    }

    fn expand_layer(&mut self, pos: usize) {
        let m = self.m;
        let at_end = pos == self.tokens.len();
        let heard = self.ids.get(pos).copied().unwrap_or(NONE);
        let near = if at_end { Vec::new() } else { std::mem::take(&mut self.near[pos]) };
        let insert = self.ins.get(pos).copied().unwrap_or(0.0);
        let words_at = self.words.get(pos).copied().unwrap_or("");
        let floor = self.layers[pos].iter().map(|e| e.cost).fold(f32::INFINITY, f32::min);
        let mut i = 0;
        // Entries are appended while we go (skipped template words stay in
        // this layer), so walk by index.
        while i < self.layers[pos].len() {
            let e = self.layers[pos][i];
            i += 1;
            if self.best.get(self.key(e.pos, e.state)).is_some_and(|c| c < e.cost) {
                continue; // superseded
            }
            if e.cost > floor + self.beam {
                continue;
            }
            let s = e.state as usize;
            if at_end && m.accepts[s] != NONE {
                self.done.push((m.accepts[s], e));
            }
            // How much more this path may cost in edits and in skipped
            // words and still reach the floor: most moves are ruled out
            // here, before they are made.
            let slack = self.hope(&e) - self.floor_logit;
            let budget = self.max_cost - (e.cost - e.free_cost);
            let room_edit = (slack / -W_EDIT).min(budget);
            let room_skip = (slack / -W_SKIP).min(budget);
            for k in m.edge_index[s] as usize..m.edge_index[s + 1] as usize {
                let (label, to) = m.edges[k];
                match label {
                    Label::Word(w) => {
                        // Template word not said (unless skipping it is
                        // free anyway: an optional word).
                        let d = m.del_cost(w);
                        if d <= room_skip && m.del_useful[k] {
                            self.push(Entry { state: to, cost: e.cost + d, skipped: e.skipped + d, ..e });
                        }
                        if at_end {
                            continue;
                        }
                        let c = if w == heard {
                            0.0
                        } else if m.swappable[w as usize] && SWAPPABLE.contains(&words_at) {
                            // Short function words are what ASR swaps most ("book me a
                            // ride" heard as "book me to ride").
                            FUNCTION_SWAP_COST
                        } else {
                            near.iter().find(|x| x.0 == w).map_or(UNRELATED_COST, |x| x.1)
                        };
                        if c <= room_edit {
                            let matched = e.matched + u16::from(c == 0.0);
                            self.push(Entry { state: to, pos: e.pos + 1, cost: e.cost + c, matched, ..e });
                        }
                    }
                    Label::Slot(s) => {
                        if !at_end {
                            self.fill(s, to, e);
                        }
                    }
                }
            }
            // A word the template does not have.
            if !at_end && insert <= room_edit {
                self.push(Entry { pos: e.pos + 1, cost: e.cost + insert, ..e });
            }
        }
        if !at_end {
            self.near[pos] = near;
        }
    }

    fn evidence(&self, end: &Entry) -> Evidence {
        Evidence {
            words: self.tokens.len(),
            matched: end.matched as usize,
            free: end.free as usize,
            edit_cost: end.cost - end.free_cost - end.skipped,
            skip_cost: end.skipped,
            free_cost: end.free_cost,
        }
    }

    fn results(self, n: usize) -> Vec<Intent> {
        // Rank by confidence, which weighs the kinds of cost differently
        // from the search.
        let mut done: Vec<(f32, u32, Entry)> = self.done.iter().map(|&(t, e)| (self.evidence(&e).confidence(), t, e)).collect();
        done.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cost.total_cmp(&b.2.cost)));
        let mut out: Vec<Intent> = Vec::new();
        for &(_, t, end) in &done {
            let (cost, trace) = (end.cost, end.trace);
            let (intent_idx, tidx, fixed) = &self.m.templates[t as usize];
            let spec = &self.m.set.intents[*intent_idx as usize];
            if out.iter().any(|i| i.name == spec.name) {
                continue;
            }
            let mut slots = Vec::new();
            let mut tr = trace;
            while tr != NONE {
                let f = self.fills[tr as usize];
                let sref = &self.m.slot_refs[f.slot as usize];
                let c = &self.cands[f.cand as usize];
                let raw = self.raw(c.start as usize, c.len as usize).to_string();
                let value = c.value.clone().unwrap_or_else(|| Value::Text(raw.clone()));
                slots.push(Slot { name: sref.name.clone(), value, raw, sensitive: sref.sensitive });
                tr = f.prev;
            }
            slots.reverse();
            for (k, v) in fixed {
                if !slots.iter().any(|s| &s.name == k) {
                    let sensitive = spec.slot(k).is_some_and(|s| s.sensitive);
                    let value = fixed_value(spec.slot(k).map(|s| &s.ty), v);
                    slots.push(Slot { name: k.clone(), value, raw: String::new(), sensitive });
                }
            }
            let missing = spec.required.iter().filter(|r| !slots.iter().any(|s| &s.name == *r)).cloned().collect();
            let template = spec.templates.get(*tidx as usize).map_or(String::new(), |t| t.text.clone());
            let evidence = self.evidence(&end);
            out.push(Intent { name: spec.name.clone(), slots, confidence: evidence.confidence(), cost, missing, template, evidence });
            if out.len() == n {
                break;
            }
        }
        out
    }
}

/// A template's fixed value, read as its slot's type when that is a
/// built-in ("100" for an integer slot is 100, not the text "100").
pub(crate) fn fixed_value(ty: Option<&SlotType>, v: &str) -> Value {
    if let Some(&SlotType::Builtin { ty, .. }) = ty {
        let w = crate::normalize::words(v);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        if let Some(r) = parse_builtin(ty, &w).filter(|r| r.len == w.len()) {
            return r.value;
        }
    }
    Value::Text(v.to_string())
}

// Weights of the logistic model that turns evidence into a confidence.
// Fitted on SLURP devel (in-domain sentences right vs everything else) by
// benches/nlu/fit_confidence.py; see intents/README.md.
const W_BIAS: f32 = 0.029;
const W_EDIT: f32 = -3.816;
const W_SKIP: f32 = -3.575;
const W_FREE: f32 = -1.896;
const W_MATCHED: f32 = 2.008;
const W_UNEXPLAINED: f32 = -0.127;

impl Evidence {
    /// The probability that the parse is right, from a logistic model of
    /// the evidence: edits and free text count against, words the template
    /// matched count for.
    pub fn confidence(&self) -> f32 {
        let words = self.words.max(1) as f32;
        let unexplained = (self.words.saturating_sub(self.matched + self.free)) as f32 / words;
        let z = W_BIAS
            + W_EDIT * self.edit_cost
            + W_SKIP * self.skip_cost
            + W_FREE * self.free_cost
            + W_MATCHED * (1.0 + self.matched as f32).ln()
            + W_UNEXPLAINED * unexplained;
        1.0 / (1.0 + (-z).exp())
    }
}

/// The most a path's edits, and its free text, may cost and still reach
/// `conf` confidence in the best case (every other word matched).
fn cost_limits(conf: f32, words: usize) -> (f32, f32) {
    let conf = conf.clamp(1e-3, 1.0 - 1e-3);
    let logit = (conf / (1.0 - conf)).ln();
    let best_case = W_BIAS + W_MATCHED * (1.0 + words as f32).ln() + W_UNEXPLAINED.max(0.0);
    let room = (best_case - logit).max(0.0);
    (room / -W_EDIT.max(W_SKIP) + 1e-4, room / -W_FREE + 1e-4)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(i.slot("amount").unwrap().value, Value::Money { amount: 50_000.0, currency: Some("IDR".into()) });
        assert!(format!("{:?}", i.slot("amount").unwrap()).contains("redacted"));

        let i = m.parse("text home I'm running late").unwrap();
        assert_eq!(i.slot("message").unwrap().raw, "I'm running late");

        assert!(m.parse("what is the weather like in paris").is_none());
        assert!(m.parse("").is_none());
        let nb = m.parse_nbest("book a car to work", 3);
        assert_eq!(nb[0].name, "order_ride");
        assert!(nb.windows(2).all(|w| w[0].cost <= w[1].cost));
    }
}
