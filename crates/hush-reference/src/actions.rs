//! Reference actions for the built-in domains, recording what they do in
//! the [`Ledger`]: bills, transfers and canteen top-ups move money between
//! seeded balances; rides and food orders go to a simulated provider whose
//! states advance with the clock.

use crate::ledger::{self, now_ms, FoodOrder, Ledger, LedgerError, Ride, ORDER_COLUMNS, RIDE_COLUMNS};
use crate::says::*;
use async_trait::async_trait;
use hush_actions::{Action, ActionContext, ActionError, Outcome, Status};
use hush_nlu::{Date, Intent, Language, Money, Time, Value};
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

/// Largest amount the reference actions move in one go, in major units of
/// `currency` (a voice payment is not a house purchase): a million, or ten
/// billion rupiah, whose unit is worth some ten-thousandth of a dollar.
fn max_major(currency: &str) -> i64 {
    match currency {
        "IDR" => 10_000_000_000,
        _ => 1_000_000,
    }
}

/// The amount said for `slot`, checked: more than zero, at most
/// [`max_major`]. A bare number is money with no currency.
fn money(intent: &Intent, slot: &str) -> Result<Option<Money>, ActionError> {
    let says = Says(intent.language);
    let m = match intent.slot(slot).map(|s| &s.value) {
        None => return Ok(None),
        Some(Value::Money(m)) => Some(m.clone()),
        Some(Value::Number(n)) => Money::from_major(*n, None),
        Some(Value::Integer(n)) => Money::from_major(*n as f64, None),
        Some(_) => return Err(ActionError::invalid(slot, says.text(&NOT_MONEY))),
    };
    let m = m.ok_or_else(|| ActionError::invalid(slot, says.text(&NOT_PAYABLE)))?;
    if m.minor <= 0 {
        return Err(ActionError::invalid(slot, says.text(&NOT_POSITIVE)));
    }
    // An app may build any Money: a huge exponent must not overflow here.
    let cur = m.currency.as_deref().unwrap_or("USD");
    let cap = 10i64.checked_pow(m.exponent.into()).map_or(i64::MAX, |unit| max_major(cur).saturating_mul(unit));
    if m.minor > cap {
        let most = says.money(max_major(cur) * 10i64.pow(exponent(cur).into()), cur);
        return Err(ActionError::invalid(slot, says.line(&TOO_MUCH, &[("amount", &most)])));
    }
    Ok(Some(m))
}

