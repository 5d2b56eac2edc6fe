"""Record readers and writers: JSONL, CSV, a directory of .txt files, stdin.

Readers stream: each yields one record dict per input record, in order. A record that cannot
be read yields ``{"id": ..., "error": {"type", "message"}}`` instead, so that every input
record becomes exactly one output record.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _decode(raw: bytes) -> tuple[str, str | None]:
    """Decode bytes as UTF-8 (BOM stripped), falling back to Latin-1 with a note."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "decoded as Latin-1"


def read_jsonl(fh: IO[bytes], id_key: str = "id", text_key: str = "text") -> Iterator[dict]:
    for n, raw in enumerate(fh, 1):
        line, _ = _decode(raw)
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield {"id": f"line-{n}", "error": {"type": "invalid_json",
                                                 "message": f"line {n}: {e.msg} at column {e.colno}"}}
            continue
        if not isinstance(obj, dict):
            yield {"id": f"line-{n}", "error": {"type": "invalid_record",
                                                 "message": f"line {n}: expected a JSON object"}}
            continue
        rec = dict(obj)
        rid = rec.get(id_key)
        rec["id"] = str(rid) if rid not in (None, "") else f"line-{n}"
        if text_key != "text":
            rec["text"] = rec.pop(text_key, None)
        yield rec


def read_csv(fh: IO[bytes], id_col: str = "id", text_col: str = "text") -> Iterator[dict]:
    import io as _io

    text = _io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.DictReader(text)
    if reader.fieldnames is None:
        return
    if text_col not in reader.fieldnames:
        yield {"id": "line-1", "error": {"type": "missing_column",
                                          "message": f"CSV has no {text_col!r} column (columns: {reader.fieldnames})"}}
        return
    for n, row in enumerate(reader, 2):
        rid = row.get(id_col)
        rec = {k: v for k, v in row.items() if k is not None}
        rec["id"] = rid if rid else f"line-{n}"
        rec["text"] = row.get(text_col)
        yield rec


def read_dir(path: Path) -> Iterator[dict]:
    for p in sorted(path.glob("*.txt")):
        text, _ = _decode(p.read_bytes())
        yield {"id": p.stem, "text": text}


def detect_format(path: str) -> str:
    if path == "-":
        return "jsonl"
    p = Path(path)
    if p.is_dir():
        return "dir"
    suffix = p.suffix.lower()
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".txt": "txt"}.get(suffix, "jsonl")


def read_records(path: str, fmt: str | None = None, id_col: str = "id", text_col: str = "text") -> Iterator[dict]:
    fmt = fmt or detect_format(path)
    if fmt == "dir":
        yield from read_dir(Path(path))
        return
    fh = sys.stdin.buffer if path == "-" else open(path, "rb")
    try:
        if fmt == "txt":
            text, _ = _decode(fh.read())
            yield {"id": Path(path).stem if path != "-" else "stdin", "text": text}
        elif fmt == "csv":
            yield from read_csv(fh, id_col, text_col)
        else:
            yield from read_jsonl(fh, id_col, text_col)
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


CSV_FIELDS = ("id", "status", "codes", "modifiers", "confidence", "needs_review", "flags", "error")


def csv_row(rec: dict) -> dict:
    """Flatten an output record to one CSV row (codes as CODE-MOD-MOD joined by spaces)."""
    if rec.get("status") == "error":
        return {"id": rec["id"], "status": "error", "codes": "", "modifiers": "", "confidence": "",
                "needs_review": "true", "flags": "", "error": f"{rec['error']['type']}: {rec['error']['message']}"}
    codes = rec.get("codes", [])
    return {
        "id": rec["id"], "status": rec["status"],
        "codes": " ".join(c["code"] + (("x" + str(c["units"])) if c["units"] != 1 else "") for c in codes),
        "modifiers": " ".join("-".join([c["code"]] + c["modifiers"]) for c in codes),
        "confidence": rec.get("confidence", ""),
        "needs_review": str(rec.get("needs_review", False)).lower(),
        "flags": " ".join(f["type"] for f in rec.get("flags", [])),
        "error": "",
    }
