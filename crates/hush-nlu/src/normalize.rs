//! Turns a transcript (or a template word) into the lower-case word tokens
//! the matcher compares, keeping where each came from so slot values can be
//! quoted from the original text.
//!
//! Whisper writes "$42", "5:30 p.m.", "Dr.", "I'm", "twenty-five"; people
//! say "forty two dollars", "five thirty pm", "doctor", "i am". Both sides
//! are brought to the same words here, once, so the matcher never needs to
//! know about formatting.

/// One normalised word and the byte range of the original text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Contractions whose "'s" is "is"/"us", not a possessive.
const S_IS: &[&str] = &["it", "that", "what", "where", "who", "how", "there", "here", "he", "she", "when", "why"];

fn expand_contraction(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "i'm" => &["i", "am"],
        "let's" => &["let", "us"],
        "won't" => &["will", "not"],
        "can't" | "cannot" => &["can", "not"],
        "shan't" => &["shall", "not"],
        "ain't" => &["is", "not"],
        "o'clock" => &["oclock"],
        "y'all" => &["you", "all"],
        "gonna" => &["going", "to"],
        "wanna" => &["want", "to"],
        "gotta" => &["got", "to"],
        _ => return None,
    })
}

fn suffix_expansion(word: &str) -> Option<(&str, &'static str)> {
    for (suffix, full) in [("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would")] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if !stem.is_empty() {
                return Some((stem, full));
            }
        }
    }
    None
}

/// Abbreviations Whisper writes with a full stop.
fn abbreviation(word: &str, next_capitalised: bool) -> Option<&'static str> {
    Some(match word {
        "dr" if next_capitalised => "doctor",
        "dr" => "drive",
        "st" if next_capitalised => "saint",
        "st" => "street",
        "ave" => "avenue",
        "rd" => "road",
        "blvd" => "boulevard",
        "hwy" => "highway",
        "mr" => "mister",
        "mrs" => "missus",
        "ms" => "miss",
        "mt" => "mount",
        "approx" => "approximately",
        _ => return None,
    })
}

/// Currency symbols and the token each becomes (the full-width yen sign is
/// the same sign); before or after the digits.
const CURRENCY_SYMBOLS: &[(char, &str)] =
    &[('$', "$"), ('€', "€"), ('£', "£"), ('¥', "¥"), ('￥', "¥"), ('₹', "₹"), ('₩', "₩"), ('₱', "₱"), ('฿', "฿"), ('₫', "₫"), ('元', "元"), ('円', "円")];

/// Letters written before an amount ("Rp50.000", "RM30", "S$20", "US$5").
const CURRENCY_PREFIXES: &[&str] = &["rp", "rm", "s$", "us$"];

/// Splits text into normalised tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    // Raw whitespace-separated pieces with their byte offsets; hyphens and
    // slashes between letters separate words too ("drop-off", "and/or").
    let mut pieces: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        // Chinese and Japanese are written without spaces: each ideograph
        // is a word of its own ("打车去机场" is five).
        if is_ideograph(c) {
            if let Some(s) = start.take() {
                pieces.push((s, &text[s..i]));
            }
            pieces.push((i, &text[i..i + c.len_utf8()]));
            continue;
        }
        let sep = c.is_whitespace() || ((c == '-' || c == '/' || c == '–' || c == '—') && !is_numeric_dash(text, i, c));
        match (sep, start) {
            (true, Some(s)) => {
                pieces.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        pieces.push((s, &text[s..]));
    }
    for (k, &(offset, piece)) in pieces.iter().enumerate() {
        let next_capitalised = pieces.get(k + 1).is_some_and(|(_, p)| p.starts_with(|c: char| c.is_uppercase()));
        push_piece(&mut out, offset, piece, next_capitalised);
    }
    out
}

/// A CJK unified ideograph (the common block and extension A), or the
/// ideographic zero.
pub(crate) fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '〇')
}

/// A dash inside a number range or a date ("10-20", "12/25") stays, and
/// so does a minus sign ("-20").
fn is_numeric_dash(text: &str, i: usize, c: char) -> bool {
    let before = text[..i].chars().next_back();
    let after = text[i + c.len_utf8()..].chars().next();
    let digit_after = after.is_some_and(|a| a.is_ascii_digit());
    (c == '/' && before.is_some_and(|b| b.is_ascii_digit()) && digit_after) || (c == '-' && before.is_none_or(char::is_whitespace) && digit_after)
}

