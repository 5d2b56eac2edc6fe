"""Stage 2: attribute extraction as spaCy components over a blank English pipeline.

* ``suggester_spelling``: corrects misspelled words of 5+ letters against the lexicon's own
  words with RapidFuzz (Levenshtein distance, explicit cutoff: 1 edit up to 7 letters, 2 from 8),
  by setting ``token.norm_``. Abbreviations and short words are never fuzzy-matched. The decision
  depends on the word alone: :class:`~suggester.extraction.Extractor` makes it each lexeme's NORM
  (``SpellingCorrector.read_into``) and skips the component.
* ``suggester_terms``: a PhraseMatcher on ``NORM`` fed from ``lexicons/terms/*.tsv``; each match
  carries the attributes of its term (modality, site, contrast, side, qualifier, projection).
* ``suggester_views``: view counts written as numbers ("2V", "3 views", "two views", "<4 VW",
  "min 4 views", "4+ views").

The components hand the spans on as plain tuples in ``doc.user_data["suggester_spans"]``
(``(start, end, label, kb_id)``, token offsets, label = the hash of the matched term or of
``VIEWS``, in start order): a spaCy ``Span`` object costs more to build and to read back than
the matching itself on these short docs, and the pipeline reads nothing else. The last
component, ``suggester_spans``, writes them to ``doc.spans["attrs"]`` for whoever runs the
pipeline as ``nlp(text)``; :class:`~suggester.extraction.Extractor` skips it.
``doc.user_data["fuzzy"]`` holds the token indices corrected by the spelling component
(``SpellingCorrector.is_fuzzy`` tells the same of a span's tokens).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter
from typing import Any, TypeVar

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string  # type: ignore[attr-defined]  # (the ORTH id of a word)
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .lexicon import Lexicon, Term, default_lexicon
from .scan import fold_word, matches_at

SPAN_KEY = "attrs"
SPANS_KEY = "suggester_spans"  # doc.user_data: the attribute spans as (start, end, label, kb_id) tuples
VIEWS_LABEL = "VIEWS"  # the label of view-count spans
_UNSEEN: Any = object()
TEXT_KEY = "suggester_text"  # doc.user_data: the text the doc was made from (spares rebuilding doc.text)
FUZZY_MIN_LEN = 5

# Common report words of 5+ letters that sit one edit away from a lexicon word and must stay
# as written ("angle" is not "ankle", "views" is not "view").
_KEEP = frozenset("""
angle angled angles later lately lesser plane planes plate plates films prone views study
studies sagittal coronal axial images image imaged series phase phases noted notes lines
there these those where which while whole other under after above below about again right
lefts sided sides reason fracture fractures normal portal mortal ordered order orders
lordosis kyphosis
tissue tissues access excess areas arena bases based basis basal signal single simple
tunneled tunnelled tunneling edema oedema
fills flail swallowed
definite definitely deficit deficits defining enhance enhances attenuating attestation attention
cortical plantar crest waist fascial solitary mammillary phalangeal paracaval situs physis statin
stranding scanning spanning stenting binding detached shallow ancillary audiogram aeration
exploration overlies hemostasis diabetic vomiting fecal phone drainable mesentery segments
extrusion extensive expansion extensor
""".split())

# a dotted initialism as speech recognition writes it ("C.T.", "M.R.I.", "i.v.", "P.E.T."): read as
# the term word its letters spell (the closing period is a token of its own), not as a misspelling
_DOTTED = re.compile(r"(?:[a-z]\.){1,3}[a-z]")

# a term that is also a unit of measure is the unit after a number ("regadenoson 0.4 mg IV"
# is a dose, not the mammography modality "MG"; "fall from a ladder approx 8 ft" is a height, not the foot)
UNITS = frozenset({"mg", "ft"})
# "FT" before a tear or the tendon torn is the full thickness of the tear, not the foot ("recurrent FT SSP
# tear 1.5 cm", "FT tear of the supraspinatus", "FT cartilage loss")
FULL_THICKNESS_NEXT = frozenset({"tear", "tears", "torn", "ssp", "isp", "supraspinatus", "infraspinatus",
                                 "subscapularis", "subscap", "rotator", "rct", "rc", "cuff", "cartilage",
                                 "chondral", "defect", "fissure", "fissuring", "retracted", "perforation"})
# "HD" beside a dialysis word is hemodialysis, not the head ("HD catheter", "tunneled HD line", "HD
# patient", "ESRD on HD", "missed HD"): a chest or abdomen report that says it makes no head exam; a
# title's "CT HD WO" stays the head
DIALYSIS_HD_NEXT = frozenset({"catheter", "catheters", "cath", "caths", "line", "lines", "patient", "patients", "pt",
                              "pts", "session", "sessions", "dependent", "dependant", "unit", "days", "schedule",
                              "run", "runs", "treatment", "treatments", "mwf", "tts"})
DIALYSIS_HD_BEFORE = frozenset({"on", "post", "missed", "after", "during", "via", "esrd", "ckd", "dialysis",
                                "hemodialysis", "intermittent", "chronic", "outpatient", "tunneled", "tunnelled"})

# the words of a one-word match that may be written for another use (TermMatcher: UNITS, "ft", "hd", "r" of "R/O")
OTHER_USES = UNITS | {"ft", "hd", "r"}

# speech-recognition homophones of short coding words (too short for the spelling correction):
# read as the word they stand for ("rite and left bending views", "x-ray write knee", "mri right rist")
VOICE_SLIPS = {"rite": "right", "write": "right", "rist": "wrist", "rists": "wrists"}

NUM_WORDS = {"one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
              "seven": 7, "eight": 8, "too": 2, "to": 2, "tree": 3, "for": 4}
_NUM = r"(?P<n>\d{1,2}|one|single|two|three|four|five|six|seven|eight|too|tree)"
_VIEW = r"(?:v|vw|vws|vie?ws?|views?|view\(s\)|projections?|images?)"
VIEWS_RX = re.compile(
    rf"(?P<lt>(?:<|less(?: than)?|fewer than|under)\s*)?"
    rf"(?:(?P<ge>(?:\bmin(?:imum)?\.?(?:\s+of)?|at least|>=?|greater than|\bgt)\s*)|(?<![0-9A-Za-z]))"
    rf"{_NUM}\s*(?P<plus>\+|/\s*>|/\+|/\s*more|\s*or more|\s*or\s*>|>|\s*or greater|\s*plus)?[\s-]*"
    rf"(?:(?:ap|pa|lateral|frontal|oblique|portable|bedside|(?:semi[\s-]?)?(?:upright|erect|recumbent)|supine|"
    rf"standing|weight[\s-]?bearing)\s+){{0,3}}"
    rf"{_VIEW}(?:pls|plus)?\b",
    re.IGNORECASE,
)
# a charge line's closing count "or more" with no view word ("X-RAY FEMUR 2/>", "SI JOINTS 3 OR
# MORE", "CHEST XRAY 4/MORE", "FACIAL BONES 3 OR MORE-PC"): the views, when it ends the line (a
# short billing suffix such as "-PC" may follow); elsewhere a bare "3 or more" counts something
# else, and a closing "2+" is also a grade ("edema 2+"), so the plus sign alone is not read
CLOSING_RX = re.compile(
    r"(?<![0-9A-Za-z/])(?P<n>\d{1,2})\s*(?:/\s*>|/\s*more|\s+or\s+more|\s*or\s*>|>)"
    r"(?=[ \t]*(?:-[ \t]*[A-Za-z]{1,4}[ \t]*)?$)",
    re.IGNORECASE | re.MULTILINE,
)
RANGE_RX = re.compile(rf"\b(?P<a>\d)\s*(?:-|to|or)\s*(?P<b>\d)\s*{_VIEW}\b", re.IGNORECASE)
_VIEWS_LOWER, _RANGE_LOWER = re.compile(VIEWS_RX.pattern), re.compile(RANGE_RX.pattern)
_CLOSING_LOWER = re.compile(CLOSING_RX.pattern, re.MULTILINE)
# what every match of VIEWS_RX / RANGE_RX contains (a number, and the end of a view word), as a
# test on the lower-cased text: most sections have no view count and skip both searches
# (literal checks in C, and two patterns that open with a character class or a letter: an
# alternation without a common first character is tried at every position)
_NUMBER_WORDS = ("one", "single", "two", "three", "four", "five", "six", "seven", "eight", "too", "tree")
_VIEW_WORD_PARTS = ("vp", "vw", "viw", "view", "projection", "image", "+", ">", "more")
_DIGIT = re.compile(r"[0-9]")
_V_END = re.compile(r"v\b")


# where a VIEWS_RX match can start in the lower-cased text: at the run of digits or the number word
# it counts with, or at the words before them that bound it ("fewer than", "at least", "<", ">")
_VIEW_COUNT_OPENERS = ahocorasick.Automaton()
for _w in _NUMBER_WORDS + ("<", "less", "fewer", "under", "min", "at least", ">", "greater", "gt"):
    _VIEW_COUNT_OPENERS.add_word(_w, len(_w))
_VIEW_COUNT_OPENERS.make_automaton()
_DIGIT_RUN = re.compile(r"[0-9]+")


def _view_count_starts(low: str) -> list[int]:
    """The positions of ``low`` (lower-cased ASCII) where a ``_VIEWS_LOWER`` match can start."""
    out = [m.start() for m in _DIGIT_RUN.finditer(low)]
    out += [end + 1 - n for end, n in _VIEW_COUNT_OPENERS.iter(low)]
    return sorted(set(out))


def _may_count_views(low: str) -> bool:
    """Whether the lower-cased ``low`` holds a number and the end of a view word."""
    return (_DIGIT.search(low) is not None or any(w in low for w in _NUMBER_WORDS)) \
        and (any(w in low for w in _VIEW_WORD_PARTS) or _V_END.search(low) is not None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, taken from ``doc.user_data[TEXT_KEY]`` when the caller stored it there."""
    text = doc.user_data.get(TEXT_KEY)
    return text if text is not None else doc.text


