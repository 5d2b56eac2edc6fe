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


@pytest.mark.parametrize(("text", "expected"), [
    # an addendum that corrects the report and restates the side of the exam's site ("the images are of the RIGHT
    # foot; the order listed the left in error") gives the side imaged over the title's (CODING_RULES §6)
    ("XR FOOT 3V LT\nHx: dropped a weight on the foot.\nViews: AP, oblique and lateral.\nFindings: Nondisplaced "
     "fracture of the second metatarsal shaft.\nImpression: Second metatarsal fracture, left.\n\nADDENDUM: The "
     "radiographs and their marker show the RIGHT foot; the requisition named the other side in error. The "
     "impression refers to the RIGHT foot.", ["73630-RT"]),
    ("XR WRIST 3 VIEWS RIGHT\nHx: fall.\nTechnique: PA, oblique and lateral views.\nFindings: No fracture.\n"
     "Impression: Normal wrist.\nADDENDUM: Header corrected by the technologist: exam performed on the LEFT wrist.",
     ["73110-LT"]),
    # an addendum correcting something else that names the other side for comparison keeps the title's side
    ("XR KNEE 2V RIGHT\nHx: pain.\nViews: AP and lateral.\nFindings: Small effusion.\nImpression: Effusion.\n"
     "ADDENDUM: Impression corrected to read small joint effusion, no fracture. The left knee radiographs of "
     "2021 were reviewed for comparison.", ["73560-RT"]),
    ("XR KNEE 2V RIGHT\nHx: pain.\nViews: AP and lateral.\nFindings: Small effusion.\nImpression: Effusion.\n"
     "ADDENDUM: The measurement was stated in error; the effusion is small. Compared with the left knee, "
     "no asymmetry of the joint spaces.", ["73560-RT"]),
    # an addendum with no correction that names the other side (a plan) keeps the title's side
    ("XR ANKLE 3V RIGHT\nHx: twist.\nViews: AP, mortise and lateral.\nFindings: No fracture.\nImpression: "
     "Normal.\nADDENDUM: Discussed with Dr. Lee; left ankle radiographs will be obtained tomorrow.",
     ["73610-RT"]),
    # both sides imaged: a corrected sentence on one of them is about its findings
    ("XR BOTH KNEES 2V\nHx: pain.\nViews: AP and lateral of each knee.\nFindings: Effusions.\nImpression: "
     "Effusions.\nADDENDUM: Impression corrected. The LEFT knee effusion is large, the right one small.",
     ["73560-50"]),
])
def test_addendum_restating_the_side_imaged(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
