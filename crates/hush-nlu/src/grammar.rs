//! The loaded templates as a prefix acceptor for a recogniser: fed text
//! piece by piece (a speech decoder's tokens, with their spaces), it says
//! whether the text so far can still grow into a sentence of some
//! template, which words may come next, and whether it is a whole
//! sentence already, and of which intent.
//!
//! It walks the matcher's automaton word for word, without the matcher's
//! forgiveness: a word is a template word, a listed phrase's word, or free
//! text where the template allows it (wildcards, values an open list does
//! not know, built-in values, which must read as their type when they
//! end). Words are compared after the same normalisation as transcripts,
//! so "I'm", "$42" and "Book" are "i am", "$ 42" and "book".

use crate::automaton::{Label, TypeIndex, NONE};
use crate::language::Language;
use crate::normalize::{is_ideograph, words};
use crate::read::parse_builtin;
use crate::values::Builtin;
use crate::words::{may_be_inside, DANGLING, NOT_FIRST, NOT_LAST};
use foldhash::{HashMap, HashMapExt, HashSet};

/// Configurations a state keeps at most: wildcards fork one per word.
const MAX_CONFIGS: usize = 256;

/// A word no longer than this: free text takes any word, and a decoder
/// could otherwise write one for ever ("add$0.42.1.1.2.1...").
const WORD_MAX_BYTES: usize = 40;

/// Words said anywhere ("please", "um") that a sentence takes at most.
const SKIPPED_MAX: usize = 3;

/// Words offered as continuations per call at most (a start state of a
/// large app offers a few hundred).
const MAX_EXPECTED: usize = 2048;

/// Words that numbers, amounts, times, dates and durations are said with
/// (besides digits and symbols): a built-in slot takes no other word, so
/// a decoder cannot wander through one ("a blue latte").
#[rustfmt::skip]
const VALUE_WORDS: &[&str] = &[
    "zero", "nought", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
    "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "point",
    "and", "a", "an", "half", "quarter", "dozen", "couple", "first", "second", "third", "fourth", "fifth", "sixth",
    "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth", "thirtieth", "last", "dollar", "dollars", "buck", "bucks",
    "cent", "cents", "euro", "euros", "pound", "pounds", "quid", "rupiah", "rupiahs", "yen", "rupee", "rupees",
    "ringgit", "baht", "peso", "pesos", "dong", "usd", "eur", "gbp", "idr", "jpy", "inr", "myr", "thb", "php", "vnd",
    "sgd", "rp", "k", "am", "pm", "oclock", "noon", "midday", "midnight", "morning", "afternoon", "evening", "night",
    "tonight", "today", "tomorrow", "yesterday", "day", "days", "after", "before", "past", "to", "till", "in", "at",
    "on", "by", "the", "of", "this", "next", "coming", "week", "weeks", "weekend", "month", "year", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december", "second", "seconds", "sec",
    "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "from", "now", "percent",
];

/// Longest built-in value in words: the matcher reads one from up to 12
/// words ("one hundred and twenty five thousand rupiah").
const VALUE_MAX_WORDS: usize = 12;

/// Whether a built-in value may contain `w` (`stem`: may contain a word
/// starting with it).
fn value_word(w: &str, stem: bool, language: Language) -> bool {
    let said = match language {
        Language::English => VALUE_WORDS,
        Language::Indonesian => crate::indonesian::VALUE_WORDS,
        Language::Mandarin => crate::chinese::VALUE_WORDS,
    };
    (w.chars().any(|c| !c.is_alphabetic()) && grouped(w))
        || said.iter().any(|v| if stem { v.starts_with(w) } else { *v == w })
        || (!stem && ["th", "st", "nd", "rd"].iter().any(|s| w.strip_suffix(s).is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))))
}

/// Characters a written value holds at most ("$1,250,000,000.00" has 17).
const VALUE_MAX_CHARS: usize = 20;

/// Whether the digits of a written word are grouped as numbers are
/// written: a separator that comes twice groups thousands ("1,000,000",
/// "1.250.000,00"), so the groups between its marks hold three digits;
/// after the last one come at most three ("12.50", "1,5", "1,000"); and
/// the word is no longer than a value. Digits strung any other way
/// ("4,7,3,4", "6.000200010002", "$1,000,500,000,500,...") are no number
/// said aloud, and a decoder could go on writing such a word for ever.
fn grouped(w: &str) -> bool {
    if !has_digit(w) {
        return true;
    }
    w.len() <= VALUE_MAX_CHARS
        && [',', '.'].into_iter().all(|sep| {
            let groups: Vec<&str> = w.split(sep).collect();
            let digits = |g: &str| g.chars().take_while(char::is_ascii_digit).count();
            groups[1..].iter().enumerate().all(|(i, g)| if i + 2 < groups.len() { g.len() == 3 && digits(g) == 3 } else { digits(g) <= 3 })
        })
}

fn has_digit(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit())
}

