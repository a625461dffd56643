//! The built-in domains: every template round-trips, and ASR-style damage
//! is tolerated.

mod common;

use hush_eval::nlu::{evaluate, read_labeled, SLURP_TO_BUILTIN};
use hush_nlu::{sample, IntentSet, MatchParams, Matcher};

fn matcher() -> Matcher {
    Matcher::new(IntentSet::builtin().unwrap_or_else(|e| panic!("{e}")), MatchParams::default())
}

fn indonesian() -> Matcher {
    Matcher::new(IntentSet::builtin_for(&[hush_nlu::Language::Indonesian]).unwrap_or_else(|e| panic!("{e}")), MatchParams::default())
}

#[test]
fn every_builtin_template_round_trips() {
    common::assert_every_template_round_trips(&matcher(), 8, 7);
}

fn check(m: &Matcher, text: &str, intent: &str, slots: &[(&str, &str)]) {
    let got = m.parse(text).unwrap_or_else(|| panic!("\"{text}\" not understood: {:?}", m.parse_nbest(text, 2)));
    assert_eq!(got.name, intent, "\"{text}\": {got:?}");
    for (k, v) in slots {
        assert_eq!(got.slot(k).map(|s| s.value.to_string()).as_deref(), Some(*v), "\"{text}\" slot {k}: {got:?}");
    }
}

/// A value of the slot's type outside its range ("100 degrees" where
/// the car takes 10 to 35, "zero dollars") is no value: the request is
/// read with that slot missing, to be asked, never with the value.
#[test]
fn a_value_out_of_its_range_is_asked_for() {
    let m = matcher();
    for (text, intent, slot) in [
        ("set the temperature to 100 degrees", "set_temperature", "temperature"),
        ("send zero dollars to mum", "transfer_money", "amount"),
        ("pay my electricity bill of zero dollars", "pay_bill", "amount"),
    ] {
        let got = m.parse(text).unwrap_or_else(|| panic!("{text:?} not understood"));
        assert_eq!(got.name, intent, "{text:?}: {got:?}");
        assert!(got.slot(slot).is_none() && got.missing.iter().any(|s| s == slot), "{text:?}: {got:?}");
    }
    let got = m.parse("set the temperature to 22 degrees").unwrap();
    assert_eq!((got.slot("temperature").map(|s| s.value.to_string()), got.missing.len()), (Some("22".into()), 0), "{got:?}");
}

#[test]
fn asr_errors_are_tolerated() {
    let m = matcher();
    // Misheard words (sound- or spelling-alike) and words run together or split.
    check(&m, "let me ride to the airport", "order_ride", &[("destination", "airport")]);
    check(&m, "book me a right to the airport", "order_ride", &[("destination", "airport")]);
    // Function words swapped (Whisper heard "a" as "to").
    check(&m, "Book me to ride to the airport.", "order_ride", &[("destination", "airport")]);
    assert!(m.parse("Book me to ride to the airport.").unwrap().confidence > 0.8);
    check(&m, "pay my electric city bill", "pay_bill", &[("biller", "electricity")]);
    check(&m, "pay my electrisity bill", "pay_bill", &[("biller", "electricity")]);
    check(&m, "navigate to the air port", "navigate_to", &[("destination", "airport")]);
    check(&m, "call my wive", "call_contact", &[("contact", "my wife")]);
    // Dropped words.
    check(&m, "book taxi to airport", "order_ride", &[("destination", "airport")]);
    check(&m, "pay water bill", "pay_bill", &[("biller", "water")]);
    // Extra words and fillers.
    check(&m, "um so could you uh book me a ride to the airport", "order_ride", &[("destination", "airport")]);
    check(&m, "okay hush turn the volume up a little please", "adjust_volume", &[("direction", "up")]);
}

