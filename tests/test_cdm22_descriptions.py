"""Hospital exam names, cdm22: a one-line description of one orderable exam emits one exam's codes.
Descriptions written for these tests (not rows of the chargemaster file), rules alone
(``title_model="off"``), exact code sets."""

from __future__ import annotations

import pytest


def code_set(rec: dict) -> list[str]:
    return sorted(c["code"] for c in rec["codes"])


@pytest.mark.parametrize(("text", "want"), [
    # "A/P" written beside a limb or joint of a radiograph is the AP projection, not a second
    # radiograph of the abdomen and pelvis
    ("XR WRIST A/P AND LAT LEFT", ["73100"]),
    ("KNEES BILATERAL STANDING A/P", ["73565"]),
    ("ELBOW A/P LAT OBL RT", ["73080"]),
])
def test_slash_ap_beside_a_limb_is_the_projection(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # "A/P" with a CT, or with no part that has sides, keeps its abdomen-pelvis reading
    ("CT A/P WITH IV CONTRAST", ["74177"]),
    ("CT CHEST A/P WITHOUT CONTRAST", ["71250", "74176"]),
])
def test_slash_ap_of_a_cross_sectional_title_stays_the_abdomen_and_pelvis(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a charge name and the order name it bills, set off by a spaced dash: one exam, each half
    # adding what the other leaves out
    ("VENOUS DUPLEX EXTREMITY UNILAT OR LIMITED - US VENOUS DOPPLER ARM", ["93971"]),
    ("HEART MUSCLE IMAGING SPECT SINGLE - NM MYOCARDIAL PERFUSION SPECT STRESS", ["78451"]),
])
def test_dash_set_off_order_name_restates_the_charge(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # halves naming different exams of one region stay two exams
    ("MAMMOGRAM SCREENING - MAMMOGRAM DIAGNOSTIC", ["77066", "77067"]),
    ("US VENOUS DUPLEX LEG COMPLETE - US VENOUS DUPLEX LEG LIMITED", ["93970", "93971"]),
])
def test_dash_set_off_other_exams_stay_two(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # the first trimester written next to the nuchal translucency measurement is the measurement's
    # own trimester: 76813 alone (with the add-on for another gestation), no 76801 as well
    ("US OB NUCHAL TRANSL 1ST TRIMESTER", ["76813"]),
    ("US PREG UTERUS <14 WKS FETAL NUCHAL TRANSLUCENCY", ["76813"]),
    ("OB US 1ST TRI NUCH EACH ADDL GESTATION", ["76814"]),
])
def test_trimester_next_to_nuchal_describes_the_measurement(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # joined by "with" or "and", the first-trimester exam is named as an exam of its own
    ("US OB FIRST TRIMESTER WITH NUCHAL TRANSLUCENCY", ["76801", "76813"]),
    ("US OB 1ST TRIMESTER AND NUCHAL TRANSLUCENCY", ["76801", "76813"]),
])
def test_trimester_joined_to_nuchal_stays_an_exam(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a view count with no modality word is a radiograph's: the child's foreign-body film
    ("FOREIGN BODY CHILD SINGLE VIEW", ["76010"]),
    ("PEDS FB 1 VW", ["76010"]),
])
def test_view_count_without_modality_is_a_radiograph(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a Doppler of the head or of the intracranial vessels is the transcranial study
    ("INTRACRANIAL DOPPLER LIMITED", ["93888"]),
    ("US HEAD DOPPLER COMPLETE", ["93886"]),
    # a charge name naming no modality, then the order name of a transcranial Doppler: one exam
    ("INTRACRANIAL STUDY LIMITED - US HEAD DOPPLER LIMITED", ["93888"]),
])
def test_head_doppler_is_the_transcranial_study(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a bone density study of an extremity is the peripheral (appendicular) study, no axial one
    # beside it; "bone density" alone stays the axial study
    ("DXA BONE DENSITY EXTREMITY", ["77081"]),
    ("BONE DENSITY UPPER EXTREMITY DEXA", ["77081"]),
    ("DXA BONE DENSITY SPINE AND HIPS", ["77080"]),
])
def test_bone_density_of_an_extremity_is_peripheral(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


def test_truncated_first_trimester_with_each_additional_gestation(scorers):
    # "First Trimes" cut short on a charge line is the first trimester: its additional-gestation add-on
    assert code_set(scorers.suggest("US PREG UTERUS FETAL EVAL, FIRST TRIMES, EA ADD GESTATION")) == ["76802"]


@pytest.mark.parametrize(("text", "want"), [
    # "RETRO" / "RPR" after "US" is the retroperitoneal ultrasound (no retrograde ultrasound exists)
    ("US RETRO LIMITED", ["76775"]),
    ("US RPR LTD", ["76775"]),
    ("US-ABDOMEN RETRO LIMITED", ["76775"]),
])
def test_ultrasound_retro_is_retroperitoneal(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


def test_trans_vag_is_the_transvaginal_approach(scorers):
    assert code_set(scorers.suggest("US OB TRANS VAG CERVIX LENGTH")) == ["76817"]
