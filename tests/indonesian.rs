//! The engine in Bahasa Indonesia on text: the built-in domains read
//! Indonesian commands into the same intents and slots an English action
//! serves, money waits for an Indonesian yes, and the turn says its
//! language.

use hush::{async_trait, Action, ActionContext, ActionError, Engine, EngineConfig, Intent, Language, Outcome, Status, Value};
use hush_nlu::Money;
use parking_lot::Mutex;
use std::sync::Arc;

/// An intent run: its name, its slots, whether the user confirmed it.
type Run = (String, Vec<(String, Value)>, bool);

/// Pays bills and books rides, remembering what it was asked to do.
#[derive(Default, Clone)]
struct Wallet {
    done: Arc<Mutex<Vec<Run>>>,
}

#[async_trait]
impl Action for Wallet {
    fn intents(&self) -> Vec<&str> {
        vec!["pay_bill", "transfer_money", "order_ride"]
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let slots = intent.slots.iter().map(|s| (s.name.clone(), s.value.clone())).collect();
        self.done.lock().push((intent.name.clone(), slots, ctx.confirmed));
        Ok(Outcome::done("Berhasil."))
    }
}

fn engine(wallet: &Wallet) -> Engine {
    Engine::builder().language(Language::Indonesian).action(wallet.clone()).build().expect("engine builds")
}

