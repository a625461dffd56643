//! What hush says itself, per language: the dialogue's cancellations and
//! repeated questions, the registry's word on an action that failed, hung
//! or is missing. An action's own sentences are its own; slot questions
//! come from the intent files (`prompt:`).

use hush_nlu::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// hush's sentences in one language. A `{name}` in them is filled in when
/// said (see each field); names with underscores are said with spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Messages {
    /// A refusal to a confirmation, or a cancel to a question.
    pub cancelled: String,
    /// A second unclear answer to a confirmation.
    pub still_unclear: String,
    /// Said before the confirmation question when it is asked again.
    pub say_yes_or_no: String,
    /// Said before a slot question when it is asked again.
    pub didnt_get: String,
    /// A request heard doubtfully, checked before anything is done
    /// (`{heard}`: the words as heard).
    pub did_you_say: String,
    /// A no to that check.
    pub say_again: String,
    /// Nothing understood.
    pub cant_help: String,
    /// A request said in the negative ("don't call mum"): nothing done.
    pub wont: String,
    /// A confirmed request (a payment, a ride, an order) asked for more
    /// than once, for two, or with the choice left open ("every month",
    /// "to mum and dad", "mum or dad"): none made.
    pub one_payment: String,
    /// Said with the first of two requests said together ("book a ride
    /// ... and order a pizza"), after what it did or before its question:
    /// the second is not done (`{request}`: its words).
    pub one_at_a_time: String,
    /// A confirmed request asked for on a condition ("if it is under
    /// fifty dollars", "unless she already paid"): not done.
    pub conditional: String,
    /// A yes or no after the question expired (`{intent}`).
    pub expired: String,
    /// A yes with nothing pending.
    pub nothing_to_confirm: String,
    /// A no or cancel with nothing pending.
    pub okay: String,
    /// A slot question when the intent file has no `prompt:` (`{slot}`).
    pub what: String,
    /// The confirmation of an action that phrases none (`{request}`: the
    /// intent's name and slots).
    pub confirm: String,
    /// No action handles the intent (`{intent}`).
    pub unhandled: String,
    /// The action was stopped (the user or the app cancelled it).
    pub stopped: String,
    /// The action panicked.
    pub panicked: String,
    /// The action ran past its timeout and was stopped.
    pub timed_out: String,
    /// The action ran past its timeout and cannot be stopped.
    pub timed_out_running: String,
    /// The action was cancelled and cannot be stopped.
    pub still_running: String,
    /// The action refused a slot's value (`{slot}`, `{reason}`: the
    /// action's own words).
    pub invalid_slot: String,
    /// The action lacks a slot (`{slot}`).
    pub missing_slot: String,
    /// The action failed for a reason the user cannot act on.
    pub failed: String,
}

impl Messages {
    pub fn english() -> Messages {
        Messages {
            cancelled: "Okay, cancelled.".into(),
            still_unclear: "I still didn't hear a clear yes, so I cancelled it. Please ask again.".into(),
            say_yes_or_no: "Sorry, please say yes or no.".into(),
            didnt_get: "Sorry, I didn't get that.".into(),
            did_you_say: "Did you say \"{heard}\"?".into(),
            say_again: "Okay, please say it again.".into(),
            cant_help: "Sorry, I can't help with that.".into(),
            wont: "Okay, I won't.".into(),
            one_payment: "I can do that only once, and one at a time. Please ask for each on its own.".into(),
            one_at_a_time: "Please ask for \"{request}\" on its own.".into(),
            conditional: "I can't do that on a condition I can't check. Please ask for it when it should be done.".into(),
            expired: "That question timed out, so I did not {intent}. Please ask again.".into(),
            nothing_to_confirm: "There is nothing to confirm.".into(),
            okay: "Okay.".into(),
            what: "What {slot}?".into(),
            confirm: "{request}?".into(),
            unhandled: "I understood \"{intent}\", but no app here handles that.".into(),
            stopped: "Stopped.".into(),
            panicked: "Sorry, something went wrong while doing that.".into(),
            timed_out: "Sorry, that is taking too long; I stopped it.".into(),
            timed_out_running: "Sorry, that is taking too long. I asked it to stop, but it is still running and may yet finish.".into(),
            still_running: "I asked it to stop, but it is still running and may yet finish.".into(),
            invalid_slot: "I can't use that {slot}: {reason}.".into(),
            missing_slot: "I need the {slot} for that.".into(),
            failed: "Sorry, that didn't work. Please try again later.".into(),
        }
    }

