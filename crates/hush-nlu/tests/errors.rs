//! Bad intent files: every problem is reported with file, line and column
//! and says how to fix it; nothing panics on any input.

use hush_nlu::{IntentSet, MatchParams, Matcher};
use proptest::prelude::*;

fn errors(src: &str) -> Vec<String> {
    match IntentSet::from_sources(&[("app.yaml", src)]) {
        Ok(_) => panic!("accepted:\n{src}"),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

fn one(src: &str, at: &str, says: &str) {
    let errs = errors(src);
    assert!(errs.iter().any(|e| e.starts_with(at) && e.contains(says)), "wanted {at} … {says}, got {errs:#?}");
}

#[test]
fn malformed_yaml() {
    one("intents:\n  a: [1\n  b: 2\n", "app.yaml:3:", "not valid YAML");
}

#[test]
fn unknown_slot_type() {
    one("intents:\n  pay:\n    slots:\n      amount: monies\n    templates: [\"pay {amount}\"]\n", "app.yaml:4:15", "unknown slot type 'monies'");
}

#[test]
fn unknown_language() {
    one(
        "language: klingon\nintents:\n  go:\n    templates: [\"go home\"]\n",
        "app.yaml:1:11",
        "unknown language 'klingon': intent files are read in en, id, zh",
    );
    one("language: [id]\nintents:\n  go:\n    templates: [\"go home\"]\n", "app.yaml:1:", "`language`");
}

#[test]
fn template_uses_missing_slot_or_rule() {
    one("intents:\n  go:\n    templates:\n      - \"go to {where}\"\n", "app.yaml:4:9", "slot {where}");
    one("intents:\n  go:\n    templates:\n      - \"<polite> go home\"\n", "app.yaml:4:9", "<polite>, which is not defined");
}

#[test]
fn unbalanced_brackets_point_at_the_column() {
    // The template starts at column 9 (after the quote, column 10); the
    // missing ')' is noticed at its end.
    one("intents:\n  go:\n    templates:\n      - \"(go|drive to home\"\n", "app.yaml:4:27", "missing ')'");
    one("intents:\n  go:\n    templates:\n      - go home]\n", "app.yaml:4:16", "closes nothing");
}

#[test]
fn duplicate_intents_lists_and_rules() {
    let a = "lists:\n  place: [home]\nrules:\n  p: please\nintents:\n  go:\n    templates: [\"go {place}\"]\n";
    let errs = match IntentSet::from_sources(&[("a.yaml", a), ("b.yaml", a)]) {
        Ok(_) => panic!("duplicates accepted"),
        Err(e) => e.to_string(),
    };
    assert!(errs.contains("b.yaml:6:3: intent 'go' is defined twice (first at a.yaml:6:3)"), "{errs}");
    assert!(errs.contains("b.yaml:2:3: list 'place' is defined twice"), "{errs}");
    assert!(errs.contains("b.yaml:4:3: rule 'p' is defined twice"), "{errs}");
    // Within one file YAML itself refuses the duplicate key.
    one("intents:\n  go:\n    templates: [a]\n  go:\n    templates: [b]\n", "app.yaml:4:", "duplicated key");
}

#[test]
fn recursive_rules() {
    one("rules:\n  a: \"x <b>\"\n  b: \"y [<a>]\"\nintents:\n  i:\n    templates: [\"<a>\"]\n", "app.yaml:2:3", "rule 'a' uses itself (a → b → a)");
}

#[test]
fn unknown_keys_and_wrong_shapes() {
    one("intents:\n  go:\n    template: [\"go\"]\n", "app.yaml:3:5", "unknown key 'template'");
    one("intents:\n  go:\n    confirm: maybe\n    templates: [go]\n", "app.yaml:3:14", "`confirm` must be true or false");
    one("intents:\n  go:\n    required: [where]\n    templates: [go]\n", "app.yaml:3:15", "required slot 'where'");
    // The question asked before an intent runs needs it confirmed, and
    // names only its slots.
    one("intents:\n  go:\n    confirmation: \"Go?\"\n    templates: [go]\n", "app.yaml:3:19", "needs `confirm: true`");
    let unknown = "intents:\n  go:\n    confirm: true\n    confirmation: \"Go to {place}?\"\n    slots: {to: wildcard}\n    templates: [\"go {to}\"]\n";
    one(unknown, "app.yaml:4:19", "`confirmation` says {place}, which is not a slot of 'go'");
    one("intents:\n  go:\n    confirm: true\n    confirmation: [a]\n    templates: [go]\n", "app.yaml:4:19", "`confirmation` must be a string");
    one("lists:\n  time: [noon]\n", "app.yaml:2:3", "built-in slot type");
    one("intents: [a, b]\n", "app.yaml:1:10", "must be a mapping");
}

#[test]
fn all_problems_at_once() {
    let src = "intents:\n  a:\n    templates: [\"(x\"]\n  b:\n    templates: [\"{nope}\"]\n";
    assert_eq!(errors(src).len(), 2);
}

fn matcher() -> Matcher {
    Matcher::new(IntentSet::builtin().unwrap(), MatchParams::default())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Any text as a template: an error or a template, never a panic.
    #[test]
    fn template_parser_never_panics(t in "[a-z (){}\\[\\]<>|:'$%.,0-9-]{0,40}") {
        let src = format!("intents:\n  x:\n    templates:\n      - {}\n", serde_json::to_string(&t).unwrap());
        let _ = IntentSet::from_sources(&[("fuzz.yaml", &src)]);
    }

    /// Any YAML-ish text as an intent file: never a panic.
    #[test]
    fn loader_never_panics(src in "[a-z:\\- \\n\\[\\]{}\"'<>|()]{0,120}") {
        let _ = IntentSet::from_sources(&[("fuzz.yaml", &src)]);
    }

    /// Any transcript: a parse or none, never a panic, confidences in [0, 1].
    #[test]
    fn matcher_never_panics(text in "\\PC{0,80}") {
        let m = MATCHER.with(|m| m.clone());
        for p in m.parse_nbest(&text, 3) {
            prop_assert!((0.0..=1.0).contains(&p.confidence));
        }
    }

    /// Word salad from the templates' own vocabulary, the hardest input
    /// for the search.
    #[test]
    fn matcher_survives_word_salad(words in proptest::collection::vec(prop::sample::select(vec![
        "pay", "my", "bill", "to", "the", "airport", "$", "42", "rp", "50.000", "at", "5:30", "pm", "text", "mom",
        "play", "volume", "up", "book", "a", "ride", "twenty", "first", "of", "march", "please", "um",
    ]), 0..30)) {
        let m = MATCHER.with(|m| m.clone());
        let _ = m.parse_nbest(&words.join(" "), 5);
    }
}

thread_local! {
    static MATCHER: std::rc::Rc<Matcher> = std::rc::Rc::new(matcher());
}
