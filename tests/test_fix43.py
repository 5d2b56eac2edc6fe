"""Stop 43: failures of the dev halves of parts dz_a..dz_d (written outside the team), in reports of our own.

- a fluoroscopic joint injection for an MR arthrogram whose needle check names the contrast's flow ("position
  confirmed with 1 mL of contrast flowing away from the needle tip") was read as a conventional arthrogram
  (the shoulder arthrography code) instead of the injection's guidance, 77002 (LABELING: the guidance of a CT / MR
  arthrogram's injection); the needle check is the guidance's own, as the arthrogram read already knew.
"""

from __future__ import annotations

import pytest
from conftest import codes

REPORTS = [
    ("FL LEFT HIP INJECTION FOR MR ARTHROGRAM\nMRI of the hip to follow, reported separately.\n"
     "Procedure: Consent obtained. Under fluoroscopic guidance a 20-gauge spinal needle was advanced to the femoral "
     "head-neck junction. Needle position was confirmed with a small amount of iodinated contrast flowing freely away "
     "from the tip. 10 mL of dilute gadolinium were injected. Patient sent to MRI.\n"
     "Impression: Technically successful left hip injection for MR arthrography.",
     ["77002"]),
    # a conventional arthrogram read: the contrast's distribution described as findings
    ("FL LEFT HIP INJECTION FOR MR ARTHROGRAM\nMRI of the hip to follow, reported separately.\n"
     "Procedure: Under fluoroscopic guidance a 20-gauge spinal needle was advanced to the femoral head-neck junction "
     "and 10 mL of dilute gadolinium were injected.\nFindings: Contrast outlines the joint and extends into a "
     "paralabral cyst.\nImpression: Left hip injection for MR arthrography; paralabral cyst.",
     ["73525-LT"]),
]


@pytest.mark.parametrize("text,expected", REPORTS)
def test_fix43_reports(sg, text: str, expected: list[str]) -> None:
    assert codes(sg.suggest(text)) == expected
