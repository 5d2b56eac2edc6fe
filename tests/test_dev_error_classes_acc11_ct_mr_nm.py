"""Error classes of the enlarged dev split in CT, CTA, MR, MRA, PET and NM (issue 12: the retired
calibration parts cal_au..cal_bd, written by hand in production styles), fixed with general rules.
Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # a drug given part way through the study after a finding that prompted it ("Because the gallbladder
    # was not seen at 60 minutes, morphine was administered"): the finding's "not" does not reach past
    # the comma into the clause that says the drug was given
    ("EXAM: NM HEPATOBILIARY SCAN\nTECHNIQUE: 5 mCi Tc-99m mebrofenin IV with dynamic imaging for 60 minutes. "
     "As the gallbladder had not filled by 60 minutes, morphine sulfate 2 mg was administered intravenously "
     "and imaging continued for 30 minutes.\nFINDINGS: Gallbladder not visualized.\nIMPRESSION: Acute "
     "cholecystitis.", ["78227"]),
    ("EXAM: NM RENAL SCAN\nTECHNIQUE: 10 mCi Tc-99m MAG3 IV with dynamic flow and function images. Since "
     "drainage was not seen at 20 minutes, furosemide 40 mg was injected IV and imaging continued.\n"
     "FINDINGS: Prompt washout after furosemide.\nIMPRESSION: No obstruction.", ["78708"]),
    # the drug stated in the body of a report whose technique names only the tracer and the imaging
    ("NM HEPATOBILIARY SCAN\nTECHNIQUE: Tc-99m mebrofenin 5.5 mCi IV. Dynamic imaging 60 minutes.\n"
     "HISTORY: Right upper quadrant pain.\nThe gallbladder is not seen by 60 min. Morphine 2 mg IV given with 30 more minutes of imaging. "
     "Gallbladder fills 10 minutes after morphine.\nIMPRESSION: Patent cystic duct.", ["78227"]),
    ("NM HIDA SCAN\nTECHNIQUE: Tc-99m mebrofenin 5 mCi IV, dynamic anterior images for 60 minutes.\n"
     "Hx: biliary dyskinesia\nGallbladder filling at 25 minutes. Sincalide 0.02 mcg/kg infused over 60 minutes; gallbladder "
     "ejection fraction 72%.\nIMPRESSION: Normal.", ["78227"]),
    # negative: the drug not given (or only suggested) leaves the plain study
    ("NM HEPATOBILIARY SCAN\nTECHNIQUE: Tc-99m mebrofenin 5 mCi IV. Dynamic imaging 60 minutes.\n"
     "Gallbladder seen at 30 minutes. No morphine was needed.\nIMPRESSION: Patent cystic duct.", ["78226"]),
    ("EXAM: NM HEPATOBILIARY SCAN\nTECHNIQUE: 5 mCi Tc-99m mebrofenin IV with dynamic imaging for 60 minutes. "
     "Morphine was not given.\nFINDINGS: Gallbladder visualized at 40 minutes.\nIMPRESSION: Normal.",
     ["78226"]),
])
def test_nm_drug_given_during_the_study(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a 3D MR sequence ("3D T1 post-contrast volume", "3D FLAIR", "3D proton density") is an acquisition,
    # not a rendering
    ("EXAM: MRI BRAIN WITHOUT AND WITH CONTRAST\nTECHNIQUE: Axial T1, T2, FLAIR and DWI, then after 7 mL "
     "Gadavist axial T1 post-contrast images and a 3D T1 post-contrast volume.\nFINDINGS: No mass.\n"
     "IMPRESSION: Normal.", ["70553"]),
    ("MRI RIGHT KNEE WITHOUT CONTRAST\nTECHNIQUE: Sagittal and coronal PD fat-saturated images and a 3D proton "
     "density volume acquisition with multiplanar reformats.\nFINDINGS: Medial meniscal tear.\nIMPRESSION: "
     "Medial meniscal tear.", ["73721-RT"]),
    # negative: 3D renders are still billed (76376 at the console, 76377 on a workstation)
    ("CT ANKLE RIGHT WITHOUT CONTRAST\nTECHNIQUE: Axial images of the right ankle; 3D volume-rendered images "
     "were generated at the scanner console and interpreted by the radiologist.\nFINDINGS: Pilon fracture.\n"
     "IMPRESSION: Pilon fracture.", ["73700-RT", "76376"]),
    ("CT PELVIS WITHOUT CONTRAST\nTECHNIQUE: Axial images of the pelvis. 3D volume-rendered images were "
     "created on an independent workstation by the 3D lab and interpreted by the radiologist.\nFINDINGS: "
     "Acetabular fracture.\nIMPRESSION: Acetabular fracture.", ["72192", "76377"]),
])
def test_3d_mr_sequences_are_no_rendering(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the circle of Willis is the head's vessels: an MRA / CTA of it is the head angiogram
    ("MRA CIRCLE OF WILLIS\nTECHNIQUE: 3D time-of-flight MRA of the circle of Willis with MIP reconstructions. "
     "No gadolinium.\nFINDINGS: No aneurysm.\nIMPRESSION: Normal.", ["70544"]),
    ("EXAM: MR ANGIOGRAM CIRCLE OF WILLIS WITHOUT CONTRAST\nTECHNIQUE: Time-of-flight images with MIPs.\n"
     "FINDINGS: 3 mm left Pcomm aneurysm.\nIMPRESSION: Aneurysm.", ["70544"]),
    ("CTA CIRCLE OF WILLIS\nTECHNIQUE: CT angiography of the circle of Willis after 70 mL Omnipaque 350 IV with "
     "MIP and 3D reconstructions.\nFINDINGS: No aneurysm.\nIMPRESSION: Normal.", ["70496"]),
    # negative: the brain MRI that names the circle of Willis in its findings is still the brain MRI
    ("MRI BRAIN WITHOUT CONTRAST\nTECHNIQUE: Sagittal T1, axial T2, FLAIR, DWI.\nFINDINGS: Normal flow voids "
     "in the circle of Willis.\nIMPRESSION: Normal.", ["70551"]),
])
def test_circle_of_willis_is_the_head(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a without-and-with title over a study whose contrast part was not done: the noncontrast code
    ("5521907|MRN-XXX|11/02/2026 10:05|MR L-SPINE W/WO [MRLS2]|F|MRI LUMBAR SPINE. "
     "CONTRAST NOT GIVEN - IV COULD NOT BE PLACED, NONCONTRAST ONLY. HX: BACK PAIN. L4-5 DISC BULGE. IMP: MILD "
     "SPONDYLOSIS.", ["72148"]),
    ("MRI BRAIN W/WO CONTRAST\n\nHistory: Seizure.\n\nSagittal T1, axial T2, FLAIR and DWI were obtained. The "
     "patient could not continue; gadolinium was not given and no postcontrast images were obtained.\n\n"
     "No mass or hemorrhage.\n\nImpression: Normal noncontrast MRI.", ["70551"]),
    ("MRI LUMBAR SPINE W/WO CONTRAST\nTECHNIQUE: Patient refused gadolinium, noncontrast sequences only.\n"
     "FINDINGS: L4-5 disc protrusion.\nIMPRESSION: Disc protrusion.", ["72148"]),
    ("77120345|MRN-XXX|11/03/2026 14:10|CT CHEST W CON [CTCH2]|FINAL|CT CHEST. HX COUGH. COMPARISON CT CHEST WITH "
     "IV CONTRAST 01/2026. THIS EXAM WAS PERFORMED WITHOUT IV CONTRAST (CREATININE 3.1). RIGHT LOWER LOBE "
     "PNEUMONIA. IMP: PNEUMONIA.", ["71250"]),
    # a recommendation in the addendum ("so that a full precontrast protocol can be completed") is about
    # the next study, not this one: the contrast-only study stays 70552
    ("EXAM: MRI BRAIN W CONTRAST\nTECHNIQUE: Post-contrast axial and coronal T1 and FLAIR after 7 mL gadobutrol. "
     "Precontrast images were not obtained.\nFINDINGS: Enhancing mass.\nIMPRESSION: Mass.\nADDENDUM: Recommend "
     "repeat MRI brain with and without contrast in 6 weeks, scheduled with sedation so that a full "
     "precontrast protocol can be completed.", ["70552"]),
    # the precontrast series the patient could not tolerate is not billed: the contrast-only code, no 52
    ("EXAM: MRI BRAIN WITH CONTRAST\nTECHNIQUE: Post-contrast axial T1 and FLAIR after 7 mL gadobutrol. Precontrast "
     "T1 images were not obtained because the patient could not tolerate the full exam.\nFINDINGS: Enhancing "
     "mass.\nIMPRESSION: Mass.", ["70552"]),
    # a sequence list that a contrast series opens is of contrast series
    ("MRI BRAIN WITH CONTRAST\nTECHNIQUE: Post-contrast axial T1, coronal T1, 3D T1 and post-contrast FLAIR after "
     "gadoterate 15 mL IV; no precontrast imaging.\nFINDINGS: Stable enhancing lesion.\nIMPRESSION: Stable.",
     ["70552"]),
    # negative: plain sequences listed before the contrast series are the precontrast part
    ("MRI BRAIN WITH CONTRAST\nTECHNIQUE: Sagittal T1, axial T2, FLAIR, DWI, post-contrast axial and coronal T1 "
     "after gadoterate 15 mL IV.\nFINDINGS: Normal.\nIMPRESSION: Normal.", ["70553"]),
    # negative: the addendum that states what was done still counts
    ("EXAM: MRI BRAIN W CONTRAST\nTECHNIQUE: Axial and coronal T1 images after 7 mL gadobutrol.\nFINDINGS: "
     "Enhancing mass.\nIMPRESSION: Mass.\nADDENDUM: Precontrast T1 images were also obtained and reviewed.",
     ["70553"]),
])
def test_contrast_part_not_done(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the arm of the IV access the contrast went through is no side of the exam
    ("EXAM: CTA LEFT LOWER EXTREMITY\nTECHNIQUE: CT angiography after 120 mL Omnipaque 350 IV with MIP and 3D "
     "reformations. Power injection at 5 mL/s via 20-gauge right antecubital IV.\nFINDINGS: Left SFA occlusion.\n"
     "IMPRESSION: Left SFA occlusion.", ["73706-LT"]),
    ("CT RIGHT KNEE WITH CONTRAST\nTECHNIQUE: Axial images of the knee after 90 mL Isovue 370; IV access left "
     "forearm.\nFINDINGS: Abscess.\nIMPRESSION: Abscess.", ["73701-RT"]),
    ("MRI LEFT SHOULDER WITH AND WITHOUT CONTRAST\nTECHNIQUE: Precontrast and postcontrast sequences; gadolinium "
     "injected through an 22 G right hand IV.\nFINDINGS: Septic arthritis.\nIMPRESSION: Septic arthritis.",
     ["73223-LT"]),
    # negative: the exam's own arm and a side the technique states still count
    ("CTA RIGHT UPPER EXTREMITY\nTECHNIQUE: CT angiography of the right arm after IV contrast with MIP "
     "reconstructions.\nFINDINGS: Normal arteries.\nIMPRESSION: Normal.", ["73206-RT"]),
    ("CT LOWER EXTREMITY WITH CONTRAST\nTECHNIQUE: Axial images of the left knee after 90 mL Isovue 370 IV.\n"
     "FINDINGS: Abscess.\nIMPRESSION: Abscess.", ["73701-LT"]),
])
def test_iv_access_side_is_no_exam_side(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a bilateral title over images the report says are of one side only
    ("MRI KNEES BILATERAL WO CONTRAST\n\nHistory: Knee pain.\n\nMultiplanar PD and T2 fat-saturated images of the "
     "left knee only. The contralateral knee was not imaged.\n\nMedial meniscal tear.\n\nImpression: Medial "
     "meniscal tear.", ["73721-LT"]),
    ("CT BILATERAL ANKLES WITHOUT CONTRAST\nTECHNIQUE: Axial images of the right ankle only with reformats; the "
     "patient could not position the left.\nFINDINGS: Calcaneal fracture.\nIMPRESSION: Calcaneal fracture.",
     ["73700-RT"]),
    # negative: both sides imaged, and a comparison of one side only, keep the bilateral study
    ("MRI KNEES BILATERAL WO CONTRAST\nTECHNIQUE: Multiplanar PD and T2 images of both knees.\nCOMPARISON: "
     "Radiographs of the right knee only.\nFINDINGS: Bilateral meniscal tears.\nIMPRESSION: Tears.",
     ["73721-50"]),
])
def test_images_of_one_side_only(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a planar whole-body localization study is billed by its imaging days: images at one time point the
    # day after the injection are one day of imaging (78802); time points on two days are 78804
    ("NM INDIUM WBC SCAN WHOLE BODY\nTECHNIQUE: Autologous leukocytes labeled with 500 uCi In-111 oxine. Whole "
     "body anterior and posterior images at 24 hours only.\nFINDINGS: Focal uptake in the right lower quadrant.\n"
     "IMPRESSION: Infection.", ["78802"]),
    ("NM GALLIUM SCAN WHOLE BODY\nTECHNIQUE: 8 mCi Ga-67 citrate IV. Whole body planar images at 48 hours. "
     "Earlier images were not obtained.\nFINDINGS: Mediastinal uptake.\nIMPRESSION: Sarcoidosis pattern.",
     ["78802"]),
    ("NM OCTREOTIDE SCAN WHOLE BODY\nIn-111 pentetreotide 6 mCi IV. Whole body planar images at 4 h (day 1) and "
     "24 h (day 2). No SPECT.\nIMPRESSION: No avid disease.", ["78804"]),
    ("NM WHOLE BODY WBC SCAN\nTECHNIQUE: In-111 labeled leukocytes. Whole body images at 4 and 24 hours after "
     "reinjection.\nFINDINGS: Normal distribution.\nIMPRESSION: Negative.", ["78804"]),
    # negative: one day of imaging named as such stays 78802
    ("NM WHOLE BODY TUMOR LOCALIZATION\nTECHNIQUE: Whole body planar images at 4 hours after injection.\n"
     "FINDINGS: No abnormal uptake.\nIMPRESSION: Negative.", ["78802"]),
])
def test_whole_body_localization_imaging_days(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an ORDER: header line owns its line; the unheaded lines after it are the report body (what was done)
    ("NM RENOGRAM MAG3 WITH LASIX\nORDER: NM renal scan with furosemide\n5 yr old, hydronephrosis.\n2 mCi Tc-99m "
     "MAG3. Dynamic images 30 min. Prompt spontaneous drainage, so furosemide was withheld.\nIMPRESSION: No "
     "obstruction.", ["78707"]),
    ("NM HEPATOBILIARY SCAN WITH CCK\nORDERED: NM HIDA with CCK\nTc-99m mebrofenin 5 mCi IV, dynamic images for "
     "60 minutes. Sincalide was not given (drug shortage).\nIMPRESSION: Patent cystic duct.", ["78226"]),
    # negative: the drug the body says was given is still billed
    ("NM RENOGRAM MAG3 WITH LASIX\nORDER: NM renal scan with furosemide\n5 yr old, hydronephrosis.\n2 mCi Tc-99m "
     "MAG3. Dynamic images 30 min. Furosemide 1 mg/kg IV given at 20 minutes.\nIMPRESSION: No obstruction.",
     ["78708"]),
])
def test_order_line_owns_its_line(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a title naming anatomy and no modality takes the modality its technique names, not the site's usual one
    ("EXAM: TESTICULAR SCAN\nHISTORY: Left scrotal pain, equivocal ultrasound.\nTECHNIQUE: 10 mCi Tc-99m "
     "pertechnetate IV, dynamic flow images then static images.\nFINDINGS: Photopenic left testis.\nIMPRESSION: "
     "Torsion.", ["78761"]),
    ("EXAM: SCROTUM\nTECHNIQUE: Tc-99m pertechnetate IV with flow and static images of the scrotum.\nFINDINGS: "
     "Increased flow to the right hemiscrotum.\nIMPRESSION: Epididymitis.", ["78761"]),
    # negative: the technique of the site's usual modality keeps it
    ("EXAM: SCROTUM\nHISTORY: Pain.\nTECHNIQUE: Grayscale and color Doppler ultrasound of the scrotum.\n"
     "FINDINGS: Normal testes.\nIMPRESSION: Normal.", ["76870"]),
])
def test_technique_names_the_modality(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the aortic CTA with bilateral runoff covers the legs down to the feet: no leg CT or CTA beside 75635
    ("Exam: CT angiogram abdomen/pelvis with bilateral lower extremity runoff\nTechnique: CTA from the diaphragm "
     "through the feet after 120 mL Isovue 370 with MIP and 3D reconstructions.\nFindings: Right SFA occlusion.\n"
     "Impression: Right SFA occlusion.", ["75635"]),
    ("CTA AORTA BILATERAL RUNOFF\nTECHNIQUE: CT angiography of the abdominal aorta and both legs to the toes after "
     "IV contrast, with MIP images.\nFINDINGS: Left popliteal occlusion.\nIMPRESSION: Occlusion.", ["75635"]),
    # negative: a leg CTA alone keeps its own code
    ("CTA RIGHT LOWER EXTREMITY\nTECHNIQUE: CT angiography of the right leg after 100 mL Omnipaque 350 with MIP "
     "reconstructions.\nFINDINGS: Popliteal aneurysm.\nIMPRESSION: Aneurysm.", ["73706-RT"]),
])
def test_aortic_runoff_covers_the_legs(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a skull-base-to-thigh PET/CT the technique says was cut to one area is the limited-area study
    ("EXAM: PET/CT SKULL BASE TO MID-THIGH\nTECHNIQUE: 10 mCi FDG IV. The patient tolerated only two bed positions; "
     "PET/CT was limited to the chest.\nFINDINGS: Hypermetabolic lung nodule.\nIMPRESSION: Suspicious nodule.",
     ["78814"]),
    ("PET CT WHOLE BODY\nTECHNIQUE: FDG PET with low-dose CT; because of pain only the head and neck were imaged.\n"
     "FINDINGS: Hypermetabolic cervical node.\nIMPRESSION: Nodal disease.", ["78814"]),
    # negative: a skull-base-to-thigh study done as titled stays 78815
    ("EXAM: PET/CT SKULL BASE TO MID-THIGH\nTECHNIQUE: 10 mCi FDG IV, images from the skull base to the mid thighs "
     "with low-dose CT.\nFINDINGS: Hypermetabolic lung nodule.\nIMPRESSION: Suspicious nodule.", ["78815"]),
])
def test_pet_cut_to_one_area(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # contrast the report says was not required / needed is not given
    ("MRI THORACIC SPINE WITHOUT CONTRAST\nTECHNIQUE: Sagittal T1, T2 and STIR, axial T2. No contrast (emergency "
     "protocol; contrast not required to exclude cord compression).\nFINDINGS: No cord compression.\nIMPRESSION: "
     "Negative.", ["72146"]),
    ("CT ABDOMEN AND PELVIS WITHOUT CONTRAST\nTECHNIQUE: Axial images of the abdomen and pelvis; IV contrast not "
     "needed for stone protocol.\nFINDINGS: Obstructing left ureteral stone.\nIMPRESSION: Ureteral stone.",
     ["74176"]),
    # negative: contrast given stays with
    ("MRI THORACIC SPINE WITH CONTRAST\nTECHNIQUE: Sagittal and axial T1 images after 7 mL gadobutrol IV.\n"
     "FINDINGS: Enhancing lesion.\nIMPRESSION: Metastasis.", ["72147"]),
])
def test_contrast_not_required(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the joints that bound a limb study's field of view make no joint study
    ("EXAM: MRI RIGHT THIGH WITHOUT AND WITH CONTRAST\nTECHNIQUE: Coronal T1 and STIR of the entire right thigh "
     "including the hip and knee joints; axial T1 and T2 through the mass, then T1 fat-saturated images after "
     "15 mL gadoterate IV.\nFINDINGS: Soft tissue mass.\nIMPRESSION: Sarcoma.", ["73720-RT"]),
    ("MRI LEFT LOWER LEG WITHOUT CONTRAST\nTECHNIQUE: Axial and coronal T1 and STIR of the left leg to include the "
     "knee and ankle joints.\nFINDINGS: Tibial stress fracture.\nIMPRESSION: Stress fracture.", ["73718-LT"]),
    # negative: a joint study named as such stays the joint code
    ("MRI RIGHT KNEE JOINT WITHOUT CONTRAST\nTECHNIQUE: Sagittal, coronal and axial PD fat-saturated images of the "
     "knee joint.\nFINDINGS: Meniscal tear.\nIMPRESSION: Meniscal tear.", ["73721-RT"]),
])
def test_joints_bounding_the_coverage(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the title line under an ORDER: line names the exam performed
    ("ORDERED: CT ABDOMEN AND PELVIS WITH CONTRAST\nCT ABDOMEN WITH CONTRAST\nClinical: Liver lesion.\nTechnique: "
     "CT of the abdomen after 100 mL Omnipaque 350 IV. The pelvis was not scanned.\nFindings: Hemangioma.\n"
     "Impression: Hemangioma.", ["74160"]),
    ("ORDER: MRI BRAIN W/WO CONTRAST\nMRI BRAIN WITHOUT CONTRAST\nHistory: Headache.\nTechnique: Sagittal T1, axial "
     "T2, FLAIR, DWI.\nFindings: Normal.\nImpression: Normal.", ["70551"]),
])
def test_title_line_under_an_order_line(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
