"""Hospital exam names, cdm23: one-line descriptions that made the rules emit no code at all.
Descriptions written for these tests (not rows of the chargemaster file), rules alone
(``title_model="off"``), exact code sets."""

from __future__ import annotations

import pytest
from conftest import top


def code_set(rec: dict) -> list[str]:
    return sorted(c["code"] for c in rec["codes"])


@pytest.mark.parametrize(("text", "want", "first"), [
    # tomosynthesis (DBT) named with no other anatomy is the breast's: the mammogram with its add-on
    ("DBT SCREENING BILATERAL", ["77063", "77067"], "77063"),
    ("TOMOSYNTHESIS DIAGNOSTIC ADD-ON", ["77066", "G0279"], "G0279"),
])
def test_tomosynthesis_alone_is_the_breast_add_on(scorers, text, want, first):
    rec = scorers.suggest(text)
    assert code_set(rec) == want
    assert top(rec) == first


@pytest.mark.parametrize(("text", "want"), [
    # beside another site it stays that exam's qualifier; the breast named as well keeps its mammogram
    ("XR CHEST TOMOSYNTHESIS", ["71045"]),
    ("MAMMO SCREENING BILATERAL WITH TOMOSYNTHESIS", ["77063", "77067"]),
])
def test_tomosynthesis_beside_another_site_is_its_qualifier(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a duplex / Doppler line naming no vessel or organ is the duplex of the abdominal / pelvic /
    # scrotal / retroperitoneal organs, complete or limited
    ("DOPPLER, LIMITED STUDY", ["93976"]),
    ("DUPLEX SCAN COMPLETE", ["93975"]),
    # the vascular lab's ultrasound written modality first
    ("US VASCULAR COLOR DOPPLER", ["93975"]),
    ("US VASC LIMITED", ["93976"]),
])
def test_duplex_naming_no_vessel_is_the_organ_duplex(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # a named vessel or the guidance of a vascular access keeps its own code
    ("US VASCULAR GUIDANCE", ["76937"]),
    ("US VASCULAR LOWER EXTREMITY VENOUS RIGHT", ["93971"]),
    # a side named with no vessel is a limb's or the carotids' study, no organ duplex: left unread
    ("DUPLEX SCAN COMPLETE BILATERAL", []),
])
def test_vascular_ultrasound_with_a_site_keeps_it(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


def test_report_duplex_title_with_no_vessel_reads_the_findings(scorers):
    # the organ-duplex default is a one-line description's: a report's title naming no vessel leaves
    # the vessels to what the report documents
    text = ("EXAM: DUPLEX LIMITED\n"
            "FINDINGS: Limited duplex of the abdominal aorta and both common iliac arteries. No aneurysm.")
    assert code_set(scorers.suggest(text)) == ["93979"]


@pytest.mark.parametrize(("text", "want"), [
    # the saline infusion sonohysterogram by its acronym or clipped, and with only its Doppler word:
    # 76831 includes its color flow Doppler (no pelvic radiograph, no organ duplex)
    ("SIS", ["76831"]),
    ("SIS COLOR DOPPLER", ["76831"]),
    ("SALINE INFUSED SONO WITH DOPPLER", ["76831"]),
])
def test_sonohysterogram_shorthand(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want
