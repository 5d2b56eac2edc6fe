"""The speed paths give exactly what the plain paths give: literal prefilters (suggester/scan.py),
the batched confidence model, suggest_many, and reading reports in spaCy memory zones."""

import bisect
import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suggester import Suggester
from suggester.confidence import (
    AGENT_RX,
    CONTRAST_WORD_RX,
    DEVIATION_RX,
    EXAMS_HEADER_RX,
    EXPLANATION_RX,
    FEATURE_NAMES,
    RULE_FEATURES,
    SECTION_GROUPS,
    SIDE_WORD_RX,
    VIEW_COUNT_RX,
    VIEW_WORD_RX,
    FeatureRow,
    _abbrev,
    _base_modality,
    _mention_facts,
    _view_count_starts,
    vectorize,
)
from suggester.frames import SIDE_UNDONE_RX
from suggester.lexicon import default_phrases
from suggester.scan import (
    LiteralIndex,
    all_lower,
    count_matches,
    find_matches,
    find_matches_each,
    literal_prefixes,
    matches_at,
    may_match,
    required_literals,
)

SAMPLE = Path(__file__).resolve().parents[1] / "eval" / "data" / "sample.jsonl"
WORDS = ["exam", "was", "terminated", "early", "repeat", "study", "separate", "site", "not", "no", "iv",
         "i.v.", "100", "ml", "omnipaque", "3d", "mip", "should", "follow-up", "with", "limited", "due",
         "Views", "IMAGE", "incomplete", "aborted", "by", "another", "radiologist", ".", ";", "\n", "  "]


def test_required_literals_are_the_words_a_match_needs():
    assert required_literals(r"\b(exam|study)\s+(was\s+)?(terminated|aborted)\b") == {"terminated", "aborted"}
    assert required_literals(r"\bsame[- ]day\s+repeat\b") == {"same-day", "same day"}
    assert required_literals(r"\b\d+(\.\d+)?\s*(ml|cc|mmol)\b") == {"ml", "cc", "mmol"}
    assert required_literals(r"\bFOO\w*") == {"foo"}
    assert required_literals(r"(a|bc)\w+") is None  # "a" alone filters nothing
    assert required_literals(r"\w+") is None
    assert required_literals(r"(x?)+") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25), st.data())
def test_the_filter_never_drops_a_match(words, data):
    text = " ".join(words)
    patterns = [p.pattern for p in default_phrases().phrases]
    occ = LiteralIndex(patterns).scan(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for rx in patterns:
        if rx.search(text, start, end) or rx.search(text[start:end]):
            assert occ.within(rx, start, end), (rx.pattern, text[start:end])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["Only", "BUT", "film", "projections", "not performed", "NOT", "butt", "cancelled",
                                          "canceled", "per the radiologist", "per", "additionally", "IV", "ivy", "x-"]),
                max_size=30), st.sampled_from([" ", "", "\n", ", "]))
def test_count_matches_equals_findall(words, sep):
    text = sep.join(words)
    for rx in (VIEW_WORD_RX, DEVIATION_RX, EXPLANATION_RX, CONTRAST_WORD_RX,
               re.compile(r"\b(?:only|but|was not)\b", re.IGNORECASE), re.compile(r"[A-Z]+", re.I)):
        assert count_matches(rx, text) == len(rx.findall(text))


VIEW_SIDE_WORDS = ["2", "12", "123", "x2", "two", "Two", "TWO", "twone", "bone", "single", "v", "V", "vw", "vws",
                   "views", "VIEW", "projections", "-", "\t", "left", "LT", "lt.", "right", "rt", "heart", "cleft",
                   "art", "gad", "Gadavist", "_left", "left_", "3-view", "4v", "1V", "six", "sixty", "five", "FIVEVIEWS",
                   "twoviews", "p", "projection", "Projections", "2-", "-v", "vv", "1 -\tv", "pview", "0",
                   "NOT", "not", "Not", "be", "been", "scanned", "IMAGED", "evaluated", "Surgically", "absent", "could",
                   "knot", "not\nbe", "notscanned"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VIEW_SIDE_WORDS + WORDS), max_size=30), st.sampled_from([" ", "", "\n", ", ", "-"]))
def test_find_matches_equals_finditer(words, sep):
    """The same spans (and groups, up to case) as finditer; the view counts tried only where a
    digit run or a number word before a view word starts."""
    text = sep.join(words)
    for rx, starts in ((SIDE_WORD_RX, None), (VIEW_COUNT_RX, _view_count_starts), (DEVIATION_RX, None),
                       (AGENT_RX, None), (SIDE_UNDONE_RX, None)):
        want = [(m.span(), [g and g.lower() for g in m.groups()]) for m in rx.finditer(text)]
        assert [(m.span(), list(m.groups())) for m in find_matches(rx, text, starts)] == want, (rx.pattern, text)
    assert [m.group(1) for m in find_matches(VIEW_COUNT_RX, "2 views, TWO VIEWS, 123 views, x2 v, one-view",
                                             _view_count_starts)] == ["2", "two", "one"]
    assert [m.span() for m in find_matches(SIDE_UNDONE_RX, "Knot. The LEFT breast was Not\n  Scanned; kidney "
                                                           "surgically absent. COULD NOT BE IMAGED")] == \
        [(26, 39), (48, 65), (67, 86)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VIEW_SIDE_WORDS + WORDS + ["Only", "BUT", "butt", "cancelled", "per the radiologist",
                                                            "additionally", "ivy", "contrast", "Omnipaque", "é"]),
                max_size=30), st.sampled_from([" ", "", "\n", ", ", "-"]))
def test_find_matches_each_equals_finditer_per_pattern(words, sep):
    """One shared pass over the text gives every pattern the matches finditer gives it (a
    pattern without a twin or literal prefixes, a shared word, and non-ASCII text included)."""
    text = sep.join(words)
    rxs = (DEVIATION_RX, SIDE_WORD_RX, AGENT_RX, EXPLANATION_RX, VIEW_WORD_RX, CONTRAST_WORD_RX,
           re.compile(r"\b(?:only|but)\b", re.IGNORECASE), re.compile(r"[A-Z]+", re.I), re.compile(r"Not\b"))
    got = find_matches_each(rxs, text)
    assert len(got) == len(rxs)
    for rx, ms in zip(rxs, got, strict=True):
        want = [(m.span(), [g and g.lower() for g in m.groups()]) for m in rx.finditer(text)]
        assert [(m.span(), [g and g.lower() for g in m.groups()]) for m in ms] == want, (rx.pattern, text)
    assert [len(ms) for ms in find_matches_each((DEVIATION_RX, SIDE_WORD_RX), "Only the LEFT side, but not Rt.")] == [2, 2]


