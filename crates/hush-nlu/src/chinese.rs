//! The built-in slot types read in Mandarin: numbers ("五十", "两百五",
//! "一万五", "三点五", "2万"), money (yuan unless another currency is said:
//! "五十块", "两百元", "三块五", "人民币一千元", "五毛", "十美元"), times
//! ("下午三点", "三点半", "八点一刻", "十分钟后"), dates ("明天", "后天",
//! "下周一", "五月三号"), durations and ordinals ("第二").
//!
//! Chinese is written without spaces, so the tokenizer makes every Han
//! character a word of its own (`normalize`): a character is the unit the
//! matcher edits, the templates are written as characters too, and these
//! readers walk characters. No segmenter (jieba and the like carry a
//! dictionary of megabytes and guess word boundaries the templates do not
//! need): a command's words are short, and the template says which
//! characters belong together.

use crate::money::{Amount, Money};
use crate::values::{Builtin, Date, Readers, Time, Value, ValueMatch};

/// Reads the built-in types in Mandarin.
pub(crate) const READERS: Readers = Readers { number, money, time, date, duration, ordinal };

/// Phrases that parse as each type, for generating sentences.
pub(crate) fn samples(ty: Builtin) -> &'static [&'static str] {
    match ty {
        Builtin::Integer => &["两", "二十五", "3", "一百零五", "十二"],
        Builtin::Number => &["三点五", "7", "四十二", "1.5"],
        Builtin::Money => &["五十块", "两百元", "三块五", "人民币一千元", "¥50", "一百块钱"],
        Builtin::Time => &["下午三点", "三点半", "十分钟后", "早上七点", "八点一刻", "晚上九点"],
        Builtin::Date => &["明天", "下周一", "今天", "后天", "二十五号"],
        Builtin::Duration => &["十分钟", "一个小时", "半小时", "两个小时", "90秒"],
        Builtin::Ordinal => &["第一", "第二", "第三个", "第4"],
        Builtin::Wildcard => &["我已经在门口了", "马上就到", "等一下再打"],
    }
}

/// Characters Mandarin values are said with, besides digits and symbols:
/// a grammar-steered decoder may say no other word inside a built-in slot.
#[rustfmt::skip]
pub(crate) const VALUE_WORDS: &[&str] = &[
    "零", "〇", "一", "二", "两", "俩", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "万", "亿", "点", "半",
    "块", "元", "圆", "钱", "毛", "角", "分", "人", "民", "币", "美", "金", "日", "欧", "英", "镑", "港", "印", "尼", "盾",
    "上", "下", "早", "晚", "中", "午", "凌", "晨", "今", "明", "后", "天", "大", "昨", "号", "月", "周", "星", "期",
    "礼", "拜", "刻", "钟", "小", "时", "个", "秒", "以", "之", "第", "夜", "傍",
];

/// Characters and the runs of characters that spell `s`, one per word.
fn lit(words: &[&str], s: &str) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        let w = words.get(n)?;
        let mut wc = w.chars();
        if wc.next() != Some(c) || wc.next().is_some() {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// The first of `choices` that `words` start with, and its length.
fn any_lit<'a>(words: &[&str], choices: &[&'a str]) -> Option<(&'a str, usize)> {
    choices.iter().find_map(|c| lit(words, c).map(|n| (*c, n)))
}

fn digit(w: &str) -> Option<f64> {
    Some(match w {
        "零" | "〇" => 0.0,
        "一" | "壹" | "幺" => 1.0,
        "二" | "两" | "俩" | "贰" => 2.0,
        "三" | "叁" => 3.0,
        "四" | "肆" => 4.0,
        "五" | "伍" => 5.0,
        "六" | "陆" => 6.0,
        "七" | "柒" => 7.0,
        "八" | "捌" => 8.0,
        "九" | "玖" => 9.0,
        _ => return None,
    })
}

fn unit(w: &str) -> Option<f64> {
    Some(match w {
        "十" | "拾" => 10.0,
        "百" | "佰" => 100.0,
        "千" | "仟" => 1000.0,
        _ => return None,
    })
}

fn big(w: &str) -> Option<f64> {
    Some(match w {
        "万" => 1e4,
        "亿" => 1e8,
        _ => return None,
    })
}

/// Digits as Whisper writes them: "200", "1,000", "3.5".
fn arabic(w: &str) -> Option<f64> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) || !w.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return None;
    }
    w.replace(',', "").parse().ok()
}

