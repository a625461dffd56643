//! The built-in slot types read in Bahasa Indonesia: numbers ("dua puluh
//! lima", "seratus", "dua juta setengah", "1,5 juta", "50rb"), money
//! (rupiah unless another currency is said: "lima puluh ribu rupiah",
//! "Rp 1.250.000,00", "goceng"), times ("jam lima sore", "setengah tujuh",
//! "jam 17.30", "sepuluh menit lagi"), dates ("besok", "lusa", "Senin
//! depan", "tanggal dua puluh lima"), durations and ordinals ("yang
//! kedua"). Values come out as the English reader's do, so one action
//! serves both languages.
//!
//! Indonesian writes thousands with dots and decimals with a comma
//! ("1.250.000,50"); Whisper sometimes writes "2.5" the English way, so a
//! lone dot that does not group thousands is read as a decimal point.

use crate::money::{currency_symbol, currency_word, Amount, Money};
use crate::values::{Builtin, Date, Readers, Time, Value, ValueMatch};

/// Reads the built-in types in Indonesian.
pub(crate) const READERS: Readers = Readers { number, money, time, date, duration, ordinal };

/// Phrases that parse as each type, for generating sentences.
pub(crate) fn samples(ty: Builtin) -> &'static [&'static str] {
    match ty {
        Builtin::Integer => &["dua", "dua puluh lima", "3", "seratus lima", "12"],
        Builtin::Number => &["dua koma lima", "7", "empat puluh dua", "1,5"],
        Builtin::Money => &["lima puluh ribu rupiah", "Rp 50.000", "dua ratus ribu", "Rp1.250.000", "seratus ribu perak", "50rb"],
        Builtin::Time => &["jam lima sore", "jam 17.30", "sepuluh menit lagi", "jam tujuh pagi", "setengah tujuh", "tengah hari"],
        Builtin::Date => &["besok", "senin depan", "hari ini", "lusa", "tanggal dua puluh lima"],
        Builtin::Duration => &["sepuluh menit", "satu jam", "setengah jam", "dua jam", "90 detik"],
        Builtin::Ordinal => &["pertama", "kedua", "ketiga", "ke-4"],
        Builtin::Wildcard => &["saya sudah di depan", "tunggu sebentar lagi sampai", "nanti saya telepon"],
    }
}

/// Words Indonesian values are said with, besides digits and symbols: a
/// grammar-steered decoder may say no other word inside a built-in slot.
#[rustfmt::skip]
pub(crate) const VALUE_WORDS: &[&str] = &[
    "nol", "kosong", "satu", "se", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
    "sebelas", "belas", "puluh", "ratus", "seratus", "ribu", "seribu", "rb", "rebu", "juta", "sejuta", "jt", "miliar",
    "milyar", "semiliar", "triliun", "setengah", "seperempat", "koma", "cepek", "gopek", "seceng", "goceng", "ceban",
    "goban", "gocap", "rupiah", "perak", "rp", "idr", "dolar", "dollar", "ringgit", "yuan", "euro", "yen", "sen",
    "jam", "pukul", "pagi", "siang", "sore", "petang", "malam", "subuh", "dini", "hari", "tengah", "lewat", "lebih",
    "kurang", "menit", "detik", "lagi", "dalam", "pada", "sekitar", "ini", "besok", "esok", "lusa", "kemarin", "nanti",
    "minggu", "pekan", "depan", "tanggal", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "ahad", "januari",
    "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember",
    "sejam", "semenit", "sehari", "seminggu", "yang", "ke", "pertama", "kedua", "ketiga", "keempat", "kelima",
    "keenam", "ketujuh", "kedelapan", "kesembilan", "kesepuluh", "kesebelas",
];

fn digit(w: &str) -> Option<u64> {
    Some(match w {
        "nol" | "kosong" => 0,
        "satu" => 1,
        "dua" => 2,
        "tiga" => 3,
        "empat" => 4,
        "lima" => 5,
        "enam" => 6,
        "tujuh" => 7,
        "delapan" => 8,
        "sembilan" => 9,
        _ => return None,
    })
}

/// Scale words after a group ("lima puluh ribu"), and their short forms.
fn scale(w: &str) -> Option<f64> {
    Some(match w {
        "ribu" | "rb" | "rebu" => 1e3,
        "juta" | "jt" => 1e6,
        "miliar" | "milyar" => 1e9,
        "triliun" => 1e12,
        _ => return None,
    })
}

