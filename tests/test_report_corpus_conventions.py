"""Conventions of exported report corpora (research and archive dumps of final reports): a report-status
line above the report ("FINAL REPORT", "PRELIMINARY REPORT", "Radiology Report"), a resident's wet read
block before the final report, and radiograph titles that name the projections but no modality word
("CHEST (PA AND LAT)"). Reports written for these tests."""

from __future__ import annotations

import pytest

from suggester import Suggester

TITLE_WORDING = "billed from the title wording"


@pytest.fixture(scope="module")
def s():
    return Suggester(billing="global", payer="medicare")


def _codes(out):
    return [(c["code"], tuple(c.get("modifiers") or ())) for c in out["codes"]]


@pytest.mark.parametrize(("text", "title", "codes"), [
    ("                      FINAL REPORT\n EXAMINATION:  CHEST (PA AND LAT)\n\n INDICATION:  Cough and fever.\n\n"
     " FINDINGS:  Right lower lobe consolidation. No effusion.\n\n IMPRESSION:  Right lower lobe pneumonia.",
     "CHEST (PA AND LAT)", [("71046", ())]),
    ("Radiology Report\n\nEXAM: KNEE 2 VIEWS LEFT\nCLINICAL HISTORY: pain after a fall\nFINDINGS: No effusion.\n"
     "IMPRESSION: Normal.", "KNEE 2 VIEWS LEFT", [("73560", ("LT",))]),
    ("Final report:\nEXAMINATION: CT HEAD W/O CONTRAST\nINDICATION: Fall on anticoagulation.\nTECHNIQUE: Axial images of "
     "the head without contrast.\nFINDINGS: No hemorrhage.\nIMPRESSION: No acute intracranial abnormality.",
     "CT HEAD W/O CONTRAST", [("70450", ())]),
])
def test_report_status_line_is_not_the_title(s, text, title, codes):
    ex = s.extract(text)
    assert ex.title is not None and ex.title.text == title
    assert _codes(s.suggest(text)) == codes


def test_admin_line_left_above_an_exam_header_is_not_the_title(s):
    text = ("RADIOLOGY REPORT\nAcc#: 55120931 | MRN 4410293 | Status: FINAL\nReferring: GARCIA, ANA MD\n\n"
            "EXAM: US APPENDIX\nHISTORY: 9 yo with right lower quadrant pain.\nFINDINGS: Noncompressible appendix "
            "measuring 8 mm with surrounding fluid.\nIMPRESSION: Acute appendicitis.")
    ex = s.extract(text)
    assert ex.title is not None and ex.title.text == "US APPENDIX"
    assert _codes(s.suggest(text)) == [("76705", ())]


def test_status_line_over_a_report_with_no_title_leaves_the_exam_to_the_body(s):
    text = ("PRELIMINARY REPORT\nHISTORY: Twisted ankle on the stairs.\nFINDINGS: Three views of the right ankle show "
            "no fracture. The mortise is intact.\nIMPRESSION: Negative.")
    assert s.extract(text).title is None
    assert _codes(s.suggest(text)) == [("73610", ("RT",))]


def test_wet_read_block_before_the_final_report_is_not_the_title(s):
    text = ("WET READ: JRT 11:02 PM\n  Right lower lobe opacity.\n______________\n                 FINAL REPORT\n"
            " EXAMINATION:  CHEST (PORTABLE AP)\n\n INDICATION:  Line placement.\n\n IMPRESSION:  Right internal jugular "
            "catheter tip at the cavoatrial junction.")
    ex = s.extract(text)
    assert ex.title is not None and ex.title.text == "CHEST (PORTABLE AP)"
    assert [sec.name for sec in ex.sections][:2] == ["impression", "exam"]
    assert _codes(s.suggest(text)) == [("71045", ())]


@pytest.mark.parametrize("text", [
    "EXAMINATION:  CHEST (PA AND LAT)\nINDICATION: dyspnea\nFINDINGS: Clear lungs.\nIMPRESSION: Normal.",
    "EXAM: Left ankle, three views\nHISTORY: inversion injury\nFINDINGS: No fracture.\nIMPRESSION: Negative.",
])
def test_radiograph_named_by_its_views_is_not_capped_as_title_wording(s, text):
    out = s.suggest(text)
    assert not any(TITLE_WORDING in r for r in out["review_reasons"])
    assert all(c["confidence"] > 0.8 for c in out["codes"])


def test_exam_named_without_modality_or_views_stays_capped(s):
    text = "FINAL REPORT\nEXAMINATION: ABDOMEN\nINDICATION: pain\nFINDINGS: Nonobstructive bowel gas pattern."
    out = s.suggest(text)
    assert _codes(out) == [("74018", ())]
    assert out["codes"][0]["confidence"] <= 0.8
    assert any(TITLE_WORDING in r for r in out["review_reasons"])


@pytest.mark.parametrize(("text", "codes"), [
    ("Sacroiliac joints: AP axial and both obliques.\nFINDINGS: Joints symmetric.", [("72202", ())]),
    ("SI joints, 3 views: AP axial and both obliques", [("72202", ())]),
    ("DXA AXIAL", [("77080", ())]),
])
def test_axial_projection_is_not_the_axial_skeleton(s, text, codes):
    """An axial projection of a radiograph ("AP axial") names no bone density site: the DXA's axial
    skeleton is its own study (a DXA title naming "axial" keeps 77080)."""
    assert _codes(s.suggest(text)) == codes


@pytest.mark.parametrize(("text", "codes"), [
    ("EXAM: US HIPS STATIC\nHistory: 2 mo F f/u DDH in Pavlik harness.\nTechnique: Coronal images of both hips "
     "without stress maneuvers.\nFindings: Alpha angles 62 and 64 degrees.\nImpression: Normal hips in harness.",
     [("76886", ())]),
    ("XR FEMUR LEFT 2 VIEWS\nHistory: 5 mo M, rolled off the bed.\nFindings: No fracture.", [("73592", ("LT",))]),
    # "6 mo f/u" is a follow-up interval, not a six-month-old
    ("XR KNEE 2 VIEWS LEFT\nHistory: 6 mo f/u ACL repair.\nFindings: Hardware intact.", [("73560", ("LT",))]),
])
def test_infant_age_in_history_shorthand(s, text, codes):
    """A history's age shorthand without "old" ("2 mo F", "5 mo M") makes an infant study (CODING_RULES
    §4: the infant regions of the reference table)."""
    assert _codes(s.suggest(text)) == codes
