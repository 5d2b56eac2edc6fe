"""Issue 15 speed work (speed13): the literal prefilters in front of whole-text searches skip only
text that cannot match, and the extractor's shared views hold what fresh scans find."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suggester.scan import folded, may_match

# (tests/test_scan.py::test_may_match_never_skips_a_span_holding_a_match reads these patterns too)


def test_the_prefilters_pass_the_statements_they_guard():
    import suggester.frames as frames

    cases = {"_ONLY_SIDE_RX": "Bilateral order changed to right only. Only the left leg was scanned.",
             "_TOTAL_VIEWS_RX": "Three views of the knee. A total of four views reviewed.",
             "_INFANT_AGE_RX": "History: 7 week old male with a click. Hips.",
             "_CONSISTENCY_RX": "The patient was given nectar thick liquid and puree."}
    for name, text in cases.items():
        rx = getattr(frames, name)
        assert rx.search(text) and may_match(rx, folded(text)), name
        assert not may_match(rx, folded("Frontal chest radiograph. Lungs are clear.")), name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["I", ".", "V", "C", "c", " ", "b", "d", "3", "\n", "e.g", "mm", "..", "é"]),
                max_size=30))
def test_a_dotted_abbreviation_holds_a_dotted_pair(parts):
    from suggester.frames import _DOTTED_ABBREVIATION_RX, _DOTTED_PAIR_RX

    text = "".join(parts)
    if _DOTTED_ABBREVIATION_RX.search(text):
        assert _DOTTED_PAIR_RX.search(text)
    else:
        assert _DOTTED_ABBREVIATION_RX.sub("", text) == text


def test_the_view_of_the_text_itself_is_the_view():
    from suggester.noise import LITERALS
    from suggester.textview import Literals

    lits = Literals(LITERALS)
    text = "EXAM: CT HEAD 11/02/2025. Findings: none"
    view = lits.view(text)
    assert view.blanked(text, []) is view
    assert view.blanked("".join(text), []) is not view  # an equal string of its own: checked, derived
    assert view.blanked("".join(text), []).hits("noise.digits") == view.hits("noise.digits")


@pytest.fixture(scope="module")
def sg():
    from suggester import Suggester

    return Suggester()


@pytest.mark.parametrize("text", [
    "EXAM colon CT head without contrast period\nACC# 12345678 dated 11/02/2025 at 10:42\n"
    "FINDINGS colon No acute hemorrhage period\nIMPRESSION colon Negative period",
    "XR CHEST 2 VIEWS\nFINDINGS: Lungs are clear.\nIMPRESSION: Normal.",  # nothing set aside
])
def test_the_extractors_views_hold_what_fresh_scans_find(sg, text):
    """A dictated report (its punctuation read from words: the text read is not the report's) and a
    report with nothing set aside (the cleaned text is the report itself): the views the extractor
    hands on find what scans of their texts find, and the noise is what a search without them finds."""
    from suggester.extraction import normalize_dictation
    from suggester.noise import set_aside

    lits = sg.extractor.literals
    ex = sg.extract(text)
    assert ex.view.of(ex.text) and ex.clean_view.of(ex.clean)
    for view, of in ((ex.view, ex.text), (ex.clean_view, ex.clean)):
        assert [view.hits(g) for g in lits.groups] == [lits.view(of).hits(g) for g in lits.groups]
    said = normalize_dictation(text)
    assert (said != text) == text.startswith("EXAM colon")  # (the first is read with its marks)
    clean, noise = set_aside(said, sg.lex.term_words.__contains__)
    assert clean == ex.clean and noise == ex.noise
