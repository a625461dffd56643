//! The dialogue rules on the built-in domains: confirmation, slot filling,
//! timeouts, idempotency keys.

use hush_actions::{idempotency_key, Dialogue, DialogueParams, Registry, Status, Step};
use hush_nlu::{IntentSet, MatchParams, Matcher, Value};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(IntentSet::builtin().unwrap(), MatchParams::default()))
}

fn registry() -> Registry {
    let mut r = Registry::default();
    for a in hush_reference::reference_actions(Arc::new(hush_reference::Ledger::in_memory().unwrap()), hush_reference::Simulation::default()) {
        r.register(a).unwrap();
    }
    r
}

struct Talk {
    d: Dialogue,
    r: Registry,
    now: Instant,
}

impl Talk {
    fn new() -> Self {
        Talk { d: Dialogue::new(DialogueParams::default()), r: registry(), now: Instant::now() }
    }

    fn say(&mut self, text: &str) -> Step {
        self.step(text, false)
    }

    /// `text` as speech read with forgiveness: maybe not what was said.
    fn hear(&mut self, text: &str) -> Step {
        self.step(text, true)
    }

    fn step(&mut self, text: &str, doubtful: bool) -> Step {
        let parsed = matcher().parse(text);
        self.d.step(text, parsed, doubtful, matcher(), &self.r, self.now)
    }

    /// `text`, and a yes to the confirmation it is asked, if any (a ride
    /// is paid for, so it is asked about once its place is known).
    fn say_and_confirm(&mut self, text: &str) -> Step {
        match self.say(text) {
            Step::Ask { .. } if self.d.awaiting_confirmation() => self.say("yes"),
            s => s,
        }
    }

    fn wait(&mut self, d: Duration) {
        self.now += d;
    }
}

fn prompt(s: &Step) -> &str {
    match s {
        Step::Ask { prompt, .. } => prompt,
        other => panic!("expected a question, got {other:?}"),
    }
}

fn reply(s: &Step) -> Status {
    match s {
        Step::Reply(o) => o.status,
        other => panic!("expected a reply, got {other:?}"),
    }
}

#[test]
fn payment_waits_for_yes() {
    let mut t = Talk::new();
    let s = t.say("pay my electricity bill of forty two dollars");
    assert_eq!(prompt(&s), "Pay $42.00 for your electricity bill?");
    assert!(t.d.pending().is_some());
    match t.say("yes") {
        Step::Run { intent, confirmed, key } => {
            assert_eq!(intent.name, "pay_bill");
            assert!(confirmed);
            assert_eq!(key.len(), 32);
        }
        other => panic!("{other:?}"),
    }
    assert!(t.d.pending().is_none());
    // A second yes has nothing to confirm.
    assert_eq!(reply(&t.say("yes")), Status::NotUnderstood);
}

#[test]
fn no_and_cancel_abort() {
    for answer in ["no", "cancel", "no don't"] {
        let mut t = Talk::new();
        prompt(&t.say("send fifty dollars to mom"));
        assert_eq!(reply(&t.say(answer)), Status::Aborted, "{answer}");
        assert!(t.d.pending().is_none());
    }
}

#[test]
fn a_late_yes_pays_nothing() {
    let mut t = Talk::new();
    prompt(&t.say("pay my water bill"));
    t.wait(Duration::from_secs(31));
    assert_eq!(reply(&t.say("yes")), Status::Expired);
    assert!(t.d.pending().is_none());
}

#[test]
fn gibberish_repeats_the_question() {
    let mut t = Talk::new();
    prompt(&t.say("pay my water bill"));
    let again = t.say("mmm hrrm");
    assert!(prompt(&again).starts_with("Sorry, please say yes or no."), "{again:?}");
    assert!(matches!(t.say("yes please"), Step::Run { confirmed: true, .. }));
}

