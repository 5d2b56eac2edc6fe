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

Every pattern is linear (no nested quantifiers over the same characters) and is tried only where
one of its matches can start: the keywords every match holds are found in one Aho-Corasick pass
over the lower-cased text and the runs of digits in one regex pass, which gives the matches a search of the whole text gives, in the same
order (``tests/test_scan.py`` compares the two).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .lexicon import AdminFields, default_admin_fields
from .scan import (
    all_lower,
    case_sensitive_twin,
    find_matches,
    folded,
    matches_at,
    may_match,
    required_literals,
    search_lowered,
)
from .textview import Literals, TextView, low_of, view_for

# ------------------------------------------------------------------ patterns (what is set aside)
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
# ("DOS 9/24/23 7:45 PM": the date of service)
_WHEN = (rf"(?:\b(?:dated|done|performed|obtained|acquired|taken|on|at|of|dos)[ \t]+)?"
         rf"(?:{_DATE}|{_DEID})(?:,?[ \t]+(?:at[ \t]+)?{_TIME})?"
         rf"|(?:\b(?:at|@)[ \t]*)?{_TIME}")

# the administrative fields of a report header (patient, visit, provider, signature, transcription): the
# fields of lexicons/admin_fields.tsv with the role "noise" (the lexicon's own table: set_aside's ``admin_fields``)
_ADMIN_FIELDS = default_admin_fields().alternation("noise")

# HL7 v2 line escapes inside OBX-5: line breaks, read as such before any line-wise pattern runs
# (escaped twice in a message escaped whole: "\\E\\.br\\E\\")
_HL7_LINE_ESCAPE = re.compile(r"\\E\\\.br\\E\\|\\\.br\\|\\X0D\\|\\X0A\\|\\X0D0A\\", re.IGNORECASE)
# and escaped delimiters ("W\T\WO", "ACC\F\MRN"): read as the delimiter between blanks (same length)
_HL7_FIELD_ESCAPE = re.compile(r"\\([FSTR])\\")
_HL7_DELIMITERS = {"F": "|", "S": "^", "T": "&", "R": "~"}
# every escape, for reading a message escaped whole ("OBR\\F\\1\\F\\...\\R\\OBX\\F\\1\\F\\TX\\F\\\\F\\\\F\\EXAM: ...":
# a message pasted as the value of another's text field)
_HL7_ANY_ESCAPE = re.compile(r"\\(?:(?i:\.br|X0D0A|X0D|X0A)|[FSTRE])\\")
_ESCAPED_HEADS = ("MSH\\F\\", "OBX\\F\\", "msh\\F\\", "obx\\F\\")  # (a result head: _HL7_RESULT)
_HL7_DECODED = {".br": "\n", "x0d0a": "\n", "x0d": "\n", "x0a": "\n", "e": "\\", **{k.lower(): v for k, v in _HL7_DELIMITERS.items()}}
# an HL7 v2 message pasted as text, its segments on lines of their own or run together on one line
# ("MSH|^~\\&|RIS|... PID|1||... OBR|1|...|CTHWW^CT HEAD W/WO CON^L|... OBX|1|FT|...||EXAM: ..."):
# a segment opens at a line start, after a blank or after the comma or semicolon an export joined the
# lines with ("...|P|2.3,PID|1||..."); a message header, and a segment of the message's body with its
# set ID ("OBX|2|", "PID|1|", "NTE||") or an order control ("ORC|RE|"), opens one anywhere: a dump
# that dropped the segment terminators runs them on ("...||||||FOBX|2|TX|..."); the message is one
# when it holds a message header or a result segment with its value type ("OBX|1|FT|")
_HL7_OPENS = r"(?:^|(?<=[\s,;]))"
# (where a segment opens, in either case: a lower-cased corpus lower-cases the message pasted in it,
# "... obx|1|ft|...||exam: ..."; a segment run on, in capitals only)
_HL7_SEGMENT = re.compile(rf"(?-i:MSH(?=\|\^~)|(?:PID|PV1|PV2|ORC|OBR|OBX|NTE|SPM|TQ1)(?=\|(?:\d{{1,4}}|[A-Z]{{2}})?\|))"
                          rf"|{_HL7_OPENS}(?:MSH(?=\|\^~)|(?:PID|PD1|PV1|PV2|ORC|OBR|OBX|NTE|EVN|NK1|AL1|DG1|IN1|GT1|SPM|TQ1|"
                          r"Z[A-Z0-9]{2})(?=\|))", re.MULTILINE | re.IGNORECASE)
_HL7_RESULT_HEAD = r"MSH\|\^~|OBX\|[^|\n]{0,8}\|(?:FT|TX|ST|CE|CWE)\|"
_HL7_RESULT = re.compile(rf"(?-i:{_HL7_RESULT_HEAD})|{_HL7_OPENS}(?:{_HL7_RESULT_HEAD})", re.MULTILINE | re.IGNORECASE)
# the field holding the report text of a segment: OBX-5 (observation value), NTE-3 (comment); every
# other field (segment ID, set ID, value type, observation and order codes, the order's exam name,
# patient, provider, dates, status) is no report text
_HL7_VALUE_FIELD = {"OBX": 5, "NTE": 3}
# a transcription corpus's wrapper around a sample report ("Sample Type / Medical Specialty: Radiology Sample
# Name: CT Head - 1 Description: <summary>. (Medical Transcription Sample Report) EXAM: ... Keywords: ..."):
# the specialty ("Cardiovascular / Pulmonary" is no chest study), the labels, the sample's number, the
# summary (the impression again, in other words) and the keyword list name no exam performed; the
# sample's name is the corpus's name for the document: it stays as the title only when the report
# names no exam under a label of its own ("EXAM:", "PROCEDURE PERFORMED:", ...); the summary stays too
# when it is all there is of the sample (a one-line transcription: "Sample Name: CT Abdomen & Pelvis - 2
# Description: CT of the abdomen and pelvis with contrast."): then it is the only account of the exam
_SAMPLE = re.compile(r"\bsample[ \t]+name[ \t]*:|\(medical[ \t]+transcription[ \t]+sample[ \t]+report\)", re.IGNORECASE)
# ... and the same corpus exported as "<specialty> - <sample name> <report>" ("Cardiovascular / Pulmonary -
# Carotid Doppler EXAM: ...", "Obstetrics / Gynecology - Pelvic Ultrasound EXAM: ..."): the specialty that
# opens the text is the corpus's category, no exam ("Pulmonary" is no chest study, "Obstetrics" no pregnancy),
# in any case (the corpus upper- or lower-cased: "OBSTETRICS / GYNECOLOGY - PELVIC ULTRASOUND EXAM: ...")
_SPECIALTY_PREFIX = re.compile(
    r"\A[ \t]*(?:Allergy[ \t]*/[ \t]*Immunology|Bariatrics|Cardiovascular[ \t]*/[ \t]*Pulmonary|Chiropractic|"
    r"Consult[ \t]+-[ \t]+History[ \t]+and[ \t]+Phy\.?|Cosmetic[ \t]*/[ \t]*Plastic[ \t]+Surgery|Dermatology|"
    r"Discharge[ \t]+Summary|Emergency[ \t]+Room[ \t]+Reports|Endocrinology|ENT[ \t]+-[ \t]+Otolaryngology|"
    r"Gastroenterology|General[ \t]+Medicine|Hematology[ \t]+-[ \t]+Oncology|Hospice[ \t]+-[ \t]+Palliative[ \t]+Care|"
    r"Lab[ \t]+Medicine[ \t]+-[ \t]+Pathology|Nephrology|Neurology|Neurosurgery|Obstetrics[ \t]*/[ \t]*Gynecology|"
    r"Office[ \t]+Notes|Ophthalmology|Orthopedic|Pain[ \t]+Management|Pediatrics[ \t]+-[ \t]+Neonatal|"
    r"Physical[ \t]+Medicine[ \t]+-[ \t]+Rehab|Podiatry|Radiology|Rheumatology|Sleep[ \t]+Medicine|Surgery|Urology)"
    r"[ \t]+-[ \t]+(?=\S)", re.IGNORECASE)
_SAMPLE_FIELDS = re.compile(
    r"(?P<specialty>\b(?:sample[ \t]+type[ \t]*/[ \t]*)?medical[ \t]+specialty[ \t]*:.*?(?=\bsample[ \t]+name[ \t]*:|$))"
    r"|\bsample[ \t]+name[ \t]*:(?P<name>.*?)(?:[ \t]+-[ \t]+\d{1,3})?[ \t]*(?=\bdescription[ \t]*:|$)"
    r"|\bdescription[ \t]*:(?P<summary>.*?)(?:\(medical[ \t]+transcription[ \t]+sample[ \t]+report\)|$)"
    r"|\(medical[ \t]+transcription[ \t]+sample[ \t]+report\)"
    r"|\bkeywords[ \t]*:.*$", re.IGNORECASE | re.MULTILINE)
_SAMPLE_GAP = re.compile(r"[\W_]*")  # what may sit between a sample's last fields: no words
_EXAM_LABEL = re.compile(r"\b(?:exam(?:ination)?|procedure(?:[ \t]+performed)?|study|type[ \t]+of[ \t]+exam(?:ination)?)"
                         r"[ \t]*:", re.IGNORECASE)
# line breaks an export wrote out as characters ("...RT 2V\\nCLINICAL INDICATION: ..." in a pipe or CSV row)
_LITERAL_BREAK = re.compile(r"(?<!\\)\\r\\n|(?<!\\)\\[nr](?![a-z]*\\)")