#[test]
fn values_the_words_imply() {
    let m = matcher();
    check(&m, "cool it down a bit", "set_temperature", &[("direction", "cooler")]);
    check(&m, "bump the temperature up", "set_temperature", &[("direction", "warmer")]);
    check(&m, "heat up the passenger side", "set_temperature", &[("direction", "warmer"), ("zone", "passenger")]);
    check(&m, "it's stuffy in here", "set_temperature", &[("direction", "cooler")]);
    check(&m, "the music is too quiet", "adjust_volume", &[("direction", "up")]);
    check(&m, "that's way too loud", "adjust_volume", &[("direction", "down")]);
    check(&m, "i can barely hear it", "adjust_volume", &[("direction", "up")]);
    check(&m, "kill the sound", "adjust_volume", &[("direction", "mute")]);
    check(&m, "shh", "adjust_volume", &[("direction", "mute")]);
    // The climate switched off is not the sound muted ("turn off the ac"
    // had been read as adjust_volume, mute).
    check(&m, "turn off the ac", "set_temperature", &[("direction", "off")]);
    check(&m, "switch the heating on", "set_temperature", &[("direction", "on")]);
    check(&m, "turn off the radio", "adjust_volume", &[("direction", "mute")]);
    let id = indonesian();
    check(&id, "matikan ac", "set_temperature", &[("direction", "off")]);
}

/// How a call is heard is no part of who is called: "call mum on
/// speaker" had called a contact named "mum on speaker".
#[test]
fn on_speaker_is_not_the_contact() {
    let m = matcher();
    check(&m, "call mum on speaker", "call_contact", &[("contact", "mum")]);
    check(&m, "ring dad on his mobile on speakerphone", "call_contact", &[("contact", "dad"), ("phone_type", "mobile")]);
    let id = indonesian();
    check(&id, "telepon ibu pakai speaker", "call_contact", &[("contact", "ibu")]);
}

/// What money is sent for is said back, never taken for the recipient
/// nor for a school canteen ("send twenty dollars to mum for lunch" had
/// been read as a canteen top-up for "mum").
#[test]
fn what_money_is_for_is_its_own_slot() {
    let m = matcher();
    check(&m, "send twenty dollars to mum for lunch", "transfer_money", &[("recipient", "mum"), ("note", "lunch")]);
    check(&m, "send mum twenty dollars for her birthday", "transfer_money", &[("recipient", "mum"), ("note", "birthday")]);
    check(&m, "send twenty dollars to mum tomorrow for the rent", "transfer_money", &[("recipient", "mum"), ("note", "rent")]);
    check(&m, "send twenty dollars to mum for the school trip", "transfer_money", &[("recipient", "mum"), ("note", "school trip")]);
    // Thanks and haste are none: nothing to say back.
    for text in ["send twenty dollars to mum right now", "call mum right now thanks"] {
        let got = m.parse(text).unwrap_or_else(|| panic!("{text:?} not understood"));
        assert!(got.slots.iter().all(|s| s.name != "note" && !s.raw.contains("right")), "{text:?}: {got:?}");
    }
    let id = indonesian();
    check(&id, "kirim lima puluh ribu ke budi buat makan siang", "transfer_money", &[("recipient", "budi"), ("note", "makan siang")]);
}

/// The account a payment is made from is read wherever one is said: a
/// bill or a canteen top-up "from my savings" had been paid from the
/// main account, and its question had not said which.
#[test]
fn the_account_paid_from_is_read() {
    let m = matcher();
    check(&m, "pay the electricity bill from my savings", "pay_bill", &[("biller", "electricity"), ("account", "savings")]);
    check(&m, "pay forty two dollars for the water bill with my wallet", "pay_bill", &[("biller", "water"), ("account", "wallet")]);
    check(&m, "top up the canteen account with fifty dollars from my savings account", "top_up_canteen", &[("account", "savings")]);
    let id = indonesian();
    check(&id, "bayar tagihan listrik dari tabungan", "pay_bill", &[("biller", "electricity"), ("account", "savings")]);
    // What the templates say right before it, for a reader that found it
    // elsewhere: "from [my]", never "to".
    let set = IntentSet::builtin().unwrap();
    let transfer = set.intent("transfer_money").unwrap();
    let before = set.words_before(transfer, "account").unwrap();
    assert!(before.contains("from") && !before.contains("to"), "{before:?}");
    // An amount follows the recipient in "send mum twenty dollars": any word.
    assert_eq!(set.words_before(transfer, "amount"), None);
}