/// A number from the start of `words`: "五十", "一百零五", "两百五" (250),
/// "一万五" (15,000), "三点一四", "2万", "1.5万".
pub(crate) fn number(words: &[&str]) -> Option<(f64, usize)> {
    let (mut total, mut used) = integer(words)?;
    // "三点五": digits after 点 one by one; "三点十五" and "三点二十" are
    // times, not 3.1 and 3.2.
    if words.get(used) == Some(&"点") && total.fract() == 0.0 {
        let frac: Vec<f64> = words[used + 1..].iter().map_while(|w| digit(w)).collect();
        if !frac.is_empty() && words.get(used + 1 + frac.len()).is_none_or(|w| unit(w).is_none()) {
            let digits: String = frac.iter().map(|d| (*d as u8).to_string()).collect();
            total += format!("0.{digits}").parse::<f64>().unwrap_or(0.0);
            used += 1 + frac.len();
        }
    }
    Some((total, used))
}

/// A number without a decimal point in characters ("三点" is a time).
fn integer(words: &[&str]) -> Option<(f64, usize)> {
    let (mut high, mut section) = (0.0, 0.0);
    let mut pending: Option<f64> = None;
    // The unit last said, for "两百五" (the digit after a unit counts in
    // the next unit down); "零" ends that reading ("一百零五" is 105).
    let mut last_unit: Option<f64> = None;
    let mut used = 0;
    while let Some(&w) = words.get(used) {
        if let Some(v) = arabic(w).or_else(|| digit(w)) {
            if pending.is_some() {
                break;
            }
            if w == "零" || w == "〇" {
                last_unit = None;
                // A lone zero is a number; inside one it only holds a place.
                if used > 0 {
                    used += 1;
                    continue;
                }
            }
            pending = Some(v);
        } else if let Some(u) = unit(w) {
            // "十二": a ten said alone is one ten.
            section += pending.take().unwrap_or(1.0) * u;
            last_unit = Some(u);
        } else if let Some(b) = big(w) {
            if used == 0 {
                break;
            }
            let group = section + pending.take().unwrap_or(0.0);
            high = if b > 1e4 { (high + group) * b } else { high + group * b };
            section = 0.0;
            last_unit = Some(b);
        } else {
            break;
        }
        used += 1;
    }
    if used == 0 {
        return None;
    }
    if let Some(d) = pending {
        section += match last_unit {
            Some(u) if u >= 100.0 && d < 10.0 => d * u / 10.0,
            _ => d,
        };
    }
    // "亿亿亿…" or a thousand digits: no amount anyone says.
    let total = high + section;
    total.is_finite().then_some((total, used))
}

/// A currency said after an amount, and its length in characters.
fn currency_after(words: &[&str]) -> Option<(&'static str, usize)> {
    const NAMES: &[(&str, &str)] = &[
        ("美元", "USD"),
        ("美金", "USD"),
        ("日元", "JPY"),
        ("欧元", "EUR"),
        ("英镑", "GBP"),
        ("港币", "HKD"),
        ("港元", "HKD"),
        ("印尼盾", "IDR"),
        ("卢比", "INR"),
        ("人民币", "CNY"),
        ("块钱", "CNY"),
        ("块", "CNY"),
        ("元", "CNY"),
        ("圆", "CNY"),
    ];
    NAMES.iter().find_map(|(name, code)| lit(words, name).map(|n| (*code, n)))
}

/// An amount, in yuan unless another currency is said: "五十块", "三块五"
/// (3.50), "五毛" (0.50), "人民币一千元", "¥50", "十美元".
fn money(words: &[&str]) -> Option<Amount> {
    let mut i = 0;
    let mut cur = None;
    if let Some(n) = lit(words, "人民币") {
        (cur, i) = (Some("CNY"), n);
    } else if let Some(c) = words.first().and_then(|w| crate::money::currency_symbol(w)) {
        (cur, i) = (Some(c), 1);
    }
    let (mut amount, used) = number(&words[i..])?;
    i += used;
    let mut said = cur.is_some();
    if let Some((c, n)) = currency_after(&words[i..]).filter(|(c, _)| cur.is_none() || cur == Some(*c)) {
        (cur, i, said) = (Some(c), i + n, true);
        if c == "CNY" {
            // Yuan's smaller units: "三块五" and "三块五毛" are 3.50,
            // "一块二毛五分" 1.25.
            if let Some(d) = words.get(i).and_then(|w| digit(w)) {
                amount += d / 10.0;
                i += 1 + any_lit(&words[i + 1..], &["毛", "角"]).map_or(0, |(_, n)| n);
                if let Some(f) = words.get(i).and_then(|w| digit(w)).filter(|_| lit(&words[i + 1..], "分").is_some()) {
                    amount += f / 100.0;
                    i += 2;
                }
            }
            i += lit(&words[i..], "钱").unwrap_or(0);
            i += lit(&words[i..], "人民币").unwrap_or(0);
        }
    } else if let Some((_, n)) = any_lit(&words[i..], &["毛", "角"]).filter(|_| cur.is_none()) {
        // "五毛": tenths of a yuan.
        (amount, cur, i, said) = (amount / 10.0, Some("CNY"), i + n, true);
        i += lit(&words[i..], "钱").unwrap_or(0);
    }
    // A bare number may not be money at all; said as money, it is yuan.
    let cost = if said { 0.0 } else { 0.3 };
    Some(Amount { len: i, money: Money::from_major((amount * 100.0).round() / 100.0, Some(cur.unwrap_or("CNY")))?, cost })
}

