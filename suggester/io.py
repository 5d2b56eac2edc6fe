"""Record readers and writers: JSONL, CSV, a directory of .txt files, stdin.

Readers stream: each yields one record dict per input record, in order, holding at most one
record (one line, at most ``MAX_LINE_BYTES``) in memory. A record that cannot be read yields
``{"id": ..., "error": {"type", "message"}}`` instead, so that every input record becomes
exactly one output record. Nothing in an input file makes a reader raise; only a file that
cannot be opened does.

Encoding: every line (every file of a directory) is decoded on its own: UTF-8, a UTF-8 byte
order mark stripped; else Windows-1252, else Latin-1. A UTF-16 file (with its byte order mark)
is transcoded. NUL bytes become spaces. In the ``text`` (and ``ordered``) fields, CRLF and
lone CR line ends become LF (so evidence offsets refer to the text with LF line ends) and a lone
surrogate becomes U+FFFD. What was repaired is listed, per record, under the key ``WARNINGS_KEY``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, overload

from . import lines as _lines

# The pipeline refuses texts over 1 MB (pipeline.MAX_TEXT_BYTES); a JSON line or CSV field
# holding such a text is at most ~6x that once escaped. Longer lines are skipped unread.
MAX_LINE_BYTES = 8_000_000
MAX_FILE_BYTES = 4_000_000  # a .txt report larger than this is reported, not read
WARNINGS_KEY = "_input_warnings"
_BLOCK = _lines.BLOCK
_decode = _lines.decode

csv.field_size_limit(MAX_LINE_BYTES)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean_text(text, notes: list[str]):
    """LF line ends in a text field (the pipeline's sections are line based); a lone surrogate
    (from a ``\\ud800`` JSON escape, e.g. a cut emoji) becomes U+FFFD."""
    if not isinstance(text, str):
        return text
    if "\r" in text:
        notes.append("CR line ends normalised to LF")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and _SURROGATE.search(text):  # (an ASCII text holds none: not searched)
        notes.append("lone surrogates replaced by U+FFFD")
        text = _SURROGATE.sub("\ufffd", text)
    return text


def _note(rec: dict, notes: list[str]) -> dict:
    if notes:
        rec[WARNINGS_KEY] = list(dict.fromkeys(notes))
    return rec


class _Utf16Lines:
    """A UTF-16 stream read line by line as UTF-8 bytes (``readline`` only; the stream is not closed)."""

    def __init__(self, fh: IO[bytes]):
        self._fh = fh
        self._dec = codecs.getincrementaldecoder("utf-16")("replace")
        self._buf = ""
        self._pos = 0
        self._eof = False

    def readline(self, size: int = -1) -> bytes:
        while not self._eof:
            i = self._buf.find("\n", self._pos)
            if i >= 0 or (size >= 0 and len(self._buf) - self._pos >= size):
                break
            block = self._fh.read(_BLOCK)
            self._buf = self._buf[self._pos:] + self._dec.decode(block, final=not block)
            self._pos = 0
            self._eof = not block
        i = self._buf.find("\n", self._pos)
        end = i + 1 if i >= 0 else len(self._buf)
        if size >= 0:
            end = min(end, self._pos + size)
        line = self._buf[self._pos:end]
        self._pos = end
        return line.encode("utf-8", "surrogatepass")


def _sniff(fh) -> bytes:
    try:
        if hasattr(fh, "peek"):
            return fh.peek(4)[:4]
        if fh.seekable():
            pos = fh.tell()
            head = fh.read(4)
            fh.seek(pos)
            return head
    except (OSError, ValueError):
        pass
    return b""


def _line_source(fh) -> tuple[object, str | None]:
    head = _sniff(fh)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not head.startswith(codecs.BOM_UTF32_LE):
        return _Utf16Lines(fh), "transcoded from UTF-16"
    return fh, None


@overload
def iter_lines(fh, limit: int | None = None, count: None = None) -> Iterator[bytes | None]: ...


@overload
def iter_lines(fh, limit: int | None = None, *, count: bytes) -> Iterator[bytes | int]: ...


def iter_lines(fh, limit: int | None = None, count: bytes | None = None) -> Iterator[bytes | int | None]:
    """Each line of a binary stream (:func:`suggester.lines.iter_lines`); a line longer than
    ``limit`` (default ``MAX_LINE_BYTES``) yields ``None`` (with ``count``: how many of that byte
    it held) and is skipped without being held in memory."""
    return _lines.iter_lines(fh, MAX_LINE_BYTES if limit is None else limit, count)


def _decode_line(raw: bytes, notes: list[str]) -> str:
    if b"\x00" in raw:
        raw = raw.replace(b"\x00", b" ")
        notes.append("NUL bytes replaced by spaces")
    line, note = _decode(raw)
    if note:
        notes.append(note)
    return line


_BLANK = b" \t\r\n"  # a line of these only is skipped; any other character makes it a record


def read_jsonl(fh: IO[bytes], id_key: str = "id", text_key: str = "text", *,
               require_text_key: bool = False) -> Iterator[dict]:
    """One record per line that is not blank (spaces, tabs, CR): a line of NUL, VT, FF, 0x1c,
    U+0085, U+2028 or a lone byte order mark is an ``invalid_json`` error record, not skipped.

    ``require_text_key``: when none of the first ``TEXT_KEY_PROBE`` JSON objects has
    ``text_key``, yield one ``missing_column`` error naming the keys seen (and stop), as
    :func:`read_csv` does for a missing column: the caller stops at once (exit 2).
    """
    records = _read_jsonl(fh, id_key, text_key)
    if require_text_key:
        yield from _require_key(records, text_key)
        return
    for rec in records:
        rec.pop(_KEYS, None)
        rec.pop(_NOT_JSON, None)
        yield rec


TEXT_KEY_PROBE = 5
_KEYS = "_keys"  # internal: (line number, the keys) of a JSON object, for _require_key
_NOT_JSON = "_not_json"  # internal: a line that is not JSON and does not start as JSON does


def _require_key(records: Iterator[dict], text_key: str) -> Iterator[dict]:
    head: list[dict] = []
    objects = 0
    for rec in records:
        head.append(rec)
        if _KEYS in rec:
            objects += 1
            if text_key in rec[_KEYS][1] or objects >= TEXT_KEY_PROBE:
                break
        elif len(head) == TEXT_KEY_PROBE and all(_NOT_JSON in r for r in head):
            break
    not_json = [r.pop(_NOT_JSON, False) for r in head]
    if head and all(not_json):
        # a CSV, a plain-text report or anything else that is not JSON Lines: one clear error
        # rather than an invalid_json record per line (the lines are not records); no line quoted
        yield {"id": head[0]["id"], "error": {"type": "not_json_lines", "message":
               "not JSON Lines: " + (f"the first {len(head)} non-blank lines are not JSON (none starts with "
                                     "{ or [)" if len(head) > 1 else "its only non-blank line is not JSON (it does "
                                     "not start with { or [)")
               + "; for CSV give --input-format csv (or a .csv file name), for one plain-text report "
                 "--input-format txt"}}
        return
    keyed = [r[_KEYS][1] for r in head if _KEYS in r]
    if keyed and not any(text_key in k for k in keyed):
        seen = list(dict.fromkeys(k for keys in keyed for k in keys))
        first = next(r[_KEYS][0] for r in head if _KEYS in r)  # the line of the first JSON object
        yield {"id": f"line-{first}", "error": {"type": "missing_column", "message":
               f"no {text_key!r} key in the first {len(keyed)} JSON record{'s' if len(keyed) > 1 else ''} "
               f"(keys seen: {', '.join(seen[:20])}); name the report text key with --text-col KEY"}}
        return
    for rec in head:
        rec.pop(_KEYS, None)
        yield rec
    for rec in records:
        rec.pop(_KEYS, None)
        rec.pop(_NOT_JSON, None)
        yield rec


def _read_jsonl(fh: IO[bytes], id_key: str, text_key: str) -> Iterator[dict]:
    src, enc_note = _line_source(fh)
    for n, raw in enumerate(iter_lines(src), 1):
        if raw is None:
            yield {"id": f"line-{n}", "error": {"type": "line_too_long",
                                                 "message": f"line {n} is longer than {MAX_LINE_BYTES} bytes; not read"}}
            continue
        if n == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]  # the file's byte order mark; a BOM alone on a later line is a record
        if not raw.strip(_BLANK):
            continue
        notes = [enc_note] if enc_note else []
        line = _decode_line(raw, notes)
        if not line.strip() or line.strip() == "\ufeff":
            shown = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in raw.decode("utf-8", "replace").strip(" \t\r\n")))
            yield {"id": f"line-{n}", "error": {"type": "invalid_json",
                                                 "message": f"line {n}: no JSON, only control or space characters ({shown[:80]})"}}
            continue
        try:
            obj = _loads_lenient(line)
        except json.JSONDecodeError as e:
            bad: dict[str, Any] = {"id": f"line-{n}", "error": {"type": "invalid_json",
                                                "message": f"line {n}: {e.msg} at column {e.colno}"}}
            if not line.lstrip(" \t\ufeff").startswith(("{", "[")):
                bad[_NOT_JSON] = True
            yield bad
            continue
        except RecursionError:
            yield {"id": f"line-{n}", "error": {"type": "invalid_json",
                                                 "message": f"line {n}: JSON nested too deeply to read"}}
            continue
        except ValueError as e:  # an integer too long
            yield {"id": f"line-{n}", "error": {"type": "invalid_json",
                                                 "message": f"line {n}: {type(e).__name__}: {str(e)[:200]}"}}
            continue
        if not isinstance(obj, dict):
            yield {"id": f"line-{n}", "error": {"type": "invalid_record",
                                                 "message": f"line {n}: expected a JSON object"}}
            continue
        rec = dict(obj)
        rec[_KEYS] = (n, tuple(obj))
        # "error" is how readers report a record they could not read; never take it from the input
        rec.pop("error", None)
        rid = rec.get(id_key)
        rec["id"] = str(rid) if rid not in (None, "") else f"line-{n}"
        if text_key != "text":
            rec["text"] = rec.pop(text_key, None)
        rec["text"] = _clean_text(rec.get("text"), notes)
        if "ordered" in rec:
            rec["ordered"] = _clean_text(rec["ordered"], notes)
        yield _note(rec, notes)


# strict=False: raw tabs/CRs inside strings. One decoder for every line: ``json.loads`` with a
# keyword builds a new one per call (with the surrogate search above skipped on ASCII text, the
# main process of a batch reads a record in 7.5 us instead of 19)
_LENIENT = json.JSONDecoder(strict=False)


def _loads_lenient(line: str):
    """``json.loads(line, strict=False)``: the same objects and the same errors."""
    if line.startswith("\ufeff"):  # as json.loads refuses it
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", line, 0)
    return _LENIENT.decode(line)


def _find_column(fieldnames: list[str], name: str) -> int | None:
    if name in fieldnames:
        return fieldnames.index(name)
    loose = [i for i, f in enumerate(fieldnames) if f.strip().lower() == name.strip().lower()]
    return loose[0] if len(loose) == 1 else None


@dataclass
class _LineState:
    """What :func:`read_csv`'s line source tells the row loop about the lines it just read."""
    too_long: bool = False
    first_too_long: int = 0  # the number of the first line of the row that was too long
    lines: int = 0  # lines read
    notes: list[str] = field(default_factory=list)


def read_csv(fh: IO[bytes], id_col: str = "id", text_col: str = "text") -> Iterator[dict]:
    src, enc_note = _line_source(fh)
    state = _LineState()

    def lines() -> Iterator[str]:
        for raw in iter_lines(src, count=b'"'):
            state.lines += 1
            if isinstance(raw, int):
                # in its place a line with as many quotes as it had, modulo 2: a quoted field
                # it opened or closed is opened or closed here too, and the next rows stay rows
                if not state.too_long:
                    state.too_long, state.first_too_long = True, state.lines
                yield '"' * (raw % 2) + "\n"
                continue
            yield _decode_line(raw, state.notes)

    source = lines()
    reader = csv.reader(source)
    header: list[str] | None = None
    row: list[str] | None
    while header is None:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            continue
        if row:
            header = row
    state.notes.clear()
    if state.too_long:
        state.too_long = False
    ti = _find_column(header, text_col)
    ii = _find_column(header, id_col)
    if ti is None:
        yield {"id": f"line-{reader.line_num}", "error": {"type": "missing_column",
                                                          "message": f"CSV has no {text_col!r} column (columns: {header})"}}
        return
    n = 1
    while True:
        row_line = reader.line_num + 1  # the row's first line (or a blank line before it)
        try:
            row = next(reader)
            err = None
        except StopIteration:
            return
        except csv.Error as e:
            row, err = None, str(e)
        notes = ([enc_note] if enc_note else []) + state.notes
        state.notes = []
        if row == [] and not state.too_long:
            continue  # blank line
        n += 1
        if state.too_long:
            state.too_long = False
            # the id, unless the line it was on is the one not read
            rid = row[ii] if row and ii is not None and ii < len(row) and state.first_too_long > row_line else None
            yield {"id": rid or f"line-{n}", "error": {"type": "line_too_long",
                                                 "message": f"row {n} has a line longer than {MAX_LINE_BYTES} bytes; not read"}}
            continue
        if row is None:  # the csv module could not read it (err says why)
            yield {"id": f"line-{n}", "error": {"type": "invalid_csv", "message": f"row {n}: {err}"}}
            continue
        rec = {k: (row[i] if i < len(row) else None) for i, k in enumerate(header) if i != ti}
        rec.pop("error", None)
        rid = row[ii] if ii is not None and ii < len(row) else None
        rec["id"] = rid if rid else f"line-{n}"
        rec["text"] = _clean_text(row[ti] if ti < len(row) else None, notes)
        if "ordered" in rec:
            rec["ordered"] = _clean_text(rec["ordered"], notes)
        yield _note(rec, notes)


def _read_capped(fh, tap=None, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """Read a whole stream, or None when it is larger than ``limit`` (the rest still reaches ``tap``)."""
    data = fh.read(limit + 1)
    if tap is not None:
        tap.update(data)
    if len(data) <= limit:
        return data
    while True:
        block = fh.read(_BLOCK)
        if not block:
            return None
        if tap is not None:
            tap.update(block)


def _text_record(rid: str, raw: bytes | None, what: str) -> dict:
    if raw is None:
        return {"id": rid, "error": {"type": "text_too_large",
                                     "message": f"{what} is larger than {MAX_FILE_BYTES} bytes; not read"}}
    notes: list[str] = []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
        notes.append("transcoded from UTF-16")
    else:
        text = _decode_line(raw, notes)
    return _note({"id": rid, "text": _clean_text(text, notes)}, notes)


def list_dir(path: Path) -> list[str]:
    """The names of the ``.txt`` files of a folder, in the order they are read (sorted)."""
    with os.scandir(path) as it:
        return sorted(e.name for e in it if e.name.lower().endswith(".txt") and not e.is_dir())


def read_dir(path: Path, tap=None) -> Iterator[dict]:
    """One record per ``.txt`` file, sorted by name; the id is the file name without suffix.

    ``tap`` (e.g. a hashlib object) receives, per file, its name, a NUL and its bytes.
    """
    path = Path(path)
    for name in list_dir(path):
        rid = name[:-4]
        if tap is not None:
            tap.update(name.encode("utf-8", "surrogateescape") + b"\x00")
        try:
            with open(path / name, "rb") as fh:
                raw = _read_capped(fh, tap)
        except OSError as e:
            yield {"id": rid, "error": {"type": "unreadable_file", "message": f"{name}: {e.strerror or e}"}}
            continue
        yield _text_record(rid, raw, name)


class TapReader(io.RawIOBase):
    """A readable binary stream passing every byte read to ``tap.update`` and counting them."""

    def __init__(self, fh: IO[bytes], tap):
        self._fh = fh
        self._tap = tap
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self._fh.read(len(b))
        n = len(data)
        b[:n] = data
        if n:
            self._tap.update(data)
            self.bytes_read += n
        return n


SNIFF_BYTES = 1 << 16
# files that are not text at all: named, never read as records
BINARY_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx or .docx file?): save the sheet as CSV (UTF-8) first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (an .xls or .doc file?): save the sheet as CSV (UTF-8) first"),
    (b"%PDF-", "a PDF: extract the report text first"),
    (b"\x1f\x8b", "gzip-compressed: decompress it first (zcat FILE | suggester code -)"),
    (b"BZh", "bzip2-compressed: decompress it first (bzcat FILE | suggester code -)"),
    (b"\xfd7zXZ\x00", "xz-compressed: decompress it first (xzcat FILE | suggester code -)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed: decompress it first (zstdcat FILE | suggester code -)"),
)
_SUFFIXES = {".hl7": "hl7", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".txt": "txt"}


