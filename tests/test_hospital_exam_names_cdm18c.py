"""Real hospital exam names, cdm18c classes (CT, CTA, MR, MRA): charge-line wording the rules misread,
on one-line descriptions written for these tests (not rows of the chargemaster file). Rules alone
(``title_model="off"``); codes are ranked by confidence, as the chargemaster scoring ranks them."""

from __future__ import annotations

import pytest
from conftest import top


@pytest.mark.parametrize(("text", "code"), [
    # a contrast abbreviation glued to the word before it, as fixed-width charge lines write it
    ("MRI HIP JOINTW/O CONTRAST", "73721"),
    ("MR LEG OTHER THAN JOINTW/O CONTRAST", "73718"),
    ("CT SINUSESW/WO CONTRAST", "70488"),
    ("CT ABDOMENWO CONTRAST", "74150"),
    # a descriptor's closing part after a semicolon glued to a parenthesis: the spine segment
    ("MRI SPINAL CANAL W/O CONTRAST MATERIAL(S);CERVICAL", "72141"),
    ("CT SPINE W/ CONTRAST MATERIAL(S);LUMBAR", "72132"),
])
def test_glued_contrast_and_segment_words(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # the modality written out in a descriptor's long form, or clipped
    ("COMPUTED TOMOGRAPHIC ANGIOGRAPHY, CHEST (NONCORONARY), WITH CONTRAST MATERIAL", "71275"),
    ("COMPUTED TOMOGRAPHIC ANGIOGRAPHY OF THE PELVIS W/CONTRAST", "72191"),
    ("COMPUTED TOMOGRAPHIC IMAGING, BRAIN, WITHOUT CONTRAST", "70450"),
    ("MAGNET RESONANCE IMAGING, KNEE, WITHOUT CONTRAST", "73721"),
    ("MAG RESONANCE IMGING, BRAIN, W/O CONTRAST", "70551"),
    ("CARDIAC MAGNET RESONANCE IMAGING FOR MORPHOLOGY AND FUNCTION WITHOUT CONTRAST", "75557"),
])
def test_long_form_modality_names(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_computed_tomographic_in_a_spect_ct_line_stays_nm(scorers):
    # the CT of a SPECT/CT line, named in the long form, does not make a diagnostic CT
    text = "PARATHYROID IMAGING WITH TOMOGRAPHIC (SPECT) AND CONCURRENTLY ACQUIRED COMPUTED TOMOGRAPHIC (CT)"
    assert top(scorers.suggest(text)) == "78072"


@pytest.mark.parametrize(("text", "code"), [
    # "CORON" is coronary (never the colon of a colonography)
    ("CTA CORON ARTERIES W CONTRAST", "75574"),
    ("CT CORON ART CALCIUM SCORE", "75571"),
    ("CT HEART CORON CALC SCORING", "75571"),
])
def test_coron_is_coronary(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize("text", [
    # "abdominal arteries" as a CTA's whole region is the payer short descriptor of the abdominal
    # aorta with bilateral iliofemoral runoff
    "CTA ABDOMINAL ARTERIES",
    "CT ANGIO ABD ARTERIES W CONTRAST",
    "CT ANGIOGRAM, ABDOMINAL ARTERIES",
])
def test_cta_abdominal_arteries_is_the_runoff_study(scorers, text):
    assert top(scorers.suggest(text)) == "75635"


@pytest.mark.parametrize(("text", "code"), [
    # the abdomen itself, or another modality's abdominal arteries, keep their own codes
    ("CTA ABDOMEN W/WO CONTRAST", "74175"),
    ("US DUPLEX ABDOMINAL ARTERIES COMPLETE", "93975"),
    ("MRA ABDOMINAL ARTERIES", "74185"),
])
def test_abdomen_angiography_keeps_its_code(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_abdominal_arteries_in_the_findings_of_a_cta_abdomen_report(rules):
    text = ("EXAM: CTA ABDOMEN WITH AND WITHOUT CONTRAST\nTECHNIQUE: Arterial phase imaging of the abdomen after IV "
            "contrast with MIP and 3D reconstructions.\nFINDINGS: The abdominal arteries are patent. No dissection.\n"
            "IMPRESSION: No mesenteric ischemia.")
    assert [c["code"] for c in rules.suggest(text)["codes"]] == ["74175"]


@pytest.mark.parametrize(("text", "code"), [
    # functional brain MRI as payer descriptors clip it: the physician-administered testing is 70555
    ("MRI BRAIN FUNCTIONAL REQG PHYS OR PSYCHOLOGIST", "70555"),
    ("FUNCAL MRI BRAIN REQUIRING PHYS ADMIN", "70555"),
    ("MRI BRAIN NEUROFUNCTIONAL TESTING BY PHYSICIAN", "70555"),
    # without the physician (or said not to need one): 70554
    ("MRI BRAIN ENTIRE NEUROFUNCAL TESTING", "70554"),
    ("MRI BRAIN FUNCAL WO PHYS ADMIN", "70554"),
])
def test_functional_brain_mri_descriptor_forms(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # "AB" beside the pelvis is the abdomen: the combined abdomen-pelvis code
    ("CT AB & PEL W CONTRAST", "74177"),
    ("CT AB/PEL WO", "74176"),
    ("CT TOM AB AND PEL WO CNT MAT FLLWD BY CNT MAT", "74178"),
])
def test_ab_beside_pelvis_is_the_abdomen(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize("text", [
    # a limited CT of a part with no CT code of its own: the limited (localized) study
    "CT LTD SPINE",
    "CT LIMITED EXTREMITY WITHOUT CONTRAST",
])
def test_limited_ct_of_a_part_without_its_own_code(scorers, text):
    assert top(scorers.suggest(text)) == "76380"


@pytest.mark.parametrize(("text", "code"), [
    # a part with its own code keeps it; a CT of the unspecified spine, not limited, bills nothing
    ("CT LUMBAR SPINE LIMITED WO CONTRAST", "72131"),
    ("CT LIMITED CHEST WO CONTRAST", "71250"),
])
def test_limited_ct_of_a_coded_part_keeps_its_code(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_unspecified_spine_ct_not_limited_bills_nothing(rules):
    assert rules.suggest("CT SPINE")["codes"] == []


@pytest.mark.parametrize(("text", "code"), [
    # a line cut after the second contrast word's slash: without then with
    ("MRI EXTREM LOWER JOINT W W/", "73723"),
    ("CT CHEST W W/", "71270"),
])
def test_line_cut_after_the_second_contrast_word(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # clipped limb and ear words: the limb's joint, the internal auditory canal
    ("MR LW JOINT W CONTRAST", "73722"),
    ("MRI UP JOINT WO", "73221"),
    ("MRI UPER EXTREMITY WO", "73218"),
    ("CT INT AUDITORY CANALS WO", "70480"),
    ("CT INT AUD CANAL W CONTRAST", "70481"),
])
def test_clipped_limb_and_ear_words(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # a title's "W/" glued to a component of the study names that component, not contrast
    ("CARDIAC MRI-MORPHOLOGY W/FUNCTION", "75557"),
    ("CT HEART W/O CONTRAST W/EVAL OF CALCIUM", "75571"),
    # (the flow velocity named after the heart is the flow add-on's charge line, as "MR HEART FLOW/VELOCITY":
    # cdm19b; still no contrast)
    ("MR HEART MORPH W/FLOW VELOCITY", "75565"),
    # glued to a contrast word, or alone at the end of a title, it is the contrast
    ("CT HEAD W/CONTRAST", "70460"),
    ("MRI ORBITS W/", "70542"),
])
def test_glued_w_before_a_component_is_no_contrast(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # a CT of the colon is its colonography: screening said, the screening study
    ("CT SCRN COLON W/POST PROCESSING", "74263"),
    ("CT COLON SCREENING", "74263"),
    # no screening: the diagnostic study
    ("CT COLON W CONTRAST", "74262"),
    ("CT COLONOGRAPHY", "74261"),
])
def test_ct_colon_screening(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # the payer short descriptors' "CHEST SPINE" is the thoracic spine
    ("CT CHEST SPINE W/O DYE", "72128"),
    ("CT CHEST SPINE W/DYE", "72129"),
    ("MRI CHEST SPINE W/O & W/DYE", "72157"),
    # "W/STRESS IMG & DYE": the with carries to the dye, the stress cardiac MRI with contrast
    ("CARDIAC MRI W/STRESS IMG & DYE", "75563"),
    ("CARDIAC MRI W/STRESS IMG", "75559"),
])
def test_payer_short_descriptor_words(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_limited_liver_ct_with_a_portal_phase_adds_no_limited_study(rules):
    # an organ or vessel word with no CT region of its own ("portal venous") names no limited second exam
    text = ("CT ABDOMEN MULTIPHASE LIVER  UNENHANCED IMAGES OF THE LIVER THEN EARLY ARTERIAL, PORTAL VENOUS AND "
            "5-MINUTE DELAYED PHASES AFTER IV CONTRAST. ABDOMEN ONLY. STABLE LESION.")
    assert "76380" not in [c["code"] for c in rules.suggest(text)["codes"]]


@pytest.mark.parametrize(("text", "code"), [
    # "C-+" (the slash of "C-/C+" dropped) is before and after contrast, with a "W/CAD" after it
    ("MRI BREAST C-+ W/CAD UNILAT", "77048"),
    ("CT CHEST C-+", "71270"),
])
def test_c_minus_plus_is_without_then_with(scorers, text, code):
    assert top(scorers.suggest(text)) == code
