"""Error classes of dev (stop 41, part dy_b: hospital ultrasound and vascular duplex) fixed with general
rules. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a limited study of both sides on a "unilateral or limited" duplex code keeps the project's convention for a
    # unilateral code done on both sides (one line with 50, tests/test_gold_data.py); one side stays sided
    ("CAROTID DUPLEX BILATERAL LIMITED\nIndication: dizziness.\nOnly the common carotid arteries could be "
     "examined on each side. Right CCA PSV 80 cm/s, left CCA PSV 76 cm/s.\nImpression: Limited study, normal "
     "common carotid flow.", ["93882-50"]),
    ("CAROTID DUPLEX RIGHT\nRight CCA, ICA and ECA with color and spectral Doppler. ICA PSV 70 cm/s.\n"
     "Impression: No stenosis.", ["93882-RT"]),
])
def test_limited_duplex_side_modifiers(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a leg arterial "Doppler" named with its physiologic study, the body only pressures and waveforms: the
    # physiologic study alone, no duplex scan (CODING_RULES §6, bill what was performed)
    ("BILATERAL LE ARTERIAL DOPPLER WITH ABI AND SEGMENTAL PRESSURES\nIndication: leg pain on walking.\n"
     "Brachial R 130 L 134. Upper thigh R 140 L 150, lower thigh R 120 L 148, calf R 100 L 140, ankle R 80 L 136. "
     "ABI R 0.60, L 1.01. Volume recordings dampened on the right below the thigh.\nIMP: Right-sided inflow "
     "and femoral disease.", ["93923"]),
    ("ARTERIAL DOPPLER LOWER EXTREMITIES WITH ABI\nAnkle pressures: right 90, left 120. Brachial 130. ABI right "
     "0.69, left 0.92. Ankle waveforms biphasic on the left, monophasic on the right.\nIMP: Moderate right PAD.",
     ["93922"]),
    # the imaging documented keeps the duplex
    ("ARTERIAL DOPPLER LOWER EXTREMITIES WITH ABI\nABI right 0.70, left 0.95.\nColor and spectral Doppler of the "
     "right and left CFA, SFA and popliteal arteries: SFA PSV 210 cm/s on the right, others normal.\nIMP: Right "
     "SFA stenosis.", ["93922", "93925"]),
])
def test_physiologic_doppler_title_without_duplex_imaging(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an aorta / IVC / iliac duplex confined to one vessel ("IVC only") or leaving one out ("not included") is
    # limited (93979, CODING_RULES §5 duplex complete vs limited)
    ("DUPLEX IVC\nIndication: filter check before retrieval.\nGrayscale and spectral Doppler of the IVC only. "
     "Filter patent without thrombus.\nImpression: Patent IVC filter.", ["93979"]),
    ("DUPLEX IVC\nIndication: filter check.\nGrayscale and spectral Doppler of the infrarenal IVC at the filter. "
     "The iliac veins were not included.\nImpression: Patent IVC filter.", ["93979"]),
    ("DUPLEX AORTA AND ILIAC ARTERIES\nGrayscale, color and spectral Doppler of the abdominal aorta and both "
     "common and external iliac arteries. Aorta 2.1 cm. No stenosis.\nImpression: Normal.", ["93978"]),
])
def test_aorta_ivc_iliac_duplex_confined(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "mesenteric" naming the fat or the lymph nodes of the mesentery is no mesenteric vessel: a color Doppler
    # look at a bowel lesion stays the limited abdominal ultrasound (76705), no organ duplex (93975 / 93976)
    ("Ultrasound for appendicitis.\n12 year old, right lower quadrant pain.\nRight lower quadrant scanned with graded "
     "compression: a 9 mm noncompressible appendix with echogenic mesenteric fat around it. Color Doppler shows "
     "hyperemia of the wall.\nImpression: Acute appendicitis.", ["76705"]),
    ("Ultrasound for abdominal pain.\n8 year old, fever.\nRight lower quadrant scanned with linear transducer: "
     "enlarged mesenteric lymph nodes up to 12 mm. Color Doppler shows increased flow in the nodes.\n"
     "Impression: Mesenteric adenitis.", ["76705"]),
])
def test_mesenteric_fat_is_no_vessel(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the indices and a duplex of one leg named in one title are two exams: 93922 + the leg's arterial duplex
    # (CODING_RULES §3 one code per service performed, §5 unilateral duplex)
    ("ABIS AND DUPLEX LEFT LEG\nIndication: rest pain left foot.\nAnkle-brachial indices: right 0.95, left 0.52. "
     "Ankle waveforms monophasic on the left.\nLeft leg arterial duplex: CFA triphasic, SFA 70% stenosis with PSV "
     "320 cm/s, popliteal monophasic.\nIMP: Left SFA stenosis.", ["93922", "93926-LT"]),
    # the indices alone, with the leg named: no duplex
    ("ABI BOTH LEGS\nAnkle-brachial indices: right 1.02, left 0.98. Triphasic ankle waveforms.\nIMP: Normal.",
     ["93922"]),
])
def test_indices_and_one_leg_duplex(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title naming the obstetric exam and the fetal Doppler over a report measuring the biometry: both exams,
    # the follow-up when the interval growth is re-measured (CODING_RULES §3, §6)
    ("OB US WITH UMBILICAL ARTERY DOPPLER\nHistory: 33 weeks, small for dates on the last scan.\nSingle live "
     "fetus, cephalic. BPD 8.1, HC 29.5, AC 26.0, FL 6.0. EFW 1700 g, 6th percentile. Interval growth since "
     "the scan 2 weeks ago is adequate. AFI 10 cm.\nUmbilical artery Doppler: S/D 3.0, PI 1.10.\n"
     "Impression: SGA fetus with normal umbilical artery Doppler.", ["76816", "76820"]),
    ("OB US WITH UMBILICAL ARTERY DOPPLER\nHistory: 24 weeks, single umbilical artery.\nSingle live fetus. "
     "BPD 6.0, HC 22.0, AC 19.5, FL 4.3. EFW 650 g, 40th percentile. AFI 14 cm.\nUmbilical artery Doppler: "
     "S/D 3.2.\nImpression: Normal growth.", ["76805", "76820"]),
    # the Doppler named alone stays the velocimetry
    ("UMBILICAL ARTERY DOPPLER\nHistory: 30 weeks, FGR, EFW 5th percentile last week.\nUmbilical artery "
     "Doppler: S/D 3.9, PI 1.45. End diastolic flow present.\nImpression: Elevated S/D ratio.", ["76820"]),
])
def test_ob_exam_beside_fetal_doppler(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an abdominal ultrasound whose report documents transvaginal images of the pelvis taken at the visit bills
    # the transvaginal study too (CODING_RULES §3, §6)
    ("US RIGHT LOWER QUADRANT - APPENDIX\nTransvaginal images of the ovaries were also obtained at the request "
     "of the ED.\nAppendix: normal, 5 mm, compressible.\nTransvaginal: Uterus normal. Left ovary with a 3 cm "
     "hemorrhagic cyst. Right ovary normal.\nIMPRESSION: Normal appendix. Left hemorrhagic ovarian cyst.",
     ["76705", "76830"]),
    # a transvaginal study only recommended adds nothing
    ("US RIGHT LOWER QUADRANT - APPENDIX\nAppendix: normal, 5 mm, compressible. No free fluid.\n"
     "IMPRESSION: Normal appendix. Consider transvaginal ultrasound if adnexal pain persists.", ["76705"]),
])
def test_abdomen_with_documented_transvaginal_pelvis(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the kidneys named after a limited abdomen and a joining word are the retroperitoneal exam of their own
    # (76705 + 76775; CODING_RULES §5: kidneys without bladder, aorta or nodes are the limited 76775)
    ("US ABDOMEN LIMITED AND KIDNEYS\nHX: flank pain\nRUQ: Gallbladder without stones. CBD 3 mm. Liver normal.\n"
     "Kidneys: Right 10.5 cm, left 11 cm, no hydronephrosis or stones.\nIMPRESSION: Normal.", ["76705", "76775"]),
    ("US ABD LTD + RENAL\nGallbladder: no stones, no wall thickening. Liver normal.\nRight kidney 10 cm, left "
     "kidney 11 cm, both without hydronephrosis.\nIMPRESSION: Normal.", ["76705", "76775"]),
])
def test_kidneys_after_limited_abdomen(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
