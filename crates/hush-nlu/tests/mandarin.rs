//! A small Mandarin set (`intents/zh/`: rides, payments, yes/no/cancel):
//! the proof that the matcher, the grammar and the value readers handle a
//! language written without spaces. Every Han character is a word; the
//! issue's commands and more read with the right slots, and every template
//! round-trips.

mod common;

use hush_nlu::{answer, Answer, Date, IntentSet, Language, MatchParams, Matcher, Money, Time, Value};

fn matcher() -> Matcher {
    Matcher::new(IntentSet::builtin_in(Language::Mandarin).unwrap_or_else(|e| panic!("{e}")), MatchParams::default())
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn yuan(major: f64) -> Value {
    Value::Money(Money::from_major(major, Some("CNY")).unwrap())
}

#[test]
fn rides_and_payments_as_people_say_them() {
    let m = matcher();
    #[rustfmt::skip]
    let table: Vec<common::Said> = vec![
        // The three.
        ("打车去机场", "order_ride", vec![("destination", text("airport"))]),
        ("付电费五十块", "pay_bill", vec![("biller", text("electricity")), ("amount", yuan(50.0))]),
        ("给王伟转两百元", "transfer_money", vec![("recipient", text("王伟")), ("amount", yuan(200.0))]),
        // Rides.
        ("帮我叫个车去火车站", "order_ride", vec![("destination", text("station"))]),
        ("叫一辆专车去浦东机场", "order_ride", vec![("ride_type", text("premium")), ("destination", text("airport"))]),
        ("明天早上八点打车去机场", "order_ride", vec![("date", Value::Date(Date::Relative { days: 1 })), ("time", Value::Time(Time::At { hour: 8, minute: 0, certain: true })), ("destination", text("airport"))]),
        ("我要去国贸大厦", "order_ride", vec![("destination", text("国贸大厦"))]),
        ("从公司打车回家", "order_ride", vec![("pickup", text("work")), ("destination", text("home"))]),
        ("送我去医院", "order_ride", vec![("destination", text("hospital"))]),
        ("十分钟后叫车去公司", "order_ride", vec![("time", Value::Time(Time::In { seconds: 600 })), ("destination", text("work"))]),
        ("取消订单", "cancel_ride", vec![]),
        ("不要车了", "cancel_ride", vec![]),
        ("司机到哪了", "ride_status", vec![]),
        ("车还要多久到", "ride_status", vec![]),
        // Payments.
        ("交一下这个月的水费", "pay_bill", vec![("biller", text("water"))]),
        ("帮我付话费一百块", "pay_bill", vec![("biller", text("phone")), ("amount", yuan(100.0))]),
        ("缴燃气费三百五十元", "pay_bill", vec![("biller", text("gas")), ("amount", yuan(350.0))]),
        ("还信用卡两千五", "pay_bill", vec![("biller", text("credit card")), ("amount", yuan(2500.0))]),
        ("转五百块给妈妈", "transfer_money", vec![("amount", yuan(500.0)), ("recipient", text("妈妈"))]),
        ("给李娜转账一万五", "transfer_money", vec![("recipient", text("李娜")), ("amount", yuan(15_000.0))]),
        ("给老板发个八十八块八的红包", "transfer_money", vec![("recipient", text("老板")), ("amount", yuan(88.8))]),
        ("把三块五转给小明", "transfer_money", vec![("amount", yuan(3.5)), ("recipient", text("小明"))]),
        ("给张伟转人民币一千元", "transfer_money", vec![("recipient", text("张伟")), ("amount", yuan(1000.0))]),
        ("给爸爸转十美元", "transfer_money", vec![("recipient", text("爸爸")), ("amount", Value::Money(Money::from_major(10.0, Some("USD")).unwrap()))]),
        ("查一下余额", "check_balance", vec![]),
        ("钱包里还有多少钱", "check_balance", vec![("account", text("wallet"))]),
        ("扫码付款", "scan_to_pay", vec![]),
        ("用微信付三十块", "scan_to_pay", vec![("amount", yuan(30.0))]),
        // Answers.
        ("好的", "confirm", vec![]),
        ("不是", "deny", vec![]),
        ("算了", "cancel", vec![]),
    ];
    common::assert_commands(&m, &table);
    assert!(table.len() >= 23);
}

#[test]
fn every_mandarin_template_round_trips() {
    common::assert_every_template_round_trips(&matcher(), 6, 13);
}

/// Money waits for an unambiguous yes in Mandarin too: 不, 别, 没, 取消,
/// 算了 refuse; 等, 吗, 可能, 但是, 吧 hedge.
#[test]
fn the_confirmation_rule_in_mandarin() {
    let m = matcher();
    for yes in ["是", "是的", "好", "好的", "对", "对的", "确认", "可以", "行", "确认付款", "好的，谢谢"] {
        assert_eq!(answer(yes, m.parse(yes).as_ref(), &m), Answer::Yes, "{yes}");
    }
    for no in ["不", "不是", "不要", "不行", "不对", "别付", "取消", "算了", "没有"] {
        assert_eq!(answer(no, m.parse(no).as_ref(), &m), Answer::No, "{no}");
    }
    for unclear in ["等一下", "好吗", "可能吧", "好，但是先等等", "是不是", "好吧", "嗯", "确认吗？", "为什么"] {
        assert_ne!(answer(unclear, m.parse(unclear).as_ref(), &m), Answer::Yes, "{unclear}");
    }
}
