//! The engine in Mandarin on text: the small zh set (rides, payments)
//! understands commands written without spaces, money waits for a plain
//! yes, and hush and the reference actions answer in Mandarin.

use hush::{Engine, Language, Status};

fn engine() -> Engine {
    Engine::builder().language(Language::Mandarin).fallback_actions(hush_reference::actions_in_memory().unwrap()).build().expect("engine builds")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_in_mandarin_pays_only_on_a_plain_yes() {
    let e = engine();
    for refusal in ["不", "不是", "别转", "算了", "等一下", "好吗？", "可能吧"] {
        let s = e.session();
        let ask = s.process_text("给王伟转两百元").await.unwrap();
        assert_eq!(ask.intent.as_deref(), Some("transfer_money"), "{ask:?}");
        assert_eq!(ask.language.as_deref(), Some("zh"));
        assert_eq!(ask.prompt.as_deref(), Some("给王伟转¥200.00？"), "{ask:?}");
        let t = s.process_text(refusal).await.unwrap();
        assert_ne!(t.outcome.as_ref().map(|o| o.status), Some(Status::Done), "{refusal:?} paid: {t:?}");
    }
    let s = e.session();
    s.process_text("给王伟转两百元").await.unwrap();
    let t = s.process_text("好的").await.unwrap();
    let out = t.outcome.expect("an outcome");
    assert_eq!((out.status, out.say.as_str()), (Status::Done, "已给王伟转账¥200.00。人民币账户还剩¥4,800.00。"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ride_in_mandarin_asks_where_then_goes() {
    let e = engine();
    let s = e.session();
    let t = s.process_text("帮我叫个车").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("去哪里？"), "{t:?}");
    let t = s.process_text("去机场").await.unwrap();
    assert!(t.prompt.as_deref().is_some_and(|p| p.starts_with("叫去机场的快车，车费约US$")), "{t:?}");
    let t = s.process_text("好").await.unwrap();
    let out = t.outcome.expect("an outcome");
    assert_eq!(out.status, Status::Done, "{out:?}");
    assert!(out.say.starts_with("已叫去机场的快车：车费约US$"), "{}", out.say);
    let t = s.process_text("司机到哪了").await.unwrap();
    assert!(t.outcome.unwrap().say.starts_with("正在为您去机场的行程找司机"));
    let t = s.process_text("今天天气怎么样").await.unwrap();
    assert_eq!(t.outcome.map(|o| o.say).as_deref(), Some("抱歉，这个我帮不了。"));
}
