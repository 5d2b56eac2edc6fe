"""Stop 43 (rul43b): dev failures of the orthopedic imaging part (dz_b): view counting over a series, a
component the report says was not performed, a unilateral series beside both knees standing.

Each case is a short report written for the pattern, with the exact lines it must code to."""

import pytest

CASES = [
    # a title of the pelvis and the hips whose technique states the pelvis view in a sentence of its own: the
    # hip codes include the pelvis view, so it counts among the hips' views (CODING_RULES §4)
    ("pelvis_sentence_counts_for_both_hips",
     "XR PELVIS AND BILATERAL HIPS\nHistory: 58M, bilateral hip pain.\n"
     "Technique: AP view of the pelvis. Frog-leg lateral of the right hip and frog-leg lateral of the left hip.\n"
     "Findings: Mild joint space narrowing of both hips. No fracture.\n",
     [("73522", [])]),
    ("pelvis_sentence_counts_for_one_hip",
     "XR PELVIS AND LEFT HIP\nHistory: fall on ice.\nTechnique: AP pelvis. Cross-table lateral of the left hip.\n"
     "Findings: No fracture or dislocation.\n",
     [("73502", ["LT"])]),
    ("pelvis_sentence_and_two_views_each_hip",
     "XR PELVIS + HIPS BILAT\nHistory: hip pain.\nTechnique: AP pelvis. AP and frog-leg lateral views of each hip.\n"
     "Findings: Bilateral cam morphology.\n",
     [("73523", [])]),
    # ... a pelvis series of its own (several views) is no hip view: bundled into the hip code as before
    ("pelvis_series_beside_hip",
     "XR PELVIS 3 VIEWS AND LEFT HIP 2 VIEWS\nHistory: MVC.\nTechnique: AP, inlet and outlet views of the pelvis. "
     "AP and lateral of the left hip.\nFindings: No fracture.\n",
     [("73502", ["LT"])]),
    # a component the title and order name that the report says was not performed, in a sentence that says it
    # was only ordered, is not billed (CODING_RULES §6, §3: the axial study alone)
    ("vfa_ordered_then_not_performed",
     "EXAM: DXA AXIAL WITH VFA\nIndication: 66F, postmenopausal.\n"
     "Technique: Bone density of the lumbar spine and left hip. Lateral vertebral fracture assessment was "
     "requested; however the patient could not lie on her side, and the VFA was not performed.\n"
     "Results: L1-L4 T-score -1.2. Left femoral neck T-score -1.9.\nImpression: Osteopenia.\n",
     [("77080", [])]),
    # ... also when the title does not name it
    ("vfa_ordered_not_performed_untitled",
     "BONE DENSITY STUDY\nIndication: 59F, early menopause.\n"
     "Technique: DXA of the lumbar spine and right hip. Vertebral fracture assessment was requested. Owing to "
     "kyphosis the VFA was not performed.\nResults: L1-L4 T-score -0.8. Right total hip T-score -1.1.\nImpression: Normal.\n",
     [("77080", [])]),
    # ... and one the report says was done stays billed with it
    ("vfa_requested_and_performed",
     "EXAM: DXA AXIAL WITH VFA\nIndication: 70F on steroids.\n"
     "Technique: Bone density of the lumbar spine and both hips. Vertebral fracture assessment of T4-L4 was "
     "performed on the same visit.\nResults: L1-L4 T-score -2.6.\nImpression: Osteoporosis. No vertebral "
     "fracture.\n",
     [("77085", [])]),
    # both knees standing on one image, and in the same sentence the further views of one knee: that knee's
    # series is billed beside 73565, coded by its own views (CODING_RULES §4)
    ("standing_knees_plus_one_knee_views",
     "XR LEFT KNEE 3 VIEWS AND BILATERAL STANDING AP\nHistory: 62F, left knee pain.\n"
     "Technique: Weight-bearing AP of both knees on one image, plus lateral and sunrise views of the left knee.\n"
     "Findings: Moderate medial joint space narrowing on the left, minimal on the right.\n",
     [("73560", ["LT"]), ("73565", [])]),
    ("standing_knees_alone",
     "XR BOTH KNEES STANDING AP\nHistory: knee pain.\nTechnique: Standing AP of both knees on a single image.\n"
     "Findings: Mild medial narrowing bilaterally.\n",
     [("73565", [])]),
]


@pytest.mark.parametrize("text, codes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rul43b_patterns(sg, text, codes):
    assert sorted((c["code"], c["modifiers"]) for c in sg.suggest(text)["codes"]) == codes


# the pelvis view counted in a hip series is no conflict with a title or an order that counts the hip's own views
# (the hip codes include the pelvis view, CODING_RULES §4)
PELVIS_BESIDE_HIP = ("XR PELVIS 1V AND LEFT HIP 2V\nHistory: fall.\nTechnique: AP pelvis; AP and frog-leg lateral "
                     "views of the left hip.\nFindings: No fracture.\n")


def test_rul43b_pelvis_view_beside_hip_count_no_conflict(sg):
    out = sg.suggest(PELVIS_BESIDE_HIP, ordered="XR HIP LEFT 2 VIEWS")
    assert [(c["code"], c["modifiers"]) for c in out["codes"]] == [("73502", ["LT"])]
    assert not [f for f in out["flags"] if f["type"] in ("title_technique_conflict", "performed_differs_from_ordered")]


def test_rul43b_pelvis_order_still_differs_from_hip_views(sg):
    # an order of the pelvis alone (1 view) differs in views from the hip series done (AP pelvis + lateral hip)
    out = sg.suggest("XR HIP LEFT WITH PELVIS 2 VIEWS\nHistory: fall.\nTechnique: AP pelvis and cross-table lateral "
                     "left hip.\nFindings: Left femoral neck fracture.\n", ordered="XR PELVIS 1V")
    assert [(c["code"], c["modifiers"]) for c in out["codes"]] == [("73502", ["LT"])]
    assert any(f["type"] == "performed_differs_from_ordered" and f.get("attribute") == "views" for f in out["flags"])
