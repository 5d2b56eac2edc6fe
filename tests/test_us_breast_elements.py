"""Complete vs limited breast ultrasound from the documented elements (CODING_RULES §5, the
complete code's own definition): a complete study documents all four quadrants (or the whole
breast) and the retroareolar region; a targeted look at one site is limited whatever the title
says. Reports written for these tests; exact code lines (billing global, Medicare)."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    ("EXAM: US BREAST LEFT COMPLETE\nHISTORY: Palpable lump.\nFINDINGS: At 2 o'clock, 3 cm from the "
     "nipple, a 9 mm simple cyst corresponds to the palpable finding.\nIMPRESSION: Simple cyst. BI-RADS 2.",
     ["76642-LT"]),
    ("EXAM: US BREAST LEFT\nHISTORY: Dense breasts, supplemental screening.\nTECHNIQUE: All four quadrants "
     "and the retroareolar region of the left breast were scanned.\nFINDINGS: No solid mass.\n"
     "IMPRESSION: Negative. BI-RADS 1.", ["76641-LT"]),
    ("EXAM: , Left diagnostic mammogram and left breast ultrasound., HISTORY: , Palpable lump in the left "
     "breast., FINDINGS: , Left CC, MLO and spot compression views show a 1.2 cm oval circumscribed mass at 2 "
     "o'clock. Targeted ultrasound of the left breast at 2 o'clock shows a simple cyst corresponding to the "
     "mammographic finding., IMPRESSION: , Simple cyst, BI-RADS 2.", ["76642-LT", "77065-LT"]),
])
def test_breast_elements_decide_complete_or_limited(sg, text, expected):
    assert sorted(codes(sg.suggest(text))) == expected
