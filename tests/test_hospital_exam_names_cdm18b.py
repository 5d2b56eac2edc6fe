"""Real hospital exam names, cdm18b classes (ultrasound, duplex, nuclear medicine, PET): charge-line
wording the rules misread, on one-line descriptions written for these tests (not rows of the
chargemaster file). Rules alone (``title_model="off"``); codes are ranked by confidence, as the
chargemaster scoring ranks them."""

from __future__ import annotations

import pytest
from conftest import codes, ranked, top


@pytest.mark.parametrize(("text", "code"), [
    # a myocardial perfusion charge line naming no acquisition keeps the SPECT default (planar vs SPECT
    # for such lines is an open policy question: hospitals bill them planar about 2 to 1)
    ("NUC MED MYOCARDIAL PERFUSION SGL STUDY", "78451"),
    ("MYOCARDIAL PERFUSION IMAGING SINGLE", "78451"),
    ("NM HEART PERFUSION REST AND STRESS", "78452"),
    ("MYOCARDIAL PERF MULTIPLE STUDIES", "78452"),
])
def test_perfusion_line_without_acquisition_word_keeps_spect_default(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # SPECT written as charge lines shorten it in a nuclear exam ("SPE", "SPC", "SPT", "TOMO")
    ("NM MYOCARDIAL PERF SPC SINGLE", "78451"),
    ("NM MYOCARD SPE REST/STRESS", "78452"),
    ("NM MYOCARDIAL TOMO MULTIPLE", "78452"),
    ("NM CARDIAC PERFUSION SPT REST ONLY", "78451"),
    ("NM MYOCARDIAL PERFUSION SPECT MULTIPLE", "78452"),
    # "no SPECT" is the planar study
    ("NM MYOCARDIAL PERF MULT NO SPEC", "78454"),
])
def test_spect_shorthand_in_a_nuclear_heart_line(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_perfusion_report_documenting_spect_keeps_spect(rules):
    text = ("EXAM: NM MYOCARDIAL PERFUSION REST AND STRESS\nTECHNIQUE: Gated SPECT images were acquired at rest "
            "and after regadenoson stress.\nFINDINGS: Normal perfusion. LVEF 61%.\nIMPRESSION: Normal study.")
    assert [c["code"] for c in rules.suggest(text)["codes"]] == ["78452"]


def test_tomosynthesis_keeps_its_word_outside_nuclear_medicine(scorers):
    assert "77063" in ranked(scorers.suggest("MAMMO SCREENING BILATERAL WITH TOMO"))


@pytest.mark.parametrize(("text", "code"), [
    # "full body" is the whole body
    ("PET CT FULL BODY", "78816"),
    ("PET FULL-BODY IMAGING", "78813"),
    # "2/more days" is the multi-day imaging of a whole-body localization
    ("NM TUMOR LOCALIZATION WB 2/MORE DAYS", "78804"),
    ("NM GALLIUM SCAN WHOLE BODY 2/MORE DAY", "78804"),
])
def test_whole_body_and_multiday_shorthand(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # the kidney with a bare arterial word and no limb: the renal arteries' duplex, in any word order
    ("US KIDNEY ARTERIAL DOPPLER", "93975"),
    ("DUPLEX ARTERIAL RENAL COMPLETE", "93975"),
    ("ULTRASOUND ARTERIAL RENAL LTD", "93976"),
])
def test_kidney_with_a_bare_arterial_word_is_the_renal_duplex(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_a_limb_named_with_the_kidney_keeps_its_arteries(rules):
    assert "93926-LT" in codes(rules.suggest("US RENAL AND LEFT LOWER EXTREMITY ARTERIAL DUPLEX"))


@pytest.mark.parametrize("text", [
    # the transplanted kidney written short ("KID"): its ultrasound
    "US TRANSPLANT KID W DOPPLER",
    "SONO KID TRANSPLANT",
])
def test_transplanted_kidney_written_kid(scorers, text):
    assert top(scorers.suggest(text)) == "76776"


def test_transplanted_kidney_nuclear_scan_keeps_its_modality(scorers):
    assert top(scorers.suggest("NM RENAL TRANSPLANT FLOW AND FUNCTION")) == "78707"


@pytest.mark.parametrize(("text", "code"), [
    # "EA AD": each additional gestation, the add-on line of its exam
    ("US OB NUCHAL TRANSLUCENCY EA AD", "76814"),
    ("US OB DETAILED ANATOMY EA AD GEST", "76812"),
])
def test_each_additional_written_ea_ad(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize("text", ["V Q SCAN", "NM LUNG V Q SCANS"])
def test_ventilation_perfusion_written_with_a_blank(scorers, text):
    assert top(scorers.suggest(text)) == "78582"


@pytest.mark.parametrize(("text", "code"), [
    # a localization charge line closing on "2" / "2+" / "2 or more": two or more areas or days
    ("RADIOPHARM LOCALIZATION TUMOR SPECT W/CT 2", "78832"),
    ("NM INFLAMMATORY LOCALIZATION SPECT/CT 2 OR MORE", "78832"),
    ("NM TUMOR LOCALIZATION SPECT 2+", "78831"),
    # one area stays the single study
    ("RADIOPHARM LOCALIZATION TUMOR SPECT W/CT 1", "78830"),
])
def test_localization_line_closing_on_two_or_more(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_localization_report_closing_number_is_no_count(rules):
    text = ("EXAM: NM TUMOR LOCALIZATION SPECT/CT\nTECHNIQUE: SPECT/CT of the chest after In-111 pentetreotide.\n"
            "IMPRESSION: Avid lesion in the right lower lobe, Krenning score 2")
    assert codes(rules.suggest(text)) == ["78830"]
