//! What the reference actions say, in the language of the request
//! (`Intent::language`): their sentences, amounts of money, durations,
//! days and the names of the values they store (stored in English, the
//! intent files' canonical values).

use hush_actions::fill;
use hush_nlu::{Date, Language, Time, Value};

/// One sentence in each language the reference actions speak; `{name}`s
/// are filled in by [`Says::line`].
pub(crate) struct Line {
    en: &'static str,
    id: &'static str,
}

macro_rules! lines {
    ($($name:ident: $en:literal, $id:literal;)*) => {
        $(pub(crate) const $name: Line = Line { en: $en, id: $id };)*
    };
}

lines! {
    NEED_CONFIRMATION: "Payments need your confirmation first.", "Pembayaran perlu konfirmasi Anda dulu.";
    ALREADY_PAID: "Already done: that {amount} to {payee} went through a moment ago.", "Sudah beres: {amount} ke {payee} tadi sudah masuk.";
    NO_ACCOUNT: "you have no {account} account", "Anda tidak punya rekening {account}";
    NO_BILL: "I don't have a {payee} bill on file, so I can't pay it.", "Tagihan {payee} tidak ada di data saya, jadi tidak bisa saya bayar.";
    BILL_PAID_UP: "Your {payee} bill is already paid.", "Tagihan {payee} Anda sudah lunas.";
    BILL_CURRENCY: "Your {payee} bill is in {currency}; I can't pay it in {other}.", "Tagihan {payee} Anda dalam {currency}; tidak bisa saya bayar dalam {other}.";
    NOT_ENOUGH: "Your {account} account has {balance}, not enough for {amount}.", "Saldo rekening {account} Anda {balance}, tidak cukup untuk {amount}.";
    PAID_BILL: "Paid {amount} for your {payee} bill. {left} left in your {account} account.", "Tagihan {payee} sebesar {amount} sudah dibayar. Sisa saldo rekening {account}: {left}.";
    TOPPED_UP: "Added {amount} to {payee}'s canteen account. {left} left in your {account} account.", "Saldo kantin {payee} sudah ditambah {amount}. Sisa saldo rekening {account}: {left}.";
    SENT: "Sent {amount} to {payee}. {left} left in your {account} account.", "{amount} sudah dikirim ke {payee}. Sisa saldo rekening {account}: {left}.";
    BALANCE: "Your {account} account has {amount}.", "Saldo rekening {account} Anda {amount}.";
    WRONG_CURRENCY: "Your {account} account is in {currency}; I can't pay in {other}.", "Rekening {account} Anda dalam {currency}; saya tidak bisa membayar dalam {other}.";
    TOO_FINE: "{currency} has no amounts that small", "{currency} tidak punya satuan sekecil itu";
    TOO_MUCH: "the most I can move at once is {amount}", "paling banyak {amount} sekali jalan";
    NOT_MONEY: "it is not an amount of money", "itu bukan jumlah uang";
    NOT_PAYABLE: "that is not an amount I can pay", "jumlah itu tidak bisa saya bayar";
    NOT_POSITIVE: "the amount must be more than zero", "jumlahnya harus lebih dari nol";
    ASK_BILL_AMOUNT: "Pay {amount} for your {payee} bill{from}?", "Bayar tagihan {payee} {amount}{from}?";
    ASK_BILL: "Pay your {payee} bill{from}?", "Bayar tagihan {payee}{from}?";
    ASK_FROM: " from your {account} account", " dari rekening {account}";
    ASK_TRANSFER: "Send {amount} to {payee}{from}?", "Kirim {amount} ke {payee}{from}?";
    ASK_CANTEEN: "Add {amount} to the canteen account{who}?", "Isi saldo kantin{who} {amount}?";
    ASK_CANTEEN_WHO: " for {student}", " {student}";
    THE_STUDENT: "the student", "siswa";
    CANT_DO: "{what} can't do {intent}.", "{what} tidak bisa {intent}.";
    PAYMENTS: "Payments", "Pembayaran";
    RIDES: "Rides", "Perjalanan";
    FOOD: "Food", "Pesan makanan";
    RIDE_REQUESTED: "Looking for a driver for your ride to {destination}; pickup in about {eta}.", "Sedang mencari pengemudi untuk perjalanan ke {destination}; dijemput sekitar {eta} lagi.";
    RIDE_ASSIGNED: "{driver} is on the way in {car}, arriving in {eta}.", "{driver} sedang menuju ke sini dengan {car}, tiba {eta} lagi.";
    RIDE_ARRIVING: "{driver} is almost there: look for {car}.", "{driver} hampir sampai: cari {car}.";
    RIDE_ON_TRIP: "You are on your way to {destination}, about {eta} to go.", "Anda sedang menuju {destination}, sekitar {eta} lagi.";
    RIDE_CANCELLED: "Your ride to {destination} was cancelled.", "Perjalanan ke {destination} sudah dibatalkan.";
    RIDE_SCHEDULED: "Your ride to {destination} is scheduled for {when}.", "Perjalanan ke {destination} dijadwalkan {when}.";
    RIDE_COMPLETE: "Your ride to {destination} is complete.", "Perjalanan ke {destination} sudah selesai.";
    ALREADY_BOOKED: "Already booked. {status}", "Sudah dipesan. {status}";
    RIDE_EXISTS: "You already have a ride to {destination}. Cancel it first if you want a new one.", "Anda sudah punya perjalanan ke {destination}. Batalkan dulu kalau mau pesan yang baru.";
    FROM_PICKUP: " from {pickup}", " dari {pickup}";
    RIDE_BOOKED_LATER: "Scheduled a {ride_type} ride to {destination}{from} for {when}: fare about {fare}. A driver will be assigned before pickup.", "Perjalanan {ride_type} ke {destination}{from} dijadwalkan {when}: tarif sekitar {fare}. Pengemudi ditentukan sebelum penjemputan.";
    RIDE_BOOKED: "Booked a {ride_type} ride to {destination}{from}: fare about {fare}, pickup in about {eta}. I'll tell you when a driver is assigned.", "Perjalanan {ride_type} ke {destination}{from} sudah dipesan: tarif sekitar {fare}, dijemput sekitar {eta} lagi. Saya kabari kalau pengemudi sudah didapat.";
    NO_RIDE: "You have no ride booked.", "Anda belum memesan perjalanan.";
    RIDE_CANCELLED_NOW: "Cancelled your ride to {destination}.", "Perjalanan ke {destination} dibatalkan.";
    NO_RIDE_TO_CANCEL: "You have no ride to cancel.", "Tidak ada perjalanan yang bisa dibatalkan.";
    ORDER_EXISTS: "That order is already placed, arriving in about {eta}.", "Pesanan itu sudah dibuat, tiba sekitar {eta} lagi.";
    QUANTITY: "I can order between 1 and 50", "saya bisa memesan 1 sampai 50";
    NEAREST_RESTAURANT: "the nearest restaurant", "restoran terdekat";
    ORDERED: "Ordered {quantity} {dish} from {restaurant}: {total}, arriving in about {eta}.", "{quantity} {dish} dari {restaurant} sudah dipesan: {total}, tiba sekitar {eta} lagi.";
    NO_FOOD: "You have no food order.", "Anda belum memesan makanan.";
    ORDER_PLACED: "{restaurant} has your order of {dish}.", "{restaurant} sudah menerima pesanan {dish} Anda.";
    ORDER_PREPARING: "Your {dish} is being prepared, arriving in about {eta}.", "{dish} Anda sedang disiapkan, tiba sekitar {eta} lagi.";
    ORDER_ON_THE_WAY: "Your {dish} is on the way, about {eta} out.", "{dish} Anda sedang diantar, sekitar {eta} lagi.";
    ORDER_DELIVERED: "Your {dish} was delivered.", "{dish} Anda sudah sampai.";
}

