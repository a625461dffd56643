/// A number found at the start of a word sequence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub value: f64,
    /// Words consumed from the input.
    pub words: usize,
}

fn unit(w: &str) -> Option<u64> {
    Some(match w {
        "zero" | "nought" => 0,
        "one" | "a" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    })
}

fn tens(w: &str) -> Option<u64> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" | "fourty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn scale(w: &str) -> Option<u64> {
    Some(match w {
        "hundred" => 100,
        "thousand" => 1_000,
        "million" => 1_000_000,
        "billion" => 1_000_000_000,
        _ => return None,
    })
}

/// A digit string as Whisper writes it: "42", "1,000", "2.5", "$42.50".
fn numeral(w: &str) -> Option<f64> {
    let w = w.trim_start_matches(['$', '€', '£']).trim_end_matches(['.', ',', '?', '!']);
    if w.is_empty() || !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // "50k" is fifty thousand.
    let (w, factor) = match w.strip_suffix(['k', 'K']) {
        Some(n) => (n, 1000.0),
        None => (w, 1.0),
    };
    // Digits and their separators only: Rust's float reader also takes
    // "1e5" (a hundred thousand) and "1_000".
    if !w.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    // Commas group thousands and nothing else: "4,7" is no English number.
    // Taking it for 47 would pay ten times a misheard "4.7".
    let whole = w.split('.').next().unwrap_or(w);
    if let Some((head, groups)) = whole.split_once(',') {
        if head.len() > 3 || head.starts_with('0') || !groups.split(',').all(|g| g.len() == 3) {
            return None;
        }
    }
    // "1.000.000" groups thousands with dots, as Indonesian writes money.
    let dotted_thousands = w.matches('.').count() > 1 && w.split('.').skip(1).all(|g| g.len() == 3);
    let plain: String = w.chars().filter(|&c| c != ',' && !(dotted_thousands && c == '.')).collect();
    plain.parse::<f64>().ok().map(|v| v * factor).filter(|v| v.is_finite())
}

/// Whether a (normalised, English) word says a number or a part of one
/// ("42", "$1,000", "nineteen", "hundred", "half", "minus"), "a" and "one"
/// aside (also an article and a pronoun).
pub fn says_a_number(w: &str) -> bool {
    numeral(w).is_some()
        || tens(w).is_some()
        || scale(w).is_some()
        || fraction(w).is_some()
        || matches!(w, "minus")
        || unit(w).is_some_and(|_| !matches!(w, "a" | "one"))
}

/// "half", "quarter": said before a scale ("half a million") or after a
/// number ("two and a half thousand").
fn fraction(w: &str) -> Option<f64> {
    match w {
        "half" => Some(0.5),
        "quarter" => Some(0.25),
        _ => None,
    }
}

/// "50.000" read with a dot as the thousands separator (money in rupiah),
/// where plain [`parse_number`] would read fifty.
pub(crate) fn dotted_thousands(w: &str) -> Option<f64> {
    let (head, tail) = w.split_once('.')?;
    let groups_ok = !head.is_empty() && head.len() <= 3 && tail.split('.').all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
    if !groups_ok || !head.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    w.replace('.', "").parse().ok()
}

