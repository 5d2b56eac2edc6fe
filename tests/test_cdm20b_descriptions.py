"""Hospital exam descriptions, cdm20b classes (CT, CTA, MR, MRA): charge-line wording the rules misread,
on one-line descriptions written for these tests (not rows of the chargemaster file). Rules alone
(``title_model="off"``), under the rules' confidence and the shipped confidence model where a test takes
``scorers``; codes are ranked by confidence, as the chargemaster scoring ranks them."""

from __future__ import annotations

import pytest
from conftest import codes, ranked, top


@pytest.mark.parametrize(("text", "code"), [
    # a descriptor-style line past the title's length, alone in the text, is the exam name to its end: its
    # "for ..." and "in the setting of ..." clauses and what follows a semicolon name the exam, not a reason
    ("MR HEART MORPHOLOGY AND FUNCTION FOR EVALUATION OF ISCHEMIA, NONCONTRAST SERIES FOLLOWED BY CONTRAST "
     "SERIES; STRESS PERFUSION IMAGING", "75563"),
    ("Heart CT with IV contrast, for anatomy and morphology in the setting of congenital heart disease, "
     "three-dimensional reformats and ventricular volumes", "75573"),
])
def test_descriptor_line_is_the_exam_to_its_end(scorers, text, code):
    assert len(text) > 120
    assert top(scorers.suggest(text)) == code


def test_one_line_read_still_ends_its_title(rules):
    # negative: a read written on one long line keeps its sentences and its reason out of the title
    text = ("CT head without contrast for a fall in an elderly man on warfarin. No intracranial hemorrhage is "
            "seen and the ventricles are normal in size.")
    assert len(text) > 120
    assert codes(rules.suggest(text)) == ["70450"]


def test_one_line_order_keeps_its_reason_out_of_the_title(rules):
    # negative: an order's reason after "for" on one long line names no exam (the leg and foot are the
    # complaint, not an MRI of the leg)
    text = ("MRI LUMBAR SPINE WITHOUT CONTRAST FOR LOW BACK PAIN RADIATING TO THE LEFT LEG WITH NUMBNESS OF THE "
            "FOOT AND WEAKNESS OF THE ANKLE ON EXAMINATION")
    assert len(text) > 120
    assert codes(rules.suggest(text)) == ["72148"]


@pytest.mark.parametrize(("text", "code"), [
    # "GES" after a gestation count is the gestation of a fetal MRI, not a gastric emptying study
    ("MRI FETAL W/PLACENTA MATERNAL PELVIS SNGL/1ST GES", "74712"),
    ("MRI FETAL W/PLACENTA MATERNAL PELVIS EA ADDL GES", "74713"),
])
def test_ges_after_a_gestation_count_is_the_gestation(scorers, text, code):
    got = ranked(scorers.suggest(text))
    assert got[0] == code
    assert "78264" not in got


def test_additional_gestation_fetal_mri_includes_the_maternal_pelvis(rules):
    # the fetal MRI of an additional gestation includes the maternal pelvic imaging as the first one does
    got = ranked(rules.suggest("MRI FETAL EACH ADDITIONAL GESTATION, PLACENTA AND MATERNAL PELVIC IMAGING "
                               "INCLUDED"))
    assert got[0] == "74713"
    assert not {"72195", "72196", "72197"} & set(got)


@pytest.mark.parametrize(("text", "expected"), [
    # the skull named with the orbits or sella is the skull-base study of that part (70480-70482)
    ("CT SCAN SKULL W CONTRAST - CT ORBITS/SELLA W IV CONTRAST", ["70481"]),
    ("CT SKULL COMBO - CT SELLA WO AND W IV CONTRAST", ["70482"]),
    # negative: the head or brain named with the orbits stays an exam of its own
    ("CT HEAD AND ORBITS WO CONTRAST", ["70450", "70480"]),
])
def test_skull_with_a_skull_base_part_is_that_part(rules, text, expected):
    assert codes(rules.suggest(text)) == expected


@pytest.mark.parametrize(("text", "code"), [
    # "OTH" (other) without its "than" before the joint: the other-than-joint code
    ("MRI UPPER EXT WO CONTRAST OTH JT", "73218"),
    ("MRI LWR EXT W CONTRAST OTH JNT", "73719"),
    # a line cut inside "JOINT"
    ("MRI LOWER EXTREM ANY JOIN", "73721"),
])
def test_limb_joint_shorthand(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize("text", [
    # an MR angiogram of the whole spine is the one spinal canal MRA code, not an MRI per segment
    "MRA ENTIRE SPINE WO CONTRAST",
    "MR ANGIOGRAPHY TOTAL SPINE W WO",
])
def test_mra_of_the_whole_spine_is_the_spinal_canal_code(rules, text):
    assert codes(rules.suggest(text)) == ["72159"]


def test_mri_of_the_whole_spine_still_codes_each_segment(rules):
    # negative: the MRI (not angiography) of the total spine is one code per segment (CODING_RULES §3)
    assert codes(rules.suggest("MRI TOTAL SPINE WO CONTRAST")) == ["72141", "72146", "72148"]
