//! Sentences generated from templates, with the slots they should parse
//! to: for `hush intents sample`, round-trip tests, and training data for
//! the learned model.

use crate::normalize::words;
use crate::read::parse_builtin;
use crate::search::fixed_value;
use crate::spec::{IntentSet, SlotType};
use crate::template::Expr;
use crate::values::{Builtin, Value};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A generated sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub intent: String,
    /// Index of the template it came from, within its intent.
    pub template: usize,
    pub text: String,
    /// Slots as the sentence says them (template-fixed slots included).
    pub slots: Vec<(String, Value)>,
    /// Where each said slot is in `text`: (slot, start, end) in characters,
    /// end exclusive (fixed slots are not said, so have none).
    pub spans: Vec<(String, usize, usize)>,
}

/// A prompt that tells a recogniser what this app's commands sound like:
/// one sentence sampled from each intent's first template, then the
/// phrases of its lists ("americano", "electricity", "top up"), at most
/// `max_chars` characters. Whisper reads it as text said before the audio
/// (so it is written as sentences, not a word list) and spells what it
/// hears after it the same way. Reproducible: the sample's seed is fixed.
///
/// The sentences take at most three quarters of the room: the list
/// phrases are the words Whisper is likeliest to misspell, and a longer
/// template elsewhere in the set must not crowd them out. Whatever does
/// not fit is left out and the next, shorter one still tried.
pub fn vocabulary_prompt(set: &IntentSet, max_chars: usize) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    let add = |out: &mut String, part: &str, sep: &str, room: usize| {
        let sep = if out.is_empty() { "" } else { sep };
        let fits = out.len() + sep.len() + part.len() <= room;
        if fits {
            out.push_str(sep);
            out.push_str(part);
        }
        fits
    };
    for s in sample(set, 1, 7).into_iter().filter(|s| s.template == 0 && !s.text.is_empty()) {
        if seen.insert(s.intent.clone()) {
            let mut c = s.text.chars();
            let first = c.next().map(|f| f.to_uppercase().collect::<String>()).unwrap_or_default();
            add(&mut out, &format!("{first}{}.", c.as_str()), " ", max_chars * 3 / 4);
        }
    }
    let phrases = set.lists.iter().flat_map(|l| l.values.iter().map(|v| v.phrases.first().unwrap_or(&v.value)));
    let mut listing = false;
    for p in phrases {
        listing |= add(&mut out, p, if listing { ", " } else { " " }, max_chars);
    }
    out
}

/// Draws per sample before settling for one that reads badly.
const DRAWS: usize = 16;

/// `per_template` sentences from every template of `set`, reproducible
/// for a given seed, each drawn again (up to 16 times) while it reads
/// badly: a word twice in a row, an article that does not fit the next
/// word, two determiners, a slot said twice.
pub fn sample(set: &IntentSet, per_template: usize, seed: u64) -> Vec<Sample> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::new();
    for intent in &set.intents {
        for (ti, t) in intent.templates.iter().enumerate() {
            for _ in 0..per_template {
                // The first draw that reads well, else the one with the
                // fewest faults: every sample stays a sentence of its template.
                let mut best: Option<(usize, Sample)> = None;
                for _ in 0..DRAWS {
                    let mut s = Sample { intent: intent.name.clone(), template: ti, text: String::new(), slots: Vec::new(), spans: Vec::new() };
                    expand(set, &intent.name, &t.expr, &mut rng, &mut s, 0);
                    // Nothing is said before the first word, so only the end
                    // can hold blanks, and the spans stay valid.
                    s.text.truncate(s.text.trim_end().len());
                    let f = faults(&s);
                    if best.as_ref().is_none_or(|(bf, _)| f < *bf) {
                        best = Some((f, s));
                    }
                    if f == 0 {
                        break;
                    }
                }
                let Some((_, mut s)) = best else { continue };
                for (k, v) in &t.fixed {
                    if !s.slots.iter().any(|(n, _)| n == k) {
                        s.slots.push((k.clone(), fixed_value(intent.slot(k).map(|x| &x.ty), v)));
                    }
                }
                out.push(s);
            }
        }
    }
    out
}

fn say(s: &mut Sample, text: &str) {
    if !s.text.is_empty() {
        s.text.push(' ');
    }
    s.text.push_str(text);
}

/// What makes a sampled sentence read badly though the templates allow
/// it: a word said twice in a row ("to the the station"), an article that
/// does not fit the next word ("a invoice", "an taxi"), two determiners
/// ("my the wallet"), a slot said twice ("tomorrow ... tomorrow"). Templates are written to accept what people
/// say, loosely; samples should read as people say it.
fn faults(s: &Sample) -> usize {
    let words: Vec<&str> = s.text.split(' ').collect();
    let doubled = words.windows(2).filter(|w| w[0] == w[1]).count();
    let articles = words.windows(2).filter(|w| (w[0] == "a" && an_before(w[1])) || (w[0] == "an" && !an_before(w[1]))).count();
    const DETERMINERS: &[&str] = &["a", "an", "the", "my", "our", "your", "his", "her", "their", "some", "this", "that"];
    let determiners = words.windows(2).filter(|w| DETERMINERS.contains(&w[0]) && DETERMINERS.contains(&w[1])).count();
    let slots = s.slots.iter().enumerate().filter(|(i, (n, _))| s.slots[..*i].iter().any(|(m, _)| m == n)).count();
    doubled + articles + determiners + slots
}

