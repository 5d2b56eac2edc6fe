"""lead39: four causes left from the last round's fresh text, each checked with reports written for this test.

- A bone scan titled limited, in a report with no technique section, counts the areas its acquisition sentence
  names, not the anatomy of a finding ("the femoral stem"): one area is the limited study (78300).
- A SPECT whose acquisition sentence says the CT was not done ("planar and SPECT, no CT") is SPECT without CT
  even when the report has no technique section and names the hybrid unit elsewhere in that sentence.
- A low-dose chest CT for a nodule under follow-up is diagnostic (71250) even when the history names the prior CT
  that found the nodule; lung cancer screening (71271) needs a screening indication (CODING_RULES §5).
- Ankle-brachial indices with pulse volume recordings "at multiple levels" document the multi-level study (93923).
- A printed letterhead in mixed case ("Ridgeview Hospital | Dept. of Radiology - Vascular Imaging") whose line is as
  long as the report's widest line is no wrapped sentence: the exam title under it stays the title.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


LIMITED_BONE = """NM BONE SCAN LIMITED - LEFT HIP
Hx: left hip arthroplasty 2021, new pain.
Static images of the pelvis and both hips obtained 3 hours after 24 mCi Tc-99m MDP.
Increased uptake along the lateral cortex of the femoral stem and near the acetabular cup.
IMP: Uptake about the femoral stem; loosening is possible.
"""

SPECT_NO_CT = """NM PARATHYROID PLANAR + SPECT
Hx: primary hyperparathyroidism.
Tc-99m sestamibi 24 mCi. Early and late planar images + SPECT (no CT; SPECT/CT scanner down for service).
Persistent focus below the left lower thyroid pole.
IMP: Probable left inferior parathyroid adenoma.
"""

NODULE_FOLLOW_UP = """EXAMINATION: CT CHEST WITHOUT CONTRAST
INDICATION: 8 mm nodule seen on prior CT, 6 month follow-up
TECHNIQUE: Helical CT of the chest without IV contrast using a low-dose technique.
FINDINGS: The right lower lobe nodule measures 8 mm, unchanged. No new nodule.
IMPRESSION: Stable nodule.
"""

SCREENING = """EXAMINATION: CT CHEST WITHOUT CONTRAST
INDICATION: Lung cancer screening, 40 pack-year current smoker, asymptomatic
TECHNIQUE: Helical CT of the chest without IV contrast using a low-dose technique.
FINDINGS: No suspicious nodule.
IMPRESSION: Lung-RADS 1.
"""

ABI_LEVELS = """ANKLE-BRACHIAL INDEX, BILATERAL
History: calf claudication.
ABI right 0.71, left 0.93, with pulse volume recordings at multiple levels of both legs.
Impression: moderate right infrainguinal disease.
"""

ABI_ONLY = """ANKLE-BRACHIAL INDEX, BILATERAL
History: calf claudication.
Ankle-brachial indices: right 0.71, left 0.93.
Impression: moderate right arterial disease.
"""

LETTERHEAD = """Ridgeview Community Hospital | Dept. of Radiology - Vascular & Heart Imaging
[PATIENT] | MRN: [MRN] | DOB: [DOB] | Account: [ACCOUNT]

BILATERAL LOWER EXTREMITY ARTERIAL DUPLEX + ABI
History: rest pain on the right.
ABI right 0.55 left 0.91 with pulse volume recordings at multiple levels. Complete duplex
of both legs from the common femoral arteries to the ankles was performed today.
Right popliteal occlusion with reconstitution below the knee. Left without stenosis.
Impression: right popliteal occlusion.
"""


@pytest.mark.parametrize(("text", "codes"), [
    (LIMITED_BONE, ["78300"]),
    (SPECT_NO_CT, ["78071"]),
    (NODULE_FOLLOW_UP, ["71250"]),
    (SCREENING, ["71271"]),
    (ABI_LEVELS, ["93923"]),
    (ABI_ONLY, ["93922"]),
    (LETTERHEAD, ["93923", "93925"]),
])
def test_leftover_causes(text, codes):
    assert _codes(text) == codes
