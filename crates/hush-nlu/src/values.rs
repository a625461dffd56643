//! Built-in slot types: numbers, money, times, dates, durations, ordinals
//! and bounded free text, read from words as people say them and as
//! Whisper writes them.
//!
//! Values stay relative ("next friday", "in ten minutes"): the parser has
//! no clock, the action that uses the value does.

use crate::money::{Amount, Money};
use crate::numbers::parse_number;
use serde::Serialize;
use std::fmt;

/// A slot's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A list value (its canonical form) or free text.
    Text(String),
    Integer(i64),
    Number(f64),
    /// An amount in the currency's minor units (see [`Money`]).
    Money(Money),
    Time(Time),
    Date(Date),
    Duration {
        seconds: u64,
    },
    Ordinal(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Time {
    /// A clock time. `hour` is 0-23 when am/pm (or a 24-hour form) made it
    /// certain; otherwise it is as said (1-12) and `certain` is false.
    At { hour: u8, minute: u8, certain: bool },
    /// "in ten minutes".
    In { seconds: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Date {
    /// Days from today: "today" 0, "tomorrow" 1, "in three days" 3.
    Relative { days: i32 },
    /// Monday is 0. `next` when the speaker said "next".
    Weekday { weekday: u8, next: bool },
    /// "the fifth", "march third".
    Calendar { month: Option<u8>, day: u8 },
}

/// The built-in slot types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    Integer,
    Number,
    Money,
    Time,
    Date,
    Duration,
    Ordinal,
    /// Free text of at most `max_words` words.
    Wildcard,
}

impl Builtin {
    pub const ALL: [(&'static str, Builtin); 8] = [
        ("integer", Builtin::Integer),
        ("number", Builtin::Number),
        ("money", Builtin::Money),
        ("time", Builtin::Time),
        ("date", Builtin::Date),
        ("duration", Builtin::Duration),
        ("ordinal", Builtin::Ordinal),
        ("wildcard", Builtin::Wildcard),
    ];

    pub fn from_name(name: &str) -> Option<Builtin> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|&(_, b)| b)
    }

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, b)| *b == self).map_or("?", |(n, _)| n)
    }

    /// Phrases that parse as this type in English, for generating
    /// sentences (`crate::read::samples` for any language).
    pub(crate) fn english_samples(self) -> &'static [&'static str] {
        match self {
            Builtin::Integer => &["two", "forty two", "3", "one hundred and five", "12"],
            Builtin::Number => &["two point five", "7", "forty two", "19.5"],
            Builtin::Money => &["forty two dollars", "$42", "Rp 50.000", "fifty thousand rupiah", "$12.50", "twenty euros"],
            Builtin::Time => &["five thirty pm", "17:30", "in ten minutes", "7 am", "noon", "half past six"],
            Builtin::Date => &["tomorrow", "next friday", "today", "on monday", "march third"],
            Builtin::Duration => &["ten minutes", "an hour", "two hours", "half an hour", "90 seconds"],
            Builtin::Ordinal => &["first", "second", "3rd", "twenty first"],
            Builtin::Wildcard => &["I'm running late", "see you soon", "pick up some milk"],
        }
    }
}

/// One way a built-in type reads the words at a position.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueMatch {
    /// Words consumed.
    pub len: usize,
    pub value: Value,
    /// How much less sure this reading is than a plain one (0 = sure).
    pub cost: f32,
}

impl ValueMatch {
    /// Whether a numeric reading lies within a slot's bounds (others always do).
    pub fn in_range(&self, min: Option<f64>, max: Option<f64>) -> bool {
        let v = match &self.value {
            Value::Integer(i) => *i as f64,
            Value::Number(x) => *x,
            Value::Money(m) => m.minor as f64 / 10f64.powi(i32::from(m.exponent)),
            _ => return true,
        };
        min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m)
    }
}

/// A language's readers of the built-in types, each from the start of
/// some words; the longest reading, if any.
pub(crate) struct Readers {
    /// A number and the words it took.
    pub number: fn(&[&str]) -> Option<(f64, usize)>,
    pub money: fn(&[&str]) -> Option<Amount>,
    pub time: fn(&[&str]) -> Option<ValueMatch>,
    pub date: fn(&[&str]) -> Option<ValueMatch>,
    /// The words taken and the seconds.
    pub duration: fn(&[&str]) -> Option<(usize, u64)>,
    /// The words taken and the ordinal.
    pub ordinal: fn(&[&str]) -> Option<(usize, u32)>,
}

