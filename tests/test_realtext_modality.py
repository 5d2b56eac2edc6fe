"""Real-world exam names (issue 11): the modality a title states governs the code family.

A procedure word carries a modality of its own ("cystogram" fluoroscopy, "myelogram",
"arthrogram", "scanogram" a radiograph, "cisternogram" nuclear medicine); a modality word before
it on the same line says how the exam was done. A code of another modality than the stated one is
never released without a coder; "XA" (catheter angiography) has no code in the table. Titles and
reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes

from suggester.output import MODEL_ONLY_MAX


@pytest.mark.parametrize(("text", "expected"), [
    # a CT cystogram is a CT of the pelvis: bladder contrast by catheter is not intravascular
    ("CT PELVIS CYSTOGRAM WO", ["72192"]),
    ("CT CYSTOGRAM WITHOUT IV CONTRAST", ["72192"]),
    # the same procedure word without a stated modality, or under a radiograph, stays fluoroscopic
    ("CYSTOGRAM 3 VIEWS", ["74430"]),
    ("XR CYSTOGRAM", ["74430"]),
    # contrast in the thecal sac or the joint: the CT / MR code with contrast (CODING_RULES §2)
    ("CT LUMBAR MYELOGRAM", ["72132"]),
    ("CT C-SPINE POST MYELOGRAM", ["72126"]),
    ("MR ARTHROGRAM RIGHT SHOULDER", ["73222-RT"]),
    ("MRI ARTHROGRAM LEFT HIP", ["73722-LT"]),
    ("CT ARTHROGRAM KNEE LEFT", ["73701-LT"]),
    # a stated contrast still wins over the injection's default
    ("MR ARTHROGRAM KNEE RIGHT W/O AND W/ IV CONTRAST", ["73723-RT"]),
    # without a stated modality the procedure is the fluoroscopic supervision code
    ("LUMBAR MYELOGRAM", ["72265"]),
    ("LEFT SHOULDER ARTHROGRAM", ["73040-LT"]),
    # urography and enterography by CT / MR are the abdomen(-pelvis) study
    ("CT UROGRAM WITH AND WITHOUT CONTRAST", ["74178"]),
    ("CT ENTEROGRAPHY WITH CONTRAST", ["74177"]),
    # (MR enterography images the abdomen and the pelvis: one code each, as MR has no combined code)
    ("MR ENTEROGRAPHY WITHOUT AND WITH CONTRAST", ["72197", "74183"]),
    ("IV UROGRAM", ["74400"]),
    # a setting word of another modality does not take over the stated modality's exam
    ("FL CHOLANGIOGRAM INTRAOPERATIVE", ["74300"]),
    ("FL RETROGRADE PYELOGRAM INTRAOPERATIVE", ["74420"]),
    # two exams on one line stay two exams
    ("CT CHEST WITHOUT CONTRAST AND BONE SCAN WHOLE BODY", ["71250", "78306"]),
])
def test_stated_modality_governs_procedure_words(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "code", "reason"), [
    ("MR SURGICAL SPECIMEN", "76098", "title names MR; the surgical specimen code is XR"),
    ("MAMMO SPECIMEN LEFT", "76098", "title names MG; the surgical specimen code is XR"),
    ("CT SCANOGRAM LOWER EXTREMITIES", "77073", "title names CT; the bone length code is XR"),
    ("FLUORO INTRAOPERATIVE", "76998", "title names FL; the intraoperative code is US"),
    # an amyloid tracer: the limited-area PET (acc9b), the SPECT word still doubts the modality
    ("NM BRAIN FLORBETAPIR SPECT", "78814", "title names both SPECT and PET"),
    # no modality word: CSF alone implies nuclear medicine, the cervical spine has no NM code
    ("C-SPINE PUNCTURE CSF DRAIN", "78630", "no modality stated; the cervical spine has no NM code"),
])
def test_code_of_another_modality_than_stated_goes_to_review(sg, text, code, reason):
    rec = sg.suggest(text)
    assert [c["code"] for c in rec["codes"]] == [code]
    assert rec["codes"][0]["confidence"] <= MODEL_ONLY_MAX
    assert rec["needs_review"] is True
    assert any(r.endswith(reason) for r in rec["review_reasons"]), rec["review_reasons"]


@pytest.mark.parametrize("text", ["X-RAY SURGICAL SPECIMEN", "BREAST SPECIMEN RADIOGRAPH"])
def test_specimen_radiograph_without_another_modality_keeps_its_confidence(sg, text):
    rec = sg.suggest(text)
    assert [c["code"] for c in rec["codes"]] == ["76098"]
    assert not any("title names" in r for r in rec["review_reasons"])


@pytest.mark.parametrize("text", ["XA RENAL VEINS BILAT", "XA CAROTID ARTERY BILATERAL",
                                  "EXAM: XA ABDOMINAL AORTA\nFINDINGS: Patent aorta."])
def test_catheter_angiography_bills_nothing(sg, text):
    rec = sg.suggest(text)
    assert (rec["codes"], rec["needs_review"]) == ([], True)
    assert rec["review_reasons"][0] == "no billable exam recognised"


def test_procedure_word_in_a_technique_sentence_follows_the_ct(sg):
    text = ("EXAM: CT LUMBAR SPINE\nTECHNIQUE: Following lumbar puncture and intrathecal injection of "
            "10 mL Omnipaque 180 (myelogram), axial CT images of the lumbar spine were obtained.\n"
            "FINDINGS: Mild canal stenosis at L4-5.")
    assert codes(sg.suggest(text)) == ["72132"]


# --------------------------------------------------------------------------- hospital exam names


@pytest.mark.parametrize(("text", "expected"), [
    # a contrast study includes its scout abdominal radiograph ("with or without KUB")
    ("BARIUM ENEMA SINGLE CONTRAST W/WO KUB", ["74270"]),
    ("UPPER GI AIR CONTRAST WO KUB", ["74246"]),
    ("IV PYELOGRAM WITH OR WITHOUT KUB", ["74400"]),
    ("RETROGRADE UROGRAPHY W OR WO KUB", ["74420"]),
    # a KUB alone is still the abdomen radiograph
    ("KUB 1 VIEW", ["74018"]),
    # transcranial Doppler is applied to the intracranial arteries: one exam
    ("TRANSCRANIAL DOPPLER OF THE INTRACRANIAL ARTERIES COMPLETE", ["93886"]),
    ("TRANSCRANIAL DOPPLER INTRACRANIAL ARTERIES LIMITED", ["93888"]),
    # ultrasound guidance for vascular access, abbreviated
    ("US GUIDE FOR VASC ACCESS", ["76937"]),
    # a PET limited area names the head as the area, not the brain
    ("PET LIMITED AREA HEAD AND NECK", ["78811"]),
    ("PET/CT LIMITED AREA, CHEST/HEAD/NECK", ["78814"]),
    ("PET BRAIN METABOLIC", ["78608"]),
    # a CT named with the PET of the same exam makes it PET/CT; a PET alone stays PET only
    ("PET WITH CONCURRENT CT SKULL BASE TO MID THIGH", ["78815"]),
    ("CT PET WHOLE BODY", ["78816"]),
    ("PET SKULL BASE TO MID THIGH", ["78812"]),
    # a survey for metastases is the limited osseous survey
    ("METASTATIC BONE SURVEY", ["77074"]),
    ("SKELETAL SURVEY COMPLETE", ["77075"]),
])
def test_hospital_exam_names(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def test_scout_included_in_a_contrast_study_is_flagged(sg):
    rec = sg.suggest("BARIUM ENEMA SINGLE CONTRAST W/WO KUB")
    assert [f["rule"] for f in rec["flags"] if f["type"] == "bundling_conflict"] == ["contrast_study_includes_scout"]


@pytest.mark.parametrize(("text", "expected"), [
    # stroke protocol: the title names the non-contrast head CT as its own exam
    ("EXAMS: CT HEAD WITHOUT CONTRAST; CTA HEAD AND NECK\nTECHNIQUE: Noncontrast axial images of the head, "
     "followed by CT angiography of the head and neck after 80 mL Isovue 370 IV with MIP reconstructions.\n"
     "FINDINGS: No hemorrhage. No large vessel occlusion.", ["70450", "70496", "70498"]),
    # the CTA alone: its non-contrast images are part of it (CODING_RULES §2)
    ("EXAM: CTA HEAD AND NECK\nTECHNIQUE: A noncontrast localizer of the head, then CT angiography "
     "after 80 mL Isovue 370 IV with MIP reconstructions.\nFINDINGS: No large vessel occlusion.",
     ["70496", "70498"]),
])
def test_stroke_protocol_bills_the_named_noncontrast_head_ct(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert not any(f["type"] == "title_technique_conflict" for f in rec["flags"])


# a title without a modality over a technique that names the sonographic approach only: the
# approach says ultrasound (an abdominal or transvaginal "approach" in a prior study does not)
@pytest.mark.parametrize(("text", "expected"), [
    ("EXAMINATION: PELVIS, NON-OBSTETRIC\nTECHNIQUE: Transabdominal and transvaginal images of the pelvis were "
     "obtained.\nFINDINGS: Uterus 8 cm, endometrium 5 mm, ovaries normal.", ["76830", "76856"]),
    ("EXAM: PELVIS\nTransvaginal images only.\nFINDINGS: Uterus 8 cm, endometrium 5 mm.", ["76830"]),
    ("EXAM: PELVIS 2 VIEWS\nFINDINGS: No fracture. Transabdominal ultrasound from last week reviewed.", ["72170"]),
])
def test_sonographic_approach_names_the_modality(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


# a CT named after a myelogram without anatomy of its own ("with post-myelogram CT", "and CT",
# "W CT") is the post-myelogram CT of the same segment, with the intrathecal contrast (CODING_RULES
# 2); a myelogram alone, a PET or bone scan "with CT" are one exam
@pytest.mark.parametrize(("text", "expected"), [
    ("EXAM: Lumbar myelogram with post-myelogram CT.\nFINDINGS: Moderate stenosis at L4-L5.", ["72132", "72265"]),
    ("CERVICAL MYELOGRAM AND CT", ["72126", "72240"]),
    ("MYELOGRAM LUMBAR W CT", ["72132", "72265"]),
    ("THORACIC MYELOGRAM WITH CT", ["72129", "72255"]),
    ("LUMBAR MYELOGRAM", ["72265"]),
    ("PET WITH CT SKULL BASE TO MID THIGH", ["78815"]),
])
def test_ct_named_after_a_myelogram_is_the_post_myelogram_ct(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
