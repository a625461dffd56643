//! Templates compiled into the matcher's automaton: words and slot types
//! numbered, list phrases indexed, epsilons removed, the start state
//! indexed by word.

use crate::automaton::{eliminate_epsilons, Label, ListIndex, Nfa, Phrases, SlotMove, SlotRef, StartIndex, TypeIndex, NONE, START};
use crate::fuzzy::{sound_key, Fuzzy};
use crate::matcher::{language_bit, Matcher, NEXT_MATCHER_ID};
use crate::spec::{IntentSet, SlotType};
use crate::template::Expr;
use crate::words::SWAPPABLE;
use crate::MatchParams;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rphonetic::DoubleMetaphone;

/// Edges of a state beyond which skipping into it is not checked for
/// being free (see `compile`).
const DOMINANCE_CHECK: usize = 256;

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
            word_languages: Vec::new(),
            word_del: Vec::new(),
            fillers: HashSet::new(),
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
            answers: Default::default(),
        };
        m.skip = m.set.skip_words.iter().cloned().collect();
        m.fillers = m.set.intents.iter().flat_map(|i| crate::words::fillers(i.language)).copied().collect();
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
        self.word_languages.push(0);
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
                let max_words = list.values.iter().flat_map(|v| &v.phrases).flat_map(|p| list.forms(p)).map(|w| w.len()).max().unwrap_or(1);
                TypeIndex::List(ListIndex { list: *i as u32, max_words, open: list.open.unwrap_or(0) })
            }
            &SlotType::Builtin { ty, min, max, max_words, language } => TypeIndex::Builtin { ty, min, max, max_words, language },
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
                    // Only the phrase as written sounds like anything: its
                    // digits would make "21 degree" spelt like "degree".
                    for (k, w) in list.forms(phrase).into_iter().enumerate() {
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
                        if k == 0 {
                            p.fuzzy.insert(&squashed, &sound_key(&self.metaphone, &squashed));
                            p.fuzzy_value.push(id);
                        }
                    }
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
                self.word_languages[id as usize] |= language_bit(self.set.intents[ctx.intent as usize].language);
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
}

struct Ctx<'a> {
    intent: u32,
    slot_ids: &'a mut HashMap<(u32, String), u32>,
    type_cache: &'a mut Vec<SlotType>,
    depth: usize,
}