def _lexicon_for(path: str | None) -> Lexicon:
    return default_lexicon(path or None)


def _prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class SpellingCorrector:
    def __init__(self, nlp: Language, name: str, lexicon_path: str | None = None,
                 max_cache: int = 50000):
        lex = _lexicon_for(lexicon_path)
        words = set()
        for t in lex.terms:
            words.update(t.term.split())
        self.known = frozenset(words) | _KEEP
        self.abbreviations = lex.abbreviations
        self.respellings = lex.respellings
        self.vocab = sorted(w for w in words if len(w) >= FUZZY_MIN_LEN and w.isalpha())
        self._vocab_set = frozenset(self.vocab)
        self._by_first: dict[str, list[str]] = {}
        for w in self.vocab:
            self._by_first.setdefault(w[0], []).append(w)
        self.cache: dict[str, str | None] = {}
        self._by_orth: dict[int, str | tuple[str] | None] = {}  # the decisions per word (decided)
        self.max_cache = max_cache

    def correct(self, word: str) -> str | None:
        if word in self.cache:
            return self.cache[word]
        cutoff = 1 if len(word) < 8 else 2
        # typos keep their first letter ("abdomin", "pelvus"); "aspect" is not "spect"
        first = self._by_first.get(word[0], ())
        hits = process.extract(word, first, scorer=Levenshtein.distance, processor=None,
                               score_cutoff=cutoff, limit=8)
        # ties: the candidate sharing the longest prefix ("flection" -> "flexion", not "ejection")
        best = min(hits, key=lambda h: (h[1], -_prefix(word, h[0]), h[0]), default=None)
        out = best[0] if best else self.transposed(word)
        if len(self.cache) < self.max_cache:
            self.cache[word] = out
        return out

    def respelled(self, word: str) -> str | None:
        """The term word a regional spelling of ``word`` is ("oesophagus", "haemorrhage", "tumour",
        "centre": respellings.tsv, each rewrite alone, then all of them together), else None. Only
        a rewrite that spells a word of the lexicon counts, so no other word is made."""
        whole = word
        for frm, to, place in self.respellings:
            if place == "end":
                w = word[:-len(frm)] + to if word.endswith(frm) else None
                whole = whole[:-len(frm)] + to if whole.endswith(frm) else whole
            else:
                w = word.replace(frm, to) if frm in word else None
                whole = whole.replace(frm, to)
            if w and w in self.known:
                return w
        return whole if whole != word and whole in self.known else None

    def transposed(self, word: str) -> str | None:
        """The lexicon word that two adjacent letters of ``word`` swapped back spell ("brian",
        "pelivs", "abodmen"; the first letter stays), else None: a typing slip one edit away,
        where the edit distance counts two."""
        for i in range(1, len(word) - 1):
            if word[i] != word[i + 1]:
                swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
                if swapped in self._vocab_set:
                    return swapped
        return None

    def decision(self, word: str) -> str | tuple[str] | None:
        """What a token written ``word`` reads as: None (as written), a corrected word (a misspelling:
        listed in "fuzzy"), or a 1-tuple (the word a shorthand stands for: abbreviations.tsv, read as
        written by the hospital, so not a misspelling; or a regional spelling, the word as its writer
        spells it). It depends on the word alone (the lexeme's lower case, letters and title case)."""
        low = word.lower()
        short = self.abbreviations.get(low)
        if not short and "." in low and _DOTTED.fullmatch(low) and low.replace(".", "") in self.known \
                and low + "." not in self.known:  # a lexicon term written dotted ("a.c. joints") reads as written
            short = low.replace(".", "")
        if short:
            return (short,)
        skip = len(low) < FUZZY_MIN_LEN or low in self.known or not word.isalpha()
        regional = None if skip else self.respelled(low)
        hit = (regional,) if regional else VOICE_SLIPS.get(low) or (None if skip else self.correct(low))
        if hit and word.istitle() and hit == self.transposed(low) and low not in self._vocab_set:
            hit = None  # a capitalised name ("Brian"), not a slip of the lexicon word
        return hit

    def decided(self, orth: int, word: str) -> str | tuple[str] | None:
        """:meth:`decision` of the token ``word`` (ORTH id ``orth``), kept per word: most tokens cost a dict
        look-up."""
        hit = self._by_orth.get(orth, _UNSEEN)
        if hit is _UNSEEN:
            hit = self.decision(word)
            if len(self._by_orth) < self.max_cache:
                self._by_orth[orth] = hit
        return hit

    def is_fuzzy(self, doc: Doc, start: int, end: int) -> bool:
        """Whether a token of ``doc[start:end]`` is a corrected misspelling (its index is in "fuzzy")."""
        decided = self._by_orth
        for i in range(start, end):
            tok = doc[i]
            hit = decided.get(tok.orth, _UNSEEN)
            if hit is _UNSEEN:
                hit = self.decided(tok.orth, tok.text)
            if hit and not isinstance(hit, tuple):
                return True
        return False

    def read_into(self, vocab: Vocab) -> None:
        """Makes the decisions the vocabulary's own: each lexeme's NORM is the word it reads as (those
        there now, and each new one as the tokenizer makes it; spaCy's NORM where it reads as
        written), so a doc's tokens carry their norms without this component (a token's NORM is its
        lexeme's unless set on the token) and "fuzzy" is :meth:`is_fuzzy`. Called once the pipeline
        is built: the terms' patterns were read with spaCy's norms, as they are without it."""
        spacy_vocab: Any = vocab  # lex_attr_getters is not in spaCy's type stubs
        getters = spacy_vocab.lex_attr_getters
        spacy_norm = getters[NORM]

        def norm(word: str) -> str:
            # (kept per word: in a memory zone, the tokenizer makes a report's new words again each time)
            hit = self.decided(hash_string(word), word)
            return spacy_norm(word) if not hit else hit[0] if isinstance(hit, tuple) else hit

        for lexeme in vocab:
            hit = self.decision(lexeme.orth_)
            if hit:
                lexeme.norm_ = hit[0] if isinstance(hit, tuple) else hit
        spacy_vocab.lex_attr_getters = {**getters, NORM: norm}

    def __call__(self, doc: Doc) -> Doc:
        fixed = []
        # the decision depends on the word only: kept per word (ORTH), so most tokens cost a dict
        # look-up and no Token object
        decided = self._by_orth
        for i, orth in enumerate(doc.to_array(ORTH).tolist()):
            hit = decided.get(orth, _UNSEEN)
            if hit is _UNSEEN:
                hit = self.decided(orth, doc[i].text)
            if hit:
                if isinstance(hit, tuple):
                    doc[i].norm_ = hit[0]
                    continue
                doc[i].norm_ = hit
                fixed.append(i)
        doc.user_data["fuzzy"] = fixed
        return doc


