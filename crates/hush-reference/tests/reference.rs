//! The reference actions on a seeded ledger: payments are exact and happen
//! once, errors are speakable, providers move through their states, and
//! no random input makes them panic.

use hush_actions::{idempotency_key, Action, ActionContext, Outcome, Registry, Status};
use hush_nlu::{Evidence, Intent, Language, Money, Slot, Value};
use hush_reference::ledger::now_ms;
use hush_reference::{ride_state, Food, Ledger, LedgerError, Payments, Rides, Simulation};
use proptest::prelude::*;
use std::sync::Arc;
use std::time::Duration;

fn intent(name: &str, slots: Vec<(&str, Value)>) -> Intent {
    Intent {
        name: name.into(),
        slots: slots.into_iter().map(|(n, v)| Slot { name: n.into(), value: v, raw: String::new(), sensitive: n == "amount" }).collect(),
        confidence: 1.0,
        cost: 0.0,
        missing: vec![],
        template: String::new(),
        evidence: Evidence { words: 1, matched: 1, free: 0, edit_cost: 0.0, skip_cost: 0.0, free_cost: 0.0 },
        language: Default::default(),
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn usd(x: f64) -> Value {
    Value::Money(Money { minor: (x * 100.0).round() as i64, exponent: 2, currency: Some("USD".into()) })
}

fn rupiah(major: i64) -> Value {
    Value::Money(Money { minor: major * 100, exponent: 2, currency: Some("IDR".into()) })
}

fn setup(sim: Simulation) -> (Arc<Ledger>, Registry) {
    let ledger = Arc::new(Ledger::in_memory().unwrap());
    let mut r = Registry::default();
    for a in hush_reference::reference_actions(ledger.clone(), sim) {
        r.register(a).unwrap();
    }
    (ledger, r)
}

async fn run(r: &Registry, i: &Intent) -> Outcome {
    r.dispatch(i, ActionContext::new(idempotency_key(i), true)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paying_a_bill_moves_exact_money_once() {
    let (ledger, r) = setup(Simulation::default());
    let pay = intent("pay_bill", vec![("biller", text("electricity")), ("amount", usd(42.0))]);
    let out = run(&r, &pay).await;
    assert_eq!(out.status, Status::Done, "{out:?}");
    assert_eq!(out.say, "Paid $42.00 for your electricity bill. $1,208.00 left in your main account.");
    assert_eq!(ledger.account("main").unwrap().unwrap().balance_minor, 125000 - 4200);
    assert_eq!(ledger.bill("electricity").unwrap().unwrap().due_minor, 0);
    // The same request again (a retry, or said twice) pays nothing more.
    let again = run(&r, &pay).await;
    assert_eq!(again.status, Status::AlreadyDone, "{again:?}");
    assert_eq!(ledger.payments().unwrap().len(), 1);
    assert_eq!(ledger.account("main").unwrap().unwrap().balance_minor, 125000 - 4200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_replays_pay_once() {
    let (ledger, r) = setup(Simulation::default());
    let r = Arc::new(r);
    let pay = Arc::new(intent("pay_bill", vec![("biller", text("water")), ("amount", usd(18.75))]));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (r, pay) = (r.clone(), pay.clone());
            tokio::spawn(async move { run(&r, &pay).await.status })
        })
        .collect();
    let mut done = 0;
    for t in tasks {
        match t.await.unwrap() {
            Status::Done => done += 1,
            Status::AlreadyDone => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(done, 1);
    let payments = ledger.payments().unwrap();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].amount_minor, 1875);
    assert_eq!(ledger.account("main").unwrap().unwrap().balance_minor, 125000 - 1875);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_speakable_and_change_nothing() {
    let (ledger, r) = setup(Simulation::default());
    let cases = [
        (intent("pay_bill", vec![("biller", text("tv"))]), "I don't have a tv bill on file, so I can't pay it."),
        (intent("pay_bill", vec![("biller", text("rent"))]), "Your main account has $1,250.00, not enough for $1,500.00."),
        (
            intent("transfer_money", vec![("recipient", text("mom")), ("amount", usd(100.0)), ("account", text("wallet"))]),
            "Your wallet account has $85.50, not enough for $100.00.",
        ),
        (intent("transfer_money", vec![("recipient", text("mom")), ("amount", usd(-5.0))]), "I can't use that amount: the amount must be more than zero."),
        (
            intent("transfer_money", vec![("recipient", text("mom")), ("amount", rupiah(5)), ("account", text("main"))]),
            "Your main account is in USD; I can't pay in IDR.",
        ),
        // Unsaid, the account is the one in the amount's currency, and a
        // bill is paid in its own currency, never converted.
        (intent("pay_bill", vec![("biller", text("electricity")), ("amount", rupiah(50_000))]), "Your electricity bill is in USD; I can't pay it in IDR."),
        (intent("transfer_money", vec![("recipient", text("mom"))]), "I need the amount for that."),
        (intent("check_balance", vec![("account", text("pension"))]), "I can't use that account: you have no pension account."),
    ];
    for (i, want) in cases {
        let out = run(&r, &i).await;
        assert_eq!(out.status, Status::Rejected, "{i:?}");
        assert_eq!(out.say, want);
    }
    assert!(ledger.payments().unwrap().is_empty());
    assert_eq!(ledger.account("main").unwrap().unwrap().balance_minor, 125000);
    // Unconfirmed payments are refused even if an app calls the action directly.
    let p = Payments::new(ledger.clone());
    let pay = intent("pay_bill", vec![("biller", text("gas"))]);
    let out = p.execute(&pay, &ActionContext::new("k".into(), false)).await;
    assert!(out.is_err());
    assert!(ledger.payments().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bill_without_amount_pays_what_is_due_and_balance_reads_back() {
    let (ledger, r) = setup(Simulation::default());
    let out = run(&r, &intent("pay_bill", vec![("biller", text("internet")), ("account", text("savings"))])).await;
    assert_eq!(out.say, "Paid $35.00 for your internet bill. $5,365.00 left in your savings account.");
    let out = run(&r, &intent("check_balance", vec![("account", text("savings"))])).await;
    assert_eq!(out.say, "Your savings account has $5,365.00.");
    assert_eq!(ledger.payments().unwrap()[0].account, "savings");
    // Paid bills are not paid again under another wording (a new key).
    let out = r.dispatch(&intent("pay_bill", vec![("biller", text("internet"))]), ActionContext::new("other".into(), true)).await;
    assert_eq!((out.status, out.say.as_str()), (Status::Rejected, "Your internet bill is already paid."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rides_move_through_provider_states() {
    // A simulated minute per 10 ms.
    let (ledger, r) = setup(Simulation { time_scale: 6000.0 });
    let book = intent("order_ride", vec![("destination", text("airport")), ("ride_type", text("premium"))]);
    let out = run(&r, &book).await;
    assert_eq!(out.status, Status::Done, "{out:?}");
    assert!(out.say.starts_with("Booked a premium ride to airport"), "{}", out.say);
    assert_eq!(out.data["state"], "requested");
    // A second booking while one is active is refused; the same one is not repeated.
    assert_eq!(run(&r, &book).await.status, Status::AlreadyDone);
    let other = run(&r, &intent("order_ride", vec![("destination", text("mall"))])).await;
    assert_eq!(other.status, Status::Rejected);
    let ride = ledger.rides().unwrap().pop().unwrap();
    let mut seen = vec![];
    for s in [0, 30, ride.pickup_eta_s - 30, ride.pickup_eta_s + 10, ride.pickup_eta_s + ride.trip_s + 1] {
        seen.push(ride_state(&ride, s));
    }
    assert_eq!(seen, ["requested", "assigned", "arriving", "on_trip", "completed"]);
    tokio::time::sleep(Duration::from_millis(5)).await;
    let status = run(&r, &intent("ride_status", vec![])).await;
    assert_eq!(status.data["state"], "assigned", "{status:?}");
    let cancel = run(&r, &intent("cancel_ride", vec![])).await;
    assert_eq!(cancel.status, Status::Done);
    assert!(ledger.rides().unwrap()[0].cancelled_ms.is_some());
    assert_eq!(run(&r, &intent("cancel_ride", vec![])).await.status, Status::Rejected);
    assert_eq!(run(&r, &intent("ride_status", vec![])).await.say, "You have no ride booked.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn food_orders_are_recorded_and_tracked() {
    let (ledger, r) = setup(Simulation { time_scale: 1.0 });
    let order = intent("order_food", vec![("dish", text("pizza")), ("quantity", Value::Integer(2)), ("restaurant", text("pizza hut"))]);
    let out = run(&r, &order).await;
    assert!(out.say.starts_with("Ordered 2 pizza from pizza hut"), "{}", out.say);
    assert_eq!(run(&r, &order).await.status, Status::AlreadyDone);
    assert_eq!(ledger.food_orders().unwrap().len(), 1);
    let track = run(&r, &intent("track_order", vec![])).await;
    assert_eq!(track.data["state"], "placed");
    let too_many = run(&r, &intent("order_food", vec![("dish", text("pizza")), ("quantity", Value::Integer(900))])).await;
    assert_eq!(too_many.status, Status::Rejected);
}

/// An order is charged when placed: its question says what it holds,
/// thing by thing, and the total that placing it then charges.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_is_said_back_with_its_total_before_it_is_placed() {
    let (ledger, r) = setup(Simulation { time_scale: 1.0 });
    let order = intent("order_food", vec![("quantity", Value::Integer(2)), ("dish", text("pizzas and three cokes")), ("restaurant", text("pizza hut"))]);
    let asked = r.confirmation(&order, None);
    let total = asked.strip_prefix("Order 2 pizzas and 3 cokes from pizza hut for ").and_then(|t| t.strip_suffix('?'));
    let total = total.unwrap_or_else(|| panic!("{asked}"));
    let out = run(&r, &order).await;
    assert_eq!(out.say.split(": ").nth(1).and_then(|t| t.split(',').next()), Some(total), "{}", out.say);
    assert!(out.say.starts_with("Ordered 2 pizzas and 3 cokes from pizza hut"), "{}", out.say);
    // Each thing is priced, so the order costs more than its first alone.
    let one = r.confirmation(&intent("order_food", vec![("quantity", Value::Integer(2)), ("dish", text("pizzas"))]), None);
    assert_ne!(one.rsplit(' ').next(), Some(format!("{total}?").as_str()), "{one}");
    assert_eq!(ledger.food_orders().unwrap().len(), 1);
    // A name that says "and" is one thing; in Indonesian and Mandarin too.
    assert!(r
        .confirmation(&intent("order_food", vec![("dish", text("fish and chips"))]), None)
        .starts_with("Order 1 fish and chips from the nearest restaurant for $"));
    let mut id = intent("order_food", vec![("dish", text("nasi goreng dan dua es teh"))]);
    id.language = Language::Indonesian;
    assert!(r.confirmation(&id, None).starts_with("Pesan 1 nasi goreng dan 2 es teh dari restoran terdekat seharga US$"), "{}", r.confirmation(&id, None));
    // More than the kitchen takes of one thing is refused before any charge.
    let many = intent("order_food", vec![("dish", text("pizza and 90 cokes"))]);
    assert_eq!(run(&r, &many).await.status, Status::Rejected);
    assert_eq!(ledger.food_orders().unwrap().len(), 1);
}

#[test]
fn ledger_persists_and_resets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/ledger.sqlite");
    {
        let l = Ledger::open(&path).unwrap();
        l.write(|tx| tx.execute("UPDATE accounts SET balance_minor = 1 WHERE name = 'main'", []).map_err(LedgerError::from)).unwrap();
    }
    let l = Ledger::open(&path).unwrap();
    assert_eq!(l.account("main").unwrap().unwrap().balance_minor, 1, "kept across opens, not reseeded");
    l.reset().unwrap();
    assert_eq!(l.account("main").unwrap().unwrap().balance_minor, 125000);
    assert!(now_ms() > 0);
    let bad = Ledger::open(dir.path());
    assert!(bad.is_err(), "a folder is not a ledger");
}

/// Random intent names (the reference ones and others) with random slots
/// of every value type, including absurd amounts and odd text.
fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-z ]{0,12}".prop_map(Value::Text),
        any::<i64>().prop_map(Value::Integer),
        any::<f64>().prop_map(Value::Number),
        (any::<i64>(), any::<u8>(), proptest::option::of("[A-Z]{3}")).prop_map(|(minor, exponent, currency)| Value::Money(Money { minor, exponent, currency })),
        (-100_000_000_000i64..100_000_000_000).prop_map(|minor| Value::Money(Money { minor, exponent: 2, currency: Some("USD".into()) })),
        (0u64..100_000).prop_map(|seconds| Value::Duration { seconds }),
        any::<u32>().prop_map(Value::Ordinal),
    ]
}

const NAMES: &[&str] = &[
    "pay_bill",
    "transfer_money",
    "top_up_canteen",
    "check_balance",
    "order_ride",
    "ride_status",
    "cancel_ride",
    "order_food",
    "track_order",
    "navigate_to",
    "",
];
const SLOTS: &[&str] = &["biller", "amount", "account", "recipient", "student", "destination", "pickup", "ride_type", "dish", "quantity", "restaurant", "x"];

fn any_intent() -> impl Strategy<Value = (Intent, bool)> {
    (prop::sample::select(NAMES), prop::collection::vec((prop::sample::select(SLOTS), any_value()), 0..5), any::<bool>())
        .prop_map(|(name, slots, confirmed)| (intent(name, slots), confirmed))
}

#[test]
fn ten_thousand_random_intents_never_panic() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (ledger, r) = setup(Simulation { time_scale: 100.0 });
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 10_000, ..ProptestConfig::default() });
    let typed = [Status::Done, Status::AlreadyDone, Status::Rejected, Status::Unhandled];
    runner
        .run(&any_intent(), |(i, confirmed)| {
            let out = rt.block_on(r.dispatch(&i, ActionContext::new(idempotency_key(&i), confirmed)));
            prop_assert!(typed.contains(&out.status), "{:?} -> {:?}", i, out);
            prop_assert!(!out.say.is_empty());
            Ok(())
        })
        .unwrap();
    // Money only ever left accounts through recorded payments.
    let paid: i64 = ledger.payments().unwrap().iter().filter(|p| p.account == "main").map(|p| p.amount_minor).sum();
    assert_eq!(ledger.account("main").unwrap().unwrap().balance_minor, 125000 - paid);
    assert!(ledger.accounts().unwrap().iter().all(|a| a.balance_minor >= 0));
    drop((Rides::new(ledger.clone(), Simulation::default()), Food::new(ledger, Simulation::default())));
}

/// Amounts move as integers in each account's own minor units: yen have
/// none below one, so an amount said without a currency is counted in the
/// account's units and a fraction of a yen is refused, not rounded; the
/// question asks for exactly what is then paid.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn money_moves_in_the_account_s_minor_units() {
    let (ledger, r) = setup(Simulation::default());
    ledger.write(|tx| tx.execute("INSERT INTO accounts (name, balance_minor, currency) VALUES ('yen', 50000, 'JPY')", []).map_err(LedgerError::from)).unwrap();
    let money = |minor, exponent, currency: Option<&str>| Value::Money(Money { minor, exponent, currency: currency.map(Into::into) });
    let send = |amount| intent("transfer_money", vec![("recipient", text("aiko")), ("amount", amount), ("account", text("yen"))]);

    let yen = send(money(1_000, 0, Some("JPY")));
    assert_eq!(r.confirmation(&yen, None), "Send ¥1,000 to aiko from your yen account?");
    assert_eq!(run(&r, &yen).await.say, "Sent ¥1,000 to aiko. ¥49,000 left in your yen account.");
    // "pay forty two": 42.00 with no currency is 42 yen here.
    let bare = send(money(4_200, 2, None));
    assert_eq!(r.confirmation(&bare, None), "Send ¥42 to aiko from your yen account?");
    assert_eq!(run(&r, &bare).await.status, Status::Done);
    assert_eq!(ledger.account("yen").unwrap().unwrap().balance_minor, 50_000 - 1_000 - 42);
    let fraction = run(&r, &send(money(4_250, 2, None))).await;
    assert_eq!((fraction.status, fraction.say.as_str()), (Status::Rejected, "I can't use that amount: JPY has no amounts that small."));
    let yuan = run(&r, &send(money(20_000, 2, Some("CNY")))).await;
    assert_eq!(yuan.say, "Your yen account is in JPY; I can't pay in CNY.");
    let payments = ledger.payments().unwrap();
    assert_eq!(payments.iter().map(|p| (p.amount_minor, p.currency.as_str())).collect::<Vec<_>>(), [(1_000, "JPY"), (42, "JPY")]);
}

/// A ledger written before amounts were named in minor units (`*_cents`
/// columns) opens with every balance, bill and payment kept.
#[test]
fn an_old_ledger_is_migrated_without_losing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE accounts (name TEXT PRIMARY KEY, balance_cents INTEGER NOT NULL CHECK (balance_cents >= 0), currency TEXT NOT NULL);
             CREATE TABLE bills (biller TEXT PRIMARY KEY, due_cents INTEGER NOT NULL CHECK (due_cents >= 0), currency TEXT NOT NULL, due_date TEXT NOT NULL);
             CREATE TABLE payments (id INTEGER PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL, payee TEXT NOT NULL,
                 amount_cents INTEGER NOT NULL CHECK (amount_cents > 0), currency TEXT NOT NULL, account TEXT NOT NULL, at_ms INTEGER NOT NULL);
             INSERT INTO accounts VALUES ('main', 120800, 'USD');
             INSERT INTO bills VALUES ('electricity', 0, 'USD', '2026-12-05');
             INSERT INTO payments VALUES (1, 'k', 'bill', 'electricity', 4200, 'USD', 'main', 1);",
        )
        .unwrap();
    }
    let l = Ledger::open(&path).unwrap();
    assert_eq!(l.account("main").unwrap().unwrap().balance_minor, 120_800);
    assert_eq!(l.bill("electricity").unwrap().unwrap().due_minor, 0);
    assert_eq!(l.payments().unwrap()[0].amount_minor, 4200);
    assert_eq!(l.payments().unwrap()[0].scheduled, None, "paid at once, as every payment then was");
    drop(l);
    assert_eq!(Ledger::open(&path).unwrap().account("main").unwrap().unwrap().balance_minor, 120_800, "opens again");
}