/// Parses the number that starts `words` (lower-case words), if any.
///
/// "a" counts as one only before a scale word ("a hundred"); "and" is
/// allowed inside a number ("one hundred and five") but never ends one.
pub fn parse_number(words: &[&str]) -> Option<Number> {
    // "half a million", "a quarter of a million", "half million".
    let lead = usize::from(words.first() == Some(&"a"));
    if let Some(f) = words.get(lead).and_then(|w| fraction(w)) {
        let mut i = lead + 1;
        i += usize::from(words.get(i) == Some(&"of"));
        i += usize::from(matches!(words.get(i), Some(&"a" | &"an")));
        let s = words.get(i).and_then(|w| scale(w))?;
        return Some(Number { value: f * s as f64, words: i + 1 });
    }
    if let Some(v) = words.first().and_then(|w| numeral(w)) {
        // "42 thousand" mixes forms.
        if let Some(s) = words.get(1).and_then(|w| scale(w)) {
            return Some(Number { value: v * s as f64, words: 2 });
        }
        return Some(Number { value: v, words: 1 });
    }
    let (mut total, mut group) = (0u64, 0u64);
    let mut used = 0;
    let mut last_was_tens = false;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w == "and" && used > 0 && i + 1 < words.len() && (unit(words[i + 1]).is_some() || tens(words[i + 1]).is_some()) {
            i += 1;
            continue;
        }
        if w == "a" && words.get(i + 1).is_none_or(|n| scale(n).is_none()) {
            break;
        }
        if let Some(u) = unit(w) {
            // After a tens word only 1-9 follow ("twenty one"); otherwise
            // the group must not hold units or tens yet ("one two" is two
            // numbers, "hundred five" is one).
            let fits = if last_was_tens { u < 10 } else { group % 100 == 0 };
            if !fits {
                break;
            }
            group = group.checked_add(u)?;
            last_was_tens = false;
        } else if let Some(t) = tens(w) {
            if group % 100 != 0 {
                break;
            }
            group = group.checked_add(t)?;
            last_was_tens = true;
        } else if let Some(s) = scale(w) {
            if used == 0 {
                break;
            }
            // "hundred hundred hundred …" overflows: such a number is not a
            // number at all, rather than a wrapped one.
            if s == 100 {
                group = group.max(1).checked_mul(100)?;
            } else {
                total = group.max(1).checked_mul(s).and_then(|g| total.checked_add(g))?;
                group = 0;
            }
            last_was_tens = false;
        } else {
            break;
        }
        used = i + 1;
        i += 1;
    }
    if used == 0 {
        return None;
    }
    // "two and a half thousand": the fraction joins the group the scale takes.
    if let ["and", "a", f, s, ..] = words[used..] {
        if let Some((f, s)) = fraction(f).zip(scale(s)) {
            let value = total as f64 + (group as f64 + f) * s as f64;
            return (total == 0 || s < 1_000).then_some(Number { value, words: used + 4 });
        }
    }
    let mut value = total.checked_add(group)? as f64;
    // "two point five"
    if words.get(used) == Some(&"point") {
        let digits: Vec<u64> = words[used + 1..].iter().map_while(|w| unit(w).filter(|&d| d < 10)).collect();
        if !digits.is_empty() {
            let frac: String = digits.iter().map(|d| d.to_string()).collect();
            value += format!("0.{frac}").parse::<f64>().unwrap_or(0.0);
            used += 1 + digits.len();
        }
    }
    Some(Number { value, words: used })
}

/// A phrase's words as written and, where it holds numbers, in the other
/// way of writing them: Whisper writes "a 20-ounce latte" where a list says
/// "twenty ounce", and "twenty one" where it says "21". Number words become
/// digits, digits become words; everything else stays.
pub(crate) fn number_forms(words: Vec<String>) -> Vec<Vec<String>> {
    let all: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut as_digits = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let rest = &all[i..];
        // Only runs that start with a number word: "a" and "oh" alone are
        // not numbers in a phrase, and a numeral is already digits.
        let spoken = unit(rest[0]).or(tens(rest[0])).is_some() && rest[0] != "a";
        match parse_number(rest).filter(|n| spoken && n.value.fract() == 0.0 && n.value < 1e9) {
            Some(n) => {
                as_digits.push((n.value as u64).to_string());
                i += n.words;
            }
            None => {
                as_digits.push(words[i].clone());
                i += 1;
            }
        }
    }
    let as_words: Vec<String> = words
        .iter()
        .flat_map(|w| match w.parse::<u64>() {
            Ok(n) if n < 1_000_000_000 && (w == "0" || !w.starts_with('0')) => cardinal(n).split(' ').map(str::to_owned).collect(),
            _ => vec![w.clone()],
        })
        .collect();
    let mut forms = vec![words];
    for f in [as_digits, as_words] {
        if !forms.contains(&f) {
            forms.push(f);
        }
    }
    forms
}

