"""What the peer scripts beside this file share: the clips of a hush bench
manifest they transcribe."""
import json
from pathlib import Path


def read_rows(manifest, clean_only=False, limit=None):
    """The manifest's rows (clean ones only if asked), at most `limit`."""
    rows = [json.loads(l) for l in Path(manifest).read_text().splitlines() if l.strip()]
    if clean_only:
        rows = [r for r in rows if r.get("snr_db") is None]
    return rows[:limit] if limit else rows
