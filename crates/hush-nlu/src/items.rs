//! The things one value names, each with its count: "pizza and two cokes"
//! is one pizza and two cokes, for a slot declared `several: true`
//! (a food order's dish).
//!
//! A value is cut only where the words after "and" (", ", "plus"; "dan",
//! "sama", "serta"; 和) open with a count ("a", "two", "satu", "2"), so
//! that a dish whose name says "and" ("fish and chips", "mac and
//! cheese") stays one thing. "cheeseburgers and fries" stays one thing
//! too: whoever reads the order back says it as it was said.

use crate::{parse_builtin, Builtin, Language, Value};

/// One of the things a value names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// How many, as said (1 where no count was said).
    pub count: i64,
    /// Its words, without the count.
    pub name: String,
}

fn joining_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &["and", "plus"],
        Language::Indonesian => &["dan", "sama", "serta", "plus"],
        Language::Mandarin => &["和", "加"],
    }
}

/// Whether `word` joins one thing of a list to the next ("and", "dan").
pub fn joins_items(language: Language, word: &str) -> bool {
    joining_words(language).contains(&word)
}

/// Words that count one thing ("a coke", "sebuah", 一份 is read as a
/// number).
fn one_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &["a", "an", "one"],
        Language::Indonesian => &["satu", "sebuah", "seporsi", "sepiring", "segelas", "sebungkus"],
        Language::Mandarin => &[],
    }
}

/// The count `words` open with, and how many words it takes.
fn count(language: Language, words: &[&str]) -> Option<(i64, usize)> {
    if words.first().is_some_and(|w| one_words(language).contains(w)) {
        return Some((1, 1));
    }
    match parse_builtin(Builtin::Integer, words, language)? {
        // "two and a half": no whole count.
        m @ crate::ValueMatch { value: Value::Integer(n), .. } if n > 0 && m.len < words.len() && !joins_items(language, words[m.len]) => Some((n, m.len)),
        _ => None,
    }
}

/// The things `text` names, in the order said. Never empty for a value
/// with words; a count said alone after "and" ("two and a half") is no
/// thing of its own.
pub fn items(text: &str, language: Language) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for piece in text.split([',', '、', '，']) {
        let owned = crate::words(piece);
        let words: Vec<&str> = owned.iter().map(String::as_str).collect();
        let mut start = 0;
        // A part with a name after its count; "a half" is no thing.
        let named = |part: &[&str]| {
            let whole = parse_builtin(Builtin::Integer, part, language).is_some_and(|m| m.len == part.len());
            !part.is_empty() && !whole && !matches!(part.first(), Some(&("half" | "quarter" | "setengah" | "seperempat")))
        };
        for i in 0..=words.len() {
            let joins = |i: usize| joins_items(language, words[i]) && named(&words[start..i]);
            let cut = i == words.len() || (joins(i) && count(language, &words[i + 1..]).is_some_and(|(_, len)| named(&words[i + 1 + len..])));
            if !cut {
                continue;
            }
            let part = &words[start..i];
            let (n, len) = count(language, part).unwrap_or((1, 0));
            if len < part.len() {
                items.push(Item { count: n, name: part[len..].join(" ") });
            }
            start = i + 1;
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, language: Language) -> Vec<(i64, String)> {
        items(text, language).into_iter().map(|i| (i.count, i.name)).collect()
    }

    fn said(items: &[(i64, &str)]) -> Vec<(i64, String)> {
        items.iter().map(|(n, s)| (*n, s.to_string())).collect()
    }

    #[test]
    fn things_counted_after_and_are_things_of_their_own() {
        let en = Language::English;
        assert_eq!(read("pizza and a coke", en), said(&[(1, "pizza"), (1, "coke")]));
        assert_eq!(read("burgers and three fries", en), said(&[(1, "burgers"), (3, "fries")]));
        assert_eq!(read("two pizzas, a salad and 2 cokes", en), said(&[(2, "pizzas"), (1, "salad"), (2, "cokes")]));
        assert_eq!(read("a large pepperoni pizza plus one garlic bread", en), said(&[(1, "large pepperoni pizza"), (1, "garlic bread")]));
        let id = Language::Indonesian;
        assert_eq!(read("nasi goreng dan dua es teh", id), said(&[(1, "nasi goreng"), (2, "es teh")]));
        assert_eq!(read("dua sate sama segelas jus", id), said(&[(2, "sate"), (1, "jus")]));
    }

    #[test]
    fn a_name_that_says_and_is_one_thing() {
        let en = Language::English;
        for text in ["fish and chips", "mac and cheese", "cheeseburgers and fries", "sweet and sour pork"] {
            assert_eq!(read(text, en), said(&[(1, text)]), "{text}");
        }
        assert_eq!(read("pizza", en), said(&[(1, "pizza")]));
        // A count is no thing of its own.
        assert_eq!(read("two and a half pizzas", en), said(&[(1, "two and a half pizzas")]));
        assert_eq!(read("", en), said(&[]));
        assert_eq!(read("and a coke", en), said(&[(1, "and a coke")]));
    }
}