#[test]
fn a_new_request_replaces_the_question() {
    let mut t = Talk::new();
    prompt(&t.say("pay my water bill"));
    match t.say("navigate home") {
        Step::Run { intent, confirmed, .. } => {
            assert_eq!(intent.name, "navigate_to");
            assert!(!confirmed);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(reply(&t.say("yes")), Status::NotUnderstood, "the payment question is gone");
}

fn ran(s: &Step) -> &str {
    match s {
        Step::Run { intent, .. } => &intent.name,
        other => panic!("expected a run, got {other:?}"),
    }
}

#[test]
fn a_doubtful_request_is_checked_before_it_runs() {
    let mut t = Talk::new();
    let s = t.hear(" Play some jazz.");
    assert_eq!(prompt(&s), "Did you say \"Play some jazz\"?");
    assert_eq!(t.d.awaiting(), Some(hush_actions::Awaiting::Confirm("play_media".into())));
    assert!(t.d.awaiting_confirmation(), "the answer is heard as said");
    assert_eq!(ran(&t.say("yes")), "play_media");
    assert!(t.d.pending().is_none());
    // Heard clearly, the same words run at once.
    assert_eq!(ran(&t.say("play some jazz")), "play_media");
}

#[test]
fn a_no_or_a_hedge_to_the_check_runs_nothing() {
    let mut t = Talk::new();
    t.hear("play some jazz");
    let s = t.say("no");
    assert_eq!(reply(&s), Status::Aborted);
    let Step::Reply(o) = s else { unreachable!() };
    assert_eq!(o.say, "Okay, please say it again.");
    assert_eq!(reply(&t.say("yes")), Status::NotUnderstood, "nothing is left to confirm");

    t.hear("play some jazz");
    let again = t.say("yes but not that");
    assert_eq!(prompt(&again), "Sorry, please say yes or no. Did you say \"play some jazz\"?");
    assert_eq!(reply(&t.say("maybe")), Status::Aborted, "a second unclear answer drops it");
    assert!(t.d.pending().is_none());
}

#[test]
fn the_request_said_again_replaces_the_check() {
    let mut t = Talk::new();
    t.hear("play some jass");
    assert_eq!(ran(&t.say("navigate home")), "navigate_to");
    // Heard doubtfully again: checked again.
    t.hear("play some jass");
    assert!(prompt(&t.hear("navigate home")).starts_with("Did you say \"navigate home"));
}

#[test]
fn a_doubtful_payment_is_checked_by_its_confirmation_alone() {
    let mut t = Talk::new();
    let s = t.hear("pay my water bill");
    assert!(!prompt(&s).starts_with("Did you say"), "{}", prompt(&s));
    assert_eq!(prompt(&s), t.r.confirmation(t.d.pending().unwrap(), None));
    let Step::Run { confirmed, .. } = t.say("yes") else { panic!("a yes pays") };
    assert!(confirmed);
}

#[test]
fn a_checked_request_still_asks_for_what_it_lacks_and_expires() {
    let mut t = Talk::new();
    // A ride is checked by its own question, once its place is known.
    assert_eq!(prompt(&t.hear("book me a ride")), "Where to?");
    assert_eq!(t.d.awaiting(), Some(hush_actions::Awaiting::Slot("destination".into())));
    assert!(prompt(&t.say("the airport")).starts_with("Book a standard ride to airport"));
    assert_eq!(t.d.awaiting(), Some(hush_actions::Awaiting::Confirm("order_ride".into())));

    let mut t = Talk::new();
    t.hear("play some jazz");
    t.wait(DialogueParams::default().confirm_timeout + Duration::from_secs(1));
    assert_eq!(reply(&t.say("yes")), Status::Expired, "a late yes runs nothing");
}

#[test]
fn missing_destination_is_asked_for() {
    for answer in ["the airport", "to the airport please", "airport", "um to the airport"] {
        let mut t = Talk::new();
        assert_eq!(prompt(&t.say("book me a taxi")), "Where to?");
        match t.say_and_confirm(answer) {
            Step::Run { intent, .. } => {
                assert_eq!(intent.name, "order_ride");
                assert_eq!(intent.slot("destination").unwrap().value, Value::Text("airport".into()), "{answer}");
                assert!(intent.missing.is_empty());
            }
            other => panic!("{answer}: {other:?}"),
        }
    }
}

#[test]
fn an_unlisted_place_is_taken_as_said_and_cancel_is_not_a_place() {
    let mut t = Talk::new();
    prompt(&t.say("i need a taxi"));
    match t.say_and_confirm("grand indonesia") {
        Step::Run { intent, .. } => assert_eq!(intent.slot("destination").unwrap().value, Value::Text("grand indonesia".into())),
        other => panic!("{other:?}"),
    }
    prompt(&t.say("i need a taxi"));
    assert_eq!(reply(&t.say("cancel")), Status::Aborted);
}

/// "Where to?" answered with a refusal or a shrug orders nothing: "no
/// idea", "nowhere", "I'm not sure yet" had been taken as places and a
/// ride ordered there; "don't book it" as the place "do not book it".
#[test]
fn a_refusal_or_a_shrug_is_no_place() {
    for shrug in ["no idea", "nowhere", "I'm not sure yet", "none of them"] {
        let mut t = Talk::new();
        prompt(&t.say("book a ride"));
        assert_eq!(prompt(&t.say(shrug)), "Sorry, I didn't get that. Where to?", "{shrug}");
    }
    for refusal in ["don't book it", "do not bother", "never mind", "cancel that"] {
        let mut t = Talk::new();
        prompt(&t.say("book a ride"));
        assert_eq!(reply(&t.say(refusal)), Status::Aborted, "{refusal}");
    }
    // A "no" before the place still gives the place.
    let mut t = Talk::new();
    prompt(&t.say("book a ride"));
    match t.say_and_confirm("no, to the station") {
        Step::Run { intent, .. } => assert_eq!(intent.slot("destination").unwrap().value, Value::Text("station".into())),
        other => panic!("{other:?}"),
    }
}

/// An answer that names two payees or leaves a choice open is no answer
/// to a payment's question: "mum or dad" had been asked as "Send $20.00
/// to mum or dad?".
#[test]
fn two_payees_or_a_choice_is_no_answer() {
    for (request, answer, asked) in [
        ("send some money", "mum or dad", "Who should I send it to?"),
        ("send some money", "mum and dad", "Who should I send it to?"),
        ("send money to mum", "twenty or thirty dollars", "How much should I send?"),
        ("send money to mum", "twenty dollars every month", "How much should I send?"),
    ] {
        let mut t = Talk::new();
        assert_eq!(prompt(&t.say(request)), asked, "{request}");
        assert_eq!(prompt(&t.say(answer)), format!("Sorry, I didn't get that. {asked}"), "{answer}");
    }
    let mut t = Talk::new();
    prompt(&t.say("send money to mum"));
    assert_eq!(prompt(&t.say("a hundred and fifty dollars")), "Send $150.00 to mum?");
}

/// A new value said to the confirmation ("no, thirty dollars", "make it
/// fifty", "actually tomorrow") asks again with that value: it never runs
/// without its own yes, and a "no" with anything else still cancels.
#[test]
fn a_value_corrected_at_the_confirmation_is_asked_again() {
    for (reply, asked) in [
        ("no, thirty dollars", "Send $30.00 to mum?"),
        ("no wait send thirty", "Send $30.00 to mum?"),
        ("make it fifty", "Send $50.00 to mum?"),
        ("sorry I meant forty dollars", "Send $40.00 to mum?"),
        ("yes thirty", "Send $30.00 to mum?"),
        ("actually tomorrow", "Send $20.00 to mum tomorrow?"),
        ("yes but make it thirty", "Send $30.00 to mum?"),
        ("ok but tomorrow", "Send $20.00 to mum tomorrow?"),
    ] {
        let mut t = Talk::new();
        assert_eq!(prompt(&t.say("send twenty dollars to mum")), "Send $20.00 to mum?");
        assert_eq!(prompt(&t.say(reply)), asked, "{reply}");
        match t.say("yes") {
            Step::Run { intent, confirmed: true, .. } => assert_eq!(intent.name, "transfer_money"),
            other => panic!("{reply}: {other:?}"),
        }
    }
    for refusal in ["no", "no, not thirty", "no that's wrong", "twenty", "no, twenty dollars"] {
        let mut t = Talk::new();
        prompt(&t.say("send twenty dollars to mum"));
        assert!(!matches!(t.say(refusal), Step::Run { .. }), "{refusal}");
    }
}

#[test]
fn the_full_request_said_again_fills_the_slot() {
    let mut t = Talk::new();
    prompt(&t.say("book me a ride"));
    match t.say_and_confirm("book me a ride to the station") {
        Step::Run { intent, .. } => assert_eq!(intent.slot("destination").unwrap().value, Value::Text("station".into())),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_full_request_misheard_while_a_slot_is_asked_is_checked() {
    let mut t = Talk::new();
    prompt(&t.say("book me a ride"));
    // Checked by the ride's own question, which says what was heard.
    let s = t.hear("book me a ride to the station");
    assert!(prompt(&s).starts_with("Book a standard ride to station"), "{}", prompt(&s));
    match t.say("yes") {
        Step::Run { intent, .. } => assert_eq!(intent.slot("destination").unwrap().value, Value::Text("station".into())),
        other => panic!("{other:?}"),
    }
}

#[test]
fn filling_then_confirming() {
    let mut t = Talk::new();
    assert_eq!(prompt(&t.say("pay my bill")), "Which bill should I pay?");
    let s = t.say("the internet");
    assert_eq!(prompt(&s), "Pay $35.00 for your internet bill?");
    assert!(matches!(t.say("go ahead"), Step::Run { confirmed: true, .. }));
    // An amount answer is read with the money parser.
    prompt(&t.say("send money to budi"));
    let s = t.say("twenty dollars");
    assert_eq!(prompt(&s), "Send $20.00 to budi?");
}

#[test]
fn out_of_domain_is_politely_rejected() {
    let mut t = Talk::new();
    let s = t.say("what is the weather like in paris tomorrow");
    assert_eq!(reply(&s), Status::NotUnderstood);
    if let Step::Reply(o) = s {
        assert!(o.say.starts_with("Sorry"));
    }
}

#[test]
fn keys_follow_the_request() {
    let m = matcher();
    let k = |t: &str| idempotency_key(&m.parse(t).unwrap());
    assert_eq!(k("pay my electricity bill of forty two dollars"), k("please pay the electricity bill for $42"));
    assert_ne!(k("pay my electricity bill of forty two dollars"), k("pay my electricity bill of forty three dollars"));
    assert_ne!(k("send 20 dollars to mom"), k("send 20 dollars to dad"));
}

/// What hush says at a step: its question or its reply.
fn text(s: &Step) -> String {
    match s {
        Step::Ask { prompt, .. } => prompt.clone(),
        Step::Reply(o) => o.say.clone(),
        other => panic!("{other:?}"),
    }
}

/// The dialogue's own sentences follow the language of the intent files:
/// Indonesian domains hear Indonesian, and an app may bring its own table.
#[test]
fn the_dialogue_speaks_the_language_of_the_intents() {
    use hush_actions::Messages;
    use hush_nlu::Language;
    let id = Matcher::new(IntentSet::builtin_in(Language::Indonesian).unwrap(), MatchParams::default());
    let say = |d: &mut Dialogue, text: &str| d.step(text, id.parse(text), false, &id, &registry(), Instant::now());
    let mut d = Dialogue::new(DialogueParams::default());
    assert_eq!(text(&say(&mut d, "apa kabar dunia")), "Maaf, saya tidak bisa membantu itu.");
    assert!(matches!(say(&mut d, "bayar tagihan listrik lima puluh ribu"), Step::Ask { .. }));
    assert!(text(&say(&mut d, "hmm")).starts_with("Maaf, tolong jawab ya atau tidak. "));
    assert_eq!(text(&say(&mut d, "jangan")), "Oke, dibatalkan.");
    let s = say(&mut d, "pesan ojek");
    assert_eq!(text(&s), "Mau ke mana?", "the question of the Indonesian file");
    assert!(text(&say(&mut d, "")).starts_with("Maaf, saya kurang menangkap. Mau ke mana?"));
    // English stays English, and an app's own table replaces hush's.
    let mut en = Dialogue::new(DialogueParams::default());
    let s = en.step("what is the meaning of life", None, false, matcher(), &registry(), Instant::now());
    assert_eq!(text(&s), "Sorry, I can't help with that.");
    let mut own = Messages::indonesian();
    own.cant_help = "Wah, belum bisa.".into();
    let mut routes = registry();
    routes.set_messages(Language::Indonesian, own);
    let mut d = Dialogue::new(DialogueParams::default());
    let s = d.step("apa kabar dunia", None, false, &id, &routes, Instant::now());
    assert_eq!(text(&s), "Wah, belum bisa.");
}

/// With English and Indonesian loaded together, each request is asked
/// about in its own language, a missing slot is read with that language's
/// lists, and what was not understood is answered in the language heard.
#[test]
fn two_languages_in_one_dialogue() {
    use hush_nlu::Language;
    let both = Matcher::new(IntentSet::builtin_for(&[Language::English, Language::Indonesian]).unwrap(), MatchParams::default());
    let say = |d: &mut Dialogue, text: &str| d.step(text, both.parse(text), false, &both, &registry(), Instant::now());
    let mut d = Dialogue::new(DialogueParams::default());
    assert_eq!(text(&say(&mut d, "pesan ojek")), "Mau ke mana?");
    assert!(text(&say(&mut d, "ke bandara")).starts_with("Pesan motor ke bandara"));
    match say(&mut d, "iya") {
        Step::Run { intent, .. } => {
            assert_eq!(intent.language, Language::Indonesian);
            assert_eq!(intent.slots.iter().find(|s| s.name == "destination").map(|s| s.value.clone()), Some(hush_nlu::Value::Text("airport".into())));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(text(&say(&mut d, "book a ride")), "Where to?");
    assert!(text(&say(&mut d, "to the airport")).starts_with("Book a standard ride to airport"));
    assert!(matches!(say(&mut d, "yes"), Step::Run { .. }));
    // Typed: the language its words lean to; neither: the first loaded.
    assert_eq!(text(&say(&mut d, "apa kabar dunia")), "Maaf, saya tidak bisa membantu itu.");
    assert_eq!(text(&say(&mut d, "what is the meaning of life")), "Sorry, I can't help with that.");
    assert_eq!(text(&say(&mut d, "xyzzy")), "Sorry, I can't help with that.");
    // Heard: the language the recogniser heard.
    d.hear_in(Some(Language::Indonesian));
    assert_eq!(text(&say(&mut d, "xyzzy")), "Maaf, saya tidak bisa membantu itu.");
    d.hear_in(Some(Language::English));
    assert_eq!(text(&say(&mut d, "apa kabar dunia")), "Sorry, I can't help with that.");
}

/// A message is read back before it is sent, in the words of its intent
/// file's `confirmation`; unclear, it is asked again the same way, and a
/// no sends nothing. An action's own question comes first.
#[test]
fn a_message_is_read_back_before_it_is_sent() {
    let mut t = Talk::new();
    let s = t.say("text mum i will be home at six and i will bring milk");
    assert_eq!(prompt(&s), "Send \"i will be home at six and i will bring milk\" to mum?");
    let s = t.say("hmm");
    assert_eq!(prompt(&s), "Sorry, please say yes or no. Send \"i will be home at six and i will bring milk\" to mum?");
    assert_eq!(reply(&t.say("no")), Status::Aborted);
    let s = t.say("tell dad i will call him if i can");
    assert_eq!(prompt(&s), "Send \"i will call him if i can\" to dad?");
    assert!(matches!(t.say("yes"), Step::Run { confirmed: true, .. }));
    // The reference payments phrase their own, whatever a file says.
    let file =
        "intents:\n  pay_bill:\n    confirm: true\n    confirmation: \"Pay it?\"\n    slots: {biller: wildcard}\n    templates: [\"pay the {biller} bill\"]\n";
    let set = IntentSet::from_sources(&[("pay.yaml", file)]).unwrap();
    let m = Matcher::new(set, MatchParams::default());
    let mut d = Dialogue::new(DialogueParams::default());
    let s = d.step("pay the electricity bill", m.parse("pay the electricity bill"), false, &m, &t.r, t.now);
    assert!(prompt(&s).starts_with("Pay $") && prompt(&s).ends_with("for your electricity bill?"), "{s:?}");
    let mut plain = Dialogue::new(DialogueParams::default());
    let s = plain.step("pay the electricity bill", m.parse("pay the electricity bill"), false, &m, &Registry::default(), t.now);
    assert_eq!(prompt(&s), "Pay it?");
}