def test_pattern_caches_by_identity_answer_as_by_equality():
    """The caches looked up by a pattern's identity (hashing a pattern hashes its compiled code)
    give an equal pattern compiled apart the answers of the original, and are bounded."""
    from suggester import scan
    from suggester.textview import Literals

    rx = re.compile(r"\b(?:only|rather)\s+than\b", re.IGNORECASE)
    twin = re.compile(rx.pattern, re.IGNORECASE | re.DOTALL)  # the same words, another object
    assert scan.case_sensitive_twin(rx).pattern == rx.pattern and scan.case_sensitive_twin(rx) is scan.case_sensitive_twin(rx)
    assert scan.case_sensitive_twin(twin).flags & re.IGNORECASE == 0
    assert scan.may_match(rx, "no rather than this") and not scan.may_match(rx, "nothing here")
    index = LiteralIndex([rx, DEVIATION_RX])
    other = re.compile(DEVIATION_RX.pattern, DEVIATION_RX.flags)
    assert index.slot(rx) == 0 and index.slot(other) == index.slot(DEVIATION_RX)
    assert index.slot(re.compile("unrelated")) is None
    rxs = (rx, SIDE_WORD_RX)
    same = tuple(list(rxs))
    assert same is not rxs and scan._each_key(same) is scan._each_key(rxs)
    text = "Only the left side, rather than the right"
    view = Literals(scan.each_literals(rxs)).view(text)
    assert [[m.span() for m in ms] for ms in find_matches_each(same, text, view)] == \
        [[m.span() for m in r.finditer(text)] for r in rxs]
    cache: dict = {}
    for n in range(scan._BY_ID_MAX + 10):
        scan._remember(cache, object(), n)
    assert len(cache) <= scan._BY_ID_MAX


def test_literal_prefixes_are_the_strings_every_match_starts_with():
    assert literal_prefixes(r"\b(?:only|but|was not)\b") == {"only", "but", "was not"}
    assert literal_prefixes(r"\bcancel+ed|not (?:done|given)") == {"cance", "not done", "not given"}
    assert literal_prefixes(r"(a|bc)d") == {"ad", "bcd"}
    assert literal_prefixes(r"\bper (?:the )?x") == {"per "}
    assert literal_prefixes(r"a?bc") is None and literal_prefixes(r"\w+") is None and literal_prefixes(r"(a|b)") is None


def test_non_ascii_text_is_searched_without_the_filter():
    assert LiteralIndex([re.compile("abc")]).scan("abc ſ") is None


def _records(n=40):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [json.loads(x) for x in lines if x.strip()][:n]


def test_suggest_many_equals_suggest_record(sg):
    recs = _records() + [{"id": "bad", "text": ""}, {"id": "x", "text": 3}, "XR KNEE 3 VIEWS RIGHT"]
    one = [sg.suggest_record(r, n) for n, r in enumerate(recs, 1)]
    for batch in (1, 7, 64):
        assert list(sg.suggest_many(recs, batch=batch)) == one
    assert [o["id"] for o in one[-3:]] == ["bad", "x", f"line-{len(recs)}"]
    assert [o["status"] for o in one[-3:]] == ["error", "error", "ok"]


def test_batched_model_equals_one_row_at_a_time(sg):
    model = sg.confidence_model
    if model is None or model._fast is None:
        return
    X = np.random.default_rng(0).integers(0, 4, size=(40, len(model.meta["feature_names"]))).astype(float)
    together = model._fast.predict(X)
    alone = np.concatenate([model._fast.predict(X[i:i + 1]) for i in range(len(X))])
    assert np.array_equal(together, alone)


def test_memory_zone_keeps_outputs_and_bounds_the_vocabulary(monkeypatch):
    import suggester.extraction as extraction

    monkeypatch.setattr(extraction, "VOCAB_GROWTH", 0)  # zones from the first report on
    zoned = Suggester(billing="global")
    plain = Suggester(billing="global")
    plain.extractor.vocab_limit = 10**12  # never zoned
    texts = [f"XR CHEST 2 VIEWS ACC{i:08d}X\nFINDINGS: clear lungs, MRN {i * 7919:09d}." for i in range(30)]
    zoned.suggest(texts[0])
    size = len(zoned.nlp.vocab.strings)
    for t in texts:
        assert zoned.suggest(t) == plain.suggest(t)
    assert len(zoned.nlp.vocab.strings) == size
    assert len(plain.nlp.vocab.strings) > size


# ---------------------------------------------------------------------- noise (suggester/noise.py)
# The noise patterns are tried only where a match can start (found in the lower-cased text); the
# plain path runs every pattern over the whole text. Both must set aside the same spans.
NOISE_PARTS = ["on ", "at ", "@", "@ ", "dated ", "Jan ", "jan. ", "September ", "12/12/2020", "10:42 a.m.", " 1042 hrs",
               "XXX", "xxx", "XxX", "[** name **]", "[***", "***", "___", "\n", ", ", ". ", "; ", "Electronically signed by: ",
               "e-signed", "esigned", "I have personally reviewed the images", "ACC# 12345678", "MRN: 00123",
               "Order #: A123", "CTDIvol 12.3 mGy", "DLP 456 mGy-cm", "air  kerma", "dose reduction", "MERCY HOSPITAL",
               "DEPARTMENT OF RADIOLOGY\n", "(XRCH2V)", " - MRKNL3\n", "\\.br\\", "summar 5, 2020", "may 3 2021", "  ",
               "\t", "2021-03-04T10:11:12Z", "3/2020", "12 March 2020", "at10:42", "123/4/2020", "5th, 2020", "x", "1",
               "23", "ſ", "K", "é", "١٢/١٢/٢٠٢٠", "\u00a0", ",", "a,b,c,d", "the ", "Dictated by", "Thank you for this referral",
               "attending radiologist agrees", "exam id A1234", "study id 12345", "fin 12345", "Patient Name: Foo\n",
               "DOB: 1/1/1950\n", "D: 1/2/2020\n", ", addendum", "visit 12345"]


# facility closings, page marks, transcription samples, broken words, text labels, case marks, places
NOISE_PARTS += ["TWIN FORKS CAH  ", "RIVER CO HOSP | ", "NORTH RMC,", "EAST CMC", "ST MARY MED CTR", "MED\tCTR", " CH", "\tMC",
                "CH", "HOSP", "Page 1 of 2", "PAGE 2/2", "Sample Name: CT Head - 1", "Description:", "-\n", "- \n", "attenua",
                "tion", "report text:", "Result_Text", "(Case 512 VERIFIED)", "(case 7)", "PET/CT CENTER", "Open MRI Center",
                "Patient Name: ", "PT: X # ", "d: ", "Tech: "]


