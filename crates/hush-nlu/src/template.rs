//! The template language: `(a|b)` one of, `[a|b]` optional, `{slot}` or
//! `{type:slot}` a slot, `<rule>` a named sub-template, anything else words.
//!
//! It is hassil's syntax, so Home Assistant sentences read as they are.

use crate::normalize::words;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Word(String),
    Seq(Vec<Expr>),
    Alt(Vec<Expr>),
    Opt(Box<Expr>),
    /// `{name}` or `{list:name}`: slot `name`, with an explicit type when given.
    Slot {
        name: String,
        ty: Option<String>,
    },
    Rule(String),
}

/// A template syntax error: what went wrong and at which character.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Character offset into the template.
    pub at: usize,
    pub message: String,
}

struct Parser<'a> {
    chars: Vec<(usize, char)>,
    pos: usize,
    text: &'a str,
    /// Brackets open at `pos`.
    depth: usize,
}

/// Longest template, in characters: far beyond any sentence, short enough
/// that nothing downstream is slowed by one.
pub const MAX_CHARS: usize = 16_384;

/// Longest word: the matcher indexes every one-letter deletion of a word,
/// so its cost grows with the square of the length; no spoken word is
/// near this.
pub const MAX_WORD_CHARS: usize = 64;

/// Deepest bracket nesting: the parser and every walk over a template
/// recurse once per level.
pub const MAX_DEPTH: usize = 32;

/// Parses one template.
pub fn parse(text: &str) -> Result<Expr, SyntaxError> {
    let n = text.chars().count();
    if n > MAX_CHARS {
        return Err(SyntaxError { at: 0, message: format!("template of {n} characters: at most {MAX_CHARS}") });
    }
    let mut p = Parser { chars: text.char_indices().collect(), pos: 0, text, depth: 0 };
    let e = p.alt(None)?;
    if let Some(&(_, c)) = p.chars.get(p.pos) {
        return Err(p.err(format!("unexpected '{c}': it closes nothing; remove it or add the opening bracket")));
    }
    if e == Expr::Seq(vec![]) {
        return Err(SyntaxError { at: 0, message: "empty template".into() });
    }
    Ok(e)
}

impl Parser<'_> {
    fn err(&self, message: String) -> SyntaxError {
        SyntaxError { at: self.pos, message }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|&(_, c)| c)
    }

    /// Alternatives up to `close` (or the end when `None`).
    fn alt(&mut self, close: Option<char>) -> Result<Expr, SyntaxError> {
        if close.is_some() {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(self.err(format!("brackets nested more than {MAX_DEPTH} deep")));
            }
        }
        let e = self.branches(close);
        self.depth -= usize::from(close.is_some());
        e
    }

    fn branches(&mut self, close: Option<char>) -> Result<Expr, SyntaxError> {
        let mut branches = vec![self.seq()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.seq()?);
        }
        match (close, self.peek()) {
            (Some(c), Some(p)) if c == p => self.pos += 1,
            (Some(c), _) => {
                return Err(self.err(format!("missing '{c}': a bracket opened earlier is never closed")));
            }
            (None, _) => {}
        }
        Ok(if branches.len() == 1 { branches.pop().unwrap_or(Expr::Seq(vec![])) } else { Expr::Alt(branches) })
    }

    fn seq(&mut self) -> Result<Expr, SyntaxError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                '|' | ')' | ']' => break,
                '}' | '>' => return Err(self.err(format!("unexpected '{c}': it closes nothing"))),
                '(' => {
                    self.pos += 1;
                    items.push(self.alt(Some(')'))?);
                }
                '[' => {
                    self.pos += 1;
                    items.push(Expr::Opt(Box::new(self.alt(Some(']'))?)));
                }
                '{' => items.push(self.name('{', '}')?),
                '<' => items.push(self.name('<', '>')?),
                c if c.is_whitespace() => self.pos += 1,
                _ => {
                    let start = self.pos;
                    while self.peek().is_some_and(|c| !c.is_whitespace() && !"()[]{}<>|".contains(c)) {
                        self.pos += 1;
                    }
                    let from = self.chars[start].0;
                    let to = self.chars.get(self.pos).map_or(self.text.len(), |&(i, _)| i);
                    let ws = words(&self.text[from..to]);
                    if let Some(w) = ws.iter().find(|w| w.chars().count() > MAX_WORD_CHARS) {
                        self.pos = start;
                        return Err(self.err(format!("a word of {} characters: words are at most {MAX_WORD_CHARS}", w.chars().count())));
                    }
                    items.extend(ws.into_iter().map(Expr::Word));
                }
            }
        }
        Ok(if items.len() == 1 { items.pop().unwrap_or(Expr::Seq(vec![])) } else { Expr::Seq(items) })
    }

    /// `{slot}`, `{type:slot}` or `<rule>`.
    fn name(&mut self, open: char, close: char) -> Result<Expr, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut name = String::new();
        loop {
            match self.peek() {
                Some(c) if c == close => break,
                Some(c) if c.is_alphanumeric() || c == '_' || c == ':' || c == '.' || c == '-' => name.push(c),
                Some(c) => return Err(self.err(format!("'{c}' inside '{open}…{close}': names are letters, digits and '_' (missing '{close}'?)"))),
                None => {
                    self.pos = start;
                    return Err(self.err(format!("'{open}' is never closed: add '{close}'")));
                }
            }
            self.pos += 1;
        }
        self.pos += 1;
        if name.is_empty() {
            self.pos = start;
            return Err(self.err(format!("empty '{open}{close}': put a slot or rule name inside")));
        }
        Ok(if open == '<' {
            Expr::Rule(name)
        } else if let Some((ty, slot)) = name.split_once(':') {
            Expr::Slot { name: slot.to_string(), ty: Some(ty.to_string()) }
        } else {
            Expr::Slot { name, ty: None }
        })
    }
}

