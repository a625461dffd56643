//! The reproductions of issue 19 (hostile intent files and text): each is
//! a clear error or a refusal, never a panic, an abort or a stall, and
//! stays under 1 s and 100 MB (`tests/support/bounded.rs` counts each
//! test thread's allocations).

use hush_nlu::{parse_number, IntentSet, MatchParams, Matcher};

#[path = "../../../tests/support/bounded.rs"]
mod bounded;
use bounded::bounded;

fn load(src: &str) -> Result<IntentSet, Vec<String>> {
    IntentSet::from_sources(&[("app.yaml", src)]).map_err(|e| e.0.iter().map(|e| e.to_string()).collect())
}

fn refused(what: &str, src: &str, says: &str) {
    let errs = bounded(what, || load(src)).expect_err(what);
    // `says` may give alternatives: "this|that".
    assert!(errs.iter().any(|e| says.split('|').any(|s| e.contains(s))), "{what}: wanted '{says}', got {:?}", &errs[..errs.len().min(3)]);
}

fn intent_with(template: &str) -> String {
    format!("intents:\n  i:\n    templates:\n      - \"{template}\"\n")
}

#[test]
fn brackets_twenty_thousand_deep() {
    let deep = format!("{}x{}", "(".repeat(20_000), ")".repeat(20_000));
    assert!(deep.len() > 16_384);
    // Over the length limit, and over the depth limit when short enough.
    refused("20,000 brackets", &intent_with(&deep), "characters");
    let deep = format!("{}x{}", "[".repeat(1_000), "]".repeat(1_000));
    refused("1,000 brackets", &intent_with(&deep), "nested more than 32");
}

#[test]
fn yaml_thirty_thousand_deep() {
    let mut src = String::from("intents:\n  i:\n    templates:\n      - ");
    src.push_str(&"- ".repeat(30_000));
    src.push_str("x\n");
    refused("30,000 nested '- '", &src, "nested more than 64");
    let flow = format!("lists:\n  l: {}a{}\n", "[".repeat(30_000), "]".repeat(30_000));
    // The parser itself stops nesting in flow style.
    refused("30,000 nested '['", &flow, "nested more than 64|recursion limit");
}

#[test]
fn rules_that_double_at_every_step() {
    let mut src = String::from("rules:\n");
    for i in 1..30 {
        src.push_str(&format!("  r{i}: \"<r{}> <r{}>\"\n", i + 1, i + 1));
    }
    src.push_str("  r30: \"w\"\n");
    src.push_str(&intent_with("<r1>"));
    refused("30 doubling rules", &src, "expands to");
    // Alternatives that multiply rather than add: a small file, a huge automaton.
    let mut src = String::from("rules:\n");
    for i in 1..20 {
        src.push_str(&format!("  r{i}: \"(a|b|c|d) [<r{}>] (e|f|g|h) [<r{}>]\"\n", i + 1, i + 1));
    }
    src.push_str("  r20: \"w\"\n");
    src.push_str(&intent_with("<r1>"));
    assert!(src.len() < 1500, "{}", src.len());
    refused("a 1 KB file 20 rules deep", &src, "expands to");
}

#[test]
fn rules_in_a_long_chain_or_a_cycle() {
    let mut src = String::from("rules:\n");
    for i in 1..30_000 {
        src.push_str(&format!("  r{i}: \"<r{}>\"\n", i + 1));
    }
    src.push_str("  r30000: \"w\"\n");
    src.push_str(&intent_with("<r1>"));
    refused("30,000 chained rules", &src, "more than 32 rules");
    refused("a cycle", "rules:\n  a: \"<b>\"\n  b: \"<a>\"\n", "uses itself");
}

#[test]
fn a_thousand_optional_words_compile_quickly() {
    let words: Vec<String> = (0..1000).map(|i| format!("[w{i}]")).collect();
    let src = intent_with(&format!("{} end", words.join(" ")));
    let set = bounded("1,000 optional words: load", || load(&src)).expect("a long but honest template loads");
    let m = bounded("1,000 optional words: compile", || Matcher::new(set, MatchParams::default()));
    let i = m.parse("w5 w7 w998 end").expect("parses");
    assert_eq!((i.name.as_str(), i.cost), ("i", 0.0));
}

#[test]
fn ranges_are_of_whole_numbers() {
    let src = "lists:\n  r:\n    range: {from: 0.5, to: 0.7}\nintents:\n  i:\n    templates: [\"set {r:level}\"]\n";
    refused("fractional range", src, "whole numbers");
    let src = "lists:\n  r:\n    range: {from: 9, to: 1}\nintents:\n  i:\n    templates: [\"set {r:level}\"]\n";
    refused("empty range", src, "empty range");
}

#[test]
fn a_huge_word_or_text_is_refused_quickly() {
    let m = Matcher::new(IntentSet::builtin().unwrap(), MatchParams::default());
    let word = "a".repeat(400_000);
    assert!(bounded("a 400 KB word", || m.parse(&word)).is_none());
    let many = "pay my bill ".repeat(5_000);
    assert!(bounded("60,000 words", || m.parse_nbest(&many, 3)).is_empty());
    // A long word within the cap is looked up without trying its deletions.
    let long = format!("pay my {} bill", "x".repeat(900));
    bounded("a 900-letter word", || m.parse(&long));
}

#[test]
fn numbers_that_overflow_are_not_numbers() {
    let words: Vec<&str> = std::iter::once("one").chain(std::iter::repeat_n("hundred", 100)).collect();
    assert!(bounded("one hundred hundred …", || parse_number(&words)).is_none());
    let m = Matcher::new(IntentSet::builtin().unwrap(), MatchParams::default());
    let text = format!("pay my water bill of one {} dollars", vec!["hundred"; 30].join(" "));
    let parsed = m.parse(&text);
    assert!(parsed.as_ref().and_then(|i| i.slot("amount")).is_none(), "{parsed:?}");
}

/// A long word or list phrase would be indexed by every deletion and
/// prefix (its length squared): 16 KB would be 256 MB.
#[test]
fn words_and_phrases_are_short() {
    let word = "w".repeat(16_000);
    refused("a 16,000-letter word", &intent_with(&word), "words are at most 64");
    let list = format!("lists:\n  place: [\"{word}\"]\nintents:\n  go:\n    templates: [\"go to {{place}}\"]\n");
    refused("a 16,000-letter list phrase", &list, "phrases are at most 200");
    let long = vec!["word"; 60].join(" ");
    let list = format!("lists:\n  place: [\"{long}\"]\nintents:\n  go:\n    templates: [\"go to {{place}}\"]\n");
    refused("a 299-character list phrase", &list, "phrases are at most 200");
}