/// Stored values (the intent files' canonical English ones) as an
/// Indonesian speaker names them; values not here are said as stored.
const NAMES_ID: &[(&str, &str)] = &[
    ("electricity", "listrik"),
    ("water", "air"),
    ("phone", "pulsa"),
    ("credit card", "kartu kredit"),
    ("insurance", "asuransi"),
    ("tv", "TV kabel"),
    ("rent", "sewa"),
    ("school fees", "SPP"),
    ("main", "utama"),
    ("savings", "tabungan"),
    ("wallet", "dompet"),
    ("standard", "biasa"),
    ("premium", "eksekutif"),
    ("xl", "mobil besar"),
    ("bike", "motor"),
    ("shared", "bareng"),
    ("airport", "bandara"),
    ("home", "rumah"),
    ("work", "kantor"),
    ("train station", "stasiun"),
    ("a white Toyota Avanza, B 1234 XYZ", "Toyota Avanza putih, B 1234 XYZ"),
    ("a silver Honda Jazz, B 5521 KLM", "Honda Jazz perak, B 5521 KLM"),
    ("a black Toyota Innova, B 8810 QRS", "Toyota Innova hitam, B 8810 QRS"),
    ("a grey Suzuki Ertiga, B 3307 TUV", "Suzuki Ertiga abu-abu, B 3307 TUV"),
    ("a blue Daihatsu Xenia, B 4419 ABC", "Daihatsu Xenia biru, B 4419 ABC"),
    ("the nearest restaurant", "restoran terdekat"),
    ("the student", "siswa"),
];

