"""Conventions of real report corpora beyond tests/test_report_corpus_conventions.py: research-archive exam
names that negate a site with "non-" ("... NON-CORONARY"), addenda that correct the side, transcription
headers that are not the exam ("PATIENT HISTORY:", "PREOPERATIVE DIAGNOSIS:", "DESCRIPTION OF PROCEDURE:"),
a department heading before the exam's title ("NUCLEAR CARDIOLOGY: ...") and the result blocks of an EHR
export ("Impression" above "Narrative"). Reports written for these tests."""

from __future__ import annotations

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def s():
    return Suggester(billing="global", payer="medicare")


def _codes(out):
    return [(c["code"], tuple(c.get("modifiers") or ())) for c in out["codes"]]


@pytest.mark.parametrize("title", [
    "CTA CHEST W&W/O C&RECONS, NON-CORONARY",
    "CTA CHEST, NON CORONARY",
])
def test_site_prefixed_non_names_no_exam(s, title):
    """A chest CT angiogram named "non-coronary" is no coronary CTA (75574 is not added)."""
    text = (f"                                 FINAL REPORT\n EXAMINATION:  {title}\n\n INDICATION:  ___ with dyspnea\n\n"
            " TECHNIQUE:  Arterial phase images of the chest after 80 mL Omnipaque 350 IV; MIP images reviewed.\n\n"
            " IMPRESSION:  No pulmonary embolism.")
    assert _codes(s.suggest(text)) == [("71275", ())]


def test_coronary_cta_still_coronary(s):
    text = ("EXAM: CTA CORONARY ARTERIES\nTECHNIQUE: 80 mL Omnipaque 350 IV, ECG gated; 3D and MIP images.\n"
            "IMPRESSION: No stenosis.")
    assert _codes(s.suggest(text)) == [("75574", ())]


@pytest.mark.parametrize(("text", "codes"), [
    ("EXAM: XR WRIST 3 VIEWS\nHISTORY: fall.\nFINDINGS: Three views of the right wrist. No fracture.\n"
     "IMPRESSION: Negative.\nADDENDUM: Correction: this examination is of the left wrist.", [("73110", ("LT",))]),
    ("EXAM: XR RIGHT WRIST 3 VIEWS\nHISTORY: fall.\nFINDINGS: No fracture.\nIMPRESSION: Negative.\n"
     "ADDENDUM: The side is incorrect in the original report; this is the left wrist.", [("73110", ("LT",))]),
    ("EXAM: XR RIGHT ANKLE 3 VIEWS\nFINDINGS: No fracture.\n\nADDENDUM:\nCORRECTION:\nThese images are of the left ankle.",
     [("73610", ("LT",))]),
])
def test_addendum_that_corrects_the_side(s, text, codes):
    """An addendum correcting the side gives the side imaged (CODING_RULES §6); a title side it corrects is a
    conflict."""
    out = s.suggest(text)
    assert _codes(out) == codes


@pytest.mark.parametrize("text", [
    "EXAM: XR RIGHT KNEE 3 VIEWS\nFINDINGS: No fracture.\nADDENDUM: Compared with the left knee from 2024, no change.",
    "EXAM: XR RIGHT KNEE 3 VIEWS\nFINDINGS: No fracture.\nADDENDUM: Correction: the effusion is small, not moderate. "
    "Left knee films are recommended.",
])
def test_addendum_naming_the_other_side_without_correcting_it(s, text):
    assert _codes(s.suggest(text)) == [("73562", ("RT",))]


@pytest.mark.parametrize(("text", "codes"), [
    ("REASON FOR REFERRAL: abnormal CT abdomen, renal mass\nMRI ABDOMEN WITHOUT AND WITH CONTRAST\n"
     "TECHNIQUE: Pre and post gadolinium images, 10 mL Gadavist IV.\nFINDINGS: Enhancing left renal mass.",
     [("74183", ())]),
    ("PREOPERATIVE DIAGNOSIS: Right shoulder pain.\nPOSTOPERATIVE DIAGNOSIS: Same.\nPROCEDURE: Left knee arthrogram.\n"
     "DESCRIPTION OF PROCEDURE: Under fluoroscopy a needle was placed in the left knee and contrast injected; "
     "arthrogram images obtained.\nIMPRESSION: Normal.", [("73580", ("LT",))]),
])
def test_transcription_headers_before_the_exam_are_history(s, text, codes):
    ex = s.extract(text)
    assert ex.title is None or "REFERRAL" not in ex.title.text and "DIAGNOSIS" not in ex.title.text
    assert _codes(s.suggest(text)) == codes