/// "seribu", "sejuta": one of a scale, in one word.
fn one_scale(w: &str) -> Option<f64> {
    Some(match w {
        "seribu" => 1e3,
        "sejuta" => 1e6,
        "semiliar" | "semilyar" => 1e9,
        "setriliun" => 1e12,
        _ => return None,
    })
}

/// Jakarta's Hokkien-born money words, said for amounts of rupiah.
fn slang(w: &str) -> Option<f64> {
    Some(match w {
        "gocap" => 50.0,
        "cepek" => 100.0,
        "gopek" => 500.0,
        "seceng" => 1_000.0,
        "goceng" => 5_000.0,
        "ceban" => 10_000.0,
        "goban" => 50_000.0,
        _ => return None,
    })
}

/// A digit string as Indonesian writes it: "50.000", "1,5", "Rp1.250.000,00"
/// (after "rp"), "50rb", "10jt", "2.5" as Whisper sometimes writes it.
fn numeral(w: &str) -> Option<f64> {
    let w = w.trim_end_matches(['.', ',', '?', '!']);
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let body = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let factor = match &w[body.len()..] {
        "" => 1.0,
        "k" | "rb" | "ribu" | "rebu" => 1e3,
        "jt" | "juta" => 1e6,
        _ => return None,
    };
    let (int, frac) = match body.split_once(',') {
        Some((i, f)) if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) => (i, f),
        Some(_) => return None,
        None => match body.split_once('.') {
            // "2.5": one dot that groups no thousands is a decimal point.
            Some((i, f)) if !f.contains('.') && f.len() != 3 => (i, f),
            _ => (body, ""),
        },
    };
    let groups: Vec<&str> = int.split('.').collect();
    let grouped = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped || int.is_empty() || !groups.iter().all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let text = format!("{}.{}", groups.concat(), if frac.is_empty() { "0" } else { frac });
    text.parse::<f64>().ok().map(|v| v * factor).filter(|v| v.is_finite())
}

/// A number below a thousand said in words: "seratus dua puluh lima",
/// "tujuh belas", "sebelas". (value, words read).
fn group(words: &[&str]) -> Option<(u64, usize)> {
    let d = |i: usize| words.get(i).and_then(|w| digit(w));
    let is = |i: usize, s: &str| words.get(i) == Some(&s);
    let (mut v, mut i) = (0, 0);
    if is(0, "seratus") {
        (v, i) = (100, 1);
    } else if let Some(h) = d(0).filter(|&h| h > 0 && is(1, "ratus")) {
        (v, i) = (h * 100, 2);
    }
    match words.get(i) {
        Some(&"sepuluh") => return Some((v + 10, i + 1)),
        Some(&"sebelas") => return Some((v + 11, i + 1)),
        _ => {}
    }
    match d(i) {
        Some(t) if t > 0 && is(i + 1, "belas") => Some((v + 10 + t, i + 2)),
        Some(t) if t > 0 && is(i + 1, "puluh") => match d(i + 2).filter(|&u| u > 0) {
            Some(u) => Some((v + t * 10 + u, i + 3)),
            None => Some((v + t * 10, i + 2)),
        },
        // "nol" is a number alone, not the end of "seratus nol".
        Some(u) if u > 0 || (i == 0 && v == 0) => Some((v + u, i + 1)),
        _ => (i > 0).then_some((v, i)),
    }
}

