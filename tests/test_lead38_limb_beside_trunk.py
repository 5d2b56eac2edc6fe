"""lead38: a generic limb named beside a trunk region in one cross-sectional title is an exam of its own.

"MRV PELVIS AND BILATERAL LOWER EXTREMITIES" billed the pelvis alone: a generic site ("lower extremity",
"leg", "upper extremity") is dropped beside a more specific one so that "EXT LOW KNEE" is the knee, but the
pelvis or the chest is no part of a limb. Titles written for this test.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


@pytest.mark.parametrize(("title", "codes"), [
    ("MRV PELVIS AND BILATERAL LOWER EXTREMITIES WITH AND WITHOUT CONTRAST", ["72198", "73725-50"]),
    ("MRA PELVIS AND LEFT LOWER EXTREMITY WITHOUT CONTRAST", ["72198", "73725-LT"]),
    ("CT PELVIS AND LEFT LEG WITHOUT CONTRAST", ["72192", "73700-LT"]),
    ("MRI CHEST AND RIGHT UPPER EXTREMITY WITHOUT CONTRAST", ["71550", "73218-RT"]),
    ("CTA PELVIS AND BILATERAL LOWER EXTREMITIES", ["72191", "73706-50"]),
])
def test_a_limb_beside_the_trunk_is_billed(title, codes):
    assert _codes(title) == codes


@pytest.mark.parametrize(("title", "codes"), [
    ("MRI LEFT LOWER EXTREMITY KNEE WITHOUT CONTRAST", ["73721-LT"]),  # the knee is part of the limb
    ("CT LEFT LOWER EXTREMITY ANKLE WITHOUT CONTRAST", ["73700-LT"]),
    ("CTA ABD AORTA & BIL LOW EXTR", ["75635"]),  # the runoff
])
def test_a_limb_part_still_replaces_the_limb(title, codes):
    assert _codes(title) == codes
