//! The parse: a best-first walk of the automaton against the
//! transcript's words, each step with a cost, and the n cheapest complete
//! paths turned into intents.
//!
//! One file of ~600 lines on purpose: the steps (match, edit, skip, free
//! text, typed values) all push onto one frontier under one bound, and are
//! only right together; the automaton, the costs and the confidence model
//! they read are in files of their own.

use crate::automaton::{Hit, Label, ListIndex, TypeIndex, NONE, START};
use crate::confidence::{cost_limits, logit, BEST_UNEXPLAINED, W_EDIT, W_SKIP};
use crate::matcher::{Matcher, Space, MAX_TEXT_BYTES, MAX_WORDS};
use crate::normalize::{tokenize, Token};
use crate::read::parse_builtin;
use crate::spec::SlotType;
use crate::values::{Builtin, Value};
use crate::words::*;
use crate::{Evidence, Intent, Slot};
use foldhash::{HashMap, HashMapExt};

impl Matcher {
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

/// What reading a value outside its slot's range costs, so that a
/// reading in range is taken where the words allow both.
const OUT_OF_RANGE_COST: f32 = 0.1;

/// A way a slot reads the words at `start`: `value` None means "the
/// words as said" (free text, unlisted values), made only if it wins.
struct Cand {
    start: u16,
    len: u16,
    cost: f32,
    value: Option<Value>,
    /// A value of the slot's type outside the slot's range: the words are
    /// the slot's, the value is left out and asked for.
    out_of_range: bool,
}

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

thread_local! {
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
    /// Where the courtesy and haste that end the sentence begin
    /// ([`closing_from`]): no unlisted value runs on into them.
    closing: usize,
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
        let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        let closing = closing_from(&words);
        // A word said twice ("book book a ride") is a stutter, nearly free;
        // the thanks or haste after a request cost what a filler does.
        let ins = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let cost = if i > 0 && tokens[i - 1].text == t.text { STUTTER_COST } else { m.ins_cost(&t.text, tokens.get(i + 1).map(|n| n.text.as_str())) };
                if i >= closing {
                    cost.min(FILLER_COST)
                } else {
                    cost
                }
            })
            .collect();
        let may_begin = tokens.iter().map(|t| !NOT_FIRST.contains(&t.text.as_str())).collect();
        let may_end = tokens.iter().map(|t| !NOT_LAST.contains(&t.text.as_str())).collect();
        let may_be_inside = tokens.iter().map(|t| may_be_inside(&t.text)).collect();
        Search {
            m,
            text,
            tokens,
            words,
            ids,
            ins,
            near,
            sounds,
            may_begin,
            may_end,
            closing,
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
        logit(edit, e.skipped, e.free_cost, self.m.ln1p[matched.min(self.m.ln1p.len() - 1)], BEST_UNEXPLAINED)
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
                    self.cands.push(Cand { start, len: len as u16, cost: 0.02 * len as f32, value: None, out_of_range: false });
                }
            }
            &TypeIndex::Builtin { ty, min, max, language, .. } => {
                let words = &self.words[pos..(pos + 12).min(self.words.len())];
                // "send zero dollars", "kirim nol rupiah": read as the
                // request with the amount still to ask, rather than as no
                // request; a reading in range is preferred.
                if let Some(r) = parse_builtin(ty, words, language) {
                    let out_of_range = !r.in_range(min, max);
                    let cost = if out_of_range { r.cost + OUT_OF_RANGE_COST } else { r.cost };
                    self.cands.push(Cand { start, len: r.len as u16, cost, value: Some(r.value), out_of_range });
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
                    if pos + len > self.closing {
                        continue;
                    }
                    // Numbers alone name no one and nowhere: "send nineteen
                    // ninety nine dollars to mum" is no payment to
                    // "nineteen" of $99.
                    if self.words[pos..pos + len].iter().all(|w| crate::numbers::says_a_number(w)) {
                        continue;
                    }
                    // An unlisted value is less likely than a listed one and
                    // grows less likely with its length, unless it contains
                    // a listed one ("pepperoni pizza", "the mall of america").
                    let contains_known = (1..len).any(|k| self.says_exactly(pos + k, len - k, l.list) || self.says_exactly(pos, k, l.list));
                    let cost = if contains_known { 0.15 + 0.05 * len as f32 } else { 0.45 + 0.1 * len as f32 };
                    self.cands.push(Cand { start, len: len as u16, cost, value: None, out_of_range: false });
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
                self.cands.push(Cand { start, len: len as u16, cost, value, out_of_range: false });
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
                // cost less than words inside one (a number never does).
                let c = self.ins[pos];
                lead += if pos < LEAD_WORDS && c.is_finite() { c.min(LEAD_COST) } else { c };
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
            // A value out of its range is evidence of the slot, not of
            // the template: its words count as free.
            let (free, matched, free_cost) = match c.value {
                Some(_) if !c.out_of_range => (e.free, e.matched + c.len, e.free_cost),
                _ => (e.free + c.len, e.matched, e.free_cost + c.cost),
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
            let mut unread = Vec::new();
            let mut tr = trace;
            while tr != NONE {
                let f = self.fills[tr as usize];
                let sref = &self.m.slot_refs[f.slot as usize];
                let c = &self.cands[f.cand as usize];
                tr = f.prev;
                if c.out_of_range {
                    unread.push(sref.name.clone());
                    continue;
                }
                let raw = self.raw(c.start as usize, c.len as usize).to_string();
                let value = c.value.clone().unwrap_or_else(|| Value::Text(raw.clone()));
                slots.push(Slot { name: sref.name.clone(), value, raw, sensitive: sref.sensitive });
            }
            slots.reverse();
            for (k, v) in fixed {
                if !slots.iter().any(|s| &s.name == k) {
                    let sensitive = spec.slot(k).is_some_and(|s| s.sensitive);
                    let value = fixed_value(spec.slot(k).map(|s| &s.ty), v);
                    slots.push(Slot { name: k.clone(), value, raw: String::new(), sensitive });
                }
            }
            let mut missing: Vec<String> = spec.required.iter().filter(|r| !slots.iter().any(|s| &s.name == *r)).cloned().collect();
            // A value said out of range is asked for, required or not (a
            // bill said as "zero" is not paid at its due amount unasked).
            for name in unread {
                if !missing.contains(&name) && !slots.iter().any(|s| s.name == name) {
                    missing.push(name);
                }
            }
            let template = spec.templates.get(*tidx as usize).map_or(String::new(), |t| t.text.clone());
            let evidence = self.evidence(&end);
            out.push(Intent { name: spec.name.clone(), slots, confidence: evidence.confidence(), cost, missing, template, evidence, language: spec.language });
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
    if let Some(&SlotType::Builtin { ty, language, .. }) = ty {
        let w = crate::normalize::words(v);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        if let Some(r) = parse_builtin(ty, &w, language).filter(|r| r.len == w.len()) {
            return r.value;
        }
    }
    Value::Text(v.to_string())
}