def term_norms(nlp: Language, terms: list[str]) -> list[list[int]]:
    """The NORM ids of each term's tokens, as ``PhraseMatcher.add`` takes them from a Doc of the
    term: from ONE Doc of all the terms joined by spaces (the tokenizer splits the text at spaces
    and reads each piece on its own, so each term gets the tokens it gets alone), not a Doc per
    term (whose set-up, and the matcher's checks of each Doc, took half of building the matcher).
    Terms are lower-cased words joined by single spaces (``lexicon._load_terms``)."""
    doc = nlp.tokenizer(" ".join(terms))
    out: list[list[int]] = []
    i, start, n = 0, 0, len(doc)
    for term in terms:
        end = start + len(term)
        norms = []
        while i < n and doc[i].idx < end:
            tok = doc[i]
            if tok.idx < start or tok.idx + len(tok) > end:  # cannot happen: tokens never hold a space
                raise ValueError(f"term {term!r}: a token crosses its ends")
            norms.append(tok.norm)
            i += 1
        out.append(norms)
        start = end + 1
    return out


HYPHEN_MAX_WORDS = 3  # "three phase" / "three-phase"; a longer phrase is not written as one compound


def hyphenated(terms: Sequence[Term]) -> list[tuple[str, str]]:
    """(term, variant) for each way a short term of words is written with one hyphen in place of a
    blank ("three phase" -> "three-phase", "follow up" -> "follow-up"): the tokenizer splits a
    hyphen into a token of its own, so the lexicon's blank-separated term would not match the
    compound. Terms that hold a hyphen already, or digits, keep their own spelling."""
    out: list[tuple[str, str]] = []
    known = {t.term for t in terms}  # a compound the lexicon spells itself keeps its own attributes
    for t in terms:
        words = t.term.split(" ")
        if not 1 < len(words) <= HYPHEN_MAX_WORDS or "-" in t.term or not all(w.isalpha() for w in words):
            continue
        for i in range(1, len(words)):
            v = " ".join(words[:i - 1] + [words[i - 1] + "-" + words[i]] + words[i + 1:])
            if v not in known:
                out.append((t.term, v))
    return out


