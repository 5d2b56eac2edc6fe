"""Error classes of the enlarged dev split in ultrasound, duplex and nuclear medicine (issue 12: the
calibration parts cal_w..cal_ae that joined it), fixed with general rules. Reports written for these
tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types


@pytest.mark.parametrize(("text", "expected"), [
    # a pipe-delimited export: the title is its first field, the patient and findings follow
    ("US ABD LTD RUQ | 41F RUQ PN, FEVER | GB DISTENDED W/ STONE IMPACTED IN NECK, WALL 5 MM. CBD 4 MM. "
     "IMP: ACUTE CHOLECYSTITIS", ["76705"]),
    ("US RUQ | 58 yo F RUQ pain | Gallbladder neck stone, no wall thickening. CBD 3 mm. Liver normal. "
     "IMP: cholelithiasis.", ["76705"]),
    # a history word before the age ("hx 32M R scrotal pain": not an MR)
    ("US SCROTUM W DOPPLER  hx 32M R scrotal pain. Grayscale + color Doppler. R epididymis hyperemic. "
     "IMP: R epididymitis.", ["76870"]),
    ("US THYROID | 45F neck mass | R lobe 1.8 cm TR4 nodule. IMP: FNA recommended.", ["76536"]),
])
def test_one_line_title_ends_before_the_patient(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a dictation with no punctuation spoken: the first header word ends the title, so the
    # gallbladder's neck or the echo texture in the findings name no exam
    ("ultrasound abdomen complete history right upper quadrant pain the liver is normal in echo texture no "
     "mass gallbladder with a 2 cm stone impacted in the neck common duct 5 mm pancreas unremarkable spleen "
     "10 cm right kidney 11 cm left kidney 11 cm ivc and aorta normal impression cholelithiasis", ["76700"]),
    ("ultrasound right upper quadrant indication right upper quadrant pain the liver is normal in echo "
     "texture the gallbladder contains sludge and a stone in the neck the common duct measures 4 mm "
     "impression cholelithiasis without cholecystitis", ["76705"]),
    # a header word in prose does not cut the title ("history of"): the thyroid is the exam
    ("ultrasound thyroid history palpable nodule the right lobe contains a 2 cm solid nodule in the lower "
     "pole the left lobe is normal no cervical adenopathy impression right thyroid nodule", ["76536"]),
])
def test_unpunctuated_dictation_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a transabdominal and a transvaginal pelvis (two frames of one organ study) with arterial and
    # venous spectral Doppler of the ovaries: the complete organ duplex (the ovaries' veins are its outflow)
    ('EXAM: US PELVIS COMPLETE TRANSABDOMINAL AND TRANSVAGINAL\nHISTORY: Acute right pelvic pain, r/o torsion.\nTECHNIQUE: Transabdominal and endovaginal imaging of the pelvis. Spectral Doppler of both ovaries with arterial and venous waveforms.\nFINDINGS: Uterus 8 cm, endometrium 6 mm. Right ovary 4 cm with a 2.5 cm corpus luteum; arterial and venous waveforms present. Left ovary normal with arterial and venous flow.\nIMPRESSION: No torsion.',
     ["76830", "76856", "93975"]),
    ('EXAM: US PELVIS TRANSVAGINAL\nHISTORY: Left pelvic pain.\nTECHNIQUE: Transvaginal sonography only, with color and pulsed Doppler waveforms of each ovary, arterial and venous.\nFINDINGS: Uterus normal. Left ovary 3.8 cm with a hemorrhagic cyst, arterial and venous waveforms preserved. Right ovary normal.\nIMPRESSION: Hemorrhagic left ovarian cyst, no torsion.',
     ["76830", "93975"]),
    # color Doppler alone adds no duplex
    ('EXAM: US PELVIS TRANSABDOMINAL AND TRANSVAGINAL\nHISTORY: Pelvic pain.\nTECHNIQUE: Transabdominal and transvaginal grayscale imaging with color Doppler of the ovaries.\nFINDINGS: Uterus normal. Both ovaries normal with color flow.\nIMPRESSION: Normal.',
     ["76830", "76856"]),
    # arterial waveforms only, the venous ones not sampled: limited
    ('EXAM: US PELVIS TRANSABDOMINAL AND TRANSVAGINAL WITH DOPPLER\nHISTORY: Right pelvic pain.\nTECHNIQUE: Transabdominal and transvaginal imaging. Arterial spectral waveforms of both ovaries; venous waveforms were not sampled.\nFINDINGS: Uterus normal. Right ovary 3 cm with normal arterial waveforms. Left ovary normal.\nIMPRESSION: No sonographic sign of torsion.',
     ["76830", "76856", "93976"]),
    # a vessel the report says it did not record is no part of the extent
    ('EXAM: US SCROTUM WITH DOPPLER\nHISTORY: Right testicular pain.\nTECHNIQUE: Grayscale and spectral Doppler of both testes. Arterial waveforms obtained bilaterally; venous waveforms were not recorded.\nFINDINGS: Testes normal in size with symmetric arterial flow. Right epididymis enlarged.\nIMPRESSION: Right epididymitis.',
     ["76870", "93976"]),
    ('EXAM: US SCROTUM WITH DOPPLER\nHISTORY: Left testicular pain.\nTECHNIQUE: Grayscale, color and spectral Doppler of both testes, with arterial and venous waveforms.\nFINDINGS: Testes normal with symmetric arterial and venous flow. No varicocele.\nIMPRESSION: Normal.',
     ["76870", "93975"]),
])
def test_ovarian_and_testicular_spectral_doppler(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a negation inside a parenthesis is about the aside, not the approach or contrast before it
    ("EXAM: US OB <14 WKS TRANSVAGINAL\nTECHNIQUE: Transvaginal sonography (transabdominal images not obtained).\n"
     "FINDINGS: Single intrauterine gestational sac with yolk sac.", ["76817"]),
    ("EXAM: US OB <14 WKS\nTECHNIQUE: Transvaginal sonography only (transabdominal images not obtained).\n"
     "FINDINGS: Single intrauterine gestational sac with yolk sac.", ["76817"]),
    ("EXAM: US PELVIS\nTECHNIQUE: Endovaginal imaging (transabdominal views not performed, patient unable to "
     "fill bladder).\nFINDINGS: Uterus normal. Ovaries normal.", ["76830"]),
    ("EXAM: CT ABDOMEN AND PELVIS\nTECHNIQUE: Axial images after 100 mL Omnipaque 350 intravenously (oral "
     "contrast not given).\nFINDINGS: Normal appendix.", ["74177"]),
    # an aside that is the cue alone is about the mention before it
    ("CT HEAD WO\nCT CERVICAL SPINE WO (NOT PERFORMED)\nFINDINGS: No hemorrhage.", ["70450"]),
    # the aside closed before the cue: the cue is about the mention
    ("EXAM: CT ABDOMEN AND PELVIS\nTECHNIQUE: Axial images. Intravenous contrast (Omnipaque) was not "
     "administered.\nFINDINGS: Normal appendix.", ["74176"]),
])
def test_negation_inside_an_aside(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected", "conflict"), [
    # the other side's vessel sampled only to compare with does not make the study bilateral
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITY\nTECHNIQUE: Compression, color and spectral Doppler of "
     "the LEFT lower extremity deep veins from the common femoral to the calf veins, with the right common "
     "femoral vein only for waveform comparison.\nFINDINGS: Left popliteal DVT. Right CFV phasic flow.\n"
     "IMPRESSION: Left popliteal DVT.", ["93971-LT"], True),
    ("EXAM: US VENOUS DUPLEX LOWER EXTREMITY\nTECHNIQUE: Duplex of the right leg deep veins from the groin to "
     "the calf; spectral waveform of the left common femoral vein for symmetry.\nFINDINGS: No DVT.\n"
     "IMPRESSION: No right DVT.", ["93971-RT"], False),
    ("EXAM: US VENOUS DUPLEX BILATERAL UPPER EXTREMITY\nTECHNIQUE: Grayscale, color and spectral Doppler of the "
     "right upper extremity veins; left subclavian vein waveform for comparison only.\nFINDINGS: Right basilic "
     "vein thrombus.\nIMPRESSION: Superficial thrombophlebitis.", ["93971-RT"], True),
    ("EXAM: ARTERIAL DUPLEX LOWER EXTREMITY\nTECHNIQUE: Color and spectral Doppler of the left common femoral "
     "to the tibial arteries. Right common femoral artery waveform obtained for comparison.\nFINDINGS: Left "
     "SFA occlusion.\nIMPRESSION: Left SFA occlusion.", ["93926-LT"], False),
    # both sides examined and compared with each other: bilateral
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITIES\nTECHNIQUE: Compression and spectral Doppler of both "
     "lower extremity deep veins; right and left common femoral vein waveforms compared for symmetry.\n"
     "FINDINGS: No DVT.\nIMPRESSION: No DVT.", ["93970"], False),
])
def test_contralateral_vessel_for_comparison(sg, text, expected, conflict):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert ("title_technique_conflict" in flag_types(rec)) == conflict


@pytest.mark.parametrize(("text", "expected"), [
    # "limited grayscale" is the extent of the B-mode images, not of the duplex
    ("EXAM: US TIPS DOPPLER EVALUATION\nTECHNIQUE: Color and spectral Doppler of the main portal vein, TIPS stent "
     "(portal end, mid, hepatic end), hepatic artery and hepatic veins. Limited grayscale of the liver.\n"
     "FINDINGS: Main portal vein hepatopetal, 38 cm/s. Stent velocities 118-132 cm/s. Hepatic artery PSV "
     "110 cm/s. Hepatic veins patent.\nIMPRESSION: Patent TIPS.", ["93975"]),
    ("EXAM: US TIPS DOPPLER LIMITED\nTECHNIQUE: Color and spectral Doppler of the TIPS stent and main portal "
     "vein.\nFINDINGS: Stent velocities 100-140 cm/s. Portal vein hepatopetal.\nIMPRESSION: Patent TIPS.",
     ["93976"]),
    # an aorta / IVC / iliac duplex that says a part was not examined is limited
    ("EXAM: US IVC DUPLEX\nTECHNIQUE: Grayscale, color and spectral Doppler of the infrarenal IVC and filter. "
     "Iliac veins and aorta not examined.\nFINDINGS: No filter thrombus. Patent IVC.\nIMPRESSION: Patent IVC.",
     ["93979"]),
    ("EXAM: DUPLEX AORTA\nTECHNIQUE: Color and spectral Doppler of the abdominal aorta; the IVC and iliac "
     "arteries were not evaluated.\nFINDINGS: Aorta 2.1 cm, no aneurysm.\nIMPRESSION: Normal.", ["93979"]),
    ("EXAM: DUPLEX AORTA AND ILIACS\nTECHNIQUE: Color and spectral Doppler of the abdominal aorta and both "
     "common and external iliac arteries.\nFINDINGS: Aorta 2.1 cm. Iliac arteries patent.\nIMPRESSION: Normal.",
     ["93978"]),
])
def test_duplex_extent_statements(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a limited bone scan of multiple areas is the multiple-area code, one area the limited one
    ("NM BONE SCAN LIMITED - MULTIPLE AREAS\nDelayed static images of both lower legs and both feet at 3 hours. "
     "No whole body or flow images.\nImpression: Right tibial stress fracture.", ["78305"]),
    ("EXAM: NM BONE IMAGING LIMITED MULTIPLE AREAS\nTECHNIQUE: Spot images of the pelvis and both knees after "
     "20 mCi Tc-99m MDP.\nIMPRESSION: Degenerative uptake.", ["78305"]),
    ("NM BONE LTD MULT AREAS", ["78305"]),
    ("EXAM: NM BONE SCAN LIMITED\nTECHNIQUE: Spot images of the right foot after 20 mCi Tc-99m MDP.\n"
     "IMPRESSION: Second metatarsal stress fracture.", ["78300"]),
])
def test_limited_bone_scan_of_multiple_areas(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a baseline study and an ACE-inhibitor study: two studies with the intervention (78709)
    ("EXAM: NM RENAL SCAN - CAPTOPRIL RENOGRAM (BASELINE AND ACE INHIBITOR)\nTechnique: Day 1: 50 mg oral "
     "captopril, then 5 mCi Tc-99m MAG3 with flow and 30-minute dynamic imaging. Day 2: baseline study without "
     "captopril, 10 mCi Tc-99m MAG3, same acquisition.\nImpression: High probability of left renovascular "
     "hypertension.", ["78709"]),
    ("EXAM: NM RENOGRAM WITH CAPTOPRIL\nTechnique: Baseline Tc-99m MAG3 renogram with flow, then a second study "
     "1 hour after 25 mg oral captopril.\nImpression: Low probability of renovascular hypertension.", ["78709"]),
    ("EXAM: NM RENOGRAM ACE INHIBITOR\nTechnique: Enalaprilat 0.04 mg/kg IV, then 10 mCi MAG3 with flow and 30 "
     "minute dynamic images. A second acquisition the next day without enalaprilat served as the baseline.\n"
     "Impression: Normal.", ["78709"]),
    # the ACE-inhibitor study alone, a baseline only proposed: one study with the intervention (78708)
    ("EXAM: NM RENAL FLOW AND FUNCTION\nTechnique: 10 mCi Tc-99m MAG3 with flow and dynamic imaging one hour "
     "after oral captopril. A baseline study will be performed if abnormal.\nImpression: Normal captopril "
     "renogram.", ["78708"]),
])
def test_renogram_baseline_and_ace_inhibitor(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # SPECT/CT of two or more areas on the day of the whole-body planar scan: 78306 + 78832
    ("EXAM: NM BONE WHOLE BODY + SPECT/CT THORACIC AND LUMBAR SPINE\nTECHNIQUE: 25 mCi Tc-99m MDP. Whole body "
     "planar imaging at 3 hours followed by SPECT/CT of two separate fields of view (thoracic spine; lumbar spine "
     "and pelvis) on the same day.\nIMPRESSION: Lytic T8 metastasis.", ["78306", "78832"]),
    ("EXAM: NM BONE SCAN WHOLE BODY WITH SPECT/CT\nTECHNIQUE: Whole body planar images, then SPECT/CT of the "
     "chest and of the pelvis.\nIMPRESSION: No metastases.", ["78306", "78832"]),
    ("EXAM: NM BONE SCAN WHOLE BODY WITH SPECT/CT\nTECHNIQUE: Whole body planar images, then SPECT/CT of 2 "
     "areas (skull and pelvis).\nIMPRESSION: No metastases.", ["78306", "78832"]),
    ("EXAM: NM OCTREOTIDE SCAN WITH SPECT/CT\nTECHNIQUE: 6 mCi In-111 pentetreotide. Planar whole body images at "
     "4 and 24 hours; SPECT/CT of the chest and of the abdomen at 24 hours.\nIMPRESSION: No avid disease.",
     ["78804", "78832"]),
    # one area: the single-area code
    ("EXAM: NM BONE SCAN WHOLE BODY WITH SPECT/CT\nTECHNIQUE: Whole body planar images, then SPECT/CT of the "
     "lumbar spine and pelvis (single field of view).\nIMPRESSION: Facet arthropathy.", ["78306", "78830"]),
    ("EXAM: NM BONE SCAN WHOLE BODY WITH SPECT/CT\nTECHNIQUE: Whole body planar images, then SPECT/CT of the "
     "lumbar spine.\nIMPRESSION: Facet arthropathy.", ["78306", "78830"]),
])
def test_spect_of_two_or_more_areas(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # ankle-brachial indices at rest, then after treadmill exercise: the exercise study (93924)
    ("EXAM: ABI WITH TREADMILL EXERCISE\nTechnique: Resting bilateral ankle-brachial indices followed by treadmill "
     "exercise (2 mph, 12% grade) and post-exercise ABIs at 1, 3, 5 minutes.\nFindings: Resting ABI 1.04 R, 1.01 L. "
     "Post-exercise ABI R 0.96, L 0.52.\nImpression: Left claudication.", ["93924"]),
    ("EXAM: ANKLE BRACHIAL INDEX REST AND EXERCISE\nTechnique: Bilateral ABIs at rest and after 5 minutes of walking "
     "on a treadmill.\nFindings: Rest 0.95 bilaterally; post exercise 0.70 R, 0.92 L.\nImpression: Right exertional "
     "drop.", ["93924"]),
    # no exercise done: the resting indices (93922)
    ("EXAM: ABI LIMITED\nTechnique: Bilateral resting ankle-brachial indices only. Exercise testing was not "
     "performed.\nFindings: ABI 0.9 R, 0.92 L.\nImpression: Mild PAD.", ["93922"]),
])
def test_ankle_brachial_indices_with_exercise(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an organ named on its own beside its vessels' Doppler: the organ ultrasound and its duplex
    ("EXAM: US RENAL WITH RENAL ARTERY DOPPLER\nTECHNIQUE: Grayscale imaging of both kidneys and the bladder. Color "
     "and spectral Doppler of the main renal arteries and both renal veins.\nFINDINGS: Kidneys normal. Bladder "
     "normal. Renal artery PSV 96 cm/s. Renal veins patent.\nIMPRESSION: No renal artery stenosis.",
     ["76770", "93975"]),
    ("EXAM: US KIDNEYS AND RENAL ARTERY DUPLEX\nTECHNIQUE: Grayscale imaging of both kidneys and the bladder. Color "
     "and spectral Doppler of the main renal arteries and both renal veins.\nFINDINGS: Kidneys normal. Bladder "
     "normal. Renal artery PSV 96 cm/s. Renal veins patent.\nIMPRESSION: No renal artery stenosis.",
     ["76770", "93975"]),
    ("EXAM: US LIVER WITH PORTAL VEIN DOPPLER\nTECHNIQUE: Grayscale images of the liver. Color and spectral Doppler "
     "of the portal vein, hepatic artery and hepatic veins.\nFINDINGS: Liver normal. Portal vein hepatopetal 25 "
     "cm/s. Hepatic artery RI 0.7. Hepatic veins patent.\nIMPRESSION: Normal.", ["76705", "93975"]),
    # the vessels alone, or a vessel (the aorta) beside them: the duplex only
    ("EXAM: US RENAL ARTERY DOPPLER\nTECHNIQUE: Color and spectral Doppler of the main renal arteries and both "
     "renal veins.\nFINDINGS: Renal artery PSV 96 cm/s. Renal veins patent.\nIMPRESSION: No renal artery "
     "stenosis.", ["93975"]),
    ("US AORTA/IVC/ILIAC DUPLEX - LIMITED\nHx: R iliac stent.\nR CIA and EIA only: stent patent, PSV 180 in "
     "proximal stent.\nIMP: Patent R iliac stent.", ["93979"]),
])
def test_organ_ultrasound_with_its_vessels_doppler(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "not done" after a component withdraws it, as "not performed" does
    ("US TV PELVIS (TV only, TA not done): ET 4 mm. R ov 2.1 cm nl. L ov 3.3 cm simple cyst 2.2 cm. no FF. "
     "IMP simple L ov cyst, no f/u needed", ["76830"]),
    ("EXAM: US PELVIS\nTECHNIQUE: Transvaginal imaging; transabdominal imaging not done due to empty bladder.\n"
     "FINDINGS: Uterus normal. Ovaries normal.", ["76830"]),
    ("EXAM: CT HEAD\nTECHNIQUE: Axial images without contrast. Post-contrast images not done.\nFINDINGS: No "
     "hemorrhage.", ["70450"]),
    ("EXAM: XR KNEE RIGHT\nTECHNIQUE: AP and lateral views; sunrise view not done.\nFINDINGS: No fracture.",
     ["73560-RT"]),
    # said of another component: the approach done stays
    ("US PELVIS TV. TA not done (pt could not fill bladder). Uterus 7 cm, ET 5 mm. Ovaries nl. IMP nl.", ["76830"]),
])
def test_component_not_done(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a cue after "with ..." is about what came with the anatomy, not the anatomy imaged
    ("ED PRELIMINARY - CT KNEE LEFT WO\n38M fall from roof, L knee.\nTech: Noncon axial L knee w/ cor/sag and 3D "
     "not done.\nFindings: Tibial plateau fx.\nPrelim: Schatzker VI L tibial plateau fx.", ["73700-LT"]),
    ("CT ANKLE RIGHT WO\nTech: Noncon axial R ankle w/ cor/sag and 3D not performed.\nFindings: Trimalleolar "
     "fracture.", ["73700-RT"]),
])
def test_cue_after_with_is_about_the_accompaniment(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def test_hypothetical_cue_after_with_is_about_the_whole_phrase(sg):
    # "repeat PA with nipple markers if clinically indicated": the PA view is proposed, not documented
    rec = sg.suggest("Comparison: None. Indication: Shortness of breath. Findings: The heart is normal in size. "
                     "There is a small rounded density in the right lower lung, likely a nipple shadow. No "
                     "effusion. Impression: 1. No acute disease. 2. Probable right nipple shadow; repeat PA with "
                     "nipple markers if clinically indicated.")
    assert codes(rec) == ["71045"]
    assert "views_not_documented" in flag_types(rec)


@pytest.mark.parametrize(("text", "expected"), [
    # a screening exam the report says was converted to a diagnostic one: the diagnostic code, flagged
    ("EXAM:  SCREENING MAMMOGRAM BILATERAL  HISTORY:  Patient reports a new palpable lump in the right breast at 9 "
     "o'clock, present for 3 weeks.  COMPARISON:  None.  FINDINGS:  Bilateral CC and MLO views and a spot "
     "compression view over the palpable marker in the right breast were obtained; the exam was converted to "
     "diagnostic by the radiologist.  Irregular mass at the right 9 o'clock position.  IMPRESSION:  Suspicious "
     "right breast mass, BI-RADS 4C.", ["77066"]),
    ("EXAM: SCREENING MAMMOGRAM BILATERAL\nHISTORY: Routine screening.\nFINDINGS: Bilateral CC and MLO views. The "
     "study was converted to a diagnostic examination because the patient reported a lump. Spot compression views "
     "of the left breast were obtained.\nIMPRESSION: BI-RADS 2.", ["77066"]),
    ("EXAM: MAMMO SCREENING BILATERAL\nHISTORY: Annual screening, asymptomatic.\nFINDINGS: Scattered "
     "fibroglandular density. No suspicious findings.\nIMPRESSION: BI-RADS 1.", ["77067"]),
])
def test_screening_converted_to_diagnostic(sg, text, expected):
    rec = sg.suggest(text)
    assert codes(rec) == expected
    assert ("title_technique_conflict" in flag_types(rec)) == (expected == ["77066"])


@pytest.mark.parametrize(("text", "expected"), [
    # two exams joined by "and", the side written once after the second: both on that side
    ("Examination: Diagnostic mammogram and ultrasound, right breast\nHistory: Palpable lump in the right breast.\n"
     "Right CC, MLO and spot compression views. Targeted ultrasound of the right breast at 10 o'clock shows a "
     "1.7 cm mass.\nImpression: BI-RADS 5.", ["76642-RT", "77065-RT"]),
    ("Examination: Diagnostic mammogram and ultrasound of the left breast\nHistory: Palpable lump in the left "
     "breast.\nLeft CC, MLO and spot compression views. Targeted ultrasound of the left breast at 2 o'clock shows "
     "a cyst.\nImpression: BI-RADS 2.", ["76642-LT", "77065-LT"]),
    # the first exam with a side of its own keeps it
    ("EXAM: DIAGNOSTIC MAMMOGRAM BILATERAL AND ULTRASOUND RIGHT BREAST\nHistory: Palpable lump in the right "
     "breast.\nBilateral CC and MLO views. Targeted ultrasound of the right breast at 10 o'clock shows a cyst.\n"
     "Impression: BI-RADS 2.", ["76642-RT", "77066"]),
])
def test_side_after_two_joined_exams(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a complete joint title whose report says the other parts were not evaluated: limited (76882)
    ("EXAM: US LEFT KNEE COMPLETE\nCLINICAL HISTORY: Posterior left knee fullness.\nTECHNIQUE: Ultrasound of the "
     "posterior left knee (popliteal fossa) only. The anterior, medial and lateral compartments, tendons and "
     "ligaments were not evaluated.\nFINDINGS: 5.8 cm Baker cyst.\nIMPRESSION: Complex Baker cyst.", ["76882-LT"]),
    ("EXAM: US RIGHT ELBOW COMPLETE\nTECHNIQUE: Ultrasound of the common extensor tendon origin. The medial, "
     "anterior and posterior compartments were not assessed.\nFINDINGS: Tendinosis with a partial tear.\n"
     "IMPRESSION: Lateral epicondylitis.", ["76882-RT"]),
    # the other limb not evaluated: the complete study stays
    ("EXAM: US RIGHT SHOULDER COMPLETE\nTECHNIQUE: Ultrasound of the biceps, subscapularis, supraspinatus, "
     "infraspinatus and teres minor tendons, AC joint and posterior recess.\nFINDINGS: Full-thickness "
     "supraspinatus tear. The left shoulder was not evaluated.\nIMPRESSION: Supraspinatus tear.", ["76881-RT"]),
])
def test_joint_parts_not_evaluated(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the axilla scanned alone: a limited soft-tissue ultrasound of the limb girdle (76882)
    ("EXAM: US AXILLA LEFT\nCLINICAL INDICATION: Palpable left axillary lump, no breast symptoms.\nTECHNIQUE: "
     "Targeted ultrasound of the left axilla. The breast was not scanned.\nFINDINGS: Two enlarged left level I "
     "axillary lymph nodes, the larger 2.2 cm.\nIMPRESSION: Abnormal left axillary lymph nodes. BI-RADS 4B.",
     ["76882-LT"]),
    ("EXAM: ULTRASOUND RIGHT AXILLA\nHISTORY: Tender right axillary swelling.\nFINDINGS: 3 cm complex fluid "
     "collection in the right axilla.\nIMPRESSION: Axillary abscess.", ["76882-RT"]),
    # with the breast: the breast ultrasound includes the axilla
    ("EXAM: US RIGHT BREAST AND AXILLA\nTECHNIQUE: Targeted ultrasound of the right breast at 10 o'clock and the "
     "right axilla.\nFINDINGS: 1.2 cm cyst. Normal axillary nodes.\nIMPRESSION: BI-RADS 2.", ["76642-RT"]),
    ("EXAM: XR CHEST 2V\nFINDINGS: Clear lungs. Surgical clips in the left axilla.\nIMPRESSION: No acute disease.",
     ["71046"]),
])
def test_axilla_alone(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a PET/CT title with its extent, then a CT behind a separator: a diagnostic CT of its own; the PET's
    # low-dose attenuation CT is no low-dose chest CT
    ("EXAMS: PET/CT SKULL BASE TO THIGH; CT CHEST WITH CONTRAST\nHISTORY: Hodgkin lymphoma, interim assessment.\n"
     "TECHNIQUE: 11 mCi F-18 FDG, PET with low-dose CT attenuation correction from skull base to mid-thigh. "
     "Subsequently a separate diagnostic CT of the chest after 75 mL Omnipaque 350 IV.\nFINDINGS: Residual "
     "mediastinal soft tissue.\nIMPRESSION: Complete metabolic response.", ["71260", "78815"]),
    ("EXAMS: PET/CT SKULL BASE TO THIGH; CT CHEST WITHOUT CONTRAST\nTECHNIQUE: FDG PET with low-dose CT for "
     "attenuation correction, then a separate full-dose diagnostic CT of the chest without contrast.\n"
     "IMPRESSION: No FDG-avid disease.", ["71250", "78815"]),
    ("EXAM: PET/CT WHOLE BODY; CT NECK WITH CONTRAST\nTECHNIQUE: FDG PET/CT with low-dose CT. Then a CT of the "
     "neck after 75 mL Omnipaque 350 IV.\nIMPRESSION: Normal.", ["70491", "78816"]),
    # the PET's own CT named with it: one exam
    ("EXAM: PET SKULL BASE TO MID THIGH WITH CT\nTECHNIQUE: FDG PET with low-dose CT for attenuation correction "
     "and localization.\nIMPRESSION: No FDG-avid disease.", ["78815"]),
])
def test_diagnostic_ct_after_a_pet_ct(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a hybrid PET/MR names its area once, after the MR: the PET-only limited area and the MR
    ("EXAM: PSMA PET/MRI PELVIS\nTECHNIQUE: 5 mCi Ga-68 PSMA-11 IV. Simultaneous PET/MRI of the pelvis, single bed "
     "position. MR-based attenuation correction; no CT was performed. MRI: T2, DWI, pre-contrast T1 and dynamic "
     "contrast-enhanced T1 after 7.5 mL gadoterate.\nIMPRESSION: PI-RADS 5 lesion.", ["72197", "78811"]),
    ("EXAM: PET-MR PELVIS WITHOUT CONTRAST\nTECHNIQUE: FDG PET-MR of the pelvis with MR attenuation correction. No "
     "CT was performed. Non-contrast MRI sequences.\nIMPRESSION: No disease.", ["72195", "78811"]),
    # the hybrid's attenuation correction is MR-based: no CT
    ("EXAM: PET/MRI PELVIS\nTECHNIQUE: FDG PET/MRI of the pelvis with MR-based attenuation correction. T2 and "
     "diffusion-weighted MRI without contrast.\nIMPRESSION: No disease.", ["72195", "78811"]),
    # a PET limited to the pelvis: the limited area, not skull base to mid-thigh
    ("EXAM: PET LIMITED AREA (PELVIS)\nTECHNIQUE: Ga-68 PSMA PET of the pelvis.\nIMPRESSION: Normal.", ["78811"]),
])
def test_hybrid_pet_mr(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the transvaginal approach is how a sonohysterogram is done: 76831 alone
    ("EXAM: SALINE INFUSION SONOHYSTEROGRAM\nTECHNIQUE: A balloon catheter was placed into the endometrial cavity "
     "and sterile saline was instilled under transvaginal ultrasound observation.\nFINDINGS: 1.2 cm endometrial "
     "polyp.\nIMPRESSION: Polyp.", ["76831"]),
    ("EXAM: SONOHYSTEROGRAM\nTECHNIQUE: Saline was instilled under transvaginal ultrasound observation.\n"
     "FINDINGS: Normal cavity.", ["76831"]),
    ("EXAM: US PELVIS TRANSVAGINAL\nFINDINGS: Normal uterus and ovaries.", ["76830"]),
])
def test_sonohysterogram_through_the_transvaginal_approach(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "tunneled" is no misspelt tunnel view, "edema" no misspelt enema: no exam line of their own
    ("ULTRASOUND GUIDANCE FOR VASCULAR ACCESS\nProcedure: Non-tunneled right internal jugular central venous "
     "catheter placement (procedure note separate).\nUltrasound: The right internal jugular vein is patent and "
     "compressible. Real-time visualization of needle entry was performed and a permanent image recorded.\n"
     "Impression: US guidance for right IJ access.", ["76937"]),
    ("ULTRASOUND GUIDANCE FOR VASCULAR ACCESS\nProcedure: Tunneled right internal jugular central venous catheter "
     "placement (procedure note separate).\nUltrasound: The right internal jugular vein is patent. Real-time "
     "visualization of needle entry was performed and a permanent image recorded.\nImpression: US guidance.",
     ["76937"]),
    ("US LEFT AXILLA: 3 cm abscess with surrounding edema. IMP: axillary abscess.", ["76882-LT"]),
    ("EXAM: FLUORO GUIDANCE CVC\nProcedure: Tunneled right IJ central venous catheter placement under "
     "fluoroscopy.\nImpression: Tip at the cavoatrial junction.", ["77001"]),
])
def test_words_that_are_no_misspelt_terms(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a nuclear shunt study that names no anatomy is the CSF shunt evaluation (78645)
    ("EXAM: NM VP SHUNT PATENCY STUDY\nTechnique: 0.5 mCi Tc-99m DTPA injected into the shunt reservoir. Dynamic "
     "images over the head and abdomen.\nImpression: Patent VP shunt.", ["78645"]),
    ("NM SHUNT PATENCY STUDY\nTc-99m DTPA into the reservoir; free spillage into the peritoneum at 10 min.\n"
     "Imp: Patent.", ["78645"]),
    # a TIPS shunt is no CSF shunt
    ("EXAM: US TIPS SHUNT PATENCY\nTECHNIQUE: Color and spectral Doppler of the TIPS, main portal vein, hepatic "
     "artery and hepatic veins.\nFINDINGS: Patent.", ["93975"]),
])
def test_nuclear_csf_shunt_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a maternal-fetal medicine title names an obstetric ultrasound
    ("MFM DETAILED ANATOMY TWINS 21 WKS. 31 y/o G1, mono-di twins, TTTS surveillance + detailed survey. TA.\n"
     "Twin A: cephalic, FHR 144, EFW 402 g. Detailed anatomy incl. brain, face, spine, heart, abd, kidneys, "
     "limbs: normal.\nTwin B: transverse, FHR 152, EFW 371 g. Detailed anatomy normal as above.\nIMP: Mono-di "
     "twins, normal detailed anatomy both fetuses.", ["76811", "76812"]),
    ("MFM DETAILED ANATOMY 20 WKS. 29F G2P1. Detailed anatomy incl. brain, face, spine, heart (4CH, LVOT, RVOT, "
     "3VT), abdomen, kidneys, limbs: normal. IMP: normal detailed anatomy.", ["76811"]),
    ("MFM GROWTH F/U 32 WKS. EFW 1650 g (12%), AFI 11. IMP: appropriate interval growth.", ["76816"]),
])
def test_maternal_fetal_medicine_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
