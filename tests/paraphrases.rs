//! The built-in domains understand paraphrases out of the box: the engine
//! reads them with the learned model shipped in `intents/learned` (needs
//! the encoder: `make models-minilm`), scored here on the held-out half of
//! `benches/paraphrases/written.txt` (sentences whose CRC-32 is odd, as
//! `benches/paraphrases/build.py` splits them).

use hush::parts::ReadBy;
use hush::{Engine, Language, Value};

const WRITTEN: &str = include_str!("../benches/paraphrases/written.txt");

/// (gold intent or None for out of domain, sentence) of the held-out half.
fn held_out() -> Vec<(Option<&'static str>, String)> {
    let mut out = Vec::new();
    for line in WRITTEN.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (intent, marked) = line.split_once('|').expect("intent | sentence");
        // `{slot:words}` is said; `{slot=value}` is only implied.
        let mut text = String::new();
        let mut rest = marked.trim();
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("a closed slot");
            if let Some((_, words)) = rest[open + 1..close].split_once(':') {
                text.push_str(words);
            }
            rest = &rest[close + 1..];
        }
        text.push_str(rest);
        let text = text.trim().to_owned();
        if crc32fast::hash(text.as_bytes()) % 2 == 1 {
            let intent = intent.trim();
            out.push(((intent != "none").then_some(intent), text));
        }
    }
    out
}

#[tokio::test]
async fn the_default_engine_understands_paraphrases_and_rejects_near_misses() {
    let e = Engine::builder().build().unwrap();
    let held = held_out();
    let (mut right, mut inside, mut accepted, mut outside, mut misses) = (0, 0, 0, 0, Vec::new());
    for (gold, text) in &held {
        let t = e.session().process_text(text).await.unwrap();
        match gold {
            Some(g) => {
                inside += 1;
                right += usize::from(t.intent.as_deref() == Some(*g));
            }
            None => {
                outside += 1;
                accepted += usize::from(t.intent.is_some());
            }
        }
        if t.intent.as_deref() != *gold {
            misses.push(format!("{text:?}: {gold:?} read {:?}", t.intent));
        }
    }
    let accuracy = right as f64 / inside as f64;
    let false_accepts = accepted as f64 / outside as f64;
    println!(
        "measured: held-out written paraphrases: intent accuracy {:.2} % of {inside}, false accepts {:.2} % of {outside}",
        accuracy * 100.0,
        false_accepts * 100.0
    );
    assert!(inside > 100 && outside > 30, "the held-out half has {inside} + {outside} sentences");
    // Measured 97.76 % and 12.21 % (the shipped model, 2-core AMD EPYC):
    // regression bounds, not the targets of docs/BENCHMARKS.md.
    assert!(accuracy >= 0.94, "{misses:#?}");
    assert!(false_accepts <= 0.16, "{misses:#?}");
    // The templates alone understand far fewer of them.
    let templates = Engine::builder().builtin_model(false).build().unwrap();
    let mut by_templates = 0;
    for (gold, text) in held.iter().filter(|(g, _)| g.is_some()) {
        by_templates += usize::from(templates.session().process_text(text).await.unwrap().intent.as_deref() == *gold);
    }
    assert!(by_templates + inside / 10 < right, "templates {by_templates}, fused {right} of {inside}");
}

#[tokio::test]
async fn a_payment_the_model_understood_still_asks_first() {
    let e = Engine::builder().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    let t = e.process_text("can you get twenty dollars over to sarah").await.unwrap();
    assert_eq!((t.intent.as_deref(), t.source), (Some("transfer_money"), Some(ReadBy::Learned)), "{t:?}");
    assert!(t.prompt.is_some() && t.outcome.is_none(), "money moves only after a yes: {t:?}");
    let amount = t.slots.iter().find(|s| s.name == "amount").map(|s| &s.value);
    assert!(matches!(amount, Some(Value::Money(m)) if m.minor == 2000), "{:?}", t.slots);
    // A question back is not a yes, and no new request either.
    let t = e.process_text("what was the amount").await.unwrap();
    assert!(t.outcome.is_none() && t.prompt.is_some(), "{t:?}");
    let t = e.process_text("no").await.unwrap();
    assert_eq!(t.outcome.map(|o| o.status), Some(hush::Status::Aborted));
    // A weak template parse lends no slots: "transfer" is not the recipient.
    let t = e.process_text("transfer money").await.unwrap();
    assert_eq!(t.intent.as_deref(), Some("transfer_money"), "{t:?}");
    assert!(t.slots.iter().all(|s| s.name != "recipient") && t.prompt.is_some(), "{t:?}");
}