/// Parses the number that starts `words`: (value, words read).
pub(crate) fn number(words: &[&str]) -> Option<(f64, usize)> {
    let first = *words.first()?;
    if let Some(v) = numeral(first) {
        // "50 ribu", "1,5 juta" mix digits and words.
        return Some(match words.get(1).and_then(|w| scale(w)) {
            Some(s) => (v * s, 2),
            None => (v, 1),
        });
    }
    if let Some(v) = slang(first) {
        return Some((v, 1));
    }
    let (mut total, mut used) = (0.0, 0);
    // Each scale must be smaller than the one before ("dua juta lima ratus
    // ribu"); "ribu ribu" is not a number.
    let mut last_scale = f64::INFINITY;
    while used < words.len() {
        let rest = &words[used..];
        if rest[0] == "setengah" {
            match rest.get(1).and_then(|w| scale(w)).filter(|&s| used == 0 && s < last_scale) {
                // "setengah juta": half a million.
                Some(s) => {
                    total += 0.5 * s;
                    used += 2;
                    last_scale = s;
                    continue;
                }
                // "dua juta setengah": two and a half million.
                None if last_scale.is_finite() => total += 0.5 * last_scale,
                None if used == 0 => total = 0.5,
                None => break,
            }
            used += 1;
            break;
        }
        if let Some(s) = one_scale(rest[0]).filter(|&s| s < last_scale) {
            total += s;
            used += 1;
            last_scale = s;
            continue;
        }
        let Some((g, mut n)) = group(rest) else { break };
        let mut g = g as f64;
        // "satu setengah juta", "dua setengah"; but in "tanggal dua puluh
        // lima setengah tujuh" the half begins a time (6:30).
        let time_follows = rest.get(n + 1).is_some_and(|w| digit(w).is_some() || numeral(w).is_some() || matches!(*w, "sepuluh" | "sebelas"));
        if rest.get(n) == Some(&"setengah") && !time_follows {
            g += 0.5;
            n += 1;
        }
        match rest.get(n).and_then(|w| scale(w)).filter(|&s| s < last_scale) {
            Some(s) => {
                total += g * s;
                used += n + 1;
                last_scale = s;
            }
            None => {
                total += g;
                used += n;
                break;
            }
        }
    }
    if used == 0 {
        return None;
    }
    // "dua koma lima": digits after "koma" one by one.
    if words.get(used) == Some(&"koma") && total.fract() == 0.0 {
        let digits: Vec<u64> = words[used + 1..].iter().map_while(|w| digit(w)).collect();
        if !digits.is_empty() {
            let frac: String = digits.iter().map(u64::to_string).collect();
            total += format!("0.{frac}").parse::<f64>().unwrap_or(0.0);
            used += 1 + digits.len();
        }
    }
    Some((total, used))
}

fn currency(w: &str) -> Option<&'static str> {
    match w {
        "perak" => Some("IDR"),
        "dolar" => Some("USD"),
        _ => currency_word(w).or_else(|| currency_symbol(w)),
    }
}

/// An amount, in rupiah unless another currency is said.
fn money(words: &[&str]) -> Option<Amount> {
    let mut i = 0;
    // "Rp 50.000", "IDR 20.000", "USD 5": a symbol or a code first.
    let mut cur = words.first().and_then(|w| currency_symbol(w).or_else(|| currency_word(w).filter(|c| c.eq_ignore_ascii_case(w))));
    if cur.is_some() {
        i += 1;
    }
    let (amount, used) = number(&words[i..])?;
    i += used;
    if let Some(c) = words.get(i).and_then(|w| currency(w)) {
        if cur.is_none() || cur == Some(c) {
            cur = Some(c);
            i += 1;
        }
    }
    // A bare number may not be money at all; said as money, it is rupiah.
    // Thousands and millions ("50rb", "dua puluh ribu", "goceng") are how
    // amounts are said, so they are surer than a plain "dua".
    let said_as_amount = words[..i].iter().any(|w| {
        scale(w).is_some() || one_scale(w).is_some() || slang(w).is_some() || numeral(w).is_some_and(|_| w.ends_with(|c: char| c.is_ascii_alphabetic()))
    });
    let cost = if cur.is_some() {
        0.0
    } else if said_as_amount {
        0.1
    } else {
        0.3
    };
    Some(Amount { len: i, money: Money::from_major(amount, Some(cur.unwrap_or("IDR")))?, cost })
}

fn small(words: &[&str]) -> Option<(u32, usize)> {
    let (v, n) = number(words)?;
    (v.fract() == 0.0 && (0.0..=10_000.0).contains(&v)).then_some((v as u32, n))
}

fn unit_seconds(w: &str) -> Option<u64> {
    Some(match w {
        "detik" | "dtk" => 1,
        "menit" | "mnt" => 60,
        "jam" => 3600,
        "hari" => 86_400,
        "minggu" | "pekan" => 604_800,
        _ => return None,
    })
}

/// "sepuluh menit", "setengah jam", "satu setengah jam", "dua jam tiga
/// puluh menit", "sejam".
fn duration(words: &[&str]) -> Option<(usize, u64)> {
    let one = |w: &[&str]| -> Option<(usize, u64)> {
        let single = match *w.first()? {
            "sejam" => Some(3600),
            "semenit" => Some(60),
            "sehari" => Some(86_400),
            "seminggu" => Some(604_800),
            _ => None,
        };
        if let Some(s) = single {
            return Some((1, s));
        }
        let (n, used) = number(w)?;
        let u = unit_seconds(w.get(used)?)?;
        let secs = n * u as f64;
        (secs.fract() == 0.0 && (0.0..1e10).contains(&secs)).then_some((used + 1, secs as u64))
    };
    let (mut len, mut secs) = one(words)?;
    // "dua jam setengah": and half of the unit.
    if words.get(len) == Some(&"setengah") {
        let u = unit_seconds(words[len - 1]).unwrap_or(0);
        return Some((len + 1, secs + u / 2));
    }
    let j = len + usize::from(words.get(len) == Some(&"dan"));
    if let Some((l2, s2)) = one(&words[j.min(words.len())..]) {
        len = j + l2;
        secs += s2;
    }
    Some((len, secs))
}

