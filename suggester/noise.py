"""Stage 0 (the real-text front end): set aside what a coder's eye skips.

Real reports and exports carry text that names no procedure but trips the coding passes: dates
and times in the exam title ("dated 11/12/2025 at 10:42 a.m." reads as history), accession,
MRN and order numbers, RIS order codes after the title ("XR CHEST 2V PA/LAT (XRCH2V)"),
facility banners, patient/provider lines, signature blocks, radiation-dose statements,
de-identification tokens (``XXXX``, ``[** ... **]``, ``***``), HL7 line escapes (``\\.br\\``) and
the commas a one-line export joins lines with.

``set_aside`` returns a text of the *same length* with those spans blanked (spaces; line breaks
kept, HL7 line escapes and one-line export joins turned into line breaks), so every later stage works on the cleaned text
while every offset it reports still points into the original report. The spans set aside are
returned too (kind and offsets): the confidence model reads them as noise markers.

Every pattern is linear (no nested quantifiers over the same characters) and runs once per
report on the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# ------------------------------------------------------------------ patterns (each one pass)
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})(?!\d)"
         rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
         rf"|{_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+\d{{4}}"
         rf"|\d{{1,2}}[ \t]+{_MONTH}[ \t]+\d{{4}}"
         rf"|(?<![\d/])\d{{1,2}}/\d{{4}}(?![\d/]))")
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*(?:[ap]\.?[ \t]?m\.?(?![a-z])|hrs?\b|hours\b))?|\d{3,4}[ \t]*hrs?\b)"
_DEID = r"(?:\[\*\*[^\]\n]{0,80}\*\*\]|\bX{3,}\b|\*{3,}|_{3,})"
# "dated 11/12/2025 at 10:42 a.m.", "on XXXX", "at 1042 hrs": the lead word goes with the date
_WHEN = (rf"(?:\b(?:dated|done|performed|obtained|acquired|taken|on|at|of)[ \t]+)?"
         rf"(?:{_DATE}|{_DEID})(?:,?[ \t]+(?:at[ \t]+)?{_TIME})?"
         rf"|(?:\b(?:at|@)[ \t]*)?{_TIME}")

_RX = [
    # HL7 v2 line escapes inside OBX-5 (turned into a line break, see set_aside)
    ("hl7_escape", re.compile(r"\\\.br\\|\\X0D\\|\\X0A\\|\\X0D0A\\", re.IGNORECASE)),
    # administrative lines: patient, visit, provider, signature and transcription lines
    ("admin_line", re.compile(
        r"^[ \t]*(?:patient(?:[ \t]+name)?|pt[ \t]+name|name|dob|d\.o\.b\.|date[ \t]+of[ \t]+birth|"
        r"age(?:/sex)?|sex|gender|mrn|med(?:ical)?[ \t]+rec(?:ord)?(?:[ \t]+(?:no|number|#))?|"
        r"acc(?:ession)?(?:[ \t]*(?:no|number|#))?\.?|account(?:[ \t]+(?:no|number|#))?|fin|csn|visit(?:[ \t]+(?:no|number|#))?|"
        r"encounter|order(?:[ \t]+(?:no|number|#))|location|room|bed|unit|"
        r"referring(?:[ \t]+(?:physician|provider|doctor|md|clinician))?|ordering(?:[ \t]+(?:physician|provider|md))?|"
        r"attending(?:[ \t]+(?:physician|radiologist))?|primary[ \t]+care(?:[ \t]+(?:physician|provider))?|pcp|"
        r"cc|copy[ \t]+to|"
        r"(?:exam|study|service|report|procedure)[ \t]+(?:date|time|date/time)|date[ \t]+of[ \t]+(?:service|exam|study)|dos|"
        r"date(?:/time)?|time|dictated(?:[ \t]+(?:by|on|at))?|transcribed(?:[ \t]+(?:by|on|at))?|"
        r"signed(?:[ \t]+(?:by|on|at))?|electronically[ \t]+signed(?:[ \t]+(?:by|on|at))?|"
        r"e-?signed(?:[ \t]+by)?|read[ \t]+by|reviewed[ \t]+by|interpreted[ \t]+by|reported[ \t]+by|"
        r"radiologist|resident|fellow|technologist|transcriptionist|job(?:[ \t]+(?:no|number|#|id))?|"
        r"d|t)[ \t]*[:#][^\n]*",
        re.IGNORECASE | re.MULTILINE)),
    ("signature", re.compile(
        r"(?:^|(?<=[.;,][ \t])|(?<=[.;,]))[ \t]*(?:electronically[ \t]+signed|e-?signed|signed[ \t]+by|dictated[ \t]+by|"
        r"transcribed[ \t]+by|i[ \t]+have[ \t]+(?:personally[ \t]+)?reviewed[ \t]+the[ \t]+images|"
        r"attending[ \t]+radiologist[ \t]+(?:agrees|attestation)|thank[ \t]+you[ \t]+for[ \t]+(?:this|the)[ \t]+referral)"
        r"(?:(?![,.;][ \t]*addendum\b)[^\n])*",  # up to the line end or an addendum on the same line
        re.IGNORECASE | re.MULTILINE)),
    # facility banners ("MERCY REGIONAL MEDICAL CENTER - DEPARTMENT OF RADIOLOGY")
    ("banner", re.compile(
        r"^[ \t]*[A-Z][A-Za-z .,&'/-]{0,80}\b(?:MEDICAL[ \t]+CENTER|HOSPITAL|HEALTH[ \t]+SYSTEM|HEALTHCARE|"
        r"DEPARTMENT[ \t]+OF[ \t]+(?:DIAGNOSTIC[ \t]+)?(?:RADIOLOGY|IMAGING)|RADIOLOGY[ \t]+(?:ASSOCIATES|DEPARTMENT|REPORT|GROUP)|"
        r"IMAGING[ \t]+(?:CENTER|SERVICES|ASSOCIATES)|CLINIC)\b[A-Za-z .,&'/-]{0,80}$",
        re.MULTILINE)),
    # identifiers inline: "ACC# 12345678", "MRN 000123", "Order #: A123", "Accession Number: 9876"
    ("identifier", re.compile(
        r"\b(?:acc(?:ession)?|mrn|fin|csn|order|req(?:uisition)?|visit|encounter|study[ \t]+id|exam[ \t]+id)"
        r"[ \t]*(?:no\.?|number|num|#|id)?[ \t]*[:#]?[ \t]*(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,19}\b",
        re.IGNORECASE)),
    ("date", re.compile(_WHEN, re.IGNORECASE)),
    ("deid", re.compile(_DEID)),
]
# radiation-dose statements ("CTDIvol 12.3 mGy, DLP 456 mGy-cm", "dose reduction techniques"):
# the keyword is found first, then the sentence around it (at most _DOSE_REACH characters each way)
_DOSE_KW = re.compile(
    r"\b(?:ctdi(?:[ \t]*vol)?|dlp|mgy|dose[ \t]+(?:reduction|optimization|modulation|length[ \t]+product|report)|"
    r"radiation[ \t]+dose|exposure[ \t]+(?:index|control)|fluoro(?:scopy|scopic)?[ \t]+time|air[ \t]+kerma)\b",
    re.IGNORECASE)
_DOSE_REACH = 400
# a RIS order code closing a title line: "(XRCH2V)", "[CTHDWO]", "- MRKNL3"
_RIS_RX = re.compile(r"(?:[(\[{]([A-Z0-9][A-Z0-9._-]{2,14})[)\]}]|-[ \t]?(?=[A-Z0-9]{0,14}\d)([A-Z]{2}[A-Z0-9]{1,13}))[ \t.]*$",
                     re.MULTILINE)
_LINE_BREAK_ESCAPES = ("hl7_escape",)
# one-line exports join the report's lines with a comma and no blank ("...contrast.,REASON FOR
# EXAM:, Hit in nose.,TECHNIQUE:, Axial images"): on a long line holding several such joins each
# one is read as the line break it stands for (a comma after a header colon and before a blank,
# "TECHNIQUE:, Axial", stays: it separates the header from its text)
_JOIN = re.compile(r"(?<=[^\s,\d]),(?=[^\s,])|(?<=\d),(?=[^\s,\d])")  # not "1,000"
JOIN_LINE_MIN = 240  # a line at least this long ...
JOIN_MIN = 3  # ... with at least this many joins is a one-line export
_LONG_LINE = re.compile(rf"[^\n]{{{JOIN_LINE_MIN},}}")


@dataclass(frozen=True)
class Noise:
    kind: str
    start: int
    end: int


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def set_aside(text: str, is_term: Callable[[str], bool] | None = None) -> tuple[str, list[Noise]]:
    """The text with noise blanked (same length, line breaks kept) and the spans set aside.

    ``is_term`` tells whether a bracketed title code is a coding word ("(BILAT)", "(CTA)") that
    must stay; without it only codes holding a digit are set aside.
    """
    joins = [j.start() for line in _LONG_LINE.finditer(text)
             if len(js := list(_JOIN.finditer(text, line.start(), line.end()))) >= JOIN_MIN for j in js]
    if joins:  # the lines of a one-line export, before any line-wise pattern runs
        chars = list(text)
        for i in joins:
            chars[i] = "\n"
        text = "".join(chars)
    found: list[Noise] = []
    for kind, rx in _RX:
        for m in rx.finditer(text):
            if m.end() == m.start() or not m.group(0).strip():
                continue
            if kind == "date" and not re.search(r"\d|X{3}|\*\*", m.group(0)):
                continue
            found.append(Noise(kind, m.start(), m.end()))
    last = -1
    for m in _DOSE_KW.finditer(text):
        if m.start() < last:
            continue
        floor = max(0, m.start() - _DOSE_REACH)
        # the clause holding the keyword: "TECH: LOW DOSE CT CHEST, CTDIVOL 1.4 MGY" keeps its technique
        lo = max(max(text.rfind(ch, floor, m.start()) for ch in ".\n,;:"), floor - 1) + 1
        hi = min(_find(text, ch, m.end()) for ch in ".\n,;:")
        last = min(hi + 1, len(text))
        found.append(Noise("dose", lo, last))
    found = [n for n in found if n.kind != "banner" or not _names_exam(text[n.start:n.end], is_term)]
    for m in _RIS_RX.finditer(text):
        code = m.group(1) or m.group(2)
        if not re.search(r"\d", code) and (is_term is None or is_term(code.lower())):
            continue  # "(BILAT)", "(CTA)": coding words in brackets
        if not any(c.isalpha() for c in code):
            continue  # "(2)": a count, not a code
        found.append(Noise("ris_code", m.start(), m.end()))
    if not found:  # (the joins read as line breaks are a reading, not text set aside: not returned)
        return text, []
    # blanked with spaces (line breaks kept); an HL7 line escape becomes a line break
    chars = list(text)
    for n in found:
        _blank(chars, n.start, n.end)
        if n.kind in _LINE_BREAK_ESCAPES:
            chars[n.start] = "\n"
    found.sort(key=lambda n: (n.start, n.end))
    return "".join(chars), _merge(found)


_BANNER_WORDS = frozenset("""imaging radiology medical center health hospital clinic department diagnostic
regional memorial university general community services associates group system of the and""".split())


def _names_exam(line: str, is_term: Callable[[str], bool] | None) -> bool:
    """A banner line that names an exam ("OUTSIDE HOSPITAL CT REPORT") is a title, not a banner."""
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)?", line.lower())
    if is_term is None:
        return bool(re.search(r"\b(?:ct|mri?|x-?ray|xr|us|ultrasound|nm|pet|mammo\w*|fluoro\w*|dxa|dexa)\b", line, re.I))
    return any(w not in _BANNER_WORDS and (is_term(w) or is_term(w.replace("-", " "))) for w in words)


def _find(text: str, ch: str, start: int) -> int:
    i = text.find(ch, start, start + _DOSE_REACH)
    return min(start + _DOSE_REACH, len(text)) if i == -1 else i


def _merge(spans: list[Noise]) -> list[Noise]:
    """Overlapping spans of one kind merged; kept in text order."""
    out: list[Noise] = []
    for n in spans:
        if out and out[-1].kind == n.kind and n.start <= out[-1].end:
            last = out.pop()
            n = Noise(n.kind, last.start, max(last.end, n.end))
        out.append(n)
    return out