/// Whisper writes a noise as punctuation alone; the model would read it
/// as its likeliest class (it said `confirm` at 0.73-0.80), and a spoken
/// turn would then ask "Did you say "..."?".
#[tokio::test]
async fn text_without_a_word_is_no_request() {
    let e = Engine::builder().build().unwrap();
    for text in ["...", "?", ",", "!?", " - "] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!((t.intent.as_deref(), t.source), (None, None), "{text:?}: {t:?}");
    }
    // A word among the punctuation is still read.
    let t = e.session().process_text("yes.").await.unwrap();
    assert_eq!(t.intent.as_deref(), Some("confirm"), "{t:?}");
}

/// A learned reading with no value, of an intent whose every template
/// sets one and which asks for none, is no request: "pause the music" had
/// been read as `adjust_volume` and handed to the volume action with no
/// direction and no level. A reading with a value, or one whose missing
/// value is asked for, stands.
#[tokio::test]
async fn a_reading_that_says_nothing_the_intent_can_do_is_none() {
    let e = Engine::builder().dry_run(true).build().unwrap();
    for text in ["pause the music", "stop the music"] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!(t.intent, None, "{text:?}: {t:?}");
    }
    let t = e.session().process_text("mute the navigation voice").await.unwrap();
    assert_eq!((t.intent.as_deref(), t.slots.first().map(|s| s.name.as_str())), (Some("adjust_volume"), Some("direction")), "{t:?}");
    let t = e.session().process_text("get me a cab").await.unwrap();
    assert_eq!((t.intent.as_deref(), t.prompt.is_some()), (Some("order_ride"), true), "{t:?}");
    let set = hush::parts::IntentSet::builtin().unwrap();
    let always = |name: &str| set.always_sets_a_slot(set.intent(name).unwrap());
    assert_eq!((always("adjust_volume"), always("set_temperature"), always("check_balance")), (true, true, false));
}

/// A request said in the negative is not the request: the learned model
/// (and the fuzzy matcher) read "don't call mum" as `call_contact`, and
/// "don't cancel my ride" as `cancel_ride`, which ran at once. An intent
/// that is itself a refusal keeps its negated phrasings.
#[tokio::test]
async fn a_request_said_in_the_negative_is_not_acted_on() {
    let e = Engine::builder().languages(&[Language::English, Language::Indonesian]).dry_run(true).build().unwrap();
    for text in [
        "don't call mum",
        "don't pay my electricity bill",
        "please do not transfer fifty dollars to john",
        "I don't want to pay the water bill",
        "stop paying my internet bill",
        "no need to call mum",
        "can you not call mum",
        "don't cancel my ride",
        // A refusal of what cancel_ride does not refuse: it cancelled the
        // ride booked before.
        "don't book a ride to the airport",
        "jangan pesan ojek ke bandara",
        "don't mute the radio",
        "jangan bayar tagihan listrik",
        "gak usah telepon ibu",
        "jangan batalkan ojek saya",
        "batal bayar tagihan listrik",
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!(t.intent, None, "{text:?}: {t:?}");
        assert_eq!(t.outcome.as_ref().map(|o| o.status), Some(hush::Status::NotUnderstood), "{text:?}");
        // Answered for what it says, not as a request not understood.
        let said = t.outcome.map(|o| o.say).unwrap_or_default();
        assert!(["Okay, I won't.", "Oke, tidak saya lakukan."].contains(&said.as_str()), "{text:?}: {said}");
    }
    for (text, intent) in [
        ("don't send the driver", "cancel_ride"),
        ("i don't need the taxi anymore", "cancel_ride"),
        ("never mind the ride i don't need it anymore", "cancel_ride"),
        ("jangan kirim ojeknya", "cancel_ride"),
        ("do not send me a taxi", "cancel_ride"),
        ("gak jadi pesan ojek", "cancel_ride"),
        ("no", "deny"),
        ("call mum", "call_contact"),
        ("tell mum don't be late", "send_message"),
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!(t.intent.as_deref(), Some(intent), "{text:?}: {t:?}");
    }
}