/// Minutes said after an hour: "sepuluh", "seperempat", "setengah",
/// optionally followed by "menit".
fn minutes(words: &[&str]) -> Option<(u32, usize)> {
    let (m, n) = match *words.first()? {
        "seperempat" => (15, 1),
        "setengah" => (30, 1),
        _ => small(words).filter(|&(m, _)| (1..60).contains(&m))?,
    };
    Some((m, n + usize::from(words.get(n) == Some(&"menit"))))
}

/// The part of the day after a clock time; the hour as a 24-hour clock
/// reads it (the hour said is 1-12).
fn day_part(words: &[&str], h: u32) -> Option<(usize, u32)> {
    let (n, hour) = match words {
        ["pagi" | "subuh", ..] => (1, h % 12),
        ["dini", "hari", ..] => (2, h % 12),
        // "jam sepuluh siang" is late morning; one to six, the afternoon.
        ["siang", ..] => (1, if h >= 10 { h } else { h + 12 }),
        ["sore" | "petang", ..] => (1, if h == 12 { 12 } else { h + 12 }),
        // "jam dua malam" is two at night, "jam sembilan malam" 21:00.
        ["malam", ..] => (
            1,
            if h == 12 {
                0
            } else if h >= 6 {
                h + 12
            } else {
                h
            },
        ),
        _ => return None,
    };
    Some((n, hour))
}

/// The clock time said after "jam" (or alone): (hour, minute, words read,
/// whether it was written as a 24-hour time).
fn clock(w: &[&str]) -> Option<(u32, u32, usize, bool)> {
    // "17.30", "17:30", "08.15"
    if let Some((h, m)) = w.first().and_then(|t| t.split_once(['.', ':'])) {
        return (m.len() == 2).then(|| Some((h.parse().ok()?, m.parse().ok()?, 1, true)))?;
    }
    if w.first() == Some(&"setengah") {
        // "setengah tujuh" is half way to seven: 6:30.
        let (h, n) = small(&w[1..]).filter(|&(h, _)| (1..=12).contains(&h))?;
        return Some((if h == 1 { 12 } else { h - 1 }, 30, 1 + n, false));
    }
    let (hour, n) = small(w).filter(|&(h, _)| h <= 24)?;
    // "sepuluh menit" is a span of time, not ten o'clock.
    if matches!(w.get(n), Some(&"menit" | &"detik")) {
        return None;
    }
    Some(match w.get(n) {
        Some(&"lewat" | &"lebih") => {
            let (m, k) = minutes(&w[n + 1..])?;
            (hour, m, n + 1 + k, false)
        }
        Some(&"kurang") => {
            let (m, k) = minutes(&w[n + 1..])?;
            let total = (hour as i32 * 60 - m as i32).rem_euclid(24 * 60);
            let h = (total / 60) as u32;
            (if h == 0 { 12 } else { h }, (total % 60) as u32, n + 1 + k, false)
        }
        Some(&"seperempat") => (hour, 15, n + 1, false),
        // "jam lima tiga puluh"
        _ => match small(&w[n..]).filter(|&(m, _)| (10..60).contains(&m)) {
            Some((m, k)) => (hour, m, n + k + usize::from(w.get(n + k) == Some(&"menit")), false),
            None => (hour, 0, n, false),
        },
    })
}

