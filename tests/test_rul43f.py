"""Stop 43 (rul43f): dev failures of the ea_c part (a cancer center's body imaging: CT, NM, breast MRI).

Each case is a short report written for the pattern, with the exact lines it must code to."""

import pytest

CASES = [
    # a contrast study converted to a plain one after the line failed: the technique's planned contrast and the
    # statement that none was given are no two series; the plain study is what was performed (CODING_RULES §2, §6)
    ("contrast_study_converted_to_noncontrast",
     "CT CHEST WITH CONTRAST\nTechnique: The study was protocoled as a CT of the chest with IV contrast. The "
     "peripheral line infiltrated during the saline test injection and no other access could be obtained. The "
     "examination was converted to a noncontrast study; no intravenous contrast was given.\n"
     "Findings: Stable 5 mm nodule.\nImpression: Stable nodule.\n",
     [("71250", [])]),
    ("cap_contrast_study_converted_to_unenhanced",
     "CT CHEST ABDOMEN PELVIS W IV CONTRAST\nTechnique: Planned with IV contrast per protocol. Two attempts at "
     "venous access failed and the exam was converted to an unenhanced examination. Oral contrast was given. "
     "Axial images from the lung apices through the pelvis.\nFindings: No adenopathy.\nImpression: Negative.\n",
     [("71250", []), ("74176", [])]),
    # an oral contrast mention alone in an addendum ("-- P.O." initials, "oral contrast given") says nothing of
    # the intravenous contrast of the technique (CODING_RULES §2: oral contrast does not make a study "with",
    # nor does it undo the IV contrast given)
    ("addendum_oral_mention_keeps_iv_contrast",
     "CT ABDOMEN AND PELVIS WITH CONTRAST\nTechnique: Axial images after 100 mL Omnipaque 350 IV in the portal "
     "venous phase.\nFindings: No liver lesion.\nImpression: Negative.\n"
     "ADDENDUM: The patient also drank oral contrast before the scan. Findings unchanged.\n",
     [("74177", [])]),
    # ... an addendum that says the oral contrast was the only one is still the plain study (CODING_RULES §2, §6)
    ("addendum_oral_contrast_only_is_plain",
     "CT ABDOMEN AND PELVIS WITH CONTRAST\nTechnique: Axial images of the abdomen and pelvis.\n"
     "Findings: No liver lesion.\nImpression: Negative.\n"
     "ADDENDUM: Correction to the technique: the patient received oral contrast only.\n",
     [("74176", [])]),
    # an abdomen/pelvis the title names, not scanned, which the report says will be rescheduled: the chest alone
    # (CODING_RULES §6: bill what was performed)
    ("cap_stopped_after_chest_rescheduled",
     "CT CHEST ABDOMEN PELVIS WITH CONTRAST\nTechnique: The chest was imaged after 75 mL Omnipaque 350 IV. The "
     "patient then asked to stop and the abdomen and pelvis were not scanned. She will be rescheduled for the "
     "abdomen and pelvis.\nFindings: No pulmonary nodules.\nImpression: Negative chest.\n",
     [("71260", [])]),
    # a limited bone scan of one femur with the pelvis views: the femur's area, one area (78300)
    ("bone_scan_pelvis_and_one_femur_is_limited",
     "NM BONE SCAN LIMITED - RIGHT FEMUR\nTechnique: 22 mCi Tc-99m MDP; delayed anterior and posterior images "
     "of the pelvis and right femur. No whole body images.\nFindings: Focal uptake in the right femoral shaft.\n",
     [("78300", [])]),
    # both femurs with the pelvis and the tibias stay several areas (78305)
    ("bone_scan_pelvis_femurs_tibias_multiple",
     "NM BONE SCAN LIMITED\nTechnique: Delayed images of the pelvis, both femurs and both tibias. No whole "
     "body sweep.\nFindings: Shin splints.\n",
     [("78305", [])]),
    # 3D renderings of a breast MRI (MIP, volume rendering on a workstation) are part of the breast MRI
    # (77046-77049): no 76376/76377 (dev gold: 0 of 96 breast MRI records pair them, 31 of which document MIPs or renderings)
    ("breast_mri_3d_renderings_bundled",
     "MRI BREASTS BILATERAL W/WO CONTRAST WITH CAD AND 3D\nTechnique: Axial T2, precontrast T1 and dynamic "
     "postcontrast T1 after 7 mL gadobutrol IV; subtractions. CAD kinetics and 3D volume renderings were made "
     "on an independent workstation.\nFindings: No suspicious enhancement.\nImpression: BI-RADS 1.\n",
     [("77049", [])]),
]


@pytest.mark.parametrize("text, codes", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rul43f_patterns(sg, text, codes):
    assert sorted((c["code"], c["modifiers"]) for c in sg.suggest(text)["codes"]) == codes
