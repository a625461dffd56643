//! The built-in domains in Bahasa Indonesia (`intents/id/`): the same 24
//! intents and slot names as English, every template round-trips, and
//! commands as people say them read with the right slots.

mod common;

use hush_nlu::{Date, IntentSet, Language, MatchParams, Matcher, Money, Time, Value};

fn matcher() -> Matcher {
    Matcher::new(IntentSet::builtin_in(Language::Indonesian).unwrap_or_else(|e| panic!("{e}")), MatchParams::default())
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn rupiah(major: i64) -> Value {
    Value::Money(Money { minor: major * 100, exponent: 2, currency: Some("IDR".into()) })
}

#[test]
fn the_same_intents_and_slots_as_english() {
    let (en, id) = (IntentSet::builtin().unwrap(), IntentSet::builtin_in(Language::Indonesian).unwrap());
    let names = |s: &IntentSet| {
        let mut v: Vec<(String, Vec<String>, bool)> = s
            .intents
            .iter()
            .map(|i| {
                let mut slots: Vec<String> = i.slots.iter().map(|x| x.name.clone()).collect();
                slots.sort();
                (i.name.clone(), slots, i.confirm)
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&en), names(&id));
    assert!(id.intents.iter().all(|i| i.language == Language::Indonesian));
    for i in &id.intents {
        assert!(i.templates.len() >= 10, "{}: {} templates", i.name, i.templates.len());
    }
}

#[test]
fn commands_as_people_say_them() {
    let m = matcher();
    #[rustfmt::skip]
    let table: Vec<common::Said> = vec![
        ("pesan ojek ke bandara", "order_ride", vec![("destination", text("airport"))]),
        ("pesan ojek ke Stasiun Gambir", "order_ride", vec![("destination", text("Stasiun Gambir"))]),
        ("pesan taksi ke bandara besok jam tujuh pagi", "order_ride", vec![("destination", text("airport")), ("date", Value::Date(Date::Relative { days: 1 })), ("time", Value::Time(Time::At { hour: 7, minute: 0, certain: true }))]),
        ("batalkan perjalanan", "cancel_ride", vec![]),
        ("bayar tagihan PLN", "pay_bill", vec![("biller", text("electricity"))]),
        ("bayar tagihan listrik lima puluh ribu rupiah", "pay_bill", vec![("biller", text("electricity")), ("amount", rupiah(50_000))]),
        ("kirim lima puluh ribu ke Budi", "transfer_money", vec![("amount", rupiah(50_000)), ("recipient", text("budi"))]),
        ("cek saldo", "check_balance", vec![]),
        ("bayar pakai QRIS", "scan_to_pay", vec![]),
        ("pesan dua nasi goreng", "order_food", vec![("quantity", Value::Integer(2)), ("dish", text("fried rice"))]),
        ("pesanan saya sudah sampai mana", "track_order", vec![]),
        ("lihat nilai matematika Ayu", "check_grades", vec![("subject", text("maths")), ("student", text("ayu"))]),
        ("isi saldo kantin dua puluh ribu", "top_up_canteen", vec![("amount", rupiah(20_000))]),
        ("telepon Ibu", "call_contact", vec![("contact", text("ibu"))]),
        ("video call Bapak", "video_call", vec![("contact", text("bapak"))]),
        ("kirim pesan ke Sari", "send_message", vec![("contact", text("sari"))]),
        ("arahkan ke rumah", "navigate_to", vec![("destination", text("home"))]),
        ("cari SPBU terdekat", "find_nearby", vec![("place", text("fuel"))]),
        ("putar lagu dangdut", "play_media", vec![("media", text("dangdut"))]),
        ("atur suhu dua puluh derajat", "set_temperature", vec![("temperature", Value::Number(20.0))]),
        ("kecilkan volume", "adjust_volume", vec![("direction", text("down"))]),
        ("iya", "confirm", vec![]),
        ("tidak", "deny", vec![]),
        ("batal", "cancel", vec![]),
        ("ulangi", "repeat", vec![]),
        ("bantuan", "help", vec![]),
    ];
    common::assert_commands(&m, &table);
}

/// Colloquial forms the templates were widened for (the second written
/// pass's tune half, benches/paraphrases/written_id_2.txt): "-in" verbs,
/// one-word replies that are also skip words, open values that stop at
/// "terdekat" or "gak".
#[test]
fn colloquial_forms() {
    let m = matcher();
    #[rustfmt::skip]
    let table: Vec<common::Said> = vec![
        ("ya", "confirm", vec![]),
        ("tolong", "help", vec![]),
        ("kecilin volumenya", "adjust_volume", vec![("direction", text("down"))]),
        ("panasin sedikit", "set_temperature", vec![("direction", text("warmer"))]),
        ("teleponin mama", "call_contact", vec![("contact", text("mama"))]),
        ("cari masjid terdekat", "find_nearby", vec![("place", text("mosque"))]),
        ("transfer tiga ratus ribu dari tabungan ke ibu", "transfer_money", vec![("amount", rupiah(300_000)), ("account", text("savings")), ("recipient", text("ibu"))]),
        ("drivernya masih jauh gak", "ride_status", vec![]),
        ("perjalanannya dibatalkan saja", "cancel_ride", vec![]),
        ("mau ke rumah nenek pesenin grab dong", "order_ride", vec![("destination", text("rumah nenek"))]),
    ];
    common::assert_commands(&m, &table);
    // "kirim" alone sends messages and money: an unknown thing sent is not a food order.
    assert_eq!(m.parse("kirim doa untuk nenek").map(|i| i.name), None);
}

#[test]
fn every_indonesian_template_round_trips() {
    common::assert_every_template_round_trips(&matcher(), 6, 11);
}

#[test]
fn indonesian_fillers_cost_less_than_other_words() {
    let m = matcher();
    let conf = |s: &str| m.parse(s).filter(|p| p.name == "order_ride").map_or(0.0, |p| p.confidence);
    // "anu" (a hesitation) is a filler in Indonesian; "the" is one in
    // English only, and "kucing" (cat) is none.
    let (filler, english, other) = (conf("pesan anu ojek ke bandara"), conf("pesan the ojek ke bandara"), conf("pesan kucing ojek ke bandara"));
    assert!(filler > english && filler > other, "anu {filler}, the {english}, kucing {other}");
    let en = Matcher::new(IntentSet::builtin().unwrap(), MatchParams::default());
    let conf_en = |s: &str| en.parse(s).filter(|p| p.name == "order_ride").map_or(0.0, |p| p.confidence);
    assert!(conf_en("book me the a ride to the airport") > conf_en("book me anu a ride to the airport"));
}
