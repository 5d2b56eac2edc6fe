"""Speed paths of issue 15 (spd37) give what the plain searches give."""

import time

from hypothesis import given, settings
from hypothesis import strategies as st

# pieces of run-on dictations: sentence ends, blanks, modality and subheading words, the findings /
# impression words in several cases, and characters that change how a text folds to lower case
SUBHEAD_PARTS = [".", ";", ". ", "; ", " ", "  ", "\t", "\n", "ct", "CT", "cta", "mri", "us", "xr", "head", "neck",
                 "abd/pel", "non-con", "findings", "FINDINGS", "Findings", "impression", "IMPRESSION", "finding",
                 "impressions", "xfindings", "small", "focus", "the", "no", ":", ",", "-", "/", "2", "é", "\u0130",
                 "\u212a", "\u017f",
                 # (a subheading counts on a line of BARE_LINE_MIN characters or more: a long clause)
                 " the study was read with the prior examination and the clinical notes at hand by the reader"]
OPENERS = frozenset({"ct", "cta", "mri", "us", "xr"})


def _subheads(text, fast):
    from suggester.lexicon import default_lexicon
    from suggester.scan import folded
    from suggester.sections import _exam_subheads

    headers = default_lexicon().sections
    return _exam_subheads(text, headers, OPENERS, folded(text) if fast else None)


# a clause shaped like a subheading (mark, blanks, one to four words, a blank, a findings word, blanks,
# the next word), whose pieces may still break it
_CLAUSE = st.tuples(st.sampled_from([".", ";", ".", ";", ","]), st.sampled_from([" ", "  ", "\t", " ", "\n"]),
                    st.sampled_from(["ct", "CTA", "mri", "us", "head", "\u0130"]),
                    st.lists(st.sampled_from(["ct", "head", "neck", "abd/pel", "non-con", "the", "2", "é", "\u212a"]),
                             max_size=3),
                    st.sampled_from([" ", "\t", " ", "\n"]),
                    st.sampled_from(["findings", "Impression", "IMPRESSION", "finding", "\u017findings"]),
                    st.sampled_from([" ", "  ", " ", "\t"]), st.sampled_from(["small", "of", "small", "", "\n"]),
                    ).map(lambda t: t[0] + t[1] + " ".join([t[2], *t[3]]) + "".join(t[4:]))


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SUBHEAD_PARTS), _CLAUSE, st.just(SUBHEAD_PARTS[-1] * 3)), min_size=1, max_size=30))
def test_exam_subheads_from_their_starts_equal_the_whole_text_search(parts):
    text = "".join(parts)
    assert _subheads(text, True) == _subheads(text, False)


def test_the_parts_make_subheadings():
    parts = [". ", "ct", " ", "head", " ", "findings", " ", "small"] + [SUBHEAD_PARTS[-1]] * 3
    assert _subheads("".join(parts), True) == _subheads("".join(parts), False) != []


def test_exam_subheads_found_from_the_last_mark_before_the_findings_word():
    from suggester.sections import _subhead_starts

    text = ("CT HEAD AND CTA NECK. No contrast for the head; ct head findings small focus of gliosis. "
            "cta neck impression the arch is normal. Findings.")
    low = text.lower()
    # the period or semicolon that opens each subheading (one start per mark, ascending)
    assert _subhead_starts(low) == [text.index("; ct"), text.index(". cta neck imp"), text.index(". Findings")]
    got = [(text[a:b], name) for a, b, name, _h in _subheads(text + " " * 150, True)]
    assert [name for _t, name in got] == ["findings", "impression"]
    assert got[0][0].startswith("ct head findings") and got[1][0].startswith("cta neck impression")


def test_exam_subhead_starts_stay_linear_on_a_long_line_without_marks():
    from suggester.sections import _subhead_starts

    low = "ct head findings " * 60_000  # ~1 MB, no period or semicolon: nowhere to start
    t = time.process_time()
    assert _subhead_starts(low) == []
    assert time.process_time() - t < 1.0


SIDE_PARTS = ["right", "RT", "left", "Lt", "bilateral", "bilaterally", "both", "each", "r", "L", " ", "  ", "\t",
              "breast", "cfv", "leg", "arm", "calf", "ica", "carotid", "compression", "doppler", "imaged", "no",
              "not", "for comparison", "prior", "waveforms only", "sampled", "patent", "veins", "2019", ",", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SIDE_PARTS), min_size=1, max_size=14))
def test_sides_named_reads_what_the_side_pattern_reads(parts):
    from suggester.frames import _MAMMO_SIDE_RX, _sides_named

    t = " ".join(parts)
    assert _sides_named(t) == {k[0] for m in _MAMMO_SIDE_RX.finditer(t) for k, v in m.groupdict().items() if v}


def test_one_frame_still_merges_nothing_and_two_regions_still_merge():
    from suggester import Suggester

    s = Suggester()
    assert [c["code"] for c in s.suggest("CT ABDOMEN WITH CONTRAST\nCT PELVIS WITH CONTRAST")["codes"]] == ["74177"]
    assert [c["code"] for c in s.suggest("CT ABDOMEN WITH CONTRAST")["codes"]] == ["74160"]