/// What a part of the day makes of the hour said with it.
type Hour = fn(u32) -> u32;

/// A part of the day before a clock time, and what it makes of the hour.
fn day_part(words: &[&str]) -> Option<(usize, Hour)> {
    const PARTS: &[(&str, Hour)] = &[
        ("早上", |h| h % 12),
        ("早晨", |h| h % 12),
        ("上午", |h| h % 12),
        ("凌晨", |h| h % 12),
        ("中午", |h| if h < 3 { h + 12 } else { h }),
        ("下午", |h| if h < 12 { h + 12 } else { h }),
        ("傍晚", |h| if h < 12 { h + 12 } else { h }),
        ("晚上", |h| {
            if (5..12).contains(&h) {
                h + 12
            } else if h == 12 {
                0
            } else {
                h
            }
        }),
        ("今晚", |h| if (5..12).contains(&h) { h + 12 } else { h }),
        ("夜里", |h| if (7..12).contains(&h) { h + 12 } else { h % 12 }),
    ];
    PARTS.iter().find_map(|(p, f)| lit(words, p).map(|n| (n, *f)))
}

fn whole(words: &[&str], max: f64) -> Option<(u32, usize)> {
    let (v, n) = integer(words)?;
    (v.fract() == 0.0 && (0.0..=max).contains(&v)).then_some((v as u32, n))
}

/// "十分钟", "一个小时", "半小时", "一个半小时", "90秒": seconds.
fn duration(words: &[&str]) -> Option<(usize, u64)> {
    let (mut v, mut i) = match lit(words, "半") {
        Some(n) => (0.5, n),
        None => number(words)?,
    };
    i += lit(&words[i..], "个").unwrap_or(0);
    if let Some(n) = lit(&words[i..], "半").filter(|_| v.fract() == 0.0) {
        v += 0.5;
        i += n;
    }
    let (unit, n) = any_lit(&words[i..], &["分钟", "小时", "钟头", "秒钟", "秒", "分"])?;
    let secs = match unit {
        "小时" | "钟头" => 3600.0,
        "秒钟" | "秒" => 1.0,
        _ => 60.0,
    };
    let total = v * secs;
    (total.is_finite() && (0.0..=1e9).contains(&total)).then_some((i + n, total.round() as u64))
}

/// "下午三点", "三点半", "八点一刻", "三点十五分", "15:30", "十分钟后".
fn time(words: &[&str]) -> Option<ValueMatch> {
    // "十分钟后", "半小时以后": from now.
    if let Some((n, seconds)) = duration(words) {
        if let Some((_, m)) = any_lit(&words[n..], &["以后", "之后", "后"]) {
            return Some(ValueMatch { len: n + m, value: Value::Time(Time::In { seconds }), cost: 0.0 });
        }
    }
    let (mut i, part) = day_part(words).map_or((0, None), |(n, f)| (n, Some(f)));
    let first = words.get(i)?;
    // "15:30", "7:05".
    let (hour, minute, n) = if let Some((h, m)) = first.split_once(':') {
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h, m, 1)
    } else {
        let (h, n) = whole(&words[i..], 24.0)?;
        let mut n = n + lit(&words[i + n..], "点").or(lit(&words[i + n..], "时"))?;
        let rest = &words[i + n..];
        let minute = if let Some(k) = lit(rest, "半") {
            n += k;
            30
        } else if let Some((q, k)) = any_lit(rest, &["一刻", "三刻"]) {
            n += k;
            if q == "一刻" {
                15
            } else {
                45
            }
        } else if let Some((m, k)) = whole(rest, 59.0) {
            n += k + lit(&rest[k..], "分").unwrap_or(0);
            m
        } else {
            0
        };
        (h, minute, n)
    };
    i += n;
    if hour > 24 || minute > 59 {
        return None;
    }
    let (hour, certain) = match part {
        Some(f) => (f(hour) % 24, true),
        None => (hour % 24, hour > 12 || hour == 0),
    };
    Some(ValueMatch { len: i, value: Value::Time(Time::At { hour: hour as u8, minute: minute as u8, certain }), cost: 0.0 })
}

