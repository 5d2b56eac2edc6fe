"""Speed paths of issue 15 (speed21) give what the whole-text searches give."""

from hypothesis import given, settings
from hypothesis import strategies as st

# pieces of facility names (capitals closed by an abbreviation) and report-text labels, with the
# commas, pipes, blanks and line breaks around them that decide where a match starts and ends
FACILITY_PARTS = ["TWIN FORKS CAH", "RIVER CO HOSP", "NORTH RMC", "ST LUKE MC", "MERCY MED CTR", "MED  CTR",
                  "LAKES CMC", "CH", "CHEST", "XR CH 2V", "CT HEAD", "MC", "HOSP", "CAH", "MED", " | ", "|", ",",
                  ", ", "  ", " ", "\t", "\n", "ACC 12345", "12/03/2026", "report text:", "Report_Text", "RESULT TEXT",
                  "result_text :", "report", "text", "result", ":", ":,", "Narrative", "é", "\u212a", "x", "A"]


def _noise(text, fast):
    from suggester.noise import _spans, folded

    return [(n.kind, n.start, n.end) for n in _spans(text, folded(text) if fast else None)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FACILITY_PARTS), min_size=1, max_size=25), st.booleans())
def test_facility_and_text_label_speed_path_equals_the_whole_text_search(parts, joined):
    text = "".join(parts)
    text = ",".join(text.split("\n")) if joined else text  # a one-line export
    assert _noise(text, True) == _noise(text, False)


def test_facility_names_and_text_labels_found_on_the_speed_path():
    # at a line start, after an export's comma (not after other text), before a field delimiter
    assert _noise("TWIN FORKS CAH  ACC 1234\nXR CHEST", True) == [("facility", 0, 14), ("identifier", 16, 24)]
    assert _noise("Report, NORTH RMC | 12/03/2026", True)[0] == ("facility", 7, 17)
    assert _noise("See NORTH RMC | x", True) == []
    assert _noise("XR CH 2V\nCT HEAD", True) == []  # a modality word opens an exam title, no facility
    # the report-text label, whatever its case, alone on its line or before the first line
    assert _noise("Report Text:\nCT HEAD", True) == [("text_label", 0, 12)]
    assert _noise("x,result_text:, CT HEAD", True) == [("text_label", 2, 15)]
    assert _noise("the report text was reviewed", True) == []


VIEW_PARTS = ["2", "two", "tw", "one", "single", "too", "tree", "three", " v", "v ", "v", "v.", "vp", "vw", "viw", "view",
              "views", "projection", "image", "+", ">", "more", "mor", "imag", " ", "\n", "x", "a", "3v", "lat", "ap"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(VIEW_PARTS), min_size=0, max_size=12))
def test_view_count_literal_checks_equal_the_alternations(parts):
    import re

    from suggester.attributes import _may_count_views

    low = "".join(parts)
    number = re.search(r"[0-9]|one|single|two|three|four|five|six|seven|eight|too|tree", low)
    view_word = re.search(r"v\b|vp|vw|viw|view|projection|image|[+>]|more", low)
    assert _may_count_views(low) == bool(number and view_word)


COUNT_PARTS = VIEW_PARTS + ["less than ", "fewer than ", "under ", "min ", "minimum of ", "at least ", ">=", "<",
                            "greater than ", "gt ", "12", "1/", "or more", "plus", "upright ", "standing ", "bone",
                            "done", "(s)", "-", "  ", "images", "projections", "3-4 views", "v2"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(COUNT_PARTS), min_size=0, max_size=15))
def test_view_counts_found_where_they_can_start_equal_the_whole_text_search(parts):
    from suggester.attributes import _VIEWS_LOWER, _view_count_starts
    from suggester.scan import matches_at

    low = "".join(parts)
    fast = [(m.span(), m.groupdict()) for m in matches_at(_VIEWS_LOWER, low, _view_count_starts(low))]
    assert fast == [(m.span(), m.groupdict()) for m in _VIEWS_LOWER.finditer(low)]