def _admin_line(fields: str) -> re.Pattern:
    """An administrative line opening with one of ``fields`` (an alternation: ``AdminFields.alternation``)."""
    return re.compile(
        rf"^[ \t]*(?:(?P<tech>technologist)|{fields})[ \t]*[:#]"
        # up to the line end, or to a capitalised header on the same line that is no administrative
        # field ("MRN: 00123 ACC: 7781123 PROC: MRI L SPINE W/O ...": a one-line export goes on); a
        # header's words are one blank apart ("PATIENT: XXXX XXXX   MRN: XXXX" is one line of fields)
        # ... or to an addendum run on after it ("Signed:, A. Lee, MD 10/08/2026, ADDENDUM ...")
        # (the header is looked for before the fields: a field's test may read the rest of the line)
        # ... or, on a technologist's line, to the colon after the name: the technique the technologist
        # documents follows ("Technologist: A. Ruiz: Tc-99m sestamibi ... SPECT neck at 30 min")
        # ... or to a field delimiter before a field that is no labelled one: a one-line export's fields are
        # pipe-separated ("ACC# 6001 || MRN XXXX || CT SINUS WO || CT MAXILLOFACIAL ..."; "Location: ED |
        # Referring: T. Lee, MD | Tech: RT(R)(MR)" stays one line of fields)
        # ... or to a field in mixed case after a gap of two blanks or more ("Facility: St. Anne ED  Exam: XR FOOT")
        rf"(?:(?![ \t]+(?=(?-i:[A-Z](?:[A-Z/]|[ ](?![ \t])){{1,24}}):)(?!(?:{fields})[ \t]*[:#]))"
        rf"(?![ \t]{{2,}}(?=(?-i:[A-Z][a-z]+(?:[ ][a-z]+)?):)(?!(?:{fields})[ \t]*[:#]))(?![,.;][ \t]*addendum\b)"
        r"(?(tech)(?!:[ \t])|)(?!\|(?![ \t]*[A-Za-z][A-Za-z /]{0,24}:))[^\n])*",
        re.IGNORECASE | re.MULTILINE)


_ADMIN_HEADER_CAPS = r"(?-i:[A-Z](?:[A-Z/]|[ ](?![ \t])){1,24}):"


@dataclass(frozen=True)
class _AdminLines:
    """The patterns of administrative lines for one list of fields (:func:`_admin_lines`)."""

    line: re.Pattern  # a line of administrative fields (_admin_line)
    lower: re.Pattern  # ... in a lower-cased text
    # its opening field with its colon or "#": a header line of administrative fields ("Pt: [REDACTED]  MRN: ...
    # Exam date: 6/9/2026 18:15") is no wrapped prose (_wrapped_breaks)
    start: re.Pattern
    # the opening of ``line`` (a technologist's too) as a case-sensitive pattern on the folded text, or None
    # (fields naming capitals): a line where it fails holds no administrative line, found without the long
    # case-insensitive pattern (tried at every line holding a colon, most of them section headers)
    opening: re.Pattern | None
    # ``opening`` after a line break: the lines it opens found in one search (which skips from line break to line
    # break in C), not by trying it at each line that holds a colon
    opening_line: re.Pattern | None


@lru_cache(maxsize=8)
def _admin_lines(fields: str) -> _AdminLines:
    """The administrative-line patterns of ``fields`` (the alternation of a lexicon's "noise" fields)."""
    line = _admin_line(fields)
    # ... in a lower-cased text: the administrative line ends before a header in lower case too ("acc#8923 exam: ct
    # cervical spine wo clinical history: ...": a lower-cased one-line export), as before one in capitals
    # (not one right after a field delimiter: "location: ed | referring: t. lee, md | tech: rt(r)(mr)" stays one line
    # of fields, as it does in mixed case, where "Tech:" opens no header)
    lower = re.compile(line.pattern.replace(
        "[ \\t]+(?=" + _ADMIN_HEADER_CAPS, r"(?<!\|)(?<!\| )[ \t]+(?=" + _ADMIN_HEADER_CAPS.replace("A-Z", "a-z")),
        re.IGNORECASE | re.MULTILINE)
    opening = case_sensitive_twin(re.compile(rf"[ \t]*(?:technologist|{fields})[ \t]*[:#]", re.IGNORECASE))
    opening_line = re.compile("\n(?:" + opening.pattern + ")", opening.flags) if opening is not None else None
    return _AdminLines(line, lower, re.compile(rf"[ \t]*(?:{fields})[ \t]*[:#]", re.IGNORECASE), opening, opening_line)


# a facility named after a modality ("PET/CT CENTER", "Open MRI Center", "MRI & CT Institute"): a place, no exam
_MODALITY_OF_PLACE = (r"(?:pet(?:[ \t]*[/-][ \t]*ct)?|spect(?:[ \t]*/[ \t]*ct)?|mri?|ct|nuclear[ \t]+medicine|"
                      r"ultrasound|x-?ray)")
_PLACE = re.compile(rf"\b(?:(?:open|advanced|outpatient)[ \t]+)?{_MODALITY_OF_PLACE}"
                    rf"(?:[ \t]*(?:/|&|and)[ \t]*{_MODALITY_OF_PLACE})*[ \t]+(?:center|centre|institute)s?\b", re.IGNORECASE)
_ADMIN = _admin_lines(_ADMIN_FIELDS)  # the packaged table's
_RX = [
    # administrative lines: patient, visit, provider, signature and transcription lines (_admin_line)
    ("admin_line", _ADMIN.line),
    ("signature", re.compile(
        r"(?:^|(?<=[.;,][ \t])|(?<=[.;,]))[ \t]*(?:electronically[ \t]+signed|e-?signed|signed[ \t]+by|dictated[ \t]+by|"
        r"transcribed[ \t]+by|i[ \t]+have[ \t]+(?:personally[ \t]+)?reviewed[ \t]+the[ \t]+images|"
        r"attending[ \t]+radiologist[ \t]+(?:agrees|attestation)|thank[ \t]+you[ \t]+for[ \t]+(?:this|the)[ \t]+referral)"
        r"(?:(?![,.;][ \t]*addendum\b)[^\n])*",  # up to the line end or an addendum on the same line
        re.IGNORECASE | re.MULTILINE)),
    # facility banners ("MERCY REGIONAL MEDICAL CENTER - DEPARTMENT OF RADIOLOGY"), their fields apart by a bar or
    # written in mixed case as a printed letterhead is ("Lakeview University Hospital | Dept. of Radiology")
    ("banner", re.compile(
        r"^[ \t]*[A-Z][A-Za-z .,&'/|-]{0,80}\b(?:MEDICAL[ \t]+CENTER|HOSPITAL|HEALTH[ \t]+SYSTEM|HEALTHCARE|"
        r"DEPARTMENT[ \t]+OF[ \t]+(?:DIAGNOSTIC[ \t]+)?(?:RADIOLOGY|IMAGING)|RADIOLOGY[ \t]+(?:ASSOCIATES|DEPARTMENT|REPORT|GROUP)|"
        r"IMAGING[ \t]+(?:CENTER|SERVICES|ASSOCIATES)|CLINIC|"
        r"Medical[ \t]+Center|Hospital|Health[ \t]+System)\b[A-Za-z .,&'/|-]{0,80}$",
        re.MULTILINE)),
    # a facility's short name, its words in capitals closed by a facility abbreviation, at a line start or
    # after an export's comma, before a row's next field ("TWIN FORKS CAH  ACC ...", "RIVER CO HOSP | XR ...",
    # "..., NORTH RMC | 12/03/2026"): no word of it a modality or view word (a RIS title "XR CH 2V" names an exam)
    ("facility", re.compile(
        r"(?:^|(?<=,))[ \t]*(?:(?!(?:CTA?|MR[AIV]?|XR|US|NM|PET|FL|CR|DX|MG|DXA|DEXA|MAMMO\w*|ULTRASOUND|PORTABLE|"
        r"AP|PA|LAT)\b)[A-Z][A-Z'&.-]*[ \t]){1,4}(?:CAH|CH|RMC|CMC|MC|HOSP|MED[ \t]+CTR)\b(?=[ \t]*(?:$|\||,)|[ \t]{2})",
        re.MULTILINE)),
    # a facility named after a modality ("PET/CT CENTER  1400 Harlow Ave" atop every page): a place, no exam
    ("place", _PLACE),
    # an export's label of the report text ("report_text:", "Result text") alone on its line or before the
    # report's first line: a label of the document, no section and no exam title ("Narrative" is a header that
    # opens the exam: lexicons/sections.tsv)
    ("text_label", re.compile(
        r"(?:^|(?<=,))[ \t]*(?:report[ _]text|result[ _]text)(?:[ \t]*:,?(?=[ \t]*\S)|[ \t]*:?[ \t]*$)",
        re.IGNORECASE | re.MULTILINE)),
    # identifiers inline: "ACC# 12345678", "MRN 000123", "Order #: A123", "Accession Number: 9876"
    ("identifier", re.compile(
        r"\b(?:acc(?:ession)?|mrn|fin|csn|order|req(?:uisition)?|visit|encounter|study[ \t]+id|exam[ \t]+id)"
        r"[ \t]*(?:no\.?|number|num|#|id)?[ \t]*[:#]?[ \t]*(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,19}\b",
        re.IGNORECASE)),
    ("date", re.compile(_WHEN, re.IGNORECASE)),
    ("deid", re.compile(_DEID)),
    # a hospital information system's case mark before the exam name ("(Case 512 VERIFIED)  CT HEAD W/O CONT",
    # "(Case 88 COMPLETE)"): the case number and the record's status, no part of the title
    ("case_mark", re.compile(r"\(case[ \t]*#?[ \t]*\d{1,10}(?:[ \t]+[a-z][a-z/' -]{0,30})?\)", re.IGNORECASE)),
]
# radiation-dose statements ("CTDIvol 12.3 mGy, DLP 456 mGy-cm", "dose reduction techniques"):
# the keyword is found first, then the sentence around it (at most _DOSE_REACH characters each way)
_DOSE_KW = re.compile(
    r"\b(?:ctdi(?:[ \t]*vol)?|dlp|mgy|dose[ \t]+(?:reduction|optimization|modulation|length[ \t]+product|report)|"
    r"radiation[ \t]+dose|exposure[ \t]+(?:index|control)|fluoro(?:scopy|scopic)?[ \t]+time"
    # ... not the fluoroscopy time code's own charge line ("FLUORO TIME UP TO 1 HR": the time bought, no dose)
    r"(?![ \t]+(?:(?:up[ \t]+)?to[ \t]+|<[ \t]*)?(?:1|one)[ \t]*(?:hr|hour)s?\b)|air[ \t]+kerma)\b",
    re.IGNORECASE)