fn weekday(words: &[&str]) -> Option<(u8, usize)> {
    let (_, n) = any_lit(words, &["星期", "礼拜", "周"])?;
    let d = match *words.get(n)? {
        "一" => 0,
        "二" => 1,
        "三" => 2,
        "四" => 3,
        "五" => 4,
        "六" => 5,
        "日" | "天" => 6,
        _ => return None,
    };
    Some((d, n + 1))
}

/// "今天", "明天", "后天", "三天后", "下周一", "星期五", "五月三号", "二十五号".
fn date(words: &[&str]) -> Option<ValueMatch> {
    let rel = |len, days| Some(ValueMatch { len, value: Value::Date(Date::Relative { days }), cost: 0.0 });
    // Longest first: "大后天" before "后天".
    const DAYS: &[(&str, i32)] = &[("大后天", 3), ("后天", 2), ("明天", 1), ("明儿", 1), ("今天", 0), ("今儿", 0), ("昨天", -1), ("前天", -2)];
    if let Some((n, days)) = DAYS.iter().find_map(|(w, d)| lit(words, w).map(|n| (n, *d))) {
        return rel(n, days);
    }
    let next = lit(words, "下个").or(lit(words, "下"));
    let at = next.unwrap_or(0);
    if let Some((d, n)) = weekday(&words[at..]) {
        return Some(ValueMatch { len: at + n, value: Value::Date(Date::Weekday { weekday: d, next: next.is_some() }), cost: 0.0 });
    }
    let (v, n) = whole(words, 31.0)?;
    if let Some((_, k)) = any_lit(&words[n..], &["天后", "天以后", "天之后"]) {
        return rel(n + k, v as i32);
    }
    if lit(&words[n..], "月").is_some() && (1..=12).contains(&v) {
        let (day, k) = whole(&words[n + 1..], 31.0)?;
        let k2 = any_lit(&words[n + 1 + k..], &["号", "日"])?.1;
        return (day >= 1).then_some(ValueMatch {
            len: n + 1 + k + k2,
            value: Value::Date(Date::Calendar { month: Some(v as u8), day: day as u8 }),
            cost: 0.0,
        });
    }
    let k = any_lit(&words[n..], &["号", "日"])?.1;
    (v >= 1).then_some(ValueMatch { len: n + k, value: Value::Date(Date::Calendar { month: None, day: v as u8 }), cost: 0.0 })
}

