//! Intent files in more than one language: each file's built-in slots read
//! values the way its language says them, in one set.

use hush_nlu::{sample, IntentSet, Language, MatchParams, Matcher, Money, Time, Value};

const ID: &str = r#"
language: id
domain: pembayaran
intents:
  pay_bill:
    confirm: true
    slots:
      biller: wildcard
      amount: money
    templates:
      - "bayar tagihan {biller} [sebesar] {amount}"
  set_alarm:
    slots:
      when: time
    templates:
      - "(bangunkan saya|pasang alarm) {when}"
"#;

const EN: &str = r#"
domain: payments
intents:
  transfer_money:
    slots:
      amount: money
      recipient: wildcard
    templates:
      - "send {amount} to {recipient}"
"#;

fn matcher() -> Matcher {
    let set = IntentSet::from_sources(&[("id.yaml", ID), ("en.yaml", EN)]).unwrap_or_else(|e| panic!("{e}"));
    Matcher::new(set, MatchParams::default())
}

fn slot(m: &Matcher, text: &str, name: &str) -> Value {
    let i = m.parse(text).unwrap_or_else(|| panic!("{text:?} not understood"));
    i.slots.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{text:?}: no {name} in {:?}", i.slots)).value.clone()
}

fn rupiah(major: i64) -> Value {
    Value::Money(Money { minor: major * 100, exponent: 2, currency: Some("IDR".into()) })
}

#[test]
fn each_file_reads_values_in_its_language() {
    let m = matcher();
    assert_eq!(m.intents().intent("pay_bill").unwrap().language, Language::Indonesian);
    assert_eq!(m.intents().intent("transfer_money").unwrap().language, Language::English);
    assert_eq!(slot(&m, "bayar tagihan listrik lima puluh ribu rupiah", "amount"), rupiah(50_000));
    assert_eq!(slot(&m, "Bayar tagihan PLN sebesar Rp 1.250.000", "amount"), rupiah(1_250_000));
    assert_eq!(slot(&m, "bayar tagihan air dua juta setengah", "amount"), rupiah(2_500_000));
    assert_eq!(slot(&m, "bangunkan saya jam lima sore", "when"), Value::Time(Time::At { hour: 17, minute: 0, certain: true }));
    assert_eq!(slot(&m, "pasang alarm setengah tujuh", "when"), Value::Time(Time::At { hour: 6, minute: 30, certain: false }));
    let usd = Value::Money(Money { minor: 4_200, exponent: 2, currency: Some("USD".into()) });
    assert_eq!(slot(&m, "send forty two dollars to Budi", "amount"), usd);
    // English number words are not Indonesian ones, and the other way round.
    assert!(m.parse("bayar tagihan listrik forty two").is_none_or(|i| i.slots.iter().all(|s| s.value != rupiah(42))));
    assert!(m.parse("send lima puluh ribu to Budi").is_none_or(|i| i.slots.iter().all(|s| !matches!(s.value, Value::Money(_)))));
}

#[test]
fn generated_indonesian_sentences_round_trip() {
    let m = matcher();
    let samples = sample(m.intents(), 12, 3);
    let id: Vec<_> = samples.iter().filter(|s| s.intent != "transfer_money").collect();
    assert!(id.len() >= 12, "{} Indonesian samples", id.len());
    for s in id {
        let got = m.parse(&s.text).unwrap_or_else(|| panic!("{:?} not understood", s.text));
        assert_eq!(got.name, s.intent, "{:?}", s.text);
        for (name, want) in &s.slots {
            let v = &got.slots.iter().find(|x| &x.name == name).unwrap_or_else(|| panic!("{:?}: no {name}", s.text)).value;
            assert_eq!(v, want, "{:?}: {name}", s.text);
        }
    }
}

