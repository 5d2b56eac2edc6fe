"""Hospital exam names, cdm20a classes (XR, US, duplex, NM, PET, mammography, DXA, fluoroscopy,
guidance): charge-line wording the rules misread, on one-line descriptions written for these tests
(not rows of the chargemaster file). Rules alone (``title_model="off"``); codes are ranked by
confidence, as the chargemaster scoring ranks them."""

from __future__ import annotations

import pytest
from conftest import top


@pytest.mark.parametrize(("text", "code"), [
    # a spine series "with obliques" takes the right and the left oblique: frontal, lateral and the
    # pair are four views (CODING_RULES §4), however the title abbreviates the oblique
    ("XR L-SPINE W/OBL", "72110"),
    ("LUMBOSACRAL SPINE, COMPLETE WITH OBLIQUE VIEWS", "72110"),
    ("C SPINE AP LAT AND OBL", "72050"),
])
def test_spine_title_oblique_is_a_pair(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # elsewhere an oblique named once is one view
    ("XR KNEE AP LAT OBL LEFT", "73562"),
    ("XR ANKLE AP LAT OBL RT", "73610"),
])
def test_limb_title_oblique_is_one_view(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # a needle placed at the spine under a radiograph's name is the spinal guidance, not a spine
    # radiograph: the spine is where the needle goes (77003)
    ("XR NEEDLE PLACEMENT L-SPINE", "77003"),
    ("XRAY PLACEMENT OF NEEDLE, SPINE", "77003"),
])
def test_radiograph_needle_at_the_spine_is_guidance(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # (a radiograph checking a line keeps its own site)
    ("XR CHEST PORTABLE PICC PLACEMENT", "71045"),
    ("XR C-SPINE 2 VIEWS", "72040"),
    ("XR L SPINE POST EPIDURAL", "72100"),
])
def test_radiograph_of_a_line_or_spine_stays_a_radiograph(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # a charge line's two-letter department code hyphened to its exam names no region of its own
    # ("CH-" filing an abdomen film or a rib series under the chest department)
    ("CH-ABDOMEN 2 VWS CR", "74019"),
    ("CH-RIBS UNILAT CR", "71100"),
])
def test_department_code_names_no_region(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # (the region abbreviation that is the exam's own part stays)
    ("CH-CHEST 2V CR", "71046"),
    ("LE VENOUS DUPLEX BILAT", "93970"),
    ("SP-CERV SP 2TO3VW CR", "72040"),
    # (a two-letter word set apart by a blank is the exam's own: the study or the limb)
    ("UE ARTERIAL DUPLEX BILAT", "93930"),
    ("OB US UNDER 14 WEEKS TRANSVAGINAL", "76817"),
])
def test_region_abbreviation_of_the_exam_stays(scorers, text, code):
    assert top(scorers.suggest(text)) == code


@pytest.mark.parametrize(("text", "code"), [
    # a long descriptor line: "for attenuation correction and anatomic localization" is what the
    # hybrid study's CT is for, no turn to the reason for the exam; the scope after it is the exam's
    ("PET TUMOR IMAGING, POSITRON EMISSION TOMOGRAPHY WITH CONCURRENTLY ACQUIRED CT FOR ATTENUATION "
     "CORRECTION AND ANATOMIC LOCALIZATION; WHOLE BODY", "78816"),
    ("PET TUMOR IMAGING, POSITRON EMISSION TOMOGRAPHY WITH CONCURRENTLY ACQUIRED CT FOR ATTENUATION "
     "CORRECTION AND ANATOMICAL LOCALIZATION; LIMITED AREA", "78814"),
])
def test_descriptor_ct_purpose_is_no_turn(scorers, text, code):
    assert top(scorers.suggest(text)) == code


def test_descriptor_ct_purpose_bills_one_exam(scorers):
    # (the CT's anatomical localization is no radiopharmaceutical tumor localization beside the PET)
    text = ("PET TUMOR IMAGING, POSITRON EMISSION TOMOGRAPHY WITH CONCURRENTLY ACQUIRED CT FOR ATTENUATION "
            "CORRECTION AND ANATOMICAL LOCALIZATION; WHOLE BODY")
    assert [c["code"] for c in scorers.suggest(text)["codes"]] == ["78816"]
