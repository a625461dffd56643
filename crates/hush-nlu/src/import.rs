//! Importing other engines' intent definitions into hush intent files:
//! Picovoice Rhino contexts and Home Assistant (hassil) sentence files.
//!
//! Both are rewritten as hush YAML text (which `hush intents import`
//! writes out for the user to keep and edit), so that what runs is always
//! an ordinary intent file.

use crate::values::Builtin;
use crate::yaml::{self, Kind, Node};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{file}: cannot read: {source}")]
    Io { file: String, source: std::io::Error },
}

fn invalid(file: &str, n: Option<&Node>, message: impl Into<String>) -> ImportError {
    let at = n.map_or(String::new(), |n| format!("{}:{}: ", n.line, n.col));
    ImportError::Invalid { file: file.to_string(), message: format!("{at}{}", message.into()) }
}

fn read(path: &Path) -> Result<String, ImportError> {
    std::fs::read_to_string(path).map_err(|source| ImportError::Io { file: path.display().to_string(), source })
}

fn parse_yaml(file: &str, src: &str) -> Result<Node, ImportError> {
    yaml::parse(src).map_err(|e| invalid(file, None, format!("{}:{}: not valid YAML: {}", e.line, e.col, e.message)))
}

fn entries(n: &Node) -> &[(Node, Node)] {
    match &n.kind {
        Kind::Map(m) => m,
        _ => &[],
    }
}

fn items(n: &Node) -> &[Node] {
    match &n.kind {
        Kind::Seq(v) => v,
        _ => &[],
    }
}

/// A YAML double-quoted string (JSON's escaping is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// List names may not shadow built-in types; imported ones that would get
/// a suffix.
fn list_name(name: &str) -> String {
    if Builtin::from_name(name).is_some() {
        format!("{name}_list")
    } else {
        name.to_string()
    }
}

/// Output being assembled.
#[derive(Default)]
struct Out {
    lists: BTreeMap<String, String>,
    rules: BTreeMap<String, String>,
    skip_words: Vec<String>,
    /// intent → (slot declarations, templates).
    intents: BTreeMap<String, (BTreeMap<String, String>, Vec<String>)>,
}

impl Out {
    fn render(&self, header: &str) -> String {
        let mut s = format!("# {header}\n");
        if !self.skip_words.is_empty() {
            let words: Vec<String> = self.skip_words.iter().map(|w| q(w)).collect();
            let _ = writeln!(s, "skip_words: [{}]", words.join(", "));
        }
        if !self.lists.is_empty() {
            s.push_str("lists:\n");
            for (name, body) in &self.lists {
                let _ = write!(s, "  {}:\n{body}", q(name));
            }
        }
        if !self.rules.is_empty() {
            s.push_str("rules:\n");
            for (name, body) in &self.rules {
                let _ = writeln!(s, "  {}: {}", q(name), q(body));
            }
        }
        s.push_str("intents:\n");
        for (name, (slots, templates)) in &self.intents {
            let _ = writeln!(s, "  {}:", q(name));
            if !slots.is_empty() {
                s.push_str("    slots:\n");
                for (slot, ty) in slots {
                    let _ = writeln!(s, "      {}: {}", q(slot), q(ty));
                }
            }
            s.push_str("    templates:\n");
            for t in templates {
                let _ = writeln!(s, "      - {t}");
            }
        }
        s
    }
}

// ---------------------------------------------------------------- Rhino

/// Picovoice's built-in slot types and what they become here.
fn rhino_builtin(ty: &str) -> Option<(&'static str, Option<(i64, i64)>)> {
    Some(match ty {
        "pv.SingleDigitInteger" => ("integer", Some((0, 9))),
        "pv.TwoDigitInteger" => ("integer", Some((0, 99))),
        "pv.Percent" => ("integer", Some((0, 100))),
        "pv.SingleDigitOrdinal" | "pv.TwoDigitOrdinal" => ("ordinal", None),
        "pv.Alphabetic" | "pv.Alphanumeric" => ("wildcard", None),
        _ => return None,
    })
}