/// `m` in the minor units of an account in `currency`: its own currency
/// must be that one (or unsaid); an amount finer than the account's unit
/// is refused, never rounded.
fn in_account(says: Says, m: &Money, currency: &str, account: &str) -> Result<i64, ActionError> {
    if let Some(c) = m.currency.as_deref().filter(|c| *c != currency) {
        return Err(ActionError::rejected(says.line(&WRONG_CURRENCY, &[("account", &says.name(account)), ("currency", currency), ("other", c)])));
    }
    m.minor_at(exponent(currency)).ok_or_else(|| ActionError::invalid("amount", says.line(&TOO_FINE, &[("currency", currency)])))
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

    /// Pays `amount` (or what is due) to `payee` from `account` (said,
    /// else [`ledger::account_for`] the amount's currency), once per key.
    fn pay(&self, intent: &Intent, ctx: &ActionContext, kind: &str, payee: &str, amount: Option<&Money>) -> Result<Outcome, ActionError> {
        let says = Says(intent.language);
        if !ctx.confirmed {
            return Err(ActionError::rejected(says.text(&NEED_CONFIRMATION)));
        }
        let shown_payee = says.name(payee);
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
                let said = says.line(&ALREADY_PAID, &[("amount", &says.money(minor, &cur)), ("payee", &shown_payee)]);
                return Ok(Outcome::new(Status::AlreadyDone, said).with_data(json!({"payment_id": id})));
            }
            let account = match text(intent, "account") {
                Some(a) => a.to_owned(),
                None => ledger::account_for(tx, amount.and_then(|m| m.currency.as_deref())).map_err(LedgerError::from)?,
            };
            let shown_account = says.name(&account);
            let Some(acct) = ledger::account(tx, &account).map_err(LedgerError::from)? else {
                return Err(ActionError::invalid("account", says.line(&NO_ACCOUNT, &[("account", &shown_account)])));
            };
            let bill = if kind == "bill" {
                match ledger::bill(tx, payee).map_err(LedgerError::from)? {
                    Some(b) => Some(b),
                    None => return Err(ActionError::rejected(says.line(&NO_BILL, &[("payee", &shown_payee)]))),
                }
            } else {
                None
            };
            let minor = match (amount, &bill) {
                (_, Some(b)) if b.due_minor == 0 => return Err(ActionError::rejected(says.line(&BILL_PAID_UP, &[("payee", &shown_payee)]))),
                // A bill is paid in its own currency, never converted.
                (_, Some(b)) if b.currency != acct.currency => {
                    let args = [("payee", shown_payee.as_str()), ("currency", &b.currency), ("other", &acct.currency)];
                    return Err(ActionError::rejected(says.line(&BILL_CURRENCY, &args)));
                }
                (Some(m), _) => in_account(says, m, &acct.currency, &account)?,
                (None, Some(b)) => b.due_minor,
                (None, None) => return Err(ActionError::MissingSlot("amount".into())),
            };
            let amount = says.money(minor, &acct.currency);
            if minor > acct.balance_minor {
                let args = [("account", shown_account.as_str()), ("balance", &says.money(acct.balance_minor, &acct.currency)), ("amount", &amount)];
                return Err(ActionError::rejected(says.line(&NOT_ENOUGH, &args)));
            }
            tx.execute("UPDATE accounts SET balance_minor = balance_minor - ?1 WHERE name = ?2", params![minor, account]).map_err(LedgerError::from)?;
            if bill.is_some() {
                tx.execute("UPDATE bills SET due_minor = max(due_minor - ?1, 0) WHERE biller = ?2", params![minor, payee]).map_err(LedgerError::from)?;
            }
            let scheduled = later_day(says, intent);
            tx.execute(
                "INSERT INTO payments (key, kind, payee, amount_minor, currency, account, at_ms, scheduled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![ctx.idempotency_key, kind, payee, minor, acct.currency, account, now_ms(), scheduled],
            )
            .map_err(LedgerError::from)?;
            let id = tx.last_insert_rowid();
            let left = says.money(acct.balance_minor - minor, &acct.currency);
            let line = match (kind, &scheduled) {
                ("bill", Some(_)) => &SCHEDULED_BILL,
                (_, Some(_)) => &SCHEDULED,
                ("bill", None) => &PAID_BILL,
                ("canteen", None) => &TOPPED_UP,
                _ => &SENT,
            };
            let when = scheduled.as_deref().unwrap_or_default();
            let said = says.line(line, &[("amount", &amount), ("payee", &shown_payee), ("left", &left), ("account", &shown_account), ("when", when)]);
            Ok(Outcome::done(said).with_data(json!({"payment_id": id, "scheduled": scheduled})))
        })
    }

    fn balance(&self, intent: &Intent) -> Result<Outcome, ActionError> {
        let says = Says(intent.language);
        let name = text(intent, "account").unwrap_or("main");
        let shown = says.name(name);
        match self.ledger.account(name)? {
            Some(a) => Ok(Outcome::done(says.line(&BALANCE, &[("account", &shown), ("amount", &says.money(a.balance_minor, &a.currency))]))),
            None => Err(ActionError::invalid("account", says.line(&NO_ACCOUNT, &[("account", &shown)]))),
        }
    }

    fn describe(&self, intent: &Intent) -> Option<String> {
        let says = Says(intent.language);
        let amount = money(intent, "amount").ok().flatten();
        // What will be paid, as pay() will count it: an unsaid currency is
        // the account's.
        let said_currency = amount.as_ref().and_then(|m| m.currency.as_deref());
        let account = match text(intent, "account") {
            Some(a) => a.to_owned(),
            None => self.ledger.read(|c| ledger::account_for(c, said_currency)).ok()?,
        };
        let account_currency = self.ledger.account(&account).ok().flatten().map_or_else(|| "USD".to_owned(), |a| a.currency);
        let shown = |m: &Money| {
            let cur = m.currency.clone().unwrap_or_else(|| account_currency.clone());
            m.minor_at(exponent(&cur)).map_or_else(|| m.to_string(), |minor| says.money(minor, &cur))
        };
        let from = text(intent, "account").map(|a| says.line(&ASK_FROM, &[("account", &says.name(a))])).unwrap_or_default();
        // A payment for a later day says so in its question.
        let when = later_day(says, intent).map(|w| says.line(&ASK_WHEN, &[("when", &w)])).unwrap_or_default();
        Some(match intent.name.as_str() {
            "pay_bill" => {
                let biller = text(intent, "biller")?;
                let due = || self.ledger.bill(biller).ok().flatten().filter(|b| b.due_minor > 0).map(|b| says.money(b.due_minor, &b.currency));
                let payee = says.name(biller);
                match amount.as_ref().map(shown).or_else(due) {
                    Some(c) => says.line(&ASK_BILL_AMOUNT, &[("amount", &c), ("payee", &payee), ("from", &from), ("when", &when)]),
                    None => says.line(&ASK_BILL, &[("payee", &payee), ("from", &from), ("when", &when)]),
                }
            }
            "transfer_money" => {
                // What the money is for is said back: a word the reader
                // took for it ("for dad") is heard before the yes.
                let note = text(intent, "note").map(|n| says.line(&ASK_NOTE, &[("note", n)])).unwrap_or_default();
                let amount = amount.as_ref().map(shown)?;
                says.line(&ASK_TRANSFER, &[("amount", &amount), ("payee", text(intent, "recipient")?), ("from", &from), ("when", &when), ("note", &note)])
            }
            "top_up_canteen" => {
                let who = text(intent, "student").map(|s| says.line(&ASK_CANTEEN_WHO, &[("student", s)])).unwrap_or_default();
                says.line(&ASK_CANTEEN, &[("amount", &amount.as_ref().map(shown)?), ("who", &who), ("from", &from), ("when", &when)])
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

    fn confirmation(&self, intent: &Intent) -> Option<String> {
        self.describe(intent)
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let says = Says(intent.language);
        match intent.name.as_str() {
            "check_balance" => self.balance(intent),
            "pay_bill" => {
                let biller = required_text(intent, "biller")?;
                self.pay(intent, ctx, "bill", biller, money(intent, "amount")?.as_ref())
            }
            "transfer_money" => {
                let recipient = required_text(intent, "recipient")?;
                let amount = money(intent, "amount")?.ok_or_else(|| ActionError::MissingSlot("amount".into()))?;
                self.pay(intent, ctx, "transfer", recipient, Some(&amount))
            }
            "top_up_canteen" => {
                let student = text(intent, "student").unwrap_or(says.text(&THE_STUDENT));
                let amount = money(intent, "amount")?.ok_or_else(|| ActionError::MissingSlot("amount".into()))?;
                self.pay(intent, ctx, "canteen", student, Some(&amount))
            }
            other => Err(cant_do(says, &PAYMENTS, other)),
        }
    }
}

/// The day or time a payment was asked for, as said, when it is not now:
/// "send twenty dollars to mum tomorrow" (or "at 5 pm") is set aside now
/// and paid then, and its question says so.
fn later_day(says: Says, intent: &Intent) -> Option<String> {
    let date = intent.slot("date").map(|s| &s.value);
    let time = intent.slot("time").map(|s| &s.value);
    let date = date.filter(|d| !matches!(d, Value::Date(Date::Relative { days: 0 })));
    if date.is_none() && time.is_none() {
        return None;
    }
    let when = says.when(date, time);
    // "on friday", "on march 5th", "at 5:00 pm"; "tomorrow", "next friday",
    // "in 20 minutes" as they are.
    let english = intent.language == Language::English;
    let prefix = match (date, time) {
        (Some(Value::Date(Date::Weekday { next: false, .. } | Date::Calendar { .. })), _) if english => "on ",
        (None, Some(Value::Time(Time::At { .. }))) if english => "at ",
        _ => "",
    };
    Some(format!("{prefix}{when}"))
}

/// A request routed to an action that does not serve it.
fn cant_do(says: Says, what: &Line, intent: &str) -> ActionError {
    ActionError::rejected(says.line(&CANT_DO, &[("what", says.text(what)), ("intent", &intent.replace('_', " "))]))
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

    fn status_line(&self, says: Says, r: &Ride) -> String {
        let elapsed = self.sim.elapsed_s(r.requested_ms);
        let (line, eta) = match ride_state(r, elapsed) {
            "requested" => (&RIDE_REQUESTED, r.pickup_eta_s - elapsed),
            "assigned" => (&RIDE_ASSIGNED, r.pickup_eta_s - elapsed),
            "arriving" => (&RIDE_ARRIVING, 0),
            "on_trip" => (&RIDE_ON_TRIP, r.pickup_eta_s + r.trip_s - elapsed),
            "cancelled" => (&RIDE_CANCELLED, 0),
            "scheduled" => (&RIDE_SCHEDULED, 0),
            _ => (&RIDE_COMPLETE, 0),
        };
        // A scheduled time is stored as it was said when booked.
        let when = r.scheduled.clone().unwrap_or_else(|| says.when(None, None));
        let args =
            [("destination", says.name(&r.destination)), ("driver", r.driver.clone()), ("car", says.name(&r.car)), ("eta", says.minutes(eta)), ("when", when)];
        says.line(line, &args.each_ref().map(|(k, v)| (*k, v.as_str())))
    }

    fn order(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let says = Says(intent.language);
        let q = quote(intent)?;
        self.ledger.write(|tx| {
            if let Some(r) = self.active(tx).map_err(LedgerError::from)? {
                if r.key == ctx.idempotency_key {
                    let said = says.line(&ALREADY_BOOKED, &[("status", &self.status_line(says, &r))]);
                    return Ok(Outcome::new(Status::AlreadyDone, said).with_data(json!({"ride_id": r.id})));
                }
                return Err(ActionError::rejected(says.line(&RIDE_EXISTS, &[("destination", &says.name(&r.destination))])));
            }
            let (driver, car) = DRIVERS[pick(&ctx.idempotency_key, DRIVERS.len() as u64) as usize];
            tx.execute(
                "INSERT INTO rides (key, destination, pickup, ride_type, driver, car, pickup_eta_s, trip_s, fare_cents, requested_ms, scheduled) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![ctx.idempotency_key, q.destination, q.pickup, q.ride_type, driver, car, q.pickup_eta_s, q.trip_s, q.fare_cents, now_ms(), q.scheduled],
            )
            .map_err(LedgerError::from)?;
            let id = tx.last_insert_rowid();
            let (line, data) = match q.scheduled {
                Some(_) => (&RIDE_BOOKED_LATER, json!({"ride_id": id, "state": "scheduled", "fare_cents": q.fare_cents})),
                None => (&RIDE_BOOKED, json!({"ride_id": id, "state": "requested", "pickup_eta_s": q.pickup_eta_s, "fare_cents": q.fare_cents})),
            };
            Ok(Outcome::done(q.say(says, line)).with_data(data))
        })
    }
}

/// A ride as the provider would book it: the same for its question and
/// its booking.
struct Quote<'a> {
    destination: &'a str,
    pickup: Option<&'a str>,
    ride_type: &'a str,
    pickup_eta_s: i64,
    trip_s: i64,
    fare_cents: i64,
    /// A pickup time or day said, as said.
    scheduled: Option<String>,
}

fn quote(intent: &Intent) -> Result<Quote<'_>, ActionError> {
    let says = Says(intent.language);
    let destination = required_text(intent, "destination")?;
    let ride_type = text(intent, "ride_type").unwrap_or("standard");
    // "in twenty minutes" is a later pickup the provider can plan for; a
    // clock time or a day is booked as scheduled.
    let (soonest, scheduled) = match (intent.slot("time").map(|s| &s.value), intent.slot("date").map(|s| &s.value)) {
        (Some(Value::Time(Time::In { seconds })), None) => (i64::try_from(*seconds).unwrap_or(i64::MAX / 2), None),
        (None, None) => (0, None),
        (time, date) => (0, Some(says.when(date, time))),
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
    Ok(Quote { destination, pickup: text(intent, "pickup"), ride_type, pickup_eta_s, trip_s, fare_cents, scheduled })
}

impl Quote<'_> {
    /// `line` said of this ride: a question before it is booked, or what
    /// was booked.
    fn say(&self, says: Says, line: &Line) -> String {
        let from = self.pickup.map(|p| says.line(&FROM_PICKUP, &[("pickup", &says.name(p))])).unwrap_or_default();
        let (fare, eta) = (says.money(self.fare_cents, "USD"), says.minutes(self.pickup_eta_s));
        let mut args =
            vec![("ride_type", says.name(self.ride_type)), ("destination", says.name(self.destination)), ("from", from), ("fare", fare), ("eta", eta)];
        args.extend(self.scheduled.clone().map(|when| ("when", when)));
        says.line(line, &args.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
    }
}

#[async_trait]
impl Action for Rides {
    fn intents(&self) -> Vec<&str> {
        vec!["order_ride", "ride_status", "cancel_ride"]
    }

    /// Where, what kind, what it costs and when, before it is booked.
    fn confirmation(&self, intent: &Intent) -> Option<String> {
        let q = quote(intent).ok().filter(|_| intent.name == "order_ride")?;
        let line = if q.scheduled.is_some() { &ASK_RIDE_LATER } else { &ASK_RIDE };
        Some(q.say(Says(intent.language), line))
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let says = Says(intent.language);
        match intent.name.as_str() {
            "order_ride" => self.order(intent, ctx),
            "ride_status" => {
                let r = self.ledger.read(|c| self.active(c))?;
                Ok(match r {
                    Some(r) => {
                        let state = ride_state(&r, self.sim.elapsed_s(r.requested_ms));
                        Outcome::done(self.status_line(says, &r)).with_data(json!({"ride_id": r.id, "state": state}))
                    }
                    None => Outcome::done(says.text(&NO_RIDE)),
                })
            }
            "cancel_ride" => self.ledger.write(|tx| match self.active(tx).map_err(LedgerError::from)? {
                Some(r) => {
                    tx.execute("UPDATE rides SET cancelled_ms = ?1 WHERE id = ?2", params![now_ms(), r.id]).map_err(LedgerError::from)?;
                    let said = says.line(&RIDE_CANCELLED_NOW, &[("destination", &says.name(&r.destination))]);
                    Ok(Outcome::done(said).with_data(json!({"ride_id": r.id})))
                }
                None => Err(ActionError::rejected(says.text(&NO_RIDE_TO_CANCEL))),
            }),
            other => Err(cant_do(says, &RIDES, other)),
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

/// What a food order holds and costs: the same for its question and its
/// placing.
struct Order<'a> {
    /// The dish slot as read, as the ledger keeps it.
    dish: &'a str,
    quantity: i64,
    items: Vec<hush_nlu::Item>,
    restaurant: String,
    total_cents: i64,
}

fn order(intent: &Intent) -> Result<Order<'_>, ActionError> {
    let says = Says(intent.language);
    let dish = required_text(intent, "dish")?;
    let quantity = match intent.slot("quantity").map(|s| &s.value) {
        Some(Value::Integer(n)) => Some(*n),
        _ => None,
    };
    let mut items = hush_nlu::items(dish, intent.language);
    if items.is_empty() {
        items.push(hush_nlu::Item { count: 1, name: dish.to_owned() });
    }
    // The count said before the dish is its first thing's: "two pizzas and
    // a coke".
    if let Some(n) = quantity {
        items[0].count = n;
    }
    if items.iter().any(|i| !(1..=50).contains(&i.count)) {
        return Err(ActionError::invalid("quantity", says.text(&QUANTITY)));
    }
    let total_cents = items.iter().map(|i| (400 + pick(&i.name, 1200) as i64) * i.count).sum();
    let restaurant = text(intent, "restaurant").unwrap_or(says.text(&NEAREST_RESTAURANT)).to_owned();
    Ok(Order { dish, quantity: quantity.unwrap_or(1), items, restaurant, total_cents })
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

    /// What the order holds and what it costs, before it is charged.
    fn confirmation(&self, intent: &Intent) -> Option<String> {
        let Order { items, restaurant, total_cents, .. } = order(intent).ok().filter(|_| intent.name == "order_food")?;
        let says = Says(intent.language);
        Some(says.line(&ASK_ORDER, &[("items", &says.items(&items)), ("restaurant", &says.name(&restaurant)), ("total", &says.money(total_cents, "USD"))]))
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let says = Says(intent.language);
        match intent.name.as_str() {
            "order_food" => {
                let Order { dish, quantity, items, restaurant, total_cents } = order(intent)?;
                let eta_s = 1500 + pick(dish, 20) as i64 * 60;
                self.ledger.write(|tx| {
                    let same: Option<FoodOrder> = tx
                        .query_row(&format!("{ORDER_COLUMNS} WHERE key = ?1 ORDER BY id DESC LIMIT 1"), params![ctx.idempotency_key], ledger::order_row)
                        .optional()
                        .map_err(LedgerError::from)?;
                    if let Some(o) = same.filter(|o| !matches!(order_state(o, self.sim.elapsed_s(o.ordered_ms)), "delivered" | "cancelled")) {
                        let eta = says.minutes(o.eta_s - self.sim.elapsed_s(o.ordered_ms));
                        return Ok(Outcome::new(Status::AlreadyDone, says.line(&ORDER_EXISTS, &[("eta", &eta)])).with_data(json!({"order_id": o.id})));
                    }
                    tx.execute(
                        "INSERT INTO food_orders (key, dish, quantity, restaurant, total_cents, eta_s, ordered_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![ctx.idempotency_key, dish, quantity, restaurant, total_cents, eta_s, now_ms()],
                    )
                    .map_err(LedgerError::from)?;
                    let id = tx.last_insert_rowid();
                    let (total, eta) = (says.money(total_cents, "USD"), says.minutes(eta_s));
                    let args = [("items", says.items(&items)), ("restaurant", says.name(&restaurant)), ("total", total), ("eta", eta)];
                    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    Ok(Outcome::done(says.line(&ORDERED, &args)).with_data(json!({"order_id": id, "state": "placed", "eta_s": eta_s})))
                })
            }
            "track_order" => {
                let o = self
                    .ledger
                    .read(|c| c.query_row(&format!("{ORDER_COLUMNS} WHERE cancelled_ms IS NULL ORDER BY id DESC LIMIT 1"), [], ledger::order_row).optional())?;
                let Some(o) = o else { return Ok(Outcome::done(says.text(&NO_FOOD))) };
                let elapsed = self.sim.elapsed_s(o.ordered_ms);
                let state = order_state(&o, elapsed);
                let line = match state {
                    "placed" => &ORDER_PLACED,
                    "preparing" => &ORDER_PREPARING,
                    "on_the_way" => &ORDER_ON_THE_WAY,
                    _ => &ORDER_DELIVERED,
                };
                let eta = says.minutes(o.eta_s - elapsed);
                let say = says.line(line, &[("restaurant", &says.name(&o.restaurant)), ("dish", &o.dish), ("eta", &eta)]);
                Ok(Outcome::done(say).with_data(json!({"order_id": o.id, "state": state})))
            }
            other => Err(cant_do(says, &FOOD, other)),
        }
    }
}