_DOSE_REACH = 400
# a RIS order code closing a title line: "(XRCH2V)", "[CTHDWO]", "- MRKNL3" (the opening character first)
_RIS_OPENING = "([{-"
_RIS_CODE = (r"(?:(?<=[(\[{])([A-Z0-9][A-Z0-9._-]{2,14})[)\]}]"
             r"|(?<=-)[ \t]?(?=[A-Z0-9]{0,14}\d)([A-Z]{2}[A-Z0-9]{1,13}))[ \t.]*$")
_RIS_RX = re.compile(r"[(\[{-]" + _RIS_CODE, re.MULTILINE)
# ... searched as one pattern per opening character: a search skips to one character at C speed,
# but tries a pattern opening with one of several at every character (see _ris_matches)
_RIS_BY_OPENING = tuple(re.compile(re.escape(ch) + _RIS_CODE, re.MULTILINE) for ch in _RIS_OPENING)
# ... in a lower-cased export: "ct limited follow-up - pelvis (ctlimfu)"
_RIS_RX_LOWER = re.compile(_RIS_RX.pattern.replace("A-Z", "a-z"), re.MULTILINE)
# one-line exports join the report's lines with a comma and no blank ("...contrast.,REASON FOR
# EXAM:, Hit in nose.,TECHNIQUE:, Axial images"): on a long line holding several such joins each
# one is read as the line break it stands for (a comma after a header colon and before a blank,
# "TECHNIQUE:, Axial", stays: it separates the header from its text)
_JOIN = re.compile(r",(?:(?<=[^\s,\d],)(?=[^\s,])|(?<=\d,)(?=[^\s,\d]))")  # not "1,000"
JOIN_LINE_MIN = 240  # a line at least this long (or one of SHORT_EXPORT_MIN with a header the export's comma follows) ...
SHORT_EXPORT_MIN = 100  # (a short report on one line: "XR FOOT LT 2V,HISTORY:, stubbed toe,AP, lateral and ...")
JOIN_MIN = 3  # ... with at least this many joins is a one-line export
_HEADER_COMMA = re.compile(r"[A-Za-z]:,")  # ... or with a header the export's comma follows ("Impression:,")
# a tilde that joins the fields or lines of a RIS export ("CT ABD/PELVIS ~ ACC 9002173 ~ [MRN] ~ HISTORY: ..."), not
# one that says "about" before a measure ("~5 mm", "~ 2 cm")
_TILDE_JOIN = re.compile(r"~(?![ \t]*\d+(?:\.\d+)?[ \t]*(?:[a-z%]|$))", re.IGNORECASE)
# a hard-wrapped export (every paragraph broken at a fixed width, 50 to 100 characters): a line
# break inside a sentence ("... WITHOUT IV\nCONTRAST, CORONAL ...") is the blank it replaced, so a
# phrase the wrap cut is read whole; a line that ends a sentence or a label, a blank line and a next
# line that opens with a label or a list item keep their breaks
WRAP_WIDTHS = (50, 100)
# a wider export (up to a wide printer's 132 columns): there a line of its own is as long as a wrapped one, so only
# a next line that goes on in lower case ("... IV contrast\nwas not administered") continues the sentence
WIDE_WRAP_WIDTH = 132
_WIDE_WRAP_NEXT_GOES_ON = re.compile(r"[ \t]*[a-z]")
WRAP_SLACK = 20  # a wrapped line is at least this close to the width (the next word did not fit)
WRAP_LINES_MIN = 3  # lines that close to the width make a hard-wrapped text
_WRAP_NEXT_KEEPS = re.compile(r"[ \t]*(?:$|[A-Za-z][A-Za-z0-9 /&()#-]{0,30}:|(?:\d{1,2}|[A-Ha-h])[.)][ \t]|[-*\u2022][ \t])")
# on such a line (the export's comma after its headers) a join may also be ", ": after a sentence
# end ("... no fracture., IMP:, ...", a history's question "... fracture?, AP pelvis ..."; not "e.g., ",
# "a.m., ") or before a label of the export's own
# ("... fall from a ladder, KNEE:, AP and lateral"); a comma inside a sentence stays, and so does
# one inside a label that lists projections ("PA, LATERAL AND OBLIQUE VIEWS:, ...": after a list
# item, one word of at most four letters)
_SENTENCE_JOIN = re.compile(r"(?<=[^\s.][.?!])(?<!\.\w\.),(?=[ \t]+\S)")
_LABEL_JOIN = re.compile(r",(?=[ \t]*[A-Za-z][A-Za-z0-9 /&#()-]{0,30}:[ \t]*,)")
_LIST_ITEM = re.compile(r"[,\n][ \t]?[A-Za-z]{1,4}$")
# ... or before an information system's case mark, which opens the line of the exam's name ("Img Loc:, RADIOLOGY
# MAIN, (Case 1511 VERIFIED)  ACUTE ABDOMINAL SERIES, Accession:, ..."; the case_mark noise kind)
_CASE_JOIN = re.compile(r",(?=[ \t]*\(case[ \t]*#?[ \t]*\d{1,10}[ \t)])", re.IGNORECASE)
# ... or before a line in capitals in a text written in mixed case (the title or a banner between
# the export's commas: "... Ordering: Dr. Nguyen (IM), RENAL ARTERY DUPLEX, Indication:, ..."): a
# comma inside a sentence of such a text is followed by lower case; the line runs to the next comma
# or the end and holds a word of four capitals or two words of capitals ("VCUG", "US RT"; not a
# clinic's "OB/GYN" after the ordering doctor's name); the text before the comma, back to the comma
# before it, is in mixed case (a title in capitals goes on after its commas: "MRI CERVICAL, THORACIC
# AND LUMBAR SPINE", "CT HEAD WO, CT CERVICAL SPINE WO"), and the comma is not the one after a header
# ("EXAM:, MRI L SPINE W/WO")
# (a bracket in the line may hold lower case: "NM OCTREOSCAN (In-111 pentetreotide) WHOLE BODY")
_CAPS_JOIN = re.compile(r",(?=[ \t](?=[^a-z,]*?(?:[A-Z]{4}|[A-Z]{2}[ \t]+[A-Z(]{2}))[A-Z0-9(]"
                        r"(?:[^a-z,:(]|\([^,:()\n]{1,40}\))*(?:,|$))")
_LOWER = re.compile(r"[a-z]")
# an exam named in capitals (the line after an admin field's own comma: "..., OB/GYN, US THYROID")
_CAPS_EXAM_WORD = re.compile(r"\b(?:CTA?|MR[AIV]?|XR|US|NM|PET|SPECT|DXA|DEXA|FL|MAMMO\w*|ULTRASOUND|SONO\w*|"
                             r"DUPLEX|DOPPLER|X-?RAYS?|RADIOGRAPH\w*|FLUORO\w*|[A-Z]{3,}GRAM|[A-Z]{3,}GRAPHY)\b")
_LETTER = re.compile(r"[A-Za-z]")
CAPS_JOIN_LOWER_MIN = 0.3  # the share of lower-case letters that makes a text mixed case
CAPS_JOIN_REACH = 120  # how far back from the comma its line's label or opening join is looked for
_DATE_MARK = re.compile(r"\d|X{3}|\*\*")  # a date holds a digit or a de-identified part
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Noise:
    kind: str
    start: int
    end: int


