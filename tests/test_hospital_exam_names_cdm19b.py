"""Real hospital exam names, cdm19b classes (CT, CTA, MR, MRA): charge-line wording the rules misread,
on one-line descriptions written for these tests (not rows of the chargemaster file). Rules alone
(``title_model="off"``), under the rules' confidence and the shipped confidence model where a test takes
``scorers``; codes are ranked by confidence, as the chargemaster scoring ranks them."""

from __future__ import annotations

import pytest
from conftest import ranked, top


@pytest.mark.parametrize(("text", "code"), [
    # "W/" glued to the stress of a cardiac MRI is no contrast: without contrast, with stress (75559)
    ("MR HEART W/O W/STRESS", "75559"),
    ("CARDIAC MRI MORPH WO W/STRESS IMAGING", "75559"),
    ("MRI CARDIAC W/O W/ STRESS", "75559"),
    # contrast named on both sides of the stress still is the without-then-with stress study
    ("MR HEART W/O & W CONTRAST W/STRESS", "75563"),
])
def test_with_stress_is_no_contrast_word(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # "CALC" beside a heart word is the coronary calcium, not the heel bone
    ("CT HEART W/O CM EVAL CALC", "75571"),
    ("CT CARDIAC COR CALC NO CONTRAST", "75571"),
    ("CT CORONARY CALC EVAL", "75571"),
])
def test_calc_in_a_heart_line_is_calcium(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_calc_alone_still_reads_the_heel(rules):
    assert top(rules.suggest("CT CALC RT W/O CONTRAST")) == "73700"


@pytest.mark.parametrize("text", [
    # velocity flow mapping is a cardiac MR add-on: named alone or after the heart, it is the charge line
    "MR CARDIAC W/FLOW VELOCITY",
    "MRI HEART FLOW VELOCITY MAPPING",
    "MRI VELOCITY FLOW MAPPING",
])
def test_flow_velocity_line_is_the_flow_add_on(scorers, text):
    assert top(scorers.suggest(text)) == "75565"


@pytest.mark.parametrize(("text", "code"), [
    # the temporomandibular joint written as words
    ("MRI JAW JOINTS BILATERAL", "70336"),
    ("MR TEMPORAL MANDIBULAR JOINTS", "70336"),
    ("CT TEMP MAND JOINTS W/O CONTRAST", "70486"),
    # the optic foramina / canals are orbit CT
    ("CT OPTIC FORAMEN W/O CONTRAST", "70480"),
    ("CT OPTIC CANALS WITHOUT CONTRAST", "70480"),
])
def test_head_part_synonyms(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # a professional-fee mark closing a CT / MR line after its contrast names no posterior fossa
    ("MR CHEST W PF", "71551"),
    ("CT ABDOMEN W/O CONTRAST PF", "74150"),
])
def test_fee_suffix_after_contrast(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # a backslash between the region and the contrast, and "WO/" before the contrast word
    ("CT ORBITS\\W/O CONTRAST", "70480"),
    ("CT SINUS\\W/WO CONT", "70488"),
    ("CT SPINE LUMBAR WO/ CONTRAST", "72131"),
    ("CT HEAD WO/ CONT", "70450"),
])
def test_contrast_after_backslash_or_wo_slash(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_included_3d_postprocessing_adds_no_rendering(rules):
    rec = rules.suggest("CT HEART, WITH CONTRAST, CARDIAC STRUCTURE AND MORPHOLOGY (INCLUDING 3D IMAGE POSTPROCESSING")
    assert top(rec) == "75572"
    assert not {"76376", "76377"} & set(ranked(rec))


@pytest.mark.parametrize("text", [
    # the pelvis of a runoff CTA is part of the aortic runoff study
    "CTA PELVIS WITH RUNOFF W CONTRAST",
    "CTA PELVIS & RUN-OFF W/WO CONTRAST",
])
def test_pelvis_with_runoff_is_the_runoff_cta(scorers, text):
    assert top(scorers.suggest(text)) == "75635"


def test_thoracic_venogram_is_no_spine(rules):
    assert top(rules.suggest("CT THORACIC VENOGRAM W CONTRAST")) == "71275"


@pytest.mark.parametrize(("text", "code"), [
    # "intracranial struc(tures)" shortened in a CT charge line is the sella / posterior fossa CT
    ("CT INTRACRANIAL STRUC W/O CONTRAST", "70480"),
    ("CT INTRACRANIAL STRUC W/ & W/O CON", "70482"),
])
def test_intracranial_structures_line(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_intracranial_structures_in_a_head_ct_report_stay_head(rules):
    text = ("EXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: The intracranial structures are unremarkable. "
            "No hemorrhage.\nIMPRESSION: Negative.")
    assert top(rules.suggest(text)) == "70450"


@pytest.mark.parametrize(("text", "code"), [
    # the mesenteric vessels in a CT / MR angiogram are the abdominal angiogram
    ("CTA MESENTERIC W CONTRAST", "74175"),
    ("CT ANGIOGRAPHY MESENTERIC ARTERIES", "74175"),
    ("MRA MESENTERIC W/WO", "74185"),
])
def test_mesenteric_angiogram_is_the_abdomen(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize("text", [
    # abdominal vessels named in an abdomen-pelvis CTA are inside it: the combined code alone
    "CTA ABDOMEN/PELVIS MESENTERIC ISCHEMIA",
    "CTA ABD PELVIS RENAL ARTERIES W/WO",
])
def test_abdominal_vessels_inside_an_abdomen_pelvis_cta(scorers, text):
    assert ranked(scorers.suggest(text)) == ["74174"]


@pytest.mark.parametrize(("text", "code"), [
    # "TEMP BONE(S)" is the temporal bone
    ("CT TEMP BONES W/O", "70480"),
    ("CT TEMP BONE W CONTRAST", "70481"),
])
def test_temp_bone_shorthand(scorers, text, code):
    assert top(scorers.suggest(text)) == code
