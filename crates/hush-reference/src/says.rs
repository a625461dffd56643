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
    zh: &'static str,
}

macro_rules! lines {
    ($($name:ident: $en:literal, $id:literal, $zh:literal;)*) => {
        $(pub(crate) const $name: Line = Line { en: $en, id: $id, zh: $zh };)*
    };
}

lines! {
    NEED_CONFIRMATION: "Payments need your confirmation first.", "Pembayaran perlu konfirmasi Anda dulu.", "付款需要您先确认。";
    ALREADY_PAID: "Already done: that {amount} to {payee} went through a moment ago.", "Sudah beres: {amount} ke {payee} tadi sudah masuk.", "已经完成：{amount}刚才已转给{payee}。";
    NO_ACCOUNT: "you have no {account} account", "Anda tidak punya rekening {account}", "您没有{account}账户";
    NO_BILL: "I don't have a {payee} bill on file, so I can't pay it.", "Tagihan {payee} tidak ada di data saya, jadi tidak bisa saya bayar.", "我这里没有{payee}的账单，所以没法付。";
    BILL_PAID_UP: "Your {payee} bill is already paid.", "Tagihan {payee} Anda sudah lunas.", "您的{payee}账单已经付清了。";
    BILL_CURRENCY: "Your {payee} bill is in {currency}; I can't pay it in {other}.", "Tagihan {payee} Anda dalam {currency}; tidak bisa saya bayar dalam {other}.", "您的{payee}账单是{currency}，不能用{other}付。";
    NOT_ENOUGH: "Your {account} account has {balance}, not enough for {amount}.", "Saldo rekening {account} Anda {balance}, tidak cukup untuk {amount}.", "您的{account}账户只有{balance}，不够{amount}。";
    PAID_BILL: "Paid {amount} for your {payee} bill. {left} left in your {account} account.", "Tagihan {payee} sebesar {amount} sudah dibayar. Sisa saldo rekening {account}: {left}.", "已付{payee}{amount}。{account}账户还剩{left}。";
    TOPPED_UP: "Added {amount} to {payee}'s canteen account. {left} left in your {account} account.", "Saldo kantin {payee} sudah ditambah {amount}. Sisa saldo rekening {account}: {left}.", "已给{payee}的饭卡充值{amount}。{account}账户还剩{left}。";
    SCHEDULED_BILL: "Your {payee} bill of {amount} will be paid {when}; the money is set aside now. {left} left in your {account} account.", "Tagihan {payee} sebesar {amount} akan dibayar {when}; dananya disisihkan sekarang. Sisa saldo rekening {account}: {left}.", "{payee}账单{amount}将于{when}支付，现已预留。{account}账户还剩{left}。";
    SCHEDULED: "{amount} to {payee} will be paid {when}; it is set aside now. {left} left in your {account} account.", "{amount} ke {payee} akan dibayar {when}; dananya disisihkan sekarang. Sisa saldo rekening {account}: {left}.", "{amount}将于{when}付给{payee}，现已预留。{account}账户还剩{left}。";
    SENT: "Sent {amount} to {payee}. {left} left in your {account} account.", "{amount} sudah dikirim ke {payee}. Sisa saldo rekening {account}: {left}.", "已给{payee}转账{amount}。{account}账户还剩{left}。";
    BALANCE: "Your {account} account has {amount}.", "Saldo rekening {account} Anda {amount}.", "您的{account}账户有{amount}。";
    WRONG_CURRENCY: "Your {account} account is in {currency}; I can't pay in {other}.", "Rekening {account} Anda dalam {currency}; saya tidak bisa membayar dalam {other}.", "您的{account}账户是{currency}，不能用{other}付款。";
    TOO_FINE: "{currency} has no amounts that small", "{currency} tidak punya satuan sekecil itu", "{currency}没有这么小的单位";
    TOO_MUCH: "the most I can move at once is {amount}", "paling banyak {amount} sekali jalan", "一次最多只能转{amount}";
    NOT_MONEY: "it is not an amount of money", "itu bukan jumlah uang", "这不是金额";
    NOT_PAYABLE: "that is not an amount I can pay", "jumlah itu tidak bisa saya bayar", "这个金额没法付";
    NOT_POSITIVE: "the amount must be more than zero", "jumlahnya harus lebih dari nol", "金额必须大于零";
    ASK_BILL_AMOUNT: "Pay {amount} for your {payee} bill{from}{when}?", "Bayar tagihan {payee} {amount}{from}{when}?", "{when}{from}付{payee}{amount}？";
    ASK_BILL: "Pay your {payee} bill{from}{when}?", "Bayar tagihan {payee}{from}{when}?", "{when}{from}付{payee}账单？";
    ASK_WHEN: " {when}", " {when}", "{when}";
    ASK_FROM: " from your {account} account", " dari rekening {account}", "从{account}账户";
    ASK_TRANSFER: "Send {amount} to {payee}{from}{when}{note}?", "Kirim {amount} ke {payee}{from}{when}{note}?", "{when}{from}给{payee}转{amount}{note}？";
    ASK_NOTE: " for {note}", " untuk {note}", "（{note}）";
    ASK_CANTEEN: "Add {amount} to the canteen account{who}{from}{when}?", "Isi saldo kantin{who} {amount}{from}{when}?", "{when}{from}给{who}饭卡充值{amount}？";
    ASK_CANTEEN_WHO: " for {student}", " {student}", "{student}的";
    THE_STUDENT: "the student", "siswa", "学生";
    CANT_DO: "{what} can't do {intent}.", "{what} tidak bisa {intent}.", "{what}不能做{intent}。";
    PAYMENTS: "Payments", "Pembayaran", "支付";
    RIDES: "Rides", "Perjalanan", "打车";
    FOOD: "Food", "Pesan makanan", "外卖";
    RIDE_REQUESTED: "Looking for a driver for your ride to {destination}; pickup in about {eta}.", "Sedang mencari pengemudi untuk perjalanan ke {destination}; dijemput sekitar {eta} lagi.", "正在为您去{destination}的行程找司机，大约{eta}后上车。";
    RIDE_ASSIGNED: "{driver} is on the way in {car}, arriving in {eta}.", "{driver} sedang menuju ke sini dengan {car}, tiba {eta} lagi.", "{driver}开着{car}正在赶来，{eta}后到。";
    RIDE_ARRIVING: "{driver} is almost there: look for {car}.", "{driver} hampir sampai: cari {car}.", "{driver}快到了：请找{car}。";
    RIDE_ON_TRIP: "You are on your way to {destination}, about {eta} to go.", "Anda sedang menuju {destination}, sekitar {eta} lagi.", "您正在去{destination}的路上，还有大约{eta}。";
    RIDE_CANCELLED: "Your ride to {destination} was cancelled.", "Perjalanan ke {destination} sudah dibatalkan.", "您去{destination}的行程已取消。";
    RIDE_SCHEDULED: "Your ride to {destination} is scheduled for {when}.", "Perjalanan ke {destination} dijadwalkan {when}.", "您去{destination}的行程已预约在{when}。";
    RIDE_COMPLETE: "Your ride to {destination} is complete.", "Perjalanan ke {destination} sudah selesai.", "您去{destination}的行程已结束。";
    ALREADY_BOOKED: "Already booked. {status}", "Sudah dipesan. {status}", "已经叫好了。{status}";
    RIDE_EXISTS: "You already have a ride to {destination}. Cancel it first if you want a new one.", "Anda sudah punya perjalanan ke {destination}. Batalkan dulu kalau mau pesan yang baru.", "您已经有一个去{destination}的行程。要叫新车请先取消。";
    FROM_PICKUP: " from {pickup}", " dari {pickup}", "从{pickup}";
    RIDE_BOOKED_LATER: "Scheduled a {ride_type} ride to {destination}{from} for {when}: fare about {fare}. A driver will be assigned before pickup.", "Perjalanan {ride_type} ke {destination}{from} dijadwalkan {when}: tarif sekitar {fare}. Pengemudi ditentukan sebelum penjemputan.", "已预约{when}{from}去{destination}的{ride_type}：车费约{fare}。上车前会安排司机。";
    ASK_RIDE: "Book a {ride_type} ride to {destination}{from} for about {fare}, pickup in about {eta}?", "Pesan {ride_type} ke {destination}{from} dengan tarif sekitar {fare}, dijemput sekitar {eta} lagi?", "叫{from}去{destination}的{ride_type}，车费约{fare}，大约{eta}后上车？";
    ASK_RIDE_LATER: "Schedule a {ride_type} ride to {destination}{from} for {when}, fare about {fare}?", "Jadwalkan {ride_type} ke {destination}{from} {when}, tarif sekitar {fare}?", "预约{when}{from}去{destination}的{ride_type}，车费约{fare}？";
    RIDE_BOOKED: "Booked a {ride_type} ride to {destination}{from}: fare about {fare}, pickup in about {eta}. I'll tell you when a driver is assigned.", "Perjalanan {ride_type} ke {destination}{from} sudah dipesan: tarif sekitar {fare}, dijemput sekitar {eta} lagi. Saya kabari kalau pengemudi sudah didapat.", "已叫{from}去{destination}的{ride_type}：车费约{fare}，大约{eta}后上车。司机接单后会通知您。";
    NO_RIDE: "You have no ride booked.", "Anda belum memesan perjalanan.", "您没有叫车。";
    RIDE_CANCELLED_NOW: "Cancelled your ride to {destination}.", "Perjalanan ke {destination} dibatalkan.", "已取消去{destination}的行程。";
    NO_RIDE_TO_CANCEL: "You have no ride to cancel.", "Tidak ada perjalanan yang bisa dibatalkan.", "没有可以取消的行程。";
    ORDER_EXISTS: "That order is already placed, arriving in about {eta}.", "Pesanan itu sudah dibuat, tiba sekitar {eta} lagi.", "这个订单已经下了，大约{eta}后送到。";
    QUANTITY: "I can order between 1 and 50", "saya bisa memesan 1 sampai 50", "我可以订1到50份";
    NEAREST_RESTAURANT: "the nearest restaurant", "restoran terdekat", "最近的餐厅";
    ORDERED: "Ordered {items} from {restaurant}: {total}, arriving in about {eta}.", "{items} dari {restaurant} sudah dipesan: {total}, tiba sekitar {eta} lagi.", "已从{restaurant}订了{items}：{total}，大约{eta}后送到。";
    ASK_ORDER: "Order {items} from {restaurant} for {total}?", "Pesan {items} dari {restaurant} seharga {total}?", "从{restaurant}订{items}，共{total}？";
    ITEM: "{count} {name}", "{count} {name}", "{count}份{name}";
    AND: " and ", " dan ", "和";
    NO_FOOD: "You have no food order.", "Anda belum memesan makanan.", "您没有外卖订单。";
    ORDER_PLACED: "{restaurant} has your order of {dish}.", "{restaurant} sudah menerima pesanan {dish} Anda.", "{restaurant}已收到您的{dish}订单。";
    ORDER_PREPARING: "Your {dish} is being prepared, arriving in about {eta}.", "{dish} Anda sedang disiapkan, tiba sekitar {eta} lagi.", "您的{dish}正在准备，大约{eta}后送到。";
    ORDER_ON_THE_WAY: "Your {dish} is on the way, about {eta} out.", "{dish} Anda sedang diantar, sekitar {eta} lagi.", "您的{dish}正在配送，还有大约{eta}。";
    ORDER_DELIVERED: "Your {dish} was delivered.", "{dish} Anda sudah sampai.", "您的{dish}已送达。";
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
    ("station", "stasiun"),
    ("hospital", "rumah sakit"),
    ("mall", "mal"),
    ("school", "sekolah"),
    ("downtown", "pusat kota"),
    ("current location", "lokasi saya"),
    ("a white Toyota Avanza, B 1234 XYZ", "Toyota Avanza putih, B 1234 XYZ"),
    ("a silver Honda Jazz, B 5521 KLM", "Honda Jazz perak, B 5521 KLM"),
    ("a black Toyota Innova, B 8810 QRS", "Toyota Innova hitam, B 8810 QRS"),
    ("a grey Suzuki Ertiga, B 3307 TUV", "Suzuki Ertiga abu-abu, B 3307 TUV"),
    ("a blue Daihatsu Xenia, B 4419 ABC", "Daihatsu Xenia biru, B 4419 ABC"),
    ("the nearest restaurant", "restoran terdekat"),
    ("the student", "siswa"),
];

