"""Error classes of the enlarged dev split in ultrasound, duplex, nuclear medicine and PET (issue 12:
the retired calibration parts cal_al..cal_ap, department styles), fixed with general rules. Reports
written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a "PROCEDURE:" line under the exam's own header that describes what was done, in sentences: the
    # technique (what it says was not done is not done), not a second exam title
    ("EXAM: NM MYOCARDIAL PERFUSION SPECT REST AND STRESS\nPROCEDURE: Regadenoson stress, 10.4 mCi Tc-99m "
     "sestamibi, gated SPECT. Stress perfusion was normal, so the rest study was not performed.\n"
     "FINDINGS: Normal perfusion. LVEF 64%.\nIMPRESSION: Normal stress-only study.", ["78451"]),
    ("EXAM: US PELVIS COMPLETE TRANSABDOMINAL AND TRANSVAGINAL\nPROCEDURE: Transabdominal sonography of the "
     "pelvis. The endovaginal portion was declined by the patient.\nFINDINGS: Uterus 7.9 cm, endometrium "
     "5 mm. Ovaries normal.\nIMPRESSION: Normal pelvic ultrasound.", ["76856"]),
    ("EXAM: US BREAST BILATERAL\nPROCEDURE: Targeted sonography of the left breast at 2 o'clock where the "
     "patient feels a lump. The right breast was not scanned.\nFINDINGS: 8 mm simple cyst at 2 o'clock.\n"
     "IMPRESSION: Simple cyst. BI-RADS 2.", ["76642-LT"]),
    ("EXAM: DUPLEX RENAL ARTERIES\nPROCEDURE: Duplex of the aorta, both main renal arteries from origin to "
     "hilum, segmental arteries and both renal veins with spectral Doppler. Kidney lengths measured.\n"
     "FINDINGS: No renal artery stenosis. Renal veins patent.\nIMPRESSION: Normal.", ["93975"]),
    ("EXAM: NM PARATHYROID SPECT/CT\nPROCEDURE: 21 mCi Tc-99m sestamibi IV. Planar images of the neck and "
     "chest at 15 minutes and 2 hours; SPECT/CT of the neck and upper chest at 20 minutes.\nFINDINGS: "
     "Retained focus below the left lower thyroid pole.\nIMPRESSION: Left inferior parathyroid adenoma.",
     ["78072"]),
    # a procedure line that is a title (no sentence) is still the exam's name
    ("EXAM: US RETROPERITONEUM\nPROCEDURE: US RENAL BILATERAL COMPLETE\nFINDINGS: Right kidney 11 cm, left "
     "kidney 11.4 cm, no hydronephrosis. Bladder normal.\nIMPRESSION: Normal.", ["76770"]),
])
def test_procedure_description_under_the_exam_is_technique(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