def _noise(text, fast):
    from suggester.noise import _spans, folded

    return [(n.kind, n.start, n.end) for n in _spans(text, folded(text) if fast else None)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NOISE_PARTS), min_size=1, max_size=30), st.booleans(), st.booleans())
def test_noise_found_where_it_can_start_equals_the_whole_text_search(parts, upper, joined):
    text = "".join(parts)
    text = text.upper() if upper else text
    text = ",".join(text.split(" ")) * 3 if joined else text  # one-line exports
    assert _noise(text, True) == _noise(text, False)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789 \t\n:/.-,;@*_[]()#xXaAtTjJnNmMhHsSyYdD", max_size=60))
def test_noise_on_short_punctuated_texts_equals_the_whole_text_search(text):
    assert _noise(text, True) == _noise(text, False)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NOISE_PARTS), min_size=1, max_size=30), st.booleans())
def test_noise_read_from_a_shared_view_equals_noise_read_alone(parts, upper):
    """set_aside with the text's shared view (its keyword pass answers which words the text holds:
    pages, samples, broken words, facility closings) sets aside what it does searching the text alone."""
    from suggester.noise import LITERALS, set_aside
    from suggester.textview import Literals

    text = "".join(parts)
    text = text.upper() if upper else text
    assert set_aside(text, view=Literals(LITERALS).view(text)) == set_aside(text)


def test_noise_on_the_sample_reports_equals_the_whole_text_search():
    for r in _records(400):
        assert _noise(r["text"], True) == _noise(r["text"], False), r["id"]


def test_noise_speed_path_exact_cases():
    from suggester.noise import folded

    # a month inside a word, a date inside a run of digits, a star run after "[", "e-signed"
    assert _noise("summar 5, 2020", True) == [("date", 3, 14)]
    assert _noise("ref 123/4/2020 x", True) == [("date", 5, 14)]
    assert _noise("a [***** b", True) == [("date", 3, 8), ("deid", 3, 8)]
    assert _noise("Clear., e-signed by X", True) == [("signature", 7, 21)]
    assert _noise("seen on jan. 5, 2020 at 10:42 a.m. ok", True) == [("date", 5, 34)]
    # case-insensitive matches the lower-cased copy would not keep: searched without it
    assert folded("\u212aERMA") is None and folded("ſeen") is None and folded("İ") is None
    assert folded("Übersicht 5 Jan") == "übersicht 5 jan"


SAMPLE_PARTS = ["Sample Name:", "SAMPLE  NAME :", "sample\tname:", "(Medical Transcription Sample Report)",
                "(MEDICAL TRANSCRIPTION SAMPLE REPORT)", "sample", "name", "ſample name:", "SAMPLE", "Impression:,",
                "a:,", "1:,", ":,", ":", ",", " ", "\n", "x", "é", "\u212a", "CT HEAD"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SAMPLE_PARTS), min_size=1, max_size=20), st.data())
def test_noise_literal_checks_equal_the_searches(parts, data):
    from suggester.noise import _HEADER_COMMA, _SAMPLE, _header_comma, _sample_wrapped, folded

    text = "".join(parts)
    assert _sample_wrapped(text, folded(text)) == (_SAMPLE.search(text) is not None)
    assert _sample_wrapped(text, None) == (_SAMPLE.search(text) is not None)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    assert _header_comma(text, a, b) == (_HEADER_COMMA.search(text, a, b) is not None)


RENDERING_PARTS = ["3D", "3-d", "three-dimensional", "THREE DIMENSIONAL", "volume-rendered", "Surface render",
                   "VR images", "vr", "reconstructions", "reformats", "images", "surface", "volume", " ", "\n", ".",
                   "workstation", "were", "produced", "thre", "rend", "v r", "d", "é", "3", "-", "31", "D", "3 d"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(RENDERING_PARTS), min_size=1, max_size=15))
def test_rendering_words_are_in_every_rendering_match(parts):
    from suggester.frames import _RENDERED_AS_SUCH, _RENDERING_RX, _RENDERING_WORDS
    from suggester.scan import folded

    text = "".join(parts)
    for rx in (_RENDERING_RX, _RENDERED_AS_SUCH):
        for m in rx.finditer(text):
            assert any(w in folded(m.group()) for w in _RENDERING_WORDS), (rx.pattern, m.group())


# ---------------------------------------------------------------------- section headers (suggester/sections.py)
def _headers(text):
    from suggester.lexicon import default_lexicon
    from suggester.scan import matches_at
    from suggester.sections import (
        _header_matches,
        _header_regex,
        _header_starts,
        _of_headers,
        _own_literals,
    )

    heads = tuple(default_lexicon().sections)
    rx = _header_regex(heads)
    plain = [(m.span(), m.groupdict()) for m in rx.finditer(text)]
    view = _own_literals(heads).view(text)
    words = view.hits(("sections.headers", heads))
    fast = plain if words is None or view.low is None else [
        (m.span(), m.groupdict()) for m in matches_at(rx, text, _header_starts(view.low, words))]
    # ... and each start tried with the headers its word opens only
    by_word = plain if words is None or view.low is None else [
        (m.span(), m.groupdict()) for m in _header_matches(_of_headers(default_lexicon().sections), text, view.low, words)]
    assert by_word == fast
    return plain, fast


HEADER_PARTS = ["FINDINGS", "findings", "Impression", "CLINICAL  HISTORY", "clinical history", "EXAM", "exam(s)",
                "Reason for exam", "comparison/prior", "BI-RADS", "hx", "\n", " ", "  ", "\t", ".", ",", ";", ": ",
                " - ", "#1) ", "(prelim)", "the ", "x", "ſ", "\u212a", "é", "TECHNIQUE:", "views", "technique / protocol",
                "A/P", "impressions", "find", "FINDINGS/IMPRESSION", "history of present illness"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(HEADER_PARTS), min_size=1, max_size=25))
def test_headers_found_where_they_can_start_equal_the_whole_text_search(parts):
    plain, fast = _headers("".join(parts))
    assert fast == plain


def test_headers_on_the_sample_reports_equal_the_whole_text_search():
    for r in _records(400):
        plain, fast = _headers(r["text"])
        assert fast == plain, r["id"]


