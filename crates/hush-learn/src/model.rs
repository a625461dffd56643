//! The learned model: the encoder with an intent head (over the mean of the
//! token vectors) and a BIO slot-tagging head (over the first word piece of
//! each word), trained together with AdamW. A saved model is its adapters,
//! heads and labels (~1-2 MB); the pretrained encoder is shared and named
//! by its model id.

use crate::bert::mean_pool;
use crate::data::{CharSpan, Example, Prediction, TaggedSlot};
use crate::encoder::Encoder;
use crate::LearnError;
use candle_core::{DType, Module, Tensor, D};
use candle_nn::{linear, Linear, Optimizer, ParamsAdamW, VarBuilder, VarMap};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tokenizers::Encoding;

/// What a saved model folder says about itself (`model.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Meta {
    /// The pretrained encoder's model id (e.g. `minilm`).
    encoder: String,
    /// Rank of the encoder's adapters.
    rank: usize,
    labels: Labels,
}

/// The label sets a model was trained with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub intents: Vec<String>,
    /// "O", then "B-slot" and "I-slot" for every slot.
    pub tags: Vec<String>,
    /// Softmax temperature fitted on the validation split, so that the
    /// confidence is calibrated.
    pub temperature: f32,
    /// The slots each intent was trained with: a sentence is tagged only
    /// with its intent's (SNIPS's `playlist` never belongs to
    /// `GetWeather`). Empty in models saved before it: any slot.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub slots_of: BTreeMap<String, Vec<String>>,
}

impl Labels {
    pub fn from_examples(examples: &[Example]) -> Labels {
        let mut intents: Vec<String> = examples.iter().map(|e| e.intent.clone()).collect();
        intents.sort();
        intents.dedup();
        let mut slots: Vec<&str> = examples.iter().flat_map(|e| e.spans.iter().map(|s| s.slot.as_str())).collect();
        slots.sort();
        slots.dedup();
        let mut tags = vec!["O".to_owned()];
        for s in slots {
            tags.push(format!("B-{s}"));
            tags.push(format!("I-{s}"));
        }
        let mut slots_of: BTreeMap<String, Vec<String>> = intents.iter().map(|i| (i.clone(), Vec::new())).collect();
        for e in examples {
            slots_of.entry(e.intent.clone()).or_default().extend(e.spans.iter().map(|s| s.slot.clone()));
        }
        for of in slots_of.values_mut() {
            of.sort();
            of.dedup();
        }
        Labels { intents, tags, temperature: 1.0, slots_of }
    }

    /// Which tags a sentence read as `intent` may carry: "O" and its own
    /// slots'; None where the model does not know (any tag).
    fn tags_of(&self, intent: &str) -> Option<Vec<bool>> {
        if self.slots_of.is_empty() {
            return None;
        }
        let own = self.slots_of.get(intent);
        Some(self.tags.iter().map(|t| t.split_once('-').is_none_or(|(_, s)| own.is_some_and(|o| o.iter().any(|x| x == s)))).collect())
    }

    fn tag(&self, name: &str) -> Option<u32> {
        self.tags.iter().position(|t| t == name).map(|i| i as u32)
    }

    /// The most likely tags of a sentence's words that read as BIO: an
    /// "I-slot" only after "B-slot" or "I-slot". Taking each word's best
    /// tag alone splits a value the tagger is unsure of ("taylor" B-artist,
    /// "swift" I-media) into two; Viterbi over the words' log-probabilities
    /// keeps it whole under the slot the two words together favour. Tags
    /// not `allowed` (by index) are never taken.
    fn best_path(&self, words: &[&[f32]], allowed: Option<&[bool]>) -> Vec<usize> {
        let n = self.tags.len().min(words.iter().map(|w| w.len()).min().unwrap_or(0));
        if n == 0 {
            return Vec::new();
        }
        let masked: Vec<Vec<f32>>;
        let words: Vec<&[f32]> = match allowed {
            Some(ok) => {
                masked = words
                    .iter()
                    .map(|w| w.iter().enumerate().map(|(t, &x)| if ok.get(t).copied().unwrap_or(true) { x } else { f32::NEG_INFINITY }).collect())
                    .collect();
                masked.iter().map(Vec::as_slice).collect()
            }
            None => words.to_vec(),
        };
        let slot = |t: usize| self.tags[t].split_once('-');
        // For each "I-" tag, the tags it may follow; None: any.
        let after: Vec<Option<Vec<usize>>> = (0..n)
            .map(|t| match slot(t) {
                Some(("I", s)) => Some((0..n).filter(|&p| slot(p).is_some_and(|(_, q)| q == s)).collect()),
                _ => None,
            })
            .collect();
        let mut score: Vec<f32> = (0..n).map(|t| if after[t].is_some() { f32::NEG_INFINITY } else { words[0][t] }).collect();
        let mut back: Vec<Vec<usize>> = Vec::with_capacity(words.len());
        for w in &words[1..] {
            let best = argmax(&score);
            let mut from = vec![best; n];
            let mut next = vec![0.0; n];
            for t in 0..n {
                // An "I-" tag's own list holds itself, so it is never empty.
                let p = match &after[t] {
                    None => best,
                    Some(prev) => prev.iter().copied().max_by(|&a, &b| score[a].total_cmp(&score[b])).unwrap_or(t),
                };
                from[t] = p;
                next[t] = score[p] + w[t];
            }
            back.push(from);
            score = next;
        }
        let mut t = argmax(&score);
        let mut path = vec![t];
        for from in back.iter().rev() {
            t = from[t];
            path.push(t);
        }
        path.reverse();
        path
    }

