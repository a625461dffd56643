//! Reference actions for the built-in domains, recording what they do in
//! the [`Ledger`]: bills, transfers and canteen top-ups move money between
//! seeded balances; rides and food orders go to a simulated provider whose
//! states advance with the clock.

use crate::ledger::{self, now_ms, FoodOrder, Ledger, LedgerError, Ride, ORDER_COLUMNS, RIDE_COLUMNS};
use async_trait::async_trait;
use hush_actions::{default_confirmation, Action, ActionContext, ActionError, Outcome, Status};
use hush_nlu::{Date, Intent, Money, Time, Value};
use rusqlite::{params, OptionalExtension};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// How fast the simulated providers' world runs: 1 is real time, 60 makes
/// a minute pass in a second (tests, demos).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Simulation {
    pub time_scale: f64,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation { time_scale: 1.0 }
    }
}

impl Simulation {
    /// Simulated seconds since `since_ms`.
    fn elapsed_s(&self, since_ms: i64) -> i64 {
        ((now_ms() - since_ms).max(0) as f64 / 1000.0 * self.time_scale) as i64
    }
}

/// The reference actions, sharing one ledger.
pub fn reference_actions(ledger: Arc<Ledger>, sim: Simulation) -> Vec<Arc<dyn Action>> {
    vec![
        Arc::new(Payments { ledger: ledger.clone(), duplicate_window: DUPLICATE_WINDOW }),
        Arc::new(Rides { ledger: ledger.clone(), sim }),
        Arc::new(Food { ledger, sim }),
    ]
}

/// A payment with the same idempotency key within this window is the same
/// payment, said again or retried, and is not made twice.
pub const DUPLICATE_WINDOW: Duration = Duration::from_secs(600);

impl From<LedgerError> for ActionError {
    fn from(e: LedgerError) -> Self {
        ActionError::Failed(Box::new(e))
    }
}

fn text<'a>(intent: &'a Intent, slot: &str) -> Option<&'a str> {
    match intent.slot(slot).map(|s| &s.value) {
        Some(Value::Text(t)) => Some(t.as_str()).filter(|t| !t.trim().is_empty()),
        _ => None,
    }
}

fn required_text<'a>(intent: &'a Intent, slot: &str) -> Result<&'a str, ActionError> {
    text(intent, slot).ok_or_else(|| ActionError::MissingSlot(slot.to_owned()))
}

/// Largest amount the reference actions move in one go, in major units
/// of any currency (a voice payment is not a house purchase).
const MAX_MAJOR: i64 = 1_000_000;

/// The amount said for `slot`, checked: more than zero, at most
/// [`MAX_MAJOR`]. A bare number is money with no currency.
fn money(intent: &Intent, slot: &str) -> Result<Option<Money>, ActionError> {
    let m = match intent.slot(slot).map(|s| &s.value) {
        None => return Ok(None),
        Some(Value::Money(m)) => Some(m.clone()),
        Some(Value::Number(n)) => Money::from_major(*n, None),
        Some(Value::Integer(n)) => Money::from_major(*n as f64, None),
        Some(_) => return Err(ActionError::invalid(slot, "it is not an amount of money")),
    };
    let m = m.ok_or_else(|| ActionError::invalid(slot, "that is not an amount I can pay"))?;
    if m.minor <= 0 {
        return Err(ActionError::invalid(slot, "the amount must be more than zero"));
    }
    // An app may build any Money: a huge exponent must not overflow here.
    let cap = 10i64.checked_pow(m.exponent.into()).map_or(i64::MAX, |unit| MAX_MAJOR.saturating_mul(unit));
    if m.minor > cap {
        let cur = m.currency.as_deref().unwrap_or("USD");
        return Err(ActionError::invalid(slot, format!("the most I can move at once is {}", fmt_money(MAX_MAJOR * 10i64.pow(exponent(cur).into()), cur))));
    }
    Ok(Some(m))
}

/// ISO 4217's minor-unit digits for a ledger currency (2 if hush does not
/// know it).
fn exponent(currency: &str) -> u8 {
    hush_nlu::exponent_of(currency).unwrap_or(2)
}