/// Rewrites a Rhino expression in hush syntax: `[a, b]` (one of) becomes
/// `(a|b)`, `(a, b)` (optional) becomes `[a|b]`, `$type:name` becomes
/// `{name}` (recorded in `slots`), `@macro` becomes `<macro>`.
fn rhino_expr(src: &str, slots: &mut BTreeMap<String, String>, lists: &mut BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    let mut stack: Vec<char> = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                stack.push(']');
                out.push('(');
            }
            '(' => {
                stack.push(')');
                out.push('[');
            }
            ']' | ')' => {
                if stack.pop() != Some(c) {
                    return Err(format!("unbalanced '{c}' in \"{src}\""));
                }
                out.push(if c == ']' { ')' } else { ']' });
            }
            ',' if !stack.is_empty() => {
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
                out.push('|');
            }
            '$' | '@' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || n == '.' || n == ':' || n == '-' {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if c == '@' {
                    let _ = write!(out, "<{name}>");
                    continue;
                }
                let Some((ty, slot)) = name.split_once(':') else {
                    return Err(format!("slot '${name}' needs a name: write $type:name in \"{src}\""));
                };
                let ty = match rhino_builtin(ty) {
                    Some((b, range)) => match range {
                        Some((lo, hi)) => {
                            let alias = format!("{}_{lo}_{hi}", ty.trim_start_matches("pv.").to_lowercase());
                            lists.insert(alias.clone(), format!("    range: {{from: {lo}, to: {hi}}}\n"));
                            alias
                        }
                        None => b.to_string(),
                    },
                    None => list_name(ty),
                };
                slots.insert(slot.to_string(), ty);
                let _ = write!(out, "{{{slot}}}");
            }
            c => out.push(c),
        }
    }
    if let Some(c) = stack.pop() {
        return Err(format!("missing '{c}' in \"{src}\""));
    }
    Ok(out)
}

/// Converts a Rhino context (YAML) to a hush intent file.
pub fn rhino(file: &str, src: &str) -> Result<String, ImportError> {
    let root = parse_yaml(file, src)?;
    let ctx = root.get("context").ok_or_else(|| invalid(file, Some(&root), "no `context:` (a Rhino context file has context: expressions/slots/macros)"))?;
    let mut out = Out::default();
    for (name, values) in ctx.get("slots").map(entries).unwrap_or(&[]) {
        let name = name.as_str().unwrap_or_default();
        let mut body = String::from("    values:\n");
        for v in items(values) {
            // Rhino returns the phrase as written in the context.
            let _ = writeln!(body, "      - {}", q(v.as_str().unwrap_or_default()));
        }
        out.lists.insert(list_name(name), body);
    }
    let mut scratch = BTreeMap::new();
    for (name, phrases) in ctx.get("macros").map(entries).unwrap_or(&[]) {
        let mut alts = Vec::new();
        for p in items(phrases) {
            let e = rhino_expr(p.as_str().unwrap_or_default(), &mut scratch, &mut out.lists).map_err(|m| invalid(file, Some(p), m))?;
            alts.push(e);
        }
        out.rules.insert(name.as_str().unwrap_or_default().to_string(), format!("({})", alts.join("|")));
    }
    let expressions = ctx.get("expressions").ok_or_else(|| invalid(file, Some(ctx), "no `expressions:` in the context"))?;
    for (name, exprs) in entries(expressions) {
        let mut slots = BTreeMap::new();
        let mut templates = Vec::new();
        for e in items(exprs) {
            let t = rhino_expr(e.as_str().unwrap_or_default(), &mut slots, &mut out.lists).map_err(|m| invalid(file, Some(e), m))?;
            templates.push(q(&t));
        }
        out.intents.insert(name.as_str().unwrap_or_default().to_string(), (slots, templates));
    }
    Ok(out.render(&format!("Imported from the Rhino context {file} by `hush intents import --rhino`.")))
}

pub fn rhino_file(path: &Path) -> Result<String, ImportError> {
    rhino(&path.display().to_string(), &read(path)?)
}

// --------------------------------------------------------------- hassil

