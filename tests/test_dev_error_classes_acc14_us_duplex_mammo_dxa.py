"""Error classes of the enlarged dev split in ultrasound, duplex, mammography and DXA (issue 14: the
retired calibration parts cal_bu..cal_cb and the reviewer's reports of stop 26), fixed with general
rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "nm"), [
    # a lymph node an ultrasound shows is no lymphoscintigraphy (78195): the stated modality stays
    ("US LEFT GROIN\nHistory: swelling left groin.\nFindings: No mass or hernia. Normal inguinal lymph nodes.\n"
     "Impression: Negative.", "78195"),
    ("ULTRASOUND RIGHT GROIN\nReason: tender lump.\nA 2.1 cm lymph node with preserved fatty hilum and thin "
     "cortex in the right inguinal region; no collection.\nIMP: Reactive node.", "78195"),
    ("Sonogram, left axillary tail region. Indication: palpable. Findings: 1 cm reniform lymph node, normal "
     "cortex. Impression: benign node.", "78195"),
])
def test_ultrasound_lymph_node_is_no_lymphoscintigraphy(sg, text, nm):
    got = codes(sg.suggest(text))
    assert not any(c.startswith(nm) for c in got), got


@pytest.mark.parametrize(("text", "expected"), [
    # a title that lists the organs of the survey: the aorta and IVC of the list are its elements
    # (CODING_RULES §5), no duplex scan, and the list no limited exam of one organ
    ("EXAM: US ABDOMEN - liver GB pancreas spleen kidneys aorta IVC CBD\nFindings: Liver normal size. "
     "Gallbladder without stones. CBD 3 mm. Pancreas unremarkable. Spleen 9 cm. Right kidney 10.5, left "
     "10.9 cm. Aorta 1.8 cm. IVC patent.\nImpression: Unremarkable.", ["76700"]),
    ("ULTRASOUND ABDOMEN liver/gallbladder/pancreas/spleen/kidneys/aorta/IVC\nHx: elevated LFTs.\nThe liver is "
     "echogenic. Gallbladder without stones; common duct 5 mm. Pancreas head and body unremarkable, tail obscured. Spleen "
     "11 cm. Kidneys 11 and 11.4 cm, no hydronephrosis. Abdominal aorta nonaneurysmal. Upper IVC normal.\n"
     "Impression: Hepatic steatosis.", ["76700"]),
    ("US ABDOMEN LTD liver gallbladder IVC\nRUQ pain. Liver normal. No gallstones, no wall thickening. CBD 4 mm. "
     "IVC unremarkable.\nIMP: Normal RUQ.", ["76705"]),
    ("US RETROPERITONEUM kidneys aorta IVC\nKidneys 10.9 and 11.2 cm, no hydronephrosis. Aorta 1.9 cm. IVC "
     "normal.\nIMP: Normal.", ["76775"]),
    # negative: a Doppler word makes the vessels' scan
    ("US IVC\nIVC filter in place; color and spectral Doppler show a patent IVC without thrombus.", ["93978"]),
])
def test_abdominal_survey_title_lists_vessels(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the abdomen named right before the aorta or IVC says where the vessel lies: no abdominal
    # survey of its own beside the vessels' scan
    ("US ABD AORTA/IVC DUPLEX LIMITED\nIVC filter check. Spectral Doppler of the infrarenal IVC only: patent, "
     "no thrombus at the filter. Aorta not evaluated.\nIMP: Patent IVC.", ["93979"]),
    ("US ABD IVC DOPPLER LTD - IVC filter, r/o thrombus. Color and spectral Doppler of the IVC at the filter: "
     "patent, phasic. IMP: no IVC thrombus.", ["93979"]),
    ("US ABD AORTA\nHx: known AAA, surveillance. Abdominal aorta proximal 2.1, mid 3.9, distal 2.0 cm. Iliacs "
     "not seen.\nIMP: Stable 3.9 cm infrarenal AAA.", ["76775"]),
    # negatives: a vessel's own duplex title, and a CT angiogram of the abdominal aorta with runoff
    ("US IVC\nIVC filter in place; color and spectral Doppler show a patent IVC without thrombus.", ["93978"]),
    ("CTA ABD AORTA W BILAT RUNOFF\nIV contrast 100 mL. Aorta and runoff arteries opacified; MIP and 3D "
     "reconstructions. IMP: Left SFA occlusion.", ["75635"]),
])
def test_abdomen_before_aorta_is_its_location(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an infant hip study done without stress maneuvers is the static study, whatever the title
    ("US HIPS INFANT F/U\n9-week-old girl in a Pavlik harness. Coronal images of each hip obtained in the harness, "
     "no stress views per the orthopaedist.\nR alpha 64, L alpha 58.\nIMP: improving "
     "left hip.", ["76886"]),
    ("ULTRASOUND INFANT HIP\nHx: breech, 6 wk. Static images only, both hips, without stress maneuvers.\n"
     "Alpha angles 62 right and 63 left, coverage over 50%.\nImpression: normal hips.", ["76886"]),
    # negatives: stress maneuvers done (a negative Barlow is a finding of the dynamic study)
    ("US INFANT HIPS\n6-week-old, breech. Coronal and transverse images with Barlow and Ortolani stress "
     "maneuvers. No Barlow or Ortolani instability. Alpha 64 bilaterally.\nIMP: normal.", ["76885"]),
])
def test_infant_hips_without_stress_are_static(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a "DXA with VFA" title above spine and hip T-scores: the axial study with the assessment (77085)
    ("DXA W/ VFA\nL1-L4 T-score -2.1. Left femoral neck T-score -1.7, total hip T-score -1.2. Lateral vertebral "
     "fracture assessment: mild wedge deformity of T11.\nIMP: Osteopenia; T11 grade 1 deformity.", ["77085"]),
    # a one-line report whose indication runs on into what was done
    ("Bone density DXA 11/20/2026. Indication: aromatase inhibitor. Spine and left hip DXA with lateral VFA "
     "T4-L4 on the same visit. L1-L4 BMD 0.912, T -2.6. Left FN T -1.9. VFA: no fracture. Impression: "
     "Osteoporosis by spine T-score.", ["77085"]),
    # negative: the assessment alone
    ("DXA VFA ONLY\nLateral vertebral fracture assessment T4-L4 for height loss; bone density measured last "
     "month elsewhere.\nIMP: No vertebral fracture.", ["77086"]),
])
def test_dxa_with_vfa(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a transcranial Doppler that examined less than the circle of Willis is limited, whatever the title
    ("TRANSCRANIAL DOPPLER COMPLETE\nHx: HbSS, age 9, STOP screen.\nTechnique: Temporal windows. Vertebral and "
     "basilar arteries were not insonated (child uncooperative).\nFindings: R MCA TAMMV 128, L MCA 121 cm/s.\n"
     "Impression: Standard risk.", ["93888"]),
    ("TCD COMPLETE - SAH day 4 - L transtemporal window only, R window absent: L MCA mean 142 cm/s, L ACA 70. "
     "IMP: mild L MCA vasospasm.", ["93888"]),
    # negatives: the whole circle examined; a vessel outside it not examined
    ("TRANSCRANIAL DOPPLER, COMPLETE\nIndication: HbSS STOP screening.\nTechnique: Transtemporal, transorbital "
     "and suboccipital windows. Bilateral MCA, ACA, PCA, distal ICA, vertebral and basilar arteries insonated. "
     "Ophthalmic arteries not assessed.\nImpression: Normal velocities.", ["93886"]),
])
def test_transcranial_doppler_extent(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a limb's vessel study title: the parts named after the vessel word are the indication or the
    # graft's course, not a nonvascular exam of the part
    ("US ARTERIAL LE RIGHT - R heel ulcer, diabetic. CFA triphasic, SFA and popliteal patent, tibial arteries "
     "monophasic. IMP: tibial disease.", ["93926-RT"]),
    ("US ARTERIAL UE LEFT - cold hand after cath. Brachial, radial and ulnar arteries patent with triphasic "
     "flow. IMP: normal.", ["93931-LT"]),
    ("LE ARTERIAL DUPLEX RIGHT, FEM-POP BYPASS 2021 - graft PSV 60-80 cm/s, anastomoses without step-up. "
     "IMP: patent graft.", ["93926-RT"]),
    # negative: a nonvascular ultrasound of a part
    ("US LEFT FOOT - plantar lump. 1.2 cm hypoechoic nodule in the plantar fascia. IMP: plantar fibroma.",
     ["76882-LT"]),
])
def test_limb_vessel_title_parts(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a FAST exam is a limited abdominal survey (76705); an extended FAST adds the chest (76604)
    ("ULTRASOUND FAST\nMVC, tachycardic.\nHepatorenal, splenorenal, pelvic and subxiphoid windows: no free fluid, "
     "no pericardial effusion.\nIMPRESSION: Negative FAST.", ["76705"]),
    ("EFAST - trauma bay, fall from height. RUQ, LUQ, pelvis and subcostal cardiac views negative for fluid. "
     "Anterior chest: lung sliding present bilaterally. IMP: negative eFAST, no pneumothorax.",
     ["76604", "76705"]),
    # negatives: a fast MRI sequence, a FAST named in a CT's history
    ("MRI BRAIN LIMITED (FAST BRAIN) WITHOUT CONTRAST\nHistory: shunt check.\nFast T2 sequences. Ventricles "
     "stable.\nIMPRESSION: Stable ventricular size.", ["70551"]),
    ("CT ABDOMEN AND PELVIS WITH CONTRAST\nHistory: MVC, FAST exam negative in the ED.\nTechnique: 100 mL IV "
     "contrast, portal venous phase.\nFindings: No solid organ injury.\nImpression: Negative.", ["74177"]),
])
def test_fast_exam(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a tendon, fascia or nerve of a limb is one specific structure: the limited study (76882)
    ("US LT PATELLAR TENDON - jumper's knee. Proximal patellar tendon thickened 8 mm with hypoechoic "
     "tendinopathy, no tear. IMP: patellar tendinopathy.", ["76882-LT"]),
    ("Ultrasound of the right ulnar nerve at the elbow.\nTingling in the 4th and 5th fingers. The ulnar nerve "
     "measures 13 mm2 in the cubital tunnel and subluxes on flexion.\nImpression: Ulnar neuropathy at the elbow.",
     ["76882-RT"]),
    ("US LEFT PLANTAR FASCIA\nIndication: heel pain.\nFindings: Plantar fascia 5.8 mm at the calcaneal origin, "
     "hypoechoic.\nIMP: plantar fasciitis.", ["76882-LT"]),
    # a complete joint survey the technique states stays complete beside a findings aside about something else
    ("US LEFT SHOULDER COMPLETE\nTECHNIQUE: Complete shoulder evaluation: biceps, subscapularis, supraspinatus, "
     "infraspinatus, teres minor, posterior recess and AC joint, with dynamic impingement testing.\nFINDINGS: "
     "Tendons intact. No effusion. Grip strength was not assessed.\nIMPRESSION: Normal shoulder.", ["76881-LT"]),
    # negative: the technique itself leaves part of the joint out
    ("US RIGHT SHOULDER COMPLETE\nTECHNIQUE: Complete shoulder evaluation was requested; the posterior recess and "
     "infraspinatus were not examined because the patient could not rotate.\nFINDINGS: Supraspinatus intact.\n"
     "IMPRESSION: No cuff tear anteriorly.", ["76882-RT"]),
])
def test_limb_structures_and_joint_survey(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a carotid title's run-on indication names the neck: no soft-tissue neck ultrasound; the side the
    # title says was not done is no side of the exam
    ("US CAROTID LTD - R neck bruit after R CEA - R CEA site PSV 80/20, no restenosis. L side not done. IMP "
     "patent R CEA.", ["93882-RT"]),
    ("CAROTID US LTD - left neck pain after left CEA. Left ICA PSV 85. Right side not done.", ["93882-LT"]),
    # negative: both sides
    ("US CAROTID DUPLEX BILATERAL\nBilateral CCA, ICA, ECA and vertebral arteries with color and spectral Doppler."
     "\nIMPRESSION: <50% ICA stenosis bilaterally.", ["93880"]),
])
def test_carotid_title_run_on(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
