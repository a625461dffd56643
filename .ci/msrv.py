#!/usr/bin/env python3
"""Checks the workspace's declared rust-version against its dependencies.

Cargo refuses a toolchain older than `rust-version`; this checks the
other side: no crate in the resolved graph (normal, build and dev
dependencies, every target) asks for a newer Rust than the workspace
declares, and every member declares it. Needs only `cargo metadata`.
"""
import json
import subprocess
import sys


def version(v):
    return tuple(int(p) for p in v.split("."))


def main():
    meta = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--locked"]))
    members = set(meta["workspace_members"])
    resolved = {n["id"] for n in meta["resolve"]["nodes"]}
    packages = {p["id"]: p for p in meta["packages"]}
    declared = {packages[m]["name"]: packages[m].get("rust_version") for m in members}
    missing = [n for n, v in declared.items() if not v]
    if missing:
        sys.exit(f"no rust-version declared in: {', '.join(sorted(missing))}")
    ours = max(version(v) for v in declared.values())
    newer = sorted((p["name"], p["rust_version"]) for i, p in packages.items() if i in resolved and p.get("rust_version") and version(p["rust_version"]) > ours)
    if newer:
        sys.exit(f"declared rust-version {'.'.join(map(str, ours))}, but these need more: {newer}")
    top = max((version(p["rust_version"]), p["name"]) for i, p in packages.items() if i in resolved and i not in members and p.get("rust_version"))
    print(f"rust-version {'.'.join(map(str, ours))} covers every dependency (the highest: {top[1]}, {'.'.join(map(str, top[0]))})")


main()
