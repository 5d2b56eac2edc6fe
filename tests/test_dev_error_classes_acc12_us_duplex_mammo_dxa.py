"""Error classes of the enlarged dev split in ultrasound, duplex, mammography and DXA (issue 12: the
retired calibration parts cal_be..cal_bl, hand-written production styles), fixed with general rules.
Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a mammogram "with 3D" is digital breast tomosynthesis, never a 3D rendering (CODING_RULES §3)
    ("EXAM: Screening mammogram bilateral with 3D\nHISTORY: Annual screening, no complaints.\n"
     "FINDINGS: Scattered fibroglandular density. No suspicious mass.\nIMPRESSION: BI-RADS 1.",
     ["77063", "77067"]),
    ("MAMMO DIAGNOSTIC RIGHT W/ 3D\nHx: right breast lump.\nRight CC and MLO views. No mass at the marker.\n"
     "IMP: BI-RADS 1.", ["77065-RT", "G0279"]),
    # tomosynthesis stated only in the findings or body of the report
    ("PROCEDURE: Digital screening mammogram, bilateral.\nHISTORY: Routine screening.\nFINDINGS: Standard "
     "two-view bilateral digital mammography with tomosynthesis. Almost entirely fatty. No mass.\n"
     "IMPRESSION: BI-RADS 1.", ["77063", "77067"]),
    ("screening mammogram both breasts\nScattered density. Tomo slices reviewed; no mass or distortion.\n"
     "birads 1.", ["77063", "77067"]),
    ("DIAGNOSTIC MAMMOGRAM LEFT\nHISTORY: Left breast pain.\nMAMMOGRAM: Left CC, MLO and ML views with "
     "tomosynthesis. No mass.\nIMPRESSION: BI-RADS 1.", ["77065-LT", "G0279"]),
    ("Exam: Right diagnostic mammogram.\nReason: palpable lump.\nRT CC/MLO 2D and tomosynthesis. Benign-appearing "
     "oval mass.\nImpression: BI-RADS 2.", ["77065-RT", "G0279"]),
    # negatives: tomosynthesis not done, recommended, or done before
    ("EXAM: RT DIAGNOSTIC MAMMOGRAM W/O TOMO\nHistory: right nipple changes.\nTechnique: Right CC, MLO and "
     "magnification views.\nImpression: BI-RADS 1.", ["77065-RT"]),
    ("MAMMOGRAM DIAGNOSTIC LEFT WO DBT\nTechnique: Left CC and MLO.\nImpression: BI-RADS 1.", ["77065-LT"]),
    ("EXAM: Screening mammogram bilateral\nFINDINGS: Two-view 2D mammography. Tomosynthesis was not performed "
     "because of a unit fault. No mass.\nIMPRESSION: BI-RADS 1.", ["77067"]),
    ("EXAM: Screening mammogram bilateral with 3D\nTECHNIQUE: Bilateral CC and MLO 2D views; tomosynthesis not "
     "acquired.\nFINDINGS: No mass.\nTech note: the 3D unit returned to service in the afternoon.\nIMPRESSION: "
     "BI-RADS 1.", ["77067"]),
    ("EXAM: Screening mammogram bilateral\nFINDINGS: Standard CC and MLO views. Compared with the prior "
     "tomosynthesis study of 2024. No mass.\nIMPRESSION: BI-RADS 1.", ["77067"]),
    ("EXAM: Diagnostic mammogram right\nTechnique: Right CC and MLO views.\nFINDINGS: Equivocal asymmetry; "
     "recommend tomosynthesis views.\nIMPRESSION: BI-RADS 0.", ["77065-RT"]),
    # negatives: a dense-breast notice about tomosynthesis says nothing of this exam
    ("EXAM: SCREENING MAMMOGRAM BILATERAL\nHISTORY: Annual screening. Asymptomatic.\nTECHNIQUE: Bilateral CC and MLO "
     "views.\nFINDINGS: The breasts are heterogeneously dense, which may obscure small masses. Tomosynthesis may "
     "improve cancer detection in women with dense breasts. No suspicious mass or calcification.\nIMPRESSION: "
     "BI-RADS 1. Negative.", ["77067"]),
    ("Screening mammogram bilateral\nCC and MLO views of both breasts.\nExtremely dense tissue. Breast tomosynthesis "
     "is available at our center for patients with dense breasts.\nBI-RADS 1.", ["77067"]),
])
def test_mammogram_tomosynthesis_documented(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a mammogram titled bilateral whose views statements name one breast imaged that breast
    ("DIAG MAMMO BILAT\nHX: callback left calcs.\nMagnification CC and ML views of L breast.\nIMP: BI-RADS 3.",
     ["77065-LT"]),
    ("EXAM: DIAGNOSTIC MAMMOGRAM BILATERAL\nHISTORY: Right breast lump.\nFINDINGS: Right CC, MLO and spot "
     "compression views. No mass.\nIMPRESSION: BI-RADS 1.", ["77065-RT"]),
    # the side of a mastectomy is surgical history, not a breast imaged
    ("EXAM: DIAGNOSTIC MAMMOGRAM BILATERAL\nHISTORY: New right breast thickening.\nTECHNIQUE: Right CC and MLO "
     "views. Left mastectomy; no left breast imaging.\nIMPRESSION: BI-RADS 1.", ["77065-RT"]),
    # views of each breast are bilateral whatever side the title or order named
    ("EXAM: DIAGNOSTIC MAMMOGRAM LEFT\nHISTORY: Follow-up of left breast.\nTECHNIQUE: CC and MLO views of each "
     "breast; left spot compression.\nIMPRESSION: BI-RADS 2.", ["77066"]),
    # negatives: standard views of both sides with one side's extra views stay bilateral
    ("EXAM: DIAGNOSTIC MAMMOGRAM BILATERAL\nHISTORY: Right breast lump.\nFINDINGS: Standard CC and MLO views "
     "were obtained. Additional right spot compression views. No mass.\nIMPRESSION: BI-RADS 1.", ["77066"]),
    ("EXAM: DIAGNOSTIC MAMMOGRAM BILATERAL\nHISTORY: Left lump.\nTECHNIQUE: Bilateral CC and MLO views with "
     "left spot compression.\nIMPRESSION: BI-RADS 1.", ["77066"]),
    # negatives: one breast's additional views never decide the side of a study whose standard views are the title's
    ("EXAM: DIAGNOSTIC MAMMOGRAM BILATERAL WITH TOMOSYNTHESIS\nHISTORY: Personal history of left breast cancer, "
     "lumpectomy 2021.\nTECHNIQUE: Standard CC and MLO views were obtained with tomosynthesis.\nFINDINGS: The "
     "breasts are heterogeneously dense. Postsurgical changes in the left breast are stable. Additional right spot "
     "magnification CC and ML views were obtained of a group of calcifications in the upper outer quadrant; they "
     "are round and benign appearing.\nIMPRESSION: BI-RADS 2.", ["77066", "G0279"]),
    ("DIAGNOSTIC MAMMOGRAM BILATERAL\nHx: left focal pain.\nTechnique: CC and MLO views.\nFindings: Scattered "
     "density. Left exaggerated CC and rolled CC views show overlapping tissue only.\nImpression: BI-RADS 1.",
     ["77066"]),
])
def test_mammogram_side_from_views(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a side right before the second exam of a title ("LEFT LEG VENOUS DUPLEX + BILATERAL ABI") is that
    # exam's side once the first exam has named its own: a unilateral duplex with bilateral ABIs
    ("LEFT LEG VENOUS DUPLEX + BILATERAL ABI\n47M, L calf pain.\nVenous (left only): CFV to calf veins "
     "compressible; no DVT.\nABI (bilat, resting): R 1.02, L 0.78.\nImpression: No L DVT. Mild L PAD.",
     ["93922", "93971-LT"]),
    ("EXAM: ARTERIAL DUPLEX LEFT LOWER EXTREMITY WITH BILATERAL ABI\nTECHNIQUE: Bilateral resting ankle and "
     "brachial pressures. Duplex of the left lower extremity arteries from the CFA to the ankle.\nFINDINGS: ABI "
     "right 0.9, left 0.5. SFA occluded.\nIMPRESSION: Left SFA occlusion.", ["93922", "93926-LT"]),
    ("US RT LE ARTERIAL DUPLEX AND BILAT ABI\nHx: right foot wound.\nRight CFA to ankle patent with biphasic "
     "flow. ABI R 0.82, L 1.01.\nIMP: Mild right PAD.", ["93922", "93926-RT"]),
    # negatives: the side of the first exam alone, or one side for both
    ("EXAM: RIGHT LOWER EXTREMITY VENOUS DUPLEX AND BILATERAL ANKLE-BRACHIAL INDEX\nFINDINGS: Right deep veins "
     "compressible. ABI right 1.0, left 0.9.\nIMPRESSION: No DVT.", ["93922", "93971-RT"]),
    ("EXAM: BILATERAL LOWER EXTREMITY ARTERIAL DUPLEX WITH ABI\nFINDINGS: Both legs patent. ABI right 1.0, left "
     "0.9.\nIMPRESSION: No stenosis.", ["93922", "93925"]),
])
def test_side_before_the_second_exam_of_a_title(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a joint ultrasound title that names a soft-tissue lesion is the study of that structure (76882)
    ("US RT WRIST SOFT TISSUE\nPalpable dorsal wrist bump.\nAnechoic 1.3 cm cyst dorsal to the scapholunate "
     "interval, no flow.\nIMP: Ganglion cyst.", ["76882-RT"]),
    ("EXAM: ULTRASOUND LEFT KNEE MASS\nINDICATION: Lump behind the knee.\nFINDINGS: 3 cm Baker cyst.\n"
     "IMPRESSION: Baker cyst.", ["76882-LT"]),
    ("US RIGHT ANKLE GANGLION\nFindings: 1 cm ganglion along the anterior ankle.\nImpression: ganglion.",
     ["76882-RT"]),
    ("EXAM: US LEFT ELBOW SOFT TISSUE LUMP\nFINDINGS: 2 cm lipoma over the olecranon.\nIMPRESSION: Lipoma.",
     ["76882-LT"]),
    # negatives: a joint title alone, or a complete joint title, is the joint evaluation; a body naming fewer
    # than four of the joint's structures documents the limited study whatever the title (stop 35, fam22)
    ("US LEFT ANKLE\nIndication: pain.\nFindings: Achilles tendon intact. Joint normal.\nImpression: normal.",
     ["76882-LT"]),
    ("EXAM: US SHOULDER RIGHT COMPLETE\nINDICATION: Pain and a lump.\nFINDINGS: Rotator cuff tendons, biceps, "
     "bursa and AC joint normal.\nIMPRESSION: Normal shoulder.", ["76881-RT"]),
    # negatives: a lesion the title's purpose clause looks for, over a body documenting a complete survey
    ("EXAM: US LEFT SHOULDER - EVALUATE ROTATOR CUFF TEAR VS MASS\nHISTORY: Shoulder pain and fullness.\nFINDINGS: "
     "Complete evaluation of the left shoulder was performed. The biceps tendon is normal in the bicipital groove. "
     "Subscapularis, supraspinatus, infraspinatus and teres minor tendons are intact. No joint effusion. The "
     "acromioclavicular joint is unremarkable. No subacromial bursal fluid. No soft tissue mass.\nIMPRESSION: "
     "Normal shoulder ultrasound. No mass.", ["76881-LT"]),
    ("US RIGHT KNEE R/O BAKER CYST\nPosterior knee pain.\nQuadriceps and patellar tendons intact. Medial and lateral "
     "collateral ligaments normal. Small suprapatellar effusion. No popliteal cyst.\nImpression: Small effusion.",
     ["76881-RT"]),
])
def test_joint_title_naming_a_soft_tissue_lesion_is_limited(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


_ALL_EIGHT = ("The liver is normal. The gallbladder has no stones. Common bile duct 3 mm. The pancreas is normal. "
              "Spleen 9 cm. Right kidney 10 cm, left kidney 11 cm. The {ivc} is patent. The aorta is 1.9 cm.")


@pytest.mark.parametrize(("text", "expected"), [
    # findings dictated on the history line (no findings section of their own) document the elements
    ("US ABDOMEN COMPLETE. History: abdominal pain, weight loss. " + _ALL_EIGHT.format(ivc="IVC")
     + "\nImpression: Normal complete abdominal ultrasound.", ["76700"]),
    ("US ABDOMEN COMPLETE\nHISTORY: Elevated LFTs. " + _ALL_EIGHT.format(ivc="inferior vena cava")
     + "\nIMPRESSION: Normal.", ["76700"]),
    # dotted abbreviations are one word ("The I.V.C. is patent")
    ("EXAM: US ABDOMEN COMPLETE\nFINDINGS: " + _ALL_EIGHT.format(ivc="I.V.C.") + "\nIMPRESSION: Normal.",
     ["76700"]),
    # negatives: the history names the reason only; elements missing stay limited
    ("US ABDOMEN COMPLETE. History: liver and pancreas mass on CT, evaluate. The liver has a 2 cm lesion.\n"
     "Impression: Liver lesion.", ["76705"]),
    ("EXAM: US ABDOMEN COMPLETE\nFINDINGS: The liver is normal. The gallbladder has no stones. The I.V.C. is "
     "patent.\nIMPRESSION: Normal.", ["76705"]),
])
def test_complete_abdomen_elements_on_the_history_line_and_dotted(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "additional" images in a technique are more images of one fetus, not the additional-gestation add-on;
    # the nuchal fold of an anatomy survey is no nuchal translucency study
    ("DETAILED FETAL ANATOMIC SURVEY\nTechnique: Transabdominal detailed anatomic evaluation. Additional sweeps "
     "were required for the heart.\nSingle live IUP at 20 weeks. Nuchal fold 4 mm.\nImpression: Normal detailed "
     "anatomy.", ["76811"]),
    ("EXAM: OB US DETAILED ANATOMY\nTECHNIQUE: Detailed fetal anatomic examination, singleton. Additional images "
     "of the face were obtained.\nIMPRESSION: Normal anatomy.", ["76811"]),
    # negatives: a title line naming the add-on, and a second-trimester survey with a nuchal fold
    ("US OB ADDL GESTATION", ["76810"]),
    ("EXAM: US OB >14 WEEKS\nFINDINGS: Single live intrauterine pregnancy at 22 weeks. Nuchal fold 5 mm. "
     "Anatomy normal.\nIMPRESSION: Normal.", ["76805"]),
])
def test_additional_images_are_no_additional_gestation(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "VFA only" is the vertebral fracture assessment alone (77086); a bone density measured at an outside
    # facility is another study
    ("DXA VFA ONLY\n79M, BMD at outside facility last month (T -2.2 hip). Back pain.\nLateral VFA, T4-L4 seen. "
     "Grade 2 wedge L2.\nIMP: L2 fracture.", ["77086"]),
    ("EXAM: BONE DENSITY\nTECHNIQUE: Lateral VFA only; BMD was measured at an outside facility in October.\n"
     "IMPRESSION: No vertebral fracture.", ["77086"]),
    # negatives: bone density with VFA at this visit, and a bone density whose history names an outside study
    ("EXAM: DXA HIPS AND SPINE WITH VFA\nFINDINGS: L1-L4 T-score -2.0. Left femoral neck T-score -1.8. VFA: no "
     "fracture.\nIMPRESSION: Osteopenia.", ["77085"]),
    ("EXAM: DXA LUMBAR SPINE AND HIP\nHISTORY: Prior DXA at an outside hospital.\nFINDINGS: L1-L4 T-score -1.2. "
     "Left hip T -1.0.\nIMPRESSION: Osteopenia.", ["77080"]),
])
def test_vfa_only_and_outside_bone_density(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a visit report listing its exams as numbered lines bills each listed exam
    ("WOMEN'S HEALTH VISIT 12/01/2026\nHistory: 67F, annual visit, no breast complaints.\n1) BONE DENSITY DXA "
     "(lumbar spine and right hip): L1-L4 T -1.1; right femoral neck T -1.9. Osteopenia.\n2) SCREENING MAMMOGRAM "
     "BILATERAL: Asymptomatic. Scattered density. BI-RADS 1.\nIMPRESSION: Osteopenia. Negative screening "
     "mammogram.", ["77067", "77080"]),
    ("OUTPATIENT IMAGING REPORT\nClinical: 58M, hypertension, hematuria.\n1. RENAL ULTRASOUND: both kidneys normal "
     "size, no hydronephrosis; bladder normal.\n2. CHEST RADIOGRAPH PA AND LATERAL: lungs clear.\nIMPRESSION: "
     "Normal.", ["71046", "76770"]),
    ("VISIT IMAGING\nIndication: 70F, falls.\n1) CT HEAD WITHOUT CONTRAST: no hemorrhage.\n2) XR PELVIS 1 VIEW: no "
     "fracture.\nIMP: No acute findings.", ["70450", "72170"]),
    # negative: a numbered comparison line names an earlier study
    ("OUTPATIENT IMAGING REPORT\nClinical: 58M, cough.\n1. CHEST RADIOGRAPH PA AND LATERAL: lungs clear.\n2. "
     "Compared with CT chest of 2024: stable nodule.\nIMPRESSION: Stable.", ["71046"]),
])
def test_numbered_exam_lines_of_a_visit_report(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an approach "offered but declined" was not performed
    ("EXAM: US PELVIS COMPLETE (TRANSABDOMINAL AND TRANSVAGINAL)\nTECHNIQUE: Transabdominal images of the pelvis. "
     "The transvaginal portion was offered but declined by the patient; no endovaginal images were obtained.\n"
     "FINDINGS: Uterus normal. Ovaries normal.\nIMPRESSION: Normal.", ["76856"]),
    # atrophic ovaries not seen after menopause are accounted for; terse "Ut", "EMS", "ovs" are the elements
    ("US PELVIS TA/TV -- 68F PMB. Ut 6.4 cm, EMS 11 mm. Bilat ovs not seen / atrophic. No FF. Imp: thickened "
     "EMS.", ["76830", "76856"]),
    ("EXAM: US PELVIS TRANSABDOMINAL AND TRANSVAGINAL\nFINDINGS: Uterus 7 cm, endometrium 4 mm. The ovaries are not "
     "visualized, likely atrophic.\nIMPRESSION: Normal postmenopausal pelvis.", ["76830", "76856"]),
    # negatives: ovaries not seen for no stated reason; both approaches done
    ("EXAM: US PELVIS TRANSABDOMINAL AND TRANSVAGINAL\nFINDINGS: Uterus 7 cm, endometrium 4 mm. The ovaries are not "
     "visualized.\nIMPRESSION: Normal uterus.", ["76830", "76857"]),
    ("EXAM: US PELVIS COMPLETE (TRANSABDOMINAL AND TRANSVAGINAL)\nTECHNIQUE: Transabdominal and transvaginal images "
     "of the pelvis.\nFINDINGS: Uterus normal. Ovaries normal.\nIMPRESSION: Normal.", ["76830", "76856"]),
])
def test_pelvic_approach_declined_and_atrophic_ovaries(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a bilateral duplex title over a body (no technique section) that says one side was scanned, the other
    # side's vein sampled for symmetry only, is that side's unilateral study
    ("Exam: US lower extremity venous bilateral\nPatient with right calf pain and swelling.\nGrey scale co"
     "mpression and color and pulse Doppler imaging of the deep veins of the right leg from the common fem"
     "oral vein through the calf veins. The left common femoral vein was also evaluated with spectral Dopp"
     "ler for symmetry of waveform only.\nImpression: No right leg DVT.", ["93971-RT"]),
    ("US VENOUS DUPLEX UPPER EXTREMITY BILATERAL\nLeft arm swelling after PICC.\nCompression and color Dop"
     "pler imaging of the left internal jugular, subclavian, axillary, brachial and basilic veins. Occlusi"
     "ve thrombus in the left basilic vein.\nIMP: Left basilic vein thrombosis.", ["93971-LT"]),
    ("DUPLEX ARTERIAL LOWER EXTREMITY BILATERAL\nRight leg claudication.\nColor and spectral Doppler of th"
     "e right CFA, SFA, popliteal and tibial arteries. Right SFA 70% stenosis.\nIMP: Right SFA stenosis.", ["93926-RT"]),
    ("Exam: US lower extremity venous bilateral\nRight leg swelling.\nThe left leg was scanned yesterday and was "
     "normal. Compression and color Doppler imaging of the deep veins of the right leg.\nImpression: No DVT.",
     ["93971-RT"]),
    # negatives: both legs scanned, or one side's finding within a scan of both
    ("Exam: US lower extremity venous bilateral\nLeg swelling.\nCompression and color Doppler imaging of t"
     "he deep veins of both legs. Right popliteal DVT.\nImpression: Right popliteal DVT.", ["93970"]),
    ("Exam: US lower extremity venous bilateral\nLeg swelling.\nCompression and color Doppler imaging of t"
     "he deep veins. No DVT in the right leg. Left leg veins compressible.\nImpression: No DVT.", ["93970"]),
    # negatives: the other side's findings in other words ("No evidence of DVT", "Left ICA PSV") examined it too
    ("EXAM: US VENOUS DUPLEX BILATERAL LOWER EXTREMITIES\nHISTORY: Bilateral leg swelling.\nTECHNIQUE: Grayscale, "
     "color and spectral Doppler imaging of the deep veins was performed.\nFINDINGS: Right lower extremity: The "
     "common femoral, femoral and popliteal veins were imaged and are fully compressible with normal phasic flow.\n"
     "Left lower extremity: No evidence of deep venous thrombosis. The veins are compressible with normal flow.\n"
     "IMPRESSION: No DVT in either lower extremity.", ["93970"]),
    ("EXAM: CAROTID DUPLEX BILATERAL\nHISTORY: TIA.\nFINDINGS: The right common, internal and external carotid "
     "arteries were interrogated with grayscale, color and spectral Doppler; mild plaque, velocities below 125 "
     "cm/s. Left ICA PSV 98 cm/s, EDV 25 cm/s; no plaque. Vertebral flow antegrade bilaterally.\nIMPRESSION: Less "
     "than 50% stenosis of either ICA.", ["93880"]),
    ("DUPLEX ARTERIAL LOWER EXTREMITY BILATERAL\nClaudication.\nColor and spectral Doppler of the right CFA, SFA, "
     "popliteal and tibial arteries; triphasic waveforms. Left SFA occluded at the adductor canal with "
     "reconstitution.\nIMP: Left SFA occlusion.", ["93925"]),
])
def test_duplex_body_names_the_side_scanned(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a screening title over a symptomatic patient whose diagnostic views run on in the history line is the
    # diagnostic mammogram
    ("Mammo Screening Bilat, 11/06/2026. Indication: Right breast pain at 10 o'clock. Bilateral CC/MLO; right "
     "spot compression and XCCL views at marker. No abnormality. Impression: BI-RADS 1.", ["77066"]),
    ("SCREENING MAMMO BILAT. History: 52F with focal left breast pain. Bilateral CC and MLO; left spot "
     "compression tangential view at the BB. Impression: BI-RADS 1.", ["77066"]),
    # negatives: an old symptom with standard views; an extra view for positioning in an annual screening
    ("EXAM: SCREENING MAMMOGRAM BILATERAL\nHISTORY: Left breast lump 2019, benign biopsy; annual screening.\n"
     "TECHNIQUE: Bilateral CC and MLO views.\nIMPRESSION: BI-RADS 2.", ["77067"]),
    ("EXAM: SCREENING MAMMOGRAM BILATERAL\nHISTORY: Annual screening.\nTECHNIQUE: Bilateral CC and MLO views. "
     "Positioning required an additional spot view of the left axillary tail.\nIMPRESSION: BI-RADS 1.", ["77067"]),
])
def test_screening_title_over_a_symptom_with_diagnostic_views(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "duplex ultrasound" names the duplex scan and its kind of imaging: one exam, whose limb and side follow
    ("EXAM: Venous duplex ultrasound, lower extremity.\nHISTORY: Left calf swelling.\nTECHNIQUE: Compression and "
     "color Doppler of the left leg deep veins.\nIMPRESSION: No DVT.", ["93971-LT"]),
    ("EXAM: Arterial duplex ultrasound, right lower extremity.\nTECHNIQUE: Color and spectral Doppler of the right "
     "leg arteries.\nIMPRESSION: Patent.", ["93926-RT"]),
    ("EXAM: Venous duplex ultrasound of the right upper extremity.\nFINDINGS: No DVT.\nIMPRESSION: No DVT.",
     ["93971-RT"]),
    # negatives: a carotid duplex ultrasound; a limb ultrasound listed as an exam of its own
    ("EXAM: Carotid duplex ultrasound, bilateral.\nFINDINGS: Both ICAs less than 50% stenosis.\nIMPRESSION: "
     "Normal.", ["93880"]),
    ("EXAM: US right knee soft tissue; venous duplex right leg\nFINDINGS: No DVT. Baker cyst.\nIMPRESSION: Baker "
     "cyst.", ["76882-RT", "93971-RT"]),
    ("VAS US UPPER EXT VENOUS DUPLEX RT\nHx: R arm swelling.\nTechnique: Compression and color Doppler of the right "
     "subclavian, axillary and brachial veins.\nIMPRESSION: No DVT.", ["93971-RT"]),
])
def test_duplex_ultrasound_is_one_exam(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an ABI title over findings documenting pressures at three or more levels of the leg is the multi-level
    # study (93923)
    ("EXAM: ABI RESTING\nINDICATION: Claudication.\nFINDINGS: Bilateral brachial, high thigh, above-knee, below-knee "
     "and ankle pressures obtained with plethysmographic waveforms at each level. Right ABI 0.7, left 0.9.\n"
     "IMPRESSION: Right femoropopliteal disease.", ["93923"]),
    ("ABI BILATERAL\nThigh: high thigh and low thigh pressures, calf and ankle pressures with PVRs at each level, "
     "both legs. Drop at the right calf.\nIMP: Right infrapopliteal disease.", ["93923"]),
    # negatives: ankle pressures alone; levels only recommended
    ("EXAM: ABI RESTING\nFINDINGS: Ankle pressures with Doppler waveforms: right ABI 0.8, left ABI 0.95. Toe "
     "pressures not obtained.\nIMPRESSION: Mild right PAD.", ["93922"]),
    ("EXAM: ABI BILATERAL\nFINDINGS: Right ABI 0.8, left 1.0. Recommend segmental pressures at the thigh, calf and "
     "ankle if symptoms persist.\nIMPRESSION: Mild right PAD.", ["93922"]),
])
def test_abi_title_with_pressures_at_several_levels(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
