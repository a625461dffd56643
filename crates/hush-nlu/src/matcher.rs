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

use crate::normalize::{tokenize, Token};
use crate::spec::{IntentSet, SlotType};
use crate::template::Expr;
use crate::values::{parse_builtin, Builtin, Reading, Value};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rphonetic::{DoubleMetaphone, Encoder};
use serde::Serialize;
use std::fmt;

/// How forgiving the matcher is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchParams {
    /// Parses below this confidence are "not understood".
    pub threshold: f32,
    /// Paths costing more than this are abandoned.
    pub max_cost: f32,
    /// Paths costing this much more than the best at the same point are
    /// abandoned.
    pub beam: f32,
}

impl Default for MatchParams {
    fn default() -> Self {
        MatchParams { threshold: 0.5, max_cost: 3.0, beam: 1.6 }
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
}

impl Intent {
    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.name == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
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
    intent: u32,
    name: String,
    type_id: u32,
    sensitive: bool,
}

#[derive(Debug)]
struct ListIndex {
    /// Phrase words joined by spaces → value index.
    exact: HashMap<String, u32>,
    /// Phrase without spaces → value ("electric city" = "electricity").
    squashed: HashMap<String, u32>,
    /// Sound key of the squashed phrase → value.
    sound: HashMap<String, u32>,
    /// (squashed phrase, value) for spelling-distance matches.
    spelled: Vec<(String, u32)>,
    values: Vec<String>,
    max_words: usize,
}

#[derive(Debug)]
enum TypeIndex {
    List(ListIndex),
    Builtin { ty: Builtin, min: Option<f64>, max: Option<f64>, max_words: usize },
}

/// Start-state moves for one word: (target, cost) for templates starting
/// with it, or starting with it after one skipped word.
type StartIndex = HashMap<u32, Vec<(u32, f32)>>;

/// All templates of an [`IntentSet`], compiled for matching.
pub struct Matcher {
    set: IntentSet,
    params: MatchParams,
    words: HashMap<String, u32>,
    word_text: Vec<String>,
    word_sound: Vec<String>,
    states: Vec<State>,
    start_words: StartIndex,
    start_slots: Vec<(u32, u32, f32)>,
    slot_refs: Vec<SlotRef>,
    types: Vec<TypeIndex>,
    /// Template id → (intent index, fixed slots).
    templates: Vec<(u32, Vec<(String, String)>)>,
    skip: HashSet<String>,
    metaphone: DoubleMetaphone,
}

const FILLERS: &[&str] = &[
    "um", "uh", "erm", "hmm", "ah", "oh", "the", "a", "an", "please", "just", "like", "so", "okay", "ok", "hey", "now",
    "then", "for", "me", "my", "some", "to", "can", "you", "could", "would", "i", "of", "and", "is", "it", "that",
    "there", "well", "actually", "kindly",
];

const START: u32 = 0;

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
            word_sound: Vec::new(),
            states: Vec::new(),
            start_words: HashMap::new(),
            start_slots: Vec::new(),
            slot_refs: Vec::new(),
            types: Vec::new(),
            templates: Vec::new(),
            skip: HashSet::new(),
            metaphone: DoubleMetaphone::new(Some(10)),
        };
        m.skip = m.set.skip_words.iter().cloned().collect();
        m.compile();
        m
    }

    pub fn intents(&self) -> &IntentSet {
        &self.set
    }

    pub fn params(&self) -> MatchParams {
        self.params
    }

    /// Number of automaton states, for the curious.
    pub fn state_count(&self) -> usize {
        self.states.len()
    }

    fn sound(&self, s: &str) -> String {
        if s.chars().all(|c| c.is_ascii_alphabetic()) {
            self.metaphone.encode(s)
        } else {
            String::new()
        }
    }

    fn word_id(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.words.get(w) {
            return id;
        }
        let id = self.word_text.len() as u32;
        self.words.insert(w.to_string(), id);
        self.word_text.push(w.to_string());
        let key = self.sound(w);
        self.word_sound.push(key);
        id
    }

    fn type_id(&mut self, ty: &SlotType, cache: &mut Vec<SlotType>) -> u32 {
        if let Some(i) = cache.iter().position(|t| t == ty) {
            return i as u32;
        }
        let index = match ty {
            SlotType::List(i) => TypeIndex::List(self.list_index(*i)),
            &SlotType::Builtin { ty, min, max, max_words } => TypeIndex::Builtin { ty, min, max, max_words },
        };
        cache.push(ty.clone());
        self.types.push(index);
        (self.types.len() - 1) as u32
    }

    fn list_index(&self, list: usize) -> ListIndex {
        let mut idx = ListIndex {
            exact: HashMap::new(),
            squashed: HashMap::new(),
            sound: HashMap::new(),
            spelled: Vec::new(),
            values: Vec::new(),
            max_words: 1,
        };
        for (vi, v) in self.set.lists[list].values.iter().enumerate() {
            idx.values.push(v.value.clone());
            for p in &v.phrases {
                let w = crate::normalize::words(p);
                idx.max_words = idx.max_words.max(w.len());
                let squashed: String = w.concat();
                let key = self.sound(&squashed);
                idx.exact.entry(w.join(" ")).or_insert(vi as u32);
                idx.squashed.entry(squashed.clone()).or_insert(vi as u32);
                if key.len() >= 2 {
                    idx.sound.entry(key).or_insert(vi as u32);
                }
                idx.spelled.push((squashed, vi as u32));
            }
        }
        idx
    }

    fn compile(&mut self) {
        let mut nfa = Nfa { states: Vec::new(), eps: Vec::new() };
        let start = nfa.add();
        let mut type_cache = Vec::new();
        let mut slot_ids: HashMap<(u32, String), u32> = HashMap::new();
        let intents = self.set.intents.clone();
        for (ii, intent) in intents.iter().enumerate() {
            for t in &intent.templates {
                let tid = self.templates.len() as u32;
                self.templates.push((ii as u32, t.fixed.clone()));
                let (s, e) = (nfa.add(), nfa.add());
                nfa.eps[start as usize].push(s);
                nfa.states[e as usize].accept = Some(tid);
                let mut ctx = Ctx { intent: ii as u32, slot_ids: &mut slot_ids, type_cache: &mut type_cache, depth: 0 };
                self.build(&mut nfa, &t.expr, s, e, &mut ctx);
            }
        }
        self.states = eliminate_epsilons(&nfa);
        // The start state is indexed by word, including templates whose
        // first word was not said ("ride to the airport" for "get a ride ...").
        let mut index: StartIndex = HashMap::new();
        let mut slots = Vec::new();
        for &(label, to) in &self.states[START as usize].edges {
            match label {
                Label::Word(w) => {
                    index.entry(w).or_default().push((to, 0.0));
                    for &(l2, to2) in &self.states[to as usize].edges {
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
        self.start_slots = slots;
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
                        self.slot_refs.push(SlotRef { intent: ctx.intent, name: name.clone(), type_id, sensitive: spec.sensitive });
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
        if self.is_filler(&self.word_text[w as usize]) {
            0.4
        } else {
            0.9
        }
    }

    fn ins_cost(&self, w: &str) -> f32 {
        if self.skip.contains(w) {
            0.05
        } else if self.is_filler(w) {
            0.4
        } else {
            0.8
        }
    }

    /// Cost of hearing `heard` where the template says word `w`, when the
    /// two are alike; `None` when unrelated.
    fn similar(&self, w: u32, heard: &str, heard_sound: &str) -> Option<f32> {
        let expected = &self.word_text[w as usize];
        let key = &self.word_sound[w as usize];
        if !key.is_empty() && key == heard_sound && key.len() >= 2 {
            return Some(0.35);
        }
        spelling_cost(expected, heard)
    }

    /// Parses a transcript: the best intent above the threshold, if any.
    pub fn parse(&self, text: &str) -> Option<Intent> {
        self.parse_nbest(text, 1).into_iter().next().filter(|i| i.confidence >= self.params.threshold)
    }

    /// The `n` best parses (one per intent), best first, whatever their
    /// confidence.
    pub fn parse_nbest(&self, text: &str, n: usize) -> Vec<Intent> {
        let tokens = tokenize(text);
        if tokens.is_empty() || tokens.len() > 64 || n == 0 {
            return Vec::new();
        }
        Search::new(self, text, &tokens).run(n)
    }
}

fn spelling_cost(expected: &str, heard: &str) -> Option<f32> {
    let (a, b) = (expected.chars().count(), heard.chars().count());
    if a.min(b) < 3 || a.abs_diff(b) > 2 {
        return None;
    }
    match strsim::levenshtein(expected, heard) {
        1 if a.min(b) == 3 => Some(0.6),
        1 => Some(0.45),
        2 if a.min(b) >= 7 => Some(0.65),
        _ => None,
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
    let closure = |s: u32| -> Vec<u32> {
        let mut seen = vec![s];
        let mut stack = vec![s];
        while let Some(x) = stack.pop() {
            for &y in &nfa.eps[x as usize] {
                if !seen.contains(&y) {
                    seen.push(y);
                    stack.push(y);
                }
            }
        }
        seen
    };
    let mut new_id = vec![u32::MAX; n];
    let mut order = vec![START];
    new_id[START as usize] = 0;
    let mut out: Vec<State> = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let old = order[i];
        let mut st = State::default();
        for c in closure(old) {
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
                if !st.edges.contains(&edge) {
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
}

#[derive(Clone, Copy)]
struct Fill {
    prev: u32,
    slot: u32,
    start: u16,
    len: u16,
    /// Index into the reading cache for (type, start).
    reading: u32,
}

const NONE: u32 = u32::MAX;

struct Search<'m> {
    m: &'m Matcher,
    text: &'m str,
    tokens: &'m [Token],
    sounds: Vec<String>,
    best: HashMap<(u16, u32), f32>,
    layers: Vec<Vec<Entry>>,
    fills: Vec<Fill>,
    readings: HashMap<(u32, u16), Vec<Reading>>,
    /// Templates completed: (cost, template, trace).
    done: Vec<(f32, u32, u32)>,
}

impl<'m> Search<'m> {
    fn new(m: &'m Matcher, text: &'m str, tokens: &'m [Token]) -> Self {
        let sounds = tokens
            .iter()
            .map(|t| match m.words.get(&t.text) {
                Some(&id) => m.word_sound[id as usize].clone(),
                None => m.sound(&t.text),
            })
            .collect();
        Search {
            m,
            text,
            tokens,
            sounds,
            best: HashMap::new(),
            layers: vec![Vec::new(); tokens.len() + 1],
            fills: Vec::new(),
            readings: HashMap::new(),
            done: Vec::new(),
        }
    }

    fn push(&mut self, e: Entry) {
        if e.cost > self.m.params.max_cost {
            return;
        }
        let key = (e.pos, e.state);
        if self.best.get(&key).is_some_and(|&c| c <= e.cost) {
            return;
        }
        self.best.insert(key, e.cost);
        self.layers[e.pos as usize].push(e);
    }

    fn readings(&mut self, type_id: u32, pos: u16) -> usize {
        let key = (type_id, pos);
        if !self.readings.contains_key(&key) {
            let r = self.compute_readings(type_id, pos as usize);
            self.readings.insert(key, r);
        }
        self.readings[&key].len()
    }

    fn compute_readings(&self, type_id: u32, pos: usize) -> Vec<Reading> {
        let rest = &self.tokens[pos..];
        match &self.m.types[type_id as usize] {
            TypeIndex::Builtin { ty: Builtin::Wildcard, max_words, .. } => (1..=rest.len().min(*max_words))
                .map(|len| Reading {
                    len,
                    value: Value::Text(self.raw(pos, len).to_string()),
                    // Shorter free text leaves more words to the template.
                    cost: 0.02 * len as f32,
                })
                .collect(),
            &TypeIndex::Builtin { ty, min, max, .. } => {
                let words: Vec<&str> = rest.iter().take(12).map(|t| t.text.as_str()).collect();
                parse_builtin(ty, &words)
                    .filter(|r| {
                        let v = match r.value {
                            Value::Integer(i) => i as f64,
                            Value::Number(x) => x,
                            _ => return true,
                        };
                        min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m)
                    })
                    .into_iter()
                    .collect()
            }
            TypeIndex::List(l) => self.list_readings(l, rest),
        }
    }

    fn list_readings(&self, l: &ListIndex, rest: &[Token]) -> Vec<Reading> {
        let mut out = Vec::new();
        let mut joined = String::new();
        let mut squashed = String::new();
        for len in 1..=rest.len().min(l.max_words + 1) {
            let w = &rest[len - 1].text;
            if len > 1 {
                joined.push(' ');
            }
            joined.push_str(w);
            squashed.push_str(w);
            let hit = if let Some(&v) = l.exact.get(&joined) {
                Some((v, 0.0))
            } else if let Some(&v) = l.squashed.get(&squashed) {
                Some((v, 0.15))
            } else {
                let key = self.m.sound(&squashed);
                match l.sound.get(&key).filter(|_| key.len() >= 2) {
                    Some(&v) => Some((v, 0.35)),
                    None => l
                        .spelled
                        .iter()
                        .filter_map(|(p, v)| spelling_cost(p, &squashed).map(|c| (*v, c)))
                        .min_by(|a, b| a.1.total_cmp(&b.1)),
                }
            };
            if let Some((v, cost)) = hit {
                // A phrase heard as more words than it has costs a little more.
                out.push(Reading { len, value: Value::Text(l.values[v as usize].clone()), cost });
            }
        }
        out
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
                lead += self.m.ins_cost(&self.tokens[pos].text);
            }
            self.expand_layer(pos);
        }
        self.results(n)
    }

    fn enter_templates(&mut self, pos: usize, cost: f32) {
        if cost > self.m.params.max_cost {
            return;
        }
        let m = self.m;
        let tokens = self.tokens;
        let word = &tokens[pos].text;
        let p1 = (pos + 1) as u16;
        if let Some(&id) = m.words.get(word) {
            if let Some(moves) = m.start_words.get(&id) {
                for &(to, c) in moves {
                    self.push(Entry { state: to, pos: p1, cost: cost + c, trace: NONE });
                }
            }
        }
        // Misheard first words: only ones that sound or are spelt alike.
        let sound = self.sounds[pos].clone();
        for (&w, moves) in &m.start_words {
            if m.word_text[w as usize] == *word {
                continue;
            }
            if let Some(c) = m.similar(w, word, &sound) {
                for &(to, c0) in moves {
                    self.push(Entry { state: to, pos: p1, cost: cost + c0 + c, trace: NONE });
                }
            }
        }
        for &(slot, to, c0) in &m.start_slots {
            self.fill(slot, pos as u16, to, cost + c0, NONE);
        }
    }

    fn fill(&mut self, slot: u32, pos: u16, to: u32, cost: f32, trace: u32) {
        let type_id = self.m.slot_refs[slot as usize].type_id;
        let count = self.readings(type_id, pos);
        for k in 0..count {
            let r = &self.readings[&(type_id, pos)][k];
            let (rlen, rcost) = (r.len as u16, r.cost);
            let fill = Fill { prev: trace, slot, start: pos, len: rlen, reading: k as u32 };
            let c = cost + rcost;
            if c > self.m.params.max_cost || self.best.get(&(pos + rlen, to)).is_some_and(|&b| b <= c) {
                continue;
            }
            self.fills.push(fill);
            let t = (self.fills.len() - 1) as u32;
            self.push(Entry { state: to, pos: pos + rlen, cost: c, trace: t });
        }
    }

    fn expand_layer(&mut self, pos: usize) {
        let m = self.m;
        let tokens = self.tokens;
        let at_end = pos == tokens.len();
        let sound = self.sounds.get(pos).cloned().unwrap_or_default();
        self.layers[pos].sort_by(|a, b| a.cost.total_cmp(&b.cost));
        let mut i = 0;
        let mut floor = f32::INFINITY;
        // Entries are appended while we go (skipped template words stay in
        // this layer), so walk by index.
        while i < self.layers[pos].len() {
            let e = self.layers[pos][i];
            i += 1;
            if self.best.get(&(e.pos, e.state)).is_some_and(|&c| c < e.cost) {
                continue; // superseded
            }
            floor = floor.min(e.cost);
            if e.cost > floor + m.params.beam {
                continue;
            }
            let state = &m.states[e.state as usize];
            if at_end {
                if let Some(t) = state.accept {
                    self.done.push((e.cost, t, e.trace));
                }
            }
            let word = tokens.get(pos).map(|t| t.text.as_str());
            for &(label, to) in &state.edges {
                match label {
                    Label::Word(w) => {
                        // Template word not said.
                        self.push(Entry { state: to, cost: e.cost + m.del_cost(w), ..e });
                        let Some(word) = word else { continue };
                        let c = if m.word_text[w as usize] == word {
                            0.0
                        } else {
                            m.similar(w, word, &sound).unwrap_or(1.0)
                        };
                        self.push(Entry { state: to, pos: e.pos + 1, cost: e.cost + c, trace: e.trace });
                    }
                    Label::Slot(s) => {
                        if !at_end {
                            self.fill(s, e.pos, to, e.cost, e.trace);
                        }
                    }
                }
            }
            // A word the template does not have.
            if let Some(word) = word {
                self.push(Entry { pos: e.pos + 1, cost: e.cost + m.ins_cost(word), ..e });
            }
        }
    }

    fn results(mut self, n: usize) -> Vec<Intent> {
        self.done.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut out: Vec<Intent> = Vec::new();
        let words = self.tokens.len() as f32;
        for &(cost, t, trace) in &self.done {
            let (intent_idx, fixed) = &self.m.templates[t as usize];
            let spec = &self.m.set.intents[*intent_idx as usize];
            if out.iter().any(|i| i.name == spec.name) {
                continue;
            }
            let mut slots = Vec::new();
            let mut tr = trace;
            while tr != NONE {
                let f = self.fills[tr as usize];
                let sref = &self.m.slot_refs[f.slot as usize];
                let reading = &self.readings[&(sref.type_id, f.start)][f.reading as usize];
                slots.push(Slot {
                    name: sref.name.clone(),
                    value: reading.value.clone(),
                    raw: self.raw(f.start as usize, f.len as usize).to_string(),
                    sensitive: sref.sensitive,
                });
                debug_assert_eq!(sref.intent, *intent_idx);
                tr = f.prev;
            }
            slots.reverse();
            for (k, v) in fixed {
                if !slots.iter().any(|s| &s.name == k) {
                    let sensitive = spec.slot(k).is_some_and(|s| s.sensitive);
                    slots.push(Slot { name: k.clone(), value: Value::Text(v.clone()), raw: String::new(), sensitive });
                }
            }
            let missing = spec.required.iter().filter(|r| !slots.iter().any(|s| &s.name == *r)).cloned().collect();
            out.push(Intent { name: spec.name.clone(), slots, confidence: confidence(cost, words), cost, missing });
            if out.len() == n {
                break;
            }
        }
        self.readings.clear();
        out
    }
}

/// Confidence from the cost of a match and the length of the utterance:
/// one misheard word matters less in a long sentence than in a short one.
fn confidence(cost: f32, words: f32) -> f32 {
    (-1.6 * cost / words.max(2.0).sqrt()).exp()
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
        assert_eq!(i.confidence, 1.0);

        let i = m.parse("let me ride to the airport").unwrap();
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
