//! Word error rate with the text normalisation used for the dev sets:
//! lower case, punctuation removed, digits written as words.

use hush_nlu::cardinal;

/// Normalises a transcript or reference for scoring.
pub fn normalize(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut words = Vec::new();
    for raw in lower.split(|c: char| c.is_whitespace() || c == '-' || c == '/') {
        let mut w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '$' && c != '%').to_owned();
        if w.is_empty() {
            continue;
        }
        let dollars = w.starts_with('$');
        let percent = w.ends_with('%');
        w = w.trim_matches(|c| c == '$' || c == '%').to_owned();
        if let Some(spoken) = spoken_number(&w) {
            words.extend(spoken.split(' ').map(str::to_owned));
        } else {
            // Initialisms: "a.m." and "u.s." are read letter by letter, as
            // the references write them ("a. m.").
            for part in w.split('.') {
                let cleaned: String = part.chars().filter(|c| c.is_alphanumeric() || *c == '\'').collect();
                let cleaned = cleaned.trim_matches('\'');
                if !cleaned.is_empty() {
                    words.push(cleaned.to_owned());
                }
            }
        }
        if dollars {
            words.push("dollars".into());
        }
        if percent {
            words.push("percent".into());
        }
    }
    words
}

/// "42" → "forty two", "3rd" → "third", "5:30" → "five thirty",
/// "2.5" → "two point five", "1,000" → "one thousand".
fn spoken_number(w: &str) -> Option<String> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if let Some((h, m)) = w.split_once(':') {
        let (h, m) = (h.parse::<u64>().ok()?, m.parse::<u64>().ok()?);
        return Some(if m == 0 {
            cardinal(h)
        } else if m < 10 {
            format!("{} oh {}", cardinal(h), cardinal(m))
        } else {
            format!("{} {}", cardinal(h), cardinal(m))
        });
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(n) = w.strip_suffix(suffix).and_then(|n| n.parse::<u64>().ok()) {
            return Some(ordinal(n));
        }
    }
    let digits = w.replace(',', "");
    if let Some((a, b)) = digits.split_once('.') {
        let a = a.parse::<u64>().ok()?;
        if b.is_empty() || !b.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let frac: Vec<String> = b.bytes().map(|c| cardinal((c - b'0') as u64)).collect();
        return Some(format!("{} point {}", cardinal(a), frac.join(" ")));
    }
    digits.parse::<u64>().ok().map(cardinal)
}

fn ordinal(n: u64) -> String {
    let c = cardinal(n);
    let (head, last) = match c.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l.to_owned()),
        None => (String::new(), c.clone()),
    };
    let last = match last.as_str() {
        "one" => "first".to_owned(),
        "two" => "second".to_owned(),
        "three" => "third".to_owned(),
        "five" => "fifth".to_owned(),
        "eight" => "eighth".to_owned(),
        "nine" => "ninth".to_owned(),
        "twelve" => "twelfth".to_owned(),
        l if l.ends_with('y') => format!("{}ieth", &l[..l.len() - 1]),
        l => format!("{l}th"),
    };
    format!("{head}{last}")
}

/// Word-level edit distance between two normalised word lists.
pub fn edit_distance(reference: &[String], hypothesis: &[String]) -> usize {
    strsim::generic_levenshtein(&reference.iter().collect::<Vec<_>>(), &hypothesis.iter().collect::<Vec<_>>())
}

/// Accumulates a corpus-level WER: total edits over total reference words.
#[derive(Debug, Default, Clone, Copy)]
pub struct WerCounter {
    pub edits: usize,
    pub words: usize,
    pub utterances: usize,
}

impl WerCounter {
    /// Adds one utterance; returns its own edit count.
    pub fn add(&mut self, reference: &str, hypothesis: &str) -> usize {
        let (r, h) = (normalize(reference), normalize(hypothesis));
        let e = edit_distance(&r, &h);
        self.edits += e;
        self.words += r.len();
        self.utterances += 1;
        e
    }

    /// WER in percent.
    pub fn wer(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            100.0 * self.edits as f64 / self.words as f64
        }
    }
}

/// Accumulates a corpus-level character error rate over the same
/// normalised text as [`WerCounter`] (words joined by single spaces).
#[derive(Debug, Default, Clone, Copy)]
pub struct CerCounter {
    pub edits: usize,
    pub chars: usize,
}

impl CerCounter {
    /// Adds one utterance; returns its own edit count.
    pub fn add(&mut self, reference: &str, hypothesis: &str) -> usize {
        let chars = |s: &str| normalize(s).join(" ").chars().collect::<Vec<char>>();
        let (r, h) = (chars(reference), chars(hypothesis));
        let e = strsim::generic_levenshtein(&r, &h);
        self.edits += e;
        self.chars += r.len();
        e
    }

    /// CER in percent.
    pub fn cer(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            100.0 * self.edits as f64 / self.chars as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).join(" ")
    }

    #[test]
    fn normalises_like_the_dev_set() {
        assert_eq!(n("Wake me up at 5:30 a.m., please!"), "wake me up at five thirty a m please");
        assert_eq!(n("What's the weather in the 3rd week?"), "what's the weather in the third week");
        assert_eq!(n("Pay $42 to Bob"), "pay forty two dollars to bob");
        assert_eq!(n("set volume to 50%"), "set volume to fifty percent");
        assert_eq!(n("1,250 steps, 2.5 km"), "one thousand two hundred fifty steps two point five km");
        assert_eq!(n("the 21st and 100th"), "the twenty first and one hundredth");
        assert_eq!(n("7:05"), "seven oh five");
        assert_eq!(n("'quoted' e-mail"), "quoted e mail");
    }

    #[test]
    fn cer_counts_character_edits_after_normalising() {
        let mut c = CerCounter::default();
        assert_eq!(c.add("Pay $42", "pay forty two dollars"), 0);
        assert_eq!(c.add("book a ride", "bok a rid"), 2);
        assert_eq!(c.chars, "pay forty two dollars".len() + "book a ride".len());
        assert!((c.cer() - 200.0 / 32.0).abs() < 1e-9, "{}", c.cer());
        assert_eq!(CerCounter::default().cer(), 0.0);
    }

    #[test]
    fn wer_counts_edits() {
        let mut c = WerCounter::default();
        assert_eq!(c.add("book a ride to the airport", "Book a ride to the airport."), 0);
        assert_eq!(c.add("turn the lights off", "turn lights of"), 2);
        assert_eq!(c.words, 10);
        assert!((c.wer() - 20.0).abs() < 1e-9);
        assert_eq!(edit_distance(&[], &normalize("extra words")), 2);
    }
}