#[test]
fn the_builtin_domains_in_three_languages_make_one_set() {
    let set = IntentSet::builtin_for(&[Language::English, Language::Indonesian, Language::Mandarin]).unwrap_or_else(|e| panic!("{e}"));
    let count = |l| set.intents.iter().filter(|i| i.language == l).count();
    assert_eq!((count(Language::English), count(Language::Indonesian)), (24, 24));
    assert!(count(Language::Mandarin) >= 5);
    let m = Matcher::new(set, MatchParams::default());
    for (text, intent, language) in [
        ("book me a ride to the airport", "order_ride", Language::English),
        ("pesan ojek ke bandara", "order_ride", Language::Indonesian),
        ("打车去机场", "order_ride", Language::Mandarin),
        ("pay my electricity bill of forty two dollars", "pay_bill", Language::English),
        ("bayar tagihan listrik lima puluh ribu rupiah", "pay_bill", Language::Indonesian),
        ("kirim lima puluh ribu ke Budi", "transfer_money", Language::Indonesian),
        ("navigate home", "navigate_to", Language::English),
        ("arahkan ke rumah", "navigate_to", Language::Indonesian),
    ] {
        let i = m.parse(text).unwrap_or_else(|| panic!("{text:?} not understood"));
        assert_eq!((i.name.as_str(), i.language), (intent, language), "{text:?}");
    }
    // Values read in the sentence's language.
    assert_eq!(slot(&m, "kirim lima puluh ribu ke Budi", "amount"), rupiah(50_000));
    let usd = Value::Money(Money { minor: 4_200, exponent: 2, currency: Some("USD".into()) });
    assert_eq!(slot(&m, "pay my electricity bill of forty two dollars", "amount"), usd);
    // A question is answered with the lists of the language it was asked in.
    let answers = |l| m.slot_answers("order_ride", l, "destination").unwrap();
    let place = |a: hush_nlu::SlotAnswers, text: &str| a.read(&m, text).map(|s| s.value);
    assert_eq!(place(answers(Language::Indonesian), "ke bandara"), place(answers(Language::English), "to the airport"));
    assert!(place(answers(Language::Indonesian), "ke bandara").is_some());
}

#[test]
fn an_intent_in_two_languages_keeps_its_slots_and_its_confirmation() {
    let en = "intents:\n  pay_bill:\n    confirm: true\n    slots:\n      amount: money\n    templates:\n      - \"pay {amount}\"\n";
    let id_other_slot = "language: id\nintents:\n  pay_bill:\n    confirm: true\n    slots:\n      jumlah: money\n    templates:\n      - \"bayar {jumlah}\"\n";
    let id_no_confirm = "language: id\nintents:\n  pay_bill:\n    slots:\n      amount: money\n    templates:\n      - \"bayar {amount}\"\n";
    let e = IntentSet::from_sources(&[("en.yaml", en), ("id.yaml", id_other_slot)]).unwrap_err().to_string();
    assert!(e.starts_with("id.yaml:") && e.contains("[jumlah]") && e.contains("[amount]"), "{e}");
    let e = IntentSet::from_sources(&[("en.yaml", en), ("id.yaml", id_no_confirm)]).unwrap_err().to_string();
    assert!(e.contains("confirms in every language"), "{e}");
    // Within one language a name is still defined once.
    let e = IntentSet::from_sources(&[("a.yaml", en), ("b.yaml", en)]).unwrap_err().to_string();
    assert!(e.contains("defined twice"), "{e}");
    // Lists and rules of the same name in two languages are two lists.
    let en = "lists:\n  fruit:\n    values: [apple]\nrules:\n  want: \"i want\"\nintents:\n  order:\n    slots:\n      item: fruit\n    templates:\n      - \"<want> {item}\"\n";
    let id = "language: id\nlists:\n  fruit:\n    values:\n      - in: apel\n        out: apple\nrules:\n  want: \"saya mau\"\nintents:\n  order:\n    slots:\n      item: fruit\n    templates:\n      - \"<want> {item}\"\n";
    let m = Matcher::new(IntentSet::from_sources(&[("en.yaml", en), ("id.yaml", id)]).unwrap_or_else(|e| panic!("{e}")), MatchParams::default());
    for (text, language) in [("i want apple", Language::English), ("saya mau apel", Language::Indonesian)] {
        let i = m.parse(text).unwrap_or_else(|| panic!("{text:?}"));
        assert_eq!((i.language, i.cost), (language, 0.0), "{text:?}");
        assert_eq!(i.slots[0].value, Value::Text("apple".into()));
    }
    assert!(m.parse("saya mau apple").is_none_or(|i| i.cost > 0.0));
}