def test_department_heading_before_the_exam_title(s):
    text = ("NUCLEAR CARDIOLOGY: MYOCARDIAL PERFUSION SPECT, REST AND REGADENOSON STRESS, GATED\nIndication: chest pain.\n"
            "Protocol: One-day rest/stress. Rest: 10 mCi Tc-99m sestamibi IV, SPECT imaging 45 minutes later. Stress: "
            "regadenoson 0.4 mg IV then 31 mCi sestamibi; gated SPECT at 60 minutes.\nPerfusion findings: inferior defect.\n"
            "Gated SPECT: LVEF 52%.")
    assert _codes(s.suggest(text)) == [("78452", ())]


@pytest.mark.parametrize(("text", "title", "codes"), [
    ("Impression\nNo acute fracture. MRI of the ankle could be obtained if pain persists.\n\nNarrative\n"
     "XR RIGHT ANKLE 3 VIEWS\nHISTORY: injury\nFINDINGS: No fracture.", "XR RIGHT ANKLE 3 VIEWS", [("73610", ("RT",))]),
    ("Narrative\nCT CHEST WITH CONTRAST\nHISTORY: Lung cancer staging.\nTECHNIQUE: Axial images of the chest after "
     "75 mL Isovue 370 IV.\nFINDINGS: 3 cm right upper lobe mass.\nImpression\nRight upper lobe mass.",
     "CT CHEST WITH CONTRAST", [("71260", ())]),
    ("Result Narrative\nMRI LUMBAR SPINE WO CONTRAST\nHISTORY: back pain\nFINDINGS: disc bulge L4-5.\n"
     "Result Impression\nMild degenerative change.", "MRI LUMBAR SPINE WO CONTRAST", [("72148", ())]),
])
def test_ehr_result_blocks(s, text, title, codes):
    """An EHR export's result components ("Impression" above "Narrative"): the narrative's first line is the
    exam's title."""
    ex = s.extract(text)
    assert ex.title is not None and ex.title.text == title
    assert _codes(s.suggest(text)) == codes


@pytest.mark.parametrize(("text", "codes"), [
    ("Indication: Chest pain.\nComparison: None.\nFindings: Heart size normal. Lungs clear.\n"
     "Impression: PA and lateral chest radiographs show no acute disease.", [("71046", ())]),
    ("Indication: Chest pain.\nComparison: None.\nFindings: Heart size normal. Lungs clear.\n"
     "Impression: No acute disease on the chest radiographs.", [("71045", ())]),
])
def test_untitled_report_naming_its_radiographs_is_the_chest_film(s, text, codes):
    """An untitled report (public chest radiograph collections) that reads the heart and lungs and names its
    radiographs is the chest film, not a radiograph of the heart (which has no code); views per CODING_RULES §4."""
    assert _codes(s.suggest(text)) == codes


def test_glenohumeral_names_the_shoulder_not_the_humerus(s):
    text = ("                                 FINAL REPORT\n EXAMINATION:  GLENO-HUMERAL SHOULDER (W/ AXILLARY VIEW) "
            "RIGHT\n\n INDICATION:  ___ with fall\n\n FINDINGS:  No dislocation.\n\n IMPRESSION:  Negative.")
    assert [c for c, _m in _codes(s.suggest(text))] == ["73020"]


@pytest.mark.parametrize("check", [
    "Renal function screening was completed prior to injection.",
    "Contrast safety: eGFR screening per departmental policy.",
])
def test_safety_screening_sentence_is_no_screening_exam(s, check):
    """A contrast-safety sentence of a long report's technique ("renal function screening") screens the patient
    for the injection: a contrast chest CT stays diagnostic 71260, not lung cancer screening 71271 (CODING_RULES §5)."""
    text = ("EXAM: CT CHEST WITH CONTRAST\nHISTORY: Lymphoma restaging.\nTECHNIQUE: Axial images after 80 mL Omnipaque "
            f"350 IV. {check}\nFINDINGS: Mediastinal adenopathy.\nIMPRESSION: Stable adenopathy.")
    assert _codes(s.suggest(text)) == [("71260", ())]


def test_side_named_only_by_the_order_is_the_exams(s):
    """The exam performed is the order's site and no other side is stated: the order's side is billed
    (CODING_RULES §1, §6)."""
    text = "ORDERED: XR RIGHT ANKLE 3 VIEWS\nEXAM: XR ANKLE 3 VIEWS\nFINDINGS: AP, mortise and lateral views. No fracture."
    out = s.suggest(text)
    assert _codes(out) == [("73610", ("RT",))]
    assert not any(f["type"] == "laterality_missing" for f in out["flags"])


def test_model_frame_takes_the_side_its_title_names(s):
    """A frame the title model bills from an unpunctuated dictation ("x-ray of the right knee four views was
    ordered three views taken ...", every word of it the order's) takes the one side the title names."""
    from suggester.hybrid import _title_side
    ex = s.extract("x-ray of the right knee four views was ordered three views taken ap lateral and notch the "
                   "merchant view could not be obtained due to pain history fall findings effusion")
    assert _title_side(ex, s.lex.codes["73562"]) == "right"
    assert _title_side(ex, s.lex.codes["71046"]) is None  # (a code without sides)
