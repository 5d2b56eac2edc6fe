"""Real hospital exam names, cdm16 classes: charge-line wording the rules misread, on one-line
descriptions written for these tests (not rows of the chargemaster file). Rules alone
(``title_model="off"``); codes are ranked by confidence, as the chargemaster scoring ranks them."""

from __future__ import annotations

import pytest
from conftest import ranked


@pytest.mark.parametrize("text", [
    # an ERCP named for the pancreatic duct alone is the pancreatic ductal study
    "FL ERCP PANCREATIC DUCT",
    "ERCP OF THE PANCREATIC DUCT S&I",
    "RAD ERCP PANCREATIC DUCT IMAGING",
])
def test_ercp_of_the_pancreatic_duct_is_the_pancreatic_study(scorers, text):
    assert ranked(scorers.suggest(text)) == ["74329"]


@pytest.mark.parametrize("text", [
    # both duct systems named: the combined study
    "ERCP PANCREATIC DUCT AND COMMON BILE DUCT",
    "ENDO CATH BILIARY & PANCREATIC DUCTAL S&I",
    "ERCP BILIARY AND PANCREATIC",
])
def test_both_duct_systems_named_are_the_combined_study(scorers, text):
    assert ranked(scorers.suggest(text)) == ["74330"]


@pytest.mark.parametrize("text", [
    # the department's radiograph word before a follow-through charge line states its modality:
    # the add-on's own line (as "FL SMALL BOWEL FOLLOW-THROUGH" already is)
    "XR SMALL BOWEL FOLLOW-THROUGH",
    "XRAY SMALL BOWEL FOLLOW-THROUGH EXAMINATION",
    "X-RAY SMALL BOWEL FOLLOW THROUGH EXAM",
])
def test_xr_follow_through_charge_line_is_the_addon_line(scorers, text):
    assert ranked(scorers.suggest(text))[0] == "74248"


@pytest.mark.parametrize("text", [
    # no modality word of its own: still the small bowel series (never the add-on alone)
    "SMALL BOWEL FOLLOW THROUGH",
    "SBFT",
])
def test_bare_follow_through_stays_the_small_bowel_series(scorers, text):
    assert ranked(scorers.suggest(text))[0] == "74250"


@pytest.mark.parametrize("text", [
    "SBFT\nBarium by mouth, then overhead films every 30 minutes. Normal transit.",
    "SMALL BOWEL FOLLOW-THROUGH\nSerial radiographs after oral barium; contrast reached the colon.",
])
def test_films_under_a_follow_through_title_are_no_department_word(rules, text):
    assert [c["code"] for c in rules.suggest(text)["codes"]] == ["74250"]


def test_follow_through_report_without_upper_gi_stays_the_small_bowel_series(rules):
    text = ("EXAM: XR SMALL BOWEL FOLLOW THROUGH\nTECHNIQUE: Oral barium was given and serial overhead "
            "films of the small bowel were obtained over 90 minutes. No upper GI series was performed.\n"
            "FINDINGS: Normal transit to the cecum. No obstruction.\nIMPRESSION: Normal small bowel.")
    assert [c["code"] for c in rules.suggest(text)["codes"]] == ["74250"]


@pytest.mark.parametrize("text", [
    # 'lmted' (vowels dropped) is limited
    "US BREAST LMTED RT",
    "ULTRASOUND BREAST UNILAT LMTED LEFT",
])
def test_lmted_is_limited(scorers, text):
    assert ranked(scorers.suggest(text))[0] == "76642"


@pytest.mark.parametrize("text", [
    # the needle and the catheter tip guided together: the spinal injection guidance's wording (77003);
    # a needle alone stays 77002, a venous catheter 77001
    "FLUOROSCOPIC GUIDE NEEDLE CATH",
    "FL GUIDANCE NEEDLE/CATH",
    "FLUORO GUIDANCE AND LOCALIZATION NEEDLE OR CATHETER TIP",
])
def test_needle_and_catheter_guidance_is_the_spinal_guidance(scorers, text):
    assert ranked(scorers.suggest(text))[0] == "77003"


@pytest.mark.parametrize("text, code", [
    ("FLUORO GUIDANCE NEEDLE PLACEMENT", "77002"),
    ("FLUORO GUIDANCE CENTRAL VENOUS CATHETER", "77001"),
])
def test_needle_alone_or_venous_catheter_keep_their_guidance(scorers, text, code):
    assert ranked(scorers.suggest(text))[0] == code
