"""Error classes of the enlarged dev split in CT, CTA, MR, MRA and PET (issue 13: the retired
calibration parts cal_bm..cal_bt, written by hand outside the team), fixed with general rules.
Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # the injection paragraph of an MR arthrogram that names the fluoroscopy another way than "under
    # fluoroscopic guidance" ("with fluoroscopic monitoring", "Injection (fluoro):", "using fluoroscopy"):
    # the needle guidance 77002 beside the MR with contrast
    ("MR ARTHROGRAM WRIST RIGHT WITH FLUOROSCOPIC INJECTION\nHISTORY: Ulnar-sided wrist pain, TFCC tear?\n"
     "INJECTION: Dorsal approach, 25-gauge needle advanced into the radiocarpal joint with intermittent "
     "fluoroscopic monitoring; 3 mL dilute gadolinium injected.\nMRI: Coronal T1 FS, coronal PD FS and axial "
     "T1 FS images.\nFINDINGS: Central TFCC perforation.\nIMPRESSION: TFCC tear.", ["73222-RT", "77002"]),
    ("LEFT HIP MR ARTHROGRAM\nHx: groin pain, labral tear?\nInjection (fluoro): anterior approach, 22 G "
     "needle to the femoral head-neck junction, 10 mL dilute gadolinium.\nMR: coronal and sagittal T1 FS, "
     "radial PD.\nFindings: Anterosuperior labral tear.\nImpression: Labral tear.", ["73722-LT", "77002"]),
    ("MR ARTHROGRAM SHOULDER LEFT\nHISTORY: Instability.\nPROCEDURE: Using fluoroscopy, a 22-gauge needle "
     "was placed into the glenohumeral joint and 12 mL dilute gadolinium was injected.\nMRI: Axial, coronal "
     "and sagittal T1 FS.\nFINDINGS: Anteroinferior labral tear.\nIMPRESSION: Bankart lesion.",
     ["73222-LT", "77002"]),
])
def test_mr_arthrogram_fluoroscopic_injection_worded_otherwise(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # contrast the technique says was planned and then not given ("ordered but not administered",
    # "considered but not given"), or an order's contrast ("the order was placed as with contrast"): the
    # plain study was done, whatever the title says (CODING_RULES §2, §6)
    ("EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nHISTORY: Right lower quadrant pain.\nTECHNIQUE: Helical "
     "CT of the abdomen and pelvis. IV contrast was ordered but not given because the creatinine returned "
     "at 3.1.\nFINDINGS: Appendix normal. No free fluid.\nIMPRESSION: No acute finding.", ["74176"]),
    ("MRI LEFT ANKLE\nHISTORY: Lateral ankle pain after an inversion injury.\nTECHNIQUE: Sagittal T1, "
     "sagittal STIR, axial PD FS and coronal PD FS images. Gadolinium was considered but not administered, "
     "the findings being clear on the plain sequences.\nFINDINGS: ATFL tear.\nIMPRESSION: ATFL tear.",
     ["73721-LT"]),
    ("EXAM: CT CERVICAL SPINE WITH CONTRAST\nHISTORY: Fall, neck pain.\nTECHNIQUE: Helical images of the "
     "cervical spine without IV contrast. The order was placed as with contrast by mistake; contrast was "
     "not given.\nFINDINGS: No fracture.\nIMPRESSION: No fracture.", ["72125"]),
    # negative: contrast given as ordered
    ("EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nHISTORY: Pain.\nTECHNIQUE: Helical CT of the abdomen and "
     "pelvis after 100 mL Omnipaque 350 IV, as ordered.\nFINDINGS: Normal.\nIMPRESSION: Normal.", ["74177"]),
])
def test_contrast_planned_but_not_given(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected", "conflict"), [
    # a CT angiogram the report says was done as a routine contrast study, with no angiographic
    # reconstruction: the contrast CT (CODING_RULES §6), the title conflicting
    ("CTA CHEST PULMONARY EMBOLISM\nHISTORY: Pleuritic pain, tachycardia.\nTECHNIQUE: Contrast arrived late "
     "and the scan was performed as a routine contrast-enhanced CT of the chest in the venous phase after "
     "75 mL Isovue 370. No angiographic reformats were made.\nFINDINGS: No central filling defect.\n"
     "IMPRESSION: Limited study, no central PE.", ["71260"], True),
    ("CTA ABDOMEN AORTA\nHistory: Abdominal pain, rule out dissection.\nTechnique: Bolus timing was not "
     "achieved; routine portal venous phase images of the abdomen after 100 mL Omnipaque 350. No MIP "
     "images.\nFindings: Aorta normal in caliber, no flap seen.\nImpression: No dissection on this venous "
     "phase study.", ["74160"], True),
    # negative: a CTA with its reconstructions stays a CTA
    ("CTA CHEST PULMONARY EMBOLISM\nHISTORY: Dyspnea.\nTECHNIQUE: CT angiography of the chest after 75 mL "
     "Isovue 370 with bolus tracking; coronal and sagittal MIP reconstructions.\nFINDINGS: No PE.\n"
     "IMPRESSION: No PE.", ["71275"], False),
])
def test_angiogram_done_as_routine_contrast_ct(sg, text, expected, conflict):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert ("title_technique_conflict" in flag_types(rec)) is conflict


@pytest.mark.parametrize(("text", "expected"), [
    # the head and the neck named by one shorthand ("H&N", "H/N"): the head code and the neck code
    # (CODING_RULES §3: CTA head and neck -> 70496 + 70498)
    ("CTA H&N STROKE ALERT 12/01 - arch to vertex, MIPs/VR. L ICA terminus occlusion, neck vessels patent. "
     "-- Dr. P. Olsen", ["70496", "70498"]),
    ("EXAM: CTA H/N W CONTRAST\nHISTORY: Vertigo, dysarthria.\nTECHNIQUE: Arch to vertex after 70 mL "
     "Omnipaque 350; coronal and sagittal MIPs.\nFINDINGS: Basilar artery patent. No dissection.\n"
     "IMPRESSION: No large vessel occlusion.", ["70496", "70498"]),
    # negative: spelled out, and the neck alone
    ("EXAM: CTA HEAD AND NECK\nTECHNIQUE: Arch to vertex with MIPs.\nFINDINGS: Patent vessels.",
     ["70496", "70498"]),
    ("EXAM: CTA NECK\nTECHNIQUE: Arch to skull base with MIPs.\nFINDINGS: No dissection.", ["70498"]),
])
def test_head_and_neck_shorthand(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the extent the report says was only planned ("planned skull base to mid-thigh; ... extended from the
    # vertex to the feet") is not the extent done (CODING_RULES §6)
    ("FDG PET/CT\nIndication: melanoma of the left foot, staging.\nTechnique: The study was ordered skull base "
     "to mid-thigh; given the primary site the acquisition was extended from the vertex through the feet.\n"
     "Findings: Left popliteal nodal uptake.\nImpression: Nodal metastasis.", ["78816"]),
    ("PET/CT FDG\nIndication: lymphoma restaging.\nTechnique: Initially planned whole body from the vertex to "
     "the toes; performed from the skull base to the mid-thigh after the patient could not lie still.\n"
     "Findings: Complete metabolic response.\nImpression: Deauville 2.", ["78815"]),
    # a survey cut to one area's bed positions is the limited-area study
    ("PET/CT SKULL BASE TO MID-THIGH\nIndication: lung nodule.\nTechnique: FDG 10 mCi. The patient asked to "
     "stop; only the chest bed positions (apices to upper abdomen) were completed with low-dose CT.\n"
     "Findings: RUL nodule SUV 5.1.\nImpression: Hypermetabolic nodule.", ["78814"]),
])
def test_pet_extent_planned_or_cut(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "FT" before a tear or the tendon torn is a full-thickness tear, not the foot
    ("MR L SHLDR WO 11/30/26 \u2014 s/p fall \u2014 FT SSP tear 2 cm with 2 cm retraction. \u2014 R.A.",
     ["73221-LT"]),
    ("MR RT SHLDR WO 12/01/26 \u2014 weakness \u2014 FT tear SSP 1.2 cm. \u2014 N.O.", ["73221-RT"]),
    # negative: the foot abbreviated, and a height in feet
    ("XR RT FT 3V\nFINDINGS: No fracture.", ["73630-RT"]),
    ("MRI LEFT KNEE WITHOUT CONTRAST\nHISTORY: Fall from 6 ft.\nFINDINGS: ACL tear.\nIMPRESSION: ACL tear.",
     ["73721-LT"]),
])
def test_ft_before_a_tear_is_full_thickness(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "CMR" is cardiac MRI
    ("CMR FUNCTION (NO CONTRAST) 12/02/2026 \u2014 44M, cardiomyopathy follow-up. Cine SSFP short axis and long "
     "axis. LVEF 38%. IMP: stable LV dysfunction. \u2014 Dr. T. Baptiste", ["75557"]),
    ("CMR WITH AND WITHOUT GADOLINIUM\nHISTORY: Chest pain, troponin rise, normal coronaries.\nTECHNIQUE: "
     "Cine SSFP, T2 STIR, late gadolinium enhancement after gadobutrol.\nFINDINGS: Subepicardial LGE of "
     "the lateral wall.\nIMPRESSION: Myocarditis.", ["75561"]),
])
def test_cmr_is_cardiac_mri(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "fluoroscopically guided" names the fluoroscopy: an MR arthrogram "with fluoroscopically guided
    # injection" is the MR with contrast and the needle guidance 77002, not MR guidance (77021)
    ("Right wrist MR arthrogram with fluoroscopically guided injection, 11/30/2026.\n\nHistory: ulnar-sided "
     "pain after a fall.\n\nA 25-gauge needle was placed into the radiocarpal joint and 3 mL of dilute "
     "gadolinium was injected. The MR followed within 15 minutes: coronal T1 fat-suppressed and coronal PD "
     "fat-suppressed images.\n\nContrast passes through a central TFCC perforation.\n\nImpression: TFCC "
     "tear.", ["73222-RT", "77002"]),
    ("Left knee MR arthrogram after fluoroscopically guided injection, 12/02/2026.\n\nHistory: prior "
     "meniscectomy, recurrent locking.\n\nA 22-gauge needle was placed into the knee joint from a lateral "
     "approach and 30 mL dilute gadolinium was injected. The MR followed: sagittal and coronal T1 "
     "fat-suppressed images.\n\nContrast tracks into the posterior horn remnant.\n\nImpression: Re-tear of the "
     "medial meniscus.", ["73722-LT", "77002"]),
])
def test_fluoroscopically_guided_names_the_fluoroscopy(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
