//! The compiled form of the templates: an epsilon-free automaton whose
//! edges are words or slots, the slot types, and every list phrase
//! indexed for lookup.

use crate::fuzzy::Fuzzy;
use crate::language::Language;
use crate::values::Builtin;
use foldhash::{HashMap, HashSet, HashSetExt};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Label {
    Word(u32),
    Slot(u32),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub(crate) edges: Vec<(Label, u32)>,
    /// Template completed here.
    pub(crate) accept: Option<u32>,
}

#[derive(Debug)]
pub(crate) struct SlotRef {
    pub(crate) name: String,
    pub(crate) type_id: u32,
    pub(crate) sensitive: bool,
}

/// A list slot type: which list, and how many words its phrases have.
#[derive(Debug)]
pub(crate) struct ListIndex {
    pub(crate) list: u32,
    pub(crate) max_words: usize,
    /// Unlisted phrases of up to this many words are taken as said.
    pub(crate) open: usize,
}

/// Every phrase of every list, so that a stretch of words is looked up
/// once for all the lists that might want it.
#[derive(Debug)]
pub(crate) struct Phrases {
    /// Phrase words joined by spaces → (list, value).
    pub(crate) exact: HashMap<String, Vec<(u32, u32)>>,
    /// Phrase without spaces ("electric city" = "electricity").
    pub(crate) squashed: HashMap<String, Vec<(u32, u32)>>,
    /// Squashed phrases that sound or are spelt like what was heard.
    pub(crate) fuzzy: Fuzzy,
    /// Fuzzy item → (list, value).
    pub(crate) fuzzy_value: Vec<(u32, u32)>,
    pub(crate) max_words: usize,
    /// Every prefix of every phrase, spaced and run together: a stretch of
    /// words that is none cannot grow into a phrase.
    pub(crate) prefixes: HashSet<String>,
}

#[derive(Debug)]
pub(crate) enum TypeIndex {
    List(ListIndex),
    Builtin { ty: Builtin, min: Option<f64>, max: Option<f64>, max_words: usize, language: Language },
}

/// Start-state moves for one word: (target, cost) for templates starting
/// with it, or starting with it after one skipped word.
pub(crate) type StartIndex = HashMap<u32, Vec<(u32, f32)>>;

/// A slot edge out of the start state: (slot, target state, cost).
pub(crate) type SlotMove = (u32, u32, f32);

/// A compiled template: (intent index, template index in the intent, fixed slots).
pub(crate) type TemplateRef = (u32, u32, Vec<(String, String)>);

/// A list phrase heard: (list, value, cost).
pub(crate) type Hit = (u32, u32, f32);

pub(crate) const NONE: u32 = u32::MAX;

pub(crate) const START: u32 = 0;

pub(crate) struct Nfa {
    pub(crate) states: Vec<State>,
    pub(crate) eps: Vec<Vec<u32>>,
}

impl Nfa {
    pub(crate) fn add(&mut self) -> u32 {
        self.states.push(State::default());
        self.eps.push(Vec::new());
        (self.states.len() - 1) as u32
    }
}

/// Removes epsilon moves: each state gets the word and slot edges of every
/// state it reaches by epsilons, and their accepts. States reachable only
/// through epsilons drop out.
pub(crate) fn eliminate_epsilons(nfa: &Nfa) -> Vec<State> {
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