/// "for two people" is how many ride, not two o'clock.
#[test]
fn how_many_ride_is_no_time() {
    let m = matcher();
    check(&m, "book me a ride to the airport for two people", "order_ride", &[("destination", "airport"), ("passengers", "2")]);
    let got = m.parse("book me a ride to the airport for two people").unwrap();
    assert!(got.slot("time").is_none(), "{got:?}");
    // A bare number after "for" counts riders; one with "pm" is the time.
    check(&m, "book a ride to the airport for two", "order_ride", &[("destination", "airport"), ("passengers", "2")]);
    let got = m.parse("book a ride to the airport for two").unwrap();
    assert!(got.slot("time").is_none(), "{got:?}");
    let got = m.parse("book a ride to the airport for 2 pm").unwrap();
    assert!(got.slot("passengers").is_none() && got.slot("time").is_some(), "{got:?}");
    check(&indonesian(), "pesan taksi ke bandara untuk tiga orang", "order_ride", &[("destination", "airport"), ("passengers", "3")]);
}

#[test]
fn kinds_of_place_asked_for_in_the_plural() {
    let m = matcher();
    check(&m, "find pharmacies near me", "find_nearby", &[("place", "pharmacy")]);
    check(&m, "show me hotels around here", "find_nearby", &[("place", "hotel")]);
    check(&m, "are there any car washes nearby", "find_nearby", &[("place", "car wash")]);
}

#[test]
fn how_to_get_there_is_no_part_of_the_place() {
    let m = matcher();
    check(&m, "take me to work using the fastest route", "navigate_to", &[("destination", "work")]);
    check(&m, "navigate to grand indonesia via the toll road", "navigate_to", &[("destination", "grand indonesia")]);
    check(&m, "take me home avoiding the highway", "navigate_to", &[("destination", "home")]);
    // A place named like a road is still the place.
    check(&m, "take me to the highway", "navigate_to", &[("destination", "highway")]);
}

#[test]
fn whisper_number_formats() {
    let m = matcher();
    check(&m, "Pay $42.50 for my water bill.", "pay_bill", &[("biller", "water"), ("amount", "42.50 USD")]);
    check(&m, "Pay my PLN bill of Rp 50.000.", "pay_bill", &[("biller", "electricity"), ("amount", "50000.00 IDR")]);
    check(&m, "Send Rp50.000 to Budi.", "transfer_money", &[("recipient", "budi"), ("amount", "50000.00 IDR")]);
    check(&m, "Transfer fifty thousand rupiah to my sister", "transfer_money", &[("amount", "50000.00 IDR")]);
    check(&m, "Order 2 pizzas at 7pm.", "order_food", &[("quantity", "2"), ("dish", "pizza"), ("time", "19:00")]);
    check(&m, "Set the temperature to 22°.", "set_temperature", &[("temperature", "22")]);
    check(&m, "Book a taxi to the airport at 5:30 p.m. tomorrow.", "order_ride", &[("time", "17:30"), ("date", "today+1 days")]);
    check(&m, "What did I get in maths?", "check_grades", &[("subject", "maths")]);
    check(&m, "Top up my son's canteen account with $20.", "top_up_canteen", &[("amount", "20.00 USD"), ("student", "my son")]);
    check(&m, "Text Mom: I'm running late!", "send_message", &[("contact", "mom")]);
    assert_eq!(m.parse("Text Mom: I'm running late!").unwrap().slot("message").unwrap().raw, "I'm running late");
}