class InputFormatError(ValueError):
    """The input is not something the readers can read (a spreadsheet, an archive, a PDF)."""


def sniff_format(head: bytes, name: str = "") -> str:
    """The input format the first bytes show: ``hl7`` (``MSH|``, an MLLP frame or a FHS/BHS
    batch), ``fhir`` (JSON with a ``resourceType``), else the file name's suffix (``.csv``,
    ``.txt``, ``.fhir.json``...), else ``jsonl``. Raises :class:`InputFormatError` for a
    ZIP/xlsx, OLE2/xls, PDF or compressed file, naming what to do."""
    for sig, what in BINARY_SIGNATURES:
        if head.startswith(sig):
            raise InputFormatError(f"{name or 'the input'} is {what}")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", "replace")
    else:
        text = head.decode("utf-8", "replace")
    text = text.lstrip("\ufeff \t\r\n\x0b")
    if re.match(r"(MSH|FHS|BHS)[^A-Za-z0-9\s]", text):
        return "hl7"
    if text.startswith("{"):
        first = text.split("\n", 1)[0]
        try:
            obj = json.loads(first)
            if isinstance(obj, dict) and "resourceType" in obj:
                return "fhir"
        except (ValueError, RecursionError):
            if re.search(r'^\s*"resourceType"\s*:', text[:SNIFF_BYTES], re.MULTILINE):
                return "fhir"  # a pretty-printed resource
        else:
            return "jsonl"
    lower = name.lower()
    if lower.endswith(".fhir.json"):
        return "fhir"
    return _SUFFIXES.get(Path(lower).suffix, "jsonl")