/// How the reference actions speak to one request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Says(pub Language);

impl Says {
    pub fn line(self, line: &Line, args: &[(&str, &str)]) -> String {
        fill(self.text(line), args)
    }

    pub fn text(self, line: &Line) -> &'static str {
        match self.0 {
            Language::English => line.en,
            Language::Indonesian => line.id,
        }
    }

    /// A stored value as this language names it.
    pub fn name(self, value: &str) -> String {
        match self.0 {
            Language::Indonesian => NAMES_ID.iter().find(|(en, _)| *en == value).map_or(value, |(_, id)| id).to_owned(),
            Language::English => value.to_owned(),
        }
    }

    /// `minor` units of `currency` as people here write it: "$42.00",
    /// "Rp 50,000.00" in English; a dot between thousands and a comma
    /// before the fraction in Indonesian, rupiah without a fraction of
    /// zero ("Rp50.000", "US$42,00").
    pub fn money(self, minor: i64, currency: &str) -> String {
        let amount = match self.0 {
            Language::English => digits(minor, currency, ',', '.'),
            Language::Indonesian if currency == "IDR" => {
                let a = digits(minor, currency, '.', ',');
                a.strip_suffix(",00").map_or(a.clone(), str::to_owned)
            }
            Language::Indonesian => digits(minor, currency, '.', ','),
        };
        match symbol(currency, self.0) {
            Some(sign) => format!("{sign}{amount}"),
            None => format!("{amount} {currency}"),
        }
    }

    /// "a minute", "12 minutes".
    pub fn minutes(self, s: i64) -> String {
        let m = (s.max(0) + 59) / 60;
        match (self.0, m) {
            (Language::English, 0 | 1) => "a minute".to_owned(),
            (Language::English, m) => format!("{m} minutes"),
            (Language::Indonesian, 0 | 1) => "semenit".to_owned(),
            (Language::Indonesian, m) => format!("{m} menit"),
        }
    }

    /// "tomorrow at 5:30 pm", "next friday"; "besok jam 17.30", "Jumat
    /// depan": a pickup as a person says it.
    pub fn when(self, date: Option<&Value>, time: Option<&Value>) -> String {
        let (days, months, today, tomorrow, later) = match self.0 {
            Language::English => (DAYS_EN, MONTHS_EN, "today", "tomorrow", "later"),
            Language::Indonesian => (DAYS_ID, MONTHS_ID, "hari ini", "besok", "nanti"),
        };
        let en = self.0 == Language::English;
        let day = match date {
            Some(Value::Date(Date::Relative { days: 0 })) => Some(today.to_owned()),
            Some(Value::Date(Date::Relative { days: 1 })) => Some(tomorrow.to_owned()),
            Some(Value::Date(Date::Relative { days })) if en => Some(format!("in {days} days")),
            Some(Value::Date(Date::Relative { days })) => Some(format!("{days} hari lagi")),
            Some(Value::Date(Date::Weekday { weekday, next })) => {
                let d = days[usize::from(*weekday).min(6)];
                Some(match (*next, en) {
                    (false, _) => d.to_owned(),
                    (true, true) => format!("next {d}"),
                    (true, false) => format!("{d} depan"),
                })
            }
            Some(Value::Date(Date::Calendar { month: Some(m), day })) => {
                let month = months[usize::from(m.clamp(&1, &12) - 1)];
                Some(if en { format!("{month} {day}") } else { format!("{day} {month}") })
            }
            Some(Value::Date(Date::Calendar { month: None, day })) => Some(if en { format!("the {day}") } else { format!("tanggal {day}") }),
            _ => None,
        };
        let clock = match time {
            Some(Value::Time(Time::At { hour, minute, certain: true })) if en => {
                let h12 = if hour % 12 == 0 { 12 } else { hour % 12 };
                Some(format!("{h12}:{minute:02} {}", if *hour < 12 { "am" } else { "pm" }))
            }
            Some(Value::Time(Time::At { hour, minute, .. })) if en => Some(format!("{hour}:{minute:02}")),
            Some(Value::Time(Time::At { hour, minute, .. })) => Some(format!("jam {hour:02}.{minute:02}")),
            Some(Value::Time(Time::In { seconds })) => {
                let span = self.minutes(i64::try_from(*seconds).unwrap_or(i64::MAX / 2));
                Some(if en { format!("in {span}") } else { format!("{span} lagi") })
            }
            _ => None,
        };
        match (day, clock) {
            (Some(d), Some(c)) if en => format!("{d} at {c}"),
            (Some(d), Some(c)) => format!("{d} {c}"),
            (Some(d), None) => d,
            (None, Some(c)) => c,
            (None, None) => later.to_owned(),
        }
    }
}

