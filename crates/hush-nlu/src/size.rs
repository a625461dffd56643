//! The size of a template with its rules written out, computed from its
//! structure before anything is compiled: words and slots, and the edges
//! the matcher's automaton will have.

use crate::template::Expr;
use std::collections::HashMap;

/// Rules may use rules this deep: far beyond any real grammar; each level
/// is a recursion of the loader and the compiler.
pub const MAX_RULE_DEPTH: usize = 32;

/// What each rule expands to, computed once per rule (a rule used twice by
/// each of thirty others is still thirty steps), and the rules that recurse
/// or nest too deep.
#[derive(Default)]
pub(crate) struct RuleSizes {
    pub(crate) done: HashMap<String, Shape>,
    pub(crate) problems: Vec<(String, String)>,
}

impl RuleSizes {
    pub(crate) fn size(&mut self, rules: &HashMap<String, Expr>, name: &str, path: &mut Vec<String>) -> Shape {
        if let Some(&n) = self.done.get(name) {
            return n;
        }
        let Some(body) = rules.get(name) else { return Shape::EMPTY };
        if let Some(k) = path.iter().position(|p| p == name) {
            // Every rule on the cycle is reported, each from itself.
            let cycle = &path[k..];
            for (i, r) in cycle.iter().enumerate() {
                let mut order: Vec<&str> = cycle[i..].iter().chain(&cycle[..i]).map(String::as_str).collect();
                order.push(r);
                self.problems.push((r.clone(), format!("rule '{r}' uses itself ({}); rules cannot recurse", order.join(" → "))));
                self.done.insert(r.clone(), Shape::EMPTY);
            }
            return Shape::EMPTY;
        }
        if path.len() >= MAX_RULE_DEPTH {
            self.problems.push((name.to_owned(), format!("rule '{name}' is reached through more than {MAX_RULE_DEPTH} rules ({} → …)", path[0])));
            self.done.insert(name.to_owned(), Shape::EMPTY);
            return Shape::EMPTY;
        }
        path.push(name.to_owned());
        let n = Shape::of(body, &mut |r| self.size(rules, r, path));
        path.pop();
        // A rule on a cycle was settled (as empty) while its body was walked.
        *self.done.entry(name.to_owned()).or_insert(n)
    }
}

/// The size of what a template compiles to, with its rules written out,
/// from its structure alone: the matcher's automaton has a state after
/// each word or slot (`leaves`) and, once its empty moves are removed, an
/// edge for each pair of words or slots that may follow one another
/// (`pairs`) and for each that may start it (`first`). A run of optional
/// words makes the pairs grow with its square.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shape {
    pub leaves: u64,
    pub first: u64,
    pub last: u64,
    pub pairs: u64,
    pub nullable: bool,
}

impl Shape {
    pub(crate) const EMPTY: Shape = Shape { leaves: 0, first: 0, last: 0, pairs: 0, nullable: true };
    pub(crate) const LEAF: Shape = Shape { leaves: 1, first: 1, last: 1, pairs: 0, nullable: false };

    pub(crate) fn of(e: &Expr, rule: &mut impl FnMut(&str) -> Shape) -> Shape {
        match e {
            Expr::Word(_) | Expr::Slot { .. } => Shape::LEAF,
            Expr::Opt(x) => Shape { nullable: true, ..Shape::of(x, rule) },
            Expr::Rule(r) => rule(r),
            Expr::Alt(v) => v.iter().map(|x| Shape::of(x, rule)).fold(Shape { nullable: false, ..Shape::EMPTY }, |a, b| Shape {
                leaves: a.leaves.saturating_add(b.leaves),
                first: a.first.saturating_add(b.first),
                last: a.last.saturating_add(b.last),
                pairs: a.pairs.saturating_add(b.pairs),
                nullable: a.nullable || b.nullable,
            }),
            Expr::Seq(v) => v.iter().map(|x| Shape::of(x, rule)).fold(Shape::EMPTY, |a, b| Shape {
                leaves: a.leaves.saturating_add(b.leaves),
                first: if a.nullable { a.first.saturating_add(b.first) } else { a.first },
                last: if b.nullable { a.last.saturating_add(b.last) } else { b.last },
                pairs: a.pairs.saturating_add(b.pairs).saturating_add(a.last.saturating_mul(b.first)),
                nullable: a.nullable && b.nullable,
            }),
        }
    }

    /// Edges of the compiled automaton.
    pub(crate) fn edges(&self) -> u64 {
        self.pairs.saturating_add(self.first)
    }
}
