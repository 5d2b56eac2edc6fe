"""Error classes of the dev part dv_g (US / duplex / NM / PET / FL department reports), fixed with
general rules and tested on reports written for these tests in other wordings: a patient line
("Pt: ...  MRN: ...  DOB: ...") between a facility banner and the exam title, and a per-side list
of a duplex technique ("RT: ..." / "LT: ..." rows)."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # a facility banner, then a patient line, then the title: the title is the exam
    ("Riverside Community Imaging\nPt: Jane Doe   MRN: 00483921   DOB: 03/14/1961\nPET/CT SKULL BASE TO MID THIGH\n"
     "CLINICAL INDICATION: Lymphoma, restaging.\nTECHNIQUE: 11.2 mCi F-18 FDG IV; imaging at 62 minutes. Noncontrast "
     "low-dose CT for attenuation correction and anatomic localization.\nReference activity: mediastinal blood pool "
     "SUVmax 2.0, liver SUVmax 2.9.\nFINDINGS: No FDG-avid adenopathy.\nIMPRESSION: Complete metabolic response.",
     ["78815"]),
    ("Riverside Community Imaging\nPT: [REDACTED]  DOB: [REDACTED]  ACC: 7781123\nNM PARATHYROID SCAN\n"
     "HISTORY: hypercalcemia.\nTECHNIQUE: 24 mCi Tc-99m sestamibi IV; early and delayed planar images of the neck "
     "and chest.\nFINDINGS: Focus below the left thyroid lobe.", ["78070"]),
    # a terse history opening with "Pt:" and no identifier field stays history
    ("Pt: 68M, chest pain.\nXR CHEST 2 VIEWS\nFINDINGS: PA and lateral views. Clear lungs.", ["71046"]),
])
def test_patient_line_between_banner_and_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the technique opens a list of rows by side: every row is the technique's, both sides were scanned
    ("US CAROTID DUPLEX BILATERAL\nTECHNIQUE: Gray scale, color flow and pulsed Doppler; PSV/EDV in cm/s:\n"
     "RIGHT: CCA 72/18. ICA 88/25. ECA 102. Vertebral antegrade.\nLEFT: CCA 70/20. ICA 130/40. ECA 95. Vertebral "
     "antegrade.\nIMPRESSION: Left ICA 50-69% stenosis.", ["93880"]),
    ("VENOUS DUPLEX LOWER EXTREMITIES BILATERAL\nTechnique: Compression, color and spectral Doppler; findings by "
     "side:\nR: CFV, FV, popliteal compressible. Normal phasicity.\nL: CFV, FV, popliteal compressible. Normal "
     "phasicity.\nIMPRESSION: No DVT.", ["93970"]),
    ("ARTERIAL DUPLEX LOWER EXTREMITY BILATERAL\nTECHNIQUE: Color and spectral Doppler, PSV (cm/s) by segment:\n"
     "RT: CFA 110 triphasic. SFA 95. Popliteal 70. PTA 45.\nLT: CFA 105 triphasic. SFA 240 focal. Popliteal 60. "
     "PTA 40.\nIMPRESSION: Left SFA stenosis.", ["93925"]),
    # one side's row only: a unilateral study
    ("US CAROTID DUPLEX RIGHT\nTECHNIQUE: Gray scale, color flow and pulsed Doppler; PSV/EDV in cm/s:\n"
     "RIGHT: CCA 72/18. ICA 88/25. ECA 102. Vertebral antegrade.\nIMPRESSION: No stenosis.", ["93882-RT"]),
])
def test_per_side_rows_after_the_technique(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "title_technique_conflict" not in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # a sentence on the line under the title is report body, not a second title: what it withdraws counts
    ("NM RENOGRAM WITH CAPTOPRIL\nCaptopril was not given because the patient is already on lisinopril; baseline "
     "renogram only.\nTc-99m MAG3 10 mCi IV, dynamic posterior flow and function images for 30 minutes.\n"
     "IMPRESSION: No obstruction.", ["78707"]),
    ("NM HEPATOBILIARY SCAN WITH CCK\nSincalide was not administered as the gallbladder was not visualized.\n"
     "Tc-99m mebrofenin 5 mCi IV, dynamic imaging for 90 minutes.\nIMPRESSION: Acute cholecystitis.", ["78226"]),
    # a title-like second line stays the exam's
    ("XR KNEE LEFT\n3 views\nFindings: no fracture.", ["73562-LT"]),
])
def test_prose_line_under_the_title_is_body(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a narrative nuclear report: the part of a two-exam title its body says was not acquired is not billed
    ("NM BONE SCAN WHOLE BODY AND SPECT/CT LUMBAR SPINE\n22 mCi Tc-99m MDP IV. Whole body images at 3 hours. "
     "SPECT/CT was not performed because the patient could not tolerate lying flat.\nFINDINGS: Degenerative uptake.",
     ["78306"]),
    ("BONE SCAN WB / SPECT-CT PELVIS\nTc99m-MDP 25 mCi IV, whole-body planar imaging at 3 h.\nNo SPECT/CT was "
     "obtained (patient declined).\nIMPRESSION: No metastases.", ["78306"]),
    # both parts done: both billed
    ("NM BONE SCAN WHOLE BODY AND SPECT/CT LUMBAR SPINE\n22 mCi Tc-99m MDP IV. Whole body images at 3 hours, then "
     "SPECT/CT of the lumbar spine.\nFINDINGS: Degenerative uptake.", ["78306", "78830"]),
])
def test_narrative_body_takes_back_a_titled_part(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