const DAYS_EN: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const MONTHS_EN: [&str; 12] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DAYS_ID: [&str; 7] = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"];
const MONTHS_ID: [&str; 12] = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];

/// `minor` units of `currency` for English readers: "$42.00",
/// "Rp 50,000.00", "¥1,000" for yen, "200.00 CNY".
pub fn fmt_money(minor: i64, currency: &str) -> String {
    Says(Language::English).money(minor, currency)
}

/// The sign written before an amount of `currency`, if it has one.
fn symbol(currency: &str, language: Language) -> Option<&'static str> {
    Some(match (currency, language) {
        ("USD", Language::English) => "$",
        ("USD", Language::Indonesian) => "US$",
        ("IDR", Language::English) => "Rp ",
        ("IDR", Language::Indonesian) => "Rp",
        ("EUR", _) => "€",
        ("GBP", _) => "£",
        ("JPY", _) => "¥",
        ("INR", _) => "₹",
        _ => return None,
    })
}

/// ISO 4217's minor-unit digits for a ledger currency (2 if hush does not
/// know it).
pub(crate) fn exponent(currency: &str) -> u8 {
    hush_nlu::exponent_of(currency).unwrap_or(2)
}

/// The amount's digits in `currency`'s minor unit, thousands grouped.
fn digits(minor: i64, currency: &str, group: char, point: char) -> String {
    let plain = hush_nlu::decimal(minor, exponent(currency));
    let (units, frac) = plain.split_once('.').map_or((plain.as_str(), None), |(u, f)| (u, Some(f)));
    let (sign, digits) = units.strip_prefix('-').map_or(("", units), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().rev().enumerate() {
        if i > 0 && i % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let whole: String = grouped.chars().rev().collect();
    match frac {
        Some(f) => format!("{sign}{whole}{point}{f}"),
        None => format!("{sign}{whole}"),
    }
}