class TermMatcher:
    def __init__(self, nlp: Language, name: str, lexicon_path: str | None = None):
        lex = _lexicon_for(lexicon_path)
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.terms: dict[int, Term] = {}
        vocab: Any = nlp.vocab  # lex_attr_getters is not in spaCy's type stubs
        getters = vocab.lex_attr_getters
        variants = hyphenated(lex.terms)
        by_term: dict[str, list[list[int]]] = {}  # the hyphenated compounds' patterns of each term
        for (term_text, _v), hyphen_norms in zip(variants, term_norms(nlp, [v for _t, v in variants]), strict=True):
            by_term.setdefault(term_text, []).append(hyphen_norms)
        for term, norms in zip(lex.terms, term_norms(nlp, [t.term for t in lex.terms]), strict=True):
            self.terms[vocab.strings.add(term.term)] = term
            # PhraseMatcher.add makes a lexeme of the key (the term); a term with a space is never
            # a token (the tokenizer splits at spaces), so its lexeme skips the attribute
            # functions (word shape, like_num, ... of ~8,000 long strings: a third of the time it
            # takes to build the pipeline)
            if " " in term.term:
                vocab.lex_attr_getters = {}
            try:
                self.matcher.add(term.term, [norms, *by_term.get(term.term, ())])  # type: ignore[list-item]
            finally:
                vocab.lex_attr_getters = getters
        self._other_uses = frozenset(vocab.strings.add(w) for w in OTHER_USES)

    def __call__(self, doc: Doc) -> Doc:
        # a one-word match written as a word with another use here ("0.4 mg", "FT tear", "HD catheter",
        # "R/O") is not a term: looked at further only when the word is one of those (LOWER id)
        other_uses = self._other_uses
        hits = [(m, s, e) for m, s, e in self.matcher(doc)
                if not (e - s == 1 and doc[s].lower in other_uses and _other_use(doc, s))]
        # spacy.util.filter_spans on plain tuples (same order and choice)
        spans = [(s, e, m, 0) for m, s, e in _longest_first(hits)]
        existing = doc.user_data.get(SPANS_KEY)
        doc.user_data[SPANS_KEY] = sorted(spans + existing, key=itemgetter(0)) if existing else spans
        return doc


