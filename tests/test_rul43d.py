"""Error classes of dev (stop 43, parts ea_b / ea_d: an ED teleradiology service and rural hospitals sharing a
RIS) fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # the patient's position said after the projections with the verb that took them ("PA and lateral obtained
    # upright") is how those films were taken, not a view of its own (CODING_RULES §4)
    ("CHEST 2 VIEWS\nIndication: fever.\nTechnique: PA and lateral obtained upright.\nFindings: Clear lungs.\n"
     "Impression: No pneumonia.", ["71046"]),
    ("XR CHEST\nHx: cough.\nPA and lateral views were taken erect.\nLungs clear.\nIMP: Normal chest.", ["71046"]),
    # a second position after the first is a second film of the projection ("AP obtained supine and upright")
    ("XR ABDOMEN\nHx: distension.\nAP views obtained supine and upright.\nNonobstructive gas pattern.\n"
     "IMP: No obstruction.", ["74019"]),
])
def test_position_after_taking_verb_is_not_a_view(sg, text, expected):
    assert codes(sg.suggest(text)) == expected

