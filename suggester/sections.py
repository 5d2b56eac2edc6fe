"""Stage 1: split a report into sections (exam title, history, technique, comparison, ...).

Headers come from ``lexicons/sections.tsv``. A header is recognised at the start of a line (or
after two spaces / a sentence end on one-line reports) when it is followed by a colon or a dash,
stands alone on its line, or is written in capitals and followed by text ("EXAM CT HEAD").
Text before the first header: its first non-empty line is the exam title, the rest is body
text (treated like findings).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from .lexicon import AdminFields, default_admin_fields
from .scan import all_lower, fold_word, folded, matches_at
from .textview import Literals, TextView, low_of, view_for

TITLE_MAX = 120
EXAM_MAX = 200  # a headed exam section longer than this is a procedure description
CASE_PROBE = 400  # the characters of a span whose letter case picks its sentence-end pattern (_sentence_end)
# a sentence end: a capital after a blank, or a one-line export's "., " / ".," join, or a comma
# before a word that opens a sentence ("Left elbow arthrogram, The patient is ..."; not "PA, Towne")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z]|,\s*[A-Za-z])"
                           r"|,(?=\s+(?:The|This|These|There|A|An|He|She|Patient|Clinical|History|Indications?|"
                           r"Technique|Comparison|Findings|Impression)\b)")
# a blank line, then a labelled line ("Head CT: ..."); or a sentence end, then a label in capitals
# ("... reformats.\nHEAD: ...", a one-line export's "reformats.,C-SPINE: ...")
_PARAGRAPH_GAP = re.compile(r"\n[ \t]*\n(?=[ \t]*[A-Za-z][\w /&()-]{0,30}:)|(?<=\.)[,\n](?=[ \t]*[A-Z][A-Z0-9 /&()-]{0,30}:)")
# a patient's age and sex after the exam name on its line ("CT HEAD WO, 27M fall", "; 53 yo F", ". 88F",
# a pipe-delimited export's "US ABD LTD | 41F RUQ PN", a history word before it: "US SCROTUM  hx 32M",
# a dash: "VFA ONLY (DXAVFA) -- 80M on prednisone"; in words: "SPINE US (INFANT), 2 week old with a sacral
# dimple", "MRI SHOULDER LT, clinical, 18 year old wrestler"); the age may be a de-identification token ("XXXXF")
_AGE_START = re.compile(r"(?:\d{1,3}|XXXX)\s?(?:[MF]|yo|y/o|-?year|-?yr)\b", re.IGNORECASE)
_AGE_WORD_LEAD = r"\s(?=(?:hx|h/o|history|indication|clinical)\b))\s*(?:(?:hx|h/o|history|indication|clinical)\b[:.,-]?\s*)?"
_AGE_LEAD = re.compile(r"(?:[,;:.|]|\s--?|\s[\u2013\u2014/]|[ \t](?=(?:\d{1,3}|XXXX)[MF][ \t]+[a-z])|" + _AGE_WORD_LEAD +
                       r"(?=(?:\d{1,3}|XXXX)\s?(?:[MF]|yo ?[MF]?|y/o ?[MF]?|-?year-old|-?yr-old)\b)"
                       # "2 week old", "18 year old", "3-day old" (an infant's or a child's age in words), after
                       # a comma or a history word (not after a sentence: "... on her right hand. 77 years old")
                       r"|(?:[,;|]|" + _AGE_WORD_LEAD + r"(?=(?:\d{1,3}|XXXX)[ \t-](?:year|yr|month|week|wk|day)s?[ \t-]old\b)",
                       re.IGNORECASE)
# a dictation with no punctuation spoken ("ultrasound abdomen complete history right upper quadrant
# pain the liver is ..."): its first header word ends the title (not "history of", "findings are")
# (the periods of a dotted initialism, "c.t. abdomen ... with i.v. contrast history ...", are no punctuation)
_UNPUNCTUATED = re.compile(r"[,;:!?|()]|(?<![\s.][A-Za-z])(?<!^[A-Za-z])\.")
_SPOKEN_HEADER = re.compile(r"\s(?=(?:clinical\s+)?(?:history|indications?|technique|comparison|findings|"
                            r"impressions?)\s+(?!(?:of|is|was|are|were|to|with|and|or|in|on|for|from|as|at|by)\b))",
                            re.IGNORECASE)
# a period that ends a title's sentence on its line ("XR HUMERUS RT 2V -- AP/lat. Mildly ...") and a
# sentence in prose after it: four words or more, one of them in lower case
# (a period that closes a name's abbreviation ends no sentence: "St. Agnes Hospital", "Dr. Lee", "Mt. Sinai",
# the same lower-cased)
_NAME_ABBREV = r"(?<!\b(?i:st|mt|ft|dr|jr|sr))"
_TITLE_STOP = re.compile(_NAME_ABBREV + r"[.!?](?=\s+[A-Z])")
_PROSE_WORD = re.compile(r"\b[a-z]{4,}\b")  # (three or more before the period: a sentence in prose, no title)
_ANY_CASE_WORD = re.compile(r"\b[A-Za-z]{4,}\b")  # (the same in a text written all in one case)
_FIELD_LABEL = re.compile(r"\b[A-Za-z][A-Za-z /]{0,24}:")  # a field's label ("EXAM ENDED:"; not a clock's "15:22")
_RIS_DASH = re.compile(r"[ \t](?:--|\u2014)[ \t]")  # "VEN DUP RLE [VLVENR] ACC# 5502611 -- PER DR. ...": a row's cut
_RIS_KEY = re.compile(r"\[[A-Z0-9]{2,12}\]|\bACC(?:ESSION)?[ \t]*#")  # its procedure code or accession
# ... the same in a lower-cased export, where no letter case tells prose from a title: a word of a read before the
# dash is prose, and the row's procedure code or accession before it is needed whatever the line's length ("ct
# chest wo [ctchwo] -- 6 mo f/u ...": a title); before a row gap no word of a read ("mri c spine wo  hx neck pain")
_RIS_KEY_LOWER = re.compile(r"\[[a-z0-9]{2,12}\]|\bacc(?:ession)?[ \t]*#")
# a one-line row's fields set apart by a run of blanks: "MRI C SPINE WO  12/02/2026  HX neck pain radiating R
# arm ...", "MR KNEE RT WO  ACC 9920715  45F fell": the title ends at the gap before a date, an accession,
# a history word or the patient's age
_ROW_GAP = re.compile(r"[ \t]{2,}(?=\d{1,2}/\d{1,2}/\d{2,4}\b|acc(?:ession)?\b|hx\b|h/o\b|history\b|"
                      r"indications?\b|\d{1,3}[ \t]?(?:[MF]|yo|y/o)\b)", re.IGNORECASE)
# a line that is a sentence in prose ("Captopril was held: patient already on an ACE inhibitor."):
# a verb in lower case and three prose words
_PROSE_VERB = re.compile(r"\b(?:was|were|is|are)\b")
# a chargemaster's descriptor-style exam line past the title's length, the whole text on one line ("Magnetic
# resonance (eg, proton) imaging, fetal, including placental and maternal pelvic imaging when performed; each
# additional gestation ..."): no sentence end, no verb or word of a read, no complaint; all of it names the exam,
# its "for" and "in the setting of" clauses included (a read's paragraph on one line has its sentences and verbs;
# an order's reason, "... FOR LOW BACK PAIN RADIATING TO THE LEFT LEG", its complaint: neither is the exam)
_READ_WORD = re.compile(r"\b(?:was|were|is|are|has|have|had|shows?|showed|demonstrat\w*|reveal\w*|noted|seen|there|"
                        r"no|not|unremarkable|normal|impression|findings?|history|indications?|patient|year|years|"
                        r"old|yo|comparison|technique|pain|painful|headaches?|backache|fall|fell|trauma|injury|"
                        r"injuries|injured|concern|concerning|suspected|suspicion|rule out|r/o|hx|s/p|known|fever|"
                        r"numbness|weakness|swelling|tenderness|collision|mvc|mva|accident|symptoms?|complaints?)\b",
                        re.IGNORECASE)
# a line that cites an earlier study as its source ("GA 20w5d by first-trimester US.", "Gestational age by early
# ultrasound: 19w", "EDD per prior dating scan"): it names that study, not a second title of this one
_EARLIER_STUDY = re.compile(r"\b(?:by|per|on|from)[ \t]+(?:an?[ \t]+|the[ \t]+)?(?:early|first[ \t-]trimester|"
                            r"1st[ \t-]trimester|prior|previous|earlier|dating|outside|initial)[ \t]+"
                            r"(?:(?:ob|obstetric(?:al)?|pelvic|transvaginal|dating)[ \t]+)?"
                            r"(?:us|ultrasound|sonogram|sonography|scan|ct|mri?)\b", re.IGNORECASE)


# a facility's name in title case on the line under the title, before a field delimiter or the line end
# ("Northgate Breast & Bone Imaging | Hologic Horizon A", "Lakeside Spine Center"): the anatomy in it names
# no exam, the line is no second title
_FACILITY_LINE = re.compile(r"[ \t]*(?:[A-Z][a-z][\w'.-]*[ \t]+(?:&[ \t]+|and[ \t]+|of[ \t]+)?){1,5}"
                            r"(?:Imaging|Radiology|Hospital|Clinic|Health|Healthcare|Medical[ \t]+Center|Center|Centre|"
                            r"Associates|Institute)[ \t]*(?:$|\||--|,|\u2013|\u2014)", re.MULTILINE)


def _prose_sentence(line: str) -> bool:
    return bool(_PROSE_VERB.search(line)) and len(_PROSE_WORD.findall(line)) >= 3


def _described(line: str, one_case: bool = False) -> bool:
    """A header's line that describes a study in prose ("Transabdominal sonography of the pelvis.
    The endovaginal portion was declined."), not an exam name ("US PELVIS COMPLETE"). In a text written all
    in lower case or all in capitals (``one_case``), no letter case tells prose from a title:
    one sentence that reads as a title but for its period, with no word of a read ("exam: ct chest with
    contrast."), names the exam; any other line with three words of four letters or more is prose
    ("PROCEDURE: DUPLEX OF THE ABDOMINAL AORTA, BOTH MAIN RENAL ARTERIES ... WITH SPECTRAL DOPPLER.")."""
    if one_case:  # (not a lower-case line alone: "Performed: left upper extremity only per surgeon request.")
        if len(_FIELD_LABEL.findall(line)) >= 2 or title_like(line.strip().rstrip(".")) and not _READ_WORD.search(line):
            return False  # (a line of labelled fields, "EXAM BEGUN: 12/03/2026 15:22   EXAM ENDED: ...", is no prose)
        return not title_like(line) and len(_ANY_CASE_WORD.findall(line)) >= 3
    return not title_like(line) and len(_PROSE_WORD.findall(line)) >= 3


_FINDING_AFTER = re.compile(r"\s+(?=[^\n]*\b[a-z]{3,}\b)(?:[^\s\n]+[ \t]+){3,}[^\s\n]+")
# the same on a line written all in lower case (a lower-cased export): no capital marks the next
# sentence, so a period before a blank and a word ends the title's sentence (not one closing a
# one-letter abbreviation: "ct abd w. contrast"), and any four words after it are the findings
_LOWER_STOP = re.compile(r"(?<!\b[a-z])" + _NAME_ABBREV + r"[.!?](?=\s+[a-z]|,\s*[a-z])")
_LOWER_FINDING_AFTER = re.compile(r"\s+(?:[^\s\n]+[ \t]+){3,}[^\s\n]+")


def _sentence_end(text: str, a: int, b: int) -> re.Match[str] | None:
    """The first sentence end in ``text[a:b]``: in a span written all in lower case no capital marks the next
    sentence, and a period before a blank and a word ends one (``_LOWER_STOP``: "comparison ct abd/pel with iv
    contrast 03/2026. current exam performed without iv contrast ...": the comparison is its first sentence)."""
    # (the case read on the span's first characters: a search that stops at the first end does not pay a
    # whole line's check each time it is called on a long line)
    return (_LOWER_STOP if all_lower(text[a:min(b, a + CASE_PROBE)]) else _SENTENCE_END).search(text, a, b)


# a one-line transcription's read after its title and a colon ("XR KNEE LT 3V: SEVERE MEDIAL
# NARROWING ...", "xr shoulder rt 2v: ap and axillary views, humeral head ..."): the colon (not a
# clock's "08:41") ends the title when the words before it open with a modality word and a clause
# of four words or more follows, its end marked by a period, comma or semicolon
_TITLE_COLON = re.compile(r"(?<![\d\s]):,?[ \t]+")  # (a one-line export's comma after it: "XR KNEE LT 3V:, SEVERE ...")
# ... or the title's date (and time) before the colon ("XR SHOULDER LT 1V AP 12/03/26 2318: HUMERAL HEAD
# NOW LOCATED ...", "PANOREX 12/01/2026: ..."): a title line whatever its first word (the date may be
# blanks already, set aside as noise)
# (the year may be left out: "VQ 11/28: matched defects ...")
_TITLE_DATE_END = re.compile(r"(?:[ \t]\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?|[ \t]{4,})(?:[ \t]+\d{1,2}:?\d{2})?[ \t]*$")
_DATE_COLON = re.compile(r":,?[ \t]+")
DATED_READ_WORDS = 4
# (three words read atomically, the lookahead's group matched again: the words after them are the clause's;
# backtracking over every count of words took quadratic time on a long line without its end)
_COLON_READ = re.compile(r"(?=(?P<w>(?:[^\s\n]+[ \t]+){3}))(?P=w)[^\n]*?[.,;](?:[ \t]|$)")
# a title line that says it is the order: "XR ANKLE LT 3V ordered.", "XR SINUSES 3V ordered; Waters view only"
_ORDERED_TITLE = re.compile(r"(?P<o>[^\n.;:]{3,80}?)(?:[ \t]{1,3}(?:was[ \t]{1,3}|as[ \t]{1,3})?ordered[ \t]{0,3}[.;,]"
                            r"|[ \t]{0,3}(?:-{1,2}|\(|\[)[ \t]{0,3}(?:as[ \t]{1,3})?ordered[ \t]{0,3}[)\]]?[ \t]*(?=\n|$))",
                            re.IGNORECASE)
# ... and the exam performed after it on its line ("CT ABDOMEN W/O CONTRAST ordered; CT ABD/PELVIS performed")
_PERFORMED_TITLE = re.compile(r"[ \t]*(?P<p>[^\n.;:,]{3,80}?)[ \t]{1,3}(?:was[ \t]{1,3}|were[ \t]{1,3})?performed"
                              r"[ \t]*[.;,]?[ \t]*(?=\n|$)", re.IGNORECASE)
# where a narrative first sentence turns from the exam to the patient or the reason for it
# a narrative that opens with the patient, not the exam ("The patient is a 67-year-old ...",
# "A 45-year-old woman with ...", "This is a 3-month-old ...", "Mr. Jones ..."; a bare "MR" / "mr"
# without its period is the modality ("MR KNEE RT WO  ACC 9920715  45F fell skiing. ..."), no honorific)
_PATIENT_OPENING = re.compile(
    r"(?:the\s+)?patient\s+is\b|(?:this\s+is\s+)?an?\s+\d{1,3}[\s-]*(?:year|yr|month|week|day)s?[\s-]*old\b|"
    r"\d{1,3}[\s-]*(?:year|yr)s?[\s-]*old\b|(?:(?-i:Mr)\.?|mr\.|mrs\.?|ms\.?)\s+[A-Z]", re.IGNORECASE)
# (a purpose that is the study itself stays with the exam: "... hand was obtained for bone age assessment";
# a descriptor's own technique, "... COMPUTED TOMOGRAPHY (CT) FOR ATTENUATION CORRECTION AND ANATOMICAL
# LOCALIZATION; WHOLE BODY": the CT's part in the study, and the line's scope after it)
_NARRATIVE_TURN = re.compile(
    r"[ ,](?=(?:for|in (?:a|an|this|the setting of)|on (?:a|an|this)|because|due to|who|as (?:a|an|part)|"
    r"given|to (?:evaluate|assess|exclude|rule out|further)|with (?:a )?(?:history|known|suspected))\b)"
    r"(?!(?:for|to \w+)\s+(?:an?\s+|the\s+)?(?:bone|skeletal)\s+age\b)"
    r"(?!for\s+(?:attenuation\s+correction|anatomic(?:al)?\s+locali[sz]ation)\b)",
    re.IGNORECASE)
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
    """Linear time: the header itself starts the match (no leading ``[ \t]*`` that a run of
    blanks would make quadratic). The lookbehinds accept exactly the positions the old
    ``anchor[ \t]*header`` form did: a line start, one blank after a line start, two blanks,
    ". " / "; ", and after a comma, period or pipe with or without a blank (one-line exports join
    lines with "," or " | ": "...contrast.,TECHNIQUE:, ...", "ACC# 1234 | HX: ..."); a date and time
    after the header ("FINAL ADDENDUM 12/03/2026 07:52:") is part of it. The first lookahead
    (the headers' first letters) rejects most positions in one step."""
    return _header_pattern(tuple(sorted(headers, key=len, reverse=True)))


def _header_pattern(ordered: tuple[str, ...]) -> re.Pattern:
    """:func:`_header_regex` of the headers ``ordered`` (longest first), in this order."""
    # "technique/protocol" is also written "technique / protocol"
    alts = "|".join(re.escape(h).replace(r"\ ", r"[ \t]+").replace("/", r"[ \t]*/[ \t]*") for h in ordered)
    first = "".join(sorted({re.escape(h[:1]) for h in ordered if h}))
    return re.compile(
        (rf"(?=[{first}])" if first else "") +
        rf"(?:^|(?<=^[ \t])|(?<=[ \t]{{2}})|(?<=[.;,|][ \t])|(?<=[.;,|]))(?P<h>{alts})(?:[ \t]*#?\d{{1,2}}\)?)?"
        rf"(?:[ \t]*\([^)\n]{{0,40}}\))?(?:[ \t]+\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?:[ \t]+\d{{1,2}}:\d{{2}})?)?"
        rf"(?P<sep>[ \t]*[:：][ \t]*|[ \t]+-[ \t]+|[ \t]*$|[ \t]+(?=\S))",
        re.IGNORECASE | re.MULTILINE,
    )


_LITERAL_END = re.compile(r"[ /]")  # (where a header's literal opening ends in _header_regex: a blank, a slash)


def _patterns_by_word(headers: tuple[str, ...]) -> dict[str, re.Pattern] | None:
    """{a header's first word (:func:`_header_words`): :func:`_header_regex` of the headers that can match
    where that word starts}: those whose literal opening (up to a blank or a slash, which the pattern reads
    more loosely) starts with the word or opens it. Tried where the word is, one of them matches as the whole
    alternation does (the others cannot match there; the order is kept), without trying every header."""
    words = _header_words(headers)
    if words is None:
        return None
    ordered = tuple(sorted(headers, key=len, reverse=True))
    opening = {h: _LITERAL_END.split(h.lower(), 1)[0] for h in ordered}
    out: dict[str, re.Pattern] = {}
    made: dict[tuple[str, ...], re.Pattern] = {}
    for w in words:
        some = tuple(h for h in ordered if opening[h].startswith(w) or w.startswith(opening[h]))
        out[w] = made[some] if some in made else made.setdefault(some, _header_pattern(some))
    return out


@lru_cache(maxsize=8)
def _header_words(headers: tuple[str, ...]) -> dict[str, int] | None:
    """The first words of the headers (-> their length), or None when one is not ASCII (then a
    lower-cased text may not show every case-insensitive match)."""
    words = {h.split(" ", 1)[0].lower() for h in headers if h}
    if not words or not all(w.isascii() for w in words):
        return None
    # only where a match starts matters: a word that starts with another one ("findings",
    # "find") adds no start
    return {w: len(w) for w in words if not any(v != w and w.startswith(v) for v in words)}


_RUN_ON_GROUP = "sections.run_on"
_SPOKEN_GROUP = "sections.spoken"  # the spoken marks' words (normalize_dictation)


def literals(headers: tuple[str, ...]) -> dict:
    """This stage's word groups for a shared view (:mod:`suggester.textview`): the headers'
    first words, the words of a header run on after text (:data:`_RUN_ON_HEADER`) and the words of
    spoken punctuation (:data:`_MARK_WORDS`)."""
    out: dict = {_RUN_ON_GROUP: {w: w for w in ("findings", "impression", "indication", "comparison", "technique")},
                 _SPOKEN_GROUP: {w: w for w in _MARK_WORDS}}
    words = _header_words(headers)
    if words is not None:
        out["sections.headers", headers] = words
    return out


@lru_cache(maxsize=8)
def _own_literals(headers: tuple[str, ...]) -> Literals:
    return Literals(literals(headers))


def _header_starts(low: str, hits: list[tuple[int, int]]) -> list[int]:
    """Where a header match can start: a header's first word (``hits``: (start, length) from
    the view) at a line start, after one blank at a line start, after two blanks, or after
    ``[.;,|]`` and at most one blank (the regex's lookbehinds, which then decide)."""
    return sorted({i for i, _n in hits if _may_open_header(low, i)})


def _may_open_header(low: str, i: int) -> bool:
    """Whether a header can start at ``i`` (see :func:`_header_starts`)."""
    prev = low[i - 1] if i else "\n"
    return prev in "\n.;,|" or prev in " \t" and (i < 2 or low[i - 2] in "\n \t.;,|")


def _header_matches(known: _Headers, text: str, low: str, hits: list[tuple[int, int]]) -> Iterator[re.Match]:
    """``matches_at(known.rx, text, _header_starts(low, hits))``, each start tried with the pattern of the
    headers its word opens (``known.by_word``: the same match as the whole alternation's)."""
    by_word = known.by_word or {}
    pos = 0
    # (one word a start: no header word opens another, _header_words)
    for i, n in sorted(h for h in hits if _may_open_header(low, h[0])):
        if i < pos:
            continue
        m = by_word.get(low[i:i + n], known.rx).match(text, i)
        if m is not None:
            yield m
            pos = m.end()


_NON_SPACE = re.compile(r"\S")


class _LineStarts:
    """``first_on_line(pos)``: only whitespace between the start of pos's line and pos. Linear
    over increasing positions (each character is scanned once, not once per header of a long
    line)."""

    def __init__(self, text: str) -> None:
        self.text, self.scanned, self.line = text, 0, 0
        self.first: int | None = None  # where the current line's first non-space is, once looked up

    def first_on_line(self, pos: int) -> bool:
        nl = self.text.rfind("\n", self.scanned, pos)
        self.scanned = max(self.scanned, pos)
        if nl != -1:
            self.line, self.first = nl + 1, None
        if self.first is None:  # the header at pos is on this line, so the scan stops by pos
            m = _NON_SPACE.search(self.text, self.line)
            self.first = m.start() if m else len(self.text)
        return self.first >= pos


_SPOKEN_WORDS = ("period", "comma", "colon", "semicolon", "new paragraph", "next paragraph", "new line", "next line")
_SPOKEN_WORDS_BUT_COLON = tuple(w for w in _SPOKEN_WORDS if w != "colon")
_DICTATED = re.compile(
    rf"(?<=\w)(?P<sp>\s+)(?P<w>{'|'.join(_SPOKEN_WORDS)})(?=\s|$)(?!\s+of\b)", re.IGNORECASE)
_PUNCT = {"period": ".", "comma": ",", "colon": ":", "semicolon": ";", "new paragraph": "\n",
          "next paragraph": "\n", "new line": "\n", "next line": "\n"}
# a spoken "colon" is the mark after a header label of the sections lexicon ("study colon ct chest",
# "views colon pa and lateral"), the organ anywhere else ("the colon is normal"); not after the
# contrast section's labels, which also name a barium study ("double contrast colon")
_SPOKEN_LABEL = re.compile(r"[a-z]+(?: [a-z]+)*")
_NOT_SPOKEN_SECTIONS = frozenset({"contrast"})
_MARK_WORDS = ("period", "comma", "colon")
_SPOKEN_MARK = re.compile(rf"\b({'|'.join(_MARK_WORDS)})\b", re.IGNORECASE)
_LAST_NORMALIZED: list = [None]  # the last result: split_sections gets it back from extract


@lru_cache(maxsize=8)
def _spoken_labels(headers: tuple[tuple[str, str], ...] | None) -> tuple[tuple[str, ...], re.Pattern]:
    """The header labels a spoken "colon" may follow (longest first) and the pattern of one: the
    label, the blanks and the word; the blank before the label is part of the match, so a label
    run on after a word ("... three views clinical history colon fall") can open its line."""
    if headers is None:
        from .lexicon import default_lexicon  # (the default lexicon's headers)

        headers = tuple(default_lexicon().sections.items())
    labels = tuple(sorted({h for h, name in headers if _SPOKEN_LABEL.fullmatch(h) and name not in _NOT_SPOKEN_SECTIONS},
                          key=lambda h: (-len(h), h)))
    rx = re.compile(rf"(?P<b>[ \t](?=\w))?\b(?P<h>{'|'.join(map(re.escape, labels))})(?P<c>[ \t]+colon)\b", re.IGNORECASE)
    return labels, rx


def _labels_of(headers: Mapping[str, str] | None) -> tuple[tuple[str, ...], re.Pattern]:
    """``_spoken_labels`` of a sections lexicon (the default lexicon's when None)."""
    return _spoken_labels(None) if headers is None else _of_headers(headers).spoken


class _Headers:
    """What the patterns of this stage make of one sections lexicon (header -> section)."""

    __slots__ = ("by_word", "canonical", "group", "heads", "own", "rx", "spoken")

    def __init__(self, headers: Mapping[str, str]):
        self.heads = tuple(headers)
        self.rx = _header_regex(self.heads)
        self.by_word = _patterns_by_word(self.heads)
        # the headers written as _header_name reads a matched header (one blank between words, none around
        # a slash): a matched header that is one in lower case is read without rewriting it
        self.canonical = {h: name for h, name in headers.items() if _canonical(h) == h}
        self.own = _own_literals(self.heads)
        self.group = ("sections.headers", self.heads)  # (see literals)
        self.spoken = _spoken_labels(tuple(headers.items()))


_HEADERS_OF: dict[int, tuple[Mapping[str, str], int, _Headers]] = {}


def _of_headers(headers: Mapping[str, str]) -> _Headers:
    """:class:`_Headers` of a sections lexicon, looked up by the mapping itself (the same object
    and size: a lexicon's headers are built once), not by tuples of its headers and items, which
    cost building them and hashing every header and pair on each of three calls a report."""
    got = _HEADERS_OF.get(id(headers))
    if got is not None and got[0] is headers and got[1] == len(headers):
        return got[2]
    out = _Headers(headers)
    if len(_HEADERS_OF) >= 8:
        _HEADERS_OF.clear()
    _HEADERS_OF[id(headers)] = (headers, len(headers), out)
    return out


_COLON_WORD = re.compile(r"colon", re.IGNORECASE)
def _label_colons(text: str, label_colon: re.Pattern, longest: int) -> str:
    """``label_colon.sub(_header_colon, text)``, the pattern tried only just before each "colon"
    (a match ends with one: the label, its blanks, the word), not at every position of the text
    (a 1 MB report took a second with the whole-text substitution)."""
    out, last = [], 0
    for m in _COLON_WORD.finditer(text):
        j = m.start()
        while j > last and text[j - 1] in " \t":
            j -= 1
        lo = max(last, j - longest - 1)
        found = label_colon.search(text, lo, min(len(text), m.end() + 1))
        if found is not None and found.end() <= m.end() + 1:
            out += [text[last:found.start()], _header_colon(found)]
            last = found.end()
    return "".join(out) + text[last:] if out else text


_TAIL = 3  # the labels a text may end with are looked up by its last characters (at most this many)


@lru_cache(maxsize=8)
def _labels_by_tail(labels: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """{the last ``_TAIL`` characters of a label (all of a shorter one): the labels ending so},
    longest first: a position is tried against the few labels its own last characters allow, not
    against every label (a text of 165,000 spoken "colon"s took 6 CPU s with the whole list)."""
    out: dict[str, list[str]] = {}
    for w in labels:
        out.setdefault(w[-_TAIL:], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def normalize_dictation(text: str, low: str | None = None, headers: Mapping[str, str] | None = None,
                        marks: list[tuple[int, str]] | None = None) -> str:
    """Speech-recognition reports spell punctuation out ("history colon ... period"). Turn the
    words into the marks, padding with spaces so every character offset stays the same.
    ``low``: ``text`` lower-cased, when the caller has it (a shared view's); ``headers``: the
    sections lexicon (header -> section; the default lexicon's when None); ``marks``: where the words of
    :data:`_MARK_WORDS` are in ``low`` ((start, word): a shared view's hits of them), when known."""
    if text is _LAST_NORMALIZED[0]:
        return text  # already normalized (the result is a fixed point)
    out = _normalized(text, low if low is not None else folded(text), headers, marks if low is not None else None)
    if out is not text:
        _LAST_NORMALIZED[0] = out
    return out


def spoken_marks(view: TextView) -> list[tuple[int, str]] | None:
    """:func:`normalize_dictation`'s ``marks`` from the shared view of its text: where the words of spoken
    punctuation are in its folded copy (None when the view holds no folded copy or not this stage's words)."""
    return view.hits(_SPOKEN_GROUP)


def _normalized(text: str, low: str | None, headers: Mapping[str, str] | None = None,
                marks: list[tuple[int, str]] | None = None) -> str:
    """With ``low`` (the lower-cased copy of an ASCII text) the patterns are tried only where a
    match can start; with None they run over the whole text (the reference the other is tested
    against). ``marks``: see :func:`normalize_dictation`."""
    labels, label_colon = _labels_of(headers)
    if low is None:
        if not _SPOKEN_MARK.search(text):
            return text
        return _label_colons(_DICTATED.sub(_mark, text), label_colon, len(labels[0]) if labels else 0)
    if not _has_spoken_mark(low, marks):
        return text
    # a spoken "colon" is left as it is by ``_mark`` (and no other word starts with it): its
    # blanks are not tried here, only below, against the labels
    marked = _substituted(_DICTATED, text, _after_word(low, _SPOKEN_WORDS_BUT_COLON), _mark)
    if marked is not text:
        text, low = marked, marked.lower()
    starts: set[int] = set()
    by_tail = _labels_by_tail(labels)
    ending: dict[str, tuple[str, ...]] = {}  # the labels a position's last ``_TAIL`` characters allow
    for j in _after_word(low, ("colon",)):
        if j < _TAIL:
            near = tuple(w for n in range(1, j + 1) for w in by_tail.get(low[j - n:j], ()))
        else:
            tail = low[j - _TAIL:j]
            near = ending.get(tail)  # type: ignore[assignment]
            if near is None:
                near = ending[tail] = tuple(w for n in range(1, _TAIL + 1) for w in by_tail.get(tail[-n:], ()))
        for w in near:
            if len(w) <= _TAIL or low.endswith(w, 0, j):
                starts.update((j - len(w) - 1, j - len(w)) if j > len(w) else (j - len(w),))
    return _substituted(label_colon, text, sorted(starts), _header_colon)


# "a new line in the right IJ", "with the next line": a catheter or a line of text, no spoken break
_LINE_WORDS = frozenset({"new paragraph", "next paragraph", "new line", "next line"})
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|one|this|that|another|any|no|with|each|every)$", re.IGNORECASE)


def _mark(m: re.Match) -> str:
    word = " ".join(fold_word(m.group("w")).split())
    if word == "colon":
        return m.group(0)  # decided below: "colon" is also an organ
    if word in _LINE_WORDS and _DETERMINER_BEFORE.search(m.string, max(0, m.start() - 8), m.start()):
        return m.group(0)
    return _PUNCT[word] + " " * (len(m.group(0)) - 1)


# "colon" before the words of a contrast enema is the organ even after a header label: a charge
# line's "RADIOLOGIC EXAM COLON DOUBLE CONTRAST STUDY", "RAD EXAM COLON AIR CONTRAST"
# (an exam label only: after a section's label, "technique colon barium swallow" and "findings colon barium
# passes" are the ':' of the header)
_ORGAN_AFTER = re.compile(r"[ \t]+(?:(?:single|double|dual|air)(?:[ \t]+|-)contrast|barium|enema)\b", re.IGNORECASE)
_EXAM_LABEL = re.compile(r"(?:\bexam(?:ination)?|\bstudy|\bprocedure)s?", re.IGNORECASE)


def _header_colon(m: re.Match) -> str:
    if _ORGAN_AFTER.match(m.string, m.end()) and _EXAM_LABEL.fullmatch(m.group("h").split()[-1]):
        return m.group(0)
    b = m.group("b") or ""
    if b and m.start() and _is_word(m.string[m.start() - 1]):
        b = "\n"  # a label run on after a word opens its own line
    return b + m.group("h") + ":" + " " * (len(m.group("c")) - 1)


# On ASCII text the patterns above run only where a match can start, found with ``str.find`` in
# the lower-cased copy (``matches_at``: the matches ``sub`` finds, without running the patterns
# over the whole report). ``_DICTATED`` matches start where the blanks before a spoken word start,
# after a word character; the spoken labels' ones a label's length (and its blank) before the blanks
# before "colon".


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _has_spoken_mark(low: str, found: list[tuple[int, str]] | None = None) -> bool:
    """``_SPOKEN_MARK.search`` on lower-cased ASCII text; ``found``: where the words are in it
    ((start, word)), when known."""
    at = found if found is not None else ((k, w) for w in _MARK_WORDS for k in _occurrences(low, w))
    for k, w in at:
        e = k + len(w)
        if (not k or not _is_word(low[k - 1])) and (e == len(low) or not _is_word(low[e])):
            return True
    return False


@lru_cache(maxsize=8)
def _word_patterns(words: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """The words (after a blank), and the blank runs after a word character before them."""
    alt = "|".join(map(re.escape, words))
    return re.compile(rf"(?<=\s)(?:{alt})"), re.compile(rf"(?<=\w)\s+(?={alt})")


_MANY_WORDS = 2_000  # more occurrences than this: the blank runs are found by one pattern, in C


def _after_word(low: str, words: tuple[str, ...]) -> list[int]:
    """The starts of the blank runs that follow a word character and precede one of ``words``
    in ``low`` (``folded`` text; ``words`` in lower case), ascending. The words are found first
    (a literal search); a few are followed back over their blanks in Python, many (a hostile
    text of spoken "colon"s) by a pattern that tries every position."""
    found, blanks = _word_patterns(words)
    hits = [m.start() for m in found.finditer(low)]
    if len(hits) > _MANY_WORDS:
        return [m.start() for m in blanks.finditer(low)]
    out = []
    for k in hits:
        j = k
        while j and low[j - 1].isspace():
            j -= 1
        if j and _is_word(low[j - 1]):
            out.append(j)
    return out


def _substituted(rx: re.Pattern, text: str, starts: list[int], repl) -> str:
    """``rx.sub(repl, text)`` when every match starts at one of ``starts`` (ascending)."""
    out, at = [], 0
    for m in matches_at(rx, text, starts):
        out.append(text[at:m.start()])
        out.append(repl(m))
        at = m.end()
    if not out:
        return text
    out.append(text[at:])
    return "".join(out)


_SLASH = re.compile(r"[ \t]*/[ \t]*")


def _canonical(h: str) -> str:
    """A header as :func:`_header_name` looks it up (before casefolding)."""
    return " ".join(_SLASH.sub("/", h).lower().split())


def _header_name(headers: Mapping[str, str], h: str) -> str | None:
    """The section of a matched header. IGNORECASE also matches "ſ" (long s) for "s" and the
    Kelvin sign for "k", which ``lower()`` keeps: casefold them, and skip what still fails."""
    name = _of_headers(headers).canonical.get(h.lower())
    if name is not None:  # (written as it is looked up: see _Headers.canonical)
        return name
    h = _SLASH.sub("/", h)  # "TECHNIQUE / PROTOCOL" is the header "technique/protocol"
    key = " ".join(h.lower().split())
    if key not in headers:
        key = " ".join(h.casefold().split())
    return headers.get(key)


# dictated headers (no colon) that open a section inside a one-line export when they follow a
# comma or a sentence end: ", history 45 year old ...", ". findings the lungs ..."; not prose
# (", history of smoking", ", comparison is made with ...", ", technique was limited")
BARE_INLINE = frozenset({"history", "clinical history", "indication", "indications", "technique", "comparison",
                         "findings", "impression", "impressions"})
_PROSE_NEXT = re.compile(r"(?:of|is|was|are|were|to|with|and|or|in|on|for|from|as|at|by|but|that|which)\b",
                         re.IGNORECASE)
BARE_LINE_MIN = 240  # the line must be this long (a report on one line)
_SPOKEN_PAD = 4  # blanks after a mark that a spoken "period" / "comma" left (normalize_dictation)


def _inline_bare_header(text: str, m: re.Match) -> bool:
    start = m.start("h")
    if " ".join(m.group("h").lower().split()) not in BARE_INLINE or _PROSE_NEXT.match(text, m.end()):
        return False
    lo = text.rfind("\n", 0, start) + 1
    # (the last mark before it: a spoken "period" is a period padded to the word's length)
    j = start
    while j > max(lo, start - 16) and text[j - 1] in " \t":
        j -= 1  # (a bounded look back: a line may be a megabyte of blanks)
    if j <= lo or text[j - 1] not in ",.;":
        return False
    if start - j >= _SPOKEN_PAD:
        return True  # "... sunrise period history 68 year old ...": a dictation that speaks its punctuation
    hi = text.find("\n", start)
    return (len(text) if hi == -1 else hi) - lo >= BARE_LINE_MIN


# an exam's own subheading before a dictated findings word in a run-on report that reads several exams
# (". ct head findings small focus of ...", ". cta neck findings the aortic arch ..."): one to three words
# after a sentence end, the first a modality word; the subheading opens the findings section
# (linear: a match starts only at a period or semicolon, which no word of it holds)
_SUBHEAD = re.compile(r"[.;][ \t]+(?P<l>[A-Za-z][\w/-]*(?:[ \t]+[A-Za-z][\w/-]*){0,2})[ \t]"
                      r"(?P<h>findings|impression)(?P<sep>[ \t]+)(?=\S)", re.IGNORECASE)


def _subhead_starts(low: str, found: list[tuple[int, str]] | None = None) -> list[int]:
    """Where a ``_SUBHEAD`` match can start in ``low`` (``folded(text)``): between its period or
    semicolon and its findings word a match holds only word characters, slashes, dashes and blanks,
    so it starts at the last period or semicolon before a findings or impression word that follows
    a blank (each stretch of the text searched once: linear). ``found``: where the words of
    :data:`_RUN_ON_GROUP` are in ``low`` ((start, word), from a view), if known."""
    spots = ((i for i, w in found if w in _SUBHEAD_WORDS) if found is not None else
             (i for w in _SUBHEAD_WORDS for i in _occurrences(low, w)))
    words = sorted(i for i in spots if i and low[i - 1] in " \t")
    out: list[int] = []
    last, at = -1, 0
    for i in words:
        last = max(last, low.rfind(".", at, i), low.rfind(";", at, i))
        at = i
        if last != -1 and (not out or out[-1] != last):
            out.append(last)
    return out


_SUBHEAD_WORDS = ("findings", "impression")  # (_SUBHEAD's header words)


def _occurrences(low: str, word: str) -> Iterator[int]:
    i = low.find(word)
    while i != -1:
        yield i
        i = low.find(word, i + 1)


def _exam_subheads(text: str, headers: Mapping[str, str], openers: frozenset[str],
                   low: str | None = None, words: list[tuple[int, str]] | None = None) -> list[tuple[int, int, str, str]]:
    """The exams' subheadings before a bare findings or impression word inside a long run-on line
    ("... no contrast was given. ct head findings small focus ..."), as header hits; ``low``:
    ``folded(text)`` when the caller holds it (only the positions :func:`_subhead_starts` finds are
    tried), else the whole text is searched; ``words``: the view's hits of :data:`_RUN_ON_GROUP` in ``low``."""
    out: list[tuple[int, int, str, str]] = []
    if not openers:
        return out
    found = _SUBHEAD.finditer(text) if low is None else matches_at(_SUBHEAD, text, _subhead_starts(low, words))
    hi = -1  # the end of the line of the last match (a match holds no line break; each line is scanned once)
    for m in islice(found, MAX_HEADER_CANDIDATES):
        if m.group("l").split()[0].lower() not in openers or _PROSE_NEXT.match(text, m.end()):
            continue
        if m.start() > hi:
            lo = text.rfind("\n", max(hi, 0), m.start()) + 1
            hi = text.find("\n", m.end())
            hi = len(text) if hi == -1 else hi
        name = _header_name(headers, m.group("h"))
        if name is not None and hi - lo >= BARE_LINE_MIN:
            out.append((m.start("l"), m.end(), name, m.group("h")))
    return out


DICTATED_LINES_MIN = 3  # distinct sections opened by a bare header word at a line start

# header abbreviations that are also exam-title words: in capitals before text they name the exam
# ("COMP ACUTE ABD" is a complete acute abdomen series), so they open a section only with a
# colon or a dash, or alone on their line ("COMP: none")
TITLE_WORD_HEADERS = frozenset({"comp"})
# ... and "CONTRAST" before the name of a contrast study ("CONTRAST ENEMA - WATER SOLUBLE", "CONTRAST
# ESOPHAGRAM"): the exam title, not the contrast section's label
_CONTRAST_EXAM_AFTER = re.compile(r"[ \t]+(?:enemas?|esophagram|oesophagram|swallow|pharyngogram|upper[ \t]+gi|ugi|"
                                  r"loopogram|colostogram|study|small[ \t]+bowel)\b", re.IGNORECASE)


def _line_bare_header(text: str, m: re.Match) -> bool:
    """A lower-case header word of :data:`BARE_INLINE` opening a line with text after it that
    is not prose about it ("history stepped on a nail", not "history of smoking")."""
    h = m.group("h")
    return h.islower() and " ".join(h.split()) in BARE_INLINE and not _PROSE_NEXT.match(text, m.end()) \
        and m.end() < len(text) and text[m.end()] not in "\r\n"


def _patient_opening(pre: str, openers: frozenset[str] = frozenset()) -> tuple[int, int] | None:
    """(start, end) of a header-less narrative's first sentence when it is about the patient
    rather than the exam (a paragraph longer than a title whose body follows). The sentence
    stops at an exam name in capitals after a comma ("Patient is 80 yo with fall, XR PELVIS AP
    and right hip 2 views (AP, cross table lateral). ...": the exam opens the body); ``openers``:
    the one-word modality names."""
    offset = len(pre) - len(pre.lstrip())
    nl = pre.find("\n", offset)
    line_end = nl if nl != -1 else len(pre)
    if line_end - offset <= TITLE_MAX or not _PATIENT_OPENING.match(pre, offset):
        return None
    stop = _sentence_end(pre, offset, line_end)
    if stop is None or not pre[stop.end():].strip():
        return None
    for m in _EXAM_AFTER_COMMA.finditer(pre, offset, stop.start()):
        if m.group("m").lower() in openers:
            return offset, m.start() + 1
    return offset, stop.end()


# an exam name in capitals after a comma of a patient sentence: ", XR PELVIS", ", CT HEAD WO"
_EXAM_AFTER_COMMA = re.compile(r",[ \t]+(?=(?P<m>[A-Z][A-Za-z]{1,4})[ \t]+[A-Z]{3,}\b)")


# a one-line export's join of two lines: a sentence end, then a comma ("contrast., Both kidneys")
_EXPORT_JOIN = re.compile(r"\.[ \t]*,")
_EXPORT_COMMA = re.compile(r"[ \t]*,")  # "HISTORY: , Cough.,": a transcription corpus export's header
# a one-line export's next line that opens with a label of its own, its colon followed by the
# export's comma (", ORDERING PROVIDER:, ...", ", IND:, ...", ", DATE OF SERVICE:, ..."): what
# the label holds is not the exam name before it, even when the label is no header we know
_EXPORT_LABEL = re.compile(r",[ \t]*(?=[A-Za-z][A-Za-z /&#()-]{0,30}:[ \t]*,)")


def _one_line_cut(text: str, cs: int, line_end: int, name: str,
                  openers: frozenset[str] = frozenset()) -> tuple[int, str] | None:
    """Where a one-line section's content stops on a line that goes on, and what the rest of the
    line is: an exam name stops at the patient's age and sex ("CTA CHEST, 54M, dyspnea" -> the rest
    is history), at an export's own label or at the title's own colon (the rest is report body);
    an order line stops at the title's own colon too; a history, comparison or allergy line of a
    one-line export stops at the first line join (the rest is report body). None: the section keeps
    the whole line."""
    if name in ("exam", "ordered"):
        return _title_cut(text, cs, line_end, name, openers)
    if name not in ONE_LINE:
        return None
    if name == "history":
        # "Hx: low back pain after a fall. AP, inlet and outlet views of the pelvis. No fracture.": the
        # views a one-line read states after its history open the report body (in a one-line export,
        # after the comma that joins the history's line to the next: "HX:, fell on ice, AP, Grashey
        # and axillary views of the left shoulder.")
        views = _VIEWS_AFTER_EXPORT_HISTORY.search(text, cs, min(line_end, cs + EXPORT_HISTORY_REACH)) \
            if _EXPORT_COMMA.match(text, cs) else None
        views = views or _VIEWS_AFTER_HISTORY.search(text, cs, line_end)
        if views is not None and text[cs:views.start()].strip(" \t,.;:"):
            return views.end(), "body"
    if line_end - text.rfind("\n", 0, cs) <= BARE_LINE_MIN and not _EXPORT_COMMA.match(text, cs):
        # a short line is one section, unless its header carries the export's comma
        # ("CLINICAL HISTORY: , Cough.,PA and lateral views of the chest.,FINDINGS: , ...")
        return None
    join = _EXPORT_JOIN.search(text, cs, line_end)
    if name == "comparison" and join is None:
        # "COMPARISON CT ABD/PEL WITH IV CONTRAST 03/2026. CURRENT EXAM PERFORMED WITHOUT IV CONTRAST ...": a
        # one-line export's comparison is its first sentence; what follows is the read of this exam
        join = _sentence_end(text, cs, line_end)
    if join is None or not text[cs:join.start()].strip(" \t,.;:") or not text[join.end():line_end].strip():
        return None
    return join.end(), "body"


def _title_cut(text: str, cs: int, line_end: int, name: str, openers: frozenset[str]) -> tuple[int, str] | None:
    """:func:`_one_line_cut` of an exam or order line: at the patient's age and sex (an exam's; the
    rest is history), at a one-line export's own label (an exam's), or at the title's own colon
    before its read ("PERFORMED: XR ELBOW RT 2V 11/02/26 0140: RADIAL HEAD FRACTURE, ...", "EXAM:
    ANKLE (AP, MORTISE & LAT) LEFT: ..."; the rest of those is report body)."""
    title = cs + len(text[cs:line_end]) - len(text[cs:line_end].lstrip(" \t,"))
    colon = _colon_title_end(text, title, line_end, openers) if title < line_end else None
    if colon is not None and _sentence_end(text, title, colon):
        colon = None  # "ORDER: US OB DETAILED ANATOMY (MFM). Note: a standard exam was performed": a note's label
    cuts = [(colon, "body")] if colon is not None and text[title:colon].strip() else []
    if name == "ordered" and _EXPORT_COMMA.match(text, cs):
        performed = _performed_after_order(text, title, line_end)
        cuts += [(performed, "exam")] if performed is not None else []
    if name == "exam":
        lead = _AGE_LEAD.search(text, cs, line_end)
        label = _EXPORT_LABEL.search(text, cs, line_end) if _EXPORT_COMMA.match(text, cs) else None
        if label and len(text[cs:label.start()].strip()) > TITLE_MAX:
            label = None  # "PROCEDURE:, After consent and sterile preparation, ...": a description
        cuts += [(m.start(), rest) for m, rest in ((lead, "history"), (label, "body"))
                 if m and text[cs:m.start()].strip(" \t,.;:")]
    if not cuts and title < line_end and line_end - title <= TITLE_MAX:
        # "PERFORMED: CT CHEST WO [CTCHWO] -- 6 mo f/u RLL nodule", "ORDERED: MRI RT FOOT WO | ACC ... |
        # DIABETIC, ULCER": a header's exam name is cut where an unlabelled title line is (a RIS row's
        # dash, a blank run before a date, a pipe before the read; not at a period)
        seg = text[title:line_end]
        end, narrative = _title_line_end(seg, 0, openers, seg, header=True)
        if narrative and 0 < end < len(seg) and _LETTERS.search(seg, end) and _LETTERS.search(seg, 0, end):
            cuts.append((title + end, "body"))
    return min(cuts, default=None)


def _performed_after_order(text: str, title: int, line_end: int) -> int | None:
    """A one-line export's order line joined with ", " to the title of the exam performed under it
    ("ORDER:, MRI LUMBAR SPINE WITH AND WITHOUT CONTRAST, MRI LUMBAR SPINE"): the comma before a second
    exam name that restates part of the order (the same first word, fewer of the order's words and no
    other), where the exam performed begins; not a list of exams ordered ("CT HEAD WO, CT C-SPINE WO")."""
    if line_end - title > 2 * TITLE_MAX:
        return None
    line = text[title:line_end]
    for i in (i for i, ch in enumerate(line) if ch == ","):
        order, performed = _title_words(line[:i]), _title_words(line[i + 1:])
        if performed and order and performed[0] == order[0] and set(performed) < set(order) \
                and title_like(line[:i]) and title_like(line[i + 1:]):
            return title + i
    return None


# a sentence after a one-line history that states the views taken ("AP, inlet and outlet views of the
# pelvis", "Two views of the left wrist were obtained", "unable to stand, single AP view only obtained"),
# not ones asked for or taken before (in the sentence's next 400 characters: a bound, so that a long line
# without a sentence end is not scanned again at every comma)
_VIEWS_OPENING = (r"(?:AP|PA|frontal|single|one|two|three|four|five|\d)\b[^.;\n]{0,60}?\bviews?\b|"
                  # ... or a list of projections ("AP lateral and oblique right foot", "AP, obl and lat L foot")
                  r"(?:AP|PA)[ \t]*[,/&]?[ \t]*(?:and[ \t]+)?(?:lat|lateral|obl|oblique|mortise)\b")
_VIEWS_STATED = r"[^.;\n]{0,60}?\bviews?\s+(?:only\s+)?(?:of|were|was|obtained|performed|taken|acquired)\b"
_NOT_ASKED = r"(?![^.;\n]{0,400}?\b(?:request\w*|order\w*|prior|previous|compar\w*)\b)"
_VIEWS_AFTER_HISTORY = re.compile(rf"[.;][ \t]+(?=(?:{_VIEWS_OPENING}|{_VIEWS_STATED}){_NOT_ASKED})", re.IGNORECASE)
# ... in a one-line export, after the comma that joined the history's line to the next as well, when
# the next line opens with the views ("HX:, fell on ice, AP, Grashey and axillary views of ..."), within
# the history's first characters (a history's line is short; a long line is not searched at every comma)
EXPORT_HISTORY_REACH = 400
_VIEWS_AFTER_EXPORT_HISTORY = re.compile(
    rf"[.;][ \t]+(?=(?:{_VIEWS_OPENING}|{_VIEWS_STATED}){_NOT_ASKED})|,[ \t]*(?=(?:{_VIEWS_OPENING}){_NOT_ASKED})",
    re.IGNORECASE)
_LIST_ITEM = re.compile(r"[ \t]*(?:\d{1,2}|[A-Ha-h])[.)][ \t]+\S")


def _list_end(text: str, nl: int, end: int) -> int:
    """The end of a numbered list whose first item ends at ``nl``: the list goes on while the
    next line is an item ("2. CT HEAD", "B) MRI LUMBAR SPINE")."""
    while nl < end:
        nxt = text.find("\n", nl + 1, end)
        nxt = end if nxt == -1 else nxt
        if not _LIST_ITEM.match(text, nl + 1):
            return nl
        nl = nxt
    return end


# a line labelled with a side alone ("RT: CCA 60/16 ...", "LEFT: ICA 110/30"): one row of a per-side list
_SIDE_LABEL = re.compile(r"[ \t]*(?:RIGHT|LEFT|RT|LT|R|L)[ \t]*:", re.IGNORECASE)


# a labelled line under the technique that states how one exam of several was acquired ("CHEST RADIOGRAPH: PA
# AND LATERAL VIEWS.", "CT CHEST: Helical CT of the chest was performed without IV contrast."): more of the
# technique, not findings under a label of their own (in capitals too, where no case tells them apart)
_ACQUISITION = re.compile(r"[ \t]*[A-Za-z][\w /&()-]{0,30}:[^\n]*?\b(?:performed|obtained|acquired|helical|"
                          r"(?:axial|sagittal|coronal)[ \t]+(?:images|sections|sequences)|views)\b", re.IGNORECASE)


def _acquisition_line(text: str, at: int, end: int) -> bool:
    nl = text.find("\n", at, end)
    return _ACQUISITION.match(text, at, end if nl == -1 else nl) is not None


def _technique_gap(text: str, cs: int, end: int) -> re.Match | None:
    """Where the technique's own paragraph ends (see ``_PARAGRAPH_GAP``), not inside a per-side
    list the technique opened ("velocities (PSV/EDV):\nRT: CCA 60/16 ...\nLT: CCA 58/14 ...": the
    left row is as much the technique as the right one)."""
    first_row: int | None = None  # the line break before the technique's first per-side row (end: none)
    for gap in _PARAGRAPH_GAP.finditer(text, cs, end):
        if gap.group().count("\n") < 2 and _acquisition_line(text, gap.end(), end):
            continue  # "... LATERAL VIEWS.\nCT CHEST: HELICAL CT ... WITHOUT CONTRAST.": one exam's technique
        if _SIDE_LABEL.match(text, gap.end()) is None:
            return gap
        if first_row is None:  # (found once: per gap, the lines before it were read again and again)
            first_row = next((i for i in _newlines(text, cs, end) if _SIDE_LABEL.match(text, i + 1)), end)
        if first_row >= gap.start():
            return gap
    return None


def _newlines(text: str, start: int, end: int) -> list[int]:
    out, i = [], text.find("\n", start, end)
    while i != -1:
        out.append(i)
        i = text.find("\n", i + 1, end)
    return out


_RUN_ON_HEADER = re.compile(r"(?<=[A-Za-z0-9)][ \t])(?P<h>Findings|FINDINGS|Impression|IMPRESSION|Indication|INDICATION|"
                            r"Comparison|COMPARISON|Technique|TECHNIQUE)(?P<sep>[ \t]*:[ \t]*)")
_WORD_BEFORE = re.compile(r"(\w+)[ \t]+$")
# ... and in a report written all in lower case (a lower-cased export), where no capital marks them
_RUN_ON_HEADER_LOWER = re.compile(r"(?<=[a-z0-9)][ \t])(?P<h>findings|impression|indication|comparison|technique)"
                                  r"(?P<sep>[ \t]*:[ \t]*)")


# header words a report's section scan examines: every labelled report holds fewer than 100, and
# only the first MAX_SECTIONS (400) sections are read (extraction.bounded_sections); a 1 MB line of
# header words ("EXAM  EXAM  ...", 166,000 of them) is read up to here and the rest stays in the last
# section (which extraction.bounded_sections cuts to MAX_SECTION_CHARS when it runs longer: the report
# then goes to review as read in part)
MAX_HEADER_CANDIDATES = 2_000


# words of a sentence in prose, never of an exam name: a capitalised exam header word ("EXAM", "STUDY")
# that opens a line of them is a wrapped sentence's first word ("... PER CONSENSUS GUIDELINES.\nEXAM
# OTHERWISE LIMITED ONLY BY MILD PATIENT MOTION, WHICH DOES NOT AFFECT ..."), no header
_PROSE_LINE = re.compile(r"\b(?:which|does|is|was|were|by|that|otherwise)\b", re.IGNORECASE)


PROSE_LINE_WINDOW = 200  # characters after a header word read for prose (a wrapped line; bounded: a 1 MB
# line of header words is otherwise read to its end once per header word)


def _prose_line_after(text: str, pos: int) -> bool:
    end = min(len(text), pos + PROSE_LINE_WINDOW)
    nl = text.find("\n", pos, end)
    return bool(_PROSE_LINE.search(text, pos, end if nl == -1 else nl))


# the title in capitals that opens a one-line export, its modality's name first, no punctuation in it
# ("MRI LT ELBOW WO", after an exam label's colon or not): an impression or findings header run on after its
# last word (one blank, no period) starts the read, as it does after two blanks or a period
_RUN_ON_TITLE = re.compile(r"[ \t]*(?P<m>[A-Z][A-Z0-9/-]*)(?:[ \t]+[A-Z0-9][A-Z0-9/&+-]*){1,11}[ \t]")
_RUN_ON_TITLE_HEADERS = frozenset({"findings", "impression"})


def _title_runs_on(text: str, at: int, header: str, openers: frozenset[str],
                   hits: list[tuple[int, int, str, str]]) -> bool:
    """Whether the findings / impression header in capitals at ``at`` runs on after an exam title in capitals on
    the report's title line (:data:`_RUN_ON_TITLE`): no header before it on an earlier line, the title opens with
    a modality's name and ends in a word that is none (a modality's own label: "MAMMOGRAPHY TECHNIQUE:")."""
    if header.lower() not in _RUN_ON_TITLE_HEADERS:
        return False
    line = text.rfind("\n", 0, at) + 1
    if any(a < line for a, _, _, _ in hits) or text[:line].strip():
        return False
    colon = text.rfind(":", line, at)
    t = _RUN_ON_TITLE.fullmatch(text, line if colon == -1 else colon + 1, at)
    if t is None or t.group("m").lower() not in openers:
        return False
    w = _WORD_BEFORE.search(text, max(0, at - 40), at)
    return w is not None and w.group(1).lower() not in openers


def _header_hits(text: str, headers: Mapping[str, str], view: TextView | None = None,
                 openers: frozenset[str] = frozenset()) -> list[tuple[int, int, str, str]]:
    """(header start, content start, section name, header text) of each header of the report
    (of its first ``MAX_HEADER_CANDIDATES`` header words); ``openers``: the modality words that open
    an exam's subheading before a bare findings word (:func:`_exam_subheads`)."""
    known = _of_headers(headers)
    rx = known.rx
    hits = []
    lines = _LineStarts(text)
    # only where a header can start (the first words found in the lower-cased text), or the
    # whole text when it has no exact lower-cased copy
    own = known.own
    view = view_for(text, view, own.groups, own)
    words = view.hits(known.group)
    found = islice(rx.finditer(text) if words is None or view.low is None else
                   _header_matches(known, text, view.low, words), MAX_HEADER_CANDIDATES)
    dictated = []  # lower-case header words opening lines ("history stepped on a nail ...")
    for m in found:
        h, sep = m.group("h", "sep")
        at_line_start = lines.first_on_line(m.start("h"))
        if ":" not in sep and "：" not in sep and "-" not in sep:
            alone = m.end() >= len(text) or text[m.end():m.end() + 1] in "\r\n"
            # "FINDINGS" alone on its line, or "EXAM CT HEAD" in capitals at a line start, or
            # a dictated header inside a one-line export (", history 45 year old ...")
            capital = h.isupper() and h.casefold() not in TITLE_WORD_HEADERS \
                and not (_header_name(headers, h) == "exam" and _prose_line_after(text, m.end())) \
                and not (_header_name(headers, h) == "contrast" and _CONTRAST_EXAM_AFTER.match(text, m.end("h")))
            if not (at_line_start and (alone or capital)) and not _inline_bare_header(text, m):
                if at_line_start and _line_bare_header(text, m):
                    dictated.append(m)
                continue
        name = _header_name(headers, h)
        if name is None:
            continue
        hits.append((m.start("h"), m.end(), name, h))
    # a capitalised header with its colon run on after the previous section's last word, no
    # sentence end between ("Indication: Preop Findings: Frontal and lateral views ...")
    # (its words in capitals or title case: where the lower-cased copy holds them)
    run_on = view.hits(_RUN_ON_GROUP)
    run_on_rx = _RUN_ON_HEADER_LOWER if all_lower(text) else _RUN_ON_HEADER
    caps = text.isupper()
    for m in islice(run_on_rx.finditer(text) if run_on is None else
                    matches_at(run_on_rx, text, sorted({i for i, _ in run_on})), MAX_HEADER_CANDIDATES):
        if m.group("h").isupper() and text[m.start("h") - 2].isupper() and (
                not caps or (w := _WORD_BEFORE.search(text, max(0, m.start("h") - 40), m.start("h"))) is None
                or w.group(1).lower() in openers) \
                and (caps or not _title_runs_on(text, m.start("h"), m.group("h"), openers, hits)):
            continue  # "MAMMOGRAPHY TECHNIQUE:" in capitals labels its exam; "Positive PPD Findings:" runs on
            # (in a text all in capitals, where every word is: only after a modality's name; "INDICATION:
            # CHEST PAIN FINDINGS: ..." runs on; in a text in mixed case, after the title line's last word: "MRI
            # LT ELBOW WO IMPRESSION: partial tear ...")
        if run_on_rx is _RUN_ON_HEADER_LOWER and (w := _WORD_BEFORE.search(text, max(0, m.start("h") - 40), m.start("h"))) \
                and (_PROSE_NEXT.fullmatch(w.group(1)) or w.group(1) in openers):
            continue  # "correction to technique: ...": prose about a section, not its header; "myelogram
            # findings:" labels its exam's part, as "MYELOGRAM FINDINGS:" does in capitals
        name = _header_name(headers, m.group("h"))
        if name is not None and not any(a <= m.start("h") < b for a, b, _, _ in hits):
            hits.append((m.start("h"), m.end(), name, m.group("h")))
    hits += _exam_subheads(text, headers, openers, view.low, run_on)  # (one blank before the word: no header the patterns above found)
    hits.sort()
    if len({_header_name(headers, m.group("h")) for m in dictated}) >= DICTATED_LINES_MIN:
        # a dictated report whose lines open with their header words, no colon spoken
        hits = sorted(hits + [(m.start("h"), m.end(), name, m.group("h")) for m in dictated
                              if (name := _header_name(headers, m.group("h"))) is not None])
    return hits


def _next_line(text: str, pos: int, end: int | None = None) -> tuple[int, int]:
    """The next line with text from ``pos`` (blanks and line breaks skipped), within ``end``: its
    first character and its end (``end`` when it runs on to it; start == end: no text left)."""
    end = len(text) if end is None else end
    # (not the rest of the text stripped: a stack of title lines read it again and again)
    m = _NON_BLANK.search(text, pos, end)
    start = max(pos, min(end, len(text))) if m is None else m.start()
    nl = text.find("\n", start, end)
    return start, end if nl == -1 else nl


_NON_BLANK = re.compile(r"\S")  # (the characters ``str.strip`` keeps)


def title_like(line: str) -> bool:
    """A line that reads as an exam title, not a sentence, a question, a header or the patient
    ("CT CERVICAL SPINE WITHOUT CONTRAST", "XR Knee 3 Views Left"; not "16M hit in face, nasal
    deformity?", "CXR clear.")."""
    line = line.strip().rstrip(",;")
    return bool(line) and len(line) <= TITLE_MAX and len(line.split()) <= 10 and ":" not in line \
        and line[-1] not in ".?!" and not _AGE_START.match(line)


# the department or service a line names before its colon ("NUCLEAR CARDIOLOGY: MYOCARDIAL PERFUSION SPECT ...",
# "NUCLEAR MEDICINE: ..."): a heading over the exam, not the exam's title
_DEPARTMENT_END = re.compile(r"\b(?:medicine|cardiology|radiology|imaging|department|dept|services?|division)[ \t]*$",
                             re.IGNORECASE)


def _colon_title_end(pre: str, offset: int, title_end: int, openers: frozenset[str]) -> int | None:
    """Where a one-line transcription's title ends at its first colon ("XR KNEE LT 3V: ..."), or None."""
    colon = pre.find(":", offset, title_end)
    dated = colon > offset and _TITLE_DATE_END.search(pre, offset, colon) is not None
    m = (_DATE_COLON if dated else _TITLE_COLON).match(pre, colon) if colon > offset else None
    if m is None or not title_like(pre[offset:colon]) or _DEPARTMENT_END.search(pre, offset, colon):
        return None
    first = pre[offset:colon].split(maxsplit=1)[0].lower()
    if first not in openers and not dated and not _TITLE_VIEWS.search(pre, offset, colon):
        return None
    if not _COLON_READ.match(pre, m.end(), title_end) \
            and not (dated and len(pre[m.end():title_end].split(None, DATED_READ_WORDS)) >= DATED_READ_WORDS):
        # (after a dated title, a clause of its words to the line end is the read too: "PANOREX 12/01/2026:
        # Hx jaw pain, swelling L mandible")
        return None
    return colon


# the views a radiograph title names without a modality word ("ANKLE (AP, MORTISE & LAT) LEFT", "KNEE 3V RT")
_TITLE_VIEWS = re.compile(r"\(\s*(?:AP|PA|LAT|LATERAL|FRONTAL)\b[^)]*\)|\b\d\s*(?:V|VWS?|VIEWS?)\b")


_PIPE = re.compile(r"[ \t]*\|[ \t]*")
_FIELD_WORD = re.compile(r"[A-Za-z]{3,}")
PIPE_READ_MIN = 40  # characters of a pipe-delimited row's last field that make it a read, not a field
HEADER_PIPE_READ_MIN = 24  # ... on an exam header's line, which holds the row alone (the read goes on below)
_LETTERS = re.compile(r"[A-Za-z]{2}")


def _pipe_title_end(pre: str, offset: int, title_end: int, openers: frozenset[str], whole: str,
                    read_min: int = PIPE_READ_MIN) -> int | None:
    """Where the exam field of a pipe-delimited row ends, when a field that opens with a modality word
    and reads as a title is followed by a long last field of its line in the ``whole`` text (the read);
    None otherwise. ``pre`` is a prefix of ``whole``. One pass over the line's pipes (a line of many
    pipes costs linear time)."""
    if not openers:
        return None
    nl = whole.find("\n", offset)
    line_end = len(whole) if nl == -1 else nl
    pipes = _pipe_spans(whole, offset, line_end)
    if not pipes or len(whole[pipes[-1][1]:line_end].strip()) < read_min:
        return None  # the read is the line's last field
    # worded[k]: a field between pipe k and the read holds words. The fields between the exam field and
    # the read hold none (a date or time already set aside as noise, a code: "88436290|XXXXXXX|XR CHEST
    # 2V|12/01/2026 05:10|Portable AP ...")
    worded = [False] * len(pipes)
    for k in range(len(pipes) - 2, -1, -1):
        worded[k] = worded[k + 1] or _FIELD_WORD.search(whole, pipes[k][1], pipes[k + 1][0]) is not None
    start = offset
    for k, (a, b) in enumerate(pipes):
        if a >= title_end:
            break
        field = pre[start:a].strip(" \t*")
        words = field.split()
        if not worded[k] and words and words[0].lower() in openers and title_like(field):
            return a
        start = b
    return None


def _pipe_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans ``_PIPE.finditer(text, start, end)`` finds (each pipe with the blanks around it), in
    linear time: the regex retries its leading blanks at every blank of a long run without a pipe."""
    spans: list[tuple[int, int]] = []
    pos = start
    while (q := text.find("|", pos, end)) != -1:
        a, b = q, q + 1
        while a > pos and text[a - 1] in " \t":
            a -= 1
        while b < end and text[b] in " \t":
            b += 1
        spans.append((a, b))
        pos = b
    return spans


# the same in a line written all in capitals ("KUB 1 VIEW. SUPINE. MODERATE STOOL BURDEN THROUGHOUT COLON ..."):
# five words after the period (not one closing a one-letter abbreviation: "CT ABD W. CONTRAST")
_CAPS_FINDING_AFTER = re.compile(r"\s+(?:[^\s\n]+[ \t]+){4,}[^\s\n]+")
_ONE_LETTER_BEFORE = re.compile(r"\b[A-Za-z]$")
_LOWER_LETTER = re.compile(r"[a-z]")


def _caps_read_after(pre: str, offset: int, stop: re.Match[str], title_end: int) -> bool:
    """Whether an all-capitals line runs on after the period ``stop`` with the read (five words or more)."""
    return not _LOWER_LETTER.search(pre, offset, title_end) \
        and not _ONE_LETTER_BEFORE.search(pre, max(offset, stop.start() - 2), stop.start()) \
        and _CAPS_FINDING_AFTER.match(pre, stop.end(), title_end) is not None


def _descriptor_line(pre: str, offset: int, title_end: int, whole: str | None) -> bool:
    """Whether the line from ``offset`` to ``title_end``, past the title's length, is a descriptor-style exam
    line that is the whole text: nothing but blanks around it, no sentence end, no word of a read."""
    text = pre if whole is None else whole
    return not text[:offset].strip() and not text[title_end:].strip() \
        and not _sentence_end(pre, offset, title_end) and not _READ_WORD.search(pre, offset, title_end)


# a RIS order code in capitals in a lower-cased line ("ct left shoulder without contrast (CTLSH1). hx ..."): the
# line is still one written in lower case (a title of one word before the code, "c.t (CTA3). angiogram of
# the chest ...", is cut at no period after it: the exam's name goes on)
_ORDER_CODE = re.compile(r"[(\[][A-Z][A-Z0-9._-]{2,14}[)\]]")


def _lower_but_code(pre: str, offset: int, end: int) -> bool:
    """Whether the title line from ``offset`` to ``end`` is in lower case but for a RIS order code in
    capitals (:data:`_ORDER_CODE`), with more than one word before the first sentence end."""
    line = _ORDER_CODE.sub(" ", pre[offset:end])
    if line == pre[offset:end] or not all_lower(line):
        return False
    stop = _LOWER_STOP.search(line)
    return stop is None or len(line[:stop.start()].split()) >= 2


SET_ASIDE_RUN = 5  # blanks in a row: the place of a field the noise stage set aside (an accession, a date)


def _set_aside_before(pre: str, offset: int, at: int) -> bool:
    """Whether the title words before ``at`` end in a run of blanks where the noise stage set aside a
    row's accession or date ("mri lt foot wo 11/26/2026 acc# 7712054 -- 3rd webspace pain", its
    fields blanked in the text read): the row's key stood there, in any letter case."""
    lead = pre[offset:at]
    return len(lead) - len(lead.rstrip(" \t")) >= SET_ASIDE_RUN and bool(lead.strip())


def _title_sentence(pre: str, offset: int, stop: int) -> bool:
    """Whether the sentence from ``offset`` to ``stop`` names an exam in title words, however many of them
    are in lower case ("Left shoulder single view AP post reduction. Humeral head now located."): a title's
    length, no verb and no word of a read (:data:`_READ_WORD`)."""
    return title_like(pre[offset:stop]) and not _PROSE_VERB.search(pre, offset, stop) \
        and not _READ_WORD.search(pre, offset, stop)


def _title_line_end(pre: str, offset: int, openers: frozenset[str] = frozenset(),
                    whole: str | None = None, header: bool = False) -> tuple[int, bool]:
    """Where the exam title that opens at ``offset`` of the text before the first header ends,
    and whether what follows it on its line is narrative (body, never a second title).
    ``openers``: the words that open an exam title (a modality's names); ``whole``: the report text
    ``pre`` begins (its line may run on past ``pre``); ``header``: the title is the line of an exam
    or order header, the read (if any) after it on that line only: a period does not end it there
    ("PROCEDURE: Consent obtained. ...", "ORDERED: CTA CHEST. Changed to V/Q ...": the header's own)."""
    nl = pre.find("\n", offset)
    title_end = nl if nl != -1 else len(pre)
    label = _EXPORT_LABEL.search(pre, offset, title_end)
    labelled = label is not None and bool(pre[offset:label.start()].strip())
    if label is not None and labelled:
        # "CT HEAD WO (CTHDWO) CODE STROKE, ACC# 55190026, IND:, LKW 15:50, R facial droop": a
        # one-line export's labelled line after the title is body, not the title
        title_end = label.start()
    pipe = _pipe_title_end(pre, offset, title_end, openers, pre if whole is None else whole,
                           HEADER_PIPE_READ_MIN if header else PIPE_READ_MIN)
    if pipe is not None:
        # "ACC 558247 | 12/02/2026 | XRELBR | XR ELBOW RIGHT 2V | AP and lateral views of the LEFT elbow ...":
        # a pipe-delimited row's exam field, then the read in the next field
        return pipe, True
    narrative = title_end - offset > TITLE_MAX
    lead = _AGE_LEAD.search(pre, offset, title_end)
    lower = all_lower(pre[offset:title_end]) or _lower_but_code(pre, offset, title_end)
    if lead and lead.start() > offset:
        # "CT HEAD WO, 27M fall from ladder, neck pain, ...": an ED export's history after the title
        title_end, narrative = lead.start(), True
        stop = (_LOWER_STOP if lower else _TITLE_STOP).search(pre, offset, title_end)
        if stop and len(pre[stop.end():title_end].split()) >= 3:
            # "xr chest pa and lateral. pre operative evaluation for hip replacement, 68 year old ...": the
            # sentence of the reason before the age is history too, not the title
            title_end = stop.end()
    elif (dash := _RIS_DASH.search(pre, offset, min(title_end, offset + TITLE_MAX))) \
            and not (_READ_WORD if lower else _PROSE_WORD).search(pre, offset, dash.start()) \
            and (_set_aside_before(pre, offset, dash.start()) or
                 (_RIS_KEY_LOWER.search(pre, offset, dash.start()) if lower else
                  narrative or _RIS_KEY.search(pre, offset, dash.start()))) \
            and pre[dash.end():title_end].strip():
        # "ABI BILAT RESTING [VLABI] ACC# 5502501 -- DM2, NONHEALING RT HALLUX ULCER. ...": a RIS
        # row's exam name, its code and accession, then a spaced dash before the read
        title_end, narrative = dash.start(), True
    elif (gap := _ROW_GAP.search(pre, offset, min(title_end, offset + TITLE_MAX))) and gap.start() > offset \
            and not (_READ_WORD if lower else _PROSE_WORD).search(pre, offset, gap.start()) \
            and _LETTERS.search(pre, gap.end(), title_end):
        title_end, narrative = gap.start(), True
    elif (colon := _colon_title_end(pre, offset, title_end, openers)) is not None:
        title_end, narrative = colon, True
    elif not header and not narrative and lower and (stop := _LOWER_STOP.search(pre, offset, title_end)) \
            and _LOWER_FINDING_AFTER.match(pre, stop.end(), title_end):
        # "xr humerus rt 2v -- ap/lat. mildly displaced surgical neck fx ...": the same in a
        # lower-cased export, where no capital tells the title from the prose
        title_end, narrative = stop.end(), True
    elif not header and not narrative and (stop := _TITLE_STOP.search(pre, offset, title_end)) \
            and (len(_PROSE_WORD.findall(pre, offset, stop.start())) < 3 or _title_sentence(pre, offset, stop.start())) \
            and (_FINDING_AFTER.match(pre, stop.end(), title_end) or _caps_read_after(pre, offset, stop, title_end)):
        # "XR HUMERUS RT 2V -- AP/lat. Mildly displaced surgical neck fx ...": a terse read's
        # findings run on after the title on its line; they are body, not the title
        title_end, narrative = stop.end(), True
    elif narrative and title_end - offset <= 2 * TITLE_MAX and _descriptor_line(pre, offset, title_end, whole):
        narrative = False
    elif narrative and not _UNPUNCTUATED.search(pre, offset, title_end) \
            and (spoken := _SPOKEN_HEADER.search(pre, offset, title_end)) \
            and len(pre[offset:spoken.start()].split()) >= 2:
        title_end = spoken.start()
    elif narrative:
        # a narrative paragraph: its first sentence names the exam, up to the clause that
        # turns to the patient or the reason ("... of the head was performed for a known
        # abscess in a man with a spinal stimulator": the rest is body, never the title)
        stop = (_LOWER_STOP if lower else _SENTENCE_END).search(pre, offset, title_end)
        if stop:
            title_end = stop.end()
        turn = _NARRATIVE_TURN.search(pre, offset, title_end)
        if turn and len(pre[offset:turn.start()].split()) >= 3:
            title_end = turn.start()
    return title_end, narrative or labelled


# a header's line that holds only a person's name, with credentials ("E. Mora.", "J. Morales, RT(R)", "R. Patel,
# CNMT"): a staff line (under "Tech:", the technologist), anchored at the line's end
_STAFF_NAME = re.compile(r"[ \t]*(?:[A-Z]\.[ \t]*){1,2}[A-Z][A-Za-z'-]+(?:[ \t]*,?[ \t]*(?:RT|R\.T\.|RTR|CNMT|RDMS|RVT|"
                         r"ARRT|RDCS|CRT)(?:\([A-Z]{1,3}\))*)*[ \t.]*$")
# an interface engine's technologist field, the initials alone on their line ("TECH: KLT", "TECH: PEH/NTR"):
# a staff line too (not a projection or a modality written after a terse "TECH:": "TECH: AP", "TECH: CT")
_STAFF_INITIALS = re.compile(r"[ \t]*(?!(?:AP|PA|LAT|OBL|CT|MR|MRI|US|XR|NM|PET|CR|DX|FL)\b)[A-Z]{2,4}"
                             r"(?:/[A-Z]{2,4})?[ \t]*$")


# a banner line of labelled fields above the title ("Facility: St. Anne Hospital   Dept: Fluoroscopy Room 2",
# "Patient age/sex: 58 F   Ordering: Dr. Varga   Acc: 55017739"): no exam title, whatever its values name
# (the fields: lexicons/admin_fields.tsv, role "banner")
def _banner_line(fields: str) -> re.Pattern:
    """A line opening with a labelled field of ``fields`` (the alternation of a lexicon's "banner" fields)."""
    return re.compile(rf"[ \t]*(?:{fields})[ \t]*:", re.IGNORECASE)


# an export's column-header row above its data row ("ACCESSION|MRN|PROC_DESC|MOD|STATUS|REPORT_TEXT",
# "ACCESSION<TAB>MRN<TAB>ORDERED<TAB>PERFORMED<TAB>MOD<TAB>REPORT"): three delimiters or more between
# labels in capitals, one of them an export's column name; it names no exam
# (the delimiter written so that a run of blanks splits one way only: "[ \t]*[|\t][ \t]*" split a long run of tabs
# every way, quadratic in its length)
_COLUMN_ROW = re.compile(r"[ \t]*[A-Z][A-Z0-9_#/ ]{0,24}(?:(?:[ \t]*\|[ \t]*|[ ]*\t[ \t]*)[A-Z][A-Z0-9_#/ ]{0,24}){3,12}"
                         r"[ \t|]*$", re.MULTILINE)
_COLUMN_NAME = re.compile(r"(?:^|[|\t_ ])(?:ACC(?:ESSION)?|MRN|REPORT|PROC|STATUS|MOD(?:ALITY)?|DESC(?:RIPTION)?|"
                          r"ORDERED|PERFORMED|RESULT)(?:$|[|\t_ ])", re.MULTILINE)


def _after_column_row(pre: str, offset: int) -> int:
    """Where the title starts: after an export's column-header row, when a data row with as many
    delimiters or more follows it (a lower-cased export's row is read in capitals: "accession|mrn|proc_desc|...")."""
    nl = pre.find("\n", offset)
    if nl == -1:
        return offset
    head = pre[offset:nl]
    head = head.upper() if all_lower(head) else head
    if not _COLUMN_ROW.match(head) or not _COLUMN_NAME.search(head):
        return offset
    delim = "|" if "|" in pre[offset:nl] else "\t"
    nxt = pre.find("\n", nl + 1)
    row = pre[nl + 1:nxt if nxt != -1 else len(pre)]
    if row.count(delim) < pre.count(delim, offset, nl):
        return offset
    return nl + 1 + len(row) - len(row.lstrip())


def _ordered_column_field(pre: str, lead: int, row: int) -> tuple[int, int] | None:
    """The span of the ORDERED field of an export's data row (starting at ``row``) under a column-header row
    (at ``lead``) that names an ORDERED and, after it, a PERFORMED column (CODING_RULES §6: the order is
    compared with the exam performed, never billed)."""
    nl = pre.find("\n", lead)
    if row == lead or nl == -1 or nl >= row or pre[nl + 1:row].strip():
        return None
    delim = "|" if "|" in pre[lead:nl] else "\t"
    names = [x.strip().upper() for x in pre[lead:nl].split(delim)]
    if "ORDERED" not in names or "PERFORMED" not in names[names.index("ORDERED") + 1:]:
        return None
    k = names.index("ORDERED")
    end = pre.find("\n", row)
    fields = pre[row:end if end != -1 else len(pre)].split(delim)
    if len(fields) <= k + 1 or not fields[k].strip():
        return None
    start = row + sum(len(x) + 1 for x in fields[:k])
    return start, start + len(fields[k])


# an export row's procedure field with its order code, then its status field ("|CT KNEE RT WO [CTLE0]|FINAL|")
_ORDER_FIELD_RX = re.compile(r"\|[ \t]*(?P<f>[A-Z][^|\n\[\]]{2,80}?\[[A-Z0-9]{2,10}\])[ \t]*\|[ \t]*"
                             r"(?:FINAL|PRELIM(?:INARY)?|CORRECTED|AMENDED|SIGNED|F|P|C)[ \t]*\|[ \t]*")
# ... and the dictated title after it, opening with a modality (to its first period or comma)
_DICTATED_TITLE_RX = re.compile(r"(?:CT|CTA|MRI?|MRA|XR|CR|US|NM|PET)\b[^.,|\n]{2,60}", re.IGNORECASE)
_FIELD_SIDE_RX = re.compile(r"\b(?:(?P<r>RT|RIGHT)|(?P<l>LT|LEFT))\b", re.IGNORECASE)


def _field_sides(s: str) -> set[str]:
    return {"right" if m["r"] else "left" for m in _FIELD_SIDE_RX.finditer(s)}


def _order_field_other_side(pre: str, offset: int) -> tuple[int, int, int] | None:
    """An export row's procedure field ("...|CT KNEE RT WO [CTLE0]|FINAL|CT LT KNEE WO CON, 2D REFORMATS")
    whose dictated title after the status field names the other side: the field is the order, the dictated
    title the exam performed (CODING_RULES §6). (span of the field, where the dictated title starts)"""
    nl = pre.find("\n", offset)
    end = nl if nl != -1 else len(pre)
    if pre.find("[", offset, end) == -1:
        return None
    field = _ORDER_FIELD_RX.search(pre, offset, end)
    if field is None:
        return None
    title = _DICTATED_TITLE_RX.match(pre, field.end(), end)
    if title is None:
        return None
    ordered, done = _field_sides(field["f"]), _field_sides(title.group())
    if len(ordered) != 1 or len(done) != 1 or ordered == done:
        return None
    return field.start("f"), field.end("f"), field.end()


# a fax transmission header ahead of the report, up to the spaced dash after it ("FAX 11/20/2026 08:14 FROM:
# NORTHRIDGE COMMUNITY HOSP RADIOLOGY -- CT ABDOMEN AND PELVIS -- ...", "FAXED 03/05/2026 FROM X - MRI ...")
_FAX_HEADER = re.compile(r"[ \t]*(?:fax(?:ed)?|telefax)\b(?P<h>[^\n]{0,120}?)(?:[ \t]--?[ \t]+|[ \t][\u2013\u2014][ \t]+)",
                         re.IGNORECASE)
_FAX_SENDER = re.compile(r"\bfrom\b|\d{1,2}/\d{1,2}/\d{2,4}", re.IGNORECASE)


def _after_fax_header(pre: str, offset: int) -> int:
    """Where the title starts: after a fax header that opens its line and names its sender or date."""
    fax = _FAX_HEADER.match(pre, offset)
    if fax is None or not _FAX_SENDER.search(fax["h"]):
        return offset
    nl = pre.find("\n", fax.end())
    return fax.end() if pre[fax.end():nl if nl != -1 else len(pre)].strip() else offset


# the report's status on a line of its own above the report ("FINAL REPORT", "PRELIMINARY REPORT",
# "RADIOLOGY REPORT"): a banner that names no exam, never the title; so is a rule line under a banner
# ("-----------", "=========")
# ("PACS REPORT EXPORT - FINAL": an export's own status line)
_REPORT_STATUS = r"(?:final|preliminary|prelim|amended|corrected|addended|revised|signed)"
_STATUS_LINE = re.compile(r"[ \t]*(?:(?:" + _REPORT_STATUS + r"[ \t]+)?(?:(?:pacs|ris|emr|ehr)[ \t]+)?(?:radiology[ \t]+)?"
                          r"report(?:[ \t]+export)?(?:[ \t]*[-:][ \t]*" + _REPORT_STATUS + r")?[ \t]*:?|[-=_*~]{3,})"
                          r"[ \t]*(?:\n|$)", re.IGNORECASE)


def _after_status_lines(pre: str) -> int:
    """Where the text before the first header starts, after its blank lines and the report-status lines
    above the title (:data:`_STATUS_LINE`)."""
    offset = _past_blanks(pre, 0)
    while (m := _STATUS_LINE.match(pre, offset)) is not None:
        offset = _past_blanks(pre, m.end())
    return offset


# an unformatted export's field written without its colon, at the line start or after a field's end
# ("mrn 7133150. location outpatient. ordering provider a. lee. exam date 12/02/2026. accession 6049.";
# "referring" before a name's initial: "referring b. castillo pa-c", "referring dr. r. obi"; a field whose value
# the noise stage set aside, its mark after the blanks: "study date           ."; the fields: lexicons/admin_fields.tsv,
# role "plain")
def _plain_field(fields: str) -> re.Pattern:
    """A field of ``fields`` (the alternation of a lexicon's "plain" fields) written without its colon."""
    return re.compile(rf"(?:^|(?<=[.|;,])[ \t]|(?<=[.|;,]))[ \t]*(?:{fields})\b[ \t]*[:#]?[ \t]*(?:[\w/]|[.;|](?=[ \t]|$))",
                      re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class _BannerFields:
    """The banner patterns of one table of administrative fields (:func:`_banner_fields`)."""

    line: re.Pattern  # _banner_line
    plain: re.Pattern  # _plain_field


@lru_cache(maxsize=8)
def _banner_fields_of(banner: str, plain: str) -> _BannerFields:
    return _BannerFields(_banner_line(banner), _plain_field(plain))


def _banner_fields(fields: AdminFields | None) -> _BannerFields:
    """The banner patterns of a lexicon's administrative fields (the packaged table's when None)."""
    if fields is None:
        return _PACKAGED_BANNER
    return _banner_fields_of(fields.alternation("banner"), fields.alternation("plain"))


_PACKAGED_BANNER = _banner_fields_of(default_admin_fields().alternation("banner"), default_admin_fields().alternation("plain"))
PLAIN_BANNER_FIELDS = 3  # unlabelled fields that make a line a banner
PLAIN_BANNER_MAX = 400  # characters of such a line


def _banner_line_end(pre: str, offset: int, banner: _BannerFields) -> int | None:
    """Where the banner line at ``offset`` ends (its line break), if it is one: two labelled fields or
    more (a ``banner`` field first), or :data:`PLAIN_BANNER_FIELDS` fields written without their colons;
    None for any other line, and for the last line."""
    nl = pre.find("\n", offset)
    if nl == -1:
        return None
    if banner.line.match(pre, offset) and pre.count(":", offset, nl) >= 2:
        return nl
    if nl - offset <= PLAIN_BANNER_MAX and len(banner.plain.findall(pre, offset, nl)) >= PLAIN_BANNER_FIELDS:
        return nl
    return None


def _after_banner_lines(pre: str, offset: int, banner: _BannerFields) -> int:
    """Where the title starts: after the banner lines (:func:`_banner_line_end`) that open the text
    before the first header, when a line is left after them."""
    offset = _after_column_row(pre, offset)
    while (nl := _banner_line_end(pre, offset, banner)) is not None:
        after = _past_blanks(pre, nl)
        if after == len(pre):
            break
        offset = after  # (no copy of the rest per line: linear on a long banner)
    return offset


_BLANKS = re.compile(r"\s+")


def _past_blanks(text: str, i: int) -> int:
    """Where the blanks from ``i`` end (``i`` when none)."""
    m = _BLANKS.match(text, i)
    return m.end() if m else i


def _banner_only(pre: str, hits: list, banner: _BannerFields) -> bool:
    """Whether the text before the first header is banner lines alone (labelled fields: "Patient class: Outpatient |
    Facility: Beacon Bone Health Clinic | Acc 40977765 | "), a header below naming the exam: no title line (a
    facility's name is no exam)."""
    if not any(name == "exam" for _s, _e, name, _h in hits):
        return False
    offset = _past_blanks(pre, 0)
    while offset < len(pre):
        nl = pre.find("\n", offset)
        nl = len(pre) if nl == -1 else nl
        if not banner.line.match(pre, offset) or pre.count(":", offset, nl) < 2:
            return False
        offset = _past_blanks(pre, nl)  # (no copy of the rest per line: linear on a long banner)
    return True


def _header_names_exam(hits: list, column_row: bool) -> bool:
    """Does a header name the exam, the line above it being a banner or the order: a PERFORMED header, or
    an EXAM header below an export's column row and data row (the data row's procedure field is the order's
    name: "...|CT ABD/PEL W CON [CTAP2]|FINAL|EXAM: CT ABD/PEL WO CON")?"""
    return any(name == "exam" and ("perform" in h.lower() or column_row) for _s, _e, name, h in hits)


def _ordered_title(pre: str, offset: int, said: re.Match, sections: list[Section]) -> int:
    """The order a title line names (an "ordered" section), and the exam performed named after it on its
    line ("CT ABDOMEN W/O CONTRAST ordered; CT ABD/PELVIS performed": the exam done is the title); where
    the line's text after them starts."""
    sections.append(Section("ordered", offset, said.end("o"), None))
    end = said.end()
    done = _PERFORMED_TITLE.match(pre, end, min(len(pre), end + TITLE_MAX))
    if done:
        sections.append(Section("exam", done.start("p"), done.end("p"), None))
        end = done.end()
    return end


LEAD_IN_WORDS = 4  # words of a banner sentence before the exam's name on the title line
_LEAD_IN = re.compile(r"[ \t]*(?P<s>[A-Za-z][A-Za-z-]*(?:[ \t]+[A-Za-z][A-Za-z-]*){0,"
                      + str(LEAD_IN_WORDS - 1) + r"})[.!][ \t]+(?=\S)")
# words a lead-in must not hold: a side or the exam's manner ("Left. MRI knee", "Portable. XR chest"), which the
# title they open qualify
_LEAD_IN_KEPT = re.compile(r"\b(?:left|right|lt|rt|bilat|bilateral|both|portable|limited|complete|stat|repeat|"
                           r"outside|screening|diagnostic)\b", re.IGNORECASE)


def _after_lead_in(pre: str, offset: int, openers: frozenset[str]) -> int | None:
    """Where the exam's name starts on a title line that opens with a short banner sentence naming no
    modality ("code stroke. ct head without contrast, cta head and neck. history ...", "Trauma pan scan.
    CT head and cervical spine without contrast, ..."): the next sentence, when it opens with a modality
    word and reads as an exam's name (a title's length, no colon, no word of a read); None otherwise."""
    if not openers:
        return None
    m = _LEAD_IN.match(pre, offset)
    if m is None or _LEAD_IN_KEPT.search(m.group("s")) or openers & set(m.group("s").lower().split()):
        return None
    nl = pre.find("\n", m.end())
    line_end = len(pre) if nl == -1 else nl
    stop = _sentence_end(pre, m.end(), min(line_end, m.end() + TITLE_MAX + 1))
    name_end = stop.start() if stop is not None else line_end
    name = pre[m.end():name_end]
    words = name.lower().split()
    if not words or words[0].strip(",;") not in openers or len(name) > TITLE_MAX or ":" in name \
            or _READ_WORD.search(name) or _AGE_START.search(name):
        return None
    return m.end()


def _past_lead_in(pre: str, offset: int, openers: frozenset[str], sections: list[Section]) -> int:
    """Where the title starts after a banner sentence before the exam's name (:func:`_after_lead_in`: "code
    stroke. ct head without contrast, cta head and neck. ..."), which becomes a history section (the reason
    for the exam, not its title; appended to ``sections``); ``offset`` when there is none."""
    exam_at = _after_lead_in(pre, offset, openers)
    if exam_at is None:
        return offset
    sections.append(Section("history", offset, exam_at, None))
    return exam_at


def _title_start(pre: str, lead: int, sections: list[Section], banner: _BannerFields) -> int:
    """Where the title starts in the text before the first header (its first non-blank character at
    ``lead``): after banner lines and a fax header; after an export's order field, which becomes an
    "ordered" section (appended to ``sections``)."""
    offset = _after_fax_header(pre, _after_banner_lines(pre, lead, banner))
    ordered_field = _ordered_column_field(pre, lead, offset)
    if ordered_field is not None:
        # "ACCESSION<TAB>MRN<TAB>ORDERED<TAB>PERFORMED<TAB>...": the ORDERED field is the order
        sections.append(Section("ordered", ordered_field[0], ordered_field[1], None))
        return ordered_field[1] + 1
    other_side = _order_field_other_side(pre, offset)
    if other_side is not None:
        # "...|CT KNEE RT WO [CTLE0]|FINAL|CT LT KNEE WO CON, ...": the procedure field is the order
        sections.append(Section("ordered", other_side[0], other_side[1], None))
        return other_side[2]
    return offset


def split_sections(text: str, headers: Mapping[str, str], view: TextView | None = None, *,
                   openers: frozenset[str] = frozenset(), admin_fields: AdminFields | None = None) -> list[Section]:
    """The sections of ``text``; ``view``: its shared view (:mod:`suggester.textview`), if any;
    ``openers``: the words that open an exam title (a one-line transcription's title ends at its
    colon when it opens with one: ``Lexicon.modality_words``); ``admin_fields``: the administrative fields of
    banner lines (``Lexicon.admin_fields``; the packaged table's when None)."""
    low = low_of(text, view)
    text = normalize_dictation(text, low, headers, spoken_marks(view) if view is not None and low is not None else None)
    hits = _header_hits(text, headers, view, openers)
    banner = _banner_fields(admin_fields)
    # a text written all in capitals or all in lower case: no case tells prose from a title (_described)
    upper = text.isupper() or all_lower(text)
    sections: list[Section] = []
    first = hits[0][0] if hits else len(text)
    pre = text[:first]
    opening = _patient_opening(pre, openers)
    if opening is not None:
        # "The patient is a 67-year-old man with a nodule seen on chest CT. PET/CT imaging from
        # the skull base ...": a narrative that opens with the patient has no title; its first
        # sentence is history, the exam is named in the body
        sections.append(Section("history", opening[0], opening[1], None))
        sections.append(Section("body", opening[1], first, None))
    elif pre[(lead := _after_status_lines(pre)):].strip() and not _banner_only(pre, hits, banner):
        # first non-empty line = exam title (after the banner lines of labelled fields above it)
        offset = _past_lead_in(pre, _title_start(pre, lead, sections, banner), openers, sections)
        title_end, narrative = _title_line_end(pre, offset, openers, text)
        performed = _header_names_exam(hits, _after_column_row(pre, lead) != lead)
        said = _ORDERED_TITLE.match(pre, offset, min(title_end, offset + TITLE_MAX))
        if said and not performed:
            # "XR ANKLE LT 3V ordered. Inversion injury R ankle; AP, mortise and lateral views of the
            # right ankle": a title that says it is the order; the read names the exam performed
            offset = title_end = _ordered_title(pre, offset, said, sections)
            narrative = True
        else:
            sections.append(Section("subtitle" if performed else "exam", offset, title_end, None))
        rest = pre[title_end:]
        if rest.strip():
            # the next line may hold the exam when the first is a banner ("OUTSIDE READ")
            off2, end2 = _next_line(pre, title_end)
            if narrative or end2 - off2 > TITLE_MAX or _prose_sentence(pre[off2:end2]) \
                    or _EARLIER_STUDY.search(pre, off2, end2) or _FACILITY_LINE.match(pre, off2, end2) \
                    or _AGE_START.match(pre, off2, end2) and not _sentence_end(pre, off2, end2):
                # narrative text after the title: body, not a second title (nor is a one-sentence line
                # that opens with the patient's age: "79 yo man, castration-resistant prostate cancer, ...";
                # a terse read's age line that goes on to its views or findings stays read with the title)
                end2 = off2
            else:
                sections.append(Section("subtitle", off2, end2, None))
                if title_like(pre[offset:title_end]) and title_like(pre[off2:end2]):
                    # stacked exam titles ("CT HEAD WO" / "CT FACIAL BONES WO" / "CT C-SPINE WO"):
                    # every title-like line of the stack is a title line
                    while True:
                        off3, end3 = _next_line(pre, end2)
                        if off3 >= end3 or not title_like(pre[off3:end3]) or _FACILITY_LINE.match(pre, off3, end3):
                            break
                        sections.append(Section("subtitle", off3, end3, None))
                        end2 = end3
            if pre[end2:].strip():
                sections.append(Section("body", end2, first, None))
    for i, (_hs, cs, name, h) in enumerate(hits):
        end = hits[i + 1][0] if i + 1 < len(hits) else len(text)
        nl = text.find("\n", cs, end)
        cut_rest = _one_line_cut(text, cs, end if nl == -1 else nl, name, openers)
        if cut_rest is not None:
            # "EXAMS:, CTA CHEST (PE PROTOCOL), 54M, sudden dyspnea ..." / "HISTORY:, lymphoma.,
            # Both kidneys were examined ...": a one-line export's header owns its first clause
            cut, rest = cut_rest
            sections.append(Section(name, cs, cut, h))
            if name == "exam" or rest == "exam":
                line_end = end if nl == -1 else nl
                # an age and sex open the history; an export's own label or a read opens report body
                sections.append(Section(rest, cut, line_end, None))
                if text[line_end:end].strip():
                    sections.append(Section("body", line_end, end, None))
            else:
                sections.append(Section("body", cut, end, None))
        elif name == "exam" and len(text[cs:end if nl == -1 else nl].strip()) > EXAM_MAX:
            # "PERFORMED: One-day rest/stress gated SPECT. Rest imaging after ..." on one line:
            # a procedure description, not an exam name
            sections.append(Section("technique", cs, end, h))
        elif name == "exam" and any(s.name in ("exam", "subtitle") and text[s.start:s.end].strip() for s in sections) \
                and _described(text[cs:end if nl == -1 else nl], upper) \
                and not _restated(text, cs, end, nl, sections):
            # "EXAM: NM MPI REST/STRESS\nPROCEDURE: Regadenoson, gated SPECT. Rest imaging was not
            # performed.": a second exam header under a named exam that describes what was done,
            # in sentences, is the technique (its line; unheaded lines after it are report body); an exam
            # header left empty (its HL7 order segment set aside) names no exam
            line_end = end if nl == -1 else nl
            sections.append(Section("technique", cs, line_end, h))
            if text[line_end:end].strip():
                sections.append(Section("body", line_end, end, None))
        elif name == "exam" and nl != -1 and _LIST_ITEM.match(text, cs):
            # "PERFORMED: 1. CTA CHEST\n2. CT HEAD": the numbered lines after it list exams too
            list_end = _list_end(text, nl, end)
            sections.append(Section(name, cs, list_end, h))
            if text[list_end:end].strip():
                sections.append(Section("body", list_end, end, None))
        elif name == "technique" and (_STAFF_NAME.match(text, cs, end if nl == -1 else nl)
                                      or h.lower() == "tech" and _STAFF_INITIALS.match(text, cs, end if nl == -1 else nl)):
            # "Tech: E. Mora." / "Tech: R. Patel, CNMT": the technologist who took the study, a staff
            # line; the lines after it are report body, not the technique
            sections.append(Section("body", cs, end, None))
        elif name == "technique" and (gap := _technique_gap(text, cs, end)) and \
                text[cs:gap.start()].strip() and text[gap.end():end].strip():
            # "Technique: noncontrast head CT ...\n\nHead CT: no hemorrhage": the paragraph
            # after the technique's own is report body (findings under labels of their own)
            sections.append(Section(name, cs, gap.start(), h))
            sections.append(Section("body", gap.start(), end, None))
        elif name in ONE_LINE and nl != -1 and text[cs:nl].strip() and text[nl:end].strip():
            # "HX: fall.\nAP and lateral views. The right knee ..." : the header owns its line;
            # unheaded lines after it are report body
            off2, end2 = _next_line(text, nl, end)
            below = name == "exam" and _title_below_described(text, cs, nl, (off2, end2), openers, sections,
                                                                       upper)
            sections.append(Section("technique" if below else name, cs, nl, h))
            if below or name == "exam" and "perform" in h.lower() and title_like(text[off2:end2]):
                # "PERFORMED: OSH FLUORO - OVERREAD\nBA ESOPH DC\nHx: ...": a title line under a
                # RIS header naming the exam performed is the dictated title, as it is under an
                # unlabelled first line (not under a dictated "EXAM:", where the next line is the
                # site's name or accession as often as a title)
                sections.append(Section("exam" if below else "subtitle", off2, end2, None))
                nl = end2
            if text[nl:end].strip():
                sections.append(Section("body", nl, end, None))
        elif name == "exam" and len(text[cs:end].strip()) > EXAM_MAX:
            # "PROCEDURE: Under fluoroscopic guidance a 22-gauge needle ..." describes the study
            sections.append(Section("technique", cs, end, h))
        else:
            sections.append(Section(name, cs, end, h))
    sections = _numbered_exam_titles(text, sections, openers)
    sections = _findings_technique(text, _order_line_alone(text, _title_after_order(text, sections)))
    sections = _clinic_note(text, _title_copy_in_body(text, _order_said_in_exam_header(text, sections)), openers)
    return _headed_reads(text, sections, openers)


# the headers of a clinician's visit note, not of a radiology report (sections.tsv reads them as history): a
# note with two of them is a clinic note whose "Exam:" is the physical examination
_CLINIC_HEADERS = frozenset({"chief complaint", "hpi", "history of present illness", "pmh", "past medical history",
                             "psh", "past surgical history", "ros", "review of systems", "plan", "a/p",
                             "assessment and plan", "assessment/plan", "physical exam", "physical examination",
                             "reason for visit", "subjective", "objective", "social history", "family history",
                             "vitals", "vital signs", "assessment"})
_SHARED_HEADERS = frozenset({"assessment", "physical exam", "physical examination"})
CLINIC_NOTE_MIN = 2
# a clinician's own statement that imaging was done at this visit or read by the note's author ("X-rays of the
# right knee obtained in clinic today and reviewed by me"; "Thyroid ultrasound performed in clinic today"; an
# emergency physician's "CT angiography of the chest with IV contrast. My preliminary read: ...")
_DONE_AT_VISIT = re.compile(r"\b(?:today|in[ \t]+(?:the[ \t]+)?(?:clinic|office|lab)|(?:obtained|performed|done|taken)[ \t]+here|"
                            r"(?:interpreted|read|reviewed)[ \t]+by[ \t]+me|personally[ \t]+(?:reviewed|interpreted)|"
                            r"my[ \t]+(?:(?:preliminary|prelim|wet|own)[ \t]+)?(?:read|reading|interpretation))\b",
                            re.IGNORECASE)


def _clinic_note(text: str, sections: list[Section], openers: frozenset[str]) -> list[Section]:
    """A clinician's visit note (two or more :data:`_CLINIC_HEADERS`: "HPI:", "Plan:", "Physical exam:") is no
    radiology report: an exam or title section naming no modality ("Exam: R knee effusion, ROM 0-120", the
    note's heading "ORTHOPAEDIC CLINIC NOTE") is the physical examination, read as history; a line that names a
    modality and says the imaging was done at this visit or read by the note's author ("X-rays: 3 views of the
    right knee obtained in clinic today and reviewed by me") is the technique, what the note bills. Imaging the
    history or plan names ("MRI done at an outside center", "MRI ordered") stays history."""
    if not openers:
        return sections
    heads = {_header_key(s) for s in sections}
    # (a radiology report may have an assessment, BI-RADS's, or a technologist's physical exam: neither counts alone)
    visit = heads & _CLINIC_HEADERS - _SHARED_HEADERS
    if len(visit) < CLINIC_NOTE_MIN and not (visit and (heads & _SHARED_HEADERS or any(
            _header_key(s) in _EXAM_HEADERS and _physical_exam(text, s, openers) for s in sections))):
        # (one visit header beside an "Exam:" that reads as a physical examination: "Exam: no effusion, ROM 0-125")
        return sections
    out: list[Section] = []
    for s in sections:
        head = _header_key(s)
        exam_like = s.name in ("exam", "subtitle") or head in _EXAM_HEADERS
        first = _next_line(text, s.start, s.end)
        name = s.name
        if exam_like:
            # the physical examination, or the note's own heading: history, unless it names the imaging
            name = s.name if s.name in ("exam", "subtitle") and _names_opener(text, *first, openers) else "history"
        if name in ("exam", "subtitle") and not _DONE_AT_VISIT.search(text, s.start, s.end) \
                or head in _CLINIC_HEADERS and not exam_like:
            # a title naming the imaging stays whole; the history, the plan: no imaging done at this visit
            out.append(s)
            continue
        start = s.start
        for a, b in _lines_in(text, s.start, s.end):
            done = _DONE_AT_VISIT.search(text, a, b)
            if done is None or not (_names_opener(text, a, b, openers) or _VIEW_WORD.search(text, a, b)):
                continue
            if text[start:a].strip():
                out.append(Section(name, start, a, s.header if start == s.start else None))
            # the sentence that says so is the technique; what the line reads after it, the findings
            cut = _technique_end(text, done.end(), b)
            out.append(Section("technique", a, cut, s.header if a == s.start else None))
            if text[cut:b].strip():
                out.append(Section("findings", cut, b, None))
            start = b
        if start == s.start:
            out.append(Section(name, s.start, s.end, s.header) if name != s.name else s)
        elif text[start:s.end].strip():
            out.append(Section("findings" if exam_like or name == "technique" else name, start, s.end, None))
    for i in range(len(out) - 1):
        s, nxt = out[i], out[i + 1]
        if s.name == "technique" and nxt.name in ("body", "findings") and text[nxt.start:nxt.end].lstrip().startswith(":"):
            # "Imaging: Radiographs obtained in the office today and personally reviewed: AP pelvis and frog-leg
            # lateral views of the right hip. There is ...": the list after the colon is the technique's
            stop = _SENTENCE_STOP.search(text, text.index(":", nxt.start) + 1, nxt.end)
            cut = nxt.end if stop is None else stop.end()
            out[i] = Section("technique", s.start, cut, s.header)
            out[i + 1] = Section(nxt.name, cut, nxt.end, None)
    out = [s for s in out if s.end > s.start]
    if any(s.name == "technique" for s in out):
        # the imaging the note says was done at this visit is its exam: a line naming a modality without saying so
        # ("Reason: nodule found on carotid ultrasound", "IMAGING: X-rays") is the note's history
        out = [Section("history", s.start, s.end, s.header) if s.name in ("exam", "subtitle") else s for s in out]
    return out


# a clinician's read line under a note heading: words naming a modality, then a colon and the read
# ("XR L ankle 3 views: no fracture"; "Limited transvaginal US: IUD in the cavity"; "TVUS in office: single IUP")
_READ_LINE = re.compile(r"[ \t]*(?:\d{1,2}[.)][ \t]+)?(?P<lead>[^\s:][^:\n]{0,200}?):"
                        r"(?:(?P<more>[^:.\n]{1,100}):)?[ \t]+\S")


def _headed_reads(text: str, sections: list[Section], openers: frozenset[str]) -> list[Section]:
    """A note with no technique under a clinician's heading ("ED ATTENDING WET READ", "Gyn clinic - IUD check",
    "ED PROVIDER NOTE - XR interpretation"; not a lab's "Vascular lab - physiologic arterial study") reads its
    studies on lines of their own, each a modality and a colon before the read ("XR R ankle 3 vws:
    Weber A fracture"): the words before the colon are that study's technique, the read its findings, and the
    heading and a patient line below it ("Pt 33F, strings not seen") the note's history. Under a second title line
    that names the first study ("CT cervical spine without contrast"), such a line names another exam of the
    note ("CT head w/o contrast same time: no bleed"): a title line of its own."""
    if not openers or any(s.name == "technique" for s in sections):
        return sections
    # (the heading: the exam title, or the history a visit note's heading became; a clinician's, not a lab's)
    first = sections[0] if sections and sections[0].name in ("exam", "history") and sections[0].header is None else None
    head = _next_line(text, first.start, first.end) if first is not None else (0, 0)
    if first is None or not _VISIT_HEADING.search(text, *head) or _names_opener(text, *head, openers) \
            and not _AUTHOR_HEADING.search(text, *head):
        # (a heading naming imaging is a clinician's only when it says whose note it is: "ED PROVIDER NOTE - XR
        # interpretation", not "CT HEAD WO - ED")
        return sections
    titled = any(s.name == "subtitle" and _names_opener(text, s.start, s.end, openers) for s in sections)
    out: list[Section] = []
    for s in sections:
        out += _read_lines(text, s, openers, "subtitle" if titled else "technique") \
            if s.name in ("body", "findings") else [s]
    if len(out) == len(sections):
        return sections
    return [Section("history", s.start, s.end, s.header) if (s.name == "exam" or s.name == "subtitle" and
            _PATIENT_LINE.match(text, s.start, s.end)) and not _names_opener(text, s.start, s.end, openers) else s
            for s in out]


# a clinician's note heading ("ED ATTENDING WET READ", "Gyn clinic - IUD check", "SPORTS MEDICINE - HIP")
_VISIT_HEADING = re.compile(r"\b(?:clinic|office|note|visit|consult\w*|follow-?up|new\s+patient|urgent\s+care|ed|"
                            r"emergency|physician|provider|attending|wet\s+read|medicine|surgery)\b", re.IGNORECASE)
_AUTHOR_HEADING = re.compile(r"\b(?:provider|physician|attending|clinician)\b", re.IGNORECASE)
# the patient line below a note's heading ("Pt 19 M, crush injury", "4 yo M fell", "Patient: 33F, IUD check")
_PATIENT_LINE = re.compile(r"[ \t]*(?:pt\b\.?|patient\b:?)?[ \t]*\d{1,3}[ \t-]*(?:yo\b|y/o|y\.o\.|years?[ \t-]old\b|"
                           r"[mf]\b|[mf],)", re.IGNORECASE)
_READ_ITEM = re.compile(r"[ \t]*(?:\d{1,2}[.)]|[-*\u2022])[ \t]+\S")


def _read_lines(text: str, s: Section, openers: frozenset[str], name: str) -> list[Section]:
    """``s`` with each read line's study (:data:`_READ_LINE`) a section ``name`` of its own, its read findings. The
    items listed under a lead-in that says they were done at this visit ("Vascular lab today, interpreted by me:")
    stay as they are."""
    out: list[Section] = []
    start = s.start
    lines = _lines_in(text, s.start, s.end)
    i = 0
    while i < len(lines):
        a, b = lines[i]
        i += 1
        if text[a:b].rstrip().endswith(":") and _DONE_AT_VISIT.search(text, a, b):
            # (the list's items stay the note's text, read whole: an item's study may be named past its colon)
            while i < len(lines) and _READ_ITEM.match(text, *lines[i]):
                i += 1
            continue
        m = _READ_LINE.match(text, a, b)
        if m is None or not _names_opener(text, a, m.end("lead"), openers):
            continue
        if text[start:a].strip():
            out.append(Section(s.name, start, a, s.header if start == s.start else None))
        # "XR: AP pelvis and frog-leg views obtained today: cam lesion": what the second colon closes is done
        more = m.group("more") is not None and _VIEW_WORD.search(text, m.start("more"), m.end("more"))
        cut = (m.end("more") if more else m.end("lead")) + 1
        out += [Section(name, a, cut, None), Section("findings", cut, b, None)]
        start = b
    if start == s.start:
        return [s]
    if text[start:s.end].strip():
        out.append(Section(s.name, start, s.end, None))
    return out


# a projection named in a clinician's imaging line ("Weight-bearing L foot, AP/oblique/lateral, taken in office today")
_VIEW_WORD = re.compile(r"\b(?:views?|ap|pa|lateral|lat|oblique|mortise|sunrise|merchant|frog-?leg|standing)\b", re.IGNORECASE)


_EXAM_HEADERS = frozenset({"exam", "examination", "exam(s)", "physical exam", "physical examination"})
_SENTENCE_STOP = re.compile(r"\.(?=\s)|:(?=\s)")


def _technique_end(text: str, at: int, b: int) -> int:
    """The end of a visit note's imaging statement from ``at`` (after its "today" / "reviewed by me") to the line
    end ``b``: the sentence's stop, or past a projection list its colon opens ("Pelvis films taken in clinic today
    and reviewed: AP, inlet and outlet views.": the list is what was done, the read follows it)."""
    stop = _SENTENCE_STOP.search(text, at, b)
    if stop is None:
        return b
    if stop.group() == ":":
        period = _PERIOD_STOP.search(text, stop.end(), b)
        listed = b if period is None else period.end()
        if _VIEW_WORD.search(text, stop.end(), listed):
            return listed
    return stop.end()


_PERIOD_STOP = re.compile(r"\.(?=\s)")


def _physical_exam(text: str, s: Section, openers: frozenset[str]) -> bool:
    """Whether an exam header's first line reads as a physical examination: clauses apart by commas or periods
    naming no modality and no projection ("no effusion, medial JLT, ROM 0-125, stable"), not a title ("LEFT KNEE")."""
    a, b = _next_line(text, s.start, s.end)
    line = text[a:b]
    return len(line.split()) >= 4 and ("," in line or ". " in line) and not _names_opener(text, a, b, openers) \
        and not _VIEW_WORD.search(_BODY_SIDE.sub(" ", line))


# a side of the body a physical examination names ("lateral malleolus TTP", "lateral joint line tender"): no view
_BODY_SIDE = re.compile(r"\blateral[ \t]+(?=(?:malleol|joint|epicondyl|menisc|aspect|side|compartment|border|"
                        r"collateral|ankle|knee|foot|hip|thigh|elbow|calf|heel)\w*)", re.IGNORECASE)


def _header_key(s: Section) -> str:
    """A section's header as the header sets hold it ("" for none)."""
    return (s.header or "").strip().lower()


def _names_opener(text: str, a: int, b: int, openers: frozenset[str]) -> bool:
    return any(w in openers for w in _OPENER_WORD.findall(text[a:b].lower()))


_OPENER_WORD = re.compile(r"[a-z0-9][a-z0-9/-]*")


def _lines_in(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """(start, end) of the lines of ``text[a:b]``."""
    out, at = [], a
    while at < b:
        nl = text.find("\n", at, b)
        end = b if nl == -1 else nl
        out.append((at, end))
        at = end + 1
    return out


# a later exam's numbered title in a visit report whose first exam is a numbered title line ("1) SCREENING
# MAMMOGRAM BILATERAL" ... a blank line, then "2) DXA AXIAL SKELETON"): the item's number and its text
_NUMBERED_TITLE = re.compile(r"\n[ \t]*\n[ \t]*(?P<n>[2-9])[.)][ \t]+(?P<t>[^\n]{3,80})(?=\n)")
_FIRST_ITEM = re.compile(r"[ \t]*1[.)][ \t]+\S")


def _numbered_exam_titles(text: str, sections: list[Section], openers: frozenset[str]) -> list[Section]:
    """A visit report that lists its exams as numbered titles, each with its own read, names every
    exam on its title line: a later numbered line that opens a paragraph and reads as a title with a
    modality word (:data:`_NUMBERED_TITLE`) is a title line of its own, not the end of the previous
    exam's impression; the lines after it are that exam's report body."""
    if not openers or not any(s.name in ("exam", "subtitle") and _FIRST_ITEM.match(text, s.start) for s in sections):
        return sections
    out: list[Section] = []
    for s in sections:
        cuts = [m for m in _NUMBERED_TITLE.finditer(text, s.start, s.end) if s.name not in ("exam", "subtitle")
                and title_like(m.group("t")) and openers & set(re.findall(r"[a-z]+", m.group("t").lower()))]
        start, name, header = s.start, s.name, s.header
        for m in cuts:
            if text[start:m.start("n")].strip():
                out.append(Section(name, start, m.start("n"), header))
            out.append(Section("subtitle", m.start("n"), m.end("t"), None))
            start, name, header = m.end("t"), "body", None
        out.append(Section(name, start, s.end, header) if start != s.start else s)
    return out


# a findings section that opens with the series acquired, in a report without a technique section
# ("FINDINGS: Sagittal and axial pre and post contrast images. Enhancing lesion ...", "FINDINGS:
# Multiplanar multisequence images of the lumbar spine were obtained without contrast. ..."): a
# sentence that opens with a plane, series or modality word and ends with the images named or
# said obtained (not "Axial images show a mass", nor "No enhancement on post-contrast images")
_SERIES_SENTENCE = re.compile(
    r"[ \t\n,]*(?=(?:sagittal|axial|coronal|multi-?planar|multi-?sequence|pre-?contrast|post-?contrast|pre|post|"
    r"non-?contrast|unenhanced|contiguous|helical|thin|mri?|ct|t1|t2)\b)"
    r"[^.;:\n]{0,160}?\b(?:images?|imaging|sequences?|series|sections|slices)\b"
    r"(?:\s+(?:of\s+[^.;:\n]{1,60}?\s+)?(?:were|was)\s+(?:obtained|acquired|performed)\b[^.;:\n]{0,120}"
    r"|\s+(?:after|following|before|with|without)\b[^.;:\n]{0,80})?"
    r"[ \t]*(?:\.(?=\s)|\.?$|\n)", re.IGNORECASE)


_WORD = re.compile(r"[a-z0-9]+")


def _title_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _restated(text: str, cs: int, end: int, nl: int, sections: list[Section]) -> bool:
    """A second exam header whose first sentence restates a title already read, word for word (a
    RIS header pair "ORDERED: XR ankle left 3 views" / "PERFORMED: ..." above the dictated report's
    own "PROCEDURE: XR ankle left 3 views. HISTORY: ..."): the title again, not a description of
    what was done. (Not one that restates the order line alone: "BONE AGE STUDY" / "Ordered: Single
    PA view of the left hand" / "Performed: Single PA view ..." describes what was done under the title.)"""
    stop = _sentence_end(text, cs, end if nl == -1 else nl)
    words = _title_words(text[cs:stop.start() if stop else (end if nl == -1 else nl)])
    return bool(words) and any(s.name in ("exam", "subtitle") and _title_words(text[s.start:s.end]) == words
                               for s in sections)


def _title_below_described(text: str, cs: int, nl: int, below: tuple[int, int], openers: frozenset[str],
                           sections: list[Section], upper: bool = False) -> bool:
    """A report that opens with a procedure header whose line describes what was done in prose ("Procedure:
    Consent obtained. Moderate sedation with midazolam, 28 minutes.") and names the exam on the next
    line ("CT GUIDED PLEURAL BIOPSY, RIGHT", opening with a modality word): that line is the title, the
    header's line the technique."""
    if any(s.name in ("exam", "subtitle") for s in sections) or not _described(text[cs:nl], upper):
        return False
    line = text[below[0]:below[1]]
    first = line.split(maxsplit=1)[0].lower() if line.strip() else ""
    return title_like(line) and first in openers


def _findings_technique(text: str, sections: list[Section]) -> list[Section]:
    """The opening series sentence (:data:`_SERIES_SENTENCE`) of the first findings section of a
    report that has an exam title and no technique section: the technique, the rest findings."""
    names = {s.name for s in sections}
    if "technique" in names or not names & {"exam", "subtitle"}:
        return sections
    i = next((i for i, s in enumerate(sections) if s.name == "findings"), None)
    if i is None:
        return sections
    s = sections[i]
    m = _SERIES_SENTENCE.match(text, s.start, s.end)
    if m is None or not text[m.end():s.end].strip():
        return sections
    return sections[:i] + [Section("technique", s.start, m.end(), None), Section("findings", m.end(), s.end, s.header)] \
        + sections[i + 1:]


def _order_said_in_exam_header(text: str, sections: list[Section]) -> list[Section]:
    """An exam header whose value says its exam name is the order ("PERFORMED EXAM: XR SINUSES 3V ordered; Waters
    view only obtained", :data:`_ORDERED_TITLE`): the words before "ordered" stay the exam's name, what was
    obtained after them is the technique, which beats the name where they differ (CODING_RULES §6: 70210 for
    the one view done, not the three ordered)."""
    out: list[Section] = []
    for s in sections:
        said = _ORDERED_TITLE.match(text, s.start, min(s.end, s.start + TITLE_MAX)) \
            if s.name == "exam" and s.header else None
        # (not "EXAM: CT HEAD WO (as ordered)": the exam done as ordered; the study obtained must follow)
        if said is None or said.group().rstrip()[-1:] not in ".;," or not text[said.end():s.end].strip():
            out.append(s)
            continue
        out += [Section("exam", s.start, said.end("o"), s.header), Section("technique", said.end(), s.end, None)]
    return out


TITLE_COPY_MIN = 12  # characters of a header's exam name that a body line must repeat to be its copy


def _title_copy_in_body(text: str, sections: list[Section]) -> list[Section]:
    """An export that repeats its header row as the first line of the report text ("PERFORMED: 8825|...|MR C-SPINE
    W/WO [MRCS2]|FINAL|MRI CERVICAL SPINE" over "8825|...|MRI CERVICAL SPINE. GADOLINIUM NOT GIVEN ..."): the copy
    is the title again (a subtitle), not report body that states what was done; the read after it is body."""
    out: list[Section] = []
    for i, s in enumerate(sections):
        prev = sections[i - 1] if i else None
        if s.name == "body" and prev is not None and prev.name == "exam" and prev.header:
            name = text[prev.start:prev.end].strip()
            at = _past_blanks(text, s.start)
            if len(name) >= TITLE_COPY_MIN and at < s.end and text.startswith(name, at) \
                    and at + len(name) <= s.end:
                out += [Section("subtitle", at, at + len(name), None), Section("body", at + len(name), s.end, None)]
                continue
        out.append(s)
    return out


def _order_line_alone(text: str, sections: list[Section]) -> list[Section]:
    """In a report with a title of its own, an "ORDER:" line states the order on its line; the
    unheaded lines after it are the report body ("NM RENOGRAM MAG3 WITH LASIX\nORDER: NM renal scan
    with furosemide\n6 yr old ... so furosemide was withheld"), not more of the order."""
    if not any(s.name in ("exam", "subtitle") for s in sections):
        return sections
    out: list[Section] = []
    for s in sections:
        nl = text.find("\n", s.start, s.end) if s.name == "ordered" and s.header else -1
        if nl != -1 and text[s.start:nl].strip() and text[nl:s.end].strip():
            out += [Section("ordered", s.start, nl, s.header), Section("body", nl, s.end, None)]
        else:
            out.append(s)
    return out


def _title_after_order(text: str, sections: list[Section]) -> list[Section]:
    """A report that opens with its order ("ORDERED: CT ABDOMEN AND PELVIS WITH CONTRAST") and
    names the exam performed on the next, unheaded line ("CT ABDOMEN WITH CONTRAST") has that line
    as its title: the order line is the order alone, what follows the title is report body
    (CODING_RULES §6: the performed study is billed, not the order)."""
    if any(s.name in ("exam", "subtitle") for s in sections):
        return sections
    for i, s in enumerate(sections):
        if s.name != "ordered":
            continue
        nl = text.find("\n", s.start, s.end)
        if nl == -1 or not text[s.start:nl].strip():
            return sections
        off, end2 = _next_line(text, nl, s.end)
        if off >= s.end:
            return sections
        cut, _ = _title_line_end(text[:s.end], off)
        if end2 - off > TITLE_MAX or (dash := _RIS_DASH.search(text, off, end2)) and cut == dash.start():
            # "ORDER: ABI LE MULTILEVEL\nABI BILAT RESTING [VLABI] ACC# 5502501 -- DM2, ...": a one-line
            # read under the order line opens with the exam performed, up to where its title ends
            end2 = cut
            if not title_like(text[off:end2].rstrip(" \t.;,")):
                return sections
        elif _AGE_LEAD.search(text, off, end2):
            return sections
        out = [Section("ordered", s.start, nl, s.header), Section("exam", off, end2, None)]
        if text[end2:s.end].strip():
            out.append(Section("body", end2, s.end, None))
        return sections[:i] + out + sections[i + 1:]
    return sections
