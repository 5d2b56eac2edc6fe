"""Stage 1: split a report into sections (exam title, history, technique, comparison, ...).

Headers come from ``lexicons/sections.tsv``. A header is recognised at the start of a line (or
after two spaces / a sentence end on one-line reports) when it is followed by a colon or a dash,
stands alone on its line, or is written in capitals and followed by text ("EXAM CT HEAD").
Text before the first header: its first non-empty line is the exam title, the rest is body
text (treated like findings).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

TITLE_MAX = 120
EXAM_MAX = 200  # a headed exam section longer than this is a procedure description
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])")
# sections whose inline content is one line ("HX: fall from ladder")
ONE_LINE = frozenset({"exam", "history", "comparison", "allergy"})
# sections whose text decides the code (full attribute pipeline)
CODING_SECTIONS = ("exam", "ordered", "technique", "contrast", "views")


@dataclass(frozen=True)
class Section:
    name: str
    start: int  # content start offset in the report text
    end: int
    header: str | None = None

    def text(self, report: str) -> str:
        return report[self.start:self.end]


@lru_cache(maxsize=8)
def _header_regex(headers: tuple[str, ...]) -> re.Pattern:
    alts = "|".join(re.escape(h).replace(r"\ ", r"[ \t]+") for h in sorted(headers, key=len, reverse=True))
    return re.compile(
        rf"(?:^|(?<=[ \t]{{2}})|(?<=[.;,][ \t])|(?<=[.;,]))[ \t]*(?P<h>{alts})(?:[ \t]*#?\d{{1,2}}\)?)?"
        rf"(?:[ \t]*\([^)\n]{{0,40}}\))?"
        rf"(?P<sep>[ \t]*[:：][ \t]*|[ \t]+-[ \t]+|[ \t]*$|[ \t]+(?=\S))",
        re.IGNORECASE | re.MULTILINE,
    )


_DICTATED = re.compile(
    r"(?<=\w)(?P<sp>\s+)(?P<w>period|comma|colon|semicolon|new paragraph|next line)(?=\s|$)(?!\s+of\b)",
    re.IGNORECASE)
_PUNCT = {"period": ".", "comma": ",", "colon": ":", "semicolon": ";", "new paragraph": "\n",
          "next line": "\n"}
_HEADER_WORD_COLON = re.compile(
    r"\b(exam|examination|history|clinical history|indication|technique|comparison|findings|"
    r"impression|procedure|reason for exam)(\s+colon)\b", re.IGNORECASE)


def normalize_dictation(text: str) -> str:
    """Speech-recognition reports spell punctuation out ("history colon ... period"). Turn the
    words into the marks, padding with spaces so every character offset stays the same."""
    if not re.search(r"\b(period|comma|colon)\b", text, re.IGNORECASE):
        return text
    def mark(m: re.Match) -> str:
        word = m.group("w").lower()
        if word == "colon":
            return m.group(0)  # decided below: "colon" is also an organ
        return _PUNCT[word] + " " * (len(m.group(0)) - 1)
    text = _DICTATED.sub(mark, text)
    return _HEADER_WORD_COLON.sub(lambda m: m.group(1) + ":" + " " * (len(m.group(2)) - 1), text)


def split_sections(text: str, headers: Mapping[str, str]) -> list[Section]:
    text = normalize_dictation(text)
    rx = _header_regex(tuple(headers))
    hits = []
    for m in rx.finditer(text):
        sep = m.group("sep")
        h = m.group("h")
        line_start = text.rfind("\n", 0, m.start("h")) + 1
        at_line_start = not text[line_start:m.start("h")].strip()
        if not any(ch in sep for ch in ":：-"):
            alone = m.end() >= len(text) or text[m.end():m.end() + 1] in "\r\n"
            # "FINDINGS" alone on its line, or "EXAM CT HEAD" in capitals at a line start
            if not at_line_start or not (alone or h.isupper()):
                continue
        hits.append((m.start("h"), m.end(), headers[" ".join(h.lower().split())], h))
    sections: list[Section] = []
    first = hits[0][0] if hits else len(text)
    pre = text[:first]
    if pre.strip():
        # first non-empty line = exam title
        offset = len(pre) - len(pre.lstrip())
        nl = pre.find("\n", offset)
        title_end = nl if nl != -1 else len(pre)
        if title_end - offset > TITLE_MAX:
            # a narrative paragraph: its first sentence names the exam
            stop = _SENTENCE_END.search(pre, offset, title_end)
            if stop:
                title_end = stop.end()
        sections.append(Section("exam", offset, title_end, None))
        rest = pre[title_end:]
        if rest.strip():
            # the next line may hold the exam when the first is a banner ("OUTSIDE READ")
            off2 = title_end + len(rest) - len(rest.lstrip())
            nl2 = pre.find("\n", off2)
            end2 = nl2 if nl2 != -1 else len(pre)
            sections.append(Section("subtitle", off2, end2, None))
            if pre[end2:].strip():
                sections.append(Section("body", end2, first, None))
    for i, (_hs, cs, name, h) in enumerate(hits):
        end = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        nl = text.find("\n", cs, end)
        if name in ONE_LINE and nl != -1 and text[cs:nl].strip() and text[nl:end].strip():
            # "HX: fall.\nAP and lateral views. The right knee ..." : the header owns its line;
            # unheaded lines after it are report body
            sections.append(Section(name, cs, nl, h))
            sections.append(Section("body", nl, end, None))
        elif name == "exam" and len(text[cs:end].strip()) > EXAM_MAX:
            # "PROCEDURE: Under fluoroscopic guidance a 22-gauge needle ..." describes the study
            sections.append(Section("technique", cs, end, h))
        else:
            sections.append(Section(name, cs, end, h))
    return sections