/// Whether "an" goes before `word` (by its first sound, as spelled).
fn an_before(word: &str) -> bool {
    const CONSONANT_SOUND: &[&str] = &["uni", "use", "usu", "one", "once", "eu", "ewe", "ubi"];
    const VOWEL_SOUND: &[&str] = &["hour", "honest", "honour", "honor", "heir"];
    let vowel = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    (vowel && !CONSONANT_SOUND.iter().any(|p| word.starts_with(p))) || VOWEL_SOUND.iter().any(|p| word.starts_with(p))
}

fn expand(set: &IntentSet, intent: &str, e: &Expr, rng: &mut StdRng, s: &mut Sample, depth: usize) {
    match e {
        Expr::Word(w) => say(s, w),
        Expr::Seq(items) => items.iter().for_each(|x| expand(set, intent, x, rng, s, depth)),
        Expr::Alt(branches) => {
            let b = &branches[rng.random_range(0..branches.len())];
            expand(set, intent, b, rng, s, depth);
        }
        Expr::Opt(inner) => {
            if rng.random_bool(0.5) {
                expand(set, intent, inner, rng, s, depth);
            }
        }
        Expr::Rule(name) => {
            if let Some(body) = set.rules.get(name).filter(|_| depth < 32) {
                expand(set, intent, body, rng, s, depth + 1);
            }
        }
        Expr::Slot { name, .. } => {
            let Some(spec) = set.intent(intent).and_then(|i| i.slot(name)) else { return };
            let (text, value) = match &spec.ty {
                SlotType::List(l) => {
                    let values = &set.lists[*l].values;
                    let v = &values[rng.random_range(0..values.len())];
                    let phrase = &v.phrases[rng.random_range(0..v.phrases.len())];
                    (phrase.clone(), Value::Text(v.value.clone()))
                }
                &SlotType::Builtin { ty: Builtin::Wildcard, language, .. } => {
                    let phrases = crate::read::samples(Builtin::Wildcard, language);
                    let p = phrases[rng.random_range(0..phrases.len())];
                    (p.to_string(), Value::Text(p.to_string()))
                }
                &SlotType::Builtin { ty, min, max, language, .. } => match (min, max) {
                    (Some(lo), Some(hi)) if lo <= hi => {
                        let n = rng.random_range(lo.ceil() as i64..=hi.floor() as i64);
                        let value = if ty == Builtin::Number { Value::Number(n as f64) } else { Value::Integer(n) };
                        (n.to_string(), value)
                    }
                    _ => {
                        let phrases = crate::read::samples(ty, language);
                        let p = phrases[rng.random_range(0..phrases.len())];
                        let w = words(p);
                        let w: Vec<&str> = w.iter().map(String::as_str).collect();
                        let Some(r) = parse_builtin(ty, &w, language) else { return };
                        (p.to_string(), r.value)
                    }
                },
            };
            let start = s.text.chars().count() + usize::from(!s.text.is_empty());
            say(s, &text);
            s.spans.push((name.clone(), start, start + text.chars().count()));
            s.slots.push((name.clone(), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{IntentSet, MatchParams, Matcher};

    #[test]
    fn vocabulary_prompt_holds_commands_then_list_phrases() {
        let set = IntentSet::builtin().unwrap();
        let p = super::vocabulary_prompt(&set, 800);
        assert!(p.len() <= 800 && p.len() > 400, "{} chars: {p}", p.len());
        assert_eq!(p, super::vocabulary_prompt(&set, 800), "reproducible");
        let m = Matcher::new(set.clone(), MatchParams::default());
        let sentences: Vec<&str> = p.split(". ").take(3).collect();
        for s in &sentences {
            assert!(m.parse(s).is_some(), "each sentence is a command of the set: {s:?} in {p}");
        }
        let listed = p.rsplit(". ").next().unwrap_or("");
        assert!(listed.matches(", ").count() >= 10, "list phrases keep a quarter of the room: {p}");
        assert!(super::vocabulary_prompt(&set, 40).len() <= 40);
    }

    #[test]
    fn spans_point_at_the_slot_words() {
        let set = IntentSet::builtin().unwrap();
        let samples = super::sample(&set, 3, 9);
        let mut seen = 0;
        for s in &samples {
            for (name, a, b) in &s.spans {
                let said: String = s.text.chars().skip(*a).take(b - a).collect();
                assert!(!said.is_empty() && !said.starts_with(' ') && !said.ends_with(' '), "{name} in {:?}: {said:?}", s.text);
                assert!(b <= &s.text.chars().count());
                seen += 1;
            }
        }
        assert!(seen > 500, "{seen} spans");
    }

    /// The built-in domains' samples read as people say them: no word
    /// twice in a row, articles that fit, one determiner, each slot once
    /// (the templates allow all of these; issue 20 found "a invoice").
    #[test]
    fn samples_read_well() {
        let set = IntentSet::builtin().unwrap();
        let samples = super::sample(&set, 20, 1);
        let bad: Vec<&str> = samples.iter().filter(|s| super::faults(s) > 0).map(|s| s.text.as_str()).collect();
        assert!(bad.len() * 200 <= samples.len(), "{} of {}: {:?}", bad.len(), samples.len(), &bad[..bad.len().min(10)]);
        assert!(super::an_before("invoice") && super::an_before("hour") && !super::an_before("university") && !super::an_before("taxi"));
    }

    #[test]
    fn builtin_domains_load() {
        let set = match IntentSet::builtin() {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        for i in &set.intents {
            eprintln!("{} {} templates", i.name, i.templates.len());
        }
        let m = Matcher::new(set, MatchParams::default());
        eprintln!("{} states", m.state_count());
    }
}