#[rustfmt::skip]
const ONES: [&str; 20] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
];
const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/// Cardinal number in words, without "and" ("one hundred five").
pub fn cardinal(n: u64) -> String {
    match n {
        0..=19 => ONES[n as usize].to_owned(),
        20..=99 => {
            let t = TENS[(n / 10) as usize];
            if n.is_multiple_of(10) {
                t.to_owned()
            } else {
                format!("{t} {}", ONES[(n % 10) as usize])
            }
        }
        100..=999 => {
            let rest = n % 100;
            let h = format!("{} hundred", ONES[(n / 100) as usize]);
            if rest == 0 {
                h
            } else {
                format!("{h} {}", cardinal(rest))
            }
        }
        _ => {
            let (unit, name) = [(1_000_000_000_000u64, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand")]
                .into_iter()
                .find(|(u, _)| n >= *u)
                .expect("n >= 1000");
            let rest = n % unit;
            let head = format!("{} {name}", cardinal(n / unit));
            if rest == 0 {
                head
            } else {
                format!("{head} {}", cardinal(rest))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(f64, usize)> {
        let words: Vec<&str> = s.split_whitespace().collect();
        parse_number(&words).map(|n| (n.value, n.words))
    }

    #[test]
    fn spoken_numbers() {
        assert_eq!(p("forty two dollars"), Some((42.0, 2)));
        assert_eq!(p("one hundred and five"), Some((105.0, 4)));
        assert_eq!(p("a hundred"), Some((100.0, 2)));
        assert_eq!(p("fifty thousand rupiah"), Some((50_000.0, 2)));
        assert_eq!(p("two thousand and twenty four"), Some((2024.0, 5)));
        assert_eq!(p("three million two hundred thousand"), Some((3_200_000.0, 5)));
        assert_eq!(p("two point five kilometres"), Some((2.5, 3)));
        assert_eq!(p("nineteen"), Some((19.0, 1)));
        assert_eq!(p("twenty one"), Some((21.0, 2)));
        // Fractions of a scale, before it or after a number.
        assert_eq!(p("half a million dollars"), Some((500_000.0, 3)));
        assert_eq!(p("a quarter of a million"), Some((250_000.0, 5)));
        assert_eq!(p("half million"), Some((500_000.0, 2)));
        assert_eq!(p("two and a half thousand"), Some((2_500.0, 5)));
        assert_eq!(p("half"), None);
        assert_eq!(p("half an hour"), None, "durations read their own halves");
        assert!(says_a_number("half") && says_a_number("minus") && !says_a_number("one"));
    }

    #[test]
    fn numerals_as_whisper_writes_them() {
        assert_eq!(p("42"), Some((42.0, 1)));
        assert_eq!(p("$42.50"), Some((42.5, 1)));
        assert_eq!(p("1,000 steps"), Some((1000.0, 1)));
        assert_eq!(p("42."), Some((42.0, 1)));
        assert_eq!(p("50 thousand"), Some((50_000.0, 2)));
        assert_eq!(p("50k"), Some((50_000.0, 1)));
        assert_eq!(p("1.000.000"), Some((1_000_000.0, 1)));
        assert_eq!(p("2.5"), Some((2.5, 1)));
        assert_eq!(p("$1,250,000.50"), Some((1_250_000.5, 1)));
        for not_grouped in ["4,7", "$4,7", "1,00", "1234,567", "1,000,00", "12,3456", "000,000", "0,500", "1e5", "2E3", "1_000"] {
            assert_eq!(p(not_grouped), None, "{not_grouped}");
        }
        assert_eq!(dotted_thousands("50.000"), Some(50_000.0));
        assert_eq!(dotted_thousands("2.5"), None);
    }

    #[test]
    fn not_numbers_and_boundaries() {
        assert_eq!(p("a ride"), None);
        assert_eq!(p("and five"), None);
        assert_eq!(p("hundred"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("navigate home"), None);
        // "five and" stops before "and" that leads nowhere numeric.
        assert_eq!(p("five and then"), Some((5.0, 1)));
        // Two separate numbers: "twenty twenty" is not forty.
        assert_eq!(p("twenty twenty"), Some((20.0, 1)));
        // "one two" are two numbers, not twelve or three.
        assert_eq!(p("one two"), Some((1.0, 1)));
        assert_eq!(p("oh no"), None, "an exclamation is not zero");
    }

    #[test]
    fn numbers_too_big_are_not_numbers() {
        let hundreds = format!("one {}", vec!["hundred"; 40].join(" "));
        assert_eq!(p(&hundreds), None);
        assert_eq!(p("one hundred hundred"), Some((10_000.0, 3)));
        assert_eq!(p("ninety nine billion"), Some((99e9, 3)));
    }

    fn forms(s: &str) -> Vec<String> {
        number_forms(s.split(' ').map(str::to_owned).collect()).into_iter().map(|f| f.join(" ")).collect()
    }

    #[test]
    fn phrases_in_both_number_forms() {
        assert_eq!(forms("twenty ounce"), ["twenty ounce", "20 ounce"]);
        assert_eq!(forms("21 degrees"), ["21 degrees", "twenty one degrees"]);
        assert_eq!(forms("set to twenty one degree"), ["set to twenty one degree", "set to 21 degree"]);
        assert_eq!(forms("one hundred and five"), ["one hundred and five", "105"]);
        assert_eq!(forms("route 1250"), ["route 1250", "route one thousand two hundred fifty"]);
        assert_eq!(forms("classic rock"), ["classic rock"]);
        assert_eq!(forms("a cup"), ["a cup"], "an article is not one");
        assert_eq!(forms("007"), ["007"], "a code with leading zeros is not a number");
        assert_eq!(forms("2000000"), ["2000000", "two million"]);
    }
}
