//! Reading intent files into an [`IntentSet`]: YAML parsed, every key
//! checked, lists, rules and templates resolved, and each problem reported
//! with its file, line and column (all of them at once). The limits that
//! keep a hostile file cheap are here.
//!
//! One file of ~750 lines on purpose: it is one check per key of the
//! intent-file format, in the order intents/README.md documents them, so
//! the format and its checks can be read side by side.

use crate::language::Language;
use crate::size::{RuleSizes, Shape};
use crate::spec::{IntentError, IntentErrors, IntentSet, IntentSpec, List, ListValue, Loc, SlotSpec, SlotType, TemplateSpec, DEFAULT_WILDCARD_WORDS};
use crate::template::{self, Expr};
use crate::values::Builtin;
use crate::yaml::{self, Kind, Node};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

impl IntentSet {
    /// Reads every `*.yaml`/`*.yml` file of a directory (sorted by name).
    pub fn load_dir(dir: &Path) -> Result<IntentSet, IntentErrors> {
        Self::load_files(&Self::yaml_files(dir)?)
    }

    /// The intent files of a directory, sorted by name; an error if none.
    pub fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, IntentErrors> {
        let at = |message: String| IntentErrors(vec![IntentError { at: file_loc(dir), message }]);
        let entries = std::fs::read_dir(dir).map_err(|e| at(format!("cannot read intents directory: {e}")))?;
        let mut files: Vec<PathBuf> =
            entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml")).collect();
        files.sort();
        if files.is_empty() {
            return Err(at("no intent files (*.yaml) here".into()));
        }
        Ok(files)
    }

    /// Reads the given files as one set.
    pub fn load_files(files: &[PathBuf]) -> Result<IntentSet, IntentErrors> {
        Self::load_files_with(files, &[])
    }

    /// Reads the given files and `extra` (name, text) sources as one set.
    pub fn load_files_with(files: &[PathBuf], extra: &[(&str, &str)]) -> Result<IntentSet, IntentErrors> {
        let mut sources = Vec::new();
        for f in files {
            match std::fs::read_to_string(f) {
                Ok(s) => sources.push((f.display().to_string(), s)),
                Err(e) => return Err(IntentErrors(vec![IntentError { at: file_loc(f), message: format!("cannot read: {e}") }])),
            }
        }
        let mut refs: Vec<(&str, &str)> = sources.iter().map(|(n, s)| (n.as_str(), s.as_str())).collect();
        refs.extend_from_slice(extra);
        Self::from_sources(&refs)
    }

    /// Reads intent files given as (name, text) pairs; the name is used in
    /// error messages and, without a `domain:` key, as the domain.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<IntentSet, IntentErrors> {
        let mut errors = Vec::new();
        let mut docs = Vec::new();
        for &(name, src) in sources {
            match yaml::parse(src) {
                Ok(node) => docs.push((name, node)),
                Err(e) => {
                    errors.push(IntentError { at: Loc { file: name.to_string(), line: e.line, col: e.col }, message: format!("not valid YAML: {}", e.message) })
                }
            }
        }
        let mut probe = Builder::default();
        let languages: Vec<Language> = docs
            .iter()
            .map(|(name, node)| {
                probe.file = name.to_string();
                probe.file_language(node)
            })
            .collect();
        errors.append(&mut probe.errors);
        // Each language is a namespace of its own: the same intent, list
        // and rule names may be written once per language, so that one
        // action serves "book me a ride" and "pesan ojek".
        let mut order: Vec<Language> = Vec::new();
        for &l in &languages {
            if !order.contains(&l) {
                order.push(l);
            }
        }
        let mut set = IntentSet::default();
        let mut edges = 0;
        for language in order {
            let mut b = Builder { language, edges, ..Builder::default() };
            let group: Vec<&(&str, Node)> = docs.iter().zip(&languages).filter(|(_, &l)| l == language).map(|(d, _)| d).collect();
            // Lists and rules first: intents in any file may use them.
            for (name, node) in &group {
                b.file = name.to_string();
                b.shared(node);
            }
            b.check_rules();
            for (name, node) in &group {
                b.file = name.to_string();
                b.intents(node, name);
            }
            edges = b.edges;
            errors.append(&mut b.errors);
            if errors.is_empty() {
                errors.extend(set.merge(b.set, language));
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(IntentErrors(errors))
        }
    }