/// A word still being written, read as the least number it may become:
/// a last group after a comma that is still short is padded to three
/// digits ("1,2" of "1,250"), since numbers are read by whole groups.
fn least_number(stem: &str) -> std::borrow::Cow<'_, str> {
    match stem.rsplit_once(',') {
        Some((head, tail)) if (1..3).contains(&tail.len()) && head.ends_with(|c: char| c.is_ascii_digit()) && tail.chars().all(|c| c.is_ascii_digit()) => {
            format!("{stem}{}", "0".repeat(3 - tail.len())).into()
        }
        _ => stem.into(),
    }
}

/// Words at most at the end of a built-in value so far that no reading
/// takes yet: "a quarter past", "the day after", "an hour and a".
const VALUE_PENDING_WORDS: usize = 3;

/// Whether a built-in value of `ty` said as `said` and then `w` can still
/// become one. Its words read as a value (or a number, which starts most
/// values: "90" of "90 seconds"; an integer's must be whole) up to at most
/// a few last ones ("one hundred and", "the day after"), and those hold no
/// number unless the reading so far said more than a number ("42 dollars
/// and 50", "1 hour and 30") or the value, not a number, starts with words
/// that read as nothing yet ("in 10"). A second number after words no
/// value reads would let a decoder wander inside the slot ("make it 4 to 7
/// to 3, 4, 4, ..." for a temperature) until its word cap, never saying
/// the word that ends the sentence.
fn value_may_grow(ty: Builtin, said: &[String], w: &str, language: Language) -> bool {
    let all: Vec<&str> = said.iter().map(String::as_str).chain([w]).collect();
    // Few words and no number: nothing to read yet ("forty", "the day").
    if all.len() <= VALUE_PENDING_WORDS && !all.iter().any(|w| has_digit(w)) {
        return true;
    }
    let len = |ty| parse_builtin(ty, &all, language).map_or(0, |r| r.len.min(all.len()));
    let as_type = len(ty);
    let as_number = if ty == Builtin::Integer { as_type } else { len(Builtin::Number) };
    let read = as_type.max(as_number);
    let pending = &all[read..];
    let number_pending = pending.iter().any(|p| has_digit(p));
    let numeric = matches!(ty, Builtin::Integer | Builtin::Number | Builtin::Ordinal);
    let words_first = read == 0 && !numeric && !pending.first().is_some_and(|p| has_digit(p));
    pending.len() <= VALUE_PENDING_WORDS && (!number_pending || words_first || as_type > as_number)
}

/// The templates of a [`crate::Matcher`], compiled for guiding a decoder
/// ([`crate::Matcher::grammar`]).
pub struct Grammar {
    pub(crate) edge_index: Vec<u32>,
    pub(crate) edges: Vec<(Label, u32)>,
    /// Per state: the template completed there, or NONE.
    pub(crate) accepts: Vec<u32>,
    pub(crate) word_text: Vec<String>,
    /// Per slot: its type's index into `types`.
    pub(crate) slot_types: Vec<u32>,
    pub(crate) types: Vec<GrammarType>,
    /// Per template: its intent's name.
    pub(crate) template_intent: Vec<String>,
    pub(crate) skip: HashSet<String>,
}

/// What a slot type lets be said.
pub(crate) enum GrammarType {
    /// A list's phrases (a trie of words) and, for an open list, up to
    /// `open` words it does not know.
    List {
        next: HashMap<String, Vec<String>>,
        whole: HashSet<String>,
        open: usize,
    },
    Builtin {
        ty: Builtin,
        min: Option<f64>,
        max: Option<f64>,
        max_words: usize,
        language: Language,
    },
}

impl GrammarType {
    pub(crate) fn from_index(t: &TypeIndex, lists: &[crate::List]) -> GrammarType {
        match *t {
            TypeIndex::List(ref l) => {
                let mut next: HashMap<String, Vec<String>> = HashMap::new();
                let mut whole = HashSet::default();
                let list = &lists[l.list as usize];
                for w in list.values.iter().flat_map(|v| &v.phrases).flat_map(|p| list.forms(p)) {
                    for i in 0..w.len() {
                        let after = next.entry(w[..i].join(" ")).or_default();
                        if !after.contains(&w[i]) {
                            after.push(w[i].clone());
                        }
                    }
                    whole.insert(w.join(" "));
                }
                GrammarType::List { next, whole, open: l.open }
            }
            TypeIndex::Builtin { ty, min, max, max_words, language } => GrammarType::Builtin { ty, min, max, max_words, language },
        }
    }
}

/// How a transcript so far stands against the grammar: what an endpointer
/// goes by to wait longer after "book me a ride to" than after "navigate
/// home".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// A whole sentence that no template goes on from, every reading of it
    /// ending on listed words (no value that could run on): the speaker is
    /// done.
    Complete,
    /// The start of a sentence and not yet one: more is coming.
    Unfinished,
    /// Nothing to go by: a sentence ending in a value that may go on (free
    /// text, an unlisted name, a number: "forty" may become "forty two"),
    /// or text the grammar does not know (unless it ends on a word no
    /// sentence ends on, such as "the" or "to": then it is unfinished).
    Open,
}

/// Where a text leaves the grammar's walk: every way of reading it so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GrammarState {
    configs: Vec<Config>,
    /// The last word, not finished yet (as written, not normalised).
    partial: String,
}

