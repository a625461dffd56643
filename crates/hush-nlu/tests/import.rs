//! Rhino and hassil imports parse as their source engines would on clean
//! text: same intent, same slot values (the source's canonical phrase).

use hush_nlu::import::{hassil_path, rhino, rhino_file};
use hush_nlu::{sample, IntentSet, MatchParams, Matcher, Value};
use std::path::Path;

fn fixture(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(p)
}

fn load(yaml: &str) -> Matcher {
    let set = IntentSet::from_sources(&[("imported.yaml", yaml)]).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    Matcher::new(set, MatchParams::default())
}

fn check(m: &Matcher, text: &str, intent: &str, slots: &[(&str, Value)]) {
    let got = m.parse(text).unwrap_or_else(|| panic!("\"{text}\" not understood"));
    assert_eq!(got.name, intent, "\"{text}\"");
    let mut have: Vec<(String, Value)> = got.slots.iter().map(|s| (s.name.clone(), s.value.clone())).collect();
    let mut want: Vec<(String, Value)> = slots.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    have.sort_by(|a, b| a.0.cmp(&b.0));
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(have, want, "\"{text}\"");
    assert_eq!(got.cost, 0.0, "\"{text}\" is an exact expression");
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

/// Every sentence generated from the imported templates parses back.
fn round_trips(m: &Matcher) {
    for s in sample(m.intents(), 20, 3) {
        let got = m.parse(&s.text).unwrap_or_else(|| panic!("\"{}\" not understood", s.text));
        assert_eq!(got.name, s.intent, "\"{}\"", s.text);
        for (k, v) in &s.slots {
            assert_eq!(got.slot(k).map(|x| &x.value), Some(v), "\"{}\" slot {k}", s.text);
        }
    }
}

#[test]
fn rhino_context_parses_like_rhino() {
    let m = load(&rhino_file(&fixture("rhino_coffee.yaml")).unwrap());
    check(&m, "I want a large latte", "orderBeverage", &[("size", text("large")), ("beverage", text("latte"))]);
    check(&m, "I'd like a small hot chocolate please", "orderBeverage", &[("size", text("small")), ("beverage", text("hot chocolate"))]);
    check(&m, "could you make me a big one of cappuccino", "orderBeverage", &[("beverage", text("cappuccino"))]);
    check(&m, "espresso", "orderBeverage", &[("beverage", text("espresso"))]);
    check(&m, "never mind the order", "cancelOrder", &[]);
    check(&m, "set a timer for 15 minutes", "setTimer", &[("minutes", Value::Integer(15))]);
    check(&m, "remind me in twenty five minutes", "setTimer", &[("minutes", Value::Integer(25))]);
    // Out of the pv.TwoDigitInteger range: no exact parse.
    assert!(m.parse("set a timer for 150 minutes").is_none_or(|i| i.cost > 0.0));
    round_trips(&m);
}

#[test]
fn hassil_sentences_parse_like_hassil() {
    let m = load(&hassil_path(&fixture("hassil")).unwrap());
    check(&m, "turn on the living room lamp", "HassTurnOn", &[("name", text("light.living_room_lamp"))]);
    check(&m, "kitchen light on", "HassTurnOn", &[("name", text("light.kitchen"))]);
    check(&m, "please switch on the porch light", "HassTurnOn", &[("name", text("porch light"))]);
    check(&m, "turn on the lights in the bedroom", "HassTurnOn", &[("area", text("bedroom")), ("domain", text("light"))]);
    check(&m, "set the kitchen light brightness to 50%", "HassLightSet", &[("name", text("light.kitchen")), ("brightness", Value::Integer(50))]);
    check(&m, "dim the living room lamp to 20 percent", "HassLightSet", &[("name", text("light.living_room_lamp")), ("brightness", Value::Integer(20))]);
    check(&m, "turn off the porch light", "HassTurnOff", &[("name", text("porch light"))]);
    round_trips(&m);
}

#[test]
fn import_errors_name_the_place() {
    let bad = "context:\n  expressions:\n    order:\n      - \"[get, make (a) coffee\"\n";
    let e = rhino("bad.yaml", bad).unwrap_err().to_string();
    assert!(e.contains("bad.yaml") && e.contains("4:") && e.contains("missing ']'"), "{e}");
    let e = rhino("none.yaml", "expressions: {}\n").unwrap_err().to_string();
    assert!(e.contains("no `context:`"), "{e}");
    let e = hassil_path(Path::new("/nonexistent/hassil.yaml")).unwrap_err().to_string();
    assert!(e.contains("cannot read"), "{e}");
    let perm = "intents:\n  X:\n    data:\n      - sentences: [\"a;b\"]\n";
    let e = hush_nlu::import::hassil(&[("p.yaml", perm)]).unwrap_err().to_string();
    assert!(e.contains("permutations"), "{e}");
}

/// The grammar a recogniser is steered by takes every sentence the
/// templates generate, fed as a decoder writes it (a capital, pieces of
/// words, a full stop), and names the sentence's intent.
fn grammar_takes_its_samples(m: &Matcher) {
    let g = m.grammar();
    let mut checked = 0;
    for s in sample(m.intents(), 5, 9) {
        let mut state = g.start();
        let mut text: String = s.text.clone();
        if let Some(c) = text.get(..1) {
            text = c.to_uppercase() + &text[1..];
        }
        // Words split in two pieces where long, as BPE does.
        for w in format!("{text}.").split(' ') {
            let cut = w.char_indices().nth(4).map_or(w.len(), |(i, _)| i);
            for piece in [format!(" {}", &w[..cut]), w[cut..].to_owned()] {
                state = g.feed(&state, &piece).unwrap_or_else(|| panic!("\"{}\": refused at {piece:?}", s.text));
            }
        }
        let parsed = m.parse(&s.text).map(|p| p.name);
        let complete = g.complete(&state);
        assert!(complete.is_some(), "\"{}\" is whole", s.text);
        // Sentences two intents share may end in either.
        if parsed.as_deref() == Some(s.intent.as_str()) && complete != Some(s.intent.as_str()) {
            let other = complete.unwrap_or_default();
            assert!(m.parse_nbest(&s.text, 5).iter().any(|p| p.name == other && p.cost == 0.0), "\"{}\": {other}", s.text);
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn grammar_of_an_imported_rhino_context_takes_its_sentences() {
    let m = load(&rhino_file(&fixture("rhino_coffee.yaml")).unwrap());
    grammar_takes_its_samples(&m);
    let g = m.grammar();
    let mut s = g.start();
    for piece in [" I", " want", " a", " large"] {
        s = g.feed(&s, piece).unwrap();
    }
    assert!(g.feed(&s, " pizza").is_none(), "not a beverage");
    let mut next = Vec::new();
    g.expected(&s, &mut next);
    assert!(next.contains(&" latte".to_string()) && next.contains(&" hot".to_string()), "{next:?}");
}

#[test]
fn grammar_of_the_builtin_domains_takes_their_sentences() {
    grammar_takes_its_samples(&Matcher::new(IntentSet::builtin().unwrap(), MatchParams::default()));
    // Indonesian writes its numbers otherwise ("Rp50.000", "1,5 juta").
    grammar_takes_its_samples(&Matcher::new(IntentSet::builtin_in(hush_nlu::Language::Indonesian).unwrap(), MatchParams::default()));
}