/// The same in Mandarin.
const NAMES_ZH: &[(&str, &str)] = &[
    ("electricity", "电费"),
    ("water", "水费"),
    ("internet", "网费"),
    ("phone", "话费"),
    ("gas", "燃气费"),
    ("credit card", "信用卡"),
    ("insurance", "保险"),
    ("tv", "有线电视"),
    ("rent", "房租"),
    ("school fees", "学费"),
    ("main", "主"),
    ("savings", "储蓄"),
    ("wallet", "钱包"),
    ("rupiah", "印尼盾"),
    ("yuan", "人民币"),
    ("standard", "快车"),
    ("premium", "专车"),
    ("xl", "六座车"),
    ("bike", "摩托"),
    ("shared", "拼车"),
    ("airport", "机场"),
    ("home", "家"),
    ("work", "公司"),
    ("station", "火车站"),
    ("hospital", "医院"),
    ("mall", "商场"),
    ("school", "学校"),
    ("downtown", "市中心"),
    ("hotel", "酒店"),
    ("gym", "健身房"),
    ("current location", "当前位置"),
    ("a white Toyota Avanza, B 1234 XYZ", "白色丰田Avanza，B 1234 XYZ"),
    ("a silver Honda Jazz, B 5521 KLM", "银色本田飞度，B 5521 KLM"),
    ("a black Toyota Innova, B 8810 QRS", "黑色丰田Innova，B 8810 QRS"),
    ("a grey Suzuki Ertiga, B 3307 TUV", "灰色铃木Ertiga，B 3307 TUV"),
    ("a blue Daihatsu Xenia, B 4419 ABC", "蓝色大发Xenia，B 4419 ABC"),
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
            Language::Mandarin => line.zh,
        }
    }

    /// A stored value as this language names it.
    pub fn name(self, value: &str) -> String {
        let names = match self.0 {
            Language::English => &[][..],
            Language::Indonesian => NAMES_ID,
            Language::Mandarin => NAMES_ZH,
        };
        names.iter().find(|(en, _)| *en == value).map_or(value, |(_, said)| said).to_owned()
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
            Language::Mandarin => digits(minor, currency, ',', '.'),
        };
        match symbol(currency, self.0) {
            Some(sign) => format!("{sign}{amount}"),
            None => format!("{amount} {currency}"),
        }
    }

    /// "2 pizzas, 1 salad and 1 coke": the things of an order, counted.
    pub fn items(self, items: &[hush_nlu::Item]) -> String {
        let each: Vec<String> = items.iter().map(|i| self.line(&ITEM, &[("count", &i.count.to_string()), ("name", &self.name(&i.name))])).collect();
        match each.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{}{}{last}", rest.join(if self.0 == Language::Mandarin { "、" } else { ", " }), self.text(&AND)),
            None => String::new(),
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
            (Language::Mandarin, m) => format!("{}分钟", m.max(1)),
        }
    }

    /// "tomorrow at 5:30 pm", "next friday"; "besok jam 17.30", "Jumat
    /// depan"; "明天8:00", "下周五": a pickup as a person says it.
    pub fn when(self, date: Option<&Value>, time: Option<&Value>) -> String {
        use Language::*;
        let lang = self.0;
        let weekday = |w: u8| match lang {
            English => DAYS_EN,
            Indonesian => DAYS_ID,
            Mandarin => DAYS_ZH,
        }[usize::from(w).min(6)];
        let day = match date {
            Some(Value::Date(Date::Relative { days })) => Some(match (lang, days) {
                (English, 0) => "today".to_owned(),
                (English, 1) => "tomorrow".to_owned(),
                (English, d) => format!("in {d} days"),
                (Indonesian, 0) => "hari ini".to_owned(),
                (Indonesian, 1) => "besok".to_owned(),
                (Indonesian, d) => format!("{d} hari lagi"),
                (Mandarin, 0) => "今天".to_owned(),
                (Mandarin, 1) => "明天".to_owned(),
                (Mandarin, d) => format!("{d}天后"),
            }),
            Some(Value::Date(Date::Weekday { weekday: w, next })) => Some(match (lang, next) {
                (_, false) => weekday(*w).to_owned(),
                (English, true) => format!("next {}", weekday(*w)),
                (Indonesian, true) => format!("{} depan", weekday(*w)),
                (Mandarin, true) => format!("下{}", weekday(*w)),
            }),
            Some(Value::Date(Date::Calendar { month: Some(m), day })) => {
                let m = usize::from(m.clamp(&1, &12) - 1);
                Some(match lang {
                    English => format!("{} {day}", MONTHS_EN[m]),
                    Indonesian => format!("{day} {}", MONTHS_ID[m]),
                    Mandarin => format!("{}月{day}日", m + 1),
                })
            }
            Some(Value::Date(Date::Calendar { month: None, day })) => Some(match lang {
                English => format!("the {day}{}", english_ordinal_suffix(*day)),
                Indonesian => format!("tanggal {day}"),
                Mandarin => format!("{day}号"),
            }),
            _ => None,
        };
        let clock = match time {
            Some(Value::Time(Time::At { hour, minute, certain })) => Some(match lang {
                English if *certain => {
                    let h12 = if hour % 12 == 0 { 12 } else { hour % 12 };
                    format!("{h12}:{minute:02} {}", if *hour < 12 { "am" } else { "pm" })
                }
                English | Mandarin => format!("{hour}:{minute:02}"),
                Indonesian => format!("jam {hour:02}.{minute:02}"),
            }),
            Some(Value::Time(Time::In { seconds })) => {
                let span = self.minutes(i64::try_from(*seconds).unwrap_or(i64::MAX / 2));
                Some(match lang {
                    English => format!("in {span}"),
                    Indonesian => format!("{span} lagi"),
                    Mandarin => format!("{span}后"),
                })
            }
            _ => None,
        };
        match (day, clock, lang) {
            (Some(d), Some(c), English) => format!("{d} at {c}"),
            (Some(d), Some(c), Indonesian) => format!("{d} {c}"),
            (Some(d), Some(c), Mandarin) => format!("{d}{c}"),
            (Some(d), None, _) => d,
            (None, Some(c), _) => c,
            (None, None, English) => "later".to_owned(),
            (None, None, Indonesian) => "nanti".to_owned(),
            (None, None, Mandarin) => "稍后".to_owned(),
        }
    }
}

const DAYS_EN: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const MONTHS_EN: [&str; 12] = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DAYS_ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
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
        ("USD", Language::Indonesian | Language::Mandarin) => "US$",
        ("CNY", Language::Mandarin) => "¥",
        ("IDR", Language::English) => "Rp ",
        ("IDR", Language::Indonesian) => "Rp",
        ("EUR", _) => "€",
        ("GBP", _) => "£",
        ("JPY", Language::English | Language::Indonesian) => "¥",
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

/// "st", "nd", "rd" or "th" after an English day of the month: "the 5th",
/// "the 22nd", "the 11th".
fn english_ordinal_suffix(day: u8) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}