def _head(fh) -> bytes:
    try:
        if hasattr(fh, "peek"):
            return fh.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    except (OSError, ValueError):
        return b""
    return b""


def detect_format(path: str) -> str:
    """The format of an input path (a folder is ``dir``; ``-`` is stdin): what its content shows
    (:func:`sniff_format`), the suffix when the content does not tell."""
    if path == "-":
        return sniff_format(_head(sys.stdin.buffer), "stdin")
    p = Path(path)
    if p.is_dir():
        return "dir"
    try:
        with open(p, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError:
        head = b""
    return sniff_format(head, p.name)


def read_records(path: str, fmt: str | None = None, id_col: str = "id", text_col: str = "text",
                 *, tap=None, require_text_key: bool = True) -> Iterator[dict]:
    """Stream the records of a file, a folder of ``.txt`` files, or ``-`` (stdin).

    ``tap`` (e.g. a hashlib object) receives every input byte, including any after the last
    record, once the records are exhausted. A JSONL input none of whose first records has the
    text key yields one ``missing_column`` error (``require_text_key``). A spreadsheet, archive
    or PDF raises :class:`InputFormatError` on the first read.
    """
    fmt = fmt or detect_format(path)
    if fmt == "dir":
        yield from read_dir(Path(path), tap)
        return
    raw_fh = sys.stdin.buffer if path == "-" else open(path, "rb")
    try:
        if fmt != "txt":
            head = _head(raw_fh) if path == "-" else raw_fh.read(16)
            if path != "-":
                raw_fh.seek(0)
            for sig, what in BINARY_SIGNATURES:
                if head.startswith(sig):
                    raise InputFormatError(f"{'stdin' if path == '-' else Path(path).name} is {what}")
        tapped = TapReader(raw_fh, tap) if tap is not None else None
        fh = io.BufferedReader(tapped, _BLOCK) if tapped is not None else raw_fh
        if fmt == "txt":
            name = Path(path).stem if path != "-" else "stdin"
            yield _text_record(name, _read_capped(fh), name)
        elif fmt == "csv":
            yield from read_csv(fh, id_col, text_col)
        elif fmt == "hl7":  # the hl7 and fhir extras are imported only when used
            from .integrations.hl7 import read_hl7

            yield from read_hl7(fh)
        elif fmt == "fhir":
            from .integrations.fhir import read_fhir

            yield from read_fhir(fh)
        else:
            yield from read_jsonl(fh, id_col, text_col, require_text_key=require_text_key)
        if tapped is not None:
            while fh.read(_BLOCK):  # what the reader did not need still belongs to the hash
                pass
    finally:
        if raw_fh is not sys.stdin.buffer:
            raw_fh.close()


CSV_FIELDS = ("id", "status", "codes", "modifiers", "confidence", "needs_review", "flags", "error")
# --layout lines (the default): one row per code line, keyed by the input record number
CSV_LINE_FIELDS = ("record", "id", "status", "code", "modifiers", "units", "label", "confidence",
                   "needs_review", "review_reasons", "flags", "error")
CSV_LAYOUTS = {"csv": CSV_LINE_FIELDS, "csv-reports": CSV_FIELDS}


def csv_line_rows(rec: dict, n: int) -> list[dict]:
    """One CSV row per code line of an output record (``n``: its input record number); a record
    without codes (an error record, or no billable exam) is one row with an empty code."""
    base = {"record": n, "id": rec.get("id"), "status": rec.get("status"), "code": "", "modifiers": "",
            "units": "", "label": "", "confidence": "", "needs_review": "true", "review_reasons": "",
            "flags": "", "error": ""}
    if rec.get("status") == "error":
        err = rec.get("error") or {}
        return [dict(base, error=f"{err.get('type')}: {err.get('message')}")]
    base.update(needs_review=str(bool(rec.get("needs_review"))).lower(),
                review_reasons="; ".join(rec.get("review_reasons", [])),
                flags=" ".join(f["type"] for f in rec.get("flags", [])),
                confidence=rec.get("confidence", ""))
    return [dict(base, code=c["code"], modifiers=" ".join(c.get("modifiers", [])), units=c.get("units", 1),
                 label=c.get("label", ""), confidence=c.get("confidence", ""))
            for c in rec.get("codes", [])] or [base]


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