    /// The slots that words (character spans) tagged `path` spell, without
    /// their text. Words side by side tagged with one slot are one value
    /// whether the second is "I-" or "B-": the tagger often opens a long
    /// name twice ("genre" B, "bender" B), and two values of one slot with
    /// nothing between them are almost never meant (2 of SNIPS's 13,784
    /// training sentences).
    fn slots_along(&self, words: &[(usize, usize)], path: &[usize]) -> Vec<TaggedSlot> {
        let mut out: Vec<TaggedSlot> = Vec::new();
        let mut open = false;
        for (&(a, b), &t) in words.iter().zip(path) {
            let Some((_, slot)) = self.tags.get(t).and_then(|tag| tag.split_once('-')) else {
                open = false;
                continue;
            };
            match out.last_mut() {
                Some(last) if open && last.slot == slot => last.end = b,
                _ => out.push(TaggedSlot { slot: slot.to_owned(), start: a, end: b, text: String::new() }),
            }
            open = true;
        }
        out
    }
}

/// The tokenizer's words (character spans, with what goes with each)
/// joined across a mark between two words with no space ("5,000,000",
/// "drive-in"): a tag left off one part made two values of one number,
/// each misread (",000 dollars" as $0). A mark at a word's end ("bikini,")
/// stays a word of its own, and so does a possessive's "'s": the name is
/// the value ("Tom Cochrane").
fn join_inner_marks<T: Copy>(chars: &[char], words: &mut Vec<(usize, usize, T)>) {
    let text = |&(a, b, _): &(usize, usize, T)| chars.get(a..b).unwrap_or_default();
    let mark = |w: &(usize, usize, T)| !text(w).iter().any(|c| c.is_alphanumeric());
    let mut i = 0;
    while i + 2 < words.len() {
        let (w, m, next) = (words[i], words[i + 1], words[i + 2]);
        if w.1 == m.0 && m.1 == next.0 && mark(&m) && !mark(&w) && !mark(&next) && !matches!(text(&next), ['s' | 'S']) {
            words[i].1 = next.1;
            words.drain(i + 1..i + 3);
        } else {
            i += 1;
        }
    }
}

/// Training settings.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainParams {
    pub epochs: usize,
    pub batch_size: usize,
    /// Learning rate of the encoder's adapters.
    pub encoder_lr: f64,
    /// Learning rate of the two heads (new weights learn faster).
    pub head_lr: f64,
    /// Stop after this many epochs without a better validation score.
    pub patience: usize,
    pub seed: u64,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams { epochs: 8, batch_size: 16, encoder_lr: 1e-3, head_lr: 2e-3, patience: 2, seed: 17 }
    }
}

/// Where training is, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub epoch: usize,
    pub step: usize,
    pub steps: usize,
    pub loss: f32,
    /// Validation intent accuracy and slot F1 after the last finished epoch.
    pub val: Option<(f32, f32)>,
}

/// What training did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainReport {
    pub epochs_run: usize,
    pub best_epoch: usize,
    /// Mean training loss per epoch.
    pub losses: Vec<f32>,
    /// Validation intent accuracy per epoch (empty without validation data).
    pub val_accuracy: Vec<f32>,
    /// Validation slot F1 (exact spans) per epoch.
    pub val_slot_f1: Vec<f32>,
}

