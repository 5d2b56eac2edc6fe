"""HL7 v2: ORU^R01 results in (read with python-hl7), DFT^P03 charges out (built with hl7apy).

Reading (:func:`read_hl7`, :func:`read_oru`): every field is read as the raw string received
(python-hl7 splits, nothing is converted to a typed value), so dates and provider names reach
the DFT exactly as sent.

* a file or body holds one or more messages, with or without MLLP framing (``\\x0b`` ...
  ``\\x1c\\r``), segments ended by CR, LF or CRLF, optionally wrapped in FHS/BHS ... BTS/FTS;
  a line that does not start a segment (a raw newline inside report text) continues the
  segment before it;
* the report text is the OBX-5 of every text OBX (value type TX, FT or ST, result status not
  D/W/X), one line per OBX and per OBX-5 repetition, with the escapes decoded (``\\.br\\``,
  ``\\X0D0A\\``, ``\\T\\``, ...; ``\\.sp N\\`` gives at most ``MAX_SP`` line breaks) and
  unescaped ``^``/``&`` kept as text; NTE-3 under the OBR is the fallback when there is no text OBX;
* the ordered procedure is OBR-4: the code when it is CPT/HCPCS-coded (OBR-4.3 ``C4``,
  ``CPT``, ``HCPCS``...), else its text;
* the record id is the accession: OBR-18 (placer field 1, where most RIS put it), else OBR-3
  (filler order number), else MSH-10;
* the report status: OBR-25, and OBX-11 of the text OBX. F and C (and U) are final; X or D
  (cancelled, deleted) make the message an error record of type ``report_status``; any other
  status (P preliminary, R not verified, S/A partial, I/O pending) is passed on as
  ``report_status`` and the output carries the flag ``report_not_final``.

Nothing in a message makes the reader raise: a message that cannot be read becomes an error
record naming the message number and its byte offset in the input.

Writing (:func:`write_dft`): a v2.5 DFT^P03 with the source's PID and PV1 and one FT1 per code
line: FT1-4 the date of service exactly as sent (OBR-7, else OBX-14, else the ORU's MSH-7),
FT1-6 ``CG``, FT1-7 and FT1-25 the procedure code (``73562^Radiograph knee 3 views^C4``;
``HCPCS`` for G codes), FT1-10 units, FT1-19 the diagnoses (OBR-31 reasons for study, else DG1-3),
FT1-20 the performing provider (OBR-32 principal result interpreter), FT1-21 the ordering
provider (OBR-16), FT1-23 the accession, FT1-26 the modifiers (``26~LT``).
An error record becomes an ACK^R01 with MSA-1 ``AE`` (:func:`write_ack`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime, timezone
from typing import IO, Any

from .common import MissingExtraError, require, service_date

ORU = ("ORU", "R01")
DFT_VERSION = "2.5"
TEXT_TYPES = frozenset({"TX", "FT", "ST"})
SKIPPED_STATUS = frozenset({"D", "W", "X"})  # deleted, wrong (replaced), cannot be obtained
FINAL_STATUS = frozenset({"F", "C", "U"})  # final, corrected, (OBX) changed back to final
CANCELLED_STATUS = frozenset({"X", "D"})  # no results / cancelled, deleted
# HL7 result status (tables 0123 / 0085) in the words of FHIR DiagnosticReport.status
STATUS_WORDS = {"F": "final", "C": "corrected", "U": "final", "P": "preliminary", "R": "preliminary",
                "S": "partial", "A": "partial", "I": "registered", "O": "registered",
                "X": "cancelled", "D": "entered-in-error"}
CPT_SYSTEMS = frozenset({"C4", "C5", "CPT", "CPT4", "CPT-4"})
HCPCS_SYSTEMS = frozenset({"HCPCS", "HPC"})
DEFAULT_ENCODING = {"FIELD": "|", "COMPONENT": "^", "REPETITION": "~", "ESCAPE": "\\", "SUBCOMPONENT": "&"}
# HL7 table 0357 (message error condition codes) for the error types of the readers
ERROR_CODES = {"unsupported_message": ("200", "Unsupported message type"),
               "missing_text": ("101", "Required field missing"),
               "report_status": ("207", "Application internal error"),
               "error": ("207", "Application internal error")}
CHARSETS = {"UNICODE UTF-8": "utf-8", "UNICODE": "utf-8", "8859/1": "latin-1", "ASCII": "ascii"}
MAX_SP = 10  # line breaks one .sp N escape may add (N is sender-controlled)

_BREAK_RX = re.compile(rb"[\r\n\x0b\x1c]+")
_SEGMENT_RX = re.compile(r"^[A-Z][A-Z0-9]{2}\|")
_BATCH = ("FHS", "BHS", "BTS", "FTS")
_CODE_RX = re.compile(r"^(\d{4}[0-9FT]|[A-V]\d{4})$")
_SP_RX = re.compile(r"^\.sp\s*\+?(\d*)$")
_HEX_RX = re.compile(r"(?:[0-9A-Fa-f]{2})+")
# HL7 DTM: YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]
DTM_RX = re.compile(r"\d{4}(?:\d{2}(?:\d{2}(?:\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,4})?)?)?)?)?)?(?:[+-]\d{4})?")


# ---------------------------------------------------------------------- reading


def split_messages(chunks: Iterable[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    """Group a byte stream into messages: ``(byte offset of the first segment, segments)``.

    Anything before the first MSH other than batch header segments comes back as a message
    of its own (the caller reports it), so no input goes unnoticed.
    """
    state = _Message()
    rest, base = b"", 0  # base: input offset of rest[0]
    for chunk in chunks:
        buf = rest + chunk
        pos = 0
        pieces = []
        for m in _BREAK_RX.finditer(buf):
            pieces.append((base + pos, buf[pos:m.start()]))
            pos = m.end()
        rest, base = buf[pos:], base + pos
        yield from _segments(pieces, state)
    yield from _segments([(base, rest)] if rest.strip() else [], state)
    if state.segs:
        yield state.start, state.segs


@dataclass
class _Message:
    """The message :func:`split_messages` is building: its segments, and the input offset of the first."""
    segs: list[bytes] = dc_field(default_factory=list)
    start: int = 0


def _segments(pieces: list[tuple[int, bytes]], state: _Message) -> Iterator[tuple[int, list[bytes]]]:
    """Add pieces to the message being built; yield each message completed."""
    segs = state.segs
    for offset, p in pieces:
        if not p.strip():
            continue
        head = p[:4].decode("latin-1")
        if head.startswith("MSH"):
            if segs:
                yield state.start, list(segs)
            segs[:] = [p]
            state.start = offset
        elif head[:3] in _BATCH and _SEGMENT_RX.match(head):
            if segs:
                yield state.start, list(segs)
            segs[:] = []
        elif _SEGMENT_RX.match(head) or not segs:
            if not segs:
                state.start = offset
            segs.append(p)
        else:  # a raw line break inside a field: continue the segment
            segs[-1] += b"\n" + p


def decode_message(segs: list[bytes]) -> str:
    """Join segments with CR and decode in the charset MSH-18 names (UTF-8, else Latin-1)."""
    raw = b"\r".join(segs)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    head = segs[0].decode("latin-1")
    msh = head.split(head[3]) if head.startswith("MSH") and len(head) > 4 else []
    charset = CHARSETS.get(msh[17].split(head[4])[0].strip().upper()) if len(msh) > 17 else None
    for enc in (charset, "utf-8", "latin-1"):
        if enc:
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
    return raw.decode("latin-1")


def read_hl7(fh: IO[bytes] | bytes | str, chunk_size: int = 1 << 16) -> Iterator[dict]:
    """One input record per message in a file, a byte string or a str (never raises for its
    content: a message that cannot be read is an error record)."""
    require("hl7", "hl7")  # fail for the missing extra, not per message
    if isinstance(fh, str):
        fh = fh.encode("utf-8", "surrogatepass")
    chunks = [fh] if isinstance(fh, bytes) else iter(lambda: fh.read(chunk_size), b"")
    for n, (offset, segs) in enumerate(split_messages(chunks), 1):
        yield read_oru(decode_message(segs), n, offset)


def read_oru(message: str, n: int = 1, offset: int | None = None) -> dict:
    """The input record of one ORU^R01 message (an error record when it cannot be read)."""
    where = f"message {n}" + (f" (byte {offset})" if offset is not None else "")
    try:
        return _read_oru(message, n, where)
    except MissingExtraError:
        raise
    except Exception as e:  # noqa: BLE001  (a reader never raises: one error record per message)
        return _error(f"message-{n}", "invalid_hl7", f"{where}: cannot be read: {type(e).__name__}: {str(e)[:200]}")


def _encoding(msh: str) -> dict | None:
    """The delimiters MSH-1 and MSH-2 declare, or None when they are not usable."""
    if len(msh) < 5:
        return None
    field = msh[3]
    chars = msh[4:].split(field, 1)[0]
    enc = {"FIELD": field, "COMPONENT": chars[:1], "REPETITION": chars[1:2] or "~",
           "ESCAPE": chars[2:3], "SUBCOMPONENT": chars[3:4] or "&"}
    used = [v for v in enc.values() if v]
    if not enc["COMPONENT"] or len(set(used)) != len(used) or any(c.isalnum() or c.isspace() for c in used):
        return None
    return enc


def _read_oru(message: str, n: int, where: str) -> dict:
    hl7 = require("hl7", "hl7")
    rid = f"message-{n}"
    segments = [s for s in message.split("\r") if s.strip()]
    if not segments or not segments[0].startswith("MSH"):
        return _error(rid, "invalid_hl7", f"{where}: does not start with an MSH segment "
                                           f"(starts with {message[:20]!r})")
    enc = _encoding(segments[0])
    if enc is None:
        return _error(rid, "invalid_hl7", f"{where}: MSH-1/MSH-2 do not declare usable delimiters "
                                           f"({segments[0][:12]!r})")
    msg = hl7.parse("\r".join(segments))
    msh = msg.segment("MSH")
    ctx: dict[str, Any] = {  # the record's "hl7" context (JSON)
        "control_id": _field(msh, 10),
        "processing_id": _field(msh, 11) or "P",
        "sending_facility": _field(msh, 4),
        "receiving_facility": _field(msh, 6),
        "sent": _dtm(_field(msh, 7), enc),
        "encoding": enc,
    }
    control = unescape(ctx["control_id"], enc)
    rid = control or rid
    label = f"message {control}" if control else where
    mtype = _comps(_field(msh, 9), enc)
    if tuple(t.strip().upper() for t in mtype[:2]) != ORU:
        got = enc["COMPONENT"].join(mtype[:2]) or "no MSH-9"
        return _error(rid, "unsupported_message", f"{label}: expected ORU^R01, got {got}", ctx)
    orders, others = _orders(msg, enc)
    if not orders:
        return _error(rid, "invalid_hl7", f"{label}: ORU^R01 without an OBR segment", ctx)
    first = orders[0]
    accession = next((o["accession"] for o in orders if o["accession"]), None)
    rid = accession or rid
    blocks: list[str] = []
    for o in orders:  # a report repeated under each OBR of a multi-order study is read once
        if o["text"] and o["text"] not in blocks:
            blocks.append(o["text"])
    text = "\n\n".join(blocks)
    ctx.update({
        "pid": others.get("PID"),
        "pv1": others.get("PV1"),
        "observed": next((o["observed"] for o in orders if o["observed"]), None),
        "ordering_provider": first["ordering_provider"],
        "interpreter": next((o["interpreter"] for o in orders if o["interpreter"]), None),
        "diagnoses": _diagnoses(orders, others.get("DG1s", []), enc),
        "placer_order": first["placer_order"],
        "filler_order": first["filler_order"],
        "accessions": [o["accession"] for o in orders if o["accession"]],
    })
    rec = {"id": rid, "text": text, "ordered": _ordered(orders), "accession": accession, "hl7": ctx}
    status, why = _report_status(orders)
    if status in CANCELLED_STATUS:
        rec.pop("text")
        rec["error"] = {"type": "report_status", "message": f"message {rid}: {why}: not coded"}
        return rec
    if status:
        rec["report_status"] = STATUS_WORDS.get(status, "unknown")
        ctx["report_status"] = why
    if not text.strip():
        rec.pop("text")
        rec["error"] = {"type": "missing_text",
                        "message": f"message {rid}: no report text (no text OBX or NTE under the OBR)"}
    return rec


def _report_status(orders: list[dict]) -> tuple[str | None, str]:
    """The status that decides (cancelled, else not final, else None) and where it was read."""
    if orders and all(o["status"] in CANCELLED_STATUS for o in orders):
        s = orders[0]["status"]
        return s, f"OBR-25 result status {s} ({STATUS_WORDS[s]})"
    if not any(o["text"] for o in orders) and any(o["dropped"] for o in orders):
        s = next(st for o in orders for st in o["dropped"] if st in CANCELLED_STATUS) \
            if any(st in CANCELLED_STATUS for o in orders for st in o["dropped"]) else "D"
        return s, f"every report OBX has result status {'/'.join(sorted({st for o in orders for st in o['dropped']}))}"
    for o in orders:
        if o["status"] and o["status"] not in FINAL_STATUS | CANCELLED_STATUS:
            return o["status"], f"OBR-25 result status {o['status']} ({STATUS_WORDS.get(o['status'], 'not final')})"
    for o in orders:
        for st in o["obx_status"]:
            if st and st not in FINAL_STATUS:
                return st, f"OBX-11 result status {st} ({STATUS_WORDS.get(st, 'not final')})"
    return None, ""


def _field(seg, n: int) -> str:
    """Field ``n`` of a python-hl7 segment as the raw string received ("" when absent)."""
    return str(seg[n]) if n < len(seg) else ""


def _comps(raw: str, enc: dict) -> list[str]:
    """The components of the first repetition of a raw field (raw, not unescaped)."""
    return raw.split(enc["REPETITION"])[0].split(enc["COMPONENT"])


def _first(raw: str, enc: dict) -> str:
    return unescape(_comps(raw, enc)[0], enc).strip()


def _orders(msg, enc: dict) -> tuple[list[dict], dict]:
    orders: list[dict] = []
    notes: list[list[str]] = []
    others: dict = {"DG1s": []}
    lines: list[str] = []
    for seg in msg:
        name = str(seg[0]).strip()
        if name == "OBR":
            obr4 = [unescape(c, enc) for c in _comps(_field(seg, 4), enc)]
            orders.append({
                "code": obr4[0], "text": "", "name": obr4[1] if len(obr4) > 1 else "",
                "system": (obr4[2] if len(obr4) > 2 else "").strip().upper(),
                "accession": _first(_field(seg, 18), enc) or _first(_field(seg, 3), enc) or None,
                "placer_order": _field(seg, 2), "filler_order": _field(seg, 3),
                "observed": _dtm(_field(seg, 7), enc),
                "ordering_provider": _field(seg, 16),
                "status": _first(_field(seg, 25), enc).upper(),
                "reasons": _field(seg, 31),
                "interpreter": _ndl_to_xcn(_field(seg, 32), enc),
                "obx_status": [], "dropped": [],
            })
            notes.append([])
            lines = []
        elif name == "OBX" and orders:
            o = orders[-1]
            vtype = _first(_field(seg, 2), enc).upper()
            status = _first(_field(seg, 11), enc).upper()
            if not o["observed"]:
                o["observed"] = _dtm(_field(seg, 14), enc)
            if vtype not in TEXT_TYPES:
                continue
            if status in SKIPPED_STATUS:
                o["dropped"].append(status)
                continue
            o["obx_status"].append(status)
            reps = [unescape(r, enc) for r in _field(seg, 5).split(enc["REPETITION"])]
            lines.extend(reps)
            o["text"] = _clean("\n".join(lines))
        elif name == "NTE" and orders:
            notes[-1].extend(unescape(r, enc) for r in _field(seg, 3).split(enc["REPETITION"]))
        elif name in ("PID", "PV1") and name not in others:
            others[name] = str(seg)
        elif name == "DG1":
            others["DG1s"].append(_field(seg, 3))
    for o, nte in zip(orders, notes, strict=True):
        if not o["text"] and any(x.strip() for x in nte):
            o["text"] = _clean("\n".join(nte))
    return orders, others


def _dtm(raw: str, enc: dict) -> str | None:
    """The DTM of a TS/DTM field exactly as sent, or None when it is not a valid DTM."""
    value = _comps(raw, enc)[0].split(enc["SUBCOMPONENT"])[0].strip()
    return value if DTM_RX.fullmatch(value) else None


def _ndl_to_xcn(raw: str, enc: dict) -> str | None:
    """OBR-32 (NDL: a CNN name in the subcomponents of its first component) as an XCN field
    (FT1-20): ID^family^given^middle^suffix^prefix^degree^source table^assigning authority."""
    first = _comps(raw, enc)[0]
    parts = first.split(enc["SUBCOMPONENT"])
    if not any(p.strip() for p in parts):
        return None
    parts = (parts + [""] * 11)[:11]
    authority = enc["SUBCOMPONENT"].join(parts[8:11]).rstrip(enc["SUBCOMPONENT"])
    return enc["COMPONENT"].join(parts[:8] + [authority]).rstrip(enc["COMPONENT"])


def _diagnoses(orders: list[dict], dg1: list[str], enc: dict) -> list[str]:
    """Coded diagnoses (CE fields, raw): OBR-31 repetitions with a code, else DG1-3."""
    found = [r for o in orders for r in o["reasons"].split(enc["REPETITION"])
             if r.split(enc["COMPONENT"])[0].strip()]
    if not found:
        found = [r for f in dg1 for r in f.split(enc["REPETITION"]) if r.split(enc["COMPONENT"])[0].strip()]
    return list(dict.fromkeys(found))


def _ordered(orders: list[dict]) -> str | None:
    """OBR-4 as the pipeline's ``ordered``: a CPT/HCPCS code, else the order text."""
    if len(orders) == 1:
        o = orders[0]
        if o["system"] in CPT_SYSTEMS | HCPCS_SYSTEMS and _CODE_RX.match(o["code"].strip()):
            return o["code"].strip()
        return o["name"].strip() or None
    names = [o["name"].strip() for o in orders if o["name"].strip()]
    return "\n".join(dict.fromkeys(names)) or None


