"""Complete vs limited pelvic ultrasound from the documented elements (CODING_RULES §5): a
complete transabdominal pelvis documents the uterus (or prostate) and the adnexa/ovaries (or
seminal vesicles); a study of one structure is limited whatever the title says. Reports written
for these tests; exact code sets (billing global, Medicare)."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    ("EXAM: US PELVIS COMPLETE\nHISTORY: Follow-up of a left ovarian cyst.\nTECHNIQUE: Transabdominal.\n"
     "FINDINGS: The left ovary contains a 2.1 cm simple cyst, previously 3.4 cm.\n"
     "IMPRESSION: Smaller left ovarian cyst.", ["76857"]),
    ("EXAM: US PELVIS COMPLETE\nHISTORY: Pelvic pain.\nTECHNIQUE: Transabdominal.\n"
     "FINDINGS: The uterus measures 8.1 cm with an endometrial stripe of 6 mm. Both ovaries are normal. "
     "The bladder is normal.\nIMPRESSION: Normal pelvic ultrasound.", ["76856"]),
    ("EXAM: US PELVIS\nHISTORY: Hematuria.\nTECHNIQUE: Transabdominal.\n"
     "FINDINGS: The bladder wall is smooth. The prostate measures 32 mL. The seminal vesicles are "
     "symmetric.\nIMPRESSION: Normal.", ["76856"]),
])
def test_pelvic_elements_decide_complete_or_limited(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