pub struct LearnedModel {
    pub encoder: Encoder,
    /// The encoder's model id, saved with the model.
    encoder_id: String,
    heads: VarMap,
    intent_head: Linear,
    tag_head: Linear,
    pub labels: Labels,
}

impl LearnedModel {
    /// A new model on the pretrained encoder in `encoder_dir` (a folder
    /// named by its model id), with adapters of `rank` (0: the encoder
    /// stays as pretrained) and heads initialised from `seed`.
    pub fn new(encoder_dir: &Path, labels: Labels, rank: usize, seed: u64) -> Result<Self, LearnError> {
        let encoder = Encoder::load(encoder_dir, rank)?;
        encoder.bert.reseed(seed);
        let mut model = Self::with_heads(encoder, labels)?;
        model.encoder_id = encoder_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // candle's CPU initialiser cannot be seeded: draw the start weights
        // (PyTorch's Linear default range; adapters' B stays zero) from our
        // own generator.
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
        let hidden = model.encoder.bert.config().hidden_size;
        for vars in [&model.encoder.adapters, &model.heads] {
            let data = vars.data().lock().unwrap_or_else(|p| p.into_inner());
            let mut names: Vec<&String> = data.keys().filter(|k| !k.ends_with("lora_b")).collect();
            names.sort();
            for name in names {
                let var = &data[name];
                let fan_in = if var.rank() == 2 { var.dim(1)? } else { hidden };
                let bound = 1.0 / (fan_in as f32).sqrt();
                let values: Vec<f32> = (0..var.elem_count()).map(|_| rand::Rng::random_range(&mut rng, -bound..bound)).collect();
                var.set(&Tensor::from_vec(values, var.shape(), &model.encoder.device)?)?;
            }
        }
        Ok(model)
    }

    fn with_heads(encoder: Encoder, labels: Labels) -> Result<Self, LearnError> {
        let heads = VarMap::new();
        let vb = VarBuilder::from_varmap(&heads, DType::F32, &encoder.device);
        let h = encoder.bert.config().hidden_size;
        let intent_head = linear(h, labels.intents.len(), vb.pp("intent"))?;
        let tag_head = linear(h, labels.tags.len(), vb.pp("tags"))?;
        Ok(LearnedModel { encoder, encoder_id: String::new(), heads, intent_head, tag_head, labels })
    }

    /// Intent logits (batch, intents) and tag logits (batch, seq, tags).
    fn logits(&self, ids: &Tensor, mask: &Tensor, train: bool) -> Result<(Tensor, Tensor), LearnError> {
        let states = self.encoder.bert.forward(ids, mask, train)?;
        let intent = self.intent_head.forward(&mean_pool(&states, mask)?)?;
        Ok((intent, self.tag_head.forward(&states)?))
    }

    /// Per-word-piece tag ids of an example: a tag on the first piece of
    /// each word, None elsewhere ([CLS], [SEP], the rest of a word).
    fn gold_tags(&self, e: &Example, enc: &Encoding) -> Vec<Option<u32>> {
        let mut prev: Option<&CharSpan> = None;
        first_pieces(enc)
            .into_iter()
            .zip(enc.get_offsets())
            .map(|(first, &(a, _))| {
                if !first {
                    return None;
                }
                let span = e.spans.iter().find(|s| a >= s.start && a < s.end);
                let tag = match span {
                    Some(s) if prev == Some(s) => self.labels.tag(&format!("I-{}", s.slot)),
                    Some(s) => self.labels.tag(&format!("B-{}", s.slot)),
                    None => self.labels.tag("O"),
                };
                prev = span;
                tag
            })
            .collect()
    }