def test_phrase_search_on_the_lowered_copy_equals_the_case_insensitive_search(sg):
    from suggester.lexicon import default_phrases
    from suggester.modifiers import _find_phrases

    phrases = default_phrases()
    searches = [("modifier", None)] + [("document", w) for w in ("cta_reconstruction", "contrast_agent", "contrast_route")]
    texts = [r["text"] for r in _records(400)] + ["CT HEAD WITHOUT CONTRAST\nTECHNIQUE: The exam was terminated "
                                                  "early. 100 mL Omnipaque IV.\nIMPRESSION: Normal."]
    texts += ["CT CHEST\nTECHNIQUE: " + " ".join(w) for w in (
        ["Exam terminated early.", "3.4", "mL", "i.v.", "Omnipaque", "100 mL IV", "no 3D;", "MIP!", "repeat?"],
        ["same day repeat", "at a separate site", "no", "MIP", "reformats.", "should", "repeat", "\n", "i.v. contrast"])]
    for text in texts:
        fast, plain, unfiltered = sg.extract(text), sg.extract(text), sg.extract(text)
        plain.__dict__["_lowered"] = None  # the case-insensitive patterns on the report itself
        # every sentence of every section, without the words found in the report
        unfiltered.__dict__["_phrase_words"] = {id(phrases): None}
        for kind, value in searches:
            got = _find_phrases(fast, phrases, kind, value)
            assert got == _find_phrases(plain, phrases, kind, value) == _find_phrases(unfiltered, phrases, kind, value)
    hits = _find_phrases(sg.extract(texts[-3]), phrases, "modifier", None)
    assert [(h.value, h.evidence["text"], h.evidence["start"]) for h in hits] == [("52", "exam was terminated", 40)]


# ---------------------------------------------------------------------- dictated punctuation (suggester/sections.py)
DICTATION_PARTS = ["period", "Period", "PERIOD", "comma", "colon", "Colon", "semicolon", "new paragraph", "next line",
                   "of", "exam", "History", "clinical history", "reason for exam", "the", "x", "_", "1", ".", ",", "\n",
                   " ", "  ", "\t", "colonic", "periods", "examination", "FINDINGS", "impression", "procedure", "é"]


def _dictation(text):
    from suggester.sections import _normalized

    return _normalized(text, text.lower() if text.isascii() else None), _normalized(text, None)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(DICTATION_PARTS), st.sampled_from(["", " ", "  ", "\n", " \n "])),
                min_size=1, max_size=16))
def test_dictated_punctuation_found_where_it_can_start_equals_the_whole_text_search(parts):
    fast, plain = _dictation("".join(a + b for a, b in parts))
    assert fast == plain


def test_dictated_punctuation_on_the_sample_reports_equals_the_whole_text_search():
    for r in _records(400):
        fast, plain = _dictation(r["text"])
        assert fast == plain, r["id"]
    assert _dictation("History colon fall period Findings colon normal colon")[0] == \
        "History:      fall.       Findings:      normal colon"


# ---------------------------------------------------------------------- the shared view (suggester/textview.py)
def _literals():
    from suggester.confidence import LITERALS
    from suggester.extraction import stage_literals
    from suggester.lexicon import default_lexicon
    from suggester.modifiers import literals
    from suggester.textview import Literals

    return Literals({**stage_literals(default_lexicon()), **literals([default_phrases()]), **LITERALS})


def _all_hits(view):
    return {g: view.hits(g) for g in view.literals.groups}


VIEW_PARTS = NOISE_PARTS + HEADER_PARTS + WORDS + ["Findings:", "IMPRESSION:", " Technique: ", "only", "LEFT", "12"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VIEW_PARTS), min_size=1, max_size=30), st.data())
def test_a_blanked_view_finds_the_words_a_fresh_scan_finds(parts, data):
    """The words of a text with spans blanked, derived from the text's view (found again only
    around the spans), are those a scan of the blanked text finds, in the same order."""
    lits = _literals()
    text = "".join(parts)
    spans = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 40)), max_size=6))
    spans = [(a, min(len(text), a + n)) for a, n in spans]
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = "\n" if chars[i] == "\n" else " "
    blanked = "".join(chars)
    view = lits.view(text)
    if data.draw(st.booleans()):
        view.hits("noise.keywords")  # derived from a view already scanned, or not yet
    assert _all_hits(view.blanked(blanked, spans)) == _all_hits(lits.view(blanked))


def test_a_blanked_view_checks_what_changed():
    lits = _literals()
    view = lits.view("EXAM: CT HEAD. Findings: none")
    other = view.blanked("EXAM: CT HEAD. Findings: NONE", [(0, 4)])  # changed outside the span: scanned afresh
    assert other._base is None and _all_hits(other) == _all_hits(lits.view("EXAM: CT HEAD. Findings: NONE"))
    assert view.blanked("    : CT HEAD. Findings: none", [(0, 4)])._base is not None
    assert view.blanked("xxxx: CT HEAD. Findings: none", [(0, 4)])._base is None  # not blanks
    assert view.hits("no such group") is None and lits.view("\u212a findings").hits("sections.run_on") is None


def test_the_extractors_views_equal_fresh_scans_on_the_sample_reports(sg):
    """The pipeline's views (the report's and the cleaned text's, derived from it) hold what a
    scan of each text finds; the stages searching through them give what they give alone."""
    from suggester.modifiers import phrases_of

    lits = sg.extractor.literals
    index = phrases_of(sg.payer).index
    for r in _records(200):
        ex = sg.extract(r["text"])
        assert ex.view.of(ex.text) and ex.clean_view.of(ex.clean)
        assert _all_hits(ex.clean_view) == _all_hits(lits.view(ex.clean)), r["id"]
        assert _all_hits(ex.view) == _all_hits(lits.view(ex.text)), r["id"]
        shared, alone = index.scan(ex.text, ex.view), index.scan(ex.text)
        assert (shared is None) == (alone is None) and (shared is None or shared._hits == alone._hits)
        rxs = (DEVIATION_RX, SIDE_WORD_RX, AGENT_RX)
        assert [[m.span() for m in ms] for ms in find_matches_each(rxs, ex.text, ex.view)] == \
            [[m.span() for m in ms] for ms in find_matches_each(rxs, ex.text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEADER_PARTS + ["Indication", "COMPARISON", "Technique", "x ", "1 ", ") ", "Findings",
                                                "IMPRESSION", "impression", ":", " :"]), min_size=1, max_size=25))
def test_run_on_headers_found_where_their_words_are_equal_the_whole_text_search(parts):
    from suggester.lexicon import default_lexicon
    from suggester.sections import _RUN_ON_GROUP, _RUN_ON_HEADER, _own_literals

    text = "".join(parts)
    hits = _own_literals(tuple(default_lexicon().sections)).view(text).hits(_RUN_ON_GROUP)
    want = [m.span() for m in _RUN_ON_HEADER.finditer(text)]
    assert hits is None or [m.span() for m in matches_at(_RUN_ON_HEADER, text, sorted({i for i, _ in hits}))] == want


