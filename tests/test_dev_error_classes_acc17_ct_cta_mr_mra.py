"""Error classes of the dev split in CT, CTA, MR and MRA (stop 17: reports written by hand outside the
team), fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a coronary CTA stopped after its calcium score: no contrast was given, so no CTA was done; the
    # calcium score performed is billed (CODING_RULES §2: a CTA includes its contrast; §6)
    ("CORONARY CTA - CANCELLED AFTER CALCIUM SCORING\nHistory: 58F atypical chest pain.\nTechnique: ECG-gated "
     "noncontrast images for coronary calcium. Agatston score 1450. Heart rate remained 95 bpm after metoprolol, "
     "so the contrast CTA was not performed.\nFindings: Dense calcification of the LAD and RCA.\nImpression: "
     "Agatston 1450. CTA not performed.", ["75571"]),
    ("CT CORONARY ANGIOGRAM / CALCIUM SCORE\nTechnique: Noncontrast gated scan; total Agatston score 2210. The "
     "coronary CT angiogram was cancelled given the calcium burden.\nImpression: Severe coronary calcification.",
     ["75571"]),
    # a title saying the study was abandoned: the calcium score done is the whole service billed, no 52
    ("CT CORONARY ANGIOGRAPHY - EXAM ABANDONED AFTER CALCIUM SCORE\nTechnique: Non-contrast gated scan only; "
     "Agatston 980. The CTA was not performed because of atrial fibrillation.\nImpression: Moderate coronary "
     "calcification.", ["75571"]),
    # negative: the calcium score with the coronary CTA done is the CTA alone (§3)
    ("CT CORONARY CTA WITH CALCIUM SCORE\nTechnique: Noncontrast gated calcium score (Agatston 12), then coronary "
     "CT angiography after 70 mL Omnipaque 350 IV with MIP and curved reformats.\nFindings: Mild LAD plaque, "
     "<25% stenosis. CAD-RADS 1.\nImpression: Minimal CAD.", ["75574"]),
])
def test_coronary_cta_not_done_after_calcium_score(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a finding the report negates under a technique line with no findings header ("NO PE", "no clot")
    # is no statement that the title's region was not imaged: a heart named in the findings is anatomy
    # of the chest CTA, not a cardiac exam done instead (CODING_RULES §6)
    ("CTA CHEST PE\nTECHNIQUE: CT PULMONARY ANGIOGRAM, 75 ML OMNIPAQUE 350 IV, AXIAL AND CORONAL MIPS.\nNO PE. "
     "NO EFFUSION. HEART SIZE NORMAL.\nIMPRESSION: NO PULMONARY EMBOLUS.", ["71275"]),
    ("CTA PE STUDY\nTech: CT angiography of the pulmonary arteries after 80 mL Isovue 370 IV, MIP reformats.\n"
     "No PE seen. Heart normal in size, no pericardial effusion.\nImp: Negative.", ["71275"]),
    # negatives: the title's anatomy said not measured or not imaged, another done instead (CODING_RULES §6)
    ("EXAM: DXA HIP AND SPINE\nTECHNIQUE: Neither hip could be measured because of arthroplasties, and the "
     "spine was not analyzable because of fusion rods. The right forearm was scanned instead.\nIMPRESSION: "
     "Osteopenia.", ["77081"]),
    ("EXAM: MRI LEFT KNEE WITHOUT CONTRAST\nTECHNIQUE: The knee was not imaged at the surgeon's request; "
     "sagittal T1 and STIR of the left thigh were obtained instead.\nFINDINGS: Hamstring strain.", ["73718-LT"]),
])
def test_negated_finding_is_no_region_undone(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an MR angiogram of the abdominal aorta with the legs' runoff: MRA has no combined aorta-runoff code,
    # so each region imaged is billed, the legs on their unilateral code (CODING_RULES §2: MRA abdomen,
    # pelvis and extremities are single codes)
    ("MR ANGIOGRAM ABDOMINAL AORTA AND BILATERAL RUNOFF\nTechnique: Bolus-chase gadolinium-enhanced MRA of the "
     "aorta, iliac arteries and both legs in three stations, MIP images.\nFindings: Left SFA occlusion.\n"
     "Impression: Left SFA occlusion.", ["72198", "73725-50", "74185"]),
    ("MRA AORTA WITH BILAT LE RUNOFF W/WO\nTechnique: Precontrast and dynamic contrast MRA from the renal "
     "arteries to the feet after gadoterate.\nImpression: Mild aortoiliac disease.", ["72198", "73725-50", "74185"]),
    # negative: a runoff of the legs alone
    ("MRA BILATERAL LOWER EXTREMITY RUNOFF\nTechnique: Contrast-enhanced MRA of both legs, thighs to feet.\n"
     "Impression: Normal.", ["73725-50"]),
])
def test_mra_aorta_with_runoff_split(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a CTA "runoff" of one leg, or of the legs with the abdomen left out: the aorto-iliac runoff code
    # (75635: abdominal aorta with both legs, CODING_RULES §3) needs the abdominal aorta and both legs;
    # otherwise the lower extremity CTA (73706) per leg
    ("CTA RUNOFF RIGHT LOWER EXTREMITY\nTechnique: CT angiography of the right leg from the common femoral "
     "artery to the foot after 100 mL Omnipaque 350 IV; MIP reformats.\nFindings: Popliteal occlusion.\n"
     "Impression: Right popliteal occlusion.", ["73706-RT"]),
    ("CT ANGIOGRAM LEFT LEG RUNOFF\nTechnique: CTA of the left lower extremity, groin to toes, 3D MIP.\n"
     "Impression: Normal.", ["73706-LT"]),
    ("CTA BILATERAL LOWER EXTREMITY RUNOFF WITHOUT ABDOMEN\nTechnique: CTA of both legs from the femoral heads "
     "through the feet, 3D.\nImpression: Normal.", ["73706-50"]),
    # negatives: the aorta with both legs is the runoff code, whatever the title calls it
    ("CTA BILATERAL LOWER EXTREMITIES\nTechnique: CT angiography from the abdominal aorta above the renal "
     "arteries through both feet with iliofemoral runoff, MIP and VR.\nImpression: Left SFA occlusion.",
     ["75635"]),
    ("CTA ABDOMINAL AORTA WITH BILATERAL RUNOFF\nTechnique: CTA from the diaphragm to the toes, MIPs.\n"
     "Impression: Normal.", ["75635"]),
])
def test_cta_runoff_extent(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an angiogram the report only proposes ("CTA could be reconsidered") is no exam done (CODING_RULES §6)
    ("CT ABDOMEN AND PELVIS WITHOUT CONTRAST\nTechnique: Noncontrast CT of the abdomen and pelvis. IV contrast was "
     "withheld for an eGFR of 20; a CTA may be reconsidered after hydration.\nFindings: Colitis.\nImpression: "
     "Colitis.", ["74176"]),
    ("CT ABDOMEN WITHOUT CONTRAST\nTechnique: Unenhanced CT of the abdomen. Renal CTA could be reconsidered "
     "once the creatinine improves.\nFindings: No hydronephrosis.\nImpression: Negative.", ["74150"]),
    # a catheter angiogram the title names as done before the CT / MR is its reason, not a CTA / MRA
    ("CT HEAD WITHOUT CONTRAST - POST CEREBRAL ANGIOGRAM\nTechnique: Axial CT of the head without contrast.\n"
     "Findings: No hemorrhage.\nImpression: Negative.", ["70450"]),
    ("MRI BRAIN WO S/P DIAGNOSTIC ANGIOGRAPHY\nTechnique: Axial DWI, FLAIR and T2 without contrast.\nFindings: "
     "Two punctate acute infarcts.\nImpression: Small embolic infarcts after angiography.", ["70551"]),
    # negative: a CTA done after a procedure keeps the CTA ("POST-OP" names the operation)
    ("POST-OP CTA NECK\nTechnique: CT angiography of the neck after 75 mL Omnipaque 350 IV, MIP reformats.\n"
     "Findings: Patent carotid endarterectomy site.\nImpression: Patent.", ["70498"]),
])
def test_angiogram_planned_or_done_before(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a CT / MR arthrogram whose report documents the fluoroscopic injection: the guidance 77002 with the
    # joint's CT / MR with contrast (CODING_RULES §2), however the injection is headed ("Fluoroscopic
    # injection:", a "Procedure note:" label of this report)
    ("RIGHT WRIST MR ARTHROGRAM\nHistory: Ulnar-sided pain.\nFluoroscopic injection: dorsal radiocarpal approach, "
     "25 G needle, 3 mL dilute gadolinium.\nMRI: Coronal T1 FS, axial T1 FS, coronal PD FS.\nFindings: Full "
     "thickness central TFCC perforation.\nImpression: TFCC tear.", ["73222-RT", "77002"]),
    ("MRI RIGHT HIP ARTHROGRAM\nProcedure note: Under fluoroscopic guidance a 20 gauge spinal needle was placed "
     "into the right hip joint and 12 mL of dilute gadolinium was injected.\nMRI technique: T1 FS in three "
     "planes after intra-articular contrast only.\nFindings: Anterosuperior labral tear.\nImpression: Labral "
     "tear.", ["73722-RT", "77002"]),
    # a sentence checking the needle's position with a little contrast is the guidance's check, no
    # conventional arthrogram read beside the MR arthrogram (73040)
    ("FLUOROSCOPIC GUIDED LEFT SHOULDER INJECTION AND MR ARTHROGRAM LEFT SHOULDER\nProcedure: Under "
     "fluoroscopic guidance a 22 gauge needle was placed in the glenohumeral joint. Needle position was "
     "verified with 1 mL of iodinated contrast flowing freely from the tip. 12 mL of dilute gadolinium was "
     "then injected.\nMRI: Following the injection, T1 FS images in three planes were obtained.\nFindings: "
     "Anterior labral tear.\nImpression: Bankart lesion.", ["73222-LT", "77002"]),
])
def test_mr_arthrogram_fluoroscopic_guidance(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a bare "intra-articular" that places a finding (a fragment, the fracture's extension) is no contrast
    # route: the noncontrast CT stays without (CODING_RULES §2)
    ("CT RIGHT ANKLE WITHOUT CONTRAST\nTechnique: Axial noncontrast images with sagittal and coronal reformats.\n"
     "Findings: Comminuted pilon fracture.\nImpression: Pilon fracture.\nADDENDUM: There is intra-articular "
     "extension of the fracture into the tibial plafond with a 3 mm step-off.", ["73700-RT"]),
    ("CT WRIST RIGHT\nTECHNIQUE: Axial CT, 0.6 mm, with reformats. Comminuted distal radius fracture with "
     "intra-articular extension and 2 mm step-off.\nIMPRESSION: Intra-articular distal radius fracture.",
     ["73200-RT"]),
    # negative: the contrast of an arthrogram given into the joint
    ("CT LEFT SHOULDER ARTHROGRAM\nTechnique: Axial CT after intra-articular injection of 10 mL iodinated "
     "contrast under fluoroscopy.\nFindings: Labral tear.\nImpression: Labral tear.", ["73201-LT", "77002"]),
])
def test_intra_articular_finding_is_no_contrast(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a noncontrast localizer / scout before the contrast series is no plain series: with the plain series
    # said not done, the study is "with" (CODING_RULES §2: without-then-with needs a noncontrast series
    # followed by a contrast one)
    ("CT NECK SOFT TISSUE W/WO CONTRAST\nTechnique: A non-contrast scout was obtained, then axial images of the "
     "neck following 75 mL Omnipaque 350 IV. No precontrast axial images.\nFindings: Left level II necrotic "
     "node.\nImpression: Nodal metastasis.", ["70491"]),
    ("CT CHEST WITHOUT AND WITH CONTRAST\nTechnique: Unenhanced topogram only; no unenhanced series. Helical CT of "
     "the chest after 80 mL Isovue 370 IV.\nFindings: Right hilar mass.\nImpression: Mass.", ["71260"]),
    # negative: a real noncontrast series before the contrast one
    ("CT NECK W/WO\nTechnique: Noncontrast axial images of the neck, then repeat axial images after 75 mL "
     "Omnipaque 350 IV.\nImpression: Normal.", ["70492"]),
])
def test_noncontrast_scout_is_no_plain_series(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a study stopped before its contrast series and coded as the plain study done: that code is the whole
    # service performed, no 52 (CODING_RULES §6), whether the stop sentence is joined by a semicolon to the
    # one naming the contrast, or the contrast was asked for on an order line
    ("MRI PELVIS WITH AND WITHOUT CONTRAST\nTechnique: Axial and sagittal T2, DWI and precontrast T1 were "
     "acquired. The patient had a panic attack before the gadolinium injection; the exam was terminated.\n"
     "Findings: 3 cm fibroid.\nImpression: Fibroid uterus.", ["72195"]),
    ("ORDER: MRI CERVICAL SPINE W WO CONTRAST\nPERFORMED: MRI CERVICAL SPINE\nTechnique: Sagittal T1, T2, STIR "
     "and axial T2. The patient could not continue; exam terminated after the noncontrast sequences.\n"
     "Findings: C5-6 disc protrusion.\nImpression: Mild C5-6 stenosis.", ["72141"]),
    # negative: a plain study itself cut short keeps its 52
    ("MRI BRAIN WITHOUT CONTRAST\nTechnique: Sagittal T1 and axial DWI only; the exam was terminated early "
     "because of claustrophobia.\nFindings: No acute infarct.\nImpression: Limited.", ["70551-52"]),
])
def test_stopped_before_contrast_no_52(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