/// A payment is made once: asked for again and again, it is not read as
/// one payment (the learned model had read "send twenty dollars to mum
/// twice" as $20 to "mum twice", asked as "Send $20.00 to mum twice?").
/// Nor is a second payment joined on: "... and fifty to dad" had been
/// asked as "Send $20.00 to mum?", and a yes would never have paid dad;
/// nor one that leaves a choice open ("Send $20.00 to mum or dad?").
/// Intents that move no money keep such words ("play the daily podcast").
#[tokio::test]
async fn a_payment_asked_for_more_than_once_is_not_read_as_one() {
    let e = Engine::builder().languages(&[Language::English, Language::Indonesian]).dry_run(true).build().unwrap();
    for text in [
        "send twenty dollars to mum every month",
        "send twenty dollars to mum twice",
        "send twenty dollars to mum 3 times",
        "send twenty dollars each to mum and dad",
        "pay my water bill monthly",
        "kirim lima puluh ribu ke ibu setiap bulan",
        "send twenty dollars to mum and fifty to dad",
        "send mum twenty dollars and dad thirty",
        "pay my water bill and my electricity bill",
        "kirim lima puluh ribu ke budi dan sari",
        "top up the canteen for ayu and budi",
        "send twenty or thirty dollars to mum",
        "send mum or dad twenty dollars",
        "pay the water or the electricity bill",
        "send twenty dollars to mum plus ten to dad",
        "kirim lima puluh ribu ke budi atau sari",
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!((t.intent.as_deref(), t.prompt.as_deref()), (None, None), "{text:?}: {t:?}");
        let said = t.outcome.map(|o| o.say).unwrap_or_default();
        assert!(said.starts_with("I can do that only once") || said.starts_with("Saya hanya bisa melakukannya sekali"), "{text:?}: {said}");
    }
    let t = e.session().process_text("play the daily podcast").await.unwrap();
    assert_eq!(t.intent.as_deref(), Some("play_media"), "{t:?}");
    for (text, intent) in [
        ("send twenty dollars to mum", "transfer_money"),
        ("send a hundred and fifty dollars to mum", "transfer_money"),
        ("go ahead and pay the tv bill", "pay_bill"),
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!(t.intent.as_deref(), Some(intent), "{t:?}");
        assert!(t.prompt.is_some(), "{t:?}");
    }
}

/// A payment on a condition hush cannot check is refused, and says why:
/// "pay my electricity bill if it is under fifty dollars" had been asked
/// as "Pay $50.00 for your electricity bill?". Doubt ("if possible") is
/// no condition, and an event said for when ("when she lands") asks for
/// the day.
#[tokio::test]
async fn a_payment_on_a_condition_is_not_made() {
    let e =
        Engine::builder().languages(&[Language::English, Language::Indonesian]).fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    for text in [
        "pay my electricity bill if it is under fifty dollars",
        "send twenty dollars to mum if she asks",
        "send twenty dollars to mum unless she already paid",
        "kirim lima puluh ribu ke budi kalau dia minta",
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!((t.intent.as_deref(), t.prompt.as_deref()), (None, None), "{text:?}: {t:?}");
        let said = t.outcome.map(|o| o.say).unwrap_or_default();
        assert!(said.starts_with("I can't do that on a condition") || said.starts_with("Saya tidak bisa melakukannya dengan syarat"), "{text:?}: {said}");
    }
    for (text, prompt) in [
        ("send twenty dollars to mum if possible", "Send $20.00 to mum?"),
        ("kirim lima puluh ribu ke budi kalau bisa", "Kirim Rp50.000 ke budi?"),
        ("send twenty dollars to mum when she lands", "On which day?"),
        ("pay the water bill when it is due", "On which day?"),
        ("pay my electricity bill as soon as possible", "Pay $42.00 for your electricity bill?"),
        ("send twenty dollars to mum before friday", "Send $20.00 to mum on friday?"),
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!(t.prompt.as_deref(), Some(prompt), "{text:?}: {t:?}");
    }
}