# the patterns the frames rules read section sentences with, skipping the sections that hold none
# of their words (scan.may_match; the 3D rendering patterns are read everywhere but serve as cases),
# and those searched over the whole text only when it holds one of their words
SECTION_RULE_PATTERNS = ("_RENDERING_RX", "_RENDERED_AS_SUCH", "_TRANSVAGINAL_RX", "_TRANSABDOMINAL_RX",
                         "_HIP_STATIC_RX", "_PARTS_UNDONE_RX", "_DIAGNOSTIC_CTC_RX", "_AVERAGE_RISK_RX",
                         "_ANATOMY_COMPLETION_RX", "_VFA_RX", "_SPECT_WITH_CT", "_SPECTRAL_RX",
                         "_ONLY_SIDE_RX", "_TOTAL_VIEWS_RX", "_INFANT_AGE_RX", "_CONSISTENCY_RX")
SECTION_RULE_PARTS = ["3D", "3-d", "Three-Dimensional", "volume", "VOLUME-rendered", "surface rendering", "VR images",
                      "reconstructions", "reformats", "images", "workstation", "transvaginal", "Endovaginal",
                      "TRANS-ABDOMINAL", "stress", "Barlow", "not performed", "static", "only", "were not scanned",
                      "average-risk", "Screening", "asymptomatic", "incomplete", "melena", "the", "liver", ".",
                      "anatomy", "Completion", "return", "VFA", "vertebral fracture assessment", "SPECT/CT", "spect",
                      "Spectral", "DUPLEX", "waveforms", "wave", "spectrum", "Doppler",
                      "ONLY", "left", "Right", "leg", "was", "examined", "Imaged", "changed to", "exam", "limited to",
                      "total", "Total of", "3", "four", "views", "6", "week", "-", "old", "boy", "Newborn", "nectar",
                      "thick", "honey", "puree", "thin", "liquid", "cookie", "mechanical",
                      ";", "\n", "  ", "\u017f", "\u212a"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SECTION_RULE_PARTS), min_size=1, max_size=25), st.sampled_from([" ", "", "\n"]),
       st.data())
def test_may_match_never_skips_a_span_holding_a_match(parts, sep, data):
    import suggester.frames as frames
    from suggester.scan import folded, may_match

    text = sep.join(parts)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    low = folded(text)
    for name in SECTION_RULE_PATTERNS:
        rx = getattr(frames, name)
        if rx.search(text, start, end) or rx.search(text[start:end]):
            assert may_match(rx, low, start, end), (name, text, start, end)


def test_may_match_exact_cases():
    from suggester.frames import _RENDERED_AS_SUCH, _RENDERING_RX, _TRANSVAGINAL_RX
    from suggester.scan import folded, may_match

    text = "Axial CT of the abdomen. Three-Dimensional VOLUME rendered reconstructions were made."
    low = folded(text)
    assert not may_match(_RENDERING_RX, low, 0, 24) and not may_match(_RENDERED_AS_SUCH, low, 0, 24)
    assert may_match(_RENDERING_RX, low, 24, len(text)) and may_match(_RENDERED_AS_SUCH, low, 24)
    assert not may_match(_TRANSVAGINAL_RX, low)
    assert may_match(_TRANSVAGINAL_RX, None)  # no folded copy: the caller searches
    assert folded("\u212a transvaginal") is None
    assert may_match(re.compile(r"\w+"), low, 0, 0)  # no required words: may match


SECTION_RULE_REPORTS = [
    "CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Axial images. 3D volume rendered reconstructions were created "
    "on an independent workstation.\nFINDINGS: Normal liver.",
    "CT CHEST WITHOUT CONTRAST\nTECHNIQUE: Axial images with 3D surface rendering at the scanner console.\n"
    "FINDINGS: No nodule.",
    "CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Axial images. 3D reconstructions could be produced on request.\n"
    "FINDINGS: Normal.",
    "US PELVIS\nTECHNIQUE: Transabdominal imaging through a full bladder followed by transvaginal imaging.\n"
    "FINDINGS: Normal uterus and ovaries.",
    "US PELVIS\nFINDINGS: The uterus measures 8 cm. Normal ovaries.",
    "CT COLONOGRAPHY\nHISTORY: Average-risk screening, asymptomatic.\nFINDINGS: No polyp.",
    "CT COLONOGRAPHY SCREENING\nHISTORY: Incomplete colonoscopy.\nFINDINGS: No polyp.",
    "US INFANT HIPS\nTECHNIQUE: Static coronal images only; stress views were not performed.\nFINDINGS: Normal alpha angles.",
    "US RIGHT KNEE\nFINDINGS: The medial and lateral recesses were not examined. Small effusion.",
    "US OB FOLLOW UP\nHISTORY: Return for completion of the fetal anatomic survey.\nFINDINGS: Single live fetus.",
    "DXA BONE DENSITY\nTECHNIQUE: Lumbar spine and hips. Vertebral fracture assessment was also performed.\n"
    "IMPRESSION: Osteopenia.",
    "NM BONE SCAN SPECT\nTECHNIQUE: SPECT/CT of the lumbar spine was performed.\nFINDINGS: No uptake.",
    # an organ ultrasound's duplex (frames.organ_duplex: only sections holding a spectral word) and
    # its elements (frames.complete_elements: only the element patterns and cues whose words occur)
    "US ABDOMEN COMPLETE\nTECHNIQUE: Grayscale and color Doppler images. Spectral Doppler waveforms of the hepatic "
    "artery and portal vein were obtained.\nFINDINGS: Hepatic veins patent with phasic outflow. Normal liver, "
    "gallbladder, pancreas, spleen, kidneys, aorta and IVC. Common bile duct 3 mm.",
    "US ABDOMEN LIMITED\nTECHNIQUE: Duplex evaluation of the portal vein.\nFINDINGS: Main, right and left portal "
    "veins patent with hepatopetal flow.",
    "US ABDOMEN COMPLETE\nTECHNIQUE: Grayscale and color flow images.\nFINDINGS: Normal liver, gallbladder, "
    "pancreas, spleen, kidneys, aorta and IVC. Common bile duct 3 mm.",
    "US ABDOMEN COMPLETE\nFINDINGS: The liver is normal. The pancreas and aorta are not visualized due to bowel "
    "gas. Normal gallbladder, spleen and kidneys.",
    "US RENAL TRANSPLANT\nTECHNIQUE: Spectral Doppler of the main renal artery and vein.\nFINDINGS: Resistive "
    "index 0.7.",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SECTION_RULE_PARTS), min_size=1, max_size=25), st.sampled_from([" ", "", "\n"]))
