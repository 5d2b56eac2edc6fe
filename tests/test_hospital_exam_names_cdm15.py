"""Real hospital exam names, cdm15 classes: charge-line wording the rules misread, on one-line
descriptions written for these tests (not rows of the chargemaster file). Rules alone
(``title_model="off"``); codes are ranked by confidence, as the chargemaster scoring ranks them."""

from __future__ import annotations

import pytest
from conftest import ranked, top


@pytest.mark.parametrize("text", [
    # a charge line that names only the screening DBT service is that add-on's line: 77063 ranks
    # first; the code set keeps the screening mammogram (an add-on is never billed alone)
    "SCREENING BREAST TOMOSYNTHESIS BILATERAL",
    "HC DIGITAL BREAST TOMO SCREEN BILAT",
    "BREAST TOMOSYNTHESIS SCREENING BOTH BREASTS",
])
def test_screening_dbt_charge_line_ranks_the_addon_first(scorers, text):
    rec = scorers.suggest(text)
    assert ranked(rec) == ["77063", "77067"]
    assert rec["confidence"] == min(c["confidence"] for c in rec["codes"])


@pytest.mark.parametrize("text", [
    # the title names the mammogram, the DBT joined to it by "with": the base code ranks first
    "MAMMOGRAM SCREENING BILATERAL WITH TOMOSYNTHESIS",
    "MG SCREEN BILAT W DBT",
    "SCREENING MAMMOGRAPHY BOTH BREASTS PLUS TOMOSYNTHESIS",
])
def test_screening_mammogram_with_dbt_ranks_the_mammogram_first(scorers, text):
    assert ranked(scorers.suggest(text)) == ["77067", "77063"]


def test_diagnostic_dbt_charge_line_ranks_the_medicare_addon_first(scorers):
    # Medicare profile: diagnostic DBT is G0279 beside the diagnostic mammogram
    assert ranked(scorers.suggest("DIAGNOSTIC BREAST TOMOSYNTHESIS RIGHT")) == ["G0279", "77065"]


def test_additional_gestation_ranks_after_the_first(scorers):
    # an add-on the title does not name as the exam ranks after its primary line
    assert ranked(scorers.suggest("US OB TWIN PREGNANCY 2ND TRIMESTER")) == ["76805", "76810"]


@pytest.mark.parametrize(("text", "want"), [
    # chargemaster shorthand read as the word it stands for
    ("MAMMO BILAT SCRNING DIGITAL", "77067"),
    ("SCREENING MAMO BOTH SIDES", "77067"),
    ("DUPLEX EXCRANIAL ARTERIES BILAT COMPLETE", "93880"),
    ("DUP SCAN XTRC ARTERIES COMPLETE BILAT", "93880"),
    ("US PROSTATE TRANSRCT", "76872"),
    ("XR METASTAT BONE SURVEY ADULT", "77074"),
    ("BARIUM ESOPHOGRAM", "74220"),
    ("XR L-SPINE COMPLETE WITH BEN", "72114"),
    ("XR KNEES BTH STANDING AP", "73565"),
    ("NM MYOCARDIAL SPECT REST AND STRES MULTI", "78452"),
    ("US OBS LESS THAN 14 WEEKS", "76801"),
    ("DXA BONE DEN AXIAL SKELETON", "77080"),
    ("MAMMARY DUCT GALGRM SINGLE DUCT LEFT", "77053"),
])
def test_chargemaster_shorthand(rules, text, want):
    assert top(rules.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a cone (coned-down) view is a view of its own: AP, oblique and cone are three
    ("XR ABDOMEN AP/LAT/CONE", "74021"),
    ("XR ABD AP + CONE DOWN", "74019"),
])
def test_cone_view_counts(rules, text, want):
    assert top(rules.suggest(text)) == want


def test_twins_name_an_obstetric_exam(rules):
    assert set(ranked(rules.suggest("US TWINS UNDER 14 WEEKS"))) == {"76801", "76802"}


@pytest.mark.parametrize(("text", "want"), [
    # "concurrently acquired CT" of a SPECT study is SPECT/CT
    ("NM PARATHYROID PLANAR AND SPECT, CONCURRENTLY ACQUIRED CT", "78072"),
    ("PARATHYROID IMAGING W/ SPECT & CONCURRENTLY ACQUIRED COMPUTED TOMOGRAPHY", "78072"),
    ("PET TUMOR IMAGING, CONCURRENTLY ACQUIRED CT, SKULL BASE TO MID THIGH", "78815"),
])
def test_concurrently_acquired_ct(rules, text, want):
    assert top(rules.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a liver-spleen scan is the nuclear medicine study; the ultrasound stays an ultrasound
    ("LIVER/SPLEEN SCAN STATIC", "78215"),
    ("US LIVER AND SPLEEN", "76705"),
])
def test_exams_whose_name_implies_the_modality(rules, text, want):
    assert top(rules.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a department "XR" before the DXA modality word: the DXA exam (as "XR MAMMO" is the mammogram)
    ("XR DXA VERTEBRAL FRACTURE ASSESSMENT ONLY", "77086"),
    ("XR DEXA SCAN", "77080"),
])
def test_department_xr_before_dxa(rules, text, want):
    assert top(rules.suggest(text)) == want