/// A payment asked for a later day or time says it in its question and
/// its answer, and the ledger keeps it; today is paid at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_for_a_later_day_or_time_says_so_and_is_kept_as_scheduled() {
    use hush_nlu::Date;
    let (ledger, r) = setup(Simulation::default());
    let later = |days| ("date", Value::Date(Date::Relative { days }));
    let send = intent("transfer_money", vec![("recipient", text("mum")), ("amount", usd(20.0)), later(1)]);
    assert_eq!(r.confirmation(&send, None), "Send $20.00 to mum tomorrow?");
    let out = run(&r, &send).await;
    assert_eq!(out.status, Status::Done, "{out:?}");
    assert_eq!(out.say, "$20.00 to mum will be paid tomorrow; it is set aside now. $1,230.00 left in your main account.");
    let friday = ("date", Value::Date(Date::Weekday { weekday: 4, next: false }));
    let bill = intent("pay_bill", vec![("biller", text("electricity")), friday]);
    assert_eq!(r.confirmation(&bill, None), "Pay $42.00 for your electricity bill on friday?");
    assert!(run(&r, &bill).await.say.starts_with("Your electricity bill of $42.00 will be paid on friday;"));
    let today = intent("transfer_money", vec![("recipient", text("dad")), ("amount", usd(5.0)), later(0)]);
    assert_eq!(r.confirmation(&today, None), "Send $5.00 to dad?");
    assert!(run(&r, &today).await.say.starts_with("Sent $5.00 to dad."));
    let kept: Vec<Option<String>> = ledger.payments().unwrap().into_iter().map(|p| p.scheduled).collect();
    assert_eq!(kept, [Some("tomorrow".to_owned()), Some("on friday".to_owned()), None]);
    let five = ("time", Value::Time(hush_nlu::Time::At { hour: 17, minute: 0, certain: true }));
    let at_five = intent("transfer_money", vec![("recipient", text("mum")), ("amount", usd(1.0)), five.clone()]);
    assert_eq!(r.confirmation(&at_five, None), "Send $1.00 to mum at 5:00 pm?");
    let tomorrow_at_five = intent("transfer_money", vec![("recipient", text("mum")), ("amount", usd(1.0)), later(1), five]);
    assert_eq!(r.confirmation(&tomorrow_at_five, None), "Send $1.00 to mum tomorrow at 5:00 pm?");
    let mut besok = intent("transfer_money", vec![("recipient", text("budi")), ("amount", rupiah(50_000)), later(1)]);
    besok.language = Language::Indonesian;
    assert_eq!(r.confirmation(&besok, None), "Kirim Rp50.000 ke budi besok?");
}

