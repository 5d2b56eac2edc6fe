"""Hospital exam names, cdm21: a one-line description of one orderable exam emits one exam's codes.
Descriptions written for these tests (not rows of the chargemaster file), rules alone
(``title_model="off"``), exact code sets."""

from __future__ import annotations

import pytest


def code_set(rec: dict) -> list[str]:
    return sorted(c["code"] for c in rec["codes"])


@pytest.mark.parametrize(("text", "want"), [
    # "face bone(s)" is the facial-bone series, not a facial series plus a skeletal survey
    ("FACE BONES LIMITED 2 VIEWS", ["70140"]),
    ("XR FACE BONE COMPLETE 4V", ["70150"]),
])
def test_face_bone_is_the_facial_series(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # an upper GI series with the small bowel in one title: the series plus the follow-through
    # add-on (CODING_RULES §3), never a small bowel series of its own
    ("FL UGI/SMALL BOWEL SINGLE CONTRAST", ["74240", "74248"]),
    ("UPPER GI AND SMALL BOWEL AIR CONTRAST", ["74246", "74248"]),
])
def test_upper_gi_with_small_bowel_is_the_addon(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # the swallowing-function study images the pharynx and the cervical esophagus: one code (74230)
    ("VIDEO SWALLOW STUDY OF PHARYNX AND CERVICAL ESOPHAGUS", ["74230"]),
    # a hepatobiliary (HIDA) study images the liver: no liver scan as well
    ("NM HEPATOBILIARY LIVER SCAN", ["78226"]),
    # the pharynx/larynx study with fluoroscopy includes the neck soft-tissue films
    ("XR SOFT TISSUE NECK WITH FLUORO OF LARYNX", ["70370"]),
])
def test_one_study_includes_the_part_named_with_it(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # "ABD"/"ABDO" in an obstetric ultrasound is the transabdominal approach, not an abdomen exam
    ("US OB FIRST TRIMESTER SINGLE ABDO", ["76801"]),
    ("US OB 2ND TRIMESTER ABD APPROACH", ["76805"]),
])
def test_obstetric_abdominal_approach_is_no_abdomen_exam(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want



@pytest.mark.parametrize(("text", "want"), [
    # the thoracoabdominal aorta spans the chest and the abdomen: a CTA code for each (no combined code)
    ("CTA THORACOABDOMINAL AORTA WITH CONTRAST", ["71275", "74175"]),
    ("CTA THOR/ABD AORTA W CONTRAST", ["71275", "74175"]),
    # with the pelvis: the chest code and the combined abdomen-pelvis code (§3)
    ("CTA THOR ABD AORTA AND PELVIS W", ["71275", "74174"]),
])
def test_thoracoabdominal_is_chest_and_abdomen(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # the head named with the neck or the chest in a tumour PET is the limited area imaged, not a
    # brain PET as well
    ("PET/CT HEAD AND NECK", ["78814"]),
    ("PET CT CHEST, HEAD/NECK", ["78814"]),
])
def test_pet_head_with_neck_is_the_limited_area(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # "arms" is both upper limbs, as "legs" is both lower limbs: the upper extremity arterial duplex
    ("US ARTERIAL DUPLEX BOTH ARMS", ["93930"]),
    # (a default modality for a transplanted kidney was withdrawn: "Renal transplant scan" with MAG3 is the renogram)
])
def test_limb_plural_and_transplant_kidney(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a title that calls its series complete and names views the series includes ("with decubitus",
    # "including obliques"), no count: the complete code, not a count of the views it names
    ("XR ABDOMEN COMPLETE WITH LEFT DECUBITUS", ["74021"]),
    ("XR KNEE RT COMPLETE, INCLUDING OBLIQUES AND TUNNEL VIEW", ["73564"]),
    # the routine series spelt out is counted as written
    ("XR KNEE LT COMPLETE AP LATERAL", ["73560"]),
    # a series with no code called complete adds the named view to its routine views (§4: 71047)
    ("XR CHEST COMPLETE WITH APICAL LORDOTIC", ["71047"]),
])
def test_views_a_complete_series_includes(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want