/// `m` in the minor units of an account in `currency`: its own currency
/// must be that one (or unsaid); an amount finer than the account's unit
/// is refused, never rounded.
fn in_account(m: &Money, currency: &str, account: &str) -> Result<i64, ActionError> {
    if let Some(c) = m.currency.as_deref().filter(|c| *c != currency) {
        return Err(ActionError::rejected(format!("Your {account} account is in {currency}; I can't pay in {c}.")));
    }
    m.minor_at(exponent(currency)).ok_or_else(|| ActionError::invalid("amount", format!("{currency} has no amounts that small")))
}

/// `minor` units of `currency` for people: "$42.00", "Rp 50,000.00",
/// "¥1,000" for yen, "200.00 CNY".
pub fn fmt_money(minor: i64, currency: &str) -> String {
    let plain = hush_nlu::decimal(minor, exponent(currency));
    let (units, frac) = plain.split_once('.').map_or((plain.as_str(), None), |(u, f)| (u, Some(f)));
    let (sign, digits) = units.strip_prefix('-').map_or(("", units), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().rev().enumerate() {
        if i > 0 && i % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let amount = format!("{sign}{}{}", grouped.chars().rev().collect::<String>(), frac.map(|f| format!(".{f}")).unwrap_or_default());
    match currency {
        "USD" => format!("${amount}"),
        "EUR" => format!("€{amount}"),
        "GBP" => format!("£{amount}"),
        "IDR" => format!("Rp {amount}"),
        "JPY" => format!("¥{amount}"),
        "INR" => format!("₹{amount}"),
        other => format!("{amount} {other}"),
    }
}

/// A stable small number from a string, for simulated drivers, fares, ETAs.
fn pick(seed: &str, n: u64) -> u64 {
    seed.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3)) % n.max(1)
}

/// Bills, transfers, canteen top-ups and balances.
pub struct Payments {
    ledger: Arc<Ledger>,
    duplicate_window: Duration,
}

impl Payments {
    pub fn new(ledger: Arc<Ledger>) -> Self {
        Payments { ledger, duplicate_window: DUPLICATE_WINDOW }
    }