fn time(words: &[&str]) -> Option<ValueMatch> {
    let mut skip = usize::from(matches!(words.first(), Some(&"pada") | Some(&"sekitar")));
    let clock_word = matches!(words.get(skip), Some(&"jam") | Some(&"pukul"));
    skip += usize::from(clock_word);
    let w = &words[skip..];
    let done = |len: usize, t: Time, cost: f32| Some(ValueMatch { len: skip + len, value: Value::Time(t), cost });
    let at = |hour: u32, minute: u32, certain: bool| Time::At { hour: hour as u8, minute: minute as u8, certain };
    if !clock_word {
        match w {
            ["tengah", "hari", ..] => return done(2, at(12, 0, true), 0.0),
            ["tengah", "malam", ..] => return done(2, at(0, 0, true), 0.0),
            ["dalam", rest @ ..] if skip == 0 => {
                let (len, seconds) = duration(rest)?;
                return done(1 + len, Time::In { seconds }, 0.0);
            }
            _ => {}
        }
        if skip == 0 {
            if let Some((len, seconds)) = duration(w).filter(|&(len, _)| w.get(len) == Some(&"lagi")) {
                return done(len + 1, Time::In { seconds }, 0.0);
            }
        }
    }
    let (hour, minute, len, explicit_24h) = clock(w)?;
    if hour > 24 || minute > 59 {
        return None;
    }
    let (hour, certain, part) = match day_part(&w[len..], hour).filter(|_| (1..=12).contains(&hour)) {
        Some((n, h)) => (h, true, n),
        None => (hour % 24, explicit_24h || hour == 0 || hour > 12, 0),
    };
    // A bare number is a time only weakly: "jam lima" is surer than "lima".
    let sure = clock_word || part > 0 || minute > 0 || explicit_24h;
    done(len + part, at(hour, minute, certain), if sure { 0.0 } else { 0.3 })
}

fn weekday(w: &str) -> Option<u8> {
    match w {
        "senin" => Some(0),
        "selasa" => Some(1),
        "rabu" => Some(2),
        "kamis" => Some(3),
        "jumat" => Some(4),
        "sabtu" => Some(5),
        "minggu" | "ahad" => Some(6),
        _ => None,
    }
}

fn month(w: &str) -> Option<u8> {
    #[rustfmt::skip]
    const MONTHS: [&str; 12] = ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember"];
    const SHORT: [&str; 12] = ["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"];
    let w = if w == "agt" || w == "ags" { "agu" } else { w };
    MONTHS.iter().zip(SHORT).position(|(&m, s)| m == w || s == w).map(|m| m as u8 + 1)
}

fn date(words: &[&str]) -> Option<ValueMatch> {
    let skip = usize::from(matches!(words.first(), Some(&"pada") | Some(&"untuk")));
    let w = &words[skip..];
    let done = |len: usize, d: Date| Some(ValueMatch { len: skip + len, value: Value::Date(d), cost: 0.0 });
    let rel = |days: i32| Date::Relative { days };
    match w {
        ["hari", "ini", ..] | ["malam", "ini", ..] | ["nanti", "malam", ..] | ["sore", "ini", ..] | ["pagi", "ini", ..] => return done(2, rel(0)),
        ["besok", "lusa", ..] => return done(2, rel(2)),
        ["kemarin", "lusa", ..] => return done(2, rel(-2)),
        ["besok" | "esok", ..] => return done(1, rel(1)),
        ["lusa", ..] => return done(1, rel(2)),
        ["kemarin", ..] => return done(1, rel(-1)),
        // Without "hari", "minggu depan" is next week, not next Sunday.
        ["minggu" | "pekan", "depan", ..] => return done(2, rel(7)),
        ["dalam", rest @ ..] => {
            let (n, l) = small(rest)?;
            let days = match rest.get(l) {
                Some(&"hari") => n as i32,
                Some(&"minggu") | Some(&"pekan") => 7 * n as i32,
                _ => return None,
            };
            return done(2 + l, rel(days));
        }
        _ => {}
    }
    // "tiga hari lagi", "dua minggu lagi"
    if let Some((n, l)) = small(w) {
        let days = match (w.get(l), w.get(l + 1)) {
            (Some(&"hari"), Some(&"lagi")) => Some(n as i32),
            (Some(&"minggu" | &"pekan"), Some(&"lagi")) => Some(7 * n as i32),
            _ => None,
        };
        if let Some(days) = days {
            return done(l + 2, rel(days));
        }
    }
    let hari = usize::from(w.first() == Some(&"hari"));
    if let Some(d) = w.get(hari).and_then(|x| weekday(x)) {
        let next = w.get(hari + 1) == Some(&"depan");
        let this = w.get(hari + 1) == Some(&"ini");
        return done(hari + 1 + usize::from(next || this), Date::Weekday { weekday: d, next });
    }
    // "tanggal dua puluh lima [maret]", "25 maret", "25/12" (day first).
    if let Some((a, b)) = w.first().and_then(|x| x.split_once('/')) {
        let (d, m): (u8, u8) = (a.parse().ok()?, b.parse().ok()?);
        return ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| done(1, Date::Calendar { month: Some(m), day: d }))?;
    }
    let tanggal = usize::from(w.first() == Some(&"tanggal"));
    let (day, l) = small(&w[tanggal..]).filter(|&(d, _)| (1..=31).contains(&d))?;
    let mut len = tanggal + l;
    let bulan = usize::from(w.get(len) == Some(&"bulan"));
    let mon = w.get(len + bulan).and_then(|x| month(x));
    if mon.is_some() {
        len += bulan + 1;
    } else if tanggal == 0 {
        // A bare number is not a date.
        return None;
    }
    done(len, Date::Calendar { month: mon, day: day as u8 })
}