/// Asked in Indonesian, the actions answer in Indonesian, with Indonesian
/// amounts ("Rp50.000") and names ("listrik", "bandara"); a rupiah amount
/// comes from the rupiah account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_indonesian_request_is_answered_in_indonesian() {
    let (ledger, r) = setup(Simulation::default());
    let id = |name: &str, slots| Intent { language: Language::Indonesian, ..intent(name, slots) };
    let send = id("transfer_money", vec![("recipient", text("Budi")), ("amount", rupiah(50_000))]);
    assert_eq!(r.confirmation(&send, None), "Kirim Rp50.000 ke Budi?");
    assert_eq!(run(&r, &send).await.say, "Rp50.000 sudah dikirim ke Budi. Sisa saldo rekening rupiah: Rp2.450.000.");
    assert_eq!(ledger.account("rupiah").unwrap().unwrap().balance_minor, 250_000_000 - 5_000_000);
    let bill = id("pay_bill", vec![("biller", text("electricity"))]);
    assert_eq!(r.confirmation(&bill, None), "Bayar tagihan listrik US$42,00?");
    assert_eq!(run(&r, &bill).await.say, "Tagihan listrik sebesar US$42,00 sudah dibayar. Sisa saldo rekening utama: US$1.208,00.");
    assert_eq!(run(&r, &bill).await.say, "Sudah beres: US$42,00 ke listrik tadi sudah masuk.");
    let canteen = id("top_up_canteen", vec![("student", text("Ayu")), ("amount", rupiah(20_000))]);
    assert_eq!(r.confirmation(&canteen, None), "Isi saldo kantin Ayu Rp20.000?");
    let too_much = id("transfer_money", vec![("recipient", text("Budi")), ("amount", rupiah(5_000_000))]);
    assert_eq!(run(&r, &too_much).await.say, "Saldo rekening rupiah Anda Rp2.450.000, tidak cukup untuk Rp5.000.000.");
    let none = id("transfer_money", vec![("recipient", text("Budi"))]);
    assert_eq!(run(&r, &none).await.say, "Saya perlu amount untuk itu.");
    let ride = id("order_ride", vec![("destination", text("airport")), ("ride_type", text("bike"))]);
    let booked = run(&r, &ride).await.say;
    assert!(booked.starts_with("Perjalanan motor ke bandara sudah dipesan: tarif sekitar US$"), "{booked}");
    assert!(booked.ends_with(" menit lagi. Saya kabari kalau pengemudi sudah didapat."), "{booked}");
    let status = run(&r, &id("ride_status", vec![])).await.say;
    assert!(status.starts_with("Sedang mencari pengemudi untuk perjalanan ke bandara"), "{status}");
    assert_eq!(run(&r, &id("cancel_ride", vec![])).await.say, "Perjalanan ke bandara dibatalkan.");
    assert_eq!(run(&r, &id("track_order", vec![])).await.say, "Anda belum memesan makanan.");
}