impl Readers {
    /// Reads `ty` from the start of `words`.
    pub(crate) fn read(&self, ty: Builtin, words: &[&str]) -> Option<ValueMatch> {
        let plain = |len, value| Some(ValueMatch { len, value, cost: 0.0 });
        match ty {
            Builtin::Integer => {
                (self.number)(words).filter(|&(v, _)| v.fract() == 0.0 && v.abs() < 1e15).and_then(|(v, len)| plain(len, Value::Integer(v as i64)))
            }
            Builtin::Number => (self.number)(words).and_then(|(v, len)| plain(len, Value::Number(v))),
            Builtin::Money => (self.money)(words).map(|m| ValueMatch { len: m.len, value: Value::Money(m.money), cost: m.cost }),
            Builtin::Time => (self.time)(words),
            Builtin::Date => (self.date)(words),
            Builtin::Duration => (self.duration)(words).and_then(|(len, seconds)| plain(len, Value::Duration { seconds })),
            Builtin::Ordinal => (self.ordinal)(words).and_then(|(len, n)| plain(len, Value::Ordinal(n))),
            Builtin::Wildcard => None,
        }
    }
}

/// Reads the built-in types in English.
pub(crate) const ENGLISH: Readers =
    Readers { number: |words| parse_number(words).map(|n| (n.value, n.words)), money: crate::money::money, time, date, duration, ordinal };

fn small_number(words: &[&str]) -> Option<(u32, usize)> {
    let n = parse_number(words)?;
    (n.value.fract() == 0.0 && (0.0..=10_000.0).contains(&n.value)).then_some((n.value as u32, n.words))
}

fn unit_seconds(w: &str) -> Option<u64> {
    Some(match w {
        "second" | "seconds" | "sec" | "secs" => 1,
        "minute" | "minutes" | "min" | "mins" => 60,
        "hour" | "hours" | "hr" | "hrs" => 3600,
        "day" | "days" => 86_400,
        "week" | "weeks" => 604_800,
        _ => return None,
    })
}

/// "ten minutes", "an hour and a half", "half an hour", "2 hours 30 minutes".
fn duration(words: &[&str]) -> Option<(usize, u64)> {
    let one = |w: &[&str]| -> Option<(usize, u64)> {
        if w.len() >= 3 && w[0] == "half" && matches!(w[1], "an" | "a") {
            return unit_seconds(w[2]).map(|u| (3, u / 2));
        }
        let (n, used) = match w.first() {
            Some(&"a") | Some(&"an") => (1, 1),
            _ => small_number(w)?,
        };
        let u = unit_seconds(w.get(used)?)?;
        Some((used + 1, n as u64 * u))
    };
    let (mut len, mut secs) = one(words)?;
    if words.get(len) == Some(&"and") && words.get(len + 1) == Some(&"a") && words.get(len + 2) == Some(&"half") {
        return Some((len + 3, secs + secs / 2));
    }
    let j = len + usize::from(words.get(len) == Some(&"and"));
    if let Some((l2, s2)) = one(&words[j.min(words.len())..]) {
        len = j + l2;
        secs += s2;
    }
    Some((len, secs))
}

fn ordinal_word(w: &str) -> Option<u32> {
    #[rustfmt::skip]
    const WORDS: [&str; 20] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
        "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
        "twentieth",
    ];
    if let Some(i) = WORDS.iter().position(|&x| x == w) {
        return Some(i as u32 + 1);
    }
    match w {
        "thirtieth" => Some(30),
        "fortieth" => Some(40),
        "fiftieth" => Some(50),
        _ => {
            let digits = w.strip_suffix("st").or(w.strip_suffix("nd")).or(w.strip_suffix("rd")).or(w.strip_suffix("th"))?;
            digits.parse().ok().filter(|_| digits.chars().all(|c| c.is_ascii_digit()))
        }
    }
}

fn ordinal(words: &[&str]) -> Option<(usize, u32)> {
    let first = words.first()?;
    if let Some(n) = ordinal_word(first) {
        return Some((1, n));
    }
    // "twenty first"
    let tens = match *first {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        _ => return None,
    };
    let unit = ordinal_word(words.get(1)?).filter(|&u| u < 10)?;
    Some((2, tens + unit))
}