def _other_use(doc: Doc, s: int) -> bool:
    """Whether the one-word match at ``s`` is another use of its word: a unit after a number ("0.4 mg"),
    the full thickness of a tear ("FT tear"), hemodialysis ("HD catheter"), the "R" of "R/O"."""
    low = doc[s].lower_
    return bool(s and low in UNITS and doc[s - 1].like_num) \
        or low == "ft" and s + 1 < len(doc) and doc[s + 1].lower_ in FULL_THICKNESS_NEXT \
        or low == "hd" and _dialysis_hd(doc, s) \
        or _rule_out_letter(doc, s)


def _rule_out_letter(doc: Doc, s: int) -> bool:
    """Whether the token at ``s`` is the "R" of "R/O" (rule out: "XR KNEE 3 VIEWS R/O FX") or of "R/T"
    (related to: "KNEE PAIN R/T FALL"), written without blanks, which names no side."""
    return (doc[s].lower_ == "r" and s + 2 < len(doc) and not doc[s].whitespace_ and doc[s + 1].text == "/"
            and not doc[s + 1].whitespace_ and doc[s + 2].lower_ in ("o", "t"))


def _dialysis_hd(doc: Doc, s: int) -> bool:
    """Whether the token "HD" at ``s`` is hemodialysis: a dialysis word after it or before it (over a
    hyphen, slash or comma: "HD-dependent", "ESRD/HD")."""
    nxt = next((t.lower_ for t in doc[s + 1:s + 3] if t.lower_ not in ("-", "/", ",")), "")
    prev = next((t.lower_ for t in reversed(doc[max(0, s - 2):s]) if t.lower_ not in ("-", "/", ",")), "")
    return nxt in DIALYSIS_HD_NEXT or prev in DIALYSIS_HD_BEFORE