impl GrammarState {
    /// Whether `other` read the same words so far (the one being said
    /// compared regardless of case): texts that differ in how they are
    /// written, not in what they say.
    pub fn same_words(&self, other: &GrammarState) -> bool {
        self.configs == other.configs && self.partial.to_lowercase() == other.partial.to_lowercase()
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Config {
    /// Automaton state, when not inside a slot.
    state: u32,
    fill: Option<Fill>,
    /// Words taken as free text on this reading.
    free: u16,
    /// Of them, words said anywhere ("please", "um").
    skipped: u8,
}

/// A slot being said: its words so far, and where the template goes on.
#[derive(Debug, Clone, PartialEq)]
struct Fill {
    slot: u32,
    to: u32,
    words: Vec<String>,
}

impl Grammar {
    /// Before any text.
    pub fn start(&self) -> GrammarState {
        GrammarState { configs: vec![Config { state: 0, fill: None, free: 0, skipped: 0 }], partial: String::new() }
    }

    /// The state after `piece` (text as a decoder writes it: a leading
    /// space starts a new word), or `None` when the text can no longer be
    /// a sentence of the grammar.
    pub fn feed(&self, state: &GrammarState, piece: &str) -> Option<GrammarState> {
        if !joins(&state.partial, piece) {
            return None;
        }
        let mut configs = std::borrow::Cow::Borrowed(&state.configs);
        let mut partial = state.partial.clone();
        for c in piece.chars() {
            // A Chinese character is a word of its own, spaced or not.
            let ideograph = is_ideograph(c);
            if c.is_whitespace() || ideograph {
                if !partial.is_empty() {
                    configs = std::borrow::Cow::Owned(self.words_done(&configs, &partial)?);
                    partial.clear();
                }
                if ideograph {
                    configs = std::borrow::Cow::Owned(self.words_done(&configs, c.encode_utf8(&mut [0; 4]))?);
                }
            } else if partial.len() < WORD_MAX_BYTES {
                partial.push(c);
            } else {
                return None;
            }
        }
        if !self.may_continue(&configs, &partial) {
            return None;
        }
        Some(GrammarState { configs: configs.into_owned(), partial })
    }

    /// The intent whose template the text so far says whole, if any.
    pub fn complete<'a>(&'a self, state: &GrammarState) -> Option<&'a str> {
        self.sentence(state).map(|(intent, _)| intent)
    }

