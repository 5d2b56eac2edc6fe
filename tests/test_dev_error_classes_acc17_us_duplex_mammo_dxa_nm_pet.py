"""Error classes of the dev split in ultrasound, duplex, mammography, DXA, nuclear medicine and PET
(acc17a: text written outside the team), fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # the side not imaged is named with its neck ("the right neck could not be imaged"): on a duplex the
    # neck is the carotid study's own anatomy, not another structure the cue is about (CODING_RULES §5, §6)
    ("EXAM: CAROTID DUPLEX\nIndication: bruit before valve surgery.\nTechnique: Color and spectral Doppler of the "
     "left carotid and vertebral arteries. The right neck could not be imaged because of a dialysis catheter; the "
     "right-sided study will be done after the line is removed.\nFindings: Left ICA PSV 140 cm/s, EDV 30 cm/s.\n"
     "Impression: 50-69% left ICA stenosis.", ["93882-LT"]),
    ("US CAROTID\nHx: amaurosis fugax.\nRight CCA, ICA and ECA examined with color and spectral Doppler. The left "
     "neck was not scanned because of a fresh surgical dressing; the left side will be examined at a later visit.\n"
     "Right ICA PSV 75 cm/s.\nIMP: No right ICA stenosis.", ["93882-RT"]),
    # negative: both sides examined stays the bilateral study
    ("CAROTID DUPLEX\nIndication: bruit.\nBoth carotid systems were examined with color and spectral Doppler. Right "
     "ICA PSV 90, left ICA PSV 85 cm/s.\nImpression: No stenosis on either side.", ["93880"]),
])
def test_carotid_side_not_imaged_named_with_the_neck(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # one side examined, which side never said: the unilateral duplex code without RT/LT, laterality flagged
    # (CODING_RULES §1, §5); a limited study of one side is the unilateral code, not the bilateral one reduced
    ("CAROTID DOPPLER\nReason: dizziness.\nLimited study: only one side was examined because the patient could not "
     "turn the head in a cervical collar.\nCCA, ICA and ECA with color and spectral Doppler. ICA PSV 80 cm/s. "
     "No plaque.\nImpression: Normal study on the examined side.", ["93882"]),
    ("LOWER EXTREMITY VENOUS DUPLEX\nIndication: calf swelling.\nOne side only was scanned; the worksheet does not "
     "record which.\nCommon femoral, femoral, popliteal and calf veins compressible with normal flow.\n"
     "Impression: No DVT.", ["93971"]),
])
def test_one_side_only_unnamed_is_the_unilateral_code(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "laterality_missing" in flag_types(rec)