#[test]
fn the_shipped_model_knows_exactly_the_built_in_intents() {
    let model = hush::parts::builtin_learned().unwrap().expect("the encoder is installed (make models-minilm)");
    let mut want: Vec<String> = hush::parts::IntentSet::builtin().unwrap().intents.iter().map(|i| i.name.clone()).collect();
    want.push(hush::parts::learn::OUT_OF_DOMAIN.to_owned());
    want.sort();
    assert_eq!(model.labels.intents, want, "retrain it: make intents-model");
}

#[tokio::test]
async fn a_stricter_threshold_accepts_fewer_sentences_and_no_more_near_misses() {
    let default = Engine::builder().build().unwrap();
    let strict = Engine::builder().builtin_model_threshold(0.9).build().unwrap();
    // Near-misses accepted, and sentences accepted in all, by each.
    let (mut by_default, mut by_strict) = ([0, 0], [0, 0]);
    for (gold, text) in held_out() {
        let miss = usize::from(gold.is_none());
        let (d, s) = (default.process_text(&text).await.unwrap().intent.is_some(), strict.process_text(&text).await.unwrap().intent.is_some());
        by_default[0] += miss * usize::from(d);
        by_strict[0] += miss * usize::from(s);
        by_default[1] += usize::from(d);
        by_strict[1] += usize::from(s);
    }
    assert!(by_strict[0] <= by_default[0] && by_strict[1] < by_default[1], "(near-misses, all) accepted: {by_strict:?} at 0.9, {by_default:?} at the default");
    assert!(Engine::builder().builtin_model_threshold(1.5).build().is_err());
}

#[tokio::test]
async fn words_the_model_tagged_are_not_given_to_a_second_slot() {
    let e = Engine::builder().build().unwrap();
    // The model tags "adele" as the artist; the templates' closest parse
    // reads the same word as the media: one word, one slot.
    let t = e.process_text("put on adele").await.unwrap();
    assert_eq!((t.intent.as_deref(), t.source), (Some("play_media"), Some(ReadBy::Learned)), "{t:?}");
    let slots: Vec<(&str, &str)> = t.slots.iter().map(|s| (s.name.as_str(), s.raw.as_str())).collect();
    assert_eq!(slots, [("artist", "adele")]);
}

#[tokio::test]
async fn a_value_the_tagger_ended_early_is_read_whole_from_the_template() {
    let e = Engine::builder().build().unwrap();
    let raw = |t: &hush::Turn, name: &str| t.slots.iter().find(|s| s.name == name).map(|s| s.raw.clone());
    // The model tags "hotel" alone; the template's value goes on from it.
    let t = e.process_text("i'd like to hear hotel california").await.unwrap();
    assert_eq!((t.intent.as_deref(), t.source), (Some("play_media"), Some(ReadBy::Learned)), "{t:?}");
    assert_eq!(raw(&t, "media").as_deref(), Some("hotel california"));
    // (A session of its own: the message waits for its yes.)
    let t = e.session().process_text("text john i'm on my way").await.unwrap();
    assert_eq!(raw(&t, "message").as_deref(), Some("i'm on my way"), "{t:?}");
    // A fuzzy parse that took in the word before the name ("back lisa")
    // does not replace the tagged one.
    let t = e.process_text("can you pay back lisa seven dollars").await.unwrap();
    assert_eq!((t.intent.as_deref(), raw(&t, "recipient").as_deref()), (Some("transfer_money"), Some("lisa")), "{t:?}");
}