    /// The loss of a batch: intent cross-entropy plus tag cross-entropy over
    /// real word pieces.
    fn loss(&self, batch: &[&Example], train: bool) -> Result<Tensor, LearnError> {
        let texts: Vec<&str> = batch.iter().map(|e| e.text.as_str()).collect();
        let enc = self.encoder.encode(&texts)?;
        let (ids, mask) = self.encoder.batch(&enc)?;
        let (intent_logits, tag_logits) = self.logits(&ids, &mask, train)?;
        let dev = &self.encoder.device;
        let unknown = |i: &str| LearnError::Label(format!("intent '{i}' is not in the model's labels"));
        let gold: Vec<u32> = batch
            .iter()
            .map(|e| self.labels.intents.iter().position(|x| *x == e.intent).map(|p| p as u32).ok_or_else(|| unknown(&e.intent)))
            .collect::<Result<_, _>>()?;
        let intent_loss = candle_nn::loss::cross_entropy(&intent_logits, &Tensor::new(gold, dev)?)?;
        let seq = ids.dim(1)?;
        let (mut at, mut tags) = (Vec::new(), Vec::new());
        for (row, (e, en)) in batch.iter().zip(&enc).enumerate() {
            for (i, t) in self.gold_tags(e, en).into_iter().enumerate() {
                if let Some(t) = t {
                    at.push((row * seq + i) as u32);
                    tags.push(t);
                }
            }
        }
        if at.is_empty() {
            return Ok(intent_loss);
        }
        let flat = tag_logits.reshape(((), self.labels.tags.len()))?;
        let picked = flat.index_select(&Tensor::new(at, dev)?, 0)?;
        let tag_loss = candle_nn::loss::cross_entropy(&picked, &Tensor::new(tags, dev)?)?;
        Ok((intent_loss + tag_loss)?)
    }