def test_spans_may_match_equals_may_match_per_span(parts, sep):
    """complete_elements reads each pattern's words once over the findings: the sentences it keeps
    are those may_match keeps one at a time."""
    import suggester.frames as frames
    from suggester.lexicon import default_lexicon
    from suggester.scan import folded, spans_may_match

    text = sep.join(parts)
    low = folded(text)
    spans = [m.span() for m in re.finditer(r"[^.;\n]+", text)]
    starts = [a for a, _b in spans]
    pats = [getattr(frames, name) for name in SECTION_RULE_PATTERNS]
    pats += [el.pattern for els in default_lexicon().elements.values() for el in els]
    for rx in pats:
        assert spans_may_match(rx, low, spans, starts) == [k for k, (a, b) in enumerate(spans)
                                                            if may_match(rx, low, a, b)], rx.pattern


def test_first_char_filtered_patterns_find_the_same_matches():
    """Every pattern of suggester.frames that first_char_filtered gives a lookahead finds the
    matches (spans and groups) its plain pattern finds, letters that fold to ASCII included; the
    patterns the engine searches fast already keep their own."""
    import suggester.frames as frames
    from suggester.scan import first_char_filtered

    plain = {name: re.compile(rx.pattern[rx.pattern.index("])(?:") + 5:-1], rx.flags)
             for name, rx in vars(frames).items() if isinstance(rx, re.Pattern) and rx.pattern.startswith("(?=[")}
    assert len(plain) > 200  # most of the module's patterns
    texts = SECTION_RULE_REPORTS + [r["text"] for r in _records(60)]
    texts += [t.upper() for t in texts[:20]] + ["Kelvin \u212a\u017fpine \u0130V \u0131v 3.5 ml w/ and w/o"]
    for name, rx in plain.items():
        fx = getattr(frames, name)
        assert first_char_filtered(rx).pattern == fx.pattern
        for text in texts:
            assert [m.span() + m.groups() for m in rx.finditer(text)] == \
                [m.span() + m.groups() for m in fx.finditer(text)], (name, text)
    for pattern in (r"^exam", r"\.[a-z]\.", r"[,;]\s", r"\s*then\b", r"(?:x|y)?", r"(?i)\bfoo"):
        assert first_char_filtered(re.compile(pattern, re.IGNORECASE)).pattern == pattern
    assert first_char_filtered(re.compile(r"\b(?:pregnant|hcg|\d+\s*weeks?)\b", re.I)).pattern.startswith("(?=[")


def test_element_patterns_filter_never_skips_a_report_holding_a_match():
    """complete_elements skips the element patterns and sentence cues whose words the findings lack:
    every one of them that matches a report's text has its words in it (and some are skipped)."""
    from suggester.lexicon import default_lexicon
    from suggester.scan import folded, may_match

    pats = {el.pattern for els in default_lexicon().elements.values() for el in els}
    texts = SECTION_RULE_REPORTS + [r["text"] for r in _records(200)]
    skipped = 0
    for text in texts:
        low = folded(text)
        for rx in pats:
            if rx.search(text):
                assert may_match(rx, low), (rx.pattern, text)
            skipped += not may_match(rx, low)
    assert skipped > len(texts)  # the filter skips patterns on most reports


def test_section_rules_with_the_filter_equal_them_without(sg, monkeypatch):
    """The frames rules that skip sections without their words give what reading every sentence
    gives, on reports that document each of them and on the sample reports."""
    import suggester.frames as frames

    texts = SECTION_RULE_REPORTS + [r["text"] for r in _records(200)]
    fast = [sg.suggest(t) for t in texts]
    monkeypatch.setattr(frames, "may_match", lambda *_a, **_k: True)
    assert [sg.suggest(t) for t in texts] == fast
    rendered = [sorted(c["code"] for c in o["codes"]) for o in fast[:3]]
    assert "76377" in rendered[0] and "76376" in rendered[1] and not {"76376", "76377"} & set(rendered[2])
    organs = [sorted(c["code"] for c in o["codes"]) for o in fast[12:17]]
    assert organs == [["76700", "93975"], ["76705", "93976"], ["76700"], ["76705"], ["76776"]]
    assert [f["type"] for f in fast[15]["flags"]] == ["complete_exam_elements_missing"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VIEW_SIDE_WORDS + WORDS + ["vws", "vw", "viewss", "preview", "vprojection"]), max_size=30),
       st.sampled_from([" ", "", "\n", "-"]))
def test_view_words_found_by_first_letter_equal_the_one_pattern(words, sep):
    from suggester.confidence import _VIEW_UNIT_BY_LETTER, _VIEW_UNIT_RX

    low = sep.join(words).lower()
    assert sorted(m.start() for rx in _VIEW_UNIT_BY_LETTER for m in rx.finditer(low)) == \
        [m.start() for m in _VIEW_UNIT_RX.finditer(low)], low


RIS_PARTS = ["(", "[", "{", "-", ")", "]", "}", "XRCH2V", "CTHDWO", "MRKNL3", "CT2", "A.B-1", "ab12", "BILAT", "2",
             " ", "\t", ".", "\n", "XR CHEST 2V PA/LAT ", "- ", "--", "(2)"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(RIS_PARTS), min_size=1, max_size=30))
def test_ris_codes_found_per_opening_character_equal_the_one_pattern(parts):
    from suggester.noise import _RIS_RX, _ris_matches

    text = "".join(parts)
    assert [(m.span(), m.groups()) for m in _ris_matches(text)] == \
        [(m.span(), m.groups()) for m in _RIS_RX.finditer(text)], text
    # the first code on a line that can end it: "- CTHD1 (CT2)" is not one, "(CT2) ." is
    text = "XR CHEST (XRCH2V)\nCT HEAD - CTHD1 (CT2) .\nMR KNEE [MRKNL3]. \n"
    assert [(m.span(), m.groups()) for m in _ris_matches(text)] == \
        [((9, 17), ("XRCH2V", None)), ((34, 41), ("CT2", None)), ((50, 60), ("MRKNL3", None))]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["12", "3", " ", "CT", "2V", "signed", "mGy", "\n", "0000", "x9"]), max_size=60))
def test_digit_runs_from_the_shared_pass_equal_the_search(parts):
    """noise: a text of more digits than _DIGIT_LOOP_MAX has its digit runs searched in C, not
    read from the shared pass: the same runs."""
    from suggester import noise
    from suggester.textview import view_for

    text = "".join(parts)
    loop = noise._keyword_hits(view_for(text, None, (noise._KEYWORD_GROUP,), noise._OWN))
    saved = noise._DIGIT_LOOP_MAX
    noise._DIGIT_LOOP_MAX = -1
    try:
        searched = noise._keyword_hits(view_for(text, None, (noise._KEYWORD_GROUP,), noise._OWN))
    finally:
        noise._DIGIT_LOOP_MAX = saved
    assert searched == loop
    assert loop["digits"] == [m.span() for m in re.finditer(r"\d+", text)]