/// The account said is the account asked about, and what a transfer is
/// for is said back; a canteen's own wallet is no account to pay from.
#[tokio::test]
async fn the_account_and_the_purpose_are_said_back() {
    let e = Engine::builder().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    let t = e.session().process_text("send twenty dollars to mum for lunch").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Send $20.00 to mum for lunch?"), "{t:?}");
    let t = e.session().process_text("pay the electricity bill from my savings").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Pay $42.00 for your electricity bill from your savings account?"), "{t:?}");
    let t = e.session().process_text("top up ayu's canteen account with fifty dollars from my savings").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Add $50.00 to the canteen account for ayu from your savings account?"), "{t:?}");
    // A day said is said back; one no reader reads is asked for, not
    // dropped (a yes would have paid at once).
    let t = e.session().process_text("pay my water bill on the 5th").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Pay $18.75 for your water bill on the 5th?"), "{t:?}");
    let s = e.session();
    let t = s.process_text("pay my water bill at the end of the month").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("On which day?"), "{t:?}");
    let t = s.process_text("the 30th").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Pay $18.75 for your water bill on the 30th?"), "{t:?}");
    // Mum's savings are not the account paid from.
    let t = e.session().process_text("send twenty dollars to my mum's savings").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Send $20.00 to mum?"), "{t:?}");
    // Nor is "to my savings": said where money goes, not where it comes from.
    let t = e.session().process_text("send twenty dollars to my savings").await.unwrap();
    assert!(t.slots.iter().all(|s| s.name != "account"), "{t:?}");
    // A ride's kind after its article is read (a ride moves no amount).
    let t = e.session().process_text("we need a shared ride to the convention center").await.unwrap();
    assert_eq!(t.slots.iter().find(|s| s.name == "ride_type").map(|s| s.raw.as_str()), Some("shared"), "{t:?}");
    // The account a payment is made from, however it is introduced.
    for text in
        ["send twenty dollars from my savings to mum", "send twenty dollars to mum using my savings", "send twenty dollars to mum with my savings account"]
    {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!(t.prompt.as_deref(), Some("Send $20.00 to mum from your savings account?"), "{text:?}: {t:?}");
    }
    // Part of a bill is asked for, not paid in full.
    for text in ["pay the minimum on my credit card", "pay half my electricity bill"] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!(t.prompt.as_deref(), Some("How much?"), "{text:?}: {t:?}");
    }
    let t = e.session().process_text("refill the canteen wallet thirty dollars").await.unwrap();
    assert_eq!((t.intent.as_deref(), t.slots.iter().any(|s| s.name == "account")), (Some("top_up_canteen"), false), "{t:?}");
}

/// Thanks or haste after a request are no part of the name before them:
/// the model had tagged "mum thanks", "mum right" and "home thanks".
#[tokio::test]
async fn thanks_and_haste_are_no_part_of_a_name() {
    let e = Engine::builder().dry_run(true).build().unwrap();
    let raw = |t: &hush::Turn, name: &str| t.slots.iter().find(|s| s.name == name).map(|s| s.raw.clone());
    for (text, intent, slot, value) in [
        ("send twenty dollars to mum thanks", "transfer_money", "recipient", "mum"),
        ("send twenty dollars to mum right now", "transfer_money", "recipient", "mum"),
        ("send twenty dollars to mum asap", "transfer_money", "recipient", "mum"),
        ("call mum right now", "call_contact", "contact", "mum"),
        ("navigate home thanks", "navigate_to", "destination", "home"),
        // A filler the tagger took into the name.
        ("send mum like twenty dollars", "transfer_money", "recipient", "mum"),
        // Doubt after a payment.
        ("send twenty dollars to mum maybe", "transfer_money", "recipient", "mum"),
        ("send twenty dollars to mum i guess", "transfer_money", "recipient", "mum"),
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!((t.intent.as_deref(), raw(&t, slot).as_deref()), (Some(intent), Some(value)), "{text:?}: {t:?}");
        assert_eq!(raw(&t, "note"), None, "{text:?}: {t:?}");
    }
    // Where the words are what is asked for, they stay.
    let t = e.session().process_text("play call me maybe").await.unwrap();
    assert_eq!((t.intent.as_deref(), raw(&t, "media").as_deref()), (Some("play_media"), Some("call me maybe")), "{t:?}");
    let t = e.session().process_text("play thank you").await.unwrap();
    assert_eq!((t.intent.as_deref(), raw(&t, "media").as_deref()), (Some("play_media"), Some("thank you")), "{t:?}");
    let t = e.session().process_text("text anna thank you").await.unwrap();
    assert_eq!((t.intent.as_deref(), raw(&t, "message").as_deref()), (Some("send_message"), Some("thank you")), "{t:?}");
}

