"""Real hospital exam names, cdm13 classes: charge-line wording the rules misread, on one-line
descriptions written for these tests (not rows of the chargemaster file). Rules alone
(``title_model="off"``)."""

from __future__ import annotations

import pytest
from conftest import top


@pytest.mark.parametrize(("text", "want"), [
    # 'COLONOGRAPHY' with no modality word is CT colonography, never a barium enema
    ("DIAGNOSTIC COLONOGRAPHY WITHOUT CONTRAST", "74261"),
    ("HB COLONOGRAPHY DX W IV CONTRAST", "74262"),
    ("COLONOGRAPHY SCREENING STUDY", "74263"),
])
def test_colonography_without_modality_word_is_ct(rules, text, want):
    assert top(rules.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # "colon" after an exam label is the organ when a contrast enema follows (not spoken ':')
    ("RAD EXAM COLON AIR CONTRAST", "74280"),
    ("HC RADIOLOGIC EXAM COLON SINGLE CONTRAST", "74270"),
    ("XR EXAM COLON DOUBLE-CONTRAST STUDY", "74280"),
])
def test_exam_colon_before_contrast_enema_is_the_organ(rules, text, want):
    assert top(rules.suggest(text)) == want


def test_spoken_colon_after_exam_label_still_a_mark(rules):
    assert top(rules.suggest("exam colon ct abdomen with contrast")) == "74160"


@pytest.mark.parametrize("text", [
    # 'CERV' shortening 'cervical' in the pharynx / cervical esophagus study: one exam (74210),
    # not a separate pharynx or neck soft-tissue exam
    "XR PHARYNX &/OR CERV ESOPH",
    "HC CONTRAST EXAM PHARYNX AND/OR CERV ESOPHAGUS",
    "FL PHARYNX/CERV ESOPH W CONTRAST",
])
def test_pharynx_cerv_esophagus_is_one_study(rules, text):
    assert [c["code"] for c in rules.suggest(text)["codes"]] == ["74210"]


@pytest.mark.parametrize(("text", "want"), [
    # vertebral fracture assessment shorthand: alone 77086, with the axial bone density 77085
    ("DEXA VERTEBRAE FX", "77086"),
    ("DXA VERTEBRA FX ONLY", "77086"),
    ("BONE DENSITY AXIAL VERT FRAC ASSESS", "77085"),
])
def test_vertebral_fracture_assessment_shorthand(rules, text, want):
    assert top(rules.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # 'OBLIQS' is 'obliques' (a pair of views): lumbar AP/lateral + both obliques is 4 views
    ("XR LUMBAR SPINE W OBLIQS", "72110"),
    ("XR C-SPINE AP LAT W/OBLIQS", "72050"),
])
def test_obliques_shorthand(rules, text, want):
    assert top(rules.suggest(text)) == want