    /// Trains on `train`, keeping the weights of the epoch with the best
    /// validation score, the mean of intent accuracy and slot F1 (or the
    /// last epoch without validation data), then fits the confidence
    /// temperature on `val`.
    pub fn train(&mut self, train: &[Example], val: &[Example], p: &TrainParams, mut progress: impl FnMut(Progress)) -> Result<TrainReport, LearnError> {
        if train.is_empty() {
            return Err(LearnError::Label("no training examples".into()));
        }
        let adamw = |vars: Vec<candle_core::Var>, lr: f64| candle_nn::AdamW::new(vars, ParamsAdamW { lr, weight_decay: 0.01, ..Default::default() });
        let mut enc_opt = adamw(self.encoder.adapters.all_vars(), p.encoder_lr)?;
        let mut head_opt = adamw(self.heads.all_vars(), p.head_lr)?;
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(p.seed);
        let size = p.batch_size.max(1);
        let steps = train.len().div_ceil(size);
        let mut report = TrainReport { epochs_run: 0, best_epoch: 0, losses: vec![], val_accuracy: vec![], val_slot_f1: vec![] };
        let mut best: Option<(f32, Vec<(String, Tensor)>)> = None;
        let mut last = None;
        // Learning rates rise over the first 6 % of steps and fall linearly
        // to zero at the end: late epochs refine instead of jumping around.
        let total_steps = (steps * p.epochs).max(1) as f64;
        let warmup = (total_steps * 0.06).max(1.0);
        let mut done = 0.0;
        for epoch in 1..=p.epochs {
            let batches = batches_by_length(train, size, &mut rng);
            let mut total = 0.0;
            for (step, chunk) in batches.iter().enumerate() {
                done += 1.0;
                let factor = (done / warmup).min((total_steps - done + 1.0) / (total_steps - warmup + 1.0)).clamp(0.0, 1.0);
                enc_opt.set_learning_rate(p.encoder_lr * factor);
                head_opt.set_learning_rate(p.head_lr * factor);
                let batch: Vec<&Example> = chunk.iter().map(|&i| &train[i]).collect();
                let loss = self.loss(&batch, true)?;
                let grads = loss.backward()?;
                enc_opt.step(&grads)?;
                head_opt.step(&grads)?;
                let l = loss.to_scalar::<f32>()?;
                total += l;
                progress(Progress { epoch, step: step + 1, steps, loss: l, val: last });
            }
            report.epochs_run = epoch;
            report.losses.push(total / steps as f32);
            if val.is_empty() {
                report.best_epoch = epoch;
                continue;
            }
            let texts: Vec<&str> = val.iter().map(|e| e.text.as_str()).collect();
            let scores = crate::eval::score(val, &self.predict(&texts)?);
            let (acc, f1) = (scores.intent_accuracy as f32, scores.slot_f1 as f32);
            report.val_accuracy.push(acc);
            report.val_slot_f1.push(f1);
            last = Some((acc, f1));
            let score = (acc + f1) / 2.0;
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, self.snapshot()));
                report.best_epoch = epoch;
            } else if epoch - report.best_epoch >= p.patience {
                break;
            }
        }
        if let Some((_, weights)) = best {
            self.restore(&weights)?;
        }
        if !val.is_empty() {
            self.labels.temperature = self.fit_temperature(val)?;
        }
        Ok(report)
    }

    fn snapshot(&self) -> Vec<(String, Tensor)> {
        let mut out = Vec::new();
        for (prefix, vars) in [("e.", &self.encoder.adapters), ("h.", &self.heads)] {
            let data = vars.data().lock().unwrap_or_else(|p| p.into_inner());
            out.extend(data.iter().map(|(k, v)| (format!("{prefix}{k}"), v.as_tensor().copy().expect("a CPU copy"))));
        }
        out
    }

    fn restore(&self, weights: &[(String, Tensor)]) -> Result<(), LearnError> {
        for (prefix, vars) in [("e.", &self.encoder.adapters), ("h.", &self.heads)] {
            let data = vars.data().lock().unwrap_or_else(|p| p.into_inner());
            for (k, t) in weights.iter().filter_map(|(k, t)| k.strip_prefix(prefix).map(|k| (k, t))) {
                if let Some(v) = data.get(k) {
                    v.set(t)?;
                }
            }
        }
        self.encoder.bert.forget_merged();
        Ok(())
    }

    /// Intent logits of `examples`, in batches: (n, intents).
    fn intent_logits(&self, texts: &[&str]) -> Result<(Tensor, Vec<Encoding>, Tensor), LearnError> {
        let enc = self.encoder.encode(texts)?;
        let (ids, mask) = self.encoder.batch(&enc)?;
        let (intent, tags) = self.logits(&ids, &mask, false)?;
        Ok((intent, enc, tags))
    }

    /// The temperature that minimises the validation negative
    /// log-likelihood of the intent (a grid search: one parameter).
    fn fit_temperature(&self, val: &[Example]) -> Result<f32, LearnError> {
        let texts: Vec<&str> = val.iter().map(|e| e.text.as_str()).collect();
        let mut rows: Vec<(Vec<f32>, usize)> = Vec::new();
        for (chunk, ex) in texts.chunks(32).zip(val.chunks(32)) {
            let (logits, _, _) = self.intent_logits(chunk)?;
            for (l, e) in logits.to_vec2::<f32>()?.into_iter().zip(ex) {
                if let Some(g) = self.labels.intents.iter().position(|i| *i == e.intent) {
                    rows.push((l, g));
                }
            }
        }
        let nll = |t: f32| -> f32 {
            rows.iter()
                .map(|(l, g)| {
                    let m = l.iter().fold(f32::MIN, |a, &b| a.max(b / t));
                    let z: f32 = l.iter().map(|x| (x / t - m).exp()).sum();
                    m + z.ln() - l[*g] / t
                })
                .sum()
        };
        let grid = (1..=60).map(|i| i as f32 * 0.1);
        Ok(grid.min_by(|a, b| nll(*a).total_cmp(&nll(*b))).unwrap_or(1.0))
    }

    /// Reads sentences: intent, calibrated confidence, tagged slots.
    pub fn predict(&self, texts: &[&str]) -> Result<Vec<Prediction>, LearnError> {
        if texts.len() == 1 {
            // One utterance is too small for many cores (handing each
            // small op around costs more than it saves), but two halve
            // the big matrix products.
            return utterance_pool().install(|| self.predict_batches(texts));
        }
        self.predict_batches(texts)
    }

    fn predict_batches(&self, texts: &[&str]) -> Result<Vec<Prediction>, LearnError> {
        let mut out = Vec::new();
        for chunk in texts.chunks(32) {
            let (logits, enc, tags) = self.intent_logits(chunk)?;
            let probs = candle_nn::ops::softmax_last_dim(&(logits / self.labels.temperature as f64)?)?.to_vec2::<f32>()?;
            let tag_scores: Vec<Vec<Vec<f32>>> = candle_nn::ops::log_softmax(&tags, D::Minus1)?.to_vec3()?;
            for ((text, p), (en, t)) in chunk.iter().zip(probs).zip(enc.iter().zip(tag_scores)) {
                let best = argmax(&p);
                let intent = &self.labels.intents[best];
                let slots = self.spans(text, en, &t, self.labels.tags_of(intent).as_deref());
                out.push(Prediction { intent: intent.clone(), confidence: p[best], slots });
            }
        }
        Ok(out)
    }

    /// Slots in character offsets, whole words, from the tag scores of
    /// each word's first piece (the rest of a word goes where its first
    /// piece went); only `allowed` tags. Words as [`join_inner_marks`]
    /// leaves them.
    fn spans(&self, text: &str, enc: &Encoding, scores: &[Vec<f32>], allowed: Option<&[bool]>) -> Vec<TaggedSlot> {
        // (start, end, scores) of each word.
        let mut words: Vec<(usize, usize, &[f32])> = Vec::new();
        for ((first, &(a, b)), (&special, s)) in first_pieces(enc).into_iter().zip(enc.get_offsets()).zip(enc.get_special_tokens_mask().iter().zip(scores)) {
            if special == 1 || a == b {
                continue;
            }
            match words.last_mut() {
                Some(word) if !first => word.1 = b,
                _ => words.push((a, b, s)),
            }
        }
        join_inner_marks(&text.chars().collect::<Vec<char>>(), &mut words);
        let scores: Vec<&[f32]> = words.iter().map(|w| w.2).collect();
        let spans: Vec<(usize, usize)> = words.iter().map(|w| (w.0, w.1)).collect();
        let mut out = self.labels.slots_along(&spans, &self.labels.best_path(&scores, allowed));
        for s in &mut out {
            s.text = text.chars().skip(s.start).take(s.end - s.start).collect();
        }
        out
    }

    /// Writes the model folder: `adapters.safetensors`,
    /// `heads.safetensors` and `model.json` (labels, calibration, and the
    /// encoder's model id and adapter rank).
    pub fn save(&self, dir: &Path) -> Result<(), LearnError> {
        let io = |path: PathBuf| move |source| LearnError::Io { path, source };
        std::fs::create_dir_all(dir).map_err(io(dir.to_owned()))?;
        self.encoder.adapters.save(dir.join("adapters.safetensors"))?;
        self.heads.save(dir.join("heads.safetensors"))?;
        let meta = Meta { encoder: self.encoder_id.clone(), rank: self.encoder.rank, labels: self.labels.clone() };
        let text = serde_json::to_string_pretty(&meta).map_err(|e| LearnError::Label(e.to_string()))?;
        std::fs::write(dir.join("model.json"), text).map_err(io(dir.join("model.json")))
    }

    /// Loads a folder written by [`LearnedModel::save`]; `encoder_dir`
    /// maps the encoder's model id to its folder (e.g. the model cache's).
    pub fn load(dir: &Path, encoder_dir: impl FnOnce(&str) -> PathBuf) -> Result<Self, LearnError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| LearnError::Io { path, source })
        };
        let meta = read("model.json")?;
        // A broken model.json is the error to report, before missing weights.
        serde_json::from_slice::<Meta>(&meta).map_err(|e| LearnError::Config { path: dir.join("model.json"), detail: e.to_string() })?;
        let adapters = if dir.join("adapters.safetensors").exists() { read("adapters.safetensors")? } else { Vec::new() };
        Self::from_parts(&Saved { dir, meta: &meta, adapters: &adapters, heads: &read("heads.safetensors")? }, encoder_dir)
    }

    /// A model from the three files [`LearnedModel::save`] writes, already
    /// in memory (a model compiled into a program); `saved.dir` only
    /// names them in errors.
    pub fn from_parts(saved: &Saved, encoder_dir: impl FnOnce(&str) -> PathBuf) -> Result<Self, LearnError> {
        let meta: Meta = serde_json::from_slice(saved.meta).map_err(|e| LearnError::Config { path: saved.dir.join("model.json"), detail: e.to_string() })?;
        let mut encoder = Encoder::load(&encoder_dir(&meta.encoder), meta.rank)?;
        if meta.rank > 0 {
            encoder.set_adapters(saved.adapters, &saved.dir.join("adapters.safetensors"))?;
        }
        let model = Self::with_heads(encoder, meta.labels)?;
        crate::encoder::set_vars(&model.heads, saved.heads, &model.encoder.device, &saved.dir.join("heads.safetensors"))?;
        Ok(LearnedModel { encoder_id: meta.encoder, ..model })
    }
}