fn meridiem(words: &[&str]) -> Option<(usize, bool)> {
    match words {
        ["am", ..] => Some((1, false)),
        ["pm", ..] => Some((1, true)),
        ["in", "the", "morning", ..] => Some((3, false)),
        ["in", "the", "afternoon" | "evening", ..] | ["at", "night", ..] => Some((3 - usize::from(words[0] == "at"), true)),
        ["tonight", ..] => Some((1, true)),
        _ => None,
    }
}

fn clock(hour: u32, minute: u32, words_after: &[&str], explicit_24h: bool) -> Option<(usize, Time)> {
    if hour > 24 || minute > 59 {
        return None;
    }
    let mut used = 0;
    if words_after.first() == Some(&"oclock") {
        used += 1;
    }
    let (hour, certain) = match meridiem(&words_after[used..]) {
        Some((n, pm)) if (1..=12).contains(&hour) => {
            used += n;
            (hour % 12 + if pm { 12 } else { 0 }, true)
        }
        _ => (hour % 24, explicit_24h || hour == 0 || hour > 12),
    };
    Some((used, Time::At { hour: hour as u8, minute: minute as u8, certain }))
}

fn time(words: &[&str]) -> Option<ValueMatch> {
    let skip = usize::from(matches!(words.first(), Some(&"at") | Some(&"around") | Some(&"by")));
    let w = &words[skip..];
    let done = |len: usize, t: Time, cost: f32| Some(ValueMatch { len: skip + len, value: Value::Time(t), cost });
    match w {
        ["in", rest @ ..] if skip == 0 => {
            let (len, seconds) = duration(rest)?;
            return done(1 + len, Time::In { seconds }, 0.0);
        }
        ["noon" | "midday", ..] => return done(1, Time::At { hour: 12, minute: 0, certain: true }, 0.0),
        ["midnight", ..] => return done(1, Time::At { hour: 0, minute: 0, certain: true }, 0.0),
        _ => {}
    }
    // "half past five", "quarter to six", "ten past seven"
    let (offset, used) = match w {
        ["half", "past", ..] => (30i32, 2),
        ["quarter", "past", ..] => (15, 2),
        ["a", "quarter", "past", ..] => (15, 3),
        ["quarter", "to", ..] => (-15, 2),
        ["a", "quarter", "to", ..] => (-15, 3),
        _ => match small_number(w) {
            Some((m, n)) if m > 0 && m < 60 && matches!(w.get(n), Some(&"past") | Some(&"to")) => (if w[n] == "past" { m as i32 } else { -(m as i32) }, n + 1),
            _ => (0, 0),
        },
    };
    if used > 0 {
        let (h, n) = small_number(&w[used..]).filter(|&(h, _)| (1..=12).contains(&h))?;
        let total = (h as i32 * 60 + offset).rem_euclid(24 * 60);
        let (hour, minute) = ((total / 60) as u32, (total % 60) as u32);
        let (m_used, t) = clock(if hour == 0 { 12 } else { hour }, minute, &w[used + n..], false)?;
        return done(used + n + m_used, t, 0.0);
    }
    // "17:30", "5:30 pm"
    if let Some((h, m)) = w.first().and_then(|t| t.split_once(':')) {
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        let (m_used, t) = clock(h, m, &w[1..], true)?;
        return done(1 + m_used, t, 0.0);
    }
    // "five", "five thirty", "seven oh five", "7 15 pm"
    let (hour, n) = small_number(w).filter(|&(h, _)| h <= 24)?;
    let mut len = n;
    let mut minute = 0;
    if w.get(len) == Some(&"oh") {
        if let Some((m, k)) = small_number(&w[len + 1..]).filter(|&(m, _)| m < 10) {
            minute = m;
            len += 1 + k;
        }
    } else if let Some((m, k)) = small_number(&w[len..]).filter(|&(m, _)| (10..60).contains(&m)) {
        minute = m;
        len += k;
    }
    let (m_used, t) = clock(hour, minute, &w[len..], false)?;
    // A bare number is a time only weakly: "at five" is surer than "five".
    let sure = m_used > 0 || skip > 0 || minute > 0;
    done(len + m_used, t, if sure { 0.0 } else { 0.3 })
}

fn weekday(w: &str) -> Option<u8> {
    let w = w.strip_suffix('s').filter(|s| s.ends_with("day")).unwrap_or(w);
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].iter().position(|&d| d == w).map(|d| d as u8)
}

