//! The money slot type: an amount with its currency, from words ("forty
//! two dollars fifty"), symbols ("$42.50", "Rp 50.000") and currency codes.

use crate::numbers::{dotted_thousands, parse_number};

fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollar" | "dollars" | "buck" | "bucks" | "usd" => "USD",
        "euro" | "euros" | "eur" => "EUR",
        "pound" | "pounds" | "quid" | "gbp" => "GBP",
        "rupiah" | "rupiahs" | "idr" => "IDR",
        "yen" | "jpy" => "JPY",
        "rupee" | "rupees" | "inr" => "INR",
        "ringgit" | "myr" => "MYR",
        "baht" | "thb" => "THB",
        "peso" | "pesos" | "php" => "PHP",
        "dong" | "vnd" => "VND",
        "sgd" => "SGD",
        _ => return None,
    })
}

fn currency_symbol(w: &str) -> Option<&'static str> {
    Some(match w {
        "$" => "USD",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        "₹" => "INR",
        "rp" => "IDR",
        _ => return None,
    })
}

/// An amount read from the start of some words.
pub(crate) struct Amount {
    /// Words read.
    pub(crate) len: usize,
    pub(crate) amount: f64,
    pub(crate) currency: Option<&'static str>,
    /// A bare number costs a little: it may not be money at all.
    pub(crate) cost: f32,
}

pub(crate) fn money(words: &[&str]) -> Option<Amount> {
    let mut i = 0;
    let mut currency = words.first().and_then(|w| currency_symbol(w));
    if currency.is_some() {
        i += 1;
    }
    let rest = &words[i..];
    // Rupiah amounts group thousands with dots: "Rp 50.000".
    let idr_hint = currency == Some("IDR") || rest.get(1).and_then(|w| currency_word(w)) == Some("IDR");
    let (mut amount, used) = match rest.first().and_then(|w| dotted_thousands(w)).filter(|_| idr_hint) {
        Some(v) => (v, 1),
        None => {
            let n = parse_number(rest)?;
            (n.value, n.words)
        }
    };
    i += used;
    // "singapore dollars", "us dollars"
    if currency.is_none() && matches!(words.get(i), Some(&"us") | Some(&"singapore")) && words.get(i + 1).and_then(|w| currency_word(w)).is_some() {
        currency = Some(if words[i] == "us" { "USD" } else { "SGD" });
        i += 2;
    } else if let Some(c) = words.get(i).and_then(|w| currency_word(w)) {
        if currency.is_none() || currency == Some(c) {
            currency = Some(c);
            i += 1;
        }
    }
    // "... and fifty cents", "forty two dollars fifty"
    if currency.is_some() && amount.fract() == 0.0 {
        let j = i + usize::from(words.get(i) == Some(&"and"));
        if let Some(c) = parse_number(&words[j.min(words.len())..]).filter(|c| c.value < 100.0 && c.value.fract() == 0.0) {
            if matches!(words.get(j + c.words), Some(&"cents") | Some(&"cent")) {
                amount += c.value / 100.0;
                i = j + c.words + 1;
            }
        }
    }
    // A bare number may be an amount, but a stated currency is surer.
    let cost = if currency.is_some() { 0.0 } else { 0.3 };
    Some(Amount { len: i, amount, currency, cost })
}
