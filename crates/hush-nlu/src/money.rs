//! The money slot type: an amount with its currency, from words ("forty
//! two dollars fifty", "two hundred kuai"), symbols ("$42.50", "Rp 50.000",
//! "¥200", "RM 30") and currency codes, kept as an integer count of the
//! currency's minor units so no rounding happens between the words and the
//! ledger.

use crate::numbers::{dotted_thousands, parse_number};
use serde::Serialize;
use std::fmt;

/// An amount of money: `minor` units of `currency`, so the amount is
/// `minor / 10^exponent` ($42.50 is 4250 with exponent 2; ¥200 in yen is
/// 200 with exponent 0).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Money {
    /// The amount in the currency's minor units (cents, sen, fen).
    pub minor: i64,
    /// ISO 4217's minor-unit digits for the currency; 2 when no currency
    /// was said.
    pub exponent: u8,
    /// The ISO 4217 code; None when only a number was said ("pay forty
    /// two"): the action decides, usually the account's currency.
    pub currency: Option<String>,
}

/// Digits after the point when no currency is known.
const DEFAULT_EXPONENT: u8 = 2;

/// The largest amount read, in major units: beyond it f64 no longer holds
/// every minor unit exactly, and nobody pays it by voice.
const MAX_MAJOR: f64 = 1e12;

impl Money {
    /// `amount` in major units of `currency` (an ISO 4217 code hush knows,
    /// or None); None when it is negative, not finite, too large, or finer
    /// than the currency's minor unit ("$4.255").
    pub fn from_major(amount: f64, currency: Option<&str>) -> Option<Money> {
        let exponent = match currency {
            Some(c) => exponent_of(c)?,
            None => DEFAULT_EXPONENT,
        };
        if !amount.is_finite() || !(0.0..=MAX_MAJOR).contains(&amount) {
            return None;
        }
        let scaled = amount * 10f64.powi(exponent.into());
        let minor = scaled.round();
        // Decimal words and digits land within a few ulps of a whole number
        // of minor units; anything further is a finer amount. The bound is
        // in units, not relative: a relative one let half a cent through
        // on large amounts ($100,000,000.005).
        let noise = (scaled.abs() * 8.0 * f64::EPSILON).max(1e-9);
        ((scaled - minor).abs() <= noise).then(|| Money { minor: minor as i64, exponent, currency: currency.map(str::to_owned) })
    }

    /// The same amount counted with `exponent` digits after the point
    /// (an amount said without a currency, held in an account's units);
    /// None when that loses a fraction or overflows.
    pub fn minor_at(&self, exponent: u8) -> Option<i64> {
        if exponent >= self.exponent {
            self.minor.checked_mul(10i64.checked_pow((exponent - self.exponent).into())?)
        } else {
            let div = 10i64.checked_pow((self.exponent - exponent).into())?;
            (self.minor % div == 0).then_some(self.minor / div)
        }
    }
}

impl fmt::Display for Money {
    /// "42.50 USD", "200 JPY"; "42.00 (currency not said)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", decimal(self.minor, self.exponent), self.currency.as_deref().unwrap_or("(currency not said)"))
    }
}

/// `minor` with `exponent` digits after the point: 4250, 2 → "42.50".
pub fn decimal(minor: i64, exponent: u8) -> String {
    let digits = minor.unsigned_abs().to_string();
    let e = usize::from(exponent);
    let padded = format!("{digits:0>width$}", width = e + 1);
    let (units, frac) = padded.split_at(padded.len() - e);
    let sign = if minor < 0 { "-" } else { "" };
    if e == 0 {
        format!("{sign}{units}")
    } else {
        format!("{sign}{units}.{frac}")
    }
}