/// The super-app region's currencies in whole commands, spoken and as
/// Whisper writes them; amounts printed from integer minor units.
#[test]
fn region_currencies_in_commands() {
    let m = matcher();
    #[rustfmt::skip]
    let table = [
        ("send 200 yuan to Li Wei", "200.00 CNY"), ("Send ¥200 to Li Wei.", "200.00 CNY"), ("send li wei two hundred kuai", "200.00 CNY"),
        ("Transfer S$50 to Mei Ling.", "50.00 SGD"), ("send RM 30 to Aisyah", "30.00 MYR"), ("send 500 baht to Somchai", "500.00 THB"),
        ("Send ₱250 to Maria.", "250.00 PHP"), ("send 50.000 dong to Minh", "50000 VND"), ("send five hundred rupees to Priya", "500.00 INR"),
        ("send 1000 yen to Aiko", "1000 JPY"), ("Send ₩5,000 to Jisoo.", "5000 KRW"), ("send twenty euros to Hans", "20.00 EUR"),
        ("send £5 to Oliver", "5.00 GBP"), ("send Rp 50.000 to Budi", "50000.00 IDR"), ("send $12.99 to Sam", "12.99 USD"),
    ];
    for (text, amount) in table {
        check(&m, text, "transfer_money", &[("amount", amount)]);
    }
}

/// One slip per sampled sentence, of the kinds ASR and speakers make: a
/// short word dropped ("book taxi to airport"), a word said twice, a
/// filler inserted. The intent should survive.
#[test]
fn noisy_samples_keep_their_intent() {
    let m = matcher();
    let samples = sample(m.intents(), 3, 11);
    let fillers = ["um", "uh", "like", "so", "erm"];
    let (mut right, mut total, mut wrong) = (0, 0, Vec::new());
    for (i, s) in samples.iter().enumerate() {
        let mut words: Vec<&str> = s.text.split_whitespace().collect();
        let short: Vec<usize> = (0..words.len()).filter(|&k| words[k].len() <= 3).collect();
        if words.len() < 3 || short.is_empty() {
            continue;
        }
        let k = (i * 7919) % words.len();
        match i % 3 {
            0 => {
                words.remove(short[i % short.len()]);
            }
            1 => words.insert(k, words[k]),
            _ => words.insert(k, fillers[i % fillers.len()]),
        }
        total += 1;
        let said = words.join(" ");
        if m.parse(&said).is_some_and(|p| p.name == s.intent) {
            right += 1;
        } else {
            wrong.push(format!("{}: {said}", s.intent));
        }
    }
    // Measured 0.97 (intents/, seed 11); some slips leave too little.
    let acc = right as f64 / total as f64;
    assert!(acc >= 0.93, "{right}/{total} = {acc:.3}; e.g.\n{}", wrong[..wrong.len().min(10)].join("\n"));
}

#[test]
#[ignore = "needs ../shared/data: make test-dev"]
fn slurp_devel_targets() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/slurp/devel.jsonl");
    let text = std::fs::read_to_string(path).expect("SLURP devel text beside the checkout (../shared/data)");
    let data = read_labeled(&text, true, SLURP_TO_BUILTIN).unwrap();
    let r = evaluate(&matcher(), &data);
    let summary = format!(
        "precision (in-domain) {:.4}, recall {:.4}, out-of-domain rejected {:.4}, ECE {:.3}",
        r.in_domain_precision, r.recall, r.out_of_domain_rejected, r.calibration_error
    );
    assert_eq!(r.sentences, 2033);
    assert!(r.in_domain_precision >= 0.97, "{summary}");
    assert!(r.recall >= 0.60, "{summary}");
    assert!(r.out_of_domain_rejected >= 0.95, "{summary}");
    assert!(r.calibration_error <= 0.05, "{summary}");
    // Measured 0.10 over sentences with a candidate: over-confident around 0.8.
    assert!(r.calibration_error_parsed <= 0.15, "{summary}, ECE with a candidate {:.3}", r.calibration_error_parsed);
}
