"""Real hospital exam names, cdm19a classes (XR, FL, guidance, mammography, DXA, 3D, US, duplex, NM,
PET): charge-line wording the rules misread, on one-line descriptions written for these tests (not
rows of the chargemaster file). Rules alone (``title_model="off"``); codes are ranked by confidence,
as the chargemaster scoring ranks them."""

from __future__ import annotations

import pytest
from conftest import top


@pytest.mark.parametrize(("text", "code"), [
    # "real time" / "with image documentation" is the wording of the ultrasound descriptors only
    # ("B-scan and/or real time with image documentation"): a line naming no modality is a sonogram
    ("CHEST (MEDIASTINUM), REAL TIME", "76604"),
    ("SOFT TISSUES HEAD AND NECK REAL-TIME IMAGING", "76536"),
    ("HEAD REAL TIME W/IMG DOC", "76506"),
    ("BREAST UNILAT REAL TIME W IMAGE DOC LIMITED", "76642"),
    ("BREAST W/IMAGE DOCUMENTATION COMPLETE LEFT", "76641"),
    # (the descriptor wording is no qualifier of its own: a whole limb's line stays the complete study)
    ("EXTREMITY NONVASCULAR REAL TIME RIGHT", "76881"),
])
def test_real_time_image_documentation_is_ultrasound(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # a named modality keeps its own study: fluoroscopy is real time too
    ("FLUOROSCOPY REAL TIME UP TO 1 HOUR", "76000"),
    ("XR CHEST 2 VIEWS REAL TIME READ", "71046"),
])
def test_real_time_beside_a_named_modality(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # "US <limb> DUPLEX <vessel>": the duplex word between the limb and its vessel word names the
    # vessels' scan of that limb, one exam (not a nonvascular limb ultrasound beside it)
    ("US LOWER EXT DPX ARTERIAL BILAT", "93925"),
    ("US UPPER EXTREMITY DPX ART LEFT", "93931"),
    ("US LEFT LEG DUPLEX VEIN", "93971"),
    ("US LOWER EXTREMITY DOPPLER VENOUS RIGHT", "93971"),
])
def test_duplex_word_between_limb_and_vessel(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # kidney imaging "with function" or "with drug intervention" is the nuclear renal study (no
    # radiograph of the kidney measures its function)
    ("KIDNEY IMG W/FUNCTION", "78707"),
    ("RENAL IMG VASC/FUNCTION", "78707"),
    ("KIDNEY W/DRUG INTERVENTION", "78708"),
    # the drug challenge named without the kidney
    ("CAPTOPRIL CHALLENGE RENAL", "78708"),
    ("LASIX WASHOUT", "78708"),
    # "without pharmacological intervention" negates the drug
    ("NM KIDNEY FLOW AND FUNCTION W/O PHARMACOLOGICAL INTERVENTION", "78707"),
])
def test_kidney_function_lines_are_nuclear(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_kidney_ultrasound_with_function_stays_ultrasound(scorers):
    # a named modality keeps its study
    assert top(scorers.suggest("US KIDNEYS W/FUNCTION")) in ("76770", "76775")


@pytest.mark.parametrize(("text", "code"), [
    # scintimammography / molecular breast imaging is a planar radiopharmaceutical localization
    ("NM SCINTIMAMMOGRAPHY BILATERAL", "78800"),
    ("BREAST SCINTIMAMMOGRAM", "78800"),
    ("MOLECULAR BREAST IMAGING", "78800"),
])
def test_scintimammography(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # a heart title counting its studies and naming no modality is the nuclear perfusion line (the
    # SPECT default of a line naming no acquisition stands)
    ("MYOCARDIAL MULTI", "78452"),
    ("MYOCARD TOMO SINGLE", "78451"),
])
def test_myocardial_study_count_without_modality(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_heart_views_without_modality_is_no_perfusion_study(rules):
    assert not rules.suggest("HEART 2 VIEWS")["codes"]


@pytest.mark.parametrize(("text", "code"), [
    # the plural of the limb beside one side written out: that side's study
    ("US ARTERIES LOWER EXTREMITIES-LEFT", "93926"),
    ("DUPLEX VEINS UPPER EXTREMITIES, RIGHT", "93971"),
    # the plural alone, or both sides written, stays bilateral
    ("DUPLEX VEINS UPPER EXTREMITIES", "93970"),
    ("US ARTERIES LOWER EXTREMITIES LEFT AND RIGHT", "93925"),
])
def test_plural_limb_with_one_written_side(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # the pharynx with the cervical esophagus in either order, "&" for "and"
    ("CONTRAST STUDY PHARYNX & CERVICAL ESOPHAGUS", "74210"),
    ("FL CERVICAL ESOPHAGUS AND PHARYNX", "74210"),
    # the scout film a contrast study includes is no radiograph of its own
    ("ESOPHAGUS DOUBLE CONTRAST STUDY INCLUDING SCOUT CHEST RADIOGRAPH", "74221"),
    ("PHARYNX AND CERVICAL ESOPHAGUS, INCLUDING SCOUT NECK RADIOGRAPH(S)", "74210"),
])
def test_pharynx_and_cervical_esophagus_and_scout_films(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # central venous catheters by kind or brand, and the descriptor's "placement, replacement or removal"
    # clipped: fluoroscopic guidance for central venous access
    ("FLUORO GUIDE CVP CATHETER INSERTION", "77001"),
    ("FLUOROSCOPY TRIPLE LUMEN PLACEMENT", "77001"),
    ("FLUORO QUINTON CATH EXCHANGE", "77001"),
    ("FLUOROSCOPIC GUIDANCE PLC/RPLC/RMVL", "77001"),
    # the access an ultrasound guides is a vessel's
    ("ULTRASOUND GUIDANCE FOR ACCESS", "76937"),
    ("US GD VSC ACCS", "76937"),
])
def test_central_venous_and_vascular_access_guidance(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_chest_film_checking_a_cvp_line_stays_a_radiograph(scorers):
    assert top(scorers.suggest("XR CHEST 1 VIEW CVP LINE PLACEMENT")) == "71045"


def test_bare_cvp_is_no_venous_access(scorers):
    # "CVP" alone is no catheter ("F/U CVP CAROTID DUPLEX": a vascular programme's follow-up)
    assert top(scorers.suggest("FOLLOW UP CVP CAROTID DUPLEX RIGHT")) == "93882"


@pytest.mark.parametrize(("text", "code"), [
    # nuclear titles written short: metastatic thyroid survey, a clipped cisternogram, "PARATHY",
    # a cortical kidney scan (morphology), a ventilation agent named for a lung scan
    ("THYROID METASTATIC IMAGING NM", "78018"),
    ("NM CISTERN STUDY", "78630"),
    ("NM PARATHY PLANAR W SPECT", "78071"),
    ("NM RENAL CORTICAL IMAGING", "78700"),
    ("LUNG IMG AEROSOL/GAS", "78579"),
])
def test_nuclear_shorthand(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_head_ct_reading_the_cisterns_is_no_cisternogram(rules):
    text = "CT HEAD WITHOUT CONTRAST\nFINDINGS: No hemorrhage. The basal cisterns are patent. Ventricles normal.\nIMPRESSION: Negative."
    assert [c["code"] for c in rules.suggest(text)["codes"]] == ["70450"]


@pytest.mark.parametrize(("text", "code"), [
    # "and/or" written "&/" glued between two words, as payer short descriptors write it
    ("CONTRAST EXAM PHARYNX&/CERVICAL ESOPHAGUS", "74210"),
    ("CHOLANGIOGRAPHY&/PANCREATOGRAPHY INTRAOPERATIVE S&I", "74300"),
])
def test_glued_and_or(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # the fetal middle cerebral artery Doppler with the artery clipped
    ("OB DOPPLER MID CER ART", "76821"),
    ("FETAL DOPPLER VELOCIMETRY MIDDLE CERE ART", "76821"),
    ("US FETAL MID CEREBRL DOPPLER", "76821"),
    # the amniocentesis guidance written short
    ("AMNIO GUIDANCE US", "76946"),
    ("AMNIOCNTS GUIDANCE", "76946"),
    # an automated breast ultrasound
    ("ABUS LEFT", "76641"),
    # the soft tissues of the head and neck written "H&N"
    ("US H&N SOFT TISSUE", "76536"),
    ("ULTRASOUND SOFT TISS H&N", "76536"),
])
def test_ob_doppler_amnio_and_abus_shorthand(scorers, text, code):
    assert top(scorers.suggest(text)) == code
