"""Error classes of the enlarged dev split in ultrasound, duplex, mammography and DXA (issue 13: the
retired calibration parts cal_bm..cal_bt, outside hand-written styles), fixed with general rules.
Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a venous reflux (insufficiency) study is a limb venous duplex, never a gastroesophageal reflux study
    ("VENOUS REFLUX STUDY RIGHT LEG\nIndication: varicose veins, pre-ablation.\nTechnique: Standing duplex with "
     "Valsalva and distal augmentation.\nFindings: SFJ incompetent, GSV reflux 3 s to the knee. No DVT.\n"
     "Impression: Right GSV incompetence.", ["93971-RT"]),
    ("Exam: Bilateral lower extremity vein reflux evaluation\nGreat and small saphenous veins of both legs "
     "interrogated standing. Left SSV reflux 1.8 s; right competent. Deep veins competent.\nImpression: Left SSV "
     "reflux.", ["93970"]),
    # the vascular lab's VLE (venous lower extremity) title
    ("VAS VLE LEFT - calf pain after flight. CFV to calf veins compressible, phasic flow. IMP no DVT.",
     ["93971-LT"]),
    # negatives: a gastroesophageal reflux study stays one
    ("NM GASTROESOPHAGEAL REFLUX STUDY\nTc-99m sulfur colloid in formula, 60 minutes of dynamic imaging.\n"
     "IMPRESSION: Three reflux episodes to the proximal esophagus.", ["78262"]),
])
def test_venous_reflux_and_vle_titles(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a groin duplex (access-site pseudoaneurysm check) is a limited lower extremity arterial duplex
    ("LEFT GROIN DUPLEX\nHx: femoral access for cardiac cath 2 days ago, new groin bruit.\nColor and spectral "
     "Doppler of the left CFA, SFA origin and CFV. No pseudoaneurysm or AV fistula; 2 cm hematoma.\nIMP: Small "
     "groin hematoma.", ["93926-LT"]),
    ("GROIN DOPPLER RT - R/O PSEUDOANEURYSM\nR CFA patent, 1.8 cm pseudoaneurysm with to-and-fro flow in the "
     "neck. IMP: right CFA pseudoaneurysm.", ["93926-RT"]),
])
def test_groin_duplex(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a complete abdominal survey whose technique names color Doppler only: the flow and waveforms it reports
    # are part of the survey, no duplex code (a duplex needs a spectral analysis named)
    ("EXAM: US ABDOMEN COMPLETE\nINDICATION: abnormal LFTs.\nTECHNIQUE: Grayscale and color Doppler imaging of the "
     "abdomen.\nFINDINGS:\nLiver: 16 cm, echogenic. Portal vein hepatopetal. Hepatic veins with triphasic "
     "waveforms.\nGallbladder: normal. CBD: 3 mm. Pancreas: normal. Spleen: 10 cm. Kidneys: right 11 cm, left "
     "11.3 cm, normal. IVC: patent. Aorta: 1.8 cm.\nIMPRESSION: Hepatic steatosis.", ["76700"]),
    ("US RUQ\nTechnique: gray-scale and color flow imaging of the right upper quadrant.\nFindings: Liver normal. "
     "Main portal vein patent with normal waveform. Gallbladder without stones. CBD 4 mm.\nImpression: Normal.",
     ["76705"]),
    # negatives: a spectral analysis named keeps its duplex code
    ("EXAM: US LIVER WITH DOPPLER\nTECHNIQUE: Grayscale, color and spectral Doppler of the liver.\nFINDINGS: "
     "Cirrhotic liver. Main portal vein hepatopetal, 22 cm/s. Hepatic veins patent.\nIMPRESSION: Cirrhosis, "
     "patent portal vein.", ["76705", "93976"]),
])
def test_color_doppler_survey_adds_no_duplex(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a one-line renal report: the findings the title runs on into document the kidneys and the bladder
    ("US KIDNEYS AND BLADDER: both kidneys normal in size (R 11.0, L 11.4), no hydronephrosis or stones; bladder "
     "well distended, normal wall. Hx UTI, 40M. Normal.", ["76770"]),
    ("RENAL US W BLADDER: kidneys 10.5 and 10.9 cm, normal echogenicity, no hydro; bladder normal, PVR 30 mL. "
     "Hematuria. Normal study.", ["76770"]),
    ("US KIDNEYS + BLADDER - hx UTI. Rt kid 10 cm, Lt kid 10.4 cm, no hydro. Bladder distended, normal wall. IMP nl.",
     ["76770"]),
    # an empty bladder (no catheter in it) was not assessed: kidneys alone are the limited study
    ("EXAM: US RENAL\nHISTORY: CKD.\nTECHNIQUE: Both kidneys imaged in two planes.\nFINDINGS: Right kidney 9.8 cm, "
     "left kidney 10.1 cm, echogenic. No hydronephrosis. The bladder is empty, having just voided.\nIMPRESSION: "
     "Medical renal disease.", ["76775"]),
    # negatives: a bladder decompressed around a Foley catheter was seen
    ("EXAM: US RENAL BLADDER\nHISTORY: AKI.\nFINDINGS: Right kidney 11 cm, left kidney 11.5 cm, no hydronephrosis. "
     "Bladder decompressed around a Foley catheter.\nIMPRESSION: No obstruction.", ["76770"]),
    ("US RENAL: LIMITED", ["76775"]),
])
def test_renal_one_line_and_empty_bladder(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a VFA the title orders but the report says was not done is not billed (CODING_RULES §6)
    ("EXAM: DXA AXIAL WITH VFA\nHISTORY: On aromatase inhibitor.\nTECHNIQUE: AP spine L1-L4 and right hip. "
     "VFA was ordered but not performed because the patient could not lie on her side.\nRESULTS: L1-L4 T -1.9, "
     "right femoral neck T -2.1.\nIMPRESSION: Osteopenia.", ["77080"]),
    ("BONE DENSITOMETRY DXA + VFA\nTechnique: Lumbar spine and left hip; lateral VFA ordered but not performed "
     "(scanner software unavailable).\nImpression: Normal bone density.", ["77080"]),
    # a VFA suggested for a later visit is no part of this one
    ("EXAM: DXA BONE DENSITY\nTECHNIQUE: PA spine and left hip.\nRESULTS: L1-L4 T-score -2.6. Femoral neck T-score "
     "-2.0.\nIMPRESSION: Osteoporosis.\nAddendum: measured height 158 cm, a 4 cm loss that supports adding a VFA at "
     "the next visit.", ["77080"]),
    ("DXA CENTRAL\nSpine and right hip scanned. L1-L4 T -1.1, femoral neck T -1.6.\nImpression: Osteopenia. "
     "Vertebral fracture assessment at the next examination is advised given kyphosis.", ["77080"]),
    # negatives: a VFA done is billed with the axial study
    ("EXAM: DXA AXIAL WITH VFA\nTECHNIQUE: AP spine, left hip and lateral VFA T4-L4.\nRESULTS: L1-L4 T -1.2. No "
     "vertebral fracture.\nIMPRESSION: Osteopenia.", ["77085"]),
])
def test_vfa_not_done_or_later(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the limb a vessel study names in a one-line report is where the study was done, no extremity ultrasound
    ("US DIALYSIS ACCESS LT UPPER ARM FISTULA - poor flows on dialysis. Inflow 190 cm/s, anastomosis 420 cm/s, outflow "
     "vein patent, volume flow 480 mL/min. IMP juxta-anastomotic stenosis.", ["93990"]),
    ("ABI/PVR BILATERAL - resting ABI right 0.92 left 0.88, monophasic ankle waveforms, brachial 140/138. IMP mild "
     "PAD bilaterally.", ["93922"]),
])
def test_limb_of_vessel_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an "Order on requisition:" line under the title is the order, not a second title: the performed study bills
    ("OB US FOLLOW-UP GROWTH\nOrder on requisition: US OB DETAILED FETAL ANATOMY.\nG2 at 30w2d, growth check; the "
     "detailed anatomy was done at 20 weeks. Single live fetus, cephalic. BPD 7.8, HC 28.5, AC 26.9, FL 5.8 cm. EFW "
     "1,560 g (45th %ile). AFI 14 cm.\nIMP: Appropriate interval growth.", ["76816"]),
    ("US PELVIS TRANSVAGINAL\nRequisition order: US PELVIS COMPLETE TRANSABDOMINAL AND TRANSVAGINAL\nTransvaginal "
     "images only. Uterus 7.9 cm, endometrium 5 mm. Ovaries normal.\nIMPRESSION: Normal.", ["76830"]),
])
def test_requisition_order_line(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