fn hassil_into(file: &str, src: &str, out: &mut Out) -> Result<(), ImportError> {
    let root = parse_yaml(file, src)?;
    for w in root.get("skip_words").map(items).unwrap_or(&[]) {
        if let Some(w) = w.as_str() {
            out.skip_words.push(w.to_string());
        }
    }
    for (name, body) in root.get("expansion_rules").map(entries).unwrap_or(&[]) {
        out.rules.insert(name.as_str().unwrap_or_default().to_string(), body.as_str().unwrap_or_default().to_string());
    }
    for (name, def) in root.get("lists").map(entries).unwrap_or(&[]) {
        let name = list_name(name.as_str().unwrap_or_default());
        let body = if let Some(r) = def.get("range") {
            let num = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("0").to_string();
            format!("    range: {{from: {}, to: {}}}\n", num("from"), num("to"))
        } else if def.get("wildcard").is_some() {
            "    wildcard: true\n".to_string()
        } else if let Some(values) = def.get("values") {
            let mut body = String::from("    values:\n");
            for v in items(values) {
                match (&v.kind, v.get("in")) {
                    (Kind::Str(s), _) => {
                        let _ = writeln!(body, "      - {}", q(s));
                    }
                    (_, Some(spoken)) => {
                        let spoken = spoken.as_str().unwrap_or_default();
                        let value = v.get("out").and_then(|o| o.as_str()).unwrap_or(spoken);
                        let _ = writeln!(body, "      - {{in: {}, out: {}}}", q(spoken), q(value));
                    }
                    _ => return Err(invalid(file, Some(v), "a list value must be a phrase or have `in:`")),
                }
            }
            body
        } else {
            return Err(invalid(file, Some(def), "a hassil list needs `values:`, `range:` or `wildcard:`"));
        };
        out.lists.insert(name, body);
    }
    for (name, intent) in root.get("intents").map(entries).unwrap_or(&[]) {
        let name = name.as_str().unwrap_or_default().to_string();
        let entry = out.intents.entry(name).or_default();
        for block in intent.get("data").map(items).unwrap_or(&[]) {
            let fixed: Vec<String> = block
                .get("slots")
                .map(entries)
                .unwrap_or(&[])
                .iter()
                .map(|(k, v)| format!("{}: {}", q(k.as_str().unwrap_or_default()), q(v.as_str().unwrap_or_default())))
                .collect();
            for s in block.get("sentences").map(items).unwrap_or(&[]) {
                let text = s.as_str().ok_or_else(|| invalid(file, Some(s), "a sentence must be a string"))?;
                if text.contains(';') {
                    return Err(invalid(file, Some(s), "permutations (a;b) are not supported yet: write the orders out"));
                }
                // `{list}` and `{list:slot}` stay: the list becomes the slot's type.
                let text = rename_builtin_lists(text);
                entry.1.push(if fixed.is_empty() { q(&text) } else { format!("{{template: {}, fixed: {{{}}}}}", q(&text), fixed.join(", ")) });
            }
        }
    }
    Ok(())
}

/// `{number}` in a hassil sentence means its own list, not our built-in.
fn rename_builtin_lists(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let end = rest.find('}').unwrap_or(rest.len());
        let inner = &rest[..end];
        let (list, slot) = inner.split_once(':').map_or((inner, None), |(l, s)| (l, Some(s)));
        if Builtin::from_name(list).is_some() {
            let _ = write!(out, "{}:{}", list_name(list), slot.unwrap_or(list));
        } else {
            out.push_str(inner);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Converts hassil sentence files (one file, or every YAML file of a
/// directory, merged) to one hush intent file.
pub fn hassil_path(path: &Path) -> Result<String, ImportError> {
    let mut files = Vec::new();
    if path.is_dir() {
        let rd = std::fs::read_dir(path).map_err(|source| ImportError::Io { file: path.display().to_string(), source })?;
        files.extend(rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml")));
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    let sources = files.iter().map(|f| Ok((f.display().to_string(), read(f)?))).collect::<Result<Vec<_>, ImportError>>()?;
    let refs: Vec<(&str, &str)> = sources.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    hassil(&refs)
}

/// Converts hassil sentence files given as (name, text).
pub fn hassil(sources: &[(&str, &str)]) -> Result<String, ImportError> {
    let mut out = Out::default();
    for (file, src) in sources {
        hassil_into(file, src, &mut out)?;
    }
    let names: Vec<&str> = sources.iter().map(|(f, _)| *f).collect();
    Ok(out.render(&format!("Imported from hassil sentences ({}) by `hush intents import --hassil`.", names.join(", "))))
}