/// "pertama", "kedua", "ketiga", "kedua puluh satu", "ke-3", "yang kedua".
fn ordinal(words: &[&str]) -> Option<(usize, u32)> {
    let yang = usize::from(words.first() == Some(&"yang"));
    let w = &words[yang..];
    let first = *w.first()?;
    if first == "pertama" {
        return Some((yang + 1, 1));
    }
    let whole = |(v, n): (f64, usize)| (v.fract() == 0.0 && (1.0..=10_000.0).contains(&v)).then_some((n, v as u32));
    // "ke 3", "ke-3" (the hyphen splits words), "ke3", "kedua".
    let (n, v) = if first == "ke" {
        let (n, v) = whole(number(&w[1..])?)?;
        (n + 1, v)
    } else {
        let stem = first.strip_prefix("ke").filter(|s| !s.is_empty())?;
        let mut rest = vec![stem];
        rest.extend_from_slice(&w[1..]);
        whole(number(&rest)?)?
    };
    Some((yang + n, v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::exponent_of;
    use crate::normalize::words;

    fn read(ty: Builtin, s: &str) -> Option<(usize, Value)> {
        let w = words(s);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        READERS.read(ty, &w).map(|r| (r.len, r.value))
    }

    fn rupiah(major: i64) -> Value {
        Value::Money(Money { minor: major * 100, exponent: exponent_of("IDR").unwrap(), currency: Some("IDR".into()) })
    }

    fn at(hour: u8, minute: u8, certain: bool) -> Value {
        Value::Time(Time::At { hour, minute, certain })
    }

    #[test]
    fn numbers_in_words_and_digits() {
        #[rustfmt::skip]
        let table: &[(&str, usize, f64)] = &[
            ("nol", 1, 0.0), ("satu", 1, 1.0), ("sembilan", 1, 9.0), ("sepuluh", 1, 10.0), ("sebelas", 1, 11.0),
            ("dua belas", 2, 12.0), ("sembilan belas", 2, 19.0), ("dua puluh", 2, 20.0), ("dua puluh lima", 3, 25.0),
            ("sembilan puluh sembilan", 3, 99.0), ("seratus", 1, 100.0), ("seratus lima", 2, 105.0),
            ("dua ratus lima puluh", 4, 250.0), ("seratus dua belas", 3, 112.0), ("seribu", 1, 1000.0),
            ("seribu lima ratus", 3, 1500.0), ("dua ribu dua puluh empat", 5, 2024.0), ("lima puluh ribu", 3, 50_000.0),
            ("seratus dua puluh lima ribu", 5, 125_000.0), ("sejuta", 1, 1e6), ("dua juta setengah", 3, 2_500_000.0),
            ("satu setengah juta", 3, 1_500_000.0), ("setengah juta", 2, 500_000.0), ("satu juta dua ratus lima puluh ribu", 7, 1_250_000.0),
            ("tiga miliar", 2, 3e9), ("dua koma lima", 3, 2.5), ("satu setengah", 2, 1.5),
            ("25", 1, 25.0), ("50.000", 1, 50_000.0), ("1.250.000,00", 1, 1_250_000.0), ("1,5", 1, 1.5), ("1,5 juta", 2, 1_500_000.0),
            ("50rb", 1, 50_000.0), ("50 rb", 2, 50_000.0), ("50 ribu", 2, 50_000.0), ("10jt", 1, 10_000_000.0), ("2.5", 1, 2.5),
            ("goceng", 1, 5_000.0), ("ceban", 1, 10_000.0), ("gopek", 1, 500.0),
        ];
        for &(s, len, v) in table {
            let w = words(s);
            let w: Vec<&str> = w.iter().map(String::as_str).collect();
            assert_eq!(number(&w), Some((v, len)), "{s}");
        }
        for s in ["ribu", "juta", "ke bandara", "", "belas", "puluh"] {
            let w: Vec<&str> = s.split_whitespace().collect();
            assert_eq!(number(&w), None, "{s}");
        }
        // Two numbers, not one: "ribu ribu", "dua tiga".
        assert_eq!(number(&["dua", "ribu", "ribu"]), Some((2000.0, 2)));
        assert_eq!(number(&["dua", "tiga"]), Some((2.0, 1)));
        // "... dua puluh lima setengah tujuh": the half starts a time.
        assert_eq!(number(&["dua", "puluh", "lima", "setengah", "tujuh"]), Some((25.0, 3)));
        assert_eq!(read(Builtin::Integer, "dua koma lima"), None);
        assert_eq!(read(Builtin::Integer, "tujuh belas"), Some((2, Value::Integer(17))));
    }

    #[test]
    fn money_in_rupiah_and_others() {
        #[rustfmt::skip]
        let table: &[(&str, usize, i64)] = &[
            ("lima puluh ribu rupiah", 4, 50_000), ("Rp 50.000", 2, 50_000), ("Rp50.000", 2, 50_000), ("Rp 1.250.000,00", 2, 1_250_000),
            ("seratus ribu perak", 3, 100_000), ("50rb", 1, 50_000), ("dua juta setengah", 3, 2_500_000), ("1,5 juta rupiah", 3, 1_500_000),
            ("goceng", 1, 5_000), ("ceban", 1, 10_000), ("IDR 20.000", 2, 20_000), ("dua puluh ribu", 3, 20_000),
        ];
        for &(s, len, major) in table {
            assert_eq!(read(Builtin::Money, s), Some((len, rupiah(major))), "{s}");
        }
        let r = READERS.read(Builtin::Money, &["dua", "puluh", "ribu"]).unwrap();
        assert!(r.cost > 0.0, "a bare number is a weaker amount than one with its currency");
        assert_eq!(READERS.read(Builtin::Money, &["dua", "puluh", "ribu", "rupiah"]).unwrap().cost, 0.0);
        let plain = READERS.read(Builtin::Money, &["dua"]).unwrap().cost;
        for said in [&["50rb"][..], &["goceng"], &["lima", "ribu"]] {
            assert!(READERS.read(Builtin::Money, said).unwrap().cost < plain, "{said:?} is said as an amount");
        }
        let usd = Value::Money(Money { minor: 1_000, exponent: 2, currency: Some("USD".into()) });
        assert_eq!(read(Builtin::Money, "sepuluh dolar"), Some((2, usd)));
        assert_eq!(read(Builtin::Money, "rupiah"), None);
    }

    #[test]
    fn times_of_day() {
        let table = [
            ("jam lima sore", 3, at(17, 0, true)),
            ("jam tujuh pagi", 3, at(7, 0, true)),
            ("jam dua siang", 3, at(14, 0, true)),
            ("jam dua belas siang", 4, at(12, 0, true)),
            ("jam sembilan malam", 3, at(21, 0, true)),
            ("jam dua malam", 3, at(2, 0, true)),
            ("jam dua belas malam", 4, at(0, 0, true)),
            ("setengah tujuh", 2, at(6, 30, false)),
            ("jam setengah delapan pagi", 4, at(7, 30, true)),
            ("jam 17.30", 2, at(17, 30, true)),
            ("pukul 08.15", 2, at(8, 15, true)),
            ("17:30", 1, at(17, 30, true)),
            ("jam tujuh lewat sepuluh", 4, at(7, 10, false)),
            ("jam tujuh lewat sepuluh menit", 5, at(7, 10, false)),
            ("jam tujuh kurang seperempat", 4, at(6, 45, false)),
            ("jam lima seperempat sore", 4, at(17, 15, true)),
            ("jam lima tiga puluh", 4, at(5, 30, false)),
            ("pada jam enam", 3, at(6, 0, false)),
            ("tengah hari", 2, at(12, 0, true)),
            ("tengah malam", 2, at(0, 0, true)),
            ("sepuluh menit lagi", 3, Value::Time(Time::In { seconds: 600 })),
            ("setengah jam lagi", 3, Value::Time(Time::In { seconds: 1800 })),
            ("dalam satu jam", 3, Value::Time(Time::In { seconds: 3600 })),
            ("sejam lagi", 2, Value::Time(Time::In { seconds: 3600 })),
        ];
        for (s, len, v) in table {
            assert_eq!(read(Builtin::Time, s), Some((len, v)), "{s}");
        }
        assert!(READERS.read(Builtin::Time, &["lima"]).unwrap().cost > 0.0, "a bare number is a time only weakly");
        assert_eq!(read(Builtin::Time, "jam 25.00"), None);
        assert_eq!(read(Builtin::Time, "ke bandara"), None);
        assert_eq!(read(Builtin::Time, "sepuluh menit"), None, "a duration without lagi is not a time");
    }

    #[test]
    fn dates_and_days() {
        let rel = |days| Value::Date(Date::Relative { days });
        let wd = |weekday, next| Value::Date(Date::Weekday { weekday, next });
        let cal = |month, day| Value::Date(Date::Calendar { month, day });
        let table = [
            ("besok", 1, rel(1)),
            ("hari ini", 2, rel(0)),
            ("lusa", 1, rel(2)),
            ("kemarin", 1, rel(-1)),
            ("nanti malam", 2, rel(0)),
            ("tiga hari lagi", 3, rel(3)),
            ("dalam dua minggu", 3, rel(14)),
            ("minggu depan", 2, rel(7)),
            ("senin depan", 2, wd(0, true)),
            ("hari jumat", 2, wd(4, false)),
            ("hari minggu depan", 3, wd(6, true)),
            ("sabtu ini", 2, wd(5, false)),
            ("tanggal dua puluh lima", 4, cal(None, 25)),
            ("tanggal 25 maret", 3, cal(Some(3), 25)),
            ("17 agustus", 2, cal(Some(8), 17)),
            ("tanggal satu bulan mei", 4, cal(Some(5), 1)),
            ("25/12", 1, cal(Some(12), 25)),
        ];
        for (s, len, v) in table {
            assert_eq!(read(Builtin::Date, s), Some((len, v)), "{s}");
        }
        assert_eq!(read(Builtin::Date, "lima"), None, "a bare number is not a date");
        assert_eq!(read(Builtin::Date, "tanggal empat puluh"), None);
        assert_eq!(read(Builtin::Date, "12/25"), None, "day first in Indonesian");
    }

    #[test]
    fn durations_and_ordinals() {
        let table = [
            ("sepuluh menit", 2, 600),
            ("satu jam", 2, 3600),
            ("setengah jam", 2, 1800),
            ("satu setengah jam", 3, 5400),
            ("dua jam setengah", 3, 9000),
            ("dua jam tiga puluh menit", 5, 9000),
            ("satu jam dan sepuluh menit", 5, 4200),
            ("90 detik", 2, 90),
            ("sejam", 1, 3600),
        ];
        for (s, len, seconds) in table {
            assert_eq!(read(Builtin::Duration, s), Some((len, Value::Duration { seconds })), "{s}");
        }
        #[rustfmt::skip]
        let ords = [("pertama", 1, 1), ("kedua", 1, 2), ("ketiga", 1, 3), ("keempat", 1, 4), ("kesepuluh", 1, 10),
            ("kesebelas", 1, 11), ("kedua belas", 2, 12), ("kedua puluh satu", 3, 21), ("ke-3", 2, 3), ("ke3", 1, 3),
            ("yang kedua", 2, 2), ("yang terakhir", 0, 0)];
        for (s, len, n) in ords {
            let want = (len > 0).then_some((len, Value::Ordinal(n)));
            assert_eq!(read(Builtin::Ordinal, s), want, "{s}");
        }
        assert_eq!(read(Builtin::Ordinal, "kembali"), None);
        assert_eq!(read(Builtin::Ordinal, "dua"), None, "a cardinal is not an ordinal");
    }

    #[test]
    fn every_sample_parses() {
        for (name, ty) in Builtin::ALL {
            if ty == Builtin::Wildcard {
                continue;
            }
            for s in samples(ty) {
                let w = words(s);
                let w: Vec<&str> = w.iter().map(String::as_str).collect();
                let r = READERS.read(ty, &w).unwrap_or_else(|| panic!("{name} sample {s:?} does not parse"));
                assert_eq!(r.len, w.len(), "{name} sample {s:?} parses only in part");
                for word in &w {
                    let ok = word.chars().any(|c| !c.is_alphabetic()) || VALUE_WORDS.contains(word);
                    assert!(ok, "{name} sample {s:?}: {word:?} is not in VALUE_WORDS");
                }
            }
        }
    }
}