/// The currencies read, with ISO 4217's minor-unit digits, and how people
/// say and write them. The super-app's region first.
#[rustfmt::skip]
const CURRENCIES: &[(&str, u8, &[&str], &[&str])] = &[
    // code, exponent, words, symbols (as the tokenizer leaves them)
    ("USD", 2, &["dollar", "dollars", "buck", "bucks", "usd"], &["$", "us$"]),
    ("IDR", 2, &["rupiah", "rupiahs", "idr"], &["rp"]),
    ("CNY", 2, &["yuan", "renminbi", "rmb", "kuai", "cny", "元"], &["¥", "元"]),
    ("SGD", 2, &["sgd"], &["s$"]),
    ("MYR", 2, &["ringgit", "ringgits", "myr"], &["rm"]),
    ("THB", 2, &["baht", "thb"], &["฿"]),
    ("PHP", 2, &["peso", "pesos", "php"], &["₱"]),
    ("VND", 0, &["dong", "đồng", "vnd"], &["₫"]),
    ("INR", 2, &["rupee", "rupees", "inr"], &["₹"]),
    ("JPY", 0, &["yen", "jpy", "円"], &["円"]),
    ("KRW", 0, &["won", "krw"], &["₩"]),
    ("EUR", 2, &["euro", "euros", "eur"], &["€"]),
    ("GBP", 2, &["pound", "pounds", "quid", "gbp"], &["£"]),
];

/// ISO 4217's minor-unit digits of a currency hush reads; None for others.
pub fn exponent_of(code: &str) -> Option<u8> {
    CURRENCIES.iter().find(|c| c.0 == code).map(|c| c.1)
}

pub(crate) fn currency_word(w: &str) -> Option<&'static str> {
    CURRENCIES.iter().find(|c| c.2.contains(&w)).map(|c| c.0)
}

pub(crate) fn currency_symbol(w: &str) -> Option<&'static str> {
    CURRENCIES.iter().find(|c| c.3.contains(&w)).map(|c| c.0)
}

/// Currencies that group thousands with dots: "Rp 50.000", "50.000 ₫".
fn dotted(c: Option<&str>) -> bool {
    matches!(c, Some("IDR" | "VND"))
}

/// An amount read from the start of some words.
pub(crate) struct Amount {
    /// Words read.
    pub(crate) len: usize,
    pub(crate) money: Money,
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
    let after = |k: usize| rest.get(k).and_then(|w| currency_word(w).or_else(|| currency_symbol(w)));
    let (mut amount, used) = match rest.first().and_then(|w| dotted_thousands(w)).filter(|_| dotted(currency) || dotted(after(1))) {
        Some(v) => (v, 1),
        None => {
            let n = parse_number(rest)?;
            (n.value, n.words)
        }
    };
    i += used;
    // "singapore dollars", "us dollars"
    if currency.is_none() && matches!(words.get(i), Some(&"us") | Some(&"singapore")) && words.get(i + 1).and_then(|w| currency_word(w)) == Some("USD") {
        currency = Some(if words[i] == "us" { "USD" } else { "SGD" });
        i += 2;
    } else if let Some(c) = words.get(i).and_then(|w| currency_word(w).or_else(|| currency_symbol(w))) {
        // "¥200 yen": Whisper writes ¥ for yuan and yen alike; "yen"
        // decides. Any other pair must agree ("$5 euros" stops at "$5").
        if currency.is_none() || currency == Some(c) || (c == "JPY" && words[0] == "¥") {
            currency = Some(c);
            i += 1;
        }
    }
    // "... and fifty cents"
    if currency.is_some_and(|c| exponent_of(c) == Some(2)) && amount.fract() == 0.0 {
        let j = i + usize::from(words.get(i) == Some(&"and"));
        if let Some(c) = parse_number(&words[j.min(words.len())..]).filter(|c| c.value < 100.0 && c.value.fract() == 0.0) {
            if matches!(words.get(j + c.words), Some(&"cents") | Some(&"cent") | Some(&"sen")) {
                amount += c.value / 100.0;
                i = j + c.words + 1;
            }
        }
    }
    // A bare number may be an amount, but a stated currency is surer.
    let cost = if currency.is_some() { 0.0 } else { 0.3 };
    Some(Amount { len: i, money: Money::from_major(amount, currency)?, cost })
}