fn push_piece(out: &mut Vec<Token>, offset: usize, piece: &str, next_capitalised: bool) {
    // Trim punctuation that is not part of a word, keeping currency
    // symbols, decimal points and times inside.
    let is_edge_punct = |c: char| !c.is_alphanumeric() && !CURRENCY_SYMBOLS.iter().any(|&(s, _)| s == c) && c != '%';
    // A minus sign is a word: dropped, "-20" would read as 20.
    if let Some(rest) = piece.strip_prefix(['-', '−']).filter(|r| r.starts_with(|c: char| c.is_ascii_digit())) {
        out.push(Token { text: "minus".into(), start: offset, end: offset + (piece.len() - rest.len()) });
        return push_piece(out, offset + piece.len() - rest.len(), rest, next_capitalised);
    }
    let mut trimmed_start = piece.len() - piece.trim_start_matches(is_edge_punct).len();
    // A decimal point before digits is the number's (".50" is half).
    if piece[..trimmed_start].ends_with('.') && piece[trimmed_start..].starts_with(|c: char| c.is_ascii_digit()) {
        trimmed_start -= 1;
    }
    let core = piece[trimmed_start..].trim_end_matches(is_edge_punct);
    if core.is_empty() {
        return;
    }
    let start = offset + trimmed_start;
    let end = start + core.len();
    let push = |out: &mut Vec<Token>, text: &str| out.push(Token { text: text.to_string(), start, end });
    let mut lower = core.to_lowercase().replace(['’', '‘', '`'], "'");
    // "p.m.", "a.m.", "u.s." and friends lose their dots.
    if lower.len() <= 6 && lower.contains('.') && lower.split('.').all(|p| p.len() <= 1 && p.chars().all(|c| c.is_alphabetic())) {
        lower.retain(|c| c != '.');
    }
    // Leading currency symbol: "$42" → "$", "42".
    if let Some(&(sym, word)) = CURRENCY_SYMBOLS.iter().find(|&&(s, _)| lower.starts_with(s)) {
        push(out, word);
        let rest = &lower[sym.len_utf8()..];
        if !rest.is_empty() {
            push_word(out, rest, start, end, next_capitalised);
        }
        return;
    }
    // "Rp50.000" → "rp", "50.000"; "S$20" → "s$", "20".
    for prefix in CURRENCY_PREFIXES {
        if let Some(rest) = lower.strip_prefix(prefix) {
            if rest.starts_with(|c: char| c.is_ascii_digit()) || (rest.is_empty() && prefix.ends_with('$')) {
                push(out, prefix);
                if !rest.is_empty() {
                    push_word(out, rest, start, end, next_capitalised);
                }
                return;
            }
        }
    }
    // A trailing symbol: "200元" → "200", "元"; "50.000₫" → "50.000", "₫".
    if let Some(&(sym, word)) = CURRENCY_SYMBOLS.iter().find(|&&(s, _)| lower.ends_with(s)) {
        let num = &lower[..lower.len() - sym.len_utf8()];
        if num.starts_with(|c: char| c.is_ascii_digit()) {
            push_word(out, num, start, end, next_capitalised);
            push(out, word);
            return;
        }
    }
    push_word(out, &lower, start, end, next_capitalised);
}