/// A saved model's files, in memory.
pub struct Saved<'a> {
    /// Where they came from (for errors).
    pub dir: &'a Path,
    /// `model.json`.
    pub meta: &'a [u8],
    /// `adapters.safetensors` (empty for a model of rank 0).
    pub adapters: &'a [u8],
    /// `heads.safetensors`.
    pub heads: &'a [u8],
}

/// A rayon pool of at most two threads (one on a one-core machine), for
/// reading one utterance.
fn utterance_pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap_or_else(|_| rayon::ThreadPoolBuilder::new().build().expect("a rayon pool"))
    })
}

/// The index of the largest value (the first of equals; 0 when empty).
fn argmax(xs: &[f32]) -> usize {
    xs.iter().enumerate().fold((0, f32::NEG_INFINITY), |acc, (i, &x)| if x > acc.1 { (i, x) } else { acc }).0
}

/// Whether each word piece starts a word (false for [CLS] and [SEP]).
fn first_pieces(enc: &Encoding) -> Vec<bool> {
    let words = enc.get_word_ids();
    (0..words.len()).map(|i| words[i].is_some() && (i == 0 || words[i] != words[i - 1])).collect()
}

/// The training set's indices in batches of similar length (less padding,
/// so faster steps), shuffled: sentences are shuffled, sorted by length
/// within windows of 50 batches, cut into batches, and the batches
/// shuffled again.
fn batches_by_length(train: &[Example], size: usize, rng: &mut rand::rngs::StdRng) -> Vec<Vec<usize>> {
    use rand::seq::SliceRandom;
    let mut order: Vec<usize> = (0..train.len()).collect();
    order.shuffle(rng);
    for window in order.chunks_mut(size * 50) {
        window.sort_by_key(|&i| train[i].text.len());
    }
    let mut batches: Vec<Vec<usize>> = order.chunks(size).map(<[usize]>::to_vec).collect();
    batches.shuffle(rng);
    batches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoder::set_vars;

    fn saved(tensors: &[(&str, Tensor)]) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.safetensors");
        candle_core::safetensors::save(&tensors.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(), &path).unwrap();
        std::fs::read(path).unwrap()
    }

    #[test]
    fn weights_of_another_shape_or_name_are_refused_whole() {
        let dev = candle_core::Device::Cpu;
        let vars = VarMap::new();
        let vb = VarBuilder::from_varmap(&vars, DType::F32, &dev);
        let _ = linear(4, 3, vb.pp("intent")).unwrap();
        let path = Path::new("heads.safetensors");
        let w = |r, c| Tensor::ones((r, c), DType::F32, &dev).unwrap();
        let b = |n| Tensor::ones(n, DType::F32, &dev).unwrap();
        let fits = saved(&[("intent.weight", w(3, 4)), ("intent.bias", b(3))]);
        set_vars(&vars, &fits, &dev, path).unwrap();
        let cases = [
            (saved(&[("intent.weight", w(5, 4)), ("intent.bias", b(3))]), "the model needs"),
            (saved(&[("intent.weight", w(3, 4))]), "no tensor intent.bias"),
            (saved(&[("intent.weight", w(3, 4)), ("intent.bias", b(3)), ("tags.bias", b(2))]), "unexpected tensor tags.bias"),
            (b"not safetensors".to_vec(), ""),
        ];
        for (bytes, want) in cases {
            let e = set_vars(&vars, &bytes, &dev, path).unwrap_err().to_string();
            assert!(e.starts_with("heads.safetensors") && e.contains(want), "{e}");
        }
    }

    #[test]
    fn tags_are_read_as_whole_values() {
        let tags = ["O", "B-artist", "I-artist", "B-media", "I-media"];
        let labels = Labels { intents: vec![], tags: tags.iter().map(|t| t.to_string()).collect(), temperature: 1.0, slots_of: BTreeMap::new() };
        let ln = |p: [f32; 5]| p.map(f32::ln);
        let read = |words: &[[f32; 5]]| -> Vec<&str> {
            let refs: Vec<&[f32]> = words.iter().map(|w| &w[..]).collect();
            labels.best_path(&refs, None).into_iter().map(|t| tags[t]).collect()
        };
        // "play taylor swift": alone, "swift" is best I-media after a
        // B-artist; together the two read as one artist.
        let play = ln([0.9, 0.05, 0.0, 0.05, 0.0]);
        let taylor = ln([0.05, 0.6, 0.0, 0.35, 0.0]);
        let swift = ln([0.1, 0.0, 0.4, 0.0, 0.5]);
        assert_eq!(read(&[play, taylor, swift]), ["O", "B-artist", "I-artist"]);
        // Where the continuation is weak, the second word is its own.
        let stray = ln([0.1, 0.0, 0.05, 0.8, 0.05]);
        assert_eq!(read(&[play, taylor, stray]), ["O", "B-artist", "B-media"]);
        // A sentence cannot open on "I-": its best other reading is taken.
        assert_eq!(read(&[ln([0.1, 0.3, 0.6, 0.0, 0.0])]), ["B-artist"]);
        // Tags that agree are read as they are.
        assert_eq!(read(&[play, ln([0.0, 0.0, 0.0, 0.9, 0.1]), ln([0.0, 0.0, 0.0, 0.0, 1.0])]), ["O", "B-media", "I-media"]);
        assert!(read(&[]).is_empty());
    }

    #[test]
    fn a_sentence_carries_only_its_intents_slots() {
        let span = |slot: &str| CharSpan { slot: slot.to_owned(), start: 0, end: 1 };
        let ex = |intent: &str, slots: &[&str]| Example { text: "x".into(), intent: intent.into(), spans: slots.iter().map(|s| span(s)).collect() };
        let labels = Labels::from_examples(&[ex("play", &["media"]), ex("play", &["media", "media"]), ex("find", &["artist"]), ex("none", &[])]);
        assert_eq!(labels.slots_of["play"], ["media"]);
        assert!(labels.slots_of["none"].is_empty());
        let tags: Vec<&str> = labels.tags.iter().map(String::as_str).collect();
        assert_eq!(tags, ["O", "B-artist", "I-artist", "B-media", "I-media"]);
        let ln = |p: [f32; 5]| p.map(f32::ln);
        // "play taylor swift": "taylor" alone is best an artist, but `play`
        // has no artist slot, so the two words are read as its media.
        let words = [ln([0.9, 0.05, 0.0, 0.05, 0.0]), ln([0.05, 0.6, 0.0, 0.35, 0.0]), ln([0.1, 0.0, 0.6, 0.0, 0.3])];
        let refs: Vec<&[f32]> = words.iter().map(|w| &w[..]).collect();
        let read = |intent: &str| -> Vec<&str> { labels.best_path(&refs, labels.tags_of(intent).as_deref()).into_iter().map(|t| tags[t]).collect() };
        assert_eq!(read("find"), ["O", "B-artist", "I-artist"]);
        assert_eq!(read("play"), ["O", "B-media", "I-media"]);
        assert_eq!(read("none"), ["O", "O", "O"]);
        // A model saved before the map tags as it always did.
        let old = Labels { slots_of: BTreeMap::new(), ..labels.clone() };
        assert!(old.tags_of("play").is_none());
        let json = serde_json::to_string(&old).unwrap();
        assert!(!json.contains("slots_of"));
        assert_eq!(serde_json::from_str::<Labels>(&json).unwrap(), old);
    }

    #[test]
    fn marks_inside_a_word_join_it() {
        let spans = |text: &str, cuts: &[(usize, usize)]| {
            let mut words: Vec<(usize, usize, ())> = cuts.iter().map(|&(a, b)| (a, b, ())).collect();
            join_inner_marks(&text.chars().collect::<Vec<char>>(), &mut words);
            words.into_iter().map(|(a, b, _)| text.chars().skip(a).take(b - a).collect::<String>()).collect::<Vec<_>>()
        };
        assert_eq!(spans("send 5,000,000 dollars", &[(0, 4), (5, 6), (6, 7), (7, 10), (10, 11), (11, 14), (15, 22)]), ["send", "5,000,000", "dollars"]);
        assert_eq!(spans("oasis drive-in", &[(0, 5), (6, 11), (11, 12), (12, 14)]), ["oasis", "drive-in"]);
        assert_eq!(spans("bikini, please", &[(0, 6), (6, 7), (8, 14)]), ["bikini", ",", "please"]);
        assert_eq!(spans("tom's ep", &[(0, 3), (3, 4), (4, 5), (6, 8)]), ["tom", "'", "s", "ep"]);
        assert_eq!(spans("a , b", &[(0, 1), (2, 3), (4, 5)]), ["a", ",", "b"], "spaced: three words");
    }

    #[test]
    fn words_side_by_side_with_one_slot_are_one_value() {
        let labels = Labels::from_examples(&[]);
        let labels = Labels { tags: ["O", "B-a", "I-a", "B-b", "I-b"].map(String::from).to_vec(), ..labels };
        let words = [(0, 3), (4, 8), (9, 12), (13, 15), (16, 20)];
        let read = |path: &[usize]| -> Vec<(String, usize, usize)> { labels.slots_along(&words, path).into_iter().map(|s| (s.slot, s.start, s.end)).collect() };
        let a = |x, y| ("a".to_owned(), x, y);
        assert_eq!(read(&[1, 1, 2, 0, 0]), [a(0, 12)]);
        assert_eq!(read(&[1, 0, 1, 0, 0]), [a(0, 3), a(9, 12)]);
        assert_eq!(read(&[1, 3, 4, 0, 1]), [a(0, 3), ("b".to_owned(), 4, 12), a(16, 20)]);
        assert!(read(&[0; 5]).is_empty());
    }
}