def set_aside(text: str, is_term: Callable[[str], bool] | None = None,
              view: TextView | None = None, is_exam_word: Callable[[str], bool] | None = None,
              admin_fields: AdminFields | None = None,
              is_word: Callable[[str], bool] | None = None) -> tuple[str, list[Noise]]:
    """The text with noise blanked (same length, line breaks kept) and the spans set aside.

    ``is_term`` tells whether a bracketed title code is a coding word ("(BILAT)", "(CTA)") that
    must stay; without it only codes holding a digit are set aside. ``is_exam_word`` tells whether a
    word names an exam (a modality, views or contrast word): a banner line holding one is a title
    ("OUTSIDE HOSPITAL CT REPORT"), one naming only anatomy is a facility ("NORTHGATE BREAST & BONE
    IMAGING -- RADIOLOGY REPORT"); without it the modality names of the fallback pattern decide. ``view``: the shared view of
    ``text`` (:mod:`suggester.textview`) whose literals hold :data:`LITERALS`, if there is one. ``admin_fields``: the
    lexicon's administrative fields (``Lexicon.admin_fields``; the packaged table's when None). ``is_word``: whether a
    word is one of the lexicon's (``Lexicon.term_tokens``): a word a line end's hyphen broke in two is read whole
    without its hyphen when it is one ("attenua-\ntion"), else with it ("contrast-\nenhanced").
    """
    admin = _ADMIN if admin_fields is None else _admin_lines(admin_fields.alternation("noise"))
    escapes: list[Noise] = []
    message: list[Noise] = []
    lines_at: set[int] = set()  # escaped delimiters that separate a value's lines
    if "|" in text and _HL7_RESULT.search(text):  # an HL7 v2 message pasted as text (read before its escapes)
        message, breaks = _hl7_message(text)
        text = _put(text, breaks, "\n")
    elif "\\" in text:  # ... or escaped whole
        message, breaks, lines_at = _escaped_message(text)
        text = _put(text, breaks, "\n")
    if "\\" in text:  # an undecoded HL7 v2 value (before line breaks written out: "\\.br\\report_text:")
        escapes = [Noise("hl7_escape", m.start(), m.end()) for m in _HL7_LINE_ESCAPE.finditer(text)]
        fields = list(_HL7_FIELD_ESCAPE.finditer(text))
        if escapes or fields:  # an escaped line break ends its line for the line-wise patterns
            chars = list(text)  # ("^ACCESSION: ..."); an escaped delimiter is read as itself
            for n in escapes:
                chars[n.start:n.end] = "\n" + " " * (n.end - n.start - 1)
            for m in fields:
                chars[m.start():m.end()] = "\n  " if m.start() in lines_at else f" {_HL7_DELIMITERS[m.group(1)]} "
            text = "".join(chars)
    if "\\" in text and _LITERAL_BREAK.search(text):  # line breaks written out as characters
        text = _LITERAL_BREAK.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
    joins = [j for a, b in _long_lines(text) for j in _joins(text, a, b) if not _name_comma(text, j, admin)]
    text = _put(text, joins, "\n")  # the lines of a one-line export, before any line-wise pattern runs
    low = low_of(text, view) or folded(text)
    # the keywords of the text (the shared view's pass, when the text is still the view's): the checks below
    # read which words it holds from them instead of searching the text for each word
    read, keywords = text, _view_keywords(text, low, view)
    needs = keywords["needs"] if keywords is not None else None
    if _sample_wrapped(text, low, needs):
        message += _sample_wrapper(text, low)
    elif (category := _SPECIALTY_PREFIX.match(text)) is not None:
        message.append(Noise("sample_wrapper", category.start(), category.end()))
    # a page's header and footer lines (read on the lines as printed, before a hard wrap joins any)
    message += _page_headers(text, low, is_exam_word, needs)
    if _holds(_BROKEN_LINE, text, needs):  # a word a line end's hyphen broke is one word (a reading: not returned)
        text, low = _unhyphenated(text, low, is_word)
    # a hard-wrapped export's breaks inside a sentence are blanks (a reading, like the joins: not returned)
    wrapped = _wrapped_breaks(text, admin.start)
    text = _put(text, wrapped, " ")
    low = _put(low, wrapped, " ") if low is not None else None  # (folded(text) again, without a second pass)
    found = escapes + [n for n in message if n.end > n.start] + _spans(text, low, is_term, view, is_exam_word, admin,
                                                                            keywords if text is read else None)
    if not found:  # (the joins read as line breaks are a reading, not text set aside: not returned)
        return text, []
    found.sort(key=lambda n: (n.start, n.end))
    blanked = _blanked(text, found)
    emptied = _emptied_brackets(blanked, found)
    if emptied:
        found = sorted(found + emptied, key=lambda n: (n.start, n.end))
        blanked = _blanked(text, found)
    return blanked, _merge(found)


# a report that went through a PDF and came back as text: each page's footer ("Page 1 of 2", "Printed 12/02/2026
# 08:56   Page 2 of 2   <facility>") and the header printed again at the top of the next page (the facility's
# banner, the patient line, "CONTINUED") sit wherever the page broke, inside a section or a sentence
_PAGE_MARK = re.compile(r"\bpage[ \t]*\d{1,3}[ \t]*(?:of|/)[ \t]*\d{1,3}\b", re.IGNORECASE)
PAGE_LINE_MAX = 160  # a line holding a page mark is the page's footer when this short (not a one-line export)
PAGE_HEADER_MIN = 12  # a line printed again on every page holds this many characters at least ...
_PAGE_HEADER_LETTERS = re.compile(r"[A-Za-z].*[A-Za-z].*[A-Za-z].*[A-Za-z]")  # ... and four letters
PAGE_BLOCK_LINES = 3  # the header under a page's footer: at most this many lines, then a blank line
_CONTINUED = re.compile(r"[ \t]*[(\[-]*[ \t]*(?:continued|cont'?d)(?:[ \t]+(?:from|on)[ \t]+page[ \t]*\d{1,3})?"
                        r"[ \t]*[)\].-]*[ \t]*", re.IGNORECASE)


def _page_headers(text: str, low: str | None, is_exam_word: Callable[[str], bool] | None,
                  needs: set[str] | None = None) -> list[Noise]:
    """The page footers and headers of a text extracted from a printed document (looked for only when it holds a page
    mark): a short line holding a page mark ("Page 1 of 2") is the footer, whole; a line printed on more than one page
    (the same line again elsewhere, or again beside a page mark) is the page header in every copy, and so are the few
    lines between a footer and the next blank line (the next page's header) and a "CONTINUED" alone on its line. A
    header line that names an exam (a title printed on every page) keeps its first copy: it may be the only title.
    ``needs``: the words of ``_SCREENS`` the text holds (its keyword pass), if known."""
    if not _holds(("page",), low if low is not None else text.lower(), needs):
        return []
    marks = list(_PAGE_MARK.finditer(text))
    if not marks:
        return []
    spans: list[tuple[int, int]] = []  # (start, end) of each line
    at = 0
    for line in text.split("\n"):
        spans.append((at, at + len(line)))
        at += len(line) + 1
    starts = [a for a, _z in spans]
    out: list[Noise] = []
    copies: dict[str, list[tuple[int, int]]] = {}
    footers: set[int] = set()
    for m in marks:
        k = bisect_left(starts, m.start() + 1) - 1
        a, z = spans[k]
        if z - a > PAGE_LINE_MAX:  # (a long line: only the mark)
            out.append(Noise("page_header", m.start(), m.end()))
            continue
        footers.add(k)
        out.append(Noise("page_header", a, z))
        for part in (text[a:m.start()], text[m.end():z]):  # the header printed again beside the mark
            key = " ".join(part.split())
            if len(key) >= PAGE_HEADER_MIN:
                copies.setdefault(key, [])
    block: set[int] = set()  # the lines under a footer, up to a blank line: the next page's header
    for k in footers:
        j = first = k + 1  # (right under the footer)
        while j < len(spans) and j - first < PAGE_BLOCK_LINES and text[spans[j][0]:spans[j][1]].strip():
            j += 1
        if first < j < len(spans) and not text[spans[j][0]:spans[j][1]].strip():
            block.update(range(first, j))
    beside = set(copies)
    for k, (a, z) in enumerate(spans):
        if k in footers:
            continue
        if _CONTINUED.fullmatch(text, a, z) and text[a:z].strip():
            out.append(Noise("page_header", a, z))
            continue
        key = " ".join(text[a:z].split())
        if len(key) >= PAGE_HEADER_MIN and _PAGE_HEADER_LETTERS.search(key):
            copies.setdefault(key, []).append((a, z))
    for key, where in copies.items():
        in_block = any(bisect_left(starts, a) in block for a, _z in where) and _heading_case(key)
        if len(where) + (key in beside) < 2 and not in_block:
            continue
        keep_first = _names_exam(_PLACE.sub(" ", key), is_exam_word)
        out += [Noise("page_header", a, z) for a, z in where[1 if keep_first else 0:]]
    return out


_WORD = re.compile(r"[A-Za-z][A-Za-z'.-]*")
_SMALL_WORDS = frozenset(("of", "and", "the", "for", "at", "in", "de", "du", "la"))
HEADING_CASE_MIN = 0.6  # the share of a header line's words that open with a capital (no sentence of a report)


