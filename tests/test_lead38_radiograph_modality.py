"""lead38: a cross-sectional modality the findings name after the projections they document is no default.

"EXAMINATION: STERNUM ... Frontal oblique and lateral views of the sternum ... although CT is more
sensitive" billed a CT of the chest: the title names no modality and the findings' "CT" (a comment on
what a CT would show) became the report's. Reports written for this test.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


@pytest.mark.parametrize(("text", "codes"), [
    ("EXAMINATION:  STERNUM\n\nFINDINGS:\n\nFrontal oblique and lateral views of the sternum. Body fracture. "
     "No hematoma on the lateral view, although CT is more sensitive.", ["71120"]),
    # ... a modality named before any projection still names the study
    ("EXAMINATION:  ABDOMEN/PELVIS\n\nFINDINGS:\n\nCT images with a scout AP view. Normal.", ["74176"]),
])
def test_a_comment_on_another_modality_after_the_views_is_no_default(text, codes):
    assert _codes(text) == codes