def _clean(text: str) -> str:
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def unescape(value: str, enc: dict | None = None) -> str:
    """Decode HL7 escape sequences: delimiters, hex data, and the formatting commands of FT.

    Linear in the input, and bounded: ``\\.sp N\\`` adds at most ``MAX_SP`` line breaks.

    >>> unescape(r"EXAM: CT HEAD\\.br\\FINDINGS: R \\T\\ L")
    'EXAM: CT HEAD\\nFINDINGS: R & L'
    """
    enc = enc or DEFAULT_ENCODING
    esc = enc["ESCAPE"]
    if not esc or esc not in value:
        return value
    delims = {"F": enc["FIELD"], "S": enc["COMPONENT"], "T": enc["SUBCOMPONENT"],
              "R": enc["REPETITION"], "E": esc}
    out, i = [], 0
    while i < len(value):
        j = value.find(esc, i)
        k = value.find(esc, j + 1) if j >= 0 else -1
        if j < 0 or k < 0:
            out.append(value[i:])
            break
        out.append(value[i:j])
        seq = value[j + 1:k]
        i = k + 1
        sp = _SP_RX.match(seq)
        if seq in delims:
            out.append(delims[seq])
        elif seq in ("H", "N") or seq[:1] in ("C", "M", "Z") or seq in (".fi", ".nf") \
                or seq.startswith((".in", ".ti", ".sk")):
            continue  # highlighting, character set switches, local escapes, indentation
        elif seq == ".br" or seq == ".ce":
            out.append("\n")
        elif sp:
            count = sp.group(1) or "1"
            out.append("\n" * (min(int(count), MAX_SP) if len(count) <= 3 else MAX_SP))
        elif seq[:1] == "X" and _HEX_RX.fullmatch(seq[1:]):
            data = bytes.fromhex(seq[1:])
            try:
                out.append(data.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(data.decode("latin-1"))
        else:  # not an escape sequence: keep the text as sent
            out.append(esc + seq)
            i = k
    return "".join(out)


def escape(value: str, enc: dict | None = None) -> str:
    """Escape delimiters in a text value (the escape character first)."""
    enc = enc or DEFAULT_ENCODING
    esc = enc["ESCAPE"]
    value = value.replace(esc, f"{esc}E{esc}")
    for key, letter in (("FIELD", "F"), ("COMPONENT", "S"), ("SUBCOMPONENT", "T"), ("REPETITION", "R")):
        value = value.replace(enc[key], f"{esc}{letter}{esc}")
    return value.replace("\r", f"{esc}X0D{esc}").replace("\n", f"{esc}.br{esc}")


def _error(rid: str, kind: str, message: str, ctx: dict | None = None) -> dict:
    rec = {"id": rid, "error": {"type": kind, "message": message}}
    if ctx:
        rec["hl7"] = ctx
    return rec


# ---------------------------------------------------------------------- writing


def _hl7_time(now: datetime | None) -> str:
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%d%H%M%S") + (now.strftime("%z") if now.tzinfo else "")


def _new_message(structure: str, source: dict | None, now: datetime | None, control_id: str | None,
                 sending_application: str):
    core = require("hl7apy.core", "hl7")
    consts = require("hl7apy.consts", "hl7")
    ctx = (source or {}).get("hl7") or {}
    ts = _hl7_time(now)
    m = core.Message(structure, version=DFT_VERSION, validation_level=consts.VALIDATION_LEVEL.TOLERANT)
    msh = m.msh
    msh.msh_3 = escape(sending_application)
    if ctx.get("receiving_facility"):  # the facility the results were sent to sends the charges
        msh.msh_4 = _reencode(ctx["receiving_facility"], ctx)
    msh.msh_7 = ts
    msh.msh_9 = {"DFT_P03": "DFT^P03^DFT_P03", "ACK": "ACK^R01^ACK"}[structure]
    msh.msh_10 = escape(control_id or _control_id(ctx, ts))
    msh.msh_11 = escape(ctx.get("processing_id") or "P")
    return m, ctx, ts


def _control_id(ctx: dict, ts: str) -> str:
    """A deterministic control id: the source's, marked, within MSH-10's 20 characters."""
    src = ctx.get("control_id")
    if src:
        cid = f"SG{src}"
        if len(cid) <= 20:
            return cid
        import hashlib

        return "SG" + hashlib.sha1(src.encode()).hexdigest()[:18].upper()
    return f"SG{ts[:14]}"


def _reencode(raw: str, ctx: dict) -> str:
    """A field copied from the source, with its delimiters changed to the default ones."""
    enc = ctx.get("encoding") or DEFAULT_ENCODING
    if enc == DEFAULT_ENCODING:
        return raw
    table = {enc[k]: DEFAULT_ENCODING[k] for k in ("FIELD", "COMPONENT", "REPETITION", "SUBCOMPONENT", "ESCAPE")}
    return "".join(table.get(ch, ch) for ch in raw)


def _copy_segment(m, raw: str, ctx: dict) -> None:
    parser = require("hl7apy.parser", "hl7")
    consts = require("hl7apy.consts", "hl7")
    m.add(parser.parse_segment(_reencode(raw, ctx), version=DFT_VERSION,
                               validation_level=consts.VALIDATION_LEVEL.TOLERANT))


def procedure_ce(code: str, label: str | None) -> list[str]:
    """The CE components of FT1-7 / FT1-25: code, text, coding system (C4, or HCPCS for level II)."""
    return [code, escape(label or ""), "C4" if code[:1].isdigit() else "HCPCS"]


_ISO_RX = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,4})?\d*)?)?"
                     r"(Z|[+-]\d{2}:\d{2})?")


