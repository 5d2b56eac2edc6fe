"""Real hospital exam names, cdm18a classes (radiograph, fluoroscopy, guidance, mammography, DXA and
post-processing families): charge-line wording the rules misread, on one-line descriptions written
for these tests (not rows of the chargemaster file). Rules alone (``title_model="off"``); codes are
ranked by confidence, as the chargemaster scoring ranks them."""

from __future__ import annotations

import pytest
from conftest import top


@pytest.mark.parametrize(("text", "code"), [
    # body-part synonyms of charge lines (some are CMS short-descriptor words)
    ("X-RAY OF BREASTBONE 2 VIEWS", "71120"),
    ("XR BREASTBONE PA AND LATERAL", "71120"),
    ("XR LOWER SPINE AP AND LATERAL", "72100"),
    ("X-RAY EXAM OF LOWER SPINE 2 VIEWS", "72100"),
    ("XR TRUNK SPINE AP LATERAL", "72080"),
    ("X-RAY OF TRUNK SPINE 2 VIEWS", "72080"),
    ("XR CHEEK BONES 3 VIEWS", "70150"),
    ("RADIOGRAPH CHEEK BONE LESS THAN 3 VIEWS", "70140"),
    ("XR F/ARM LEFT AP AND LAT", "73090"),
    ("RADEX F/ARM RT 2V", "73090"),
    ("XR TEMPORO-MANDIBULAR JOINTS BILATERAL", "70330"),
    ("TEMPORO MANDIBULAR JOINT RIGHT OPEN AND CLOSED", "70328"),
])
def test_body_part_synonyms(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize("text", [
    # both ducts of the endoscopic ductal study, with or without the word ERCP: the combined code
    "XRAY BILE/PANCREAS ENDOSCOPY S&I",
    "X-RAY BILIARY/PANCREATIC ENDOSCOPY",
    "RS&I ENDOSCOPIC CATHETER BILIARY & PANCREATIC DUCTS",
])
def test_endoscopic_study_of_both_ducts(scorers, text):
    assert top(scorers.suggest(text)) == "74330"


def test_endoscopy_after_an_ordinary_region_still_names_a_service(rules):
    # the GI service's own procedure after a region word stays outside radiology
    assert top(rules.suggest("XR CHEST 1 VIEW - GI ENDOSCOPY")) == "71045"


@pytest.mark.parametrize("text", [
    # the fluoroscopy time code's own charge line: the hour bought, no dose statement
    "FLUORO TIME UP TO 1 HOUR",
    "FLUOROSCOPY TIME UP TO ONE HR",
    "FLUOROSCOPIC TIME <1 HR",
])
def test_fluoroscopy_time_charge_line(scorers, text):
    assert top(scorers.suggest(text)) == "76000"


def test_fluoroscopy_time_in_minutes_is_still_a_dose_statement(rules):
    rec = rules.suggest("XR ESOPHAGRAM\nTECHNIQUE: Fluoroscopy time 1.4 minutes. Single contrast barium.\n"
                        "IMPRESSION: Normal esophagram.")
    assert top(rec) == "74220"


@pytest.mark.parametrize("text", [
    # bending views only at a count past their code's band: the one bending-only code
    "XR LUMBOSACRAL SPINE BENDING VIEWS ONLY 4 VIEWS",
    "LUMBAR SPINE FLEXION/EXTENSION ONLY MIN 4 VWS",
])
def test_bending_only_at_any_count(scorers, text):
    assert top(scorers.suggest(text)) == "72120"


def test_four_views_without_only_stay_the_count(rules):
    assert top(rules.suggest("XR LUMBAR SPINE 4 VIEWS")) == "72110"


@pytest.mark.parametrize(("text", "code"), [
    # a closing professional-fee mark after the views names no posterior fossa
    ("XR KNEE LEFT 3 VIEWS PF", "73562"),
    ("XR CERVICAL SPINE 2-3 VIEWS PF", "72040"),
    ("XR FOREARM RT 2 VW PF", "73090"),
])
def test_professional_fee_suffix(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize("text", [
    # an infant's one whole-body film for a foreign body
    "BABYGRAM FOR FOREIGN BODY",
    "XR BABYGRAM FB",
])
def test_babygram_for_foreign_body(scorers, text):
    assert top(scorers.suggest(text)) == "76010"


@pytest.mark.parametrize("text", [
    # the joint survey named by its count of joints
    "JOINTS 2 OR MORE, ONE VIEW EACH",
    "XR SINGLE VIEW OF TWO OR MORE JOINTS",
])
def test_joint_survey_by_count_of_joints(scorers, text):
    assert top(scorers.suggest(text)) == "77077"


@pytest.mark.parametrize("text", [
    # central venous access with shortened words
    "FLUORO GUIDANCE CNTRL VENOUS ACCESS DEVICE",
    "FLUOROGUIDE CENTRAL VEN ACCESS PLACE/REPLACE",
])
def test_central_venous_access_guidance(scorers, text):
    assert top(scorers.suggest(text)) == "77001"


@pytest.mark.parametrize(("text", "code"), [
    # CT named as the guidance after the procedure: CT guidance (no PET/CT), ablation its own code
    ("RENAL CRYOABLATION WITH CT GUIDANCE", "77013"),
    ("MICROWAVE ABLATION LIVER W/CT GUIDANCE", "77013"),
    ("LUNG NODULE BIOPSY W/ CT GUIDANCE", "77012"),
])
def test_ct_named_as_guidance(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # shorthand: a foreign body glued into one word, the discography cut short, the small bowel as "SM"
    ("XR ORBITS FOREIGNBODY SCREEN", "70030"),
    ("EYES BILATERAL DETECT FB", "70030"),
    ("FL DISKO LUMBAR S&I", "72295"),
    ("XR SM BOWEL SERIES", "74250"),
    ("XR SURG SPEC RADIOGRAPH", "76098"),
    # misspellings of charge lines: a vowel lost or swapped
    ("XR SACRO ILAC JOINTS 3 VIEWS", "72202"),
    ("CONTRAST EXAM PHARYNC AND/OR CERVIAL ESOPHAGUS", "74210"),
    ("XR CERVIAL SPINE AP AND LATERAL", "72040"),
])
def test_shorthand_words(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize("text", [
    # the MRI a film clears the patient for is its reason, not a second modality
    "EYES BILATERAL DETECT FB PRE MRI",
    "ORBITS FOR FOREIGN BODY PRE-MRI",
    "XR ORBITS FB BEFORE MRI",
])
def test_orbit_film_before_mri(scorers, text):
    assert top(scorers.suggest(text)) == "70030"


@pytest.mark.parametrize("text", [
    # the 3D rendering's own charge line, named after its exam without "with": the rendering first
    "CT FACIAL BONES 3D RECONSTRUCTION",
    "MR CHOLANGIOPANCREATOGRAPHY 3D RENDERING",
    "CT HEAD/NECK 3D ADDL",
])
def test_rendering_line_named_after_its_exam(scorers, text):
    assert top(scorers.suggest(text)) == "76376"


def test_rendering_joined_to_its_exam_is_not_the_line(rules):
    # "with 3D" on the exam's own line keeps the exam first
    assert top(rules.suggest("CT MAXILLOFACIAL WITHOUT CONTRAST WITH 3D RENDERING")) == "70486"


@pytest.mark.parametrize(("text", "code"), [
    # the upper GI tract with the organ word cut short
    ("UPPER GASTRO TRACT SINGLE CONTRAST", "74240"),
    ("XR UPPER GASTRO TRACT AIR CONTRAST", "74246"),
])
def test_upper_gastro_tract(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # the thoracic and lumbar spine filmed standing, or on one view: the entire spine's survey
    ("XR THORACOLUMBAR SPINE STANDING 2 VIEWS", "72082"),
    ("XR T/L SPINE STND 2 VW", "72082"),
    ("XR THORACOLUMBAR 1 VIEW", "72081"),
    # lying down, at 2 views: the thoracolumbar study
    ("XR T/L SPINE AP AND LATERAL", "72080"),
])
def test_thoracolumbar_standing_is_the_entire_spine(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # the discography named by the disk of a spine part, as CMS's short descriptors name it
    ("X-RAY OF LOWER SPINE DISK", "72295"),
    ("XRAY C/T SPINE DISK S&I", "72285"),
])
def test_discography_by_spine_disk(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # fluoroscopic guidance written as one word; a contrast word before it names no CT
    ("W/C-FLUOROGUIDE LUMBAR SPINE INJECTION", "77003"),
    ("FLUOROGUIDED NEEDLE PLACEMENT", "77002"),
    ("FLUOROGUIDANCE CENTRAL VENOUS CATHETER", "77001"),
])
def test_fluoroscopic_guidance_as_one_word(scorers, text, code):
    assert top(scorers.suggest(text)) == code