    /// Adds the intents of another language to the set: its lists after
    /// ours, its rules renamed where a name is taken. An intent written in
    /// both languages must declare the same slots and the same `confirm`
    /// (one action serves both; a payment confirms in every language).
    fn merge(&mut self, other: IntentSet, language: Language) -> Vec<IntentError> {
        let mut errors = Vec::new();
        let offset = self.lists.len();
        // '@' is in no name an author can write, so "want@id" is free.
        let renamed: HashMap<String, String> =
            other.rules.keys().filter(|name| self.rules.contains_key(*name)).map(|name| (name.clone(), format!("{name}@{language}"))).collect();
        let rename = |e: &mut Expr| e.rename_rules(&renamed);
        for (name, mut body) in other.rules {
            rename(&mut body);
            self.rules.insert(renamed.get(&name).cloned().unwrap_or(name), body);
        }
        self.lists.extend(other.lists);
        for w in other.skip_words {
            if !self.skip_words.contains(&w) {
                self.skip_words.push(w);
            }
        }
        for mut spec in other.intents {
            for slot in &mut spec.slots {
                if let SlotType::List(i) = &mut slot.ty {
                    *i += offset;
                }
            }
            for t in &mut spec.templates {
                rename(&mut t.expr);
            }
            if let Some(first) = self.intent(&spec.name) {
                let names = |s: &IntentSpec| {
                    let mut v: Vec<&str> = s.slots.iter().map(|x| x.name.as_str()).collect();
                    v.sort_unstable();
                    v.join(", ")
                };
                let (ours, theirs) = (names(first), names(&spec));
                if ours != theirs {
                    let message = format!(
                        "intent '{}' has slots [{theirs}] here and [{ours}] in {} (at {}): an intent written in two languages has the same slots",
                        spec.name, first.language, first.at
                    );
                    errors.push(IntentError { at: spec.at.clone(), message });
                } else if first.confirm != spec.confirm {
                    let message = format!(
                        "intent '{}' says `confirm: {}` here and `confirm: {}` in {} (at {}): it confirms in every language or in none",
                        spec.name, spec.confirm, first.confirm, first.language, first.at
                    );
                    errors.push(IntentError { at: spec.at.clone(), message });
                }
            }
            self.intents.push(spec);
        }
        errors
    }
}

fn file_loc(p: &Path) -> Loc {
    Loc { file: p.display().to_string(), line: 1, col: 1 }
}

#[derive(Default)]
struct Builder {
    set: IntentSet,
    errors: Vec<IntentError>,
    file: String,
    list_at: HashMap<String, Loc>,
    rule_at: HashMap<String, Loc>,
    intent_at: HashMap<String, Loc>,
    /// Names under `lists:` that are built-in types with bounds.
    set_aliases: HashMap<String, SlotType>,
    /// What each rule expands to.
    rule_sizes: HashMap<String, Shape>,
    /// The language of the file being read (`language:`, English without).
    language: Language,
    /// Edges of the automaton of all templates so far.
    edges: u64,
}

/// Longest list phrase: the matcher indexes every prefix of a phrase and
/// every one-letter deletion of it, so its cost grows with the square of
/// the length.
pub const MAX_PHRASE_CHARS: usize = 200;

/// Words and slots one template may expand to, rules written out.
pub const MAX_TEMPLATE_SIZE: u64 = 10_000;

/// Edges of the matcher's automaton, all templates together (about 12
/// bytes each): the automaton grows with the square of a run of optional
/// words, and with the product of alternatives that follow one another.
pub const MAX_EDGES: u64 = 4_000_000;

const TOP_KEYS: &[&str] = &["domain", "language", "lists", "rules", "expansion_rules", "skip_words", "intents"];
const INTENT_KEYS: &[&str] = &["description", "confirm", "confirmation", "required", "slots", "templates", "examples"];
const SLOT_KEYS: &[&str] = &["type", "sensitive", "several", "prompt", "min", "max", "max_words"];

impl Builder {
    fn loc(&self, n: &Node) -> Loc {
        Loc { file: self.file.clone(), line: n.line, col: n.col }
    }