_Hit = TypeVar("_Hit", bound=tuple[Any, int, int])


def _longest_first(hits: list[_Hit]) -> list[_Hit]:
    """``spacy.util.filter_spans`` for (label, start, end) tuples: the longest (then first) of
    overlapping matches, in start order."""
    if len(hits) < 2:
        return hits
    ordered = sorted(hits, key=itemgetter(1))  # (the matcher's order already)
    if all(a[2] <= b[1] for a, b in zip(ordered, ordered[1:], strict=False)):
        return ordered  # no two overlap: all kept
    result = []
    seen: set[int] = set()
    for hit in sorted(hits, key=lambda h: (h[2] - h[1], -h[1]), reverse=True):
        if hit[1] not in seen and hit[2] - 1 not in seen:
            result.append(hit)
            seen.update(range(hit[1], hit[2]))
    return sorted(result, key=lambda h: h[1])


class ViewCounter:
    def __init__(self, nlp: Language, name: str):
        self.label = nlp.vocab.strings.add(VIEWS_LABEL)

    @staticmethod
    def count(m: re.Match) -> int:
        n = fold_word(m.group("n"))
        value = int(n) if n.isdigit() else NUM_WORDS[n]
        if m.groupdict().get("lt"):
            value = max(1, value - 1)
        return value

    def __call__(self, doc: Doc) -> Doc:
        spans: list[tuple[str, int, int]] = []  # (count, start, end), as _longest_first takes them
        text = doc_text(doc)
        low = text.lower() if text.isascii() else None
        if low is not None and not _may_count_views(low):
            return doc  # no view count can match: the spans stay as they are
        # ASCII text: the case-sensitive copies of the patterns on the lower-cased copy (faster,
        # same matches at the same offsets)
        # (the view-count pattern only where a match can start: it opens with optional groups, and a
        # search tried it at every position)
        for rx, lower_rx in ((RANGE_RX, _RANGE_LOWER), (VIEWS_RX, _VIEWS_LOWER), (CLOSING_RX, _CLOSING_LOWER)):
            for m in (rx.finditer(text) if low is None else matches_at(lower_rx, low, _view_count_starts(low))
                      if lower_rx is _VIEWS_LOWER else lower_rx.finditer(low)):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None:
                    continue
                value = int(m.group("a")) if rx is RANGE_RX else self.count(m)
                if value > 20:
                    continue
                spans.append((str(value), span.start, span.end))
        if not spans and SPANS_KEY in doc.user_data:
            return doc  # nothing to add: the spans stay as they are
        terms = doc.user_data.get(SPANS_KEY, [])
        keep = [(s, e, self.label, kb) for kb, s, e in _longest_first(spans)]
        taken = {i for s, e, _label, _kb in keep for i in range(s, e)}
        terms = [t for t in terms if taken.isdisjoint(range(t[0], t[1]))]
        doc.user_data[SPANS_KEY] = sorted(terms + keep, key=itemgetter(0))
        return doc


class SpanWriter:
    """``doc.spans["attrs"]`` from the spans the components handed on (the pipeline's last
    component, for ``nlp(text)``; the extraction reads the tuples and skips it)."""

    def __init__(self, nlp: Language, name: str):
        pass

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPAN_KEY] = [Span(doc, s, e, label=label, kb_id=kb)
                               for s, e, label, kb in doc.user_data.get(SPANS_KEY, ())]
        return doc


@Language.factory("suggester_spelling", default_config={"lexicon_path": None})
def make_spelling(nlp: Language, name: str, lexicon_path: str | None):
    return SpellingCorrector(nlp, name, lexicon_path)


@Language.factory("suggester_terms", default_config={"lexicon_path": None})
def make_terms(nlp: Language, name: str, lexicon_path: str | None):
    return TermMatcher(nlp, name, lexicon_path)


@Language.factory("suggester_views")
def make_views(nlp: Language, name: str):
    return ViewCounter(nlp, name)


@Language.factory("suggester_spans")
def make_span_writer(nlp: Language, name: str):
    return SpanWriter(nlp, name)
