"""A second exam a report documents becomes a frame of its own (CODING_RULES §6: bill what was
performed), and what joins two exams in a title is not read as one exam restated. Reports written
for these tests (helper fam39a, stop 39)."""

from __future__ import annotations

import pytest
from conftest import codes

_STROKE_BODY = ("History: stroke alert, left arm drift since 07:10.\n"
                "Technique: Plain CT of the head first, then CT angiography of the head and neck with 70 mL "
                "Isovue IV. MIP and volume rendered images on a separate workstation.\n"
                "Findings: No bleed. Right M1 cutoff.")


@pytest.mark.parametrize(("text", "expected"), [
    # title lines stacked one per exam: the plain head CT line above the angiogram lines is its own exam
    ("CT HEAD W/O CONT\nCTA HEAD W&W/O CONT\nCTA NECK W&W/O CONT\n" + _STROKE_BODY,
     ["70450", "70496", "70498"]),
    ("CT HEAD WO\nCTA HEAD\nCTA NECK\n" + _STROKE_BODY, ["70450", "70496", "70498"]),
])
def test_stacked_plain_and_angiogram_lines_are_two_exams(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the bundle still decides: an aneurysm follow-up's plain series is the CTA's own (CODING_RULES §2)
    ("CT HEAD WO\nCTA HEAD\nHistory: known 4 mm aneurysm, yearly check.\n"
     "Technique: Plain images of the head, then CT angiography of the head with IV contrast. MIPs.\n"
     "Findings: Stable aneurysm.", ["70496"]),
    ("CT CHEST WITHOUT CONTRAST\nCTA CHEST\nHistory: short of breath.\n"
     "Technique: Plain images of the chest, then CT angiography of the pulmonary arteries with IV contrast. "
     "MIP images.\nFindings: No clot.", ["71275"]),
    # two lines of one exam (the same modality) stay one exam
    ("CT HEAD WO\nCT HEAD WITHOUT CONTRAST\nHistory: fall.\nTechnique: Axial images of the head.\n"
     "Findings: No bleed.", ["70450"]),
])
def test_stacked_lines_of_one_exam_stay_one(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a limited bone scan dictated without a technique header: the findings' implant part is no imaged area
    ("NM BONE LIMITED - LEFT HIP\nHx: painful left hip replacement.\n"
     "Delayed planar images of the pelvis and hips after 22 mCi Tc99m MDP.\n"
     "Slight activity along the tip of the femoral component on the left.\n"
     "IMP: No pattern of loosening.", ["78300"]),
    # ... while a body sentence that says images of two areas were made still makes it multiple areas
    ("NM BONE LIMITED - LEFT HIP\nHx: painful left hip replacement.\n"
     "Delayed planar images of the pelvis and of both knees after 22 mCi Tc99m MDP.\n"
     "IMP: No pattern of loosening.", ["78305"]),
])
def test_bone_scan_areas_are_the_imaged_ones(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a body that states the protocol (no technique header) says the CT part was not done: SPECT alone
    ("NM PARATHYROID PLANAR AND SPECT\nHx: high calcium, prior neck surgery.\n"
     "Sestamibi 24 mCi. Planar images at 15 minutes and 2 hours, SPECT of the neck (no CT; the SPECT/CT camera was "
     "down).\nUptake behind the lower left thyroid pole on delayed images.\nIMP: Likely left lower adenoma.",
     ["78071"]),
    # a negated CT in a findings sentence says nothing of the acquisition
    ("NM PARATHYROID PLANAR AND SPECT\nHx: high calcium, prior neck surgery.\n"
     "Sestamibi 24 mCi. Early and delayed planar images with SPECT/CT of the neck and chest.\n"
     "Uptake behind the lower left thyroid pole on delayed images. No CT evidence of an ectopic gland.\n"
     "IMP: Likely left lower adenoma.", ["78072"]),
])
def test_hybrid_ct_said_not_done_in_a_body_protocol(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a chest title whose findings list the chest views and one abdomen view taken: two exams (§4, §6)
    ("EXAMINATION:  CHEST (PA AND LAT)\nINDICATION:  swallowed a button battery\nFINDINGS:\n"
     "Frontal and lateral views of the chest, plus one supine view of the abdomen, were taken.  A disc "
     "shaped density lies over the gastric fundus.  Lungs are clear.\nIMPRESSION: Battery in the stomach.",
     ["71046", "74018"]),
    ("EXAM: CHEST 2 VIEWS\nHISTORY: swallowed a coin\nTECHNIQUE: PA and lateral views of the chest and one supine "
     "view of the abdomen were obtained.\nFINDINGS: Coin over the stomach. Lungs are clear.", ["71046", "74018"]),
    # a title naming both exams: the abdomen's single view is not the chest's count
    ("EXAMINATION:  CHEST AND ABDOMEN\nINDICATION:  swallowed a button battery\nFINDINGS:\n"
     "Frontal and lateral views of the chest, plus one supine view of the abdomen, were taken.  Lungs are clear.",
     ["71046", "74018"]),
])
def test_second_radiograph_documented_in_the_views_sentence(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # another region named only as not taken, or as an earlier film, is no exam
    ("EXAMINATION:  CHEST (PA AND LAT)\nINDICATION:  cough\nFINDINGS:\n"
     "PA and lateral views of the chest were obtained; no views of the abdomen were obtained. Lungs are clear.",
     ["71046"]),
    ("EXAMINATION:  CHEST (PA AND LAT)\nINDICATION:  cough\nFINDINGS:\n"
     "PA and lateral views of the chest and prior views of the abdomen were compared. Lungs are clear.", ["71046"]),
])
def test_other_region_not_taken_is_no_exam(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


_PET_FINDINGS = "PET findings: Avid left iliac nodes.\nImpression: Nodal disease in the pelvis."


@pytest.mark.parametrize(("text", "expected"), [
    # a PET/CT title "with" a diagnostic CT that the report reads under its own heading: two exams (§3, §6)
    ("FDG PET/CT SKULL BASE-MID THIGH WITH DIAGNOSTIC CT OF CHEST, ABDOMEN AND PELVIS WITH IV CONTRAST\n"
     "Indication: staging.\nTechnique: FDG 10 mCi. PET/CT with a low-dose CT for attenuation; then a diagnostic CT "
     "of the chest, abdomen and pelvis after 100 mL Omnipaque IV, separately interpreted below.\n" + _PET_FINDINGS +
     "\nDIAGNOSTIC CT: No lung nodules. Liver clear.", ["71260", "74177", "78815"]),
    # ... not when the report says that CT is read in a report of its own
    ("PET/CT SKULL BASE TO MID THIGH WITH DIAGNOSTIC CT\nIndication: staging.\nTechnique: FDG 10 mCi. A diagnostic "
     "CT of the chest with IV contrast was done in the same visit; it is interpreted and reported separately under "
     "its own accession number.\n" + _PET_FINDINGS, ["78815"]),
    ("PET/CT SKULL BASE TO MID THIGH + DIAGNOSTIC CT CHEST WITH CONTRAST\nIndication: staging.\nTechnique: FDG "
     "10 mCi. A diagnostic CT of the chest with IV contrast was done in the same visit; it is interpreted and "
     "reported separately under its own accession number.\n" + _PET_FINDINGS, ["78815"]),
    # the PET's own CT named with "with" stays the PET/CT
    ("PET/CT SKULL BASE TO MID THIGH WITH CONCURRENT CT\nIndication: staging.\nTechnique: FDG 10 mCi, low-dose CT "
     "for attenuation.\n" + _PET_FINDINGS, ["78815"]),
])
def test_diagnostic_ct_beside_a_pet(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


_SPINE_TITLE = "MRI CERVICAL, THORACIC AND LUMBAR SPINE WITHOUT AND WITH CONTRAST\n"
_SPINE_PLAIN = ("TECHNIQUE: Sagittal T2 and T1 images through the cervical, thoracic and lumbar spine were acquired "
                "before contrast. ")


@pytest.mark.parametrize(("text", "expected"), [
    # the segments' plain series named, the contrast series after it in a sentence naming no segment (§2)
    (_SPINE_TITLE + _SPINE_PLAIN + "After 7 mL gadobutrol IV, sagittal and axial T1 images of the whole spine were "
     "obtained.\nFINDINGS: Enhancing lesion at T7.", ["72156", "72157", "72158"]),
    (_SPINE_TITLE + _SPINE_PLAIN + "After 7 mL gadobutrol IV, sagittal and axial T1 images were obtained.\n"
     "FINDINGS: Enhancing lesion at T7.", ["72156", "72157", "72158"]),
    # ... not when the report says the contrast was not given
    (_SPINE_TITLE + _SPINE_PLAIN + "Contrast was not given because the IV infiltrated.\nFINDINGS: Lesion at T7.",
     ["72141", "72146", "72148"]),
])
def test_general_contrast_series_of_split_segments(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
