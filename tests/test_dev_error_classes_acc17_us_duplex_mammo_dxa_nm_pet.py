"""Error classes of the dev split in ultrasound, duplex, mammography, DXA, nuclear medicine and PET
(acc17a: text written outside the team), fixed with general rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # the side not imaged is named with its neck ("the right neck could not be imaged"): on a duplex the
    # neck is the carotid study's own anatomy, not another structure the cue is about (CODING_RULES §5, §6)
    ("EXAM: CAROTID DUPLEX\nIndication: bruit before valve surgery.\nTechnique: Color and spectral Doppler of the "
     "left carotid and vertebral arteries. The right neck could not be imaged because of a dialysis catheter; the "
     "right-sided study will be done after the line is removed.\nFindings: Left ICA PSV 140 cm/s, EDV 30 cm/s.\n"
     "Impression: 50-69% left ICA stenosis.", ["93882-LT"]),
    ("US CAROTID\nHx: amaurosis fugax.\nRight CCA, ICA and ECA examined with color and spectral Doppler. The left "
     "neck was not scanned because of a fresh surgical dressing; the left side will be examined at a later visit.\n"
     "Right ICA PSV 75 cm/s.\nIMP: No right ICA stenosis.", ["93882-RT"]),
    # negative: both sides examined stays the bilateral study
    ("CAROTID DUPLEX\nIndication: bruit.\nBoth carotid systems were examined with color and spectral Doppler. Right "
     "ICA PSV 90, left ICA PSV 85 cm/s.\nImpression: No stenosis on either side.", ["93880"]),
])
def test_carotid_side_not_imaged_named_with_the_neck(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # one side examined, which side never said: the unilateral duplex code without RT/LT, laterality flagged
    # (CODING_RULES §1, §5); a limited study of one side is the unilateral code, not the bilateral one reduced
    ("CAROTID DOPPLER\nReason: dizziness.\nLimited study: only one side was examined because the patient could not "
     "turn the head in a cervical collar.\nCCA, ICA and ECA with color and spectral Doppler. ICA PSV 80 cm/s. "
     "No plaque.\nImpression: Normal study on the examined side.", ["93882"]),
    ("LOWER EXTREMITY VENOUS DUPLEX\nIndication: calf swelling.\nOne side only was scanned; the worksheet does not "
     "record which.\nCommon femoral, femoral, popliteal and calf veins compressible with normal flow.\n"
     "Impression: No DVT.", ["93971"]),
])
def test_one_side_only_unnamed_is_the_unilateral_code(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert "laterality_missing" in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # an obstetric title naming the transvaginal study in addition ("W TV", "+ TV") over a body that documents
    # the transabdominal survey too: both approaches are billed (76801/76805 + 76817, CODING_RULES §3)
    ("OB US <14 WEEKS W/ TV\nIndication: bleeding at 7 weeks by dates.\nTransabdominal and transvaginal images "
     "obtained. Single intrauterine gestation, CRL 1.1 cm = 7w2d, heart rate 150.\nImpression: Live IUP.",
     ["76801", "76817"]),
    ("US OB >14 WKS + TV CERVIX\n21 weeks, history of cone biopsy.\nTransabdominal: single live fetus, vertex, "
     "BPD and FL consistent with 21w0d, anatomy normal, placenta fundal.\nTransvaginal cervix 3.4 cm, closed.\n"
     "IMPRESSION: Normal 21-week scan; normal cervical length.", ["76805", "76817"]),
    # negative: the transabdominal approach said not done keeps the transvaginal study alone
    ("OB US <14 WKS W TV\nIndication: spotting.\nTransabdominal imaging not performed (empty bladder). Transvaginal "
     "images: single IUP, CRL 0.8 cm, FHR 132.\nImpression: Live IUP at 6w5d.", ["76817"]),
])
def test_ob_title_with_transvaginal_and_documented_transabdominal(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # today's incomplete anatomy is no follow-up: "incompletely visualized anatomy" in the impression of a
    # standard twin scan (76805 + 76810), a follow-up only when it is the reason ("re-evaluation of previously
    # incompletely seen anatomy", 76816)
    ("OB ULTRASOUND\nTwin pregnancy at 21 weeks.\nDichorionic twins. Twin A: vertex, FHR 150, biometry 21w0d, "
     "EFW 400 g. Twin B: breech, FHR 145, biometry 20w6d, EFW 390 g. Placentas anterior and posterior, fluid "
     "normal in both sacs. Four-chamber hearts, stomachs, kidneys and bladders normal; spines suboptimally seen.\n"
     "IMPRESSION: Concordant twins. Incompletely visualized anatomy; recommend follow-up in 4 weeks.",
     ["76805", "76810"]),
    ("OB US FOLLOW UP\nIndication: re-evaluation of previously incompletely seen anatomy (face and spine) and "
     "interval growth.\nFocused transabdominal examination. Single live fetus, FHR 144. BPD, HC, AC and FL "
     "consistent with 24w1d, EFW 650 g. Face and spine now normal.\nIMPRESSION: Normal follow-up.", ["76816"]),
    # a technique's limited bedside exam measuring no biometry is the limited exam in any trimester (76815)
    ("US OB 2ND/3RD TRIMESTER\nIndication: 31 weeks, trauma, rule out abruption.\nTechnique: Limited bedside "
     "transabdominal evaluation; biometry was not assessed.\nSingle live fetus, FHR 150, cephalic. Placenta anterior "
     "without retroplacental collection. Fluid normal.\nIMPRESSION: Live fetus.", ["76815"]),
])
def test_ob_follow_up_and_limited(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a tomosynthesis unit "out of service" / "out of order" made no tomosynthesis: the screening without
    # 77063 (CODING_RULES §6: performed, not titled)
    ("MAMMO SCREENING BILAT W TOMO\nIndication: annual screening.\nTechnique: The tomosynthesis unit was out of "
     "service; 2D digital CC and MLO views of both breasts were obtained.\nFindings: Scattered fibroglandular "
     "density. No suspicious findings.\nImpression: BI-RADS 1.", ["77067"]),
    ("SCREENING MAMMOGRAM WITH 3D\nHistory: routine screening, no complaints.\nTechnique: Bilateral CC and MLO "
     "views, 2D only; DBT out of order today.\nImpression: Negative, BI-RADS 1.", ["77067"]),
    # a work-up view the finding would be "better assessed with" is a recall, not a view taken: the screening
    # stays screening (CODING_RULES §5)
    ("SCREENING MAMMOGRAM BILATERAL WITH TOMOSYNTHESIS\nHistory: 52 y/o, routine screening.\nExam: CC and MLO "
     "views of both breasts, 2D and tomosynthesis.\nResult: Right breast upper outer: new 4 mm cluster of "
     "calcifications.\nTechnique: CAD applied. The calcifications look round on the synthesized views, but their "
     "morphology is better assessed with magnification.\nAssessment: BI-RADS 0, recall for right magnification "
     "views.", ["77063", "77067"]),
    ("MAMMO SCREEN BILAT\nHx: screening.\nTechnique: Standard CC and MLO views. The new left asymmetry is better "
     "evaluated with spot compression.\nIMP: BI-RADS 0, left spot compression views recommended.", ["77067"]),
    # negative: tomosynthesis done is billed
    ("SCREENING MAMMOGRAM WITH 3D\nHistory: routine screening, no complaints.\nTechnique: Bilateral CC and MLO "
     "tomosynthesis with synthesized 2D.\nImpression: Negative, BI-RADS 1.", ["77063", "77067"]),
])
def test_screening_mammogram_components_not_done(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a three-phase bone scan whose delayed images are whole body is the three-phase study (78315): the
    # three-phase code has no whole-body variant, the delayed phase is part of it
    ("THREE PHASE BONE SCAN\nIndication: diabetic foot ulcer, osteomyelitis?\n24 mCi Tc-99m MDP. Dynamic flow "
     "images and immediate blood pool images of both feet, then whole body delayed images at 3 hours.\nFindings: "
     "Hyperemia and focal delayed uptake at the right first metatarsal head.\nImpression: Osteomyelitis.",
     ["78315"]),
    ("NM BONE 3-PHASE + WHOLE BODY\nHx: painful hip prosthesis.\nAngiographic and blood pool images of the pelvis "
     "followed by delayed whole body imaging.\nIMP: No loosening or infection pattern.", ["78315"]),
    # negative: flow and blood pool not done is the whole-body study
    ("NM BONE SCAN WHOLE BODY\nIndication: prostate cancer staging.\nWhole body anterior and posterior images 3 "
     "hours after 25 mCi Tc-99m MDP. Flow and blood pool phases were not performed.\nImpression: No osseous "
     "metastases.", ["78306"]),
])
def test_three_phase_bone_scan_with_whole_body_delayed_images(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the guidance of a breast biopsy / clip placement is part of the breast procedure code (outside the table):
    # the post-procedure mammogram the report documents is the billed line (77065 on the side)
    ("US GUIDED BIOPSY RIGHT BREAST\nIndication: BI-RADS 4 mass at 9:00.\nUnder real-time ultrasound guidance a "
     "14-gauge core needle obtained 4 samples of the 8 mm mass at 9:00, 3 cm from the nipple. A coil clip was "
     "placed.\nPost-procedure CC and ML views of the right breast show the clip at the biopsy site.\nIMPRESSION: "
     "Successful ultrasound-guided biopsy; clip in good position.", ["77065-RT"]),
    ("MRI GUIDED BIOPSY LEFT BREAST\nIndication: non-mass enhancement.\nMR guided vacuum-assisted biopsy of the left "
     "breast at 3:00, clip placed. Post-procedure mammogram, CC and ML views of the left breast: clip 5 mm from the "
     "target.\nIMPRESSION: Successful biopsy.", ["77065-LT"]),
    # negatives: a cyst aspiration's guidance and an axillary node biopsy's guidance are billed
    ("US GUIDED ASPIRATION LEFT BREAST CYST\nUnder ultrasound guidance a 21-gauge needle aspirated 6 mL of fluid "
     "from the 2 cm cyst at 2:00. The cyst resolved.\nIMPRESSION: Successful aspiration.", ["76942"]),
    ("US GUIDED CORE BIOPSY LEFT AXILLARY LYMPH NODE\nIndication: breast cancer, abnormal node.\nUnder ultrasound "
     "guidance 3 cores were obtained from the cortex of the node. Clip placed.\nIMPRESSION: Successful biopsy.",
     ["76942"]),
])
def test_breast_biopsy_guidance_is_in_the_procedure(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a bone SPECT whose report says no planar images were taken is the SPECT alone (CODING_RULES §6)
    ("EXAM: NM BONE SPECT LUMBAR SPINE\nIndication: back pain, spondylolysis?\nTechnique: 20 mCi Tc-99m MDP. SPECT "
     "of the lumbar spine at 3 hours. No planar images.\nFindings: Focal uptake in the left L5 pars.\nImpression: "
     "Left L5 pars stress reaction.", ["78803"]),
    ("BONE SPECT - PELVIS\nHx: hip pain after a fall, radiographs negative.\nTc-99m MDP 20 mCi; SPECT only of the "
     "pelvis at 3 h.\nFindings: Linear uptake in the right sacral ala.\nIMP: Right sacral insufficiency fracture.",
     ["78803"]),
    # negative: the whole body and the SPECT both done are both billed
    ("BONE SCAN (WB) + SPECT\nHx: breast cancer staging.\nWhole body planar images and SPECT of the thoracic spine "
     "at 3 hours after 22 mCi Tc-99m MDP.\nIMP: No osseous metastases.", ["78306", "78803"]),
])
def test_bone_spect_without_planar_images(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