def _plain_mention_facts(mentions, used):
    """report_context's counts over the mentions as it read them before _mention_facts (one
    comprehension per count): the reference of the one-pass reading."""
    performed = [m for m in mentions if m.status == "performed"]
    title_ms = [m for m in performed if m.section == "exam"]

    def vals(key, group):
        return {m.value for m in performed if m.key == key and SECTION_GROUPS.get(m.section, "narrative") == group}

    return {
        "n_negated": sum(m.status == "negated" for m in mentions),
        "n_historical": sum(m.status == "historical" for m in mentions),
        "modalities": {m.value for m in mentions if m.key == "modality" and m.status == "performed"},
        "unused_title_sites": {m.value for m in mentions if m.key == "site" and m.section in ("exam", "subtitle")
                               and m.status == "performed" and (m.start, m.end) not in used},
        "unused_title_keys": {m.key for m in mentions if m.section in ("exam", "subtitle")
                              and m.status == "performed" and (m.start, m.end) not in used},
        "title_sites": sum(1 for m in performed if m.key == "site" and m.section in ("exam", "subtitle")),
        "technique_sites": vals("site", "technique"),
        "technique_modalities": {_base_modality(v) for v in vals("modality", "technique")},
        "narrative_sites": vals("site", "narrative"),
        "title_modalities": {_base_modality(m.value) for m in title_ms if m.key == "modality"},
        "title_modality_mentions": sum(1 for m in title_ms if m.key == "modality"),
        "title_sites_any": any(m.key == "site" for m in title_ms),
        "title_mentions": len(title_ms),
    }


def test_mention_facts_in_one_pass_equal_the_plain_counts(sg):
    texts = [r["text"] for r in _records()] + [
        "EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nHISTORY: prior CT head 2019.\nTECHNIQUE: CT of the chest "
        "without contrast; no IV contrast was given. The pelvis was not imaged.\nFINDINGS: left kidney cyst.",
        "XR KNEE 3 VIEWS RIGHT", "MRI BRAIN AND CERVICAL SPINE W/WO\nComparison: MRI brain 2020.", ""]
    seen = 0
    for text in texts:
        ex = sg.extract(text)
        used = {(m.start, m.end) for f in ex.frames for ms in f.evidence.values() for m in ms}
        for ms in (ex.mentions, ex.mentions[::2], ex.mentions[1::3], []):
            got = _mention_facts(ms, used)
            want = _plain_mention_facts(ms, used)
            assert {k: getattr(got, k) for k in want} == want
            assert type(got.n_negated) is type(want["n_negated"]) is int
            seen += len(ms)
    assert seen > 100


@given(st.text(alphabet="abcXYZ é/.1 -İ", max_size=12))
def test_abbrev_equals_counting_the_letters(text):
    assert _abbrev(text) == (len([c for c in text if c.isalpha()]) <= 4 or "/" in text or "." in text)


def test_vectorize_equals_the_array_of_rows():
    rng = np.random.default_rng(1)
    for n in (0, 1, 3, 17):
        rows = [{k: float(v) for k, v in zip(FEATURE_NAMES, rng.normal(size=len(FEATURE_NAMES)), strict=True)}
                for _ in range(n)]
        for r in rows[:1]:
            r[FEATURE_NAMES[0]], r[FEATURE_NAMES[-1]] = 1.0, float("inf")
        want = np.array([[r[k] for k in FEATURE_NAMES] for r in rows], dtype=np.float64).reshape(n, len(FEATURE_NAMES))
        got = vectorize(rows)
        assert got.shape == want.shape and got.dtype == np.float64
        assert np.array_equal(got, want)


def test_feature_row_blocks_cover_every_feature_once():
    # line_features fills a row by blocks: together they set every feature, none twice
    from suggester import confidence

    at: list[int] = []
    for name, v in vars(confidence).items():
        if name.startswith("_") and name.endswith("_BLOCK"):
            at += range(v.start, v.stop)
        elif name == "_EVIDENCE_BLOCKS":
            at += [i for b in v for i in range(b.start, b.stop)]
    assert sorted(at) == list(range(len(FEATURE_NAMES)))
    assert len(confidence._NO_EVIDENCE) == confidence._EVIDENCE_BLOCKS[0].stop - confidence._EVIDENCE_BLOCKS[0].start
    with pytest.raises(ValueError, match="not consecutive"):
        confidence._block("qual_n", "n_conflicts")


@given(st.integers(min_value=0, max_value=5000))
def test_one_hot_tables_equal_comparing_each_value(n):
    from suggester import confidence as c

    lo, want = 0, []
    for b in c.LENGTH_BUCKETS:
        want.append(float(lo <= n < b))
        lo = b
    assert c._LENGTH_ROWS[bisect.bisect_right(c.LENGTH_BUCKETS, n)] == (*want, float(n >= c.LENGTH_BUCKETS[-1]))
    for values, rows, other, has_other in ((c.FRAME_SOURCES, c._SOURCE_ROWS, c._SOURCE_OTHER, True),
                                           (c.ORIGINS, c._ORIGIN_ROWS, c._ORIGIN_OTHER, False),
                                           (c.FAMILIES, c._FAMILY_ROWS, c._FAMILY_OTHER, True)):
        for v in (*values, None, "other", values[0].upper()):
            plain = tuple(float(v == x) for x in values) + ((float(v not in values),) if has_other else ())
            assert rows.get(v, other) == plain


def test_feature_row_reads_like_the_dict_of_its_names():
    values = [float(i) for i in range(len(FEATURE_NAMES))]
    row = FeatureRow(values)
    assert dict(row) == dict(zip(FEATURE_NAMES, values, strict=True))
    assert list(row) == list(FEATURE_NAMES) and len(row) == len(FEATURE_NAMES)
    assert row["margin"] == float(FEATURE_NAMES.index("margin")) and row.get("no such feature") is None
    with pytest.raises(KeyError):
        row["no such feature"]
    with pytest.raises(ValueError, match="holds"):
        FeatureRow([0.0] * (len(FEATURE_NAMES) - 1))
    # rows and dicts vectorize alike, mixed in one call
    as_dict = {k: -v for k, v in zip(FEATURE_NAMES, values, strict=True)}
    got = vectorize([row, as_dict])
    assert np.array_equal(got, np.array([values, [-v for v in values]]))