    pub fn indonesian() -> Messages {
        Messages {
            cancelled: "Oke, dibatalkan.".into(),
            still_unclear: "Saya belum mendengar jawaban ya yang jelas, jadi saya batalkan. Silakan minta lagi.".into(),
            say_yes_or_no: "Maaf, tolong jawab ya atau tidak.".into(),
            didnt_get: "Maaf, saya kurang menangkap.".into(),
            did_you_say: "Maksudnya \"{heard}\"?".into(),
            say_again: "Oke, silakan ulangi.".into(),
            cant_help: "Maaf, saya tidak bisa membantu itu.".into(),
            wont: "Oke, tidak saya lakukan.".into(),
            one_payment: "Saya hanya bisa melakukannya sekali, satu per satu. Silakan minta masing-masing secara terpisah.".into(),
            one_at_a_time: "Silakan minta \"{request}\" secara terpisah.".into(),
            conditional: "Saya tidak bisa melakukannya dengan syarat yang tidak bisa saya periksa. Silakan minta lagi saat harus dilakukan.".into(),
            expired: "Pertanyaannya sudah kedaluwarsa, jadi {intent} tidak saya jalankan. Silakan minta lagi.".into(),
            nothing_to_confirm: "Tidak ada yang perlu dikonfirmasi.".into(),
            okay: "Oke.".into(),
            what: "{slot} apa?".into(),
            confirm: "Lanjutkan {request}?".into(),
            unhandled: "Saya mengerti \"{intent}\", tapi belum ada aplikasi yang menanganinya.".into(),
            stopped: "Dihentikan.".into(),
            panicked: "Maaf, ada yang salah saat menjalankannya.".into(),
            timed_out: "Maaf, terlalu lama; sudah saya hentikan.".into(),
            timed_out_running: "Maaf, terlalu lama. Sudah saya minta berhenti, tapi masih berjalan dan mungkin tetap selesai.".into(),
            still_running: "Sudah saya minta berhenti, tapi masih berjalan dan mungkin tetap selesai.".into(),
            invalid_slot: "{slot} itu tidak bisa saya pakai: {reason}.".into(),
            missing_slot: "Saya perlu {slot} untuk itu.".into(),
            failed: "Maaf, tidak berhasil. Silakan coba lagi nanti.".into(),
        }
    }

    /// These sentences with some replaced by name (`"cant_help"`), as a
    /// host's configuration gives them; an unknown name is an error that
    /// lists the known ones.
    pub fn replaced(&self, changes: &BTreeMap<String, String>) -> Result<Messages, String> {
        let Ok(serde_json::Value::Object(mut fields)) = serde_json::to_value(self) else {
            return Err("the messages are not a table".into());
        };
        for (name, text) in changes {
            if !fields.contains_key(name) {
                let known: Vec<&str> = fields.keys().map(String::as_str).collect();
                return Err(format!("unknown message '{name}'; the messages are {}", known.join(", ")));
            }
            fields.insert(name.clone(), text.clone().into());
        }
        serde_json::from_value(fields.into()).map_err(|e| e.to_string())
    }

    pub fn mandarin() -> Messages {
        Messages {
            cancelled: "好的，已取消。".into(),
            still_unclear: "我还是没听到明确的“是”，所以取消了。请再说一遍。".into(),
            say_yes_or_no: "抱歉，请回答是或不是。".into(),
            didnt_get: "抱歉，我没听清。".into(),
            did_you_say: "您是说“{heard}”吗？".into(),
            say_again: "好的，请再说一遍。".into(),
            cant_help: "抱歉，这个我帮不了。".into(),
            wont: "好的，不做。".into(),
            one_payment: "这件事我只能办一次，一次办一件。请分开说。".into(),
            one_at_a_time: "请单独再说一次“{request}”。".into(),
            conditional: "我无法确认这个条件，不能按条件办理。请在该办的时候再跟我说。".into(),
            expired: "问题已超时，所以没有执行 {intent}。请再说一遍。".into(),
            nothing_to_confirm: "没有需要确认的事。".into(),
            okay: "好的。".into(),
            what: "{slot} 是什么？".into(),
            confirm: "确认 {request}？".into(),
            unhandled: "我听懂了“{intent}”，但这里没有应用能处理。".into(),
            stopped: "已停止。".into(),
            panicked: "抱歉，执行时出了问题。".into(),
            timed_out: "抱歉，时间太长，已经停止。".into(),
            timed_out_running: "抱歉，时间太长。已经要求停止，但它还在运行，可能仍会完成。".into(),
            still_running: "已经要求停止，但它还在运行，可能仍会完成。".into(),
            invalid_slot: "无法使用这个 {slot}：{reason}。".into(),
            missing_slot: "需要 {slot} 才能做这件事。".into(),
            failed: "抱歉，没有成功。请稍后再试。".into(),
        }
    }

    /// hush's own table for `language`.
    pub fn builtin(language: Language) -> Messages {
        match language {
            Language::English => Messages::english(),
            Language::Indonesian => Messages::indonesian(),
            Language::Mandarin => Messages::mandarin(),
        }
    }
}

/// `template` with each `{name}` of `args` replaced by its value, in one
/// pass: braces inside a value (a name the user said) stay as they are,
/// and a `{name}` not in `args` is kept.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let arg = after.find('}').and_then(|close| args.iter().find(|(k, _)| *k == &after[..close]).map(|(_, v)| (close, v)));
        match arg {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `name` as said: underscores spaced.
pub(crate) fn spaced(name: &str) -> String {
    name.replace('_', " ")
}
