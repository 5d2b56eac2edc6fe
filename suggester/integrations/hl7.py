"""HL7 v2: ORU^R01 results in, DFT^P03 charges out, parsed and built with hl7apy.

Reading (:func:`read_hl7`, :func:`read_oru`):

* a file or body holds one or more messages, with or without MLLP framing (``\\x0b`` ...
  ``\\x1c\\r``), segments ended by CR, LF or CRLF, optionally wrapped in FHS/BHS ... BTS/FTS;
  a line that does not start a segment (a raw newline inside report text) continues the
  segment before it;
* the report text is the OBX-5 of every text OBX (value type TX, FT or ST, result status not
  D/W/X), one line per OBX and per OBX-5 repetition, with the escapes decoded (``\\.br\\``,
  ``\\X0D0A\\``, ``\\T\\``, ...) and unescaped ``^``/``&`` kept as text; NTE-3 under the OBR
  is the fallback when there is no text OBX;
* the ordered procedure is OBR-4: the code when it is CPT/HCPCS-coded (OBR-4.3 ``C4``,
  ``CPT``, ``HCPCS``...), else its text;
* the record id is the accession: OBR-18 (placer field 1, where most RIS put it), else OBR-3
  (filler order number), else MSH-10.

Writing (:func:`write_dft`): a v2.5 DFT^P03 with the source's PID and PV1 and one FT1 per code
line: FT1-4 exam date (OBR-7), FT1-6 ``CG``, FT1-7 and FT1-25 the procedure code
(``73562^Radiograph knee 3 views^C4``; ``HCPCS`` for G codes), FT1-10 units, FT1-21 the
ordering provider (OBR-16), FT1-23 the accession, FT1-26 the modifiers (``26~LT``).
An error record becomes an ACK^R01 with MSA-1 ``AE`` (:func:`write_ack`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from typing import IO

from . import require

ORU = ("ORU", "R01")
DFT_VERSION = "2.5"
TEXT_TYPES = frozenset({"TX", "FT", "ST"})
SKIPPED_STATUS = frozenset({"D", "W", "X"})  # deleted, wrong (replaced), cannot be obtained
CPT_SYSTEMS = frozenset({"C4", "C5", "CPT", "CPT4", "CPT-4"})
HCPCS_SYSTEMS = frozenset({"HCPCS", "HPC"})
DEFAULT_ENCODING = {"FIELD": "|", "COMPONENT": "^", "REPETITION": "~", "ESCAPE": "\\", "SUBCOMPONENT": "&"}
# HL7 table 0357 (message error condition codes) for the error types of the readers
ERROR_CODES = {"unsupported_message": ("200", "Unsupported message type"),
               "missing_text": ("101", "Required field missing"),
               "error": ("207", "Application internal error")}
CHARSETS = {"UNICODE UTF-8": "utf-8", "UNICODE": "utf-8", "8859/1": "latin-1", "ASCII": "ascii"}

_BREAK_RX = re.compile(rb"[\r\n\x0b\x1c]+")
_SEGMENT_RX = re.compile(r"^[A-Z][A-Z0-9]{2}\|")
_BATCH = ("FHS", "BHS", "BTS", "FTS")
_PARSED = ("MSH", "OBR", "OBX", "NTE")
_CODE_RX = re.compile(r"^(\d{4}[0-9FT]|[A-V]\d{4})$")
_SP_RX = re.compile(r"^\.sp\s*\+?(\d*)$")


# ---------------------------------------------------------------------- reading


def split_messages(chunks: Iterable[bytes]) -> Iterator[list[bytes]]:
    """Group a byte stream into messages, each a list of segments (MSH first).

    Anything before the first MSH other than batch header segments comes back as a message
    of its own (the caller reports it), so no input goes unnoticed.
    """
    segs: list[bytes] = []
    rest = b""
    for chunk in chunks:
        pieces = _BREAK_RX.split(rest + chunk)
        rest = pieces.pop()
        yield from _segments(pieces, segs)
    pieces = [rest] if rest.strip() else []
    yield from _segments(pieces, segs)
    if segs:
        yield segs


def _segments(pieces: list[bytes], segs: list[bytes]) -> Iterator[list[bytes]]:
    """Add pieces to the message being built in ``segs``; yield each message completed."""
    for p in pieces:
        if not p.strip():
            continue
        head = p[:4].decode("latin-1")
        if head.startswith("MSH"):
            if segs:
                yield list(segs)
            segs[:] = [p]
        elif head[:3] in _BATCH and _SEGMENT_RX.match(head):
            if segs:
                yield list(segs)
            segs[:] = []
        elif _SEGMENT_RX.match(head) or not segs:
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
    """One input record per message in a file, a byte string or a str."""
    if isinstance(fh, str):
        fh = fh.encode("utf-8")
    chunks = [fh] if isinstance(fh, bytes) else iter(lambda: fh.read(chunk_size), b"")
    for n, segs in enumerate(split_messages(chunks), 1):
        yield read_oru(decode_message(segs), n)


def read_oru(message: str, n: int = 1) -> dict:
    """The input record of one ORU^R01 message (an error record when it cannot be read)."""
    parser = require("hl7apy.parser", "hl7")
    consts = require("hl7apy.consts", "hl7")
    rid = f"message-{n}"
    segments = [s for s in message.split("\r") if s.strip()]
    if not segments or not segments[0].startswith("MSH"):
        return _error(rid, "invalid_hl7", f"message {n}: does not start with an MSH segment "
                                           f"(starts with {message[:20]!r})")
    segments[0] = _known_version(segments[0])
    # hl7apy parses only the segments read here (parsing is most of the cost); PID and PV1 are
    # kept as received for the DFT
    wanted = [seg for seg in segments if seg[:3] in _PARSED]
    try:
        msg = parser.parse_message("\r".join(wanted), validation_level=consts.VALIDATION_LEVEL.TOLERANT,
                                   find_groups=False)
    except Exception as e:  # hl7apy raises many kinds, all meaning "not a readable message"
        return _error(rid, "invalid_hl7", f"message {n}: {type(e).__name__}: {e}")
    enc = {k: msg.encoding_chars[k] for k in DEFAULT_ENCODING}
    msh = msg.msh
    ctx = {
        "control_id": _raw(msh.msh_10, enc),
        "processing_id": _raw(msh.msh_11, enc) or "P",
        "sending_facility": _raw(msh.msh_4, enc),
        "receiving_facility": _raw(msh.msh_6, enc),
        "encoding": enc,
    }
    rid = ctx["control_id"] or rid
    mtype = _raw(msh.msh_9, enc).split(enc["COMPONENT"])
    if tuple(t.strip().upper() for t in mtype[:2]) != ORU:
        got = enc["COMPONENT"].join(mtype[:2]) or "no MSH-9"
        return _error(rid, "unsupported_message", f"message {rid}: expected ORU^R01, got {got}", ctx)
    orders = _orders(msg.children, enc)
    if not orders:
        return _error(rid, "invalid_hl7", f"message {rid}: ORU^R01 without an OBR segment", ctx)
    first = orders[0]
    accession = next((o["accession"] for o in orders if o["accession"]), None)
    rid = accession or rid
    blocks: list[str] = []
    for o in orders:  # a report repeated under each OBR of a multi-order study is read once
        if o["text"] and o["text"] not in blocks:
            blocks.append(o["text"])
    text = "\n\n".join(blocks)
    raw_seg = {s[:3]: s for s in reversed(segments)}  # the first PID / PV1
    ctx.update({
        "pid": raw_seg.get("PID"),
        "pv1": raw_seg.get("PV1"),
        "observed": first["observed"],
        "ordering_provider": first["ordering_provider"],
        "placer_order": first["placer_order"],
        "filler_order": first["filler_order"],
        "accessions": [o["accession"] for o in orders if o["accession"]],
    })
    rec = {"id": rid, "text": text, "ordered": _ordered(orders), "accession": accession, "hl7": ctx}
    if not text.strip():
        rec.pop("text")
        rec["error"] = {"type": "missing_text",
                        "message": f"message {rid}: no report text (no text OBX or NTE under the OBR)"}
    return rec


def _known_version(msh: str) -> str:
    """MSH with MSH-12 set to 2.5 when it is empty or a version hl7apy does not know: the fields
    read here sit at the same positions in every v2 version."""
    fields = msh.split(msh[3]) if len(msh) > 3 else []
    if len(fields) < 12:
        fields += [""] * (12 - len(fields))
    comp = fields[1][:1] or "^"
    version = fields[11].split(comp)[0].strip()
    if version in require("hl7apy", "hl7").SUPPORTED_LIBRARIES:
        return msh
    fields[11] = DFT_VERSION
    return msh[3].join(fields)


def _orders(children, enc: dict) -> list[dict]:
    orders: list[dict] = []
    notes: list[list[str]] = []
    for seg in children:
        name = seg.name
        if name == "OBR":
            obr4 = _components(seg.obr_4, enc)
            orders.append({
                "code": obr4[0], "text": "", "name": obr4[1] if len(obr4) > 1 else "",
                "system": (obr4[2] if len(obr4) > 2 else "").strip().upper(),
                "accession": _first(seg.obr_18, enc) or _first(seg.obr_3, enc) or None,
                "placer_order": _raw(seg.obr_2, enc), "filler_order": _raw(seg.obr_3, enc),
                "observed": _first(seg.obr_7, enc) or _first(seg.obr_6, enc),
                "ordering_provider": _raw(seg.obr_16, enc),
            })
            notes.append([])
            lines: list[str] = []
        elif name == "OBX" and orders:
            vtype = _raw(seg.obx_2, enc).strip().upper()
            status = _raw(seg.obx_11, enc).strip().upper()
            if vtype in TEXT_TYPES and status not in SKIPPED_STATUS:
                reps = [unescape(_raw(r, enc), enc) for r in seg.obx_5] or [""]
                lines.extend(reps)
                orders[-1]["text"] = _clean("\n".join(lines))
        elif name == "NTE" and orders:
            notes[-1].extend(unescape(_raw(r, enc), enc) for r in seg.nte_3)
    for o, nte in zip(orders, notes, strict=True):
        if not o["text"] and nte:
            o["text"] = _clean("\n".join(nte))
    return orders


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


def _raw(el, enc: dict) -> str:
    """The ER7 text of an element as received (hl7apy re-escapes on ``to_er7``; this does not)."""
    if el is None:
        return ""
    if isinstance(el, (list, tuple)) or type(el).__name__ == "ElementProxy":
        return enc["REPETITION"].join(_raw(x, enc) for x in el)
    children = getattr(el, "children", None)
    if children:
        sep = {"Field": enc["COMPONENT"], "Component": enc["SUBCOMPONENT"]}.get(type(el).__name__, "")
        parts, last = [], 0
        for ch in children:  # keep empty components in their positions
            pos = _position(ch.name)
            if pos and pos > last + 1:
                parts.extend([""] * (pos - last - 1))
            parts.append(_raw(ch, enc))
            last = pos or last + 1
        return sep.join(parts)
    value = getattr(el, "value", "")
    value = getattr(value, "value", value)
    return "" if value is None else str(value)


def _position(name: str | None) -> int | None:
    if name and "_" in name:
        tail = name.rsplit("_", 1)[1]
        if tail.isdigit():
            return int(tail)
    return None


def _components(field, enc: dict) -> list[str]:
    first = next(iter(field), None) if type(field).__name__ == "ElementProxy" else field
    return [unescape(c, enc) for c in _raw(first, enc).split(enc["COMPONENT"])]


def _first(field, enc: dict) -> str:
    return _components(field, enc)[0].strip()


def unescape(value: str, enc: dict | None = None) -> str:
    """Decode HL7 escape sequences: delimiters, hex data, and the formatting commands of FT.

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
        if seq in delims:
            out.append(delims[seq])
        elif seq in ("H", "N") or seq[:1] in ("C", "M", "Z") or seq in (".fi", ".nf") \
                or seq.startswith((".in", ".ti", ".sk")):
            continue  # highlighting, character set switches, local escapes, indentation
        elif seq == ".br" or seq == ".ce":
            out.append("\n")
        elif _SP_RX.match(seq):
            out.append("\n" * int(_SP_RX.match(seq).group(1) or 1))
        elif seq[:1] == "X" and re.fullmatch(r"(?:[0-9A-Fa-f]{2})+", seq[1:]):
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
    for n, line in enumerate(record.get("codes", []), 1):
        ft1 = m.add_group("DFT_P03_FINANCIAL").ft1
        ft1.ft1_1 = str(n)
        ft1.ft1_4.dr_1 = escape((ctx.get("observed") or ts)[:14])
        ft1.ft1_6 = "CG"
        ce = procedure_ce(line["code"], line.get("label"))
        for field in (ft1.ft1_7, ft1.ft1_25):
            field.ce_1, field.ce_2, field.ce_3 = ce
        ft1.ft1_10 = str(line.get("units", 1))
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