def test_line_features_rows_hold_the_rule_features_and_the_named_values(rules_sg):
    from suggester.confidence import features

    text = "XR RIGHT KNEE 3 VIEWS AND XR LEFT ANKLE 3 VIEWS\nFINDINGS: normal."
    job = rules_sg._prepare(text, None, None, None, None)
    assert len(job.feats) == len(job.lines) == 2
    for ln, feat in zip(job.lines, job.feats, strict=True):
        assert type(feat) is FeatureRow
        assert {k: feat[k] for k in RULE_FEATURES} == features(ln, len(job.ex.frames))
        assert all(type(v) is float for v in feat.row)
    assert sorted(ln.code.code for ln in job.lines) == ["73562", "73610"]
    for feat in job.feats:
        assert (feat["code_unilateral"], feat["code_has_views"], feat["family_xr"], feat["n_lines"],
                feat["n_lines_same_family"], feat["side_documented"]) == (1.0, 1.0, 1.0, 2.0, 2.0, 1.0)


def test_rules_looked_up_by_code_equal_every_rule_in_order(sg, monkeypatch):
    import random

    from suggester import mapping
    from suggester.model import Line

    lex = sg.lex
    named = sorted({c for r in lex.rules for c in r.named_codes if c in lex.codes})
    assert len(named) > 20
    rng = random.Random(5)
    sets = [[c] for c in named] + [rng.sample(named, rng.randint(2, 5)) for _ in range(400)]
    sets += [[c for c in r.named_codes if c in lex.codes] for r in lex.rules]  # every rule's codes together

    def run():
        out = []
        for codes in sets:
            lines, applied = mapping.apply_rules([Line(lex.codes[c], None, []) for c in codes], lex)
            out.append(([ln.code.code for ln in lines], [ln.origin for ln in lines], applied))
        return out

    fast = run()
    # the plain path: every rule after the last one applied, in file order (a rule naming none of
    # the codes billed is a no-op there)
    monkeypatch.setattr(mapping, "_rules_naming", lambda lex, codes, after: list(range(after + 1, len(lex.rules))))
    assert run() == fast
    assert sum(bool(a) for _c, _o, a in fast) > 50  # rules did apply


def _plain_all_lower(text: str) -> bool:
    return text.lower() != text.upper() and text == text.lower()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abzAZ 1.\n\u00aa\u0138\u00df\u03d2\u01c5\u24b6\u24d0\u0130\u0131\u017f\u212a\u00e9\u00c9", max_size=12))
def test_all_lower_equals_comparing_the_case_mappings(text):
    """(ASCII text read in place by str.islower; "ª", "ĸ" (lower case, no capital), "ϒ" (a capital
    without a lower-case form), "ǅ" (title case), circled letters: by the mappings)"""
    assert all_lower(text) is _plain_all_lower(text)


def test_all_lower_exact_cases():
    for text, want in (("ct head without contrast", True), ("CT head", False), ("12 / 3", False), ("", False),
                       ("x", True), ("X", False), ("\u00aa", False), ("\u0138 a", True), ("\u03d2a", True),
                       ("\u00e9t\u00e9", True), ("\u00c9t\u00e9", False)):
        assert all_lower(text) is want is _plain_all_lower(text), text


def test_view_counts_from_a_shared_folded_copy_equal_folding_again(sg):
    """report_context hands find_matches the report view's folded copy: the same matches as
    folding the text again; and the "EXAMS:" header is searched only where its words are."""
    from suggester.scan import folded

    texts = [r["text"] for r in _records()] + [
        "EXAMS: XR HAND 3V LEFT; XR WRIST 2 VIEWS\nFINDINGS: two-view and 4V series.", "Procedures :\nx",
        "  studies: CT", "\u017ftudies: CT 2 views", "EXAM\u212a: 3 views", ""]
    for text in texts:
        low = folded(text)
        want = [(m.span(), m.groups()) for m in find_matches(VIEW_COUNT_RX, text, _view_count_starts)]
        got = [(m.span(), m.groups()) for m in find_matches(VIEW_COUNT_RX, text, _view_count_starts, low)]
        assert got == want, text
        for end in (0, 5, 40, 2000):
            found = EXAMS_HEADER_RX.search(text, 0, end) is not None
            assert (may_match(EXAMS_HEADER_RX, low, 0, end) and found) == found, (text, end)


def test_rendering_read_only_in_sections_with_its_words_equals_reading_every_section(sg, monkeypatch):
    """documented_rendering skips a section without "3d", "3-d", "three", "render" or "vr": the
    same frame as reading every technique and body sentence."""
    from suggester import frames

    texts = [r["text"] for r in _records()] + [
        "CT ABDOMEN PELVIS WITH CONTRAST\nTECHNIQUE: Axial images 3/14/2025, DLP 333 mGy-cm. 3D volume-rendered "
        "images were created on an independent workstation.\nFINDINGS: Normal.",
        "CT FACIAL BONES WO\nTECHNIQUE: 3-D surface reconstructions at the scanner console.\nIMPRESSION: No fracture.",
        "MRI KNEE LEFT\nTECHNIQUE: 3 plane images, 3 mm slices.\nFINDINGS: VR images not performed.",
        "CT HEAD\nTECHNIQUE: 3 d reconstructions; 33 images.\nFINDINGS: Three dimensional reformats reviewed."]
    def run():
        out = []
        for text in texts:
            ex = sg.extract(text)
            g = frames.documented_rendering(ex, [f for f in ex.frames if f.modality != "POST"], sg.lex)
            out.append(None if g is None else (sorted(g.quals), [(m.start, m.end) for m in g.evidence["qual"]]))
        return out
    want_monkey = ("",)  # "".find() never fails: every section read
    got = run()
    monkeypatch.setattr(frames, "_RENDERING_WORDS", want_monkey)
    want = run()
    assert got == want
    assert sum(x is not None for x in want) >= 2


def test_pipe_spans_are_the_pipe_regex_matches_in_linear_time():
    # sections._pipe_spans finds what _PIPE.finditer finds (a pipe with the blanks around it), without
    # the regex's quadratic retries over a long run of blanks with no pipe (the hostile corpus)
    import random

    from suggester.sections import _PIPE, _pipe_spans

    rng = random.Random(0)
    for _ in range(5000):
        t = "".join(rng.choice("a |\t\tb|") for _ in range(rng.randint(0, 30)))
        s = rng.randint(0, len(t))
        e = rng.randint(s, len(t))
        assert _pipe_spans(t, s, e) == [m.span() for m in _PIPE.finditer(t, s, e)]
    assert _pipe_spans("ACC 1 | | XR CHEST 2V |read", 0, 27) == [(5, 8), (8, 10), (21, 23)]
