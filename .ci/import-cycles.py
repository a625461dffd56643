"""Finds import circles between the files of each crate (issue 21): file A
naming something of file B (`use crate::b::…`, `crate::b::f(…)`, or a name
lib.rs re-exports from b) while B names something of A. Child modules
(`mod tests`, `super::`), comments and test code are not edges. Prints each circle; exits 1 if any.

Usage: python3 .ci/import-cycles.py [CRATE_SRC_DIR ...]
(default: src/ and every crates/*/src/)
"""
import pathlib, re, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def modules(src):
    """Module name → file, for the crate's top-level modules."""
    mods = {}
    for f in src.glob("*.rs"):
        if f.name not in ("lib.rs", "main.rs"):
            mods[f.stem] = f
    for d in src.iterdir():
        if d.is_dir() and (d / "mod.rs").exists():
            mods[d.name] = d / "mod.rs"
    return mods


def use_groups(text):
    """The first path segments of every `crate::` path in `text`."""
    out = set()
    for m in re.finditer(r"\bcrate::", text):
        i = m.end()
        if text.startswith("{", i):
            depth, j, item, items = 0, i, "", []
            while j < len(text):
                c = text[j]
                if c == "{":
                    depth += 1
                    if depth > 1:
                        item += c
                elif c == "}":
                    depth -= 1
                    if depth == 0:
                        items.append(item)
                        break
                    item += c
                elif c == "," and depth == 1:
                    items.append(item)
                    item = ""
                else:
                    item += c
                j += 1
            out.update(re.match(r"\s*(\w*)", it).group(1) for it in items if it.strip())
        else:
            seg = re.match(r"(\w+)", text[i:])
            if seg:
                out.add(seg.group(1))
    return out


def code(text):
    """The file without comments (doc links are no imports) and without its
    test module (last in every file here)."""
    text = text.split("#[cfg(test)]")[0]
    return "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))


def reexports(lib):
    """Name → module, for lib.rs's `pub use module::{…}`."""
    names = {}
    for m in re.finditer(r"pub use (\w+)::(\{[^}]*\}|\w+)", lib):
        for n in re.findall(r"\w+", m.group(2)):
            names[n] = m.group(1)
    return names


def cycles(src):
    mods = modules(src)
    lib = src / "lib.rs"
    names = reexports(lib.read_text()) if lib.exists() else {}
    graph = {}
    for name, f in mods.items():
        deps = set()
        for seg in use_groups(code(f.read_text())):
            target = seg if seg in mods else names.get(seg)
            if target and target != name:
                deps.add(target)
        graph[name] = deps
    found = []
    # Every elementary circle through its smallest module, by depth-first search.
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    found.append(path + [start])
                elif nxt > start and nxt not in path:
                    stack.append((nxt, path + [nxt]))
    return found


def main():
    dirs = [pathlib.Path(a) for a in sys.argv[1:]] or [ROOT / "src"] + sorted(ROOT.glob("crates/*/src"))
    bad = 0
    for src in dirs:
        for c in cycles(src):
            print(f"{src.relative_to(ROOT) if src.is_relative_to(ROOT) else src}: {' -> '.join(c)}")
            bad += 1
    print(f"{bad} import circles" if bad else "no import circles between files")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