def as_dtm(value: str | None) -> str | None:
    """An HL7 DTM as is, or an ISO 8601 date(time) (FHIR, a JSONL ``service_date``) written as a
    DTM with the same digits and offset; None for anything else."""
    value = (value or "").strip()
    if DTM_RX.fullmatch(value):
        return value
    m = _ISO_RX.fullmatch(value)
    if not m:
        return None
    y, mo, d, h, mi, sec, frac, tz = m.groups()
    out = y + mo + d + (h or "") + (mi or "") + (sec or "") + ((frac or "") if sec else "")
    if tz and h:
        out += "+0000" if tz == "Z" else tz.replace(":", "")
    return out


def _parse_field(name: str, raw: str):
    parser = require("hl7apy.parser", "hl7")
    consts = require("hl7apy.consts", "hl7")
    return parser.parse_field(raw, name=name, version=DFT_VERSION,
                              validation_level=consts.VALIDATION_LEVEL.TOLERANT)


def write_dft(record: dict, source: dict | None = None, *, now: datetime | None = None,
              control_id: str | None = None, sending_application: str = "SUGGESTER") -> str:
    """A DFT^P03 message (segments joined by CR) with one FT1 per code line of ``record``.

    ``source`` is the input record read by :func:`read_oru`: its PID, PV1, exam date, ordering
    provider and accession are copied. Without one (a JSON input), PID holds only PID-1.
    """
    if record.get("status") != "ok":
        raise ValueError(f"record {record.get('id')!r} is an error record: write it with write_ack")
    m, ctx, ts = _new_message("DFT_P03", source, now, control_id, sending_application)
    m.evn.evn_1 = "P03"
    m.evn.evn_2 = ts
    if ctx.get("pid"):
        _copy_segment(m, ctx["pid"], ctx)
    else:
        m.pid.pid_1 = "1"
    if ctx.get("pv1"):
        _copy_segment(m, ctx["pv1"], ctx)
    accession = (source or {}).get("accession")
    service_time = as_dtm(service_date(source)) or ts
    for n, line in enumerate(record.get("codes", []), 1):
        ft1 = m.add_group("DFT_P03_FINANCIAL").ft1
        ft1.ft1_1 = str(n)
        ft1.ft1_4.dr_1 = service_time
        ft1.ft1_6 = "CG"
        ce = procedure_ce(line["code"], line.get("label"))
        for field in (ft1.ft1_7, ft1.ft1_25):
            field.ce_1, field.ce_2, field.ce_3 = ce
        ft1.ft1_10 = str(line.get("units", 1))
        for dx in ctx.get("diagnoses") or ():
            ft1.add(_parse_field("FT1_19", _reencode(dx, ctx)))
        if ctx.get("interpreter"):
            ft1.ft1_20 = _reencode(ctx["interpreter"], ctx)
        if ctx.get("ordering_provider"):
            ft1.ft1_21 = _reencode(ctx["ordering_provider"], ctx)
        if accession:
            ft1.ft1_23.ei_1 = escape(str(accession))
        for mod in line.get("modifiers", []):
            ft1.add_field("FT1_26").ce_1 = escape(mod)
    return m.to_er7()


def write_ack(record: dict, source: dict | None = None, *, now: datetime | None = None,
              control_id: str | None = None, sending_application: str = "SUGGESTER") -> str:
    """An ACK^R01 with MSA-1 ``AE`` and an ERR segment for an error record."""
    m, ctx, ts = _new_message("ACK", source, now, control_id, sending_application)
    err = record.get("error") or {"type": "error", "message": "error"}
    m.msa.msa_1 = "AE"
    m.msa.msa_2 = escape(ctx.get("control_id") or str(record.get("id") or ""))
    code, text = ERROR_CODES.get(err["type"], ERROR_CODES["error"])
    err_seg = m.add_segment("ERR")
    err_seg.err_3.cwe_1, err_seg.err_3.cwe_2, err_seg.err_3.cwe_3 = code, text, "HL70357"
    err_seg.err_4 = "E"
    err_seg.err_8 = escape(f"{err['type']}: {err['message']}"[:250])
    return m.to_er7()