/// A request corrected as it is said is read as meant: the money goes
/// to dad, not to "mum no dad" or to mum.
#[tokio::test]
async fn a_request_corrected_as_said_is_read_as_meant() {
    let e =
        Engine::builder().languages(&[Language::English, Language::Indonesian]).fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    for (text, question) in [
        ("send twenty dollars to mum no dad", "Send $20.00 to dad?"),
        ("send twenty dollars to mum no wait to dad", "Send $20.00 to dad?"),
        ("send twenty dollars to mum sorry i mean dad", "Send $20.00 to dad?"),
        ("send twenty dollars no thirty dollars to mum", "Send $30.00 to mum?"),
        ("send my sister twenty dollars no my brother", "Send $20.00 to my brother?"),
        ("pay my water bill no my electricity bill", "Pay $42.00 for your electricity bill?"),
        ("send twenty dollars to mum not dad", "Send $20.00 to mum?"),
        ("kirim lima puluh ribu ke budi eh ke andi", "Kirim Rp50.000 ke andi?"),
        ("kirim lima puluh ribu ke budi bukan andi", "Kirim Rp50.000 ke budi?"),
        // No correction: courtesy, and "no" that corrects nothing.
        ("send twenty dollars to mum no rush", "Send $20.00 to mum?"),
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!(t.prompt.as_deref(), Some(question), "{text:?}: {t:?}");
    }
    // What is meant is refused as it would be said plainly.
    for text in [
        "send twenty dollars to mum no wait to mum and dad",
        "send twenty dollars to mum no wait to dad every month",
        "send twenty dollars to mum not dad every month",
        "send twenty dollars to mum no to dad if she asks",
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!((t.intent.as_deref(), t.prompt.as_deref()), (None, None), "{text:?}: {t:?}");
    }
    let e = Engine::builder().dry_run(true).build().unwrap();
    let raw = |t: &hush::Turn, name: &str| t.slots.iter().find(|s| s.name == name).map(|s| s.raw.clone());
    for (text, intent, slot, value) in [
        ("book a ride to the airport no wait to the station", "order_ride", "destination", "the station"),
        ("play jazz no wait play rock", "play_media", "media", "rock"),
        // A number is no dish: "three" corrects how many.
        ("order two pizzas no three", "order_food", "quantity", "three"),
        ("order a large pepperoni pizza no make that two", "order_food", "quantity", "two"),
        ("call mum not dad", "call_contact", "contact", "mum"),
        // A message may say "no".
        ("send a message to sari saying no i mean it", "send_message", "message", "no i mean it"),
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!((t.intent.as_deref(), raw(&t, slot).as_deref()), (Some(intent), Some(value)), "{text:?}: {t:?}");
    }
}