    /// Pays `amount` (or what is due) to `payee` from `account`, once per key.
    fn pay(&self, ctx: &ActionContext, kind: &str, payee: &str, amount: Option<&Money>, account: &str) -> Result<Outcome, ActionError> {
        if !ctx.confirmed {
            return Err(ActionError::rejected("Payments need your confirmation first."));
        }
        let since = now_ms() - self.duplicate_window.as_millis() as i64;
        self.ledger.write(|tx| {
            let earlier: Option<(i64, i64, String)> = tx
                .query_row(
                    "SELECT id, amount_minor, currency FROM payments WHERE key = ?1 AND at_ms >= ?2 ORDER BY id LIMIT 1",
                    params![ctx.idempotency_key, since],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(LedgerError::from)?;
            if let Some((id, minor, cur)) = earlier {
                return Ok(Outcome::new(Status::AlreadyDone, format!("Already done: that {} to {payee} went through a moment ago.", fmt_money(minor, &cur)))
                    .with_data(json!({"payment_id": id})));
            }
            let Some(acct) = ledger::account(tx, account).map_err(LedgerError::from)? else {
                return Err(ActionError::invalid("account", format!("you have no {account} account")));
            };
            let bill = if kind == "bill" {
                match ledger::bill(tx, payee).map_err(LedgerError::from)? {
                    Some(b) => Some(b),
                    None => return Err(ActionError::rejected(format!("I don't have a {payee} bill on file, so I can't pay it."))),
                }
            } else {
                None
            };
            let minor = match (amount, &bill) {
                (_, Some(b)) if b.due_minor == 0 => return Err(ActionError::rejected(format!("Your {payee} bill is already paid."))),
                (Some(m), _) => in_account(m, &acct.currency, account)?,
                (None, Some(b)) => b.due_minor,
                (None, None) => return Err(ActionError::MissingSlot("amount".into())),
            };
            if minor > acct.balance_minor {
                return Err(ActionError::rejected(format!(
                    "Your {account} account has {}, not enough for {}.",
                    fmt_money(acct.balance_minor, &acct.currency),
                    fmt_money(minor, &acct.currency)
                )));
            }
            tx.execute("UPDATE accounts SET balance_minor = balance_minor - ?1 WHERE name = ?2", params![minor, account]).map_err(LedgerError::from)?;
            if bill.is_some() {
                tx.execute("UPDATE bills SET due_minor = max(due_minor - ?1, 0) WHERE biller = ?2", params![minor, payee]).map_err(LedgerError::from)?;
            }
            tx.execute(
                "INSERT INTO payments (key, kind, payee, amount_minor, currency, account, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![ctx.idempotency_key, kind, payee, minor, acct.currency, account, now_ms()],
            )
            .map_err(LedgerError::from)?;
            let id = tx.last_insert_rowid();
            let left = fmt_money(acct.balance_minor - minor, &acct.currency);
            let what = match kind {
                "bill" => format!("Paid {} for your {payee} bill", fmt_money(minor, &acct.currency)),
                "canteen" => format!("Added {} to {payee}'s canteen account", fmt_money(minor, &acct.currency)),
                _ => format!("Sent {} to {payee}", fmt_money(minor, &acct.currency)),
            };
            Ok(Outcome::done(format!("{what}. {left} left in your {account} account.")).with_data(json!({"payment_id": id})))
        })
    }

    fn balance(&self, intent: &Intent) -> Result<Outcome, ActionError> {
        let name = text(intent, "account").unwrap_or("main");
        match self.ledger.account(name)? {
            Some(a) => Ok(Outcome::done(format!("Your {name} account has {}.", fmt_money(a.balance_minor, &a.currency)))),
            None => Err(ActionError::invalid("account", format!("you have no {name} account"))),
        }
    }

    fn describe(&self, intent: &Intent) -> Option<String> {
        let amount = money(intent, "amount").ok().flatten();
        // What will be paid, as pay() will count it: an unsaid currency is
        // the account's.
        let account = text(intent, "account").unwrap_or("main");
        let account_currency = self.ledger.account(account).ok().flatten().map_or_else(|| "USD".to_owned(), |a| a.currency);
        let shown = |m: &Money| {
            let cur = m.currency.clone().unwrap_or_else(|| account_currency.clone());
            m.minor_at(exponent(&cur)).map_or_else(|| m.to_string(), |minor| fmt_money(minor, &cur))
        };
        let from = text(intent, "account").map(|a| format!(" from your {a} account")).unwrap_or_default();
        Some(match intent.name.as_str() {
            "pay_bill" => {
                let biller = text(intent, "biller")?;
                let cents = amount
                    .as_ref()
                    .map(shown)
                    .or_else(|| self.ledger.bill(biller).ok().flatten().filter(|b| b.due_minor > 0).map(|b| fmt_money(b.due_minor, &b.currency)));
                match cents {
                    Some(c) => format!("Pay {c} for your {biller} bill{from}?"),
                    None => format!("Pay your {biller} bill{from}?"),
                }
            }
            "transfer_money" => format!("Send {} to {}{from}?", amount.as_ref().map(shown)?, text(intent, "recipient")?),
            "top_up_canteen" => {
                let who = text(intent, "student").map(|s| format!(" for {s}")).unwrap_or_default();
                format!("Add {} to the canteen account{who}?", amount.as_ref().map(shown)?)
            }
            _ => return None,
        })
    }
}

#[async_trait]
impl Action for Payments {
    fn intents(&self) -> Vec<&str> {
        vec!["pay_bill", "transfer_money", "top_up_canteen", "check_balance"]
    }

    fn confirmation(&self, intent: &Intent) -> String {
        self.describe(intent).unwrap_or_else(|| default_confirmation(intent))
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let account = text(intent, "account").unwrap_or("main");
        match intent.name.as_str() {
            "check_balance" => self.balance(intent),
            "pay_bill" => {
                let biller = required_text(intent, "biller")?;
                self.pay(ctx, "bill", biller, money(intent, "amount")?.as_ref(), account)
            }
            "transfer_money" => {
                let recipient = required_text(intent, "recipient")?;
                let amount = money(intent, "amount")?.ok_or_else(|| ActionError::MissingSlot("amount".into()))?;
                self.pay(ctx, "transfer", recipient, Some(&amount), account)
            }
            "top_up_canteen" => {
                let student = text(intent, "student").unwrap_or("the student");
                let amount = money(intent, "amount")?.ok_or_else(|| ActionError::MissingSlot("amount".into()))?;
                self.pay(ctx, "canteen", student, Some(&amount), account)
            }
            other => Err(ActionError::rejected(format!("Payments can't do {other}."))),
        }
    }
}

const DRIVERS: &[(&str, &str)] = &[
    ("Budi", "a white Toyota Avanza, B 1234 XYZ"),
    ("Siti", "a silver Honda Jazz, B 5521 KLM"),
    ("Agus", "a black Toyota Innova, B 8810 QRS"),
    ("Maya", "a grey Suzuki Ertiga, B 3307 TUV"),
    ("Rudi", "a blue Daihatsu Xenia, B 4419 ABC"),
];

/// Where a simulated ride is, `elapsed_s` after it was requested.
pub fn ride_state(ride: &Ride, elapsed_s: i64) -> &'static str {
    const ASSIGN_S: i64 = 20;
    if ride.cancelled_ms.is_some() {
        "cancelled"
    } else if ride.scheduled.is_some() {
        "scheduled"
    } else if elapsed_s < ASSIGN_S {
        "requested"
    } else if elapsed_s < ride.pickup_eta_s - 60 {
        "assigned"
    } else if elapsed_s < ride.pickup_eta_s {
        "arriving"
    } else if elapsed_s < ride.pickup_eta_s + ride.trip_s {
        "on_trip"
    } else {
        "completed"
    }
}

