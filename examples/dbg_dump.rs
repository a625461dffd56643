use hush::parts::nlu::*;
use std::io::BufRead;
fn main() {
    let m = Matcher::new(IntentSet::builtin().unwrap(), MatchParams::default());
    let model = hush::parts::builtin_learned().unwrap().unwrap();
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        let text = v["text"].as_str().unwrap();
        let p = model.predict(&[text]).unwrap().pop().unwrap();
        let nb: Vec<(String, f32, f32)> = m.parse_nbest(text, 3).into_iter().map(|i| (i.name, i.confidence, i.cost)).collect();
        println!(
            "{}",
            serde_json::json!({"text": text, "gold": v["intent"], "part": v["part"], "half": v["half"], "l_intent": p.intent, "l_conf": p.confidence, "nbest": nb})
        );
    }
}
