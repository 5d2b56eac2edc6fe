"""Error classes of the enlarged dev split in ultrasound, duplex, nuclear medicine, mammography and
guidance (issue 12: the calibration parts cal_o..cal_v that joined it), fixed with general rules: an
organ seen in part (its head and body described, its tail obscured), a finding negated in a narrative
nuclear report ("no perfusion defects") that is not a protocol part left out, a single myocardial
perfusion study (stress only, rest only), a physiologic or access study that includes the limited
study of the same vessels. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types

_ABDOMEN = ("Liver: 15 cm, normal echotexture. Gallbladder: no stones. Common bile duct: 3 mm. {pancreas} "
            "Spleen: 9 cm. Right kidney: 10.8 cm. Left kidney: 11.2 cm. IVC: patent. Aorta: 2.0 cm.")


@pytest.mark.parametrize(("pancreas", "expected"), [
    # part of the organ described, the rest obscured: the organ is documented (CODING_RULES §5)
    ("Pancreas: head and body normal, tail obscured by overlying bowel gas.", ["76700"]),
    ("The pancreatic head and uncinate process are unremarkable, the tail is not visualized.", ["76700"]),
    ("Visualized portions of the pancreas are unremarkable, the tail obscured by gas.", ["76700"]),
    # the whole organ obscured or not seen: not documented, limited
    ("Pancreas: obscured by bowel gas.", ["76705"]),
    ("The pancreas could not be visualized due to overlying bowel gas.", ["76705"]),
])
def test_organ_seen_in_part(sg, pancreas, expected):
    text = "US ABDOMEN COMPLETE\nINDICATION: Abnormal LFTs.\nFINDINGS:\n" + _ABDOMEN.format(pancreas=pancreas)
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert ("complete_exam_elements_missing" in flag_types(rec)) == (expected == ["76705"])


@pytest.mark.parametrize(("text", "expected"), [
    # both parts of a V/Q scan described in a header-less body; a negated finding of one of them
    ("NM LUNG V/Q\nPregnant, dyspnea.\nVentilation: 30 mCi Tc-99m DTPA aerosol, 6 views. Perfusion: 2 mCi "
     "Tc-99m MAA, 6 views.\nNo mismatched perfusion defects.\nImp: Very low probability for PE.", ["78582"]),
    ("NM VQ SCAN\nVent: Xe-133, 3 phases. Perf: 4 mCi MAA, 8 views.\nThere is no wedge-shaped perfusion "
     "defect.\nImp: Normal.", ["78582"]),
    # the part the body says was not done stays undone
    ("NM V/Q SCAN\nPerfusion: 4 mCi Tc-99m MAA, 8 views. The ventilation portion was not performed "
     "(aerosol unit down).\nNormal perfusion.\nImp: Normal perfusion scan.", ["78580"]),
])
def test_negated_finding_is_not_a_protocol_part_left_out(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # one of rest / stress said not to be done, the other done: a single study (78451)
    ("NM MYOCARDIAL PERFUSION SPECT\nTECHNIQUE: Stress-first protocol. Regadenoson 0.4 mg IV, 25 mCi Tc-99m "
     "tetrofosmin, gated SPECT. Stress perfusion normal; rest imaging was therefore not performed.\n"
     "IMPRESSION: Normal stress-only study.", ["78451"]),
    ("MPI SPECT\nTECHNIQUE: Resting gated SPECT after 11 mCi Tc-99m sestamibi. The stress portion was "
     "cancelled because of a recent caffeine intake; the patient will be rescheduled for stress imaging.\n"
     "IMPRESSION: No rest perfusion defect.", ["78451"]),
    # both done: multiple studies (78452)
    ("NM MYOCARDIAL PERFUSION SPECT\nTECHNIQUE: Rest images after 10 mCi and stress images after 30 mCi "
     "Tc-99m sestamibi with treadmill exercise, gated SPECT.\nIMPRESSION: No ischemia.", ["78452"]),
    ("NM MYOCARDIAL PERFUSION SPECT REST/STRESS\nTECHNIQUE: One-day rest/stress gated SPECT, Lexiscan.\n"
     "FINDINGS: No stress-induced perfusion defect.\nIMPRESSION: Normal.", ["78452"]),
])
def test_single_myocardial_perfusion_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the multi-level physiologic study includes the ankle-brachial indices (93923 alone)
    ("NONINVASIVE ARTERIAL STUDY LOWER EXTREMITIES (ABI AND SEGMENTAL PRESSURES)\nIndication: claudication.\n"
     "Right: high thigh 150, low thigh 140, calf 130, ankle 120; ABI 0.86. Left: high thigh 148, low thigh 138, "
     "calf 128, ankle 118; ABI 0.84. PVRs at thigh, calf and ankle levels: mildly dampened bilaterally.\n"
     "IMPRESSION: Mild bilateral disease.", ["93923"]),
    # ABIs alone stay limited
    ("ABI BILATERAL\nResting ankle-brachial indices only: right 0.92, left 0.88.\nIMPRESSION: Mild PAD.",
     ["93922"]),
    # the dialysis access duplex includes the arm's inflow artery and outflow veins (93990 alone)
    ("US DUPLEX AV GRAFT RIGHT ARM\nHx: ESRD, high venous pressures.\nBrachial artery inflow PSV 180 cm/s. "
     "Arterial anastomosis patent. Venous anastomosis PSV 520 cm/s with 70% stenosis. Volume flow 650 mL/min.\n"
     "IMPRESSION: Venous anastomotic stenosis.", ["93990"]),
])
def test_study_that_includes_the_limited_one(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