/// A second request joined on to a first is no part of the first's
/// place: "airport and order a pizza" had been the destination.
#[tokio::test]
async fn a_second_request_is_no_part_of_the_first() {
    let e = Engine::builder().languages(&[Language::English, Language::Indonesian]).dry_run(true).build().unwrap();
    let raw = |t: &hush::Turn, name: &str| t.slots.iter().find(|s| s.name == name).map(|s| s.raw.clone());
    for (text, intent, slot, value) in [
        ("book a ride to the airport and order a pizza", "order_ride", "destination", "the airport"),
        ("book a ride to the airport and then call mum", "order_ride", "destination", "the airport"),
        ("take me to the airport and play some jazz", "navigate_to", "destination", "the airport"),
        ("pesan ojek ke bandara dan pesan nasi goreng", "order_ride", "destination", "bandara"),
        // One request: "and" inside a name, or before the request itself.
        ("navigate to marks and spencer", "navigate_to", "destination", "marks and spencer"),
        ("go ahead and pay the tv bill", "pay_bill", "biller", "tv"),
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!((t.intent.as_deref(), raw(&t, slot).as_deref()), (Some(intent), Some(value)), "{text:?}: {t:?}");
    }
    // The second is not done, and the user is told so: before the first
    // one's question (a ride is asked about), or after what was done.
    for (text, told) in [
        ("book a ride to the airport and order a pizza", "Please ask for \"order a pizza\" on its own."),
        ("pesan ojek ke bandara dan pesan nasi goreng", "Silakan minta \"pesan nasi goreng\" secara terpisah."),
    ] {
        let t = e.session().process_text(text).await.unwrap();
        assert!(t.prompt.as_deref().is_some_and(|p| p.starts_with(told) && p.ends_with('?')), "{text:?}: {t:?}");
    }
    let t = e.session().process_text("take me to the airport and play some jazz").await.unwrap();
    let said = t.outcome.map(|o| o.say).unwrap_or_default();
    assert!(said.ends_with("Please ask for \"play some jazz\" on its own."), "{said}");
    let t = e.session().process_text("book a ride to the airport and pay my water bill").await.unwrap();
    let asked = t.prompt.clone().unwrap_or_default();
    assert!(t.intent.as_deref() == Some("order_ride") && asked.starts_with("Please ask for \"pay my water bill\" on its own."), "{t:?}");
    let t = e.session().process_text("navigate to marks and spencer").await.unwrap();
    assert!(t.outcome.as_ref().is_some_and(|o| !o.say.contains("on its own")), "{t:?}");
    // Of two payments, the first is asked about and the second left.
    let t = e.session().process_text("send twenty dollars to mum and pay my water bill").await.unwrap();
    let asked = t.prompt.clone().unwrap_or_default();
    assert!(t.intent.as_deref() == Some("transfer_money") && asked.starts_with("Please ask for \"pay my water bill\" on its own."), "{t:?}");
    let t = e.session().process_text("send twenty dollars to mum and fifty to dad").await.unwrap();
    assert_eq!((t.intent.as_deref(), t.prompt.as_deref()), (None, None), "{t:?}");
}

/// A food order is charged when placed: it is said back, thing by thing
/// and with its total, and placed only on a yes. Several things in one
/// order are one request; a choice between two is left to the user.
#[tokio::test]
async fn an_order_is_said_back_before_it_is_charged() {
    let e = Engine::builder().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    for (text, asked) in [
        ("order a pizza and a coke", "Order 1 pizza and 1 coke from the nearest restaurant for $"),
        ("order two pizzas and three cokes from pizza hut", "Order 2 pizzas and 3 cokes from pizza hut for $"),
        ("get me two cheeseburgers and fries from kfc", "Order 2 cheeseburgers and fries from kfc for $"),
        // The tagger cut these at "and": the name is read whole.
        ("get me fish and chips", "Order 1 fish and chips from the nearest restaurant for $"),
        ("i want a burger and fries and a coke", "Order 1 burger and fries and 1 coke from the nearest restaurant for $"),
    ] {
        let prompt = asked_then_refused(&e, text, "order_food").await;
        assert!(prompt.starts_with(asked), "{text:?}: {prompt}");
    }
    let s = e.session();
    s.process_text("order a pizza").await.unwrap();
    let t = s.process_text("yes").await.unwrap();
    assert_eq!(t.outcome.map(|o| o.status), Some(hush::Status::Done));
    // Not one order: a choice, a repeat, a condition.
    for text in ["order a pizza or a burger", "order a pizza every friday", "order a pizza if it is cheap"] {
        let t = e.session().process_text(text).await.unwrap();
        assert_eq!((t.intent.as_deref(), t.prompt.as_deref()), (None, None), "{text:?}: {t:?}");
    }
}

