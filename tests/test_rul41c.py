"""Error classes of dev (stop 41, radiographs of part dy_d) fixed with general rules. Reports written for
these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # an acute abdomen series whose views are all the abdomen's, no chest view documented: the abdomen views
    # alone (CODING_RULES §4: 74022 needs a chest view; §6: the documented views win)
    ("EXAM: XR ABDOMEN OBSTRUCTION SERIES\nHISTORY: Vomiting.\nViews: supine, upright and left lateral "
     "decubitus abdomen.\nFINDINGS: Dilated small bowel loops with air-fluid levels.\nIMPRESSION: Small bowel "
     "obstruction.", ["74021"]),
    ("EXAM: ACUTE ABDOMEN SERIES\nTechnique: Supine and upright views of the abdomen.\nFindings: Nonobstructive "
     "bowel gas pattern.\nImpression: No obstruction.", ["74019"]),
    # a chest view documented keeps the series
    ("EXAM: XR ABDOMEN OBSTRUCTION SERIES\nViews: supine and upright abdomen, upright PA chest.\nFINDINGS: No "
     "free air.\nIMPRESSION: Normal.", ["74022"]),
])
def test_abdomen_series_views_without_chest(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # comparison views of the other side taken at this visit, their projections naming the side's site
    # ("AP and lateral of the left knee"): that side's own exam (CODING_RULES §4 documented views, §1)
    ("XR KNEE LEFT 3 VIEWS WITH RIGHT COMPARISON\nTechnique: Left knee AP, lateral, sunrise. Comparison AP and "
     "lateral of the right knee obtained per the orthopedic request.\nFindings: Left tibial tubercle "
     "fragmentation. Right knee normal.\nImpression: Osgood-Schlatter disease on the left.",
     ["73560-RT", "73562-LT"]),
    # a past study of the other side is no exam
    ("XR KNEE LEFT 3 VIEWS\nTechnique: Left knee AP, lateral, sunrise. Comparison: AP and lateral of the right "
     "knee dated 3/4/2024.\nFindings: No fracture.", ["73562-LT"]),
])
def test_comparison_projections_of_other_side(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def test_scapular_y_at_sentence_end_is_a_view(sg):
    # a one-letter word before the sentence's period ("scapular Y.") is read as the projection it names
    rec = sg.suggest("EXAM: XR SHOULDER LEFT 2 VIEWS\nTECHNIQUE: AP and scapular Y.\nFINDINGS: Anterior "
                     "dislocation.\nIMPRESSION: Anterior shoulder dislocation.")
    assert codes(rec) == ["73030-LT"]
    assert "title_technique_conflict" not in flag_types(rec)


def test_post_operative_title_with_view_count_is_a_radiograph(sg):
    # a title naming a site and a view count is a radiograph, whatever operation the line under it names
    # ("s/p ORIF"): not a procedure outside radiology (CODING_RULES §4)
    rec = sg.suggest("WRIST LT 3 VIEWS POST OP\ns/p ORIF distal radius fracture, 2 wk f/u.\nPA, lateral and "
                     "oblique.\nVolar plate and screws intact. Alignment maintained.\nIMP: Stable post-operative "
                     "appearance.")
    assert codes(rec) == ["73110-LT"]


def test_bilateral_hips_frog_leg_laterals_each_side(sg):
    # "frog-leg laterals of the right and left hips" is one projection per hip, not a frog-leg and a lateral
    # (CODING_RULES §4: AP pelvis + 2 frog-leg + 1 cross-table = 4 views -> 73522; the title's 2 is flagged)
    rec = sg.suggest("XR HIPS BILATERAL 2 VIEWS\nHx: hip pain\nTechnique: AP pelvis, frog-leg laterals of the right "
                     "and left hips, and cross-table lateral of the left hip.\nFindings: Mild degenerative change. "
                     "No fracture.\nImpression: No fracture.")
    assert codes(rec) == ["73522"]
    assert "title_technique_conflict" in flag_types(rec)


def test_initial_of_a_signature_is_no_side(sg):
    # a name's initial ("R. Okafor, MD") is no side of a midline or unsided study
    rec = sg.suggest("MR KNEE WO\nHX: knee pain\nTECH: routine knee protocol, no contrast.\nFINDINGS: Medial meniscus "
                     "tear.\nIMP: Meniscal tear.\nR. OKAFOR MD")
    assert codes(rec) == ["73721"]