fn push_word(out: &mut Vec<Token>, word: &str, start: usize, end: usize, next_capitalised: bool) {
    let push = |out: &mut Vec<Token>, text: &str| out.push(Token { text: text.to_string(), start, end });
    if let Some(num) = word.strip_suffix('%') {
        push_word(out, num, start, end, false);
        push(out, "percent");
        return;
    }
    if let Some(fraction) = word.strip_prefix('.').filter(|f| f.starts_with(|c: char| c.is_ascii_digit())) {
        return push_word(out, &format!("0.{fraction}"), start, end, next_capitalised);
    }
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        // "5pm", "5:30pm", "10am", "50k" split their letters off.
        for suffix in ["pm", "am"] {
            if let Some(num) = word.strip_suffix(suffix) {
                if num.ends_with(|c: char| c.is_ascii_digit()) {
                    push(out, num);
                    push(out, suffix);
                    return;
                }
            }
        }
        push(out, word.trim_end_matches('.'));
        return;
    }
    if let Some(words) = expand_contraction(word) {
        for w in words {
            push(out, w);
        }
        return;
    }
    if let Some((stem, full)) = suffix_expansion(word) {
        // "don't" → "do not", "we're" → "we are".
        let stem = match stem {
            "ca" => "can",
            "wo" => "will",
            s => s,
        };
        push(out, stem);
        push(out, full);
        return;
    }
    if let Some(stem) = word.strip_suffix("'s") {
        push(out, stem);
        if S_IS.contains(&stem) {
            push(out, "is");
        }
        return;
    }
    let bare = word.trim_end_matches('.');
    let dotted = bare.len() != word.len();
    if let Some(full) = abbreviation(bare, next_capitalised).filter(|_| dotted || matches!(bare, "dr" | "st" | "mr" | "mrs")) {
        push(out, full);
        return;
    }
    // Remaining apostrophes and dots inside words ("o'neil", "e.g") go.
    let clean: String = bare.chars().filter(|&c| c != '\'' && c != '.').collect();
    if !clean.is_empty() {
        push(out, &clean);
    }
}

/// The normalised words of `text`, for places that need no offsets.
pub fn words(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.text).collect()
}

/// `s` with its first letter upper-cased, for sentences hush says
/// ("Pay bill: …?", "Hey hush, navigate home").
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> String {
        words(s).join(" ")
    }

    #[test]
    fn whisper_forms() {
        assert_eq!(w("Pay $42 for electricity."), "pay $ 42 for electricity");
        assert_eq!(w("Wake me at 5:30 p.m."), "wake me at 5:30 pm");
        assert_eq!(w("at 5pm, please"), "at 5 pm please");
        assert_eq!(w("Send Rp50.000 to Budi"), "send rp 50.000 to budi");
        assert_eq!(w("Rp 50.000"), "rp 50.000");
        assert_eq!(w("set it to 40%"), "set it to 40 percent");
        assert_eq!(w("Dr. Smith on 5 Elm Dr."), "doctor smith on 5 elm drive");
        assert_eq!(w("twenty-five"), "twenty five");
        assert_eq!(w("Send $.50 to Mum, or .5 of it."), "send $ 0.50 to mum or 0.5 of it");
        assert_eq!(tokenize("pay .50")[1].start, 4);
        assert_eq!(w("on 12/25"), "on 12/25");
        assert_eq!(w("“Hello,” she said…"), "hello she said");
        assert_eq!(w("打车去机场，谢谢！"), "打 车 去 机 场 谢 谢");
        assert_eq!(w("付电费50块"), "付 电 费 50 块");
        assert_eq!(w("转200元给王伟"), "转 200 元 给 王 伟");
    }

    #[test]
    fn a_minus_sign_is_a_word() {
        assert_eq!(w("send -20 dollars"), "send minus 20 dollars");
        assert_eq!(w("send −20 dollars"), "send minus 20 dollars");
        assert_eq!(w("10-20 minutes, drop-off"), "10 20 minutes drop off");
    }

    #[test]
    fn contractions() {
        assert_eq!(w("I'm running late"), "i am running late");
        assert_eq!(w("don't, can't, won't"), "do not can not will not");
        assert_eq!(w("What's my balance?"), "what is my balance");
        assert_eq!(w("Mom's number"), "mom number");
        assert_eq!(w("I’d like a ride"), "i would like a ride");
        assert_eq!(w("five o'clock"), "five oclock");
    }

    #[test]
    fn offsets_point_into_the_original() {
        let text = "Text Mom: I'm late!";
        let t = tokenize(text);
        assert_eq!(&text[t[1].start..t[1].end], "Mom");
        assert_eq!(&text[t[2].start..t[4].end], "I'm late");
        assert!(tokenize("  ... ?! ").is_empty());
        assert_eq!(w("...and so on."), "and so on");
    }
}
