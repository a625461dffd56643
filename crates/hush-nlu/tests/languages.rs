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
