"""Error classes of the enlarged dev split in duplex, ultrasound and MR (issue 12: the calibration
parts cal_af..cal_ak that joined it), fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # a bilateral order changed or limited to one side: that side's unilateral code (CODING_RULES §5, §6)
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITIES\nHISTORY: Left calf pain.\nTECHNIQUE: Bilateral order "
     "changed to left only per the ordering physician. Compression and spectral Doppler of the left common "
     "femoral, femoral, popliteal and calf veins.\nFINDINGS: All veins compressible with phasic flow.\n"
     "IMPRESSION: No left DVT.", ["93971-LT"]),
    ("VEN DUP BLE [VLVENB] ACC# 1234 -- CONVERTED TO A RIGHT LEG ONLY STUDY, LEFT DONE YESTERDAY. RT CFV/FV/POP "
     "COMPRESSIBLE. IMP: NO RT DVT.", ["93971-RT"]),
    ("EXAM: DUPLEX UPPER EXTREMITY VEINS BILATERAL\nHISTORY: Right arm swelling, PICC.\nTECHNIQUE: The exam was "
     "limited to the right upper extremity at the request of the clinical team. Grayscale, color and spectral "
     "Doppler of the right IJ, subclavian, axillary, brachial and basilic veins.\nFINDINGS: Occlusive thrombus "
     "in the right basilic vein around the PICC.\nIMPRESSION: Right basilic vein thrombosis.", ["93971-RT"]),
    ("US CAROTID DUPLEX BILATERAL. Order changed to right side only; the left was stented and studied last "
     "week. Right ICA PSV 95 cm/s, ICA/CCA ratio 1.2, 16-49% stenosis. IMP: mild right ICA stenosis.",
     ["93882-RT"]),
    # negatives: both sides examined, and "only" about a vessel, not a side
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITIES\nTECHNIQUE: Compression and Doppler of both legs. "
     "Right calf veins only partially seen.\nFINDINGS: No DVT on the right or the left.\nIMPRESSION: No DVT.",
     ["93970"]),
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITIES\nCOMPARISON: Prior study changed to right only on "
     "11/02.\nTECHNIQUE: Compression and Doppler of both legs.\nFINDINGS: No DVT on the right or the left.\n"
     "IMPRESSION: No DVT.", ["93970"]),
])
def test_bilateral_order_changed_to_one_side(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def test_order_changed_to_one_side_is_flagged(sg):
    rec = sg.suggest("ORDER: US VENOUS DOPPLER BILAT LE\nPERFORMED: VEN DUP RLE -- CHANGED TO RIGHT ONLY PER "
                     "DR. LEE. RT CFV/FV/POP COMPRESSIBLE. IMP: NO RT DVT.", ordered="US VENOUS DOPPLER BILAT LE")
    assert codes(rec) == ["93971-RT"]
    assert "performed_differs_from_ordered" in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # an ORDER line, then a one-line read that opens with the exam performed (RIS row): the read is
    # the report, not a part of the order; the title ends at the row's spaced dash
    ("ORDER: ARTERIAL PHYSIOLOGIC STUDY LE MULTILEVEL\nABI BILAT RESTING [VLABI] ACC# 88123 -- DIABETIC, "
     "CLAUDICATION. SEGMENTALS NOT DONE, CUFF PAIN. RT ABI 0.71, LT ABI 0.95. IMP: MILD RT PAD.", ["93922"]),
    ("ORDER: US ABDOMEN COMPLETE\nUS RUQ [USRUQ] ACC# 55120 -- RUQ PAIN. LIVER NORMAL. GB WITH STONES, NO WALL "
     "THICKENING. CBD 4 MM. IMP: CHOLELITHIASIS.", ["76705"]),
    ("ORDERED: CT HEAD WO\nCT HEAD WO CONTRAST [CTHWO] ACC# 771 -- FALL ON BLOOD THINNERS, R HALLUX FRACTURE IN "
     "ED. NO HEMORRHAGE, NO MASS EFFECT. IMP: NO ACUTE INTRACRANIAL FINDING.", ["70450"]),
])
def test_order_line_then_one_line_read(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a resting ABI title, the multi-level study performed: complete (CODING_RULES §5, §6)
    ("EXAM: ABI BILATERAL\nTECHNIQUE: Resting ABIs were abnormal, so segmental pressures at the thigh, calf and "
     "ankle with pulse volume recordings were added bilaterally.\nFINDINGS: Right ABI 0.62 with a thigh-calf "
     "gradient. Left ABI 0.91.\nIMPRESSION: Right femoropopliteal disease.", ["93923"]),
    ("EXAM: ANKLE BRACHIAL INDEX, BILATERAL\nTECHNIQUE: Multilevel segmental pressures and pulse volume "
     "recordings of both lower extremities.\nFINDINGS: Normal waveforms at all levels.\nIMPRESSION: No PAD.",
     ["93923"]),
    # negatives: the title's ABIs only; a multi-level title over levels not done keeps the text's reading
    ("EXAM: ABI BILATERAL\nTECHNIQUE: Resting ankle-brachial indices. Segmental pressures were not performed.\n"
     "FINDINGS: Right 0.88, left 0.90.\nIMPRESSION: Mild bilateral PAD.", ["93922"]),
    ("EXAM: ABI BILATERAL\nTECHNIQUE: Brachial and ankle pressures bilaterally.\nFINDINGS: Right 1.02, left "
     "0.98.\nIMPRESSION: Normal.", ["93922"]),
])
def test_abi_title_multilevel_study_performed(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # MR enterography images the abdomen and the pelvis: one code each (no combined MR code, §3)
    ("MR ENTEROGRAPHY\nTechnique: Oral VoLumen, glucagon. Axial and coronal T2, DWI, then dynamic T1 images "
     "before and after IV gadoterate.\nFindings: Terminal ileal wall thickening with hyperenhancement.\n"
     "Impression: Active terminal ileitis.", ["72197", "74183"]),
    ("EXAM: MRI SMALL BOWEL (ENTEROGRAPHY) WITHOUT CONTRAST\nTECHNIQUE: Oral contrast, T2 and DWI only; no IV "
     "gadolinium (pregnancy).\nFINDINGS: Normal small bowel.\nIMPRESSION: No active Crohn disease.",
     ["72195", "74181"]),
    ("EXAM: MRE W/WO\nHISTORY: Crohn disease.\nTECHNIQUE: MR enterography: precontrast and postcontrast T1 "
     "after gadobutrol.\nFINDINGS: Stricture of the neoterminal ileum.\nIMPRESSION: Stricture.",
     ["72197", "74183"]),
    # negatives: a CT enterography stays the combined CT code; a fluoroscopic small bowel series its own
    ("EXAM: CT ENTEROGRAPHY WITH CONTRAST\nTECHNIQUE: Neutral oral contrast and IV contrast in the enteric phase."
     "\nFINDINGS: Normal small bowel.\nIMPRESSION: Normal.", ["74177"]),
])
def test_mr_enterography_abdomen_and_pelvis(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a RIS row whose read says a speech pathologist's video study was done: the swallowing
    # function study, not the esophagram the title names (CODING_RULES §8)
    ("FL BARIUM SWALLOW [FLBASW] ACC# 4401 -- SLP present, videofluoroscopic lateral views, thin and nectar "
     "liquids. Trace penetration with thin. IMP: mild oropharyngeal dysphagia.", ["74230"]),
    ("FL ESOPHAGRAM [FLESO] ACC# 4402 -- Single contrast barium, upright and prone views. Small sliding hiatal "
     "hernia. IMP: hiatal hernia.", ["74220"]),
])
def test_ris_row_swallow_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