/// "tomorrow at 5:30 pm", "next friday", "at 7:15", as a person says it.
fn spoken_when(date: Option<&Value>, time: Option<&Value>) -> String {
    const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    const MONTHS: [&str; 12] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    let day = match date {
        Some(Value::Date(Date::Relative { days: 0 })) => Some("today".to_owned()),
        Some(Value::Date(Date::Relative { days: 1 })) => Some("tomorrow".to_owned()),
        Some(Value::Date(Date::Relative { days })) => Some(format!("in {days} days")),
        Some(Value::Date(Date::Weekday { weekday, next })) => Some(format!("{}{}", if *next { "next " } else { "" }, DAYS[usize::from(*weekday).min(6)])),
        Some(Value::Date(Date::Calendar { month: Some(m), day })) => Some(format!("{} {day}", MONTHS[usize::from(m.clamp(&1, &12) - 1)])),
        Some(Value::Date(Date::Calendar { month: None, day })) => Some(format!("the {day}")),
        _ => None,
    };
    let clock = match time {
        Some(Value::Time(Time::At { hour, minute, certain: true })) => {
            let h12 = if hour % 12 == 0 { 12 } else { hour % 12 };
            Some(format!("{h12}:{minute:02} {}", if *hour < 12 { "am" } else { "pm" }))
        }
        Some(Value::Time(Time::At { hour, minute, .. })) => Some(format!("{hour}:{minute:02}")),
        Some(Value::Time(Time::In { seconds })) => Some(format!("in {}", minutes(i64::try_from(*seconds).unwrap_or(i64::MAX / 2)))),
        _ => None,
    };
    match (day, clock) {
        (Some(d), Some(c)) => format!("{d} at {c}"),
        (Some(d), None) => d,
        (None, Some(c)) => c,
        (None, None) => "later".to_owned(),
    }
}

fn minutes(s: i64) -> String {
    match (s.max(0) + 59) / 60 {
        0 | 1 => "a minute".to_owned(),
        m => format!("{m} minutes"),
    }
}

/// Rides from a simulated provider: requested → assigned → arriving → on
/// trip → completed.
pub struct Rides {
    ledger: Arc<Ledger>,
    sim: Simulation,
}

impl Rides {
    pub fn new(ledger: Arc<Ledger>, sim: Simulation) -> Self {
        Rides { ledger, sim }
    }

    /// The latest ride that is not cancelled or finished.
    fn active(&self, tx: &rusqlite::Connection) -> rusqlite::Result<Option<Ride>> {
        let latest = tx.query_row(&format!("{RIDE_COLUMNS} WHERE cancelled_ms IS NULL ORDER BY id DESC LIMIT 1"), [], ledger::ride_row).optional()?;
        Ok(latest.filter(|r| ride_state(r, self.sim.elapsed_s(r.requested_ms)) != "completed"))
    }

    fn status_line(&self, r: &Ride) -> String {
        let elapsed = self.sim.elapsed_s(r.requested_ms);
        let driver = &r.driver;
        match ride_state(r, elapsed) {
            "requested" => format!("Looking for a driver for your ride to {}; pickup in about {}.", r.destination, minutes(r.pickup_eta_s - elapsed)),
            "assigned" => format!("{driver} is on the way in {}, arriving in {}.", r.car, minutes(r.pickup_eta_s - elapsed)),
            "arriving" => format!("{driver} is almost there: look for {}.", r.car),
            "on_trip" => format!("You are on your way to {}, about {} to go.", r.destination, minutes(r.pickup_eta_s + r.trip_s - elapsed)),
            "cancelled" => format!("Your ride to {} was cancelled.", r.destination),
            "scheduled" => format!("Your ride to {} is scheduled for {}.", r.destination, r.scheduled.as_deref().unwrap_or("later")),
            _ => format!("Your ride to {} is complete.", r.destination),
        }
    }

