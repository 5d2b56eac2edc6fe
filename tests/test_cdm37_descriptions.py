"""Hospital exam names, cdm37: one-line descriptions (chargemaster rows, order names) the rules read
wrong or not at all. Descriptions written for these tests (not rows of the chargemaster file), rules
alone (``title_model="off"``), exact code sets."""

from __future__ import annotations

import pytest


def code_set(rec: dict) -> list[str]:
    return sorted(c["code"] for c in rec["codes"])


@pytest.mark.parametrize(("text", "want"), [
    # an intrauterine device's position is the uterus's ultrasound, a limited pelvic study; complete
    # said stays complete, and beside the named pelvis the device adds nothing
    ("US IUD LOC", ["76857"]),
    ("IUD LOCALIZATION", ["76857"]),
    ("US INTRAUTERINE DEVICE POSITION", ["76857"]),
    ("US IUD COMPLETE", ["76856"]),
])
def test_intrauterine_device_is_the_pelvic_ultrasound(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


def test_report_naming_an_iud_keeps_its_pelvic_study(scorers):
    text = ("EXAM: US PELVIS\n"
            "FINDINGS: Uterus 8 cm, anteverted. IUD in the expected position in the endometrial cavity. "
            "Both ovaries normal. No free fluid.")
    assert code_set(scorers.suggest(text)) == ["76856"]


@pytest.mark.parametrize(("text", "want"), [
    # the thoracic outlet is no part of the thoracic spine: the vascular lab's study of it (positional,
    # provocative maneuvers) is the physiologic arterial study at multiple levels; its angiograms the arm's
    ("VASCULAR DUPLEX THORACIC OUTLET", ["93923"]),
    ("US THORACIC OUTLET", ["93923"]),
    ("CTA THORACIC OUTLET", ["73206"]),
    ("MRA THORACIC OUTLET WWO", ["73225"]),
    # the cold immersion test of the fingers' arteries is a provocative physiologic study too
    ("COLD IMMERSION TEST", ["93923"]),
])
def test_thoracic_outlet_is_no_spine(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # the named arm's duplex or angiogram keeps its own code: the outlet only says why
    ("ARTERIAL DUPLEX BILATERAL UPPER EXTREMITY THORACIC OUTLET", ["93930"]),
    ("ARTERIAL DUPLEX LEFT UPPER EXTREMITY THORACIC OUTLET", ["93931"]),
    ("CTA RIGHT UPPER EXTREMITY THORACIC OUTLET PROTOCOL", ["73206"]),
    # no thoracic spine code for the outlet's MRI or radiograph
    ("MRI THORACIC OUTLET", []),
])
def test_thoracic_outlet_beside_the_arm(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want