impl Expr {
    /// Calls `f` on every slot and rule reference.
    pub fn visit(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Seq(v) | Expr::Alt(v) => v.iter().for_each(|e| e.visit(f)),
            Expr::Opt(e) => e.visit(f),
            _ => {}
        }
    }

    /// Renames the rules `to` names, wherever they are used.
    pub(crate) fn rename_rules(&mut self, to: &std::collections::HashMap<String, String>) {
        match self {
            Expr::Rule(name) => {
                if let Some(new) = to.get(name) {
                    name.clone_from(new);
                }
            }
            Expr::Seq(v) | Expr::Alt(v) => v.iter_mut().for_each(|e| e.rename_rules(to)),
            Expr::Opt(e) => e.rename_rules(to),
            Expr::Word(_) | Expr::Slot { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Expr {
        Expr::Word(s.into())
    }

    #[test]
    fn parses_the_constructs() {
        let e = parse("(book|order) [me] a {ride_type} to {place:destination} <polite>").unwrap();
        assert_eq!(
            e,
            Expr::Seq(vec![
                Expr::Alt(vec![w("book"), w("order")]),
                Expr::Opt(Box::new(w("me"))),
                w("a"),
                Expr::Slot { name: "ride_type".into(), ty: None },
                w("to"),
                Expr::Slot { name: "destination".into(), ty: Some("place".into()) },
                Expr::Rule("polite".into()),
            ])
        );
        // Words are normalised like transcripts.
        assert_eq!(parse("I'm").unwrap(), Expr::Seq(vec![w("i"), w("am")]));
        // Empty alternatives make a part optional, as in hassil.
        assert_eq!(parse("(a|)").unwrap(), Expr::Alt(vec![w("a"), Expr::Seq(vec![])]));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("book (a ride").unwrap_err();
        assert!(e.message.contains("missing ')'"), "{e:?}");
        assert_eq!(e.at, 12);
        let e = parse("book a ride)").unwrap_err();
        assert_eq!(e.at, 11);
        let e = parse("to {destination").unwrap_err();
        assert_eq!(e.at, 3);
        assert!(e.message.contains("never closed"));
        assert!(parse("to {}").is_err());
        assert!(parse("   ").is_err());
        assert!(parse("[a}").is_err());
    }
}