fn month(w: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    MONTHS.iter().position(|&m| m == w || (w.len() >= 3 && w != "may" && m.starts_with(w) && w.len() <= 4)).map(|m| m as u8 + 1)
}

fn day_of_month(words: &[&str]) -> Option<(usize, u8)> {
    let (len, d) = ordinal(words).or_else(|| small_number(words).map(|(n, l)| (l, n)))?;
    (1..=31).contains(&d).then_some((len, d as u8))
}

fn date(words: &[&str]) -> Option<ValueMatch> {
    let skip = usize::from(matches!(words.first(), Some(&"on") | Some(&"for") | Some(&"by")));
    let w = &words[skip..];
    let done = |len: usize, d: Date| Some(ValueMatch { len: skip + len, value: Value::Date(d), cost: 0.0 });
    match w {
        ["the", "day", "after", "tomorrow", ..] => return done(4, Date::Relative { days: 2 }),
        ["day", "after", "tomorrow", ..] => return done(3, Date::Relative { days: 2 }),
        ["the", "day", "before", "yesterday", ..] => return done(4, Date::Relative { days: -2 }),
        ["today" | "tonight", ..] => return done(1, Date::Relative { days: 0 }),
        ["this", "evening" | "morning" | "afternoon", ..] => return done(2, Date::Relative { days: 0 }),
        ["tomorrow", ..] => return done(1, Date::Relative { days: 1 }),
        ["yesterday", ..] => return done(1, Date::Relative { days: -1 }),
        ["next", "week", ..] => return done(2, Date::Relative { days: 7 }),
        ["in", rest @ ..] => {
            let (n, l) = small_number(rest)?;
            let days = match rest.get(l) {
                Some(&"day") | Some(&"days") => n as i32,
                Some(&"week") | Some(&"weeks") => 7 * n as i32,
                _ => return None,
            };
            return done(1 + l + 1, Date::Relative { days });
        }
        _ => {}
    }
    let (next, k) = match w.first() {
        Some(&"next") => (true, 1),
        Some(&"this") | Some(&"coming") => (false, 1),
        _ => (false, 0),
    };
    if let Some(d) = w.get(k).and_then(|x| weekday(x)) {
        return done(k + 1, Date::Weekday { weekday: d, next });
    }
    // "march third", "march 3"
    if let Some(m) = w.first().and_then(|x| month(x)) {
        let rest = &w[1..];
        let (l, d) = day_of_month(&rest[usize::from(rest.first() == Some(&"the"))..])?;
        return done(1 + usize::from(rest.first() == Some(&"the")) + l, Date::Calendar { month: Some(m), day: d });
    }
    // "the third [of march]", "3rd of march", "12/25"
    if let Some((a, b)) = w.first().and_then(|x| x.split_once('/')) {
        let (m, d): (u8, u8) = (a.parse().ok()?, b.parse().ok()?);
        return ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| done(1, Date::Calendar { month: Some(m), day: d }))?;
    }
    let the = usize::from(w.first() == Some(&"the"));
    let (l, day) = ordinal(&w[the..]).filter(|&(_, d)| (1..=31).contains(&d))?;
    let mut len = the + l;
    let mut mon = None;
    if w.get(len) == Some(&"of") {
        if let Some(m) = w.get(len + 1).and_then(|x| month(x)) {
            mon = Some(m);
            len += 2;
        }
    } else if let Some(m) = w.get(len).and_then(|x| month(x)) {
        mon = Some(m);
        len += 1;
    }
    done(len, Date::Calendar { month: mon, day: day as u8 })
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(s) => write!(f, "{s}"),
            Value::Integer(n) => write!(f, "{n}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Money(m) => write!(f, "{m}"),
            Value::Time(Time::At { hour, minute, certain }) => {
                write!(f, "{hour:02}:{minute:02}{}", if *certain { "" } else { " (am/pm not said)" })
            }
            Value::Time(Time::In { seconds }) => write!(f, "in {seconds} s"),
            Value::Date(Date::Relative { days }) => write!(f, "today{days:+} days"),
            Value::Date(Date::Weekday { weekday, next }) => {
                let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
                write!(f, "{}{}", if *next { "next " } else { "" }, names[usize::from(*weekday).min(6)])
            }
            Value::Date(Date::Calendar { month, day }) => match month {
                Some(m) => write!(f, "{m:02}-{day:02}"),
                None => write!(f, "day {day} of the month"),
            },
            Value::Duration { seconds } => write!(f, "{seconds} s"),
            Value::Ordinal(n) => write!(f, "#{n}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::words;

    fn read(ty: Builtin, s: &str) -> Option<(usize, Value)> {
        let w = words(s);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        ENGLISH.read(ty, &w).map(|r| (r.len, r.value))
    }

    fn money_of(minor: i64, cur: &str) -> Value {
        Value::Money(Money { minor, exponent: crate::money::exponent_of(cur).unwrap(), currency: Some(cur.into()) })
    }

    fn at(hour: u8, minute: u8, certain: bool) -> Value {
        Value::Time(Time::At { hour, minute, certain })
    }

    #[test]
    fn integers_and_numbers() {
        let table = [("forty two", 2, 42), ("42", 1, 42), ("one hundred and five", 4, 105), ("1,000", 1, 1000)];
        for (s, len, v) in table {
            assert_eq!(read(Builtin::Integer, s), Some((len, Value::Integer(v))), "{s}");
        }
        assert_eq!(read(Builtin::Integer, "2.5"), None);
        assert_eq!(read(Builtin::Number, "two point five"), Some((3, Value::Number(2.5))));
        assert_eq!(read(Builtin::Number, "the"), None);
    }

    /// Spoken and written forms of the region's currencies, as people say
    /// them and as Whisper writes them; amounts in minor units.
    #[test]
    fn money() {
        #[rustfmt::skip]
        let table: &[(&str, usize, i64, &str)] = &[
            ("$42", 2, 4200, "USD"), ("$42.50", 2, 4250, "USD"), ("forty two dollars", 3, 4200, "USD"),
            ("forty two dollars and fifty cents", 6, 4250, "USD"), ("100 bucks", 2, 10_000, "USD"), ("US$5", 2, 500, "USD"),
            ("five us dollars", 3, 500, "USD"),
            ("Rp 50.000", 2, 5_000_000, "IDR"), ("Rp50.000", 2, 5_000_000, "IDR"), ("50.000 rupiah", 2, 5_000_000, "IDR"),
            ("fifty thousand rupiah", 3, 5_000_000, "IDR"), ("Rp 1.500.000", 2, 150_000_000, "IDR"), ("50k rupiah", 2, 5_000_000, "IDR"),
            ("200 yuan", 2, 20_000, "CNY"), ("¥200", 2, 20_000, "CNY"), ("two hundred kuai", 3, 20_000, "CNY"),
            ("200元", 2, 20_000, "CNY"), ("fifty rmb", 2, 5_000, "CNY"), ("30 renminbi", 2, 3_000, "CNY"), ("￥88", 2, 8_800, "CNY"),
            ("ten singapore dollars", 3, 1_000, "SGD"), ("S$20", 2, 2_000, "SGD"), ("20 sgd", 2, 2_000, "SGD"),
            ("RM30", 2, 3_000, "MYR"), ("RM 12.50", 2, 1_250, "MYR"), ("thirty ringgit", 2, 3_000, "MYR"),
            ("five hundred baht", 3, 50_000, "THB"), ("฿500", 2, 50_000, "THB"),
            ("₱250", 2, 25_000, "PHP"), ("two hundred fifty pesos", 4, 25_000, "PHP"),
            ("50.000 dong", 2, 50_000, "VND"), ("50.000₫", 2, 50_000, "VND"), ("fifty thousand dong", 3, 50_000, "VND"),
            ("₹500", 2, 50_000, "INR"), ("five hundred rupees", 3, 50_000, "INR"),
            ("¥1000 yen", 3, 1_000, "JPY"), ("a thousand yen", 3, 1_000, "JPY"), ("1000円", 2, 1_000, "JPY"),
            ("₩5000", 2, 5_000, "KRW"), ("five thousand won", 3, 5_000, "KRW"),
            ("twenty euros", 2, 2_000, "EUR"), ("€9.99", 2, 999, "EUR"),
            ("£5", 2, 500, "GBP"), ("five quid", 2, 500, "GBP"),
        ];
        for &(s, len, minor, cur) in table {
            assert_eq!(read(Builtin::Money, s), Some((len, money_of(minor, cur))), "{s}");
        }
        let w = ["forty", "two"];
        let r = ENGLISH.read(Builtin::Money, &w).unwrap();
        assert_eq!(r.value, Value::Money(Money { minor: 4200, exponent: 2, currency: None }));
        assert!(r.cost > 0.0, "a bare number is a weaker amount");
        assert_eq!(read(Builtin::Money, "dollars"), None);
        // Finer than the currency's unit, or beyond any voice payment: not money.
        assert_eq!(read(Builtin::Money, "$4.255"), None);
        assert_eq!(read(Builtin::Money, "$100000000.005"), None, "half a cent on a large amount");
        assert_eq!(read(Builtin::Money, "$100000000.01"), Some((2, money_of(10_000_000_001, "USD"))));
        assert_eq!(read(Builtin::Money, "$0.07"), Some((2, money_of(7, "USD"))));
        assert_eq!(read(Builtin::Money, "¥1000.5 yen"), None);
        assert_eq!(read(Builtin::Money, "10000000000000 dollars"), None);
        // Only "yen" overrides ¥'s yuan; other words after a sign must agree.
        assert_eq!(read(Builtin::Money, "¥200 dollars"), Some((2, money_of(20_000, "CNY"))));
    }

    #[test]
    fn times() {
        let table = [
            ("at five thirty pm", 4, at(17, 30, true)),
            ("17:30", 1, at(17, 30, true)),
            ("5:30 p.m.", 2, at(17, 30, true)),
            ("7 am", 2, at(7, 0, true)),
            ("seven oh five in the morning", 6, at(7, 5, true)),
            ("six o'clock", 2, at(6, 0, false)),
            ("noon", 1, at(12, 0, true)),
            ("half past six", 3, at(6, 30, false)),
            ("quarter to seven pm", 4, at(18, 45, true)),
            ("ten past five", 3, at(5, 10, false)),
            ("12 am", 2, at(0, 0, true)),
            ("in ten minutes", 3, Value::Time(Time::In { seconds: 600 })),
            ("in an hour", 3, Value::Time(Time::In { seconds: 3600 })),
            ("in half an hour", 4, Value::Time(Time::In { seconds: 1800 })),
        ];
        for (s, len, v) in table {
            assert_eq!(read(Builtin::Time, s), Some((len, v)), "{s}");
        }
        assert_eq!(read(Builtin::Time, "25:00"), None);
        assert_eq!(read(Builtin::Time, "the airport"), None);
    }

    #[test]
    fn dates() {
        let rel = |days| Value::Date(Date::Relative { days });
        let table = [
            ("tomorrow", 1, rel(1)),
            ("today", 1, rel(0)),
            ("the day after tomorrow", 4, rel(2)),
            ("in three days", 3, rel(3)),
            ("next friday", 2, Value::Date(Date::Weekday { weekday: 4, next: true })),
            ("on monday", 2, Value::Date(Date::Weekday { weekday: 0, next: false })),
            ("march third", 2, Value::Date(Date::Calendar { month: Some(3), day: 3 })),
            ("the 5th of may", 4, Value::Date(Date::Calendar { month: Some(5), day: 5 })),
            ("12/25", 1, Value::Date(Date::Calendar { month: Some(12), day: 25 })),
        ];
        for (s, len, v) in table {
            assert_eq!(read(Builtin::Date, s), Some((len, v)), "{s}");
        }
        assert_eq!(read(Builtin::Date, "may i"), None);
        assert_eq!(read(Builtin::Date, "13/45"), None);
    }

    #[test]
    fn durations_and_ordinals() {
        let table = [
            ("ten minutes", 2, 600),
            ("an hour and a half", 5, 5400),
            ("half an hour", 3, 1800),
            ("2 hours 30 minutes", 4, 9000),
            ("90 seconds", 2, 90),
            ("one hour and ten minutes", 5, 4200),
        ];
        for (s, len, seconds) in table {
            assert_eq!(read(Builtin::Duration, s), Some((len, Value::Duration { seconds })), "{s}");
        }
        for (s, len, n) in [("first", 1, 1), ("3rd", 1, 3), ("twenty first", 2, 21), ("twelfth", 1, 12), ("22nd", 1, 22)] {
            assert_eq!(read(Builtin::Ordinal, s), Some((len, Value::Ordinal(n))), "{s}");
        }
        assert_eq!(read(Builtin::Ordinal, "one"), None);
    }
}