    fn order(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let destination = required_text(intent, "destination")?;
        let pickup = text(intent, "pickup");
        let ride_type = text(intent, "ride_type").unwrap_or("standard");
        self.ledger.write(|tx| {
            if let Some(r) = self.active(tx).map_err(LedgerError::from)? {
                if r.key == ctx.idempotency_key {
                    return Ok(Outcome::new(Status::AlreadyDone, format!("Already booked. {}", self.status_line(&r))).with_data(json!({"ride_id": r.id})));
                }
                return Err(ActionError::rejected(format!("You already have a ride to {}. Cancel it first if you want a new one.", r.destination)));
            }
            let (driver, car) = DRIVERS[pick(&ctx.idempotency_key, DRIVERS.len() as u64) as usize];
            // "in twenty minutes" is a later pickup the provider can plan
            // for; a clock time or a day is booked as scheduled.
            let (soonest, scheduled) = match (intent.slot("time").map(|s| &s.value), intent.slot("date").map(|s| &s.value)) {
                (Some(Value::Time(Time::In { seconds })), None) => (i64::try_from(*seconds).unwrap_or(i64::MAX / 2), None),
                (None, None) => (0, None),
                (time, date) => (0, Some(spoken_when(date, time))),
            };
            let pickup_eta_s = (180 + pick(destination, 6) as i64 * 60).max(soonest);
            let trip_s = 600 + pick(destination, 30) as i64 * 60;
            let rate = match ride_type {
                "bike" => 0.5,
                "premium" => 1.8,
                "xl" => 1.5,
                "shared" => 0.7,
                _ => 1.0,
            };
            let fare_cents = ((500 + trip_s / 60 * 60) as f64 * rate).round() as i64;
            tx.execute(
                "INSERT INTO rides (key, destination, pickup, ride_type, driver, car, pickup_eta_s, trip_s, fare_cents, requested_ms, scheduled) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![ctx.idempotency_key, destination, pickup, ride_type, driver, car, pickup_eta_s, trip_s, fare_cents, now_ms(), scheduled],
            )
            .map_err(LedgerError::from)?;
            let id = tx.last_insert_rowid();
            if let Some(when) = scheduled {
                return Ok(Outcome::done(format!(
                    "Scheduled a {ride_type} ride to {destination}{} for {when}: fare about {}. A driver will be assigned before pickup.",
                    pickup.map(|p| format!(" from {p}")).unwrap_or_default(),
                    fmt_money(fare_cents, "USD"),
                ))
                .with_data(json!({"ride_id": id, "state": "scheduled", "fare_cents": fare_cents})));
            }
            Ok(Outcome::done(format!(
                "Booked a {ride_type} ride to {destination}{}: fare about {}, pickup in about {}. I'll tell you when a driver is assigned.",
                pickup.map(|p| format!(" from {p}")).unwrap_or_default(),
                fmt_money(fare_cents, "USD"),
                minutes(pickup_eta_s)
            ))
            .with_data(json!({"ride_id": id, "state": "requested", "pickup_eta_s": pickup_eta_s, "fare_cents": fare_cents})))
        })
    }
}

#[async_trait]
impl Action for Rides {
    fn intents(&self) -> Vec<&str> {
        vec!["order_ride", "ride_status", "cancel_ride"]
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        match intent.name.as_str() {
            "order_ride" => self.order(intent, ctx),
            "ride_status" => {
                let r = self.ledger.read(|c| self.active(c))?;
                Ok(match r {
                    Some(r) => {
                        Outcome::done(self.status_line(&r)).with_data(json!({"ride_id": r.id, "state": ride_state(&r, self.sim.elapsed_s(r.requested_ms))}))
                    }
                    None => Outcome::done("You have no ride booked."),
                })
            }
            "cancel_ride" => self.ledger.write(|tx| match self.active(tx).map_err(LedgerError::from)? {
                Some(r) => {
                    tx.execute("UPDATE rides SET cancelled_ms = ?1 WHERE id = ?2", params![now_ms(), r.id]).map_err(LedgerError::from)?;
                    Ok(Outcome::done(format!("Cancelled your ride to {}.", r.destination)).with_data(json!({"ride_id": r.id})))
                }
                None => Err(ActionError::rejected("You have no ride to cancel.")),
            }),
            other => Err(ActionError::rejected(format!("Rides can't do {other}."))),
        }
    }
}

