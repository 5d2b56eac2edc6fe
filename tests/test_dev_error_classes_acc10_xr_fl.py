"""Error classes of the enlarged dev split (issue 12, acc10: the retired parts cal_aq..cal_at and
leftovers) in radiographs and fluoroscopy, fixed with general rules: a body statement that counts
its views wins over the projections a title names, and a view said to be taken once more counts
again. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # the body counts the views in words: the count wins over the projections the title names
    # (CODING_RULES §4/§6), whatever stands between the count and the view word
    ("XR CHEST 2V PA/LAT\nFINDINGS: Patient unable to stand, single AP view only obtained. Cardiomegaly.",
     ["71045"]),
    ("XR CHEST 2V PA/LAT\nFINDINGS: Single AP semi-upright view only obtained. Cardiomegaly.", ["71045"]),
    ("XR CHEST PA/LAT\nFINDINGS: One portable AP semi erect view. Small effusions.", ["71045"]),
    # ... also after a one-line history that opens the line
    ("XR CHEST 2V PA/LAT\nHX SOB. Patient unable to stand, single AP view only obtained. Cardiomegaly.",
     ["71045"]),
    # a statement naming the title's projections, or a count in a negated clause, keeps the series
    ("XR CHEST 2V PA/LAT\nFINDINGS: PA and lateral views. No effusion, consolidation or pneumothorax.", ["71046"]),
    ("XR CHEST PA AND LATERAL\nFINDINGS: Two views. Lungs clear, no effusion on the lateral view.", ["71046"]),
])
def test_counted_body_views_win_over_titled_projections(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a projection taken once more beside the series ("an additional PA view with nipple markers", "a
    # second lateral") is a view of its own (CODING_RULES §4: count the views documented)
    ("EXAMINATION: CHEST (PA AND LAT)\nTECHNIQUE: PA and lateral views of the chest, with an additional PA view "
     "obtained with nipple markers.\nFINDINGS: Nipple shadow.", ["71047"]),
    ("XR CHEST PA AND LATERAL\nTECHNIQUE: PA and lateral views. A second lateral view was obtained with the arms "
     "raised.\nFINDINGS: Clear.", ["71047"]),
    ("XR WRIST LEFT 2V\nTECHNIQUE: PA and lateral views, and another PA view in ulnar deviation.\nFINDINGS: Normal.",
     ["73110-LT"]),
    # a suggested additional view was not taken
    ("XR CHEST PA AND LATERAL\nTECHNIQUE: PA and lateral views.\nFINDINGS: Clear. An additional lateral view could "
     "be obtained if symptoms persist.", ["71046"]),
])
def test_view_taken_again_counts(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