/// A message is read back before it is sent, whole: what it says ("and
/// ...", "if ...", "every ...", "maybe") asks nothing of hush, though the
/// rules of a confirmed request would refuse or cut such words.
#[tokio::test]
async fn a_message_is_read_back_whole_before_it_is_sent() {
    let e = Engine::builder().languages(&[Language::English, Language::Indonesian]).dry_run(true).build().unwrap();
    for (text, asked) in [
        ("text mum i will be home at six and i will bring milk", "Send \"i will be home at six and i will bring milk\" to mum?"),
        ("tell dad i will call him if i can", "Send \"i will call him if i can\" to dad?"),
        ("text mum i might be late maybe", "Send \"i might be late maybe\" to mum?"),
        ("send a message to sari saying no i mean it", "Send \"no i mean it\" to sarah?"),
        ("kirim pesan ke sari bilang aku telat", "Kirim \"aku telat\" ke sari?"),
    ] {
        assert_eq!(asked_then_refused(&e, text, "send_message").await, asked, "{text:?}");
    }
}

/// The question `text` gets as `intent` in a session of its own, before
/// anything is done; a "no" to it then does nothing.
async fn asked_then_refused(e: &Engine, text: &str, intent: &str) -> String {
    let s = e.session();
    let t = s.process_text(text).await.unwrap();
    assert!(t.intent.as_deref() == Some(intent) && t.outcome.is_none(), "{text:?}: {t:?}");
    let t2 = s.process_text("no").await.unwrap();
    assert_eq!(t2.outcome.map(|o| o.status), Some(hush::Status::Aborted), "{text:?}");
    t.prompt.unwrap_or_default()
}

/// A name ends before the day said after it, read or not: the model had
/// tagged "mum after payday" and "mum tomorrow".
#[tokio::test]
async fn a_name_ends_before_the_day() {
    let e = Engine::builder().languages(&[Language::English, Language::Indonesian]).dry_run(true).build().unwrap();
    for (text, asked) in
        [("send twenty dollars to mum after payday", true), ("send some money to mum tomorrow", false), ("kirim dua ratus ribu ke budi pas gajian", true)]
    {
        let t = e.session().process_text(text).await.unwrap();
        let to = t.slots.iter().find(|s| s.name == "recipient").map(|s| s.raw.as_str());
        assert!(matches!(to, Some("mum" | "budi")), "{text:?}: {t:?}");
        assert_eq!(t.prompt.as_deref().is_some_and(|p| p == "On which day?" || p == "Tanggal berapa?"), asked, "{text:?}: {t:?}");
    }
}

#[tokio::test]
async fn a_listed_phrase_fills_a_slot_neither_reader_filled() {
    let e = Engine::builder().build().unwrap();
    let value = |t: &hush::Turn, name: &str| t.slots.iter().find(|s| s.name == name).map(|s| s.value.clone());
    // The model reads the intents but tags no slot in these.
    let t = e.process_text("warm up the car").await.unwrap();
    assert_eq!((t.intent.as_deref(), t.source), (Some("set_temperature"), Some(ReadBy::Learned)), "{t:?}");
    assert_eq!(value(&t, "direction"), Some(Value::Text("warmer".into())));
    let t = e.process_text("the car needs fuel").await.unwrap();
    assert_eq!((t.intent.as_deref(), value(&t, "place")), (Some("find_nearby"), Some(Value::Text("fuel".into()))), "{t:?}");
}

#[test]
fn a_filler_alone_fills_no_slot() {
    use hush::parts::{builtin_learned, nlu, Understanding, BUILTIN_THRESHOLD};
    let matcher = nlu::Matcher::new(nlu::IntentSet::builtin().unwrap(), nlu::MatchParams::default());
    let u = Understanding::new(matcher).with_builtin_model(builtin_learned().unwrap().unwrap(), BUILTIN_THRESHOLD);
    // "me" is a value of the school's student list, but here it is only
    // the one who wants to see.
    let read = u.read("let me see aisha's results").unwrap();
    assert_eq!(read.intent.name, "check_grades");
    assert!(read.intent.slots.iter().all(|s| s.raw != "me"), "{:?}", read.intent.slots);
}