def _heading_case(line: str) -> bool:
    """Whether ``line`` is written as a banner or a heading is (its words capitalised), not as a sentence."""
    words = [w for w in _WORD.findall(line) if w not in _SMALL_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= HEADING_CASE_MIN * len(words)


# a person's name in capitals written "SURNAME,GIVEN" ("MORALES,LUIS A", "O'NEIL-KAY,ANN"): the surname before the comma
_SURNAME_BEFORE = re.compile(r"(?<![A-Za-z'-])[A-Z][A-Z'-]{1,30}\Z")
_GIVEN_AFTER = re.compile(r",[A-Z][A-Z'-]{1,30}(?![A-Za-z'-])(?![ \t]*[:#])")  # (not a label: "FINAL,EXAM:")
NAME_LABEL_REACH = 40  # how far before the surname the field's label is looked for


def _name_comma(text: str, i: int, admin: _AdminLines) -> bool:
    """Whether the join comma at ``i`` is inside an administrative field's value, no line join: the comma right after
    the field's colon ("Req Phys:,HALVORSEN,ERIK J": the value is the field's), or the one inside a person's name
    "SURNAME,GIVEN" that is the whole value so far ("Req Phys:, MORALES,LUIS A   Pat Loc: ..."; an information system
    writes names so). A join there makes "LUIS A   Pat Loc: ..." a line of its own, read as the exam's title."""
    if text[i - 1] == ":":
        return _field_label_at(text, i - 1, admin)
    if not _GIVEN_AFTER.match(text, i):
        return False
    w = _SURNAME_BEFORE.search(text, max(0, i - 32), i)
    if w is None:
        return False
    c = text.rfind(":", max(0, w.start() - NAME_LABEL_REACH), w.start())
    return c != -1 and not text[c + 1:w.start()].strip(" \t,") and _field_label_at(text, c, admin)


def _field_label_at(text: str, c: int, admin: _AdminLines) -> bool:
    """Whether the colon at ``c`` closes an administrative field's label that opens its line, its row's column (after
    two blanks or a tab) or a field of a one-line export (after a comma or "|"); one match at one position."""
    lo = max(0, c - NAME_LABEL_REACH)
    k = max(text.rfind(",", lo, c), text.rfind("\n", lo, c), text.rfind("|", lo, c), text.rfind("  ", lo, c),
            text.rfind("\t", lo, c))
    return (k != -1 or lo == 0) and admin.start.fullmatch(text, k + 1, c + 1) is not None


def _line_after(text: str, i: int, b: int) -> int:
    """The end of the line a join at ``i`` opens: the next comma, within ``CAPS_JOIN_REACH``."""
    stop = min(b, i + CAPS_JOIN_REACH)
    nxt = text.find(",", i + 1, stop)
    return stop if nxt == -1 else nxt


# a bracket that held only what was set aside ("US HIPS STATIC (DOS 10/14/2025 6:02 PM)", "(11/02/2026)"):
# the brackets go with it (an empty bracket after the title is no part of the exam name)
_EMPTIED_BRACKET = re.compile(r"\((?=[ \t]{2,}\))[ \t]*\)")


def _emptied_brackets(blanked: str, found: list[Noise]) -> list[Noise]:
    """The brackets of ``blanked`` left holding blanks only, where something was set aside inside
    them (searched only when the text holds a bracket)."""
    if "(" not in blanked:
        return []
    starts = [n.start for n in found]
    out = []
    for m in _EMPTIED_BRACKET.finditer(blanked):
        k = bisect_left(starts, m.start())
        if k < len(found) and found[k].start < m.end():
            out.append(Noise("bracket", m.start(), m.end()))
    return out


def _sample_wrapped(text: str, low: str | None, needs: set[str] | None = None) -> bool:
    """``_SAMPLE.search(text)``: every match holds "sample", so with ``low`` (``folded(text)``)
    the case-insensitive search runs only on the few texts whose folded copy holds the word (``needs``:
    the words of ``_SCREENS`` it holds, if known)."""
    return (low is None or _holds(("sample",), low, needs)) and _SAMPLE.search(text) is not None


def _sample_wrapper(text: str, low: str | None) -> list[Noise]:
    """The fields of a transcription corpus's wrapper (see ``_SAMPLE_FIELDS``); the sample's name
    stays when no exam label follows it, and then its summary too when nothing of a report follows
    the summary. ``low``: ``folded(text)`` (the patterns run lower-cased)."""
    out: list[Noise] = []
    fields = list(find_matches(_SAMPLE_FIELDS, text, low=low))
    # the first exam label after a name, searched again only past the one found (not from each
    # name to the text's end: a text of many names took quadratic time)
    searched, label, titled = False, None, False
    for i, m in enumerate(fields):
        if m.group("name") is not None:
            if not searched or label is not None and label.start() < m.end():
                searched, label = True, search_lowered(_EXAM_LABEL, text, low, m.end())
            titled = label is None
            if titled:  # the name is the title
                out += [Noise("sample_wrapper", m.start(), m.start("name")), Noise("sample_wrapper", m.end("name"), m.end())]
            else:
                out.append(Noise("sample_wrapper", m.start(), m.end()))
        elif m.group("summary") is not None and titled and _last_of_sample(text, fields, i):
            out += [Noise("sample_wrapper", m.start(), m.start("summary")), Noise("sample_wrapper", m.end("summary"), m.end())]
        else:
            out.append(Noise("sample_wrapper", m.start(), m.end()))
    return out


def _last_of_sample(text: str, fields: list[re.Match], i: int) -> bool:
    """Is nothing but blanks, punctuation and wrapper fields between ``fields[i]`` and the next
    sample (or the text's end)?"""
    pos = fields[i].end()
    for m in fields[i + 1:]:
        if _SAMPLE_GAP.fullmatch(text, pos, m.start()) is None:
            return False
        if m.group("name") is not None or m.group("specialty") is not None:
            return True
        pos = m.end()
    return _SAMPLE_GAP.fullmatch(text, pos) is not None


def _put(text: str, at: list[int], ch: str) -> str:
    """``text`` with the character at each of ``at`` replaced by ``ch``."""
    if not at:
        return text
    chars = list(text)
    for i in at:
        chars[i] = ch
    return "".join(chars)


def _letterhead(line: str) -> bool:
    """A line in mixed case with its words capitalised ("Lakeview University Hospital | Dept. of Radiology - Body
    Imaging"): a printed letterhead or heading, no line of wrapped prose (a title in capitals may wrap)."""
    return _heading_case(line) and any(c.islower() for c in line)


def _wrapped_breaks(text: str, admin_start: re.Pattern) -> list[int]:
    """The line breaks of a hard-wrapped text that fall inside a sentence (see ``WRAP_WIDTHS``); not
    after a line of administrative fields (``admin_start``: :attr:`_AdminLines.start`): the exam title
    on the line after it stays a line of its own."""
    if text.count("\n") < WRAP_LINES_MIN:
        return []
    lines = text.split("\n")
    longest = max(lines, key=len)  # (a text with a line longer than any width, or none as long: no wrap read)
    if len(longest) < WRAP_WIDTHS[0] or len(longest.rstrip()) > WIDE_WRAP_WIDTH:
        return []
    width = max(len(line.rstrip()) for line in lines)
    if not WRAP_WIDTHS[0] <= width <= WIDE_WRAP_WIDTH \
            or sum(len(line.rstrip()) >= width - WRAP_SLACK for line in lines) < WRAP_LINES_MIN:
        return []
    wide = width > WRAP_WIDTHS[1]
    out, at = [], 0
    for line, nxt in zip(lines, lines[1:], strict=False):
        at += len(line)
        body = line.rstrip()
        if len(body) >= width - WRAP_SLACK and body[-1] not in ".:;!?" and not _WRAP_NEXT_KEEPS.match(nxt) \
                and (not wide or _WIDE_WRAP_NEXT_GOES_ON.match(nxt)) \
                and not admin_start.match(line) and not _letterhead(body):
            out.append(at)
        at += 1
    return out


# a word a line end's hyphen broke ("attenua-\ntion", "contrast-\nenhanced"): lower-case letters on both sides
# (the marks closing the word go with it: "endova-\nscular." is read "endova-scular." before the moved line break)
_BROKEN_WORD = re.compile(r"(?<![A-Za-z])([a-z]{1,30})-[ \t]*\n[ \t]*([a-z]{1,30})(?![A-Za-z])([.,;:)]{0,3})")


def _unhyphenated(text: str, low: str | None, is_word: Callable[[str], bool] | None) -> tuple[str, str | None]:
    """``text`` (and ``low``, its folded copy) with each word a line end's hyphen broke read whole: the second part
    moved up to the first, the line break after the word and blanks (same length, as many lines: a hard wrap is
    still seen as one, ``_wrapped_breaks``). The hyphen goes when the word whole is
    one of the lexicon's (``is_word``) and its parts are not both ("attenua-" + "tion"); it stays otherwise
    ("contrast-enhanced", "endova-scular": no new word is made up)."""
    chars, lows = list(text), list(low if low is not None else "")
    for m in _BROKEN_WORD.finditer(text):
        a, b = m.group(1), m.group(2)
        whole = is_word is not None and is_word(a + b) and not (is_word(a) and is_word(b))
        word = (a + b if whole else a + "-" + b) + m.group(3)
        lo, hi = m.start(), m.end()
        word += "\n" + " " * (hi - lo - len(word) - 1)
        chars[lo:hi] = word
        if low is not None:
            lows[lo:hi] = word
    return "".join(chars), "".join(lows) if low is not None else None


def _offsets_of(text: str, ch: str, a: int, z: int) -> list[int]:
    """The offsets of ``ch`` in ``text[a:z]`` (``str.find`` in C, not a Python step per character)."""
    out, i = [], text.find(ch, a, z)
    while i != -1:
        out.append(i)
        i = text.find(ch, i + 1, z)
    return out


def _segment_end(text: str, a: int, z: int) -> int:
    """Where a segment that holds no report text (OBR, PID, ORC, ...) opened at ``a`` ends, at the latest
    ``z`` (where the next segment opens): before a label that the next segment was pasted under on its
    own line ("ORDERED: OBR|1||8846|XRCSP^XR C SPINE\nPERFORMED: OBR|1||8846|..."): the label is report
    text, a header of its own."""
    nl = text.rfind("\n", a, z)
    if nl != -1 and z < len(text) and text.find("|", nl + 1, z) == -1 and text[nl + 1:z].strip():
        return nl
    return z


def _hl7_message(text: str) -> tuple[list[Noise], list[int]]:
    """The fields of a pasted HL7 v2 message that are no report text (every segment but the value
    of its result and comment segments), and the repetition separators inside those values: an
    FT/TX value's "~" separates its lines."""
    # (a segment's name is three characters before a "|": tried there only, not at every position)
    starts = [m.start() for m in matches_at(_HL7_SEGMENT, text, [b - 3 for b in _offsets_of(text, "|", 3, len(text))])]
    spans: list[Noise] = []
    breaks: list[int] = []
    # (a result with no order segment: the first result's observation name is the exam's, "OBX|1|TX|XR^XR CHEST
    # 2V||CHEST\.br\...": the only account of the views when the value's title names none)
    ordered = any(text[a:a + 3].upper() == "OBR" for a in starts)
    named = False
    for k, a in enumerate(starts):
        z = starts[k + 1] if k + 1 < len(starts) else len(text)
        if a and text[a - 1] != "\n":  # a segment run on after the last one's terminator was lost
            breaks.append(a)
        field = _HL7_VALUE_FIELD.get(text[a:a + 3].upper())
        if field is None:
            z = _segment_end(text, a, z)
        bars = _offsets_of(text, "|", a, z)
        if field is None or not bars:
            spans.append(Noise("hl7_segment", a, z))
            continue
        # (a segment cut short holds its text after its last field separator: "OBX|1|TX|US NECK\.br\...")
        lo = bars[min(field, len(bars)) - 1] + 1
        hi = bars[field] if len(bars) > field else z
        name = _observation_name(text, bars) if field == 5 and not named and not ordered \
            and _BARE_ANATOMY_LINE.match(text, lo, hi) else None
        if name is not None:  # ... its exam's name a title line of its own, above the value
            spans.append(Noise("hl7_segment", a, name[0]))
            spans.append(Noise("hl7_segment", name[1], lo))
            breaks.append(lo - 1)
            named = True
        else:
            spans.append(Noise("hl7_segment", a, lo))
        if hi < z:
            spans.append(Noise("hl7_segment", hi, z))
        breaks.extend(_offsets_of(text, "~", lo, hi))
    return [n for n in spans if text[n.start:n.end].strip()], breaks


# an observation identifier's text naming an exam ("XR^XR CHEST 2V", "USABC^US ABDOMEN COMPLETE^L"), not the
# report itself ("RADRPT^Radiology Report^L", "&GDT^REPORT")
_OBSERVATION_EXAM = re.compile(r"[ \t]*(?:XR|CR|DX|CT|CTA|MRI?|MRA|US|NM|PET|DXA|FL|MAMMO\w*)[ \t]+[A-Za-z][^^|\n]{1,60}")


# a value whose first line names only anatomy ("CHEST\.br\HX: ..."): no modality, views or procedure word
_BARE_ANATOMY_LINE = re.compile(r"[ \t]*(?![^\\|~\n]*\b(?i:scan|views?|ap|pa|lat\w*|obl\w*|mri?|ct|us|xr|nm|pet|"
                                r"study|series|exam\w*)\b)[A-Za-z]+(?:[ \t/&-]+[A-Za-z]+){0,2}[ \t]*(?:\\|$|\|)")


def _observation_name(text: str, bars: list[int]) -> tuple[int, int] | None:
    """The span of a result segment's observation name (OBX-3's text, its second component) when it names an
    exam: the title the report is the result of."""
    if len(bars) < 5:
        return None
    carets = _offsets_of(text, "^", bars[2] + 1, bars[3])
    if not carets:
        return None
    a = carets[0] + 1
    b = carets[1] if len(carets) > 1 else bars[3]
    return (a, b) if _OBSERVATION_EXAM.fullmatch(text, a, b) else None


def _escaped_message(text: str) -> tuple[list[Noise], list[int], set[int]]:
    """:func:`_hl7_message` of a message escaped whole (its delimiters written as escapes), read on
    the decoded text and mapped back: the spans set aside, the segment breaks, and the starts of the
    escaped "~" that separate a value's lines. Nothing when the decoded text holds no message."""
    if not any(head in text for head in _ESCAPED_HEADS):
        return [], [], set()
    parts, pos, last = [], array("q"), 0  # pos[i]: the offset in ``text`` of decoded character i
    for m in _HL7_ANY_ESCAPE.finditer(text):
        parts.append(text[last:m.start()])
        pos.extend(range(last, m.start()))
        parts.append(_HL7_DECODED[m.group(0)[1:-1].lower()])
        pos.append(m.start())
        last = m.end()
    parts.append(text[last:])
    pos.extend(range(last, len(text) + 1))
    decoded = "".join(parts)
    if "|" not in decoded or not _HL7_RESULT.search(decoded):
        return [], [], set()
    spans, breaks = _hl7_message(decoded)
    lines_at = {pos[b] for b in breaks if decoded[b] == "~"}
    return ([Noise(n.kind, pos[n.start], pos[n.end]) for n in spans],
            [pos[b] for b in breaks if decoded[b] != "~"], lines_at)


# an export's column-header row joined to its data row by the one-line export's comma ("ACC#,MRN,EXAM DESC,REPORT
# TEXT,A8707,2014,...", "Acc#<TAB>MRN<TAB>Procedure<TAB>Modality<TAB>Ordering<TAB>Report,MR2610884<TAB>..."): three
# labels or more without a digit from the line start, the comma before the first field holding one
_COLUMN_LABEL = r"[A-Za-z][A-Za-z_#/ ]{0,24}"
_COLUMN_ROW_JOIN = re.compile(rf"[ \t]*{_COLUMN_LABEL}(?:[\t,]{_COLUMN_LABEL}){{2,12}}(?=,\"?[^,\t\n\"]{{0,24}}\d)")
_COLUMN_WORD = re.compile(r"\b(?:acc(?:ession)?|mrn|report|proc(?:edure)?|status|mod(?:ality)?|ordered|performed|"
                          r"result|exam)\b", re.IGNORECASE)


def _joins(text: str, a: int, b: int) -> list[int]:
    """The offsets of a long line's commas (or, ``JOIN_MIN`` of them at least, tildes: :data:`_TILDE_JOIN`) that join
    the lines of a one-line export, and the comma after an export's column-header row run on into its data row
    (:data:`_COLUMN_ROW_JOIN`), the row kept one line."""
    js = _export_joins(text, a, b)
    tildes = [m.start() for m in _TILDE_JOIN.finditer(text, a, b)]
    if len(tildes) >= JOIN_MIN:  # a RIS export's fields and lines set apart by "~" ("... 11:31 ~ HISTORY: ...")
        js = sorted(set(js) | set(tildes))
    row = _COLUMN_ROW_JOIN.match(text, a, b)
    if row is not None and len(_COLUMN_WORD.findall(row.group())) >= 2:
        js = [row.end(), *(j for j in js if j > row.end())]  # (the row's own delimiters join no lines)
    return js


# a radiograph title's list of projections glued by a comma ("FOOT AP,LAT & OBL RIGHT", "ELBOW AP,LAT"):
# one title, no line join, whatever the export joined its lines with
_PROJECTION_WORD = r"(?:ap|pa|lat|lats|lateral|obl|obls|obliques?|mortise|sunrise|merchant|tunnel|frog|axillary|y)"
_PROJECTION_BEFORE = re.compile(rf"(?<![A-Za-z]){_PROJECTION_WORD}$", re.IGNORECASE)
_PROJECTION_AFTER = re.compile(rf",{_PROJECTION_WORD}(?![A-Za-z:])", re.IGNORECASE)


def _projection_pair(text: str, i: int) -> bool:
    """Whether the comma at ``i`` sits between two projection words (:data:`_PROJECTION_WORD`)."""
    return _PROJECTION_AFTER.match(text, i) is not None and _PROJECTION_BEFORE.search(text, max(0, i - 9), i) is not None


def _export_joins(text: str, a: int, b: int) -> list[int]:
    """The offsets of a long line's commas that join the lines of a one-line export (none when
    the line is no export: fewer than ``JOIN_MIN`` joins and no header with the export's comma)."""
    js = [m.start() for m in _JOIN.finditer(text, a, b) if not _projection_pair(text, m.start())]
    if not _header_comma(text, a, b):
        # (a CSV row's quoted fields, '123,"US RENAL","CLINICAL ...', are an export however few its joins)
        return js if len(js) >= JOIN_MIN or text.find('","', a, b) != -1 else []
    spaced = [m.start() for m in _SENTENCE_JOIN.finditer(text, a, b)]
    spaced += [i for m in _LABEL_JOIN.finditer(text, a, b)
               if not _LIST_ITEM.search(text, max(a, (i := m.start()) - 6), i)]
    spaced += [m.start() for m in _CASE_JOIN.finditer(text, a, b)]
    letters = len(_LETTER.findall(text, a, b))
    if letters and len(_LOWER.findall(text, a, b)) >= CAPS_JOIN_LOWER_MIN * letters:
        spaced += _caps_joins(text, a, b, sorted(set(js) | set(spaced)))
    return sorted(set(js) | set(spaced))


def _caps_joins(text: str, a: int, b: int, found: list[int]) -> list[int]:
    """The ", " joins before a line in capitals (``_CAPS_JOIN``) of a long line in mixed case, whose
    other joins are ``found``: the text before the comma is in mixed case back to the comma before it,
    or, when the line after it names an exam, back to the label's colon or the join that opened its
    line, within ``CAPS_JOIN_REACH`` (an admin line with a comma of its own: "Ordering: Dr. K. Moore,
    OB/GYN, US THYROID ..."; not the clinic's name after it, "Dr. K. Moore, OB/GYN, MAIN CAMPUS", nor a
    title in capitals after a join: "Dr. Nguyen (IM), CT HEAD WO, CT CERVICAL SPINE WO")."""
    out: list[int] = []
    for m in _CAPS_JOIN.finditer(text, a, b):
        i = m.start()
        if text[i - 1] == ":":
            continue
        lo = max(a, i - CAPS_JOIN_REACH)
        k = bisect_left(found, i)
        opened = max(text.rfind(":", lo, i), found[k - 1] if k else -1, out[-1] if out else -1, lo)
        if _LOWER.search(text, max(a, text.rfind(",", a, i)), i) or \
                _LOWER.search(text, opened, i) and _CAPS_EXAM_WORD.search(text, i, _line_after(text, i, b)):
            out.append(i)
    return out


def _header_comma(text: str, a: int, b: int) -> bool:
    """``_HEADER_COMMA.search(text, a, b)``, searched only when the line holds ":," (every match
    does: a search tries the letter class at every position)."""
    return text.find(":,", a, b) != -1 and _HEADER_COMMA.search(text, a, b) is not None


def _spans(text: str, low: str | None, is_term: Callable[[str], bool] | None = None,
           view: TextView | None = None, is_exam_word: Callable[[str], bool] | None = None,
           admin: _AdminLines = _ADMIN, keywords: dict[str, Any] | None = None) -> list[Noise]:
    """Every span set aside, pattern by pattern (in ``_RX`` order, then dose, then RIS codes).

    With ``low`` (``folded(text)``) each pattern is tried only where a match can start (the
    positions :data:`_STARTS` finds in ``low``; :func:`suggester.scan.matches_at`), with the same
    matches in the same order as ``finditer`` over the whole text; with ``low=None`` every pattern
    runs over the whole text (the reference the speed path is tested against). ``admin``: the patterns of
    the lexicon's administrative fields; ``keywords``: ``_keyword_hits`` of ``text`` when the caller holds them."""
    hits = keywords if keywords is not None or low is None else \
        _keyword_hits(view_for(text, view, (_KEYWORD_GROUP,), _OWN))
    found: list[Noise] = []
    lower = all_lower(text)
    for kind, rx in _RX:
        if not _may_occur(kind, text, hits) or kind in _FOLDED_NEEDS and not _folded_may_occur(kind, rx, low, hits):
            continue
        if kind == "admin_line":  # (the lexicon's fields)
            rx = admin.lower if lower else admin.line
        starts: list[int] | None
        if kind == "admin_line" and low is not None and hits is not None and admin.opening is not None:
            starts = _opened_lines(low, admin)
        else:
            starts = _STARTS[kind](text, low, hits) if low is not None and hits is not None and kind in _STARTS else None
        for m in rx.finditer(text) if starts is None else matches_at(rx, text, starts):
            if m.end() == m.start() or not m.group(0).strip():
                continue
            if kind == "date" and not _DATE_MARK.search(m.group(0)):
                continue
            found.append(Noise(kind, m.start(), m.end()))
    last = -1
    kws = _DOSE_KW.finditer(text) if hits is None else matches_at(_DOSE_KW, text, hits["dose"])
    for m in kws:
        if m.start() < last:
            continue
        floor = max(0, m.start() - _DOSE_REACH)
        # the clause holding the keyword: "TECH: LOW DOSE CT CHEST, CTDIVOL 1.4 MGY" keeps its technique
        lo = max(max(text.rfind(ch, floor, m.start()) for ch in ".\n,;:"), floor - 1) + 1
        hi = min(_find(text, ch, m.end()) for ch in ".\n,;:")
        last = min(hi + 1, len(text))
        found.append(Noise("dose", lo, last))
    found = [n for n in found if n.kind != "banner" or not _names_exam(text[n.start:n.end], is_exam_word)]
    ris = _RIS_RX_LOWER.finditer(text) if lower else _RIS_RX.finditer(text) if low is None \
        else _ris_matches(text)
    for m in ris:
        code = m.group(1) or m.group(2)
        if not _DIGIT.search(code) and (is_term is None or is_term(code.lower())):
            continue  # "(BILAT)", "(CTA)": coding words in brackets
        if not any(c.isalpha() for c in code):
            continue  # "(2)": a count, not a code
        found.append(Noise("ris_code", m.start(), m.end()))
    return found


def _ris_matches(text: str) -> list[re.Match]:
    """``_RIS_RX.finditer(text)`` from one search per opening character: every match ends at the
    end of its line (after blanks and periods), so the one ``finditer`` finds on a line is the one
    of them that starts first there."""
    first: dict[int, re.Match] = {}  # line end -> the match that starts first on the line
    for rx in _RIS_BY_OPENING:
        for m in rx.finditer(text):
            seen = first.get(m.end())
            if seen is None or m.start() < seen.start():
                first[m.end()] = m
    return [first[end] for end in sorted(first)]


def _blanked(text: str, spans: list[Noise]) -> str:
    """``text`` with the spans (sorted by start) blanked with spaces, line breaks kept."""
    out, at = [], 0
    for n in spans:
        if n.end <= at:
            continue
        lo = max(at, n.start)
        out.append(text[at:lo])
        out.append("\n".join(" " * len(part) for part in text[lo:n.end].split("\n")))
        at = n.end
    out.append(text[at:])
    return "".join(out)


# ------------------------------------------------------------------ where a match can start
# The patterns above define what is set aside; trying each of them at every position of the text
# is what costs. Every match holds a keyword or a digit, which one Aho-Corasick pass finds in the
# lower-cased text; a pattern is then tried only where a match holding them can start, in text
# order, each try past the end of the last match, which is how ``finditer`` reads the text: the
# same matches, without the positions that cannot match.

# keywords every match holds, by kind (lower case), and where the match can start from each
_KEYWORDS = {
    "signature": ("electronically", "signed", "dictated", "transcribed", "have", "attending", "thank"),
    "identifier": ("acc", "mrn", "fin", "csn", "order", "req", "visit", "encounter", "study", "exam"),
    "dose": ("ctdi", "dlp", "mgy", "dose", "radiation", "exposure", "fluoro", "kerma"),
}


# the abbreviations one of which closes every facility name (in capitals: the pattern is case-sensitive), after a
# blank, with what the pattern reads after them ("CH" in "CHEST" closes none): the closing of every match
_FACILITY_CLOSE = re.compile(r"[ \t](?:CAH|CH|RMC|CMC|MC|HOSP|MED[ \t]+CTR)\b(?=[ \t]*(?:$|\||,)|[ \t]{2})", re.MULTILINE)
# ... found by the keyword pass in lower case: a blank, the abbreviation and the character after it (where it ends
# the text, within the last _CLOSING_TAIL characters, it is looked for there)
_CLOSINGS = tuple(b + w + after for b in " \t" for w in ("cah", "ch", "rmc", "cmc", "mc", "hosp", "med")
                  for after in (" ", "\t", "\n", "|", ","))
_CLOSING_TAIL = len(" hosp")


# literals one of which every match of a case-sensitive pattern holds (exact on any text)
_NEEDS = {"deid": ("[**", "XXX", "***", "___"),
          "banner": ("CENTER", "HOSPITAL", "HEALTH", "DEPARTMENT", "RADIOLOGY", "IMAGING", "CLINIC", "Center", "Hospital",
                     "Health")}
# words a check of set_aside looks for in the folded text before it reads further (its pages, a transcription
# sample, a word a line end's hyphen broke), found by the keyword pass (see _holds)
_BROKEN_LINE = ("-\n", "- \n")
_SCREENS = ("page", "sample", *_BROKEN_LINE)
# kinds searched only when the folded text holds one of the words every match holds
# (:func:`suggester.scan.required_literals`: "report text", "result_text", ...)
_FOLDED_NEEDS = frozenset({"text_label", "case_mark", "place"})
# ... those words, among the keywords (found by the keyword pass, not by a search of the text per word)
_FOLDED_WORDS = {kind: required_literals(rx.pattern) for kind, rx in _RX if kind in _FOLDED_NEEDS}


def _literals() -> dict[str, dict[str, tuple[str, tuple[str, ...]]]]:
    """The keywords (lower case) -> (keyword, the kinds that need it: a ``_KEYWORDS`` kind or
    "need"), and the digits, as :class:`~suggester.textview.Literals` groups."""
    words: dict[str, list[str]] = {}
    for kind, ws in _KEYWORDS.items():
        for w in ws:
            words.setdefault(w, []).append(kind)
    for w in _CLOSINGS:
        words.setdefault(w, []).append("closing")
    for w in {x.lower() for ws in _NEEDS.values() for x in ws}:  # (lower-cased: see _may_occur)
        words.setdefault(w, []).append("need")
    for w in {*(x for ws in _FOLDED_WORDS.values() for x in ws or ()), *_SCREENS}:  # (see _folded_may_occur, _holds)
        if "need" not in words.get(w, ()):
            words.setdefault(w, []).append("need")
    return {_KEYWORD_GROUP: {w: (w, tuple(kinds)) for w, kinds in words.items()},
            _DIGIT_GROUP: {d: (d, ()) for d in "0123456789"}}


_KEYWORD_GROUP, _DIGIT_GROUP = "noise.keywords", "noise.digits"
LITERALS = _literals()  # the word groups of this stage in a shared view (suggester.textview)
_OWN = Literals(LITERALS)  # for a text without a shared view


_BLANKS = " \t"


def _blanks_before(low: str, i: int) -> int:
    while i and low[i - 1] in _BLANKS:
        i -= 1
    return i


_DIGIT_LOOP_MAX = 20_000  # digits read from the shared pass; more (a hostile text) are searched in C


def _keyword_hits(view: TextView) -> dict[str, Any]:
    """Where a signature, identifier or dose-statement match can start, from the keywords, where a
    facility name's closing can be (``"closing"``), the "need" words found (``"needs"``) and the runs of
    digits (``"digits"``: (start, end) in text order)."""
    low = view.low
    assert low is not None  # (called only for a text with a folded copy)
    out: dict[str, Any] = {kind: [] for kind in (*_KEYWORDS, "closing")}
    needs: set[str] = set()
    for i, (word, kinds) in view.hits(_KEYWORD_GROUP) or ():
        for kind in kinds:
            if kind == "need":
                needs.add(word)
            elif kind == "signature":
                out[kind] += _signature_starts(low, word, i)
            elif word == "kerma":  # "air kerma"
                j = _blanks_before(low, i)
                if j < i and low.endswith("air", 0, j):
                    out[kind].append(j - 3)
            else:
                out[kind].append(i)
    for kind in _KEYWORDS:
        out[kind] = sorted(set(out[kind]))
    # (and where a facility's closing abbreviation can be: _CLOSINGS, in the order found)
    out["needs"] = needs
    # the runs of digits: from the shared pass on ASCII text (a run is consecutive digit hits);
    # "\d" also matches other scripts' digits, which only a search finds
    digit_hits = view.hits(_DIGIT_GROUP) or ()
    if view.text.isascii() and len(digit_hits) <= _DIGIT_LOOP_MAX:
        runs: list[list[int]] = []
        for i, _d in digit_hits:
            if runs and runs[-1][1] == i:
                runs[-1][1] = i + 1
            else:
                runs.append([i, i + 1])
        out["digits"] = [(a, z) for a, z in runs]
    else:  # (a text of a great many digits, hostile: the search in C finds the same runs)
        out["digits"] = [m.span() for m in _DIGITS.finditer(low)]
    return out


def _signature_starts(low: str, word: str, i: int) -> list[int]:
    """A signature match starts at a line start or after ``[.;,]`` (and one blank), then blanks,
    then its phrase: so at the first or second position of the blanks before the phrase."""
    if word == "signed":  # "signed by", "esigned", "e-signed"
        phrases = [i] + [i - n for n in (1, 2) if low.startswith("e-"[:n], i - n)]
    elif word == "have":  # "i have ... reviewed the images"
        j = _blanks_before(low, i)
        phrases = [j - 1] if j < i and low.endswith("i", 0, j) else []
    else:
        phrases = [i]
    out = []
    for k in phrases:
        s = _blanks_before(low, k)
        out += [s, s + 1] if s < k else [s]
    return out


_LEADS = frozenset(("dated", "done", "performed", "obtained", "acquired", "taken", "on", "at", "of", "dos"))
_MONTHS = frozenset(("jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
                     "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
                     "november", "dec", "december"))
_MONTH_ENDS: dict[str, list[str]] = {}
for _m in sorted(_MONTHS):
    _MONTH_ENDS.setdefault(_m[-3:], []).append(_m)
_AFTER_DIGITS = re.compile(r"[/.:-]\d|[ \t]*h|[ \t]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                           r"|(?:st|nd|rd|th)?,?[ \t]+\d")
_DIGITS = re.compile(r"\d+")
_DEID_LOW = re.compile(r"\[(?=\*\*)|x{3,}|\*{3,}|_{3,}")
_DEID_WORDS = frozenset(w.lower() for w in _NEEDS["deid"])  # (one of them in every match of _DEID_LOW)


def _word_before(low: str, i: int) -> int:
    """The start of the letters ending at ``i`` (at most 10 looked at: longer is no lead word)."""
    j, stop = i, max(0, i - 10)
    while j > stop and "a" <= low[j - 1] <= "z":
        j -= 1
    return j


def _date_starts(_text: str, low: str, hits: dict[str, Any]) -> list[int]:
    """Where a ``date`` match can start. Every match holds a digit or a de-identification token
    (its first such character: the anchor); before the anchor a match holds at most a lead word
    and blanks, a month (and its period) and blanks, or "at"/"@" and blanks."""
    out: list[int] = []
    anchors = []
    for a, z in hits["digits"]:
        # a date or time opens with 1, 2 or 4 digits and what _AFTER_DIGITS reads ("11/1",
        # "10:4", "2025-0", "5 jan", "5th, 2", "1042 h"): it starts at the run's first digit or
        # at most 4 before its end
        if _AFTER_DIGITS.match(low, z):
            anchors.append(a)
            out.append(a)
            out.extend(range(max(a + 1, z - 4), z))
    if not hits["needs"].isdisjoint(_DEID_WORDS):  # (the keyword pass found one: see _NEEDS)
        for m in _DEID_LOW.finditer(low):
            anchors.append(m.start())
            out.append(m.start())
    for a in anchors:
        b = _blanks_before(low, a)
        if b and low[b - 1] == "@":
            out.append(b - 1)
        if low.endswith("at", 0, b):
            out.append(b - 2)
        if b == a:
            continue  # a lead word and a month are followed by blanks
        w = _word_before(low, b)
        if low[w:b] in _LEADS:
            out.append(w)
        e = b - 1 if low[b - 1] == "." else b
        for month in _MONTH_ENDS.get(low[e - 3:e], ()):
            s = e - len(month)
            if s >= 0 and low.startswith(month, s):
                out.append(s)
                bb = _blanks_before(low, s)
                if bb < s:
                    w = _word_before(low, bb)
                    if low[w:bb] in _LEADS:
                        out.append(w)
    return sorted(set(out))


def _lines_holding(text: str, chars: str | tuple[str, ...]) -> list[int]:
    """The starts of the lines holding one of ``chars`` (characters or words)."""
    out = set()
    for ch in chars:
        i = text.find(ch)
        while i != -1:
            out.add(text.rfind("\n", 0, i) + 1)
            nl = text.find("\n", i)
            i = -1 if nl == -1 else text.find(ch, nl)
    return sorted(out)


def _opened_lines(low: str, admin: _AdminLines) -> list[int]:
    """The starts of the lines of ``low`` (``folded(text)``) holding a colon or "#" that open with an
    administrative field (``admin.opening``, whose match ends with one: on its line, unless a lexicon's field
    reads a line break, when the lines are tried one by one)."""
    assert admin.opening is not None and admin.opening_line is not None
    first = admin.opening.match(low)
    out = [] if first is None else [0]
    ends = [] if first is None else [first.end()]
    for m in admin.opening_line.finditer(low):
        out.append(m.start() + 1)
        ends.append(m.end())
    if any(low.find("\n", a, z) != -1 for a, z in zip(out, ends, strict=True)):
        return [s for s in _lines_holding(low, ":#") if admin.opening.match(low, s) is not None]
    return out


def _line_starts_with(chars: str) -> Callable[[str, str, dict], list[int]]:
    """The starts of the lines holding one of ``chars`` (a line-anchored pattern needs one)."""
    return lambda text, _low, _hits: _lines_holding(text, chars)


def _banner_starts(text: str, _low: str, hits: dict) -> list[int]:
    """A banner is a whole line holding one of its words (in capitals; looked for only when the
    keyword pass saw it lower-cased)."""
    return _lines_holding(text, tuple(w for w in _NEEDS["banner"] if w.lower() in hits["needs"]))


def _facility_starts(text: str, low: str, hits: dict) -> list[int]:
    """A facility name lies on one line that holds its closing abbreviation (``_FACILITY_CLOSE``: where the
    keyword pass found one in lower case, ``_CLOSINGS``, or at the text's end), and starts at the line's start
    or after one of its commas."""
    out: list[int] = []
    closings = [*hits["closing"], *range(max(0, len(low) - _CLOSING_TAIL), len(low))]
    for a in sorted({text.rfind("\n", 0, i) + 1 for i in closings if _FACILITY_CLOSE.match(text, i)}):
        b = text.find("\n", a)
        b = len(text) if b == -1 else b
        out.append(a)
        i = text.find(",", a, b)
        while i != -1:
            out.append(i + 1)
            i = text.find(",", i + 1, b)
    return out


_STARTS: dict[str, Callable[[str, str, dict], list[int]]] = {
    "admin_line": _line_starts_with(":#"),
    "facility": _facility_starts,
    "signature": lambda _t, _low, hits: hits["signature"],
    "identifier": lambda _t, _low, hits: hits["identifier"],
    "date": _date_starts,
    "banner": _banner_starts,
}


def _may_occur(kind: str, text: str, hits: dict | None = None) -> bool:
    """Whether ``text`` holds one of the literals the ``kind`` pattern needs (with ``hits``, only
    those whose lower-cased form the keyword pass found are looked for)."""
    needs = _NEEDS.get(kind)
    if needs is None:
        return True
    if hits is not None:
        needs = tuple(w for w in needs if w.lower() in hits["needs"])
    return any(w in text for w in needs)


def _holds(words: tuple[str, ...], text: str, needs: set[str] | None) -> bool:
    """Whether ``text`` holds one of ``words`` (of ``_SCREENS``, in lower case: none of their characters
    changes in ``folded(text)``), read from ``needs`` (the keyword pass's "need" words) when known."""
    return any(w in text for w in words) if needs is None else not needs.isdisjoint(words)


def _view_keywords(text: str, low: str | None, view: TextView | None) -> dict[str, Any] | None:
    """``_keyword_hits`` of ``text`` from ``view`` when it is the shared view of ``text`` and holds this
    stage's keywords (None otherwise: the checks search the text)."""
    if low is None or view is None or not view.of(text) or _KEYWORD_GROUP not in view.literals.groups:
        return None
    return _keyword_hits(view)


def _folded_may_occur(kind: str, rx: re.Pattern, low: str | None, hits: dict | None) -> bool:
    """``may_match(rx, low)`` for a ``_FOLDED_NEEDS`` kind: with ``hits`` (the keyword pass over ``low``,
    which holds the words every match needs: ``_FOLDED_WORDS``) read from the words it found."""
    words = _FOLDED_WORDS[kind]
    if hits is None or words is None:
        return may_match(rx, low)
    return not hits["needs"].isdisjoint(words)


def _long_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the lines of at least ``JOIN_LINE_MIN`` characters, and of the shorter lines
    that hold a header with the export's comma (a short report on one line: "XR FACIAL BONES,HISTORY:,
    assault,Waters, Caldwell and lateral views.,IMPRESSION:, Negative.")."""
    if len(text) < SHORT_EXPORT_MIN or len(text) < JOIN_LINE_MIN and ":," not in text:
        return
    at = 0
    for line in text.split("\n"):
        if len(line) >= JOIN_LINE_MIN or len(line) >= SHORT_EXPORT_MIN and ":," in line and _HEADER_COMMA.search(line):
            yield at, at + len(line)
        at += len(line) + 1


_BANNER_WORDS = frozenset("""imaging radiology medical center health hospital clinic department diagnostic
regional memorial university general community services associates group system of the and""".split())


def _names_exam(line: str, is_exam_word: Callable[[str], bool] | None) -> bool:
    """A banner line that names an exam ("OUTSIDE HOSPITAL CT REPORT") is a title, not a banner; the
    anatomy in a facility's name ("BREAST & BONE IMAGING", "SPINE CENTER") names none."""
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)?", line.lower())
    if is_exam_word is None:
        return bool(re.search(r"\b(?:ct|mri?|x-?ray|xr|us|ultrasound|nm|pet|mammo\w*|fluoro\w*|dxa|dexa)\b", line, re.I))
    return any(w not in _BANNER_WORDS and (is_exam_word(w) or is_exam_word(w.replace("-", " "))) for w in words)


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

