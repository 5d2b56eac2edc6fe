"""Hospital exam names, cdm38: one-line descriptions (chargemaster rows, order names) the rules read
wrong or not at all. Descriptions written for these tests (not rows of the chargemaster file), rules
alone (``title_model="off"``), exact code sets."""

from __future__ import annotations

import pytest


def code_set(rec: dict) -> list[str]:
    return sorted(c["code"] for c in rec["codes"])


@pytest.mark.parametrize(("text", "want"), [
    # an ultrasound of the soft tissues of a body area looks at a lump or a collection, not at the
    # area's organs: the area's limited study (the organ survey is what "complete" would need)
    ("US SOFT TISSUE ABDOMINAL WALL", ["76705"]),
    ("ULTRASOUND SOFT TISSUE ABDOMEN", ["76705"]),
    ("US SOFT TISS PELVIS", ["76857"]),
    ("US/SOFT TISSUE PELVIC", ["76857"]),
    # areas without a complete/limited pair keep their own code
    ("US SOFT TISSUE NECK", ["76536"]),
    ("US SOFT TISSUE CHEST WALL", ["76604"]),
    ("US SOFT TISSUE THIGH", ["76882"]),
])
def test_soft_tissue_ultrasound_of_an_area_is_limited(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # the organ study of the same area without the soft-tissue words stays as it was
    ("US ABDOMEN", ["76700"]),
    ("US PELVIS", ["76856"]),
    # an abdominal ultrasound report that mentions soft tissues in its findings is still complete
    ("EXAM: US ABDOMEN COMPLETE\nFINDINGS: Liver, gallbladder, common bile duct, pancreas, spleen, both "
     "kidneys, upper IVC and abdominal aorta are normal. The soft tissues of the abdominal wall are "
     "unremarkable.", ["76700"]),
])
def test_organ_ultrasound_unchanged(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want


@pytest.mark.parametrize(("text", "want"), [
    # flexion and extension with the second word clipped to "EXTEN" and only a space between
    ("XR L SPINE FLEX EXTEN ONLY", ["72120"]),
    ("XR C SPINE FLEX EXTEN", ["72052"]),
])
def test_clipped_extension_word(scorers, text, want):
    assert code_set(scorers.suggest(text)) == want

