"""Stop 43 (rul43h): failures of the dev half of part eb_b (an IR and breast-intervention service, written outside
the team), in reports of our own.

- images repeated inside one guided procedure ("the cavity collapsed on repeat CT images") read as a repeat
  procedure (76): the check images of a procedure are no second service (LABELING: 76 only when the text says so);
- a fluoroscopic injection titled with no anatomy the fluoroscopy table codes ("FLUORO INJ LT ILIOPSOAS BURSA")
  over one paragraph with no technique heading fell to the fluoroscopy time code (76000) although the paragraph
  places a needle under fluoroscopy: the procedure paragraph is the technique, the needle guidance 77002;
- a venous catheter written by its shorthand ("dialysis cath", "tunneled cath") was no device, and a title listing both
  modalities with no guidance word ("- US AND FLUORO") named neither guidance: 76937 + 77001. ("HD cath" is
  left out of the device words: "CT CHEST W CONTRAST HD CATHETER EVAL" is a diagnostic chest CT of a dialysis
  patient, tests/test_dev_error_classes_acc14_ct_cta_mr_mra_pet.py.)
"""

from __future__ import annotations

import pytest
from conftest import codes

REPORTS = [
    # 1. repeat images within a CT-guided aspiration: no 76
    ("CT GUIDED ASPIRATION RIGHT SUBPHRENIC COLLECTION\n"
     "Indication: fever after splenectomy, fluid collection on CT.\n"
     "Technique: Planning CT images of the upper abdomen were obtained. Under intermittent CT guidance a 20 gauge "
     "needle was advanced into the collection and 20 mL of turbid fluid were aspirated. The collection was no longer "
     "seen on repeat CT images through the upper abdomen. The needle was removed.\n"
     "Impression: CT guided aspiration of a subphrenic collection; fluid sent for culture.",
     ["77012"]),
    # ... a repeat study the text names stays a repeat (76)
    ("CT HEAD WITHOUT CONTRAST - REPEAT EXAMINATION, SAME DAY\n"
     "History: fall, worsening headache since the first scan this morning.\n"
     "Technique: Axial images of the head without contrast.\n"
     "Findings: No intracranial hemorrhage. No mass effect.\n"
     "Impression: No acute intracranial abnormality.",
     ["70450-76"]),
    # 2. fluoroscopic bursa injection, one paragraph: needle guidance
    ("FLUORO INJ LT ILIOPSOAS BURSA\n"
     "Hx: L groin pain with hip flexion, snapping.\n"
     "Consent obtained. Supine. Under fluoroscopy a 22g spinal needle was advanced to the iliopsoas bursa anterior "
     "to the hip; a small contrast injection showed bursal spread. 40 mg triamcinolone and 4 mL ropivacaine injected. "
     "No complications.\n"
     "Imp: fluoroscopic guided L iliopsoas bursa injection.",
     ["77002"]),
    # 3. tunneled dialysis catheter, one-line export naming both guidances
    ("TUNNELED DIALYSIS CATH PLACEMENT LT IJ - US AND FLUORO 05/06/2024: LEFT IJ COMPRESSIBLE ON US, IMAGE STORED, "
     "NEEDLE ACCESS UNDER LIVE US, 23 CM TIP-CUFF CATHETER ADVANCED UNDER FLUORO, TIP IN RIGHT ATRIUM. NO "
     "COMPLICATIONS. -- DR. A. NOOR",
     ["76937", "77001"]),
]


@pytest.mark.parametrize("text,expected", REPORTS)
def test_rul43h_reports(sg, text: str, expected: list[str]) -> None:
    assert codes(sg.suggest(text)) == expected