fn rupiah(major: i64) -> Value {
    Value::Money(Money { minor: major * 100, exponent: 2, currency: Some("IDR".into()) })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bill_is_paid_only_on_an_indonesian_yes() {
    let wallet = Wallet::default();
    let e = engine(&wallet);
    for refusal in ["jangan", "tidak", "bukan", "belum", "iya tapi nanti", "tunggu dulu"] {
        let s = e.session();
        let ask = s.process_text("bayar tagihan listrik lima puluh ribu rupiah").await.unwrap();
        assert_eq!(ask.intent.as_deref(), Some("pay_bill"));
        assert!(ask.prompt.is_some(), "{ask:?}");
        assert_eq!(ask.language.as_deref(), Some("id"));
        let t = s.process_text(refusal).await.unwrap();
        assert_ne!(t.outcome.as_ref().map(|o| o.status), Some(Status::Done), "{refusal:?} paid: {t:?}");
    }
    assert!(wallet.done.lock().is_empty(), "{:?}", wallet.done.lock());
    let s = e.session();
    s.process_text("bayar tagihan listrik lima puluh ribu rupiah").await.unwrap();
    let t = s.process_text("iya, bayar").await.unwrap();
    assert_eq!(t.outcome.as_ref().map(|o| o.status), Some(Status::Done), "{t:?}");
    let done = wallet.done.lock();
    assert_eq!(done.len(), 1);
    let (intent, slots, confirmed) = &done[0];
    assert_eq!(intent, "pay_bill");
    assert!(confirmed);
    assert!(slots.contains(&("biller".into(), Value::Text("electricity".into()))), "{slots:?}");
    assert!(slots.contains(&("amount".into(), rupiah(50_000))), "{slots:?}");
}

/// "iya tapi seratus ribu aja" to "Kirim Rp50.000 ke budi?" is the
/// request with the new amount, asked again, and paid only on its own yes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_amount_corrected_in_indonesian_is_asked_again() {
    let wallet = Wallet::default();
    let e = engine(&wallet);
    for reply in ["bukan, seratus ribu", "iya tapi seratus ribu aja", "eh seratus ribu aja"] {
        let s = e.session();
        s.process_text("kirim lima puluh ribu ke budi").await.unwrap();
        let t = s.process_text(reply).await.unwrap();
        let amount = t.slots.iter().find(|s| s.name == "amount").map(|s| &s.value);
        assert_eq!((t.awaiting.is_some(), amount), (true, Some(&rupiah(100_000))), "{reply:?}: {t:?}");
    }
    assert!(wallet.done.lock().is_empty(), "{:?}", wallet.done.lock());
    let s = e.session();
    s.process_text("kirim lima puluh ribu ke budi").await.unwrap();
    s.process_text("iya tapi seratus ribu aja").await.unwrap();
    let t = s.process_text("iya").await.unwrap();
    assert_eq!(t.outcome.as_ref().map(|o| o.status), Some(Status::Done), "{t:?}");
    let done = wallet.done.lock();
    assert!(done[0].1.contains(&("amount".into(), rupiah(100_000))), "{done:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ride_in_indonesian_asks_where_then_goes() {
    let wallet = Wallet::default();
    let e = engine(&wallet);
    let t = e.process_text("pesan ojek ke bandara").await.unwrap();
    assert_eq!(t.intent.as_deref(), Some("order_ride"));
    // Asked first, in the Indonesian file's words (the app's action phrases
    // no question; the value is the list's, as the action gets it).
    assert_eq!(t.prompt.as_deref(), Some("Pesan kendaraan ke airport?"), "{t:?}");
    let t = e.process_text("iya").await.unwrap();
    assert_eq!(t.outcome.as_ref().map(|o| o.status), Some(Status::Done), "{t:?}");
    let (_, slots, _) = wallet.done.lock()[0].clone();
    assert!(slots.contains(&("destination".into(), Value::Text("airport".into()))), "{slots:?}");
    // English is not understood by an Indonesian engine's templates.
    let t = e.process_text("book me a ride to the airport").await.unwrap();
    assert_ne!(t.intent.as_deref(), Some("order_ride"), "{t:?}");
}

#[test]
fn the_config_language_picks_the_domains_and_tells_whisper() {
    let c: EngineConfig = serde_json::from_str(r#"{"language": "id"}"#).unwrap();
    assert_eq!(c.asr_params().decode.language.as_deref(), Some("id"));
    let e = c.builder().unwrap().build().unwrap();
    assert!(e.intents().intents.iter().all(|i| i.language == Language::Indonesian));
    let e = EngineConfig::default().builder().unwrap().build().unwrap();
    assert!(e.intents().intents.iter().all(|i| i.language == Language::English));
}

/// A language the model cannot hear is refused when the engine is built,
/// naming the fix, not at the first utterance; English on tiny.en and
/// Indonesian on base build.
#[test]
fn a_language_the_model_cannot_hear_is_refused_at_build() {
    let build = |json: &str| serde_json::from_str::<EngineConfig>(json).unwrap().builder().unwrap().build().map(drop);
    let err = build(r#"{"model": "tiny.en-q8_0", "language": "id"}"#).unwrap_err().to_string();
    assert!(err.contains("English only") && err.contains("'id'") && err.contains("multilingual"), "{err}");
    let err = build(r#"{"model": "base", "language": "xx"}"#).unwrap_err().to_string();
    assert!(err.contains("unknown language 'xx'"), "{err}");
    build(r#"{"model": "tiny.en-q8_0", "language": "en"}"#).unwrap();
    build(r#"{"model": "base", "language": "id"}"#).unwrap();
}

/// Whisper's language detection chooses only among the languages asked
/// for: English speech detected freely is English; limited to Indonesian,
/// it is heard as Indonesian. An engine limits it to its intents'
/// languages.
#[test]
fn detection_is_limited_to_the_languages_given() {
    use hush::parts::{model_paths, AsrParams, Recognizer};
    let clip = hush::parts::read_wav(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/audio/book_ride.wav"), &Default::default()).unwrap().0;
    let heard_in = |languages: &[&str]| {
        let mut params = AsrParams::default();
        params.decode.languages = languages.iter().map(|l| l.to_string()).collect();
        let rec = Recognizer::load(&model_paths("base").unwrap(), params).unwrap();
        rec.transcribe(clip.samples()).unwrap().language
    };
    assert_eq!(heard_in(&[]).as_deref(), Some("en"));
    assert_eq!(heard_in(&["id"]).as_deref(), Some("id"));
    assert!(matches!(heard_in(&["id", "zh"]).as_deref(), Some("id" | "zh")));
    let err = Recognizer::load(
        &model_paths("tiny.en-q8_0").unwrap(),
        AsrParams { decode: hush::parts::DecodeOptions { languages: vec!["id".into()], ..Default::default() }, ..Default::default() },
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("English only"), "{err}");
}

/// Spoken to in Indonesian, hush and the reference actions answer in
/// Indonesian, end to end: the question for a missing slot (the intent
/// file's), the confirmation, the result; an app's own sentences replace
/// hush's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_conversation_is_in_indonesian() {
    // The app's sentence through the configuration, as a C host gives it.
    let c: EngineConfig = serde_json::from_str(r#"{"language": "id", "messages": {"id": {"cant_help": "Wah, yang itu belum bisa."}}}"#).unwrap();
    let e = c.builder().unwrap().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    let s = e.session();
    let t = s.process_text("kirim lima puluh ribu ke Budi").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Kirim Rp50.000 ke budi?"), "{t:?}");
    let t = s.process_text("hmm").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Maaf, tolong jawab ya atau tidak. Kirim Rp50.000 ke budi?"), "{t:?}");
    let t = s.process_text("iya").await.unwrap();
    let said = t.outcome.map(|o| o.say).unwrap_or_default();
    assert_eq!(said, "Rp50.000 sudah dikirim ke budi. Sisa saldo rekening rupiah: Rp2.450.000.");
    let t = s.process_text("pesan ojek").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Mau ke mana?"), "{t:?}");
    let t = s.process_text("batal").await.unwrap();
    assert_eq!(t.outcome.map(|o| o.say).as_deref(), Some("Oke, dibatalkan."));
    // A missing message is asked for in Indonesian (it used to name the slot).
    let t = s.process_text("kirim pesan ke Sari").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Pesannya apa?"), "{t:?}");
    s.process_text("batal").await.unwrap();
    let t = s.process_text("apa kabar dunia hari ini").await.unwrap();
    assert_eq!(t.outcome.map(|o| o.say).as_deref(), Some("Wah, yang itu belum bisa."));
    // The builder's table is the same setting, for Rust apps.
    let mut own = hush::Messages::indonesian();
    own.cant_help = "Belum bisa.".into();
    let e = Engine::builder().language(Language::Indonesian).messages(Language::Indonesian, own).build().unwrap();
    let t = e.process_text("apa kabar dunia hari ini").await.unwrap();
    assert_eq!(t.outcome.map(|o| o.say).as_deref(), Some("Belum bisa."));
}

/// English and Indonesian in one engine (`"languages": ["en", "id"]`):
/// one action serves both, each conversation is held in the language
/// its request was made in, slot questions are answered with that
/// language's lists, and the English learned model leaves Indonesian
/// sentences to their templates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_and_indonesian_in_one_engine() {
    let c: EngineConfig = serde_json::from_str(r#"{"languages": ["en", "id"]}"#).unwrap();
    assert_eq!((c.asr_params().decode.language, c.asr_params().decode.languages), (None, vec!["en".to_owned(), "id".to_owned()]));
    let e = c.builder().unwrap().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    let count = |l| e.intents().intents.iter().filter(|i| i.language == l).count();
    assert_eq!((count(Language::English), count(Language::Indonesian)), (24, 24));
    let s = e.session();
    let t = s.process_text("kirim lima puluh ribu ke Budi").await.unwrap();
    assert_eq!((t.prompt.as_deref(), t.language.as_deref()), (Some("Kirim Rp50.000 ke budi?"), Some("id")), "{t:?}");
    let t = s.process_text("iya").await.unwrap();
    assert_eq!(t.outcome.map(|o| o.say).as_deref(), Some("Rp50.000 sudah dikirim ke budi. Sisa saldo rekening rupiah: Rp2.450.000."));
    let t = s.process_text("send forty two dollars to Budi").await.unwrap();
    assert_eq!(t.language.as_deref(), Some("en"), "{t:?}");
    let prompt = t.prompt.unwrap_or_default();
    assert!(prompt.starts_with("Send $42.00 to budi"), "{prompt}");
    // A refusal in either language refuses; the reply keeps the request's.
    let t = s.process_text("tidak").await.unwrap();
    assert_eq!(t.outcome.map(|o| (o.status, o.say)), Some((Status::Aborted, "Okay, cancelled.".into())));
    let t = s.process_text("pesan ojek").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Mau ke mana?"), "{t:?}");
    let t = s.process_text("ke bandara").await.unwrap();
    assert_eq!((t.intent.as_deref(), t.language.as_deref()), (Some("order_ride"), Some("id")), "{t:?}");
    assert!(t.slots.iter().any(|x| x.name == "destination" && x.value == Value::Text("airport".into())), "{t:?}");
    let t = s.process_text("book a ride").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Where to?"), "{t:?}");
    s.process_text("cancel").await.unwrap();
    // Not understood: answered in the language the words lean to.
    let t = s.process_text("apa kabar dunia hari ini").await.unwrap();
    assert_eq!(t.outcome.map(|o| o.say).as_deref(), Some("Maaf, saya tidak bisa membantu itu."));
    let t = s.process_text("what is the meaning of life").await.unwrap();
    assert_eq!(t.outcome.map(|o| o.say).as_deref(), Some("Sorry, I can't help with that."));
    // The Indonesian paraphrases read as the Indonesian engine reads them:
    // the English model (built in, read beside the English templates) does
    // not overrule or answer them.
    let both = Engine::builder().languages(&[Language::English, Language::Indonesian]).dry_run(true).build().unwrap();
    let id = Engine::builder().language(Language::Indonesian).dry_run(true).build().unwrap();
    let (mut same, mut read) = (0, 0);
    for line in include_str!("../benches/paraphrases/written_id.txt").lines().filter(|l| l.contains(" | ") && !l.starts_with('#')) {
        let text = as_said(line.split_once(" | ").unwrap().1);
        let a = both.session().process_text(&text).await.unwrap();
        let b = id.session().process_text(&text).await.unwrap();
        read += 1;
        same += usize::from(a.intent == b.intent && a.slots == b.slots);
    }
    assert!(read >= 250, "{read} sentences");
    assert!(same * 100 >= read * 97, "{same} of {read} read alike");
}

/// A labelled paraphrase as it was said: `{slot:words}` is the words,
/// `{slot=value}` (a value the words imply) is nothing.
fn as_said(labelled: &str) -> String {
    let mut out = String::new();
    let mut rest = labelled;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let inner = &rest[open + 1..close];
        if let Some((_, words)) = inner.split_once(':') {
            out.push_str(words);
        }
        rest = rest.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Speech to an engine of two languages: multilingual Whisper detects
/// between them, and an English command is heard, read and asked about
/// in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_speech_to_an_engine_of_two_languages() {
    let c: EngineConfig = serde_json::from_str(r#"{"model": "base", "languages": ["en", "id"]}"#).unwrap();
    let e = c.builder().unwrap().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    let t = e.process_wav(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/audio/pay_bill.wav")).await.unwrap();
    assert_eq!((t.intent.as_deref(), t.language.as_deref()), (Some("pay_bill"), Some("en")), "{t:?}");
    assert_eq!(t.prompt.as_deref(), Some("Pay $42.00 for your electricity bill?"), "{t:?}");
    // The English model cannot hear Indonesian: refused at build.
    let c: EngineConfig = serde_json::from_str(r#"{"model": "tiny.en-q8_0", "languages": ["en", "id"]}"#).unwrap();
    let err = c.builder().unwrap().build().map(drop).unwrap_err().to_string();
    assert!(err.contains("English only") && err.contains("'id'"), "{err}");
    let c: EngineConfig = serde_json::from_str(r#"{"languages": ["en", "xx"]}"#).unwrap();
    let err = c.builder().map(drop).unwrap_err().to_string();
    assert!(err.contains("no built-in domains in 'xx'"), "{err}");
}