/// Where a simulated food order is, `elapsed_s` after it was placed.
pub fn order_state(o: &FoodOrder, elapsed_s: i64) -> &'static str {
    if o.cancelled_ms.is_some() {
        "cancelled"
    } else if elapsed_s < 60 {
        "placed"
    } else if elapsed_s < o.eta_s - 600 {
        "preparing"
    } else if elapsed_s < o.eta_s {
        "on_the_way"
    } else {
        "delivered"
    }
}

/// Food delivery from a simulated provider: placed → preparing → on the
/// way → delivered.
pub struct Food {
    ledger: Arc<Ledger>,
    sim: Simulation,
}

impl Food {
    pub fn new(ledger: Arc<Ledger>, sim: Simulation) -> Self {
        Food { ledger, sim }
    }
}

#[async_trait]
impl Action for Food {
    fn intents(&self) -> Vec<&str> {
        vec!["order_food", "track_order"]
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        match intent.name.as_str() {
            "order_food" => {
                let dish = required_text(intent, "dish")?;
                let quantity = match intent.slot("quantity").map(|s| &s.value) {
                    Some(Value::Integer(n)) if (1..=50).contains(n) => *n,
                    Some(Value::Integer(_)) => return Err(ActionError::invalid("quantity", "I can order between 1 and 50")),
                    _ => 1,
                };
                let restaurant = text(intent, "restaurant").unwrap_or("the nearest restaurant");
                let eta_s = 1500 + pick(dish, 20) as i64 * 60;
                let total_cents = (400 + pick(dish, 1200) as i64) * quantity;
                self.ledger.write(|tx| {
                    let same: Option<FoodOrder> = tx
                        .query_row(&format!("{ORDER_COLUMNS} WHERE key = ?1 ORDER BY id DESC LIMIT 1"), params![ctx.idempotency_key], ledger::order_row)
                        .optional()
                        .map_err(LedgerError::from)?;
                    if let Some(o) = same.filter(|o| !matches!(order_state(o, self.sim.elapsed_s(o.ordered_ms)), "delivered" | "cancelled")) {
                        return Ok(Outcome::new(
                            Status::AlreadyDone,
                            format!("That order is already placed, arriving in about {}.", minutes(o.eta_s - self.sim.elapsed_s(o.ordered_ms))),
                        )
                        .with_data(json!({"order_id": o.id})));
                    }
                    tx.execute(
                        "INSERT INTO food_orders (key, dish, quantity, restaurant, total_cents, eta_s, ordered_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![ctx.idempotency_key, dish, quantity, restaurant, total_cents, eta_s, now_ms()],
                    )
                    .map_err(LedgerError::from)?;
                    let id = tx.last_insert_rowid();
                    Ok(Outcome::done(format!(
                        "Ordered {quantity} {dish} from {restaurant}: {}, arriving in about {}.",
                        fmt_money(total_cents, "USD"),
                        minutes(eta_s)
                    ))
                    .with_data(json!({"order_id": id, "state": "placed", "eta_s": eta_s})))
                })
            }
            "track_order" => {
                let o = self
                    .ledger
                    .read(|c| c.query_row(&format!("{ORDER_COLUMNS} WHERE cancelled_ms IS NULL ORDER BY id DESC LIMIT 1"), [], ledger::order_row).optional())?;
                let Some(o) = o else { return Ok(Outcome::done("You have no food order.")) };
                let elapsed = self.sim.elapsed_s(o.ordered_ms);
                let state = order_state(&o, elapsed);
                let say = match state {
                    "placed" => format!("{} has your order of {}.", o.restaurant, o.dish),
                    "preparing" => format!("Your {} is being prepared, arriving in about {}.", o.dish, minutes(o.eta_s - elapsed)),
                    "on_the_way" => format!("Your {} is on the way, about {} out.", o.dish, minutes(o.eta_s - elapsed)),
                    _ => format!("Your {} was delivered.", o.dish),
                };
                Ok(Outcome::done(say).with_data(json!({"order_id": o.id, "state": state})))
            }
            other => Err(ActionError::rejected(format!("Food can't do {other}."))),
        }
    }
}
