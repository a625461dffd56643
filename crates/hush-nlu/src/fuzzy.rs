//! Finding the known words (or list phrases) that a heard word sounds or is
//! spelt like, without comparing it against every one of them: a sound-key
//! index (Double Metaphone) and a one-deletion index (symmetric delete).

use foldhash::{HashMap, HashMapExt};
use rphonetic::{DoubleMetaphone, Encoder};

/// Cost of a word that sounds like the expected one.
pub const SOUNDS_ALIKE: f32 = 0.35;

#[derive(Debug)]
pub struct Fuzzy {
    sound: HashMap<String, Vec<u32>>,
    deletes: HashMap<String, Vec<u32>>,
    items: Vec<String>,
    /// Characters of the longest item: a word longer by two or more is
    /// near none of them.
    longest: usize,
}

/// The sound key of a word or phrase without spaces; empty when it has
/// other than ASCII letters (numbers are matched exactly).
pub fn sound_key(metaphone: &DoubleMetaphone, s: &str) -> String {
    // Past 64 letters (the longest list phrase, squashed, is far shorter)
    // a "word" is no word: its key is not worth the time.
    if !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphabetic()) {
        metaphone.encode(s)
    } else {
        String::new()
    }
}

/// Calls `f` with `s` less one character, for each character, reusing
/// one buffer.
fn for_deletions(s: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    for (i, c) in s.char_indices() {
        buf.clear();
        buf.push_str(&s[..i]);
        buf.push_str(&s[i + c.len_utf8()..]);
        f(buf);
    }
}

impl Fuzzy {
    pub fn new() -> Fuzzy {
        Fuzzy { sound: HashMap::new(), deletes: HashMap::new(), items: Vec::new(), longest: 0 }
    }

    /// Adds item `id` (ids are dense, in insertion order) with its sound key.
    pub fn insert(&mut self, text: &str, key: &str) -> u32 {
        let id = self.items.len() as u32;
        self.items.push(text.to_string());
        self.longest = self.longest.max(text.chars().count());
        if key.len() >= 2 {
            self.sound.entry(key.to_string()).or_default().push(id);
        }
        if text.chars().count() >= 3 {
            self.deletes.entry(text.to_string()).or_default().push(id);
            let mut buf = String::new();
            for_deletions(text, &mut buf, |d| self.deletes.entry(d.to_string()).or_default().push(id));
        }
        id
    }

    /// Items like `s` (but not equal to it) with the cost of taking one
    /// for the other, cheapest first per item.
    pub fn near(&self, s: &str, key: &str, out: &mut Vec<(u32, f32)>) {
        out.clear();
        if key.len() >= 2 {
            if let Some(ids) = self.sound.get(key) {
                out.extend(ids.iter().filter(|&&i| self.items[i as usize] != s).map(|&i| (i, SOUNDS_ALIKE)));
            }
        }
        let n = s.chars().count();
        // Deletions of a word two longer than any item find nothing, and a
        // huge word would cost its length squared to delete from.
        if n < 3 || n > self.longest + 1 {
            return;
        }
        let mut probe = |q: &str| {
            if let Some(ids) = self.deletes.get(q) {
                for &i in ids {
                    let item = &self.items[i as usize];
                    if item == s || out.iter().any(|&(j, _)| j == i) {
                        continue;
                    }
                    if strsim::levenshtein(item, s) == 1 {
                        let cost = if n.min(item.chars().count()) <= 3 { 0.6 } else { 0.45 };
                        out.push((i, cost));
                    }
                }
            }
        };
        probe(s);
        let mut buf = String::with_capacity(s.len());
        for_deletions(s, &mut buf, probe);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sound_and_spelling_neighbours() {
        let mp = DoubleMetaphone::new(Some(10));
        let mut f = Fuzzy::new();
        for w in ["electricity", "book", "get", "ride", "write"] {
            f.insert(w, &sound_key(&mp, w));
        }
        let mut out = Vec::new();
        f.near("electrisity", &sound_key(&mp, "electrisity"), &mut out);
        assert!(out.iter().any(|&(i, _)| i == 0), "{out:?}");
        f.near("let", &sound_key(&mp, "let"), &mut out);
        assert_eq!(out, vec![(2, 0.6)]);
        f.near("right", &sound_key(&mp, "right"), &mut out);
        assert!(out.iter().any(|&(i, c)| i == 3 && c == SOUNDS_ALIKE), "ride/right sound alike: {out:?}");
        f.near("book", &sound_key(&mp, "book"), &mut out);
        assert!(out.is_empty(), "an exact word is not its own neighbour");
        f.near("zebra", &sound_key(&mp, "zebra"), &mut out);
        assert!(out.is_empty());
    }
}