    /// The intent whose template the text so far says whole, if any, and
    /// the words that reading takes as free text (its fewest).
    pub fn sentence<'a>(&'a self, state: &GrammarState) -> Option<(&'a str, usize)> {
        let best = self.settled(state)?.iter().filter(|c| self.is_accepting(c)).min_by_key(|c| c.free).cloned()?;
        Some((self.template_intent[self.accept_of(&best) as usize].as_str(), best.free as usize))
    }

    /// How `text` (a whole transcript so far) ends, for endpointing.
    pub fn ending(&self, text: &str) -> Ending {
        if text.trim().is_empty() {
            return Ending::Unfinished;
        }
        // Outside the templates, the last word still tells a sentence cut
        // short ("what is the weather like in the").
        let dangling = || if words(text).last().is_some_and(|w| DANGLING.contains(&w.as_str())) { Ending::Unfinished } else { Ending::Open };
        let Some(state) = self.feed(&self.start(), &format!(" {}", text.trim())) else { return dangling() };
        let Some(configs) = self.settled(&state) else { return dangling() };
        let mut accepting = configs.iter().filter(|c| self.is_accepting(c)).peekable();
        if accepting.peek().is_none() {
            return Ending::Unfinished;
        }
        let closed = accepting.all(|c| c.free == 0 && c.fill.as_ref().is_none_or(|f| self.fill_closed(f)));
        // A sentence that some template goes on from ("what did I get" +
        // "in maths") may be a speaker drawing breath.
        let mut next = Vec::new();
        configs.iter().for_each(|c| self.next_words(c, &mut next));
        if closed && next.is_empty() && configs.iter().all(|c| c.fill.as_ref().is_none_or(|f| self.fill_closed(f))) {
            Ending::Complete
        } else {
            dangling()
        }
    }

    /// A slot said whole that no further word could extend: a listed
    /// value of a closed list, and no longer value starting with it.
    fn fill_closed(&self, f: &Fill) -> bool {
        match self.slot_type(f.slot) {
            GrammarType::List { next, whole, open } => *open == 0 && whole.contains(&f.words.join(" ")) && !next.contains_key(&f.words.join(" ")),
            GrammarType::Builtin { .. } => false,
        }
    }

    /// Fewest words any reading of the text so far takes as free text.
    pub fn free_words(&self, state: &GrammarState) -> usize {
        self.settled(state).and_then(|c| c.iter().map(|c| c.free as usize).min()).unwrap_or(0)
    }

    /// The readings with the unfinished word taken as finished.
    fn settled<'s>(&self, state: &'s GrammarState) -> Option<std::borrow::Cow<'s, [Config]>> {
        if state.partial.is_empty() {
            Some(std::borrow::Cow::Borrowed(&state.configs))
        } else {
            self.words_done(&state.configs, &state.partial).map(std::borrow::Cow::Owned)
        }
    }

    /// Text that continues the grammar from `state`: the rest of the word
    /// being said, and next words with their leading space. Free text
    /// (wildcards, unlisted values) offers nothing: there the recogniser
    /// hears what it hears.
    pub fn expected(&self, state: &GrammarState, out: &mut Vec<String>) {
        if let Some((configs, stem)) = self.before_stem(&state.configs, &state.partial) {
            let mut next: Vec<&str> = Vec::new();
            for c in configs.iter() {
                self.next_words(c, &mut next);
            }
            next.sort_unstable();
            next.dedup();
            out.extend(
                next.into_iter().filter(|w| w.starts_with(stem.as_str()) && w.len() > stem.len()).take(MAX_EXPECTED).map(|w| w[stem.len()..].to_owned()),
            );
        }
        let Some(configs) = self.settled(state) else { return };
        let mut next: Vec<&str> = Vec::new();
        for c in configs.iter() {
            self.next_words(c, &mut next);
        }
        next.sort_unstable();
        next.dedup();
        out.extend(next.into_iter().take(MAX_EXPECTED).map(|w| format!(" {w}")));
    }

    /// The words that may follow on reading `c` (listed ones only).
    fn next_words<'a>(&'a self, c: &'a Config, out: &mut Vec<&'a str>) {
        match &c.fill {
            None => self.state_words(c.state, out),
            Some(f) => {
                if let GrammarType::List { next, .. } = self.slot_type(f.slot) {
                    out.extend(next.get(&f.words.join(" ")).into_iter().flatten().map(String::as_str));
                }
                if self.fill_done(f) {
                    self.state_words(f.to, out);
                }
            }
        }
    }

    fn state_words<'a>(&'a self, state: u32, out: &mut Vec<&'a str>) {
        for &(label, _) in self.edges_of(state) {
            match label {
                Label::Word(w) => out.push(&self.word_text[w as usize]),
                Label::Slot(s) => {
                    if let GrammarType::List { next, .. } = self.slot_type(s) {
                        out.extend(next.get("").into_iter().flatten().map(String::as_str));
                    }
                }
            }
        }
    }

    fn edges_of(&self, state: u32) -> &[(Label, u32)] {
        let s = state as usize;
        &self.edges[self.edge_index[s] as usize..self.edge_index[s + 1] as usize]
    }

    fn slot_type(&self, slot: u32) -> &GrammarType {
        &self.types[self.slot_types[slot as usize] as usize]
    }

    fn accept_of(&self, c: &Config) -> u32 {
        match &c.fill {
            None => self.accepts[c.state as usize],
            Some(f) if self.fill_done(f) => self.accepts[f.to as usize],
            Some(_) => NONE,
        }
    }

    fn is_accepting(&self, c: &Config) -> bool {
        self.accept_of(c) != NONE
    }

    /// A finished surface word (normalised into zero or more words).
    fn words_done(&self, configs: &[Config], surface: &str) -> Option<Vec<Config>> {
        let mut out = configs.to_vec();
        for w in words(surface) {
            out = self.word_done(&out, &w)?;
        }
        Some(out)
    }

    /// The readings after one more (normalised) word; `None` if none.
    fn word_done(&self, configs: &[Config], w: &str) -> Option<Vec<Config>> {
        let mut out: Vec<Config> = Vec::new();
        let push = |c: Config, out: &mut Vec<Config>| {
            if out.len() < MAX_CONFIGS && !out.contains(&c) {
                out.push(c);
            }
        };
        for c in configs {
            // Said anywhere, but no evidence for a template: as dear as free text.
            // A few of them: a decoder could otherwise say them for ever
            // ("just, just, please, just, ...") once nothing else fits.
            if self.skip.contains(w) && usize::from(c.skipped) < SKIPPED_MAX {
                push(Config { free: c.free + 1, skipped: c.skipped + 1, ..c.clone() }, &mut out);
            }
            match &c.fill {
                None => self.moves_from(c.state, w, c, &mut |c| push(c, &mut out)),
                Some(f) => {
                    if let Some(extra) = self.slot_takes(f.slot, &f.words, w) {
                        let mut words = f.words.clone();
                        words.push(w.to_owned());
                        push(Config { fill: Some(Fill { words, ..f.clone() }), free: c.free + extra, ..c.clone() }, &mut out);
                    }
                    if self.fill_done(f) {
                        self.moves_from(f.to, w, c, &mut |c| push(c, &mut out));
                    }
                }
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Moves on `w` out of automaton state `state`, from reading `c`.
    fn moves_from(&self, state: u32, w: &str, c: &Config, push: &mut impl FnMut(Config)) {
        let Config { free, skipped, .. } = *c;
        for &(label, to) in self.edges_of(state) {
            match label {
                Label::Word(id) if self.word_text[id as usize] == w => push(Config { state: to, fill: None, free, skipped }),
                Label::Word(_) => {}
                Label::Slot(slot) => {
                    if let Some(extra) = self.slot_takes(slot, &[], w) {
                        push(Config { state, fill: Some(Fill { slot, to, words: vec![w.to_owned()] }), free: free + extra, skipped });
                    }
                }
            }
        }
    }

    /// Whether slot `slot`, having heard `said`, takes `w` too, and how
    /// many free words that costs (0 or 1).
    fn slot_takes(&self, slot: u32, said: &[String], w: &str) -> Option<u16> {
        match self.slot_type(slot) {
            GrammarType::List { next, open, .. } => {
                if next.get(&said.join(" ")).is_some_and(|n| n.iter().any(|x| x == w)) {
                    Some(0)
                } else if said.len() < *open && (!said.is_empty() || !NOT_FIRST.contains(&w)) && may_be_inside(w) {
                    Some(1)
                } else {
                    None
                }
            }
            GrammarType::Builtin { ty: Builtin::Wildcard, max_words, .. } => (said.len() < *max_words).then_some(1),
            &GrammarType::Builtin { ty, language, .. } => {
                (said.len() < VALUE_MAX_WORDS && value_word(w, false, language) && value_may_grow(ty, said, w, language)).then_some(0)
            }
        }
    }

    /// Whether a slot's words so far make a whole value.
    fn fill_done(&self, f: &Fill) -> bool {
        match self.slot_type(f.slot) {
            GrammarType::List { whole, open, .. } => {
                whole.contains(&f.words.join(" ")) || (f.words.len() <= *open && f.words.last().is_some_and(|w| !NOT_LAST.contains(&w.as_str())))
            }
            GrammarType::Builtin { ty: Builtin::Wildcard, .. } => !f.words.is_empty(),
            &GrammarType::Builtin { ty, min, max, language, .. } => {
                let w: Vec<&str> = f.words.iter().map(String::as_str).collect();
                parse_builtin(ty, &w, language).is_some_and(|r| r.len == w.len() && r.in_range(min, max))
            }
        }
    }

    /// An unfinished word normalises to zero or more words ("I'm" is "i
    /// am"): the readings after all but its last, and that last one (the
    /// stem of a word still being said). `None` when it has no words or
    /// the finished ones leave the grammar.
    fn before_stem<'c>(&self, configs: &'c [Config], partial: &str) -> Option<(std::borrow::Cow<'c, [Config]>, String)> {
        let mut w = words(partial);
        let stem = w.pop()?;
        let mut configs = std::borrow::Cow::Borrowed(configs);
        for done in &w {
            configs = std::borrow::Cow::Owned(self.word_done(&configs, done)?);
        }
        Some((configs, stem))
    }

    /// Whether the unfinished word `partial` can still become a word some
    /// reading takes.
    fn may_continue(&self, configs: &[Config], partial: &str) -> bool {
        if words(partial).is_empty() {
            return true;
        }
        let Some((configs, last)) = self.before_stem(configs, partial) else { return false };
        if self.skip.iter().any(|s| s.starts_with(&last)) {
            return true;
        }
        configs.iter().any(|c| match &c.fill {
            None => self.state_may_start(c.state, &last),
            Some(f) => self.slot_may_take(f.slot, &f.words, &last) || (self.fill_done(f) && self.state_may_start(f.to, &last)),
        })
    }

    fn state_may_start(&self, state: u32, stem: &str) -> bool {
        self.edges_of(state).iter().any(|&(label, _)| match label {
            Label::Word(id) => self.word_text[id as usize].starts_with(stem),
            Label::Slot(slot) => self.slot_may_take(slot, &[], stem),
        })
    }

    /// Whether slot `slot`, having heard `said`, may take a word that
    /// starts with `stem`.
    fn slot_may_take(&self, slot: u32, said: &[String], stem: &str) -> bool {
        match self.slot_type(slot) {
            GrammarType::List { next, open, .. } => next.get(&said.join(" ")).is_some_and(|n| n.iter().any(|x| x.starts_with(stem))) || said.len() < *open,
            GrammarType::Builtin { ty: Builtin::Wildcard, max_words, .. } => said.len() < *max_words,
            &GrammarType::Builtin { ty, language, .. } => {
                said.len() < VALUE_MAX_WORDS && value_word(stem, true, language) && value_may_grow(ty, said, &least_number(stem), language)
            }
        }
    }
}

/// Whether `piece` may follow text ending in the unfinished word
/// `partial` (empty after a space). Symbols alone are sentence
/// punctuation once after a word, or parts of amounts and times ("$42",
/// "12.50", "5:30"); quotes, dashes, brackets and runs of punctuation
/// would let a decoder wander through text the grammar cannot see, and
/// letters after punctuation would glue words ("in...dones").
fn joins(partial: &str, piece: &str) -> bool {
    let Some(first) = piece.chars().next() else { return true };
    if first.is_whitespace() {
        let rest = piece.trim_start();
        // A command is one sentence: after its full stop only the end,
        // unless the stop was an abbreviation's ("p.m.", "Dr.").
        let abbreviation = |w: &str| w.chars().any(char::is_alphabetic) && !w.ends_with('.') && (w.contains('.') || (w.len() <= 2 && partial.ends_with('.')));
        let ended = partial.strip_suffix(['.', '?', '!']).is_some_and(|w| !abbreviation(w));
        // Spaces alone only end a word: after a full stop or another
        // space they would start the sentence afresh.
        return !ended && (if rest.is_empty() { !partial.is_empty() } else { rest.starts_with(|c: char| c.is_alphanumeric() || "$€£¥₹".contains(c)) });
    }
    let last = partial.chars().last();
    let before = partial.chars().rev().nth(1);
    let symbols = !piece.chars().any(char::is_alphanumeric);
    if symbols {
        let currency = piece.chars().all(|c| "$€£¥₹".contains(c));
        let allowed = piece.chars().all(|c| ".,?!:%".contains(c)) || piece == "-";
        // A currency sign starts a word ("$42"), glued to none ("add$0").
        return (allowed && last.is_some_and(char::is_alphanumeric)) || (currency && last.is_none());
    }
    match last {
        None => true,
        Some(l) if l.is_alphanumeric() || l == '\'' => true,
        // A hyphen inside a word ("mid-term", as "mid term"; "20-ounce").
        Some('-') => before.is_some_and(char::is_alphanumeric) && first.is_alphabetic(),
        // Digits after a separator inside a number, or a currency sign.
        Some(l) => first.is_ascii_digit() && ("$€£¥₹".contains(l) || (".,:".contains(l) && before.is_some_and(|b| b.is_ascii_digit()))),
    }
}

#[cfg(test)]
mod tests {
    use crate::{IntentSet, MatchParams, Matcher};

    const YAML: &str = r#"
domain: test
lists:
  place:
    values:
      - {value: airport, synonyms: [the airport]}
      - {value: home}
    open: 3
  drink: [latte, flat white, americano]
  setting: [twenty one degree, 18 degree, fog lights]
intents:
  order_ride:
    slots: {destination: place}
    templates: ["(book|get) [me] a ride to {destination}"]
  order_coffee:
    slots: {drink: drink, count: integer}
    templates: ["[a|one|{count}] {drink} please"]
  send_message:
    slots: {contact: place, message: wildcard}
    templates: ["text {contact} saying {message}"]
  set_climate:
    slots: {setting: setting}
    templates: ["set it to a {setting}"]
"#;

    fn grammar() -> crate::Grammar {
        let set = IntentSet::from_sources(&[("t.yaml", YAML)]).unwrap();
        Matcher::new(set, MatchParams::default()).grammar()
    }

    /// Feeds decoder-like pieces; None when a piece is refused.
    fn walk(g: &crate::Grammar, pieces: &[&str]) -> Option<crate::GrammarState> {
        let mut s = g.start();
        for p in pieces {
            s = g.feed(&s, p)?;
        }
        Some(s)
    }

    #[test]
    fn endings_tell_a_finished_command_from_one_still_being_said() {
        use crate::grammar::Ending;
        let g = grammar();
        assert_eq!(g.ending("book me a ride to"), Ending::Unfinished);
        assert_eq!(g.ending("Book me a"), Ending::Unfinished);
        assert_eq!(g.ending("set it to a fog lights."), Ending::Complete);
        assert_eq!(g.ending("a latte please"), Ending::Complete);
        // A closed list's value that a longer one starts with.
        assert_eq!(g.ending("set it to a twenty one degree"), Ending::Complete);
        // A sentence a template goes on from.
        assert_eq!(g.ending("book me a ride to home"), Ending::Open);
        // Values that may run on: an open list, a wildcard, a number.
        assert_eq!(g.ending("book me a ride to the airport"), Ending::Open);
        assert_eq!(g.ending("text home saying I am late"), Ending::Open);
        assert_eq!(g.ending("what time is it"), Ending::Open);
        assert_eq!(g.ending("what is the weather like in the"), Ending::Unfinished);
        assert_eq!(g.ending("text home saying I am at the"), Ending::Unfinished);
        assert_eq!(g.ending(""), Ending::Unfinished);
    }

    #[test]
    fn template_words_and_list_phrases() {
        let g = grammar();
        let s = walk(&g, &[" Book", " me", " a", " ride", " to", " the", " air", "port", "."]).unwrap();
        assert_eq!(g.complete(&s), Some("order_ride"));
        assert_eq!(g.free_words(&s), 0);
        // Inside a word, only continuations of some allowed word.
        let s = walk(&g, &[" Book", " me", " a", " ri"]).unwrap();
        assert!(g.feed(&s, "ver").is_none());
        assert_eq!(g.complete(&s), None);
        let mut next = Vec::new();
        g.expected(&s, &mut next);
        assert_eq!(next, vec!["de".to_string()], "'ri' is no word of its own");
        let s = walk(&g, &[" get", " me"]).unwrap();
        next.clear();
        g.expected(&s, &mut next);
        assert_eq!(next, vec![" a".to_string()], "'me' is finished: what follows it");
        // Quotes, dashes and runs of punctuation are not what a command needs.
        assert!(walk(&g, &[" Book", "-", "-"]).is_none());
        assert!(walk(&g, &[" Book", " -"]).is_none());
        assert!(walk(&g, &[" Book", " '"]).is_none());
        assert!(walk(&g, &[" Book", ",", "."]).is_none());
        // A command is one sentence.
        assert!(walk(&g, &[" Get", " me", " a", " ride", " to", " home", ".", " Get"]).is_none());
        assert!(walk(&g, &[" Get", " me", " a", " ride", " to", " home", "...", " Get"]).is_none());
        assert!(walk(&g, &[" Get", " me", " a", " ride", " to", " home", ".", "  ", " Get"]).is_none());
        assert!(walk(&g, &[" Get", " ", " ", " me"]).is_none());
        assert!(walk(&g, &[" get", " a", " ride", " to", " one", " for", " two"]).is_none(), "'for' is in no name");
        // Punctuation ends a word.
        assert!(walk(&g, &[" Book", " me", " a", " ri", ".", "de"]).is_none());
        // A word no template has there.
        assert!(walk(&g, &[" Book", " me", " a", " taxi"]).is_none());
        assert!(walk(&g, &[" What", " time"]).is_none());
    }

    #[test]
    fn open_lists_and_wildcards_take_free_text() {
        let g = grammar();
        // An unlisted place of up to three words, costing free words.
        let s = walk(&g, &[" get", " a", " ride", " to", " grand", " indonesia"]).unwrap();
        assert_eq!(g.complete(&s), Some("order_ride"));
        assert_eq!(g.free_words(&s), 2);
        assert_eq!(g.sentence(&s), Some(("order_ride", 2)));
        assert_eq!(g.sentence(&walk(&g, &[" get", " a", " ride", " to", " home"]).unwrap()), Some(("order_ride", 0)));
        assert_eq!(g.sentence(&walk(&g, &[" get", " a", " ride", " to"]).unwrap()), None);
        assert!(walk(&g, &[" get", " a", " ride", " to", " one", " two", " three", " four"]).is_none());
        // A symbol names no place, for the grammar nor the matcher.
        assert!(walk(&g, &[" get", " a", " ride", " to", " $", " "]).is_none());
        let m = Matcher::new(IntentSet::from_sources(&[("t.yaml", YAML)]).unwrap(), MatchParams::default());
        assert!(m.parse("get a ride to $").is_none_or(|p| p.slot("destination").is_none()));
        // A wildcard, then the end.
        let s = walk(&g, &[" Text", " home", " saying", " I'm", " running", " late", "."]).unwrap();
        assert_eq!(g.complete(&s), Some("send_message"));
        assert_eq!(g.free_words(&s), 4, "i am running late");
        // A wildcard cannot be empty.
        let s = walk(&g, &[" text", " home", " saying"]).unwrap();
        assert_eq!(g.complete(&s), None);
    }

    #[test]
    fn builtins_must_read_as_their_type() {
        let g = grammar();
        let s = walk(&g, &[" two", " flat", " white", "ish"]);
        assert!(s.is_none(), "'whiteish' is no drink");
        // A listed thing in the plural is still the thing.
        let s = walk(&g, &[" two", " flat", " white", "s", " please"]).unwrap();
        assert_eq!(g.complete(&s), Some("order_coffee"));
        let s = walk(&g, &[" 2", " flat", " white", " please"]).unwrap();
        assert_eq!(g.complete(&s), Some("order_coffee"));
        let s = walk(&g, &[" 1", ",", "000", " latte", " please"]).unwrap();
        assert_eq!(g.complete(&s), Some("order_coffee"));
        let s = walk(&g, &[" forty", " two", " latte", " please"]).unwrap();
        assert_eq!(g.complete(&s), Some("order_coffee"));
        // Words no number is said with.
        assert!(walk(&g, &[" blue", " latte", " please"]).is_none());
        // Words a number is said with, but not a number.
        let s = walk(&g, &[" the"]).unwrap();
        assert!(g.feed(&s, " latte").is_none());
        let mut next = Vec::new();
        g.expected(&g.start(), &mut next);
        for w in [" a", " one", " latte", " flat", " book", " text"] {
            assert!(next.iter().any(|n| n == w), "{w} in {next:?}");
        }
    }

    #[test]
    fn spellings_of_the_same_words_are_the_same() {
        let g = grammar();
        let said = |pieces: &[&str]| walk(&g, pieces).unwrap();
        assert!(said(&[" Book", " me", " a"]).same_words(&said(&[" book", " me", " a"])));
        assert!(said(&[" Bo"]).same_words(&said(&[" bo"])), "the word being said");
        assert!(!said(&[" book", " me", " a"]).same_words(&said(&[" book", " a"])));
        assert!(!said(&[" get", " a", " ride", " to", " home"]).same_words(&said(&[" get", " a", " ride", " to", " home", "."])));
    }

    #[test]
    fn nothing_runs_on_without_end() {
        let g = grammar();
        // Numbers with words no value reads between them.
        assert!(walk(&g, &[" 4", " to", " 7"]).is_none());
        assert!(walk(&g, &[" 4", ",", " 7"]).is_none());
        // Digits grouped as no number is written.
        assert!(walk(&g, &[" 4", ",", "7", ",", "3"]).is_none());
        assert!(walk(&g, &[" 4", ".", "7", " latte"]).is_none(), "no integer");
        let endless: Vec<&str> = [" 1"].into_iter().chain(std::iter::repeat_n([",", "000"], 8).flatten()).collect();
        assert!(walk(&g, &endless).is_none());
        assert!(walk(&g, &[" 6", ".", "000", "2"]).is_none());
        assert!(walk(&g, &[" tomorrow", " at", " 6", " latte"]).is_none(), "no number");
        // Free text takes any word, but not one without end.
        let s = walk(&g, &[" text", " home", " saying", " add"]).unwrap();
        assert!(g.feed(&s, "$").is_none(), "a currency sign glued to a word");
        let fed = std::iter::successors(Some(s), |s| g.feed(s, ".1")).take(40).count();
        assert!(fed < 40, "a word of 80 characters");

        let s = walk(&g, &[" 1", ",", "000", ",", "000", " latte", " please"]).unwrap();
        assert_eq!(g.complete(&s), Some("order_coffee"));
        // Values that go on after a number, or that start with words.
        let yaml = r#"
intents:
  pay:
    slots: {amount: money}
    templates: ["pay {amount} now"]
  remind:
    slots: {when: time, day: date, length: duration}
    templates: ["remind me {when}", "remind me on {day}", "remind me for {length}"]
skip_words: [um, please]
"#;
        let set = IntentSet::from_sources(&[("t.yaml", yaml)]).unwrap();
        let g = Matcher::new(set, MatchParams::default()).grammar();
        for text in [
            " pay 42 dollars and 50 cents now",
            " pay $1,250,000 now",
            " remind me in 10 minutes",
            " remind me at 5 30 pm",
            " remind me at twenty to 7",
            " remind me on the day after tomorrow",
            " remind me for 1 hour and 30 minutes",
        ] {
            let s = g.feed(&g.start(), text).unwrap_or_else(|| panic!("{text} refused"));
            assert!(g.complete(&s).is_some(), "{text} is whole");
        }
        assert!(g.feed(&g.start(), " pay 42 to 7").is_none());
        // A group of a number still being written ("1,2" of "1,250").
        let s = walk(&g, &[" pay", " 1", ",", "2", "50", " dollars", " now"]).unwrap();
        assert_eq!(g.complete(&s), Some("pay"));
        assert!(walk(&g, &[" pay", " 1", ",", "2", " dollars"]).is_none(), "1,2 is no amount");
        // A full stop after a number ends the sentence ("12.50." is no "p.m.").
        let pay = |end: &'static str| walk(&g, &[" pay", " $", "12", ".", "50", end, " now"]);
        assert!(pay("").is_some_and(|s| g.complete(&s) == Some("pay")));
        assert!(pay(".").is_none());
        // Words said anywhere, but not without end.
        let s = g.feed(&g.start(), " please um pay 42 dollars and 50 cents now please").unwrap();
        assert_eq!(g.complete(&s), Some("pay"), "a sentence in one piece, longer than any word");
        let s = g.feed(&g.start(), " please um pay $5 now please").unwrap();
        assert_eq!(g.complete(&s), Some("pay"));
        assert!(g.feed(&g.start(), " please um pay $5 now please um").and_then(|s| g.feed(&s, " ")).is_none());
    }

    #[test]
    fn list_phrases_with_numbers_in_either_form() {
        let g = grammar();
        for pieces in [
            &[" set", " it", " to", " a", " 21", "-", "degree", "."][..],
            &[" set", " it", " to", " a", " twenty", "-", "one", " degree"],
            &[" set", " it", " to", " a", " 18", " degree"],
            &[" set", " it", " to", " a", " eighteen", "-", "degree"],
        ] {
            let s = walk(&g, pieces).unwrap_or_else(|| panic!("{pieces:?} refused"));
            assert_eq!(g.complete(&s), Some("set_climate"), "{pieces:?}");
            assert_eq!(g.free_words(&s), 0, "{pieces:?}");
        }
        assert!(walk(&g, &[" set", " it", " to", " a", " 22", " degree"]).is_none(), "22 is not listed");
        let set = IntentSet::from_sources(&[("t.yaml", YAML)]).unwrap();
        let m = Matcher::new(set, MatchParams::default());
        for text in ["Set it to a 21-degree.", "set it to a twenty-one degree", "Set it to a eighteen degree"] {
            let got = m.parse(text).unwrap_or_else(|| panic!("{text} not understood"));
            assert_eq!(got.name, "set_climate", "{text}");
            let want = if text.contains("eighteen") { "18 degree" } else { "twenty one degree" };
            assert_eq!(got.slot("setting").map(|s| s.value.to_string()).as_deref(), Some(want), "{text}");
        }
    }

    /// Chinese arrives without spaces, a character or a few per piece:
    /// each character is a word, as in the matcher.
    #[test]
    fn characters_are_words() {
        use crate::grammar::Ending;
        use crate::Language;
        let g = Matcher::new(IntentSet::builtin_in(Language::Mandarin).unwrap(), MatchParams::default()).grammar();
        let s = walk(&g, &["打", "车去", "机场"]).unwrap();
        assert_eq!(g.complete(&s), Some("order_ride"));
        let s = walk(&g, &["给王伟", "转", "两百", "元"]).unwrap();
        assert_eq!(g.complete(&s), Some("transfer_money"));
        assert_eq!(g.complete(&walk(&g, &["查", "余额"]).unwrap()), Some("check_balance"));
        for said in [&["查", "余额", "吃"][..], &["付", "电费", "吃"], &["扫码", "付款", "吃"]] {
            assert!(walk(&g, said).is_none(), "no template goes on with 吃: {said:?}");
        }
        assert_eq!(g.ending("打车去"), Ending::Unfinished);
        assert_ne!(g.ending("打车去机场"), Ending::Unfinished);
    }
}