/// "第二", "第三个", "第4".
fn ordinal(words: &[&str]) -> Option<(usize, u32)> {
    let n = lit(words, "第")?;
    let (v, k) = whole(&words[n..], 10_000.0)?;
    let tail = lit(&words[n + k..], "个").unwrap_or(0);
    (v >= 1).then_some((n + k + tail, v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::words;

    fn read(ty: Builtin, s: &str) -> Option<(Value, usize)> {
        let w = words(s);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        READERS.read(ty, &w).map(|m| (m.value, m.len))
    }

    fn whole_reading(ty: Builtin, s: &str) -> Option<Value> {
        let n = words(s).len();
        read(ty, s).filter(|(_, len)| *len == n).map(|(v, _)| v)
    }

    #[test]
    fn numbers() {
        for (s, want) in [
            ("五", 5.0),
            ("十", 10.0),
            ("十二", 12.0),
            ("二十五", 25.0),
            ("一百零五", 105.0),
            ("两百", 200.0),
            ("两百五", 250.0),
            ("三千二", 3200.0),
            ("一千五百", 1500.0),
            ("一万", 10_000.0),
            ("一万五", 15_000.0),
            ("一万零五百", 10_500.0),
            ("三万二千", 32_000.0),
            ("十万", 100_000.0),
            ("一百二十万", 1_200_000.0),
            ("一亿", 1e8),
            ("三点五", 3.5),
            ("三点二五", 3.25),
            ("200", 200.0),
            ("1,000", 1000.0),
            ("2万", 20_000.0),
            ("1.5万", 15_000.0),
            ("零", 0.0),
        ] {
            assert_eq!(whole_reading(Builtin::Number, s), Some(Value::Number(want)), "{s}");
        }
        assert_eq!(whole_reading(Builtin::Integer, "四十二"), Some(Value::Integer(42)));
        assert_eq!(read(Builtin::Number, "万"), None);
        assert_eq!(read(Builtin::Number, "块"), None);
        assert_eq!(read(Builtin::Number, &"九亿".repeat(60)), None, "no infinite numbers");
    }

    fn yuan(major: f64) -> Value {
        Value::Money(Money::from_major(major, Some("CNY")).unwrap())
    }

    #[test]
    fn money() {
        for (s, want) in [
            ("五十块", yuan(50.0)),
            ("五十块钱", yuan(50.0)),
            ("两百元", yuan(200.0)),
            ("三块五", yuan(3.5)),
            ("三块五毛", yuan(3.5)),
            ("一块二毛五分", yuan(1.25)),
            ("五毛", yuan(0.5)),
            ("人民币一千元", yuan(1000.0)),
            ("一千元人民币", yuan(1000.0)),
            ("¥50", yuan(50.0)),
            ("50元", yuan(50.0)),
            ("两万块", yuan(20_000.0)),
            ("十美元", Value::Money(Money::from_major(10.0, Some("USD")).unwrap())),
            ("五十万印尼盾", Value::Money(Money::from_major(500_000.0, Some("IDR")).unwrap())),
        ] {
            assert_eq!(whole_reading(Builtin::Money, s), Some(want), "{s}");
        }
        let w = words("两百");
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        let bare = READERS.read(Builtin::Money, &w).unwrap();
        assert!(bare.cost > 0.0, "a bare number may not be money");
        assert_eq!(bare.value, yuan(200.0));
    }

    fn at(hour: u8, minute: u8, certain: bool) -> Value {
        Value::Time(Time::At { hour, minute, certain })
    }

    #[test]
    fn times() {
        for (s, want) in [
            ("三点", at(3, 0, false)),
            ("下午三点", at(15, 0, true)),
            ("三点半", at(3, 30, false)),
            ("早上七点", at(7, 0, true)),
            ("晚上九点", at(21, 0, true)),
            ("晚上十二点", at(0, 0, true)),
            ("八点一刻", at(8, 15, false)),
            ("八点三刻", at(8, 45, false)),
            ("三点十五分", at(3, 15, false)),
            ("下午三点二十", at(15, 20, true)),
            ("15:30", at(15, 30, true)),
            ("十分钟后", Value::Time(Time::In { seconds: 600 })),
            ("半小时以后", Value::Time(Time::In { seconds: 1800 })),
            ("一个小时后", Value::Time(Time::In { seconds: 3600 })),
        ] {
            assert_eq!(whole_reading(Builtin::Time, s), Some(want), "{s}");
        }
        assert_eq!(whole_reading(Builtin::Time, "三十点"), None);
    }

    #[test]
    fn dates_durations_ordinals() {
        let rel = |days| Value::Date(Date::Relative { days });
        for (s, want) in [
            ("今天", rel(0)),
            ("明天", rel(1)),
            ("后天", rel(2)),
            ("大后天", rel(3)),
            ("三天后", rel(3)),
            ("下周一", Value::Date(Date::Weekday { weekday: 0, next: true })),
            ("星期五", Value::Date(Date::Weekday { weekday: 4, next: false })),
            ("周日", Value::Date(Date::Weekday { weekday: 6, next: false })),
            ("五月三号", Value::Date(Date::Calendar { month: Some(5), day: 3 })),
            ("二十五号", Value::Date(Date::Calendar { month: None, day: 25 })),
        ] {
            assert_eq!(whole_reading(Builtin::Date, s), Some(want), "{s}");
        }
        for (s, secs) in [("十分钟", 600), ("一个小时", 3600), ("半小时", 1800), ("一个半小时", 5400), ("90秒", 90)] {
            assert_eq!(whole_reading(Builtin::Duration, s), Some(Value::Duration { seconds: secs }), "{s}");
        }
        for (s, n) in [("第一", 1), ("第二", 2), ("第三个", 3), ("第4", 4), ("第二十一", 21)] {
            assert_eq!(whole_reading(Builtin::Ordinal, s), Some(Value::Ordinal(n)), "{s}");
        }
    }

    #[test]
    fn every_sample_reads_whole() {
        for ty in [Builtin::Integer, Builtin::Number, Builtin::Money, Builtin::Time, Builtin::Date, Builtin::Duration, Builtin::Ordinal] {
            for s in samples(ty) {
                assert!(whole_reading(ty, s).is_some(), "{ty:?}: {s}");
            }
        }
    }
}