    fn err(&mut self, n: &Node, message: impl Into<String>) {
        self.errors.push(IntentError { at: self.loc(n), message: message.into() });
    }

    /// The entries of a mapping; an error (and nothing) for anything else.
    fn map<'n>(&mut self, n: &'n Node, what: &str) -> &'n [(Node, Node)] {
        match &n.kind {
            Kind::Map(m) => m,
            Kind::Null => &[],
            _ => {
                self.err(n, format!("{what} must be a mapping (`name: ...` lines), found {}", n.what()));
                &[]
            }
        }
    }

    fn seq<'n>(&mut self, n: &'n Node, what: &str) -> &'n [Node] {
        match &n.kind {
            Kind::Seq(v) => v,
            Kind::Null => &[],
            _ => {
                self.err(n, format!("{what} must be a list (`- ...` lines), found {}", n.what()));
                &[]
            }
        }
    }

    fn string(&mut self, n: &Node, what: &str) -> Option<String> {
        match n.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(n, format!("{what} must be a string, found {}", n.what()));
                None
            }
        }
    }

    fn check_keys(&mut self, entries: &[(Node, Node)], allowed: &[&str], what: &str) {
        for (k, _) in entries {
            let key = k.as_str().unwrap_or("");
            if !allowed.contains(&key) {
                self.err(k, format!("unknown key '{key}' in {what}; expected one of: {}", allowed.join(", ")));
            }
        }
    }

    /// The file's `language:` (an ISO 639-1 code hush reads); English
    /// when it has none, and after an error.
    fn file_language(&mut self, root: &Node) -> Language {
        let Kind::Map(top) = &root.kind else { return Language::English };
        let Some(node) = yaml::lookup(top, "language") else { return Language::English };
        let Some(code) = self.string(node, "`language`") else { return Language::English };
        Language::from_code(&code).unwrap_or_else(|| {
            self.err(node, format!("unknown language '{code}': intent files are read in {}", Language::codes()));
            Language::English
        })
    }

    fn shared(&mut self, root: &Node) {
        let top = self.map(root, "an intent file");
        self.check_keys(top, TOP_KEYS, "an intent file");
        for (k, v) in top {
            match k.as_str().unwrap_or("") {
                "lists" => {
                    for (name, def) in self.map(v, "`lists`") {
                        self.list(name, def);
                    }
                }
                "rules" | "expansion_rules" => {
                    for (name, body) in self.map(v, "`rules`") {
                        self.rule(name, body);
                    }
                }
                "skip_words" => {
                    for w in self.seq(v, "`skip_words`") {
                        if let Some(s) = self.string(w, "a skip word") {
                            self.set.skip_words.extend(crate::normalize::words(&s));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn list(&mut self, name_node: &Node, def: &Node) {
        let Some(name) = self.string(name_node, "a list name") else { return };
        if Builtin::from_name(&name).is_some() {
            return self.err(name_node, format!("'{name}' is a built-in slot type; give the list another name"));
        }
        if let Some(first) = self.list_at.get(&name) {
            let first = first.clone();
            return self.err(name_node, format!("list '{name}' is defined twice (first at {first}); merge them"));
        }
        self.list_at.insert(name.clone(), self.loc(name_node));
        let mut values = Vec::new();
        let mut open = None;
        match &def.kind {
            // `values:` (hassil), `range:` or `wildcard:` forms.
            Kind::Map(m) if m.iter().any(|(k, _)| matches!(k.as_str(), Some("values" | "range" | "wildcard"))) => {
                for (k, v) in m {
                    match k.as_str().unwrap_or("") {
                        "values" => values.extend(self.list_items(v)),
                        "open" => match v.as_str().and_then(|s| s.parse::<usize>().ok()).filter(|&n| n > 0) {
                            Some(n) => open = Some(n),
                            None => self.err(v, "`open` is the most words an unlisted value may have: a positive whole number"),
                        },
                        "range" => return self.range_list(&name, v),
                        "wildcard" => {
                            let language = self.language;
                            return self
                                .alias(&name, SlotType::Builtin { ty: Builtin::Wildcard, min: None, max: None, max_words: DEFAULT_WILDCARD_WORDS, language });
                        }
                        other => self.err(k, format!("unknown key '{other}' in a list; expected values, open, range or wildcard")),
                    }
                }
            }
            // `canonical: [synonyms]`
            Kind::Map(m) => {
                for (k, v) in m {
                    let Some(value) = self.string(k, "a list value") else { continue };
                    let mut phrases = vec![value.clone()];
                    match &v.kind {
                        Kind::Null => {}
                        Kind::Str(s) => phrases.push(s.clone()),
                        Kind::Seq(items) => phrases.extend(items.iter().filter_map(|i| self.string(i, "a synonym"))),
                        Kind::Map(_) => self.err(v, "synonyms must be a list of phrases: `value: [synonym, synonym]`"),
                    }
                    values.push(ListValue { value, phrases });
                }
            }
            Kind::Seq(_) => values.extend(self.list_items(def)),
            _ => self.err(def, format!("list '{name}' must be a list of values or a mapping `value: [synonyms]`")),
        }
        if values.is_empty() {
            self.err(def, format!("list '{name}' has no values"));
        }
        for v in &values {
            for p in &v.phrases {
                let words = crate::normalize::words(p);
                if words.is_empty() {
                    self.err(def, format!("list '{name}': value '{}' has a phrase with no words", v.value));
                } else if p.chars().count() > MAX_PHRASE_CHARS || words.iter().any(|w| w.chars().count() > template::MAX_WORD_CHARS) {
                    self.err(
                        def,
                        format!(
                            "list '{name}': a phrase of {} characters; phrases are at most {MAX_PHRASE_CHARS} characters, words at most {}",
                            p.chars().count(),
                            template::MAX_WORD_CHARS
                        ),
                    );
                }
            }
        }
        self.set.lists.push(List { name, values, open, language: self.language });
    }

    /// A list's items: `phrase`, `{in: phrase, out: value}` or
    /// `{value: v, synonyms: [...]}`.
    fn list_items(&mut self, n: &Node) -> Vec<ListValue> {
        let mut out = Vec::new();
        for item in self.seq(n, "list values") {
            match &item.kind {
                Kind::Str(s) => out.push(ListValue { value: s.clone(), phrases: vec![s.clone()] }),
                Kind::Map(m) => {
                    let get = |key: &str| yaml::lookup(m, key);
                    let (spoken, value) = (get("in").or(get("value")), get("out").or(get("value")));
                    let Some(spoken) = spoken.and_then(|n| n.as_str()) else {
                        self.err(item, "a list value mapping needs `in:` (what is said) or `value:`");
                        continue;
                    };
                    let mut phrases = vec![spoken.to_string()];
                    if let Some(syn) = get("synonyms") {
                        phrases.extend(self.seq(syn, "synonyms").iter().filter_map(|s| s.as_str().map(str::to_string)));
                    }
                    let value = value.and_then(|v| v.as_str()).unwrap_or(spoken).to_string();
                    out.push(ListValue { value, phrases });
                }
                _ => self.err(item, format!("a list value must be a phrase or a mapping, found {}", item.what())),
            }
        }
        out
    }

    fn range_list(&mut self, name: &str, v: &Node) {
        let entries = self.map(v, "`range`");
        let num = |key: &str| yaml::lookup(entries, key).and_then(|v| v.as_str()?.parse::<f64>().ok());
        let (Some(from), Some(to)) = (num("from"), num("to")) else {
            return self.err(v, "a range needs numeric `from:` and `to:`");
        };
        // Ranges are of whole numbers (hassil's); a fraction would need a
        // value that no count of words can say.
        if from.fract() != 0.0 || to.fract() != 0.0 || !from.is_finite() || !to.is_finite() {
            return self.err(v, format!("a range is of whole numbers: `from: {from}` .. `to: {to}`"));
        }
        if from > to {
            return self.err(v, format!("an empty range: `from: {from}` is above `to: {to}`"));
        }
        let language = self.language;
        self.alias(name, SlotType::Builtin { ty: Builtin::Integer, min: Some(from), max: Some(to), max_words: 0, language });
    }

    /// A named list that is really a built-in type (hassil ranges and wildcards).
    fn alias(&mut self, name: &str, ty: SlotType) {
        self.set_aliases.insert(name.to_string(), ty);
    }

    fn rule(&mut self, name_node: &Node, body: &Node) {
        let Some(name) = self.string(name_node, "a rule name") else { return };
        if let Some(first) = self.rule_at.get(&name).cloned() {
            return self.err(name_node, format!("rule '{name}' is defined twice (first at {first})"));
        }
        self.rule_at.insert(name.clone(), self.loc(name_node));
        let Some(text) = self.string(body, "a rule") else { return };
        if let Some(expr) = self.template_expr(body, &text) {
            self.set.rules.insert(name, expr);
        }
    }

    fn template_expr(&mut self, n: &Node, text: &str) -> Option<Expr> {
        match template::parse(text) {
            Ok(e) => Some(e),
            Err(e) => {
                let mut at = self.loc(n);
                at.col += e.at + usize::from(n.quoted);
                self.errors.push(IntentError { at, message: format!("{} in template \"{}\"", e.message, quote(text)) });
                None
            }
        }
    }

    /// Rules may use rules, but not themselves, directly or not.
    fn check_rules(&mut self) {
        let mut names: Vec<String> = self.set.rules.keys().cloned().collect();
        names.sort();
        let mut sizes = RuleSizes::default();
        for name in &names {
            sizes.size(&self.set.rules, name, &mut Vec::new());
        }
        for (name, problem) in sizes.problems {
            let at = self.rule_at[&name].clone();
            self.errors.push(IntentError { at, message: problem });
            // Gone, so that nothing later follows it round or down a chain.
            self.set.rules.remove(&name);
        }
        self.rule_sizes = sizes.done;
        let mut missing = Vec::new();
        for (name, e) in &self.set.rules {
            e.visit(&mut |x| {
                if let Expr::Rule(r) = x {
                    if !self.set.rules.contains_key(r) && !self.rule_at.contains_key(r) {
                        missing.push((name.clone(), r.clone()));
                    }
                }
            });
        }
        for (name, r) in missing {
            let at = self.rule_at[&name].clone();
            self.errors.push(IntentError { at, message: format!("rule '{name}' uses <{r}>, which is not defined under `rules:`") });
        }
    }

    fn slot_type(&mut self, n: &Node, name: &str) -> Option<SlotType> {
        if let Some(t) = self.set_aliases.get(name) {
            // A range or wildcard named in one file is read in the language
            // of the file that uses it.
            let mut t = t.clone();
            if let SlotType::Builtin { language, .. } = &mut t {
                *language = self.language;
            }
            return Some(t);
        }
        if let Some(i) = self.set.lists.iter().position(|l| l.name == name) {
            return Some(SlotType::List(i));
        }
        if let Some(ty) = Builtin::from_name(name) {
            return Some(SlotType::Builtin { ty, min: None, max: None, max_words: DEFAULT_WILDCARD_WORDS, language: self.language });
        }
        let builtins: Vec<&str> = Builtin::ALL.iter().map(|(n, _)| *n).collect();
        self.err(n, format!("unknown slot type '{name}': use a built-in ({}) or a list defined under `lists:`", builtins.join(", ")));
        None
    }

    fn intents(&mut self, root: &Node, file: &str) {
        let Kind::Map(top) = &root.kind else { return };
        let mut domain = Path::new(file).file_stem().map_or("default".into(), |s| s.to_string_lossy().into_owned());
        if let Some(d) = yaml::lookup(top, "domain") {
            if let Some(s) = self.string(d, "`domain`") {
                domain = s;
            }
        }
        let Some(intents) = yaml::lookup(top, "intents") else { return };
        for (name_node, body) in self.map(intents, "`intents`") {
            let Some(name) = self.string(name_node, "an intent name") else { continue };
            if let Some(first) = self.intent_at.get(&name).cloned() {
                self.err(name_node, format!("intent '{name}' is defined twice (first at {first}); rename one or merge them"));
                continue;
            }
            self.intent_at.insert(name.clone(), self.loc(name_node));
            let spec = self.intent(name, domain.clone(), name_node, body);
            self.set.intents.push(spec);
        }
    }

    fn intent(&mut self, name: String, domain: String, name_node: &Node, body: &Node) -> IntentSpec {
        let mut spec = IntentSpec {
            name,
            domain,
            language: self.language,
            description: None,
            confirm: false,
            confirmation: None,
            required: Vec::new(),
            slots: Vec::new(),
            templates: Vec::new(),
            examples: Vec::new(),
            at: self.loc(name_node),
        };
        let entries = self.map(body, "an intent");
        self.check_keys(entries, INTENT_KEYS, "an intent");
        let get = |key: &str| yaml::lookup(entries, key);
        if let Some(d) = get("description") {
            spec.description = self.string(d, "`description`");
        }
        if let Some(c) = get("confirm") {
            match c.as_str() {
                Some("true") => spec.confirm = true,
                Some("false") => {}
                _ => self.err(c, "`confirm` must be true or false"),
            }
        }
        if let Some(slots) = get("slots") {
            for (k, v) in self.map(slots, "`slots`") {
                if let Some(s) = self.slot(k, v) {
                    spec.slots.push(s);
                }
            }
        }
        if let Some(c) = get("confirmation") {
            spec.confirmation = self.string(c, "`confirmation`");
            if !spec.confirm {
                self.err(c, "`confirmation` is the question asked before the intent runs: it needs `confirm: true`");
            }
            let said = spec.confirmation.as_deref().unwrap_or_default();
            for name in said.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name)) {
                if spec.slot(name).is_none() {
                    self.err(c, format!("`confirmation` says {{{name}}}, which is not a slot of '{}'; declare it under `slots:`", spec.name));
                }
            }
        }
        if let Some(ex) = get("examples") {
            spec.examples = self.seq(ex, "`examples`").iter().filter_map(|e| self.string(e, "an example")).collect();
        }
        match get("templates") {
            Some(t) => {
                for item in self.seq(t, "`templates`") {
                    if let Some(ts) = self.template(item, &mut spec) {
                        spec.templates.push(ts);
                    }
                }
            }
            None if spec.examples.is_empty() => self.err(name_node, format!("intent '{}' has no `templates:` (or `examples:`)", spec.name)),
            None => {}
        }
        if let Some(req) = get("required") {
            for r in self.seq(req, "`required`") {
                let Some(r) = self.string(r, "a required slot") else { continue };
                if spec.slot(&r).is_none() {
                    self.err(req, format!("required slot '{r}' is not a slot of '{}'; declare it under `slots:`", spec.name));
                }
                spec.required.push(r);
            }
        }
        spec
    }

    fn slot(&mut self, k: &Node, v: &Node) -> Option<SlotSpec> {
        let name = self.string(k, "a slot name")?;
        let (type_node, entries): (&Node, &[(Node, Node)]) = match &v.kind {
            Kind::Str(_) => (v, &[]),
            Kind::Map(m) => {
                self.check_keys(m, SLOT_KEYS, "a slot");
                match yaml::lookup(m, "type") {
                    Some(t) => (t, m),
                    None => {
                        self.err(v, format!("slot '{name}' needs a `type:`"));
                        return None;
                    }
                }
            }
            // `slot:` alone: a type of the same name.
            Kind::Null => (k, &[]),
            Kind::Seq(_) => {
                self.err(v, format!("slot '{name}' must name a type (`{name}: money`) or be a mapping with `type:`"));
                return None;
            }
        };
        let type_name = self.string(type_node, "a slot type")?;
        let mut ty = self.slot_type(type_node, &type_name)?;
        let get = |key: &str| yaml::lookup(entries, key);
        let flag = |key: &str| get(key).is_some_and(|s| s.as_str() == Some("true"));
        let (sensitive, several) = (flag("sensitive"), flag("several"));
        let prompt = get("prompt").and_then(|p| self.string(p, "a slot prompt"));
        if let SlotType::Builtin { min, max, max_words, .. } = &mut ty {
            for (key, target) in [("min", &mut *min), ("max", &mut *max)] {
                if let Some(n) = get(key) {
                    match n.as_str().and_then(|s| s.parse::<f64>().ok()) {
                        Some(x) => *target = Some(x),
                        None => self
                            .errors
                            .push(IntentError { at: Loc { file: self.file.clone(), line: n.line, col: n.col }, message: format!("`{key}` must be a number") }),
                    }
                }
            }
            if let Some(n) = get("max_words") {
                match n.as_str().and_then(|s| s.parse::<usize>().ok()).filter(|&w| w > 0) {
                    Some(w) => *max_words = w,
                    None => self.err(n, "`max_words` must be a positive whole number"),
                }
            }
        }
        Some(SlotSpec { name, ty, sensitive, several, prompt })
    }

    fn template(&mut self, item: &Node, spec: &mut IntentSpec) -> Option<TemplateSpec> {
        let (text_node, fixed_node) = match &item.kind {
            Kind::Str(_) => (item, None),
            Kind::Map(m) => {
                self.check_keys(m, &["template", "fixed"], "a template");
                let get = |key: &str| yaml::lookup(m, key);
                let Some(t) = get("template") else {
                    self.err(item, "a template mapping needs `template:` (and may have `fixed:`)");
                    return None;
                };
                (t, get("fixed"))
            }
            _ => {
                self.err(item, format!("a template must be a string, found {}", item.what()));
                return None;
            }
        };
        let text = self.string(text_node, "a template")?;
        let expr = self.template_expr(text_node, &text)?;
        let mut fixed = Vec::new();
        if let Some(f) = fixed_node {
            for (k, v) in self.map(f, "`fixed`") {
                if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                    fixed.push((k.to_string(), v.to_string()));
                }
            }
        }
        self.resolve_refs(text_node, &text, &expr, spec, &mut HashSet::new());
        let shape = Shape::of(&expr, &mut |r| self.rule_sizes.get(r).copied().unwrap_or(Shape::EMPTY));
        if shape.leaves > MAX_TEMPLATE_SIZE {
            self.err(
                text_node,
                format!("template \"{}\" expands to {} words and slots with its rules written out: at most {MAX_TEMPLATE_SIZE}", quote(&text), shape.leaves),
            );
            return None;
        }
        let before = self.edges;
        self.edges = self.edges.saturating_add(shape.edges());
        if self.edges > MAX_EDGES {
            if before <= MAX_EDGES {
                self.err(
                    text_node,
                    format!(
                        "the templates compile to over {MAX_EDGES} edges (this one to {}): too many optional words in a row, or alternatives multiplying",
                        shape.edges()
                    ),
                );
            }
            return None;
        }
        Some(TemplateSpec { text, expr, fixed, at: self.loc(text_node) })
    }

    /// Every `{slot}` must be a slot of the intent (or name a type, which
    /// then becomes one) and every `<rule>` must exist.
    fn resolve_refs(&mut self, n: &Node, text: &str, expr: &Expr, spec: &mut IntentSpec, seen_rules: &mut HashSet<String>) {
        let mut refs = Vec::new();
        expr.visit(&mut |e| match e {
            Expr::Slot { .. } | Expr::Rule(_) => refs.push(e.clone()),
            _ => {}
        });
        for r in refs {
            match r {
                Expr::Rule(name) => match self.set.rules.get(&name).cloned() {
                    Some(body) if seen_rules.insert(name.clone()) => self.resolve_refs(n, text, &body, spec, seen_rules),
                    Some(_) => {}
                    None if self.rule_at.contains_key(&name) => {} // reported with the rule
                    None => self.err(n, format!("template \"{text}\" uses <{name}>, which is not defined under `rules:`")),
                },
                Expr::Slot { name, ty } => match (spec.slot(&name).map(|s| s.ty.clone()), ty) {
                    (Some(existing), Some(t)) => {
                        if let Some(t2) = self.slot_type(n, &t) {
                            if t2 != existing {
                                self.err(n, format!("template \"{text}\" gives slot '{name}' type '{t}', but it is declared with another type"));
                            }
                        }
                    }
                    (Some(_), None) => {}
                    (None, ty) => {
                        let type_name = ty.unwrap_or_else(|| name.clone());
                        let known = self.set_aliases.contains_key(&type_name)
                            || self.set.lists.iter().any(|l| l.name == type_name)
                            || Builtin::from_name(&type_name).is_some();
                        if !known {
                            self.err(
                                n,
                                format!(
                                    "template \"{text}\" uses slot {{{name}}}, which is not a slot of '{}': declare it under `slots:` with a type",
                                    spec.name
                                ),
                            );
                            continue;
                        }
                        if let Some(ty) = self.slot_type(n, &type_name) {
                            spec.slots.push(SlotSpec { name, ty, sensitive: false, several: false, prompt: None });
                        }
                    }
                },
                _ => {}
            }
        }
    }
}

/// A template as an error message quotes it: long ones cut short.
fn quote(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}
