"""Ultrasound and nuclear medicine codes that follow what the report documents (issue 11, the
remaining dev error classes): the gestational age measured at the scan decides the obstetric
code, a narrative nuclear report's body states its protocol, a colon transit study is the
highest gastric emptying code. Reports written for these tests in several house styles; exact
code sets (billing global, Medicare)."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types

# ------------------------------------------------- obstetric: gestational age at the scan (§6)

OB_TITLED_FIRST_MEASURED_SECOND = """EXAM: US OB LESS THAN 14 WEEKS, SINGLE GESTATION
CLINICAL HISTORY: 31-year-old G2P1 presenting for first prenatal care. Unsure of her last menstrual period;
dating requested.
TECHNIQUE: Transabdominal real-time sonography of the gravid uterus with grayscale and M-mode images.
COMPARISON: None available.
FINDINGS:
There is a single live intrauterine pregnancy in cephalic presentation. Fetal heart rate 148 beats per minute
by M-mode. Cardiac activity and fetal movement are seen.
The crown-rump length is no longer the appropriate measurement. Fetal biometry: biparietal diameter 3.4 cm,
head circumference 12.6 cm, abdominal circumference 10.9 cm, femur length 2.0 cm, giving a composite
gestational age of 16 weeks 1 day, estimated fetal weight 150 grams.
The placenta is posterior and fundal without evidence of previa. Amniotic fluid volume is normal.
The cervix measures 3.9 cm transabdominally and is closed.
The stomach, bladder, four-chamber heart and cranium are seen; a detailed anatomic survey was not performed.
Both ovaries are unremarkable.
IMPRESSION:
1. Single live intrauterine pregnancy measuring 16 weeks 1 day, beyond the first trimester.
2. Normal placenta and amniotic fluid.
3. Recommend an anatomic survey at 18 to 22 weeks.
"""

OB_UNTITLED_TRIMESTER_EARLY = """ULTRASOUND OB - PRELIMINARY DATING
Indication: Positive pregnancy test, spotting. LMP certain.
Technique: Transabdominal pelvic ultrasound of the pregnant uterus. The patient declined the endovaginal
examination.
Findings:
Uterus: Anteverted, containing a single intrauterine gestational sac with a yolk sac and a fetal pole.
Embryo: Crown-rump length 2.3 cm, corresponding to 9w1d. Cardiac activity present, heart rate 171 bpm.
Subchorionic hemorrhage: Small crescentic hypoechoic collection along the inferior margin of the sac
measuring 1.8 x 0.6 cm.
Right ovary: Corpus luteum cyst 2.2 cm. Left ovary: Normal.
Free fluid: None.
Impression:
Single live intrauterine pregnancy, gestational age 9 weeks 1 day by crown-rump length, concordant with dates.
Small subchorionic hemorrhage. Follow-up ultrasound in 2 weeks is suggested to confirm interval growth and
resolution of the hemorrhage, or sooner if bleeding increases. Findings were discussed with the ordering
midwife at the time of the examination.
"""

OB_TITLED_SECOND_MEASURED_FIRST = """US OB >14 WKS SINGLE (USOB2)
REASON FOR EXAM: Size greater than dates on exam; confirm dating.
TECHNIQUE: Transabdominal obstetric ultrasound.
FINDINGS:
Single intrauterine gestation with cardiac activity, fetal heart rate 162 bpm.
CRL 5.9 cm, corresponding to an estimated gestational age of 12 weeks 3 days.
Nuchal region appears normal on the standard views but a formal nuchal translucency measurement was not
obtained.
Placenta: anterior, no previa. Amniotic fluid: subjectively normal.
Uterus: a 4.1 cm intramural fibroid in the right fundal wall, likely accounting for the size greater than dates.
Adnexa: no mass. No free fluid in the cul-de-sac.
IMPRESSION:
1. Single live intrauterine pregnancy at 12 weeks 3 days by crown-rump length.
2. Right fundal intramural fibroid 4.1 cm.
"""

OB_RECOMMENDATION_ONLY = """EXAM: US OB FIRST TRIMESTER
HISTORY: Vaginal bleeding at about 8 weeks by LMP.
TECHNIQUE: Transabdominal.
FINDINGS: Single live intrauterine pregnancy. Embryonic heart rate 158 bpm. Yolk sac normal.
Crown-rump length 1.6 cm. No subchorionic hemorrhage. Ovaries normal. No free fluid.
IMPRESSION: Single live intrauterine pregnancy. Recommend routine anatomy survey at 18-20 weeks and
nuchal translucency screening at 12 weeks.
"""


@pytest.mark.parametrize(("text", "want", "conflict"), [
    (OB_TITLED_FIRST_MEASURED_SECOND, ["76805"], True),
    (OB_UNTITLED_TRIMESTER_EARLY, ["76801"], False),
    (OB_TITLED_SECOND_MEASURED_FIRST, ["76801"], True),
    (OB_RECOMMENDATION_ONLY, ["76801"], False),  # ages in a recommendation are not the scan's
])
def test_measured_gestational_age_decides_the_obstetric_code(sg, text, want, conflict):
    rec = sg.suggest(text)
    assert codes(rec) == want
    assert ("title_technique_conflict" in flag_types(rec)) is conflict


def test_gestational_age_leaves_other_obstetric_services_alone(sg):
    # a follow-up study is coded per fetus whatever the age; a transvaginal pair keeps its codes
    text = ("EXAM: US OB FOLLOW-UP\nHISTORY: Interval growth, gestational diabetes.\nTECHNIQUE: Transabdominal.\n"
            "FINDINGS: Single live fetus, cephalic. Biometry: BPD 8.4 cm, HC 30.9 cm, AC 31.2 cm, FL 6.6 cm, "
            "composite age 33 weeks 5 days, EFW 2310 g (55th percentile). Amniotic fluid index 14 cm.\n"
            "IMPRESSION: Appropriate interval growth.")
    assert codes(sg.suggest(text)) == ["76816"]
    text = ("US OB <14 WKS TRANSABDOMINAL AND TRANSVAGINAL\nTECHNIQUE: Transabdominal survey followed by "
            "transvaginal imaging.\nFINDINGS: Single live intrauterine pregnancy, CRL 3.1 cm = 10 weeks 0 days.\n"
            "IMPRESSION: Live IUP at 10w0d.")
    assert codes(sg.suggest(text)) == ["76801", "76817"]


# ------------------------------------------------- nuclear medicine: the narrative's protocol

LEUKOCYTE_TWO_DAYS = """Indium-111 labeled white blood cell scintigraphy

An 81-year-old woman with a right total knee arthroplasty revised two years ago has had increasing knee pain
and a raised CRP. Aspiration was dry.

Autologous white cells were labeled with 0.5 mCi of indium-111 oxine and reinjected. Anterior and posterior
whole body images were obtained at 4 hours and again at 24 hours the following day, with spot views of both
knees at 24 hours.

There is intense activity about the femoral and tibial components of the right knee arthroplasty, increasing
between 4 and 24 hours and exceeding the marrow activity of the left knee. Normal liver, spleen and marrow.

Impression: Findings highly suggestive of infection of the right knee arthroplasty.
"""

LEUKOCYTE_ONE_DAY = """Labeled leukocyte study

Fever after a colectomy ten days ago, CT equivocal for a pelvic collection.

Leukocytes were labeled with technetium-99m exametazime and reinjected. Anterior and posterior whole body
images were acquired at 1 hour and at 3 hours after injection. No delayed imaging was needed.

There is a focal collection of activity in the left lower quadrant adjacent to the anastomosis at 3 hours,
not present at 1 hour. Expected bowel activity is otherwise absent.

Impression: Left lower quadrant abscess near the anastomosis.
"""

CAPTOPRIL_TWO_STUDIES = """Renal scintigraphy with captopril

Hypertension resistant to three drugs in a 58-year-old woman with an abdominal bruit.

Two studies were performed on the same day. A baseline study with 5 mCi of Tc-99m MAG3 included flow images
and 30 minutes of dynamic imaging. The patient then took 25 mg of captopril, and an hour later a second
injection of 10 mCi MAG3 was given and the acquisition repeated.

Baseline: symmetric function, normal time to peak. After captopril the left kidney shows cortical retention
and a time to peak of 12 minutes; its share of function falls from 50 to 43 percent.

Impression: High probability of left renovascular hypertension.
"""

WHOLE_GUT_TRANSIT = """NM WHOLE GUT TRANSIT STUDY
INDICATION: Chronic constipation and early satiety.
FINDINGS: After a labeled solid meal and an indium-111 DTPA drink, images were obtained over four days.
Gastric emptying is normal (8% retained at 4 hours). Small bowel transit is normal. Colonic transit is
delayed with a 48-hour geometric center of 2.0.
IMPRESSION: Slow colonic transit with normal gastric emptying and small bowel transit.
"""


@pytest.mark.parametrize(("text", "want"), [
    (LEUKOCYTE_TWO_DAYS, ["78804"]),   # whole body, imaged on two days
    (LEUKOCYTE_ONE_DAY, ["78802"]),    # whole body, one day
    (CAPTOPRIL_TWO_STUDIES, ["78709"]),  # baseline + captopril: two studies, one code
    (WHOLE_GUT_TRANSIT, ["78266"]),    # colon transit: the highest gastric emptying code
])
def test_nuclear_protocol_from_the_narrative(sg, text, want):
    assert codes(sg.suggest(text)) == want


PARATHYROID_SPECT_CT = """Dual-phase parathyroid scintigraphy with SPECT/CT

Primary hyperparathyroidism, calcium 11.1 mg/dL, before focused neck exploration.

After 22 mCi of Tc-99m sestamibi, anterior planar images of the neck and chest were obtained at 10 minutes and
2 hours. SPECT with a low-dose CT of the neck and upper chest followed the early planar images, and the fused
images were reviewed.

A focus of retained activity below the right thyroid lobe on delayed images corresponds to a 1.1 cm nodule
posterior to the right lower pole on the fused images.

Impression: Right inferior parathyroid adenoma.
"""

PARATHYROID_CT_NOT_DONE = """EXAM: NM PARATHYROID SPECT/CT
INDICATION: Hyperparathyroidism.
TECHNIQUE: 24 mCi Tc-99m sestamibi IV. Early and delayed anterior planar images of the neck and chest. SPECT of
the neck at 15 minutes. The hybrid camera's CT was out of service and no CT was performed.
FINDINGS: Persistent focus inferior to the left lower thyroid pole on delayed planar and SPECT images.
IMPRESSION: Left inferior parathyroid adenoma.
"""


@pytest.mark.parametrize(("text", "want"), [
    (PARATHYROID_SPECT_CT, ["78072"]),     # planar + SPECT + CT: the SPECT/CT code includes the others
    (PARATHYROID_CT_NOT_DONE, ["78071"]),  # the CT was not performed: planar with SPECT
])
def test_spect_ct_only_when_the_ct_was_done(sg, text, want):
    assert codes(sg.suggest(text)) == want


# ------------------------------------------------- laterality: the side scanned (§6)

BREAST_SIDE_NOT_SCANNED = """EXAM: US BREAST RIGHT LIMITED
CLINICAL HISTORY: 44-year-old woman with a palpable lump she localizes to the upper outer breast. Diagnostic
mammogram performed today.
TECHNIQUE: Targeted grayscale and color Doppler ultrasound.
COMPARISON: Diagnostic mammogram of the same day.
FINDINGS:
Targeted ultrasound was performed in the left breast at the 2 o'clock position, 6 cm from the nipple, at the
site of the palpable abnormality marked with a skin marker. There is an irregular hypoechoic mass with angular
margins measuring 1.4 x 1.1 x 1.2 cm, with posterior acoustic shadowing and internal vascularity on color
Doppler. It is not parallel to the skin. The left axilla contains two lymph nodes with normal fatty hila and
cortical thickness under 3 mm.
The right breast was not scanned; the order will be corrected to the left side.
IMPRESSION:
Suspicious 1.4 cm mass in the left breast at 2 o'clock corresponding to the palpable finding and the
mammographic finding. BI-RADS 4C: ultrasound-guided core needle biopsy is recommended and was scheduled
before the patient left the department.
"""


def test_the_side_scanned_wins_over_the_title(sg):
    rec = sg.suggest(BREAST_SIDE_NOT_SCANNED)
    assert codes(rec) == ["76642-LT"]
    assert flag_types(rec) == ["title_technique_conflict"]


# ------------------------------------------------- aneurysm: screening or surveillance (§5)

AAA_SURVEILLANCE = """US AORTA AAA SCREENING (USAAA)
Reason for exam: AAA screening.
History: 78-year-old man with a known 3.9 cm infrarenal abdominal aortic aneurysm, annual surveillance.
Former smoker.
Technique: Grayscale and color Doppler ultrasound of the abdominal aorta from the diaphragm to the bifurcation
and of the proximal common iliac arteries, in transverse and longitudinal planes.
Comparison: Ultrasound 13 months ago.
Findings:
Proximal aorta 2.2 cm. Mid aorta 2.5 cm. The infrarenal aorta contains a fusiform aneurysm measuring 4.1 x 4.0
cm (outer to outer), previously 3.9 cm, with a thin rim of nonocclusive mural thrombus. The distal aorta
measures 2.0 cm. Right common iliac artery 1.2 cm, left 1.3 cm. No periaortic collection. Flow is present
throughout on color Doppler.
Impression:
Infrarenal abdominal aortic aneurysm measuring 4.1 cm, grown by 2 mm in a year. Continued annual surveillance is
recommended; vascular surgery referral per the patient's physician.
"""

AAA_TRUE_SCREENING = """US AORTA AAA SCREENING (USAAA)
Reason for exam: One-time AAA screening, Welcome to Medicare visit.
History: 66-year-old man, former smoker, 30 pack-years. No known aneurysm. Father had an aortic aneurysm.
Technique: Grayscale ultrasound of the abdominal aorta from the diaphragm to the bifurcation, with transverse
and longitudinal measurements.
Comparison: None.
Findings:
Proximal aorta 2.1 cm. Mid aorta 1.9 cm. Distal aorta 1.8 cm. Normal tapering without aneurysmal dilatation or
focal ectasia. Minor atherosclerotic plaque in the distal aorta. The common iliac arteries are normal in
caliber, each measuring about 1.0 cm. No periaortic fluid.
Impression:
No abdominal aortic aneurysm. The largest aortic diameter is 2.1 cm. No further screening is needed for this
indication.
"""


@pytest.mark.parametrize(("text", "want", "conflict"), [
    (AAA_SURVEILLANCE, ["76775"], True),  # a known aneurysm followed up: aorta alone is retroperitoneal limited
    (AAA_TRUE_SCREENING, ["76706"], False),
])
def test_known_aneurysm_is_not_screening(sg, text, want, conflict):
    rec = sg.suggest(text)
    assert codes(rec) == want
    assert ("title_technique_conflict" in flag_types(rec)) is conflict


# ------------------------------------------------- extremity: complete joint or one structure (§5)

KNEE_PARTS_NOT_EXAMINED = """US KNEE RIGHT COMPLETE
Indication: Swelling behind the right knee for 3 weeks. Evaluate for Baker cyst versus deep vein thrombosis.
Technique: High-frequency linear transducer ultrasound of the posterior right knee, with grayscale and color
Doppler images of the popliteal fossa.
Findings:
There is a 4.2 x 1.6 x 2.4 cm anechoic collection between the medial head of the gastrocnemius and the
semimembranosus tendon, communicating with the joint through a narrow neck, consistent with a Baker cyst. Its
inferior margin is smooth and there is no fluid tracking into the calf to suggest rupture. The popliteal artery
is normal in caliber. The popliteal vein is patent and compressible with normal color flow.
The anterior compartment, the extensor mechanism and the collateral ligaments were not examined.
Impression:
Intact Baker cyst of the right knee measuring 4.2 cm. No popliteal vein thrombosis in the imaged segment;
a complete venous duplex can be performed if clinical concern for DVT persists.
"""

SHOULDER_COMPLETE_HABITUS = """US SHOULDER LEFT COMPLETE
Indication: Left shoulder pain with overhead activity for 2 months.
Technique: Complete sonographic evaluation of the left shoulder including the biceps tendon, subscapularis,
supraspinatus, infraspinatus and teres minor tendons, the acromioclavicular joint, the posterior glenohumeral
recess and dynamic assessment for subacromial impingement. Evaluation is somewhat limited by body habitus.
Findings:
The long head of the biceps tendon is in the groove without effusion. The subscapularis tendon is intact and
stable with internal and external rotation. The supraspinatus tendon shows a 6 mm partial-thickness
bursal-sided tear at the anterior leading edge, without full-thickness extension. The infraspinatus and teres
minor tendons are intact. The subacromial-subdeltoid bursa is thickened to 2.5 mm with bunching under the
acromion on abduction. The acromioclavicular joint shows mild degenerative capsular hypertrophy. No posterior
joint effusion.
Impression:
Partial-thickness bursal-sided supraspinatus tear with subacromial-subdeltoid bursitis and dynamic
impingement.
"""


@pytest.mark.parametrize(("text", "want"), [
    (KNEE_PARTS_NOT_EXAMINED, ["76882-RT"]),    # parts of the joint not examined: one structure
    ("US KNEE LEFT LIMITED", ["76882-LT"]),       # limited joint study: the specific-structure code
    (SHOULDER_COMPLETE_HABITUS, ["76881-LT"]),  # "limited by body habitus" is no limited study
])
def test_complete_joint_ultrasound_needs_the_whole_joint(sg, text, want):
    assert codes(sg.suggest(text)) == want


# ------------------------------------------------- pelvis: each approach as documented (§3, §6)

PELVIS_TA_LIMITED_TV = """EXAM: US PELVIS COMPLETE TRANSABDOMINAL AND TRANSVAGINAL
HISTORY: 47-year-old with menorrhagia and pelvic pressure.
TECHNIQUE: A limited transabdominal survey was obtained because the bladder was nearly empty; the ovaries were
not visualized transabdominally. Endovaginal imaging was then performed with complete evaluation of the uterus,
endometrium and both ovaries.
COMPARISON: None.
FINDINGS:
Transabdominal: bladder underdistended; uterus enlarged, partly seen.
Endovaginal: Uterus 11.2 x 6.4 x 7.0 cm with multiple intramural and subserosal fibroids, the largest 4.6 cm in
the posterior fundus; a 1.8 cm submucosal fibroid distorts the endometrial cavity. Endometrium 9 mm.
Right ovary 3.0 x 2.1 cm and left ovary 2.8 x 1.9 cm, each with small follicles. No adnexal mass. No free fluid.
IMPRESSION:
Fibroid uterus, including a 1.8 cm submucosal fibroid, which likely explains the menorrhagia.
"""

PELVIS_TA_COMPLETE_TV = """EXAM: US PELVIS COMPLETE TRANSABDOMINAL AND TRANSVAGINAL
HISTORY: Pelvic pain.
TECHNIQUE: Transabdominal images with a distended bladder, followed by endovaginal images.
FINDINGS: Uterus 8.0 x 4.1 x 4.9 cm, normal myometrium. Endometrium 6 mm. Right ovary 2.9 cm and left ovary 3.1
cm, normal with follicles. Bladder normal. No free fluid.
IMPRESSION: Normal pelvic ultrasound.
"""


@pytest.mark.parametrize(("text", "want"), [
    (PELVIS_TA_LIMITED_TV, ["76830", "76857"]),
    (PELVIS_TA_COMPLETE_TV, ["76830", "76856"]),
])
def test_each_pelvic_approach_is_coded_as_documented(sg, text, want):
    assert codes(sg.suggest(text)) == want


# ------------------------------------------------- contrast: "precontrast" names the first series (§2)

MR_ABDOMEN_PRECONTRAST = """EXAM 1: MRI ABDOMEN WITHOUT AND WITH CONTRAST
EXAM 2: MRA ABDOMEN

CLINICAL: Postprandial abdominal pain and weight loss; evaluate for mesenteric ischemia and pancreatic mass.

TECHNIQUE: Axial and coronal T2, diffusion-weighted and precontrast 3D T1 images of the abdomen. Contrast-enhanced 3D MRA of the abdominal aorta and mesenteric arteries in the arterial phase after 10 mL gadobutrol, followed by portal venous and 3-minute delayed 3D T1 images. MIP reconstructions of the arteries reviewed.

FINDINGS:
MRI abdomen: Pancreas normal in size and enhancement without mass. Liver, spleen, kidneys and adrenals normal.
MRA: 70% stenosis at the origin of the superior mesenteric artery; celiac artery and inferior mesenteric artery patent. No aneurysm.

IMPRESSION:
1. Superior mesenteric artery origin stenosis of about 70 percent, which may explain the postprandial pain.
2. No pancreatic mass.
"""

MR_ABDOMEN_PRECONTRAST_ONLY = """EXAM: MRI ABDOMEN WITHOUT AND WITH CONTRAST
CLINICAL: Indeterminate 2 cm right renal lesion on ultrasound.
TECHNIQUE: Axial and coronal T2, in- and opposed-phase T1 and precontrast 3D T1 images. Contrast was not
administered because the IV line infiltrated.
FINDINGS: 2.1 cm T2-hyperintense lesion of the right lower pole.
IMPRESSION: Lesion not characterized without contrast.
"""


@pytest.mark.parametrize(("text", "want"), [
    (MR_ABDOMEN_PRECONTRAST, ["74183", "74185"]),  # the contrast series told with the MRA
    (MR_ABDOMEN_PRECONTRAST_ONLY, ["74181"]),
])
def test_precontrast_series_before_the_contrast_one(sg, text, want):
    assert codes(sg.suggest(text)) == want


# ------------------------------------------------- Doppler of an organ's vessels: duplex or not (§5)

LIVER_PORTAL_SPECTRAL = """ULTRASOUND RIGHT UPPER QUADRANT WITH DOPPLER
Clinical: Alcohol-related cirrhosis, rising bilirubin. Evaluate portal vein patency.
Technique: Grayscale images of the liver, gallbladder and common bile duct. Color and spectral Doppler of the
main, right and left portal veins. The hepatic artery and hepatic veins were not interrogated.
Findings:
The liver is small with a nodular surface and coarse echotexture; no focal mass. The gallbladder wall is
thickened to 5 mm in the setting of ascites, without stones. The common bile duct measures 3 mm.
The main portal vein is patent with hepatopetal flow and a peak velocity of 16 cm/s; the right and left portal
veins are patent with hepatopetal waveforms. Moderate ascites. The spleen tip is enlarged.
Impression:
1. Cirrhotic liver with moderate ascites.
2. Patent portal veins with hepatopetal flow.
"""

RENAL_ARTERIES_AND_VEINS = """US RETROPERITONEUM COMPLETE WITH RENAL DOPPLER
INDICATION: Resistant hypertension, rising creatinine.
TECHNIQUE: Grayscale images of both kidneys, the abdominal aorta and the bladder. Spectral Doppler waveforms of the
main renal arteries from origin to hilum, segmental arteries of each pole, and both main renal veins.
FINDINGS:
Right kidney 10.9 cm and left kidney 11.2 cm with normal cortical thickness and no hydronephrosis. The aorta is
normal in caliber, 2.1 cm, with a peak systolic velocity of 92 cm/s. The bladder is normal.
Right main renal artery peak systolic velocity 110 cm/s, left 98 cm/s; renal-aortic ratios 1.2 and 1.1.
Intrarenal resistive indices 0.64 to 0.68 with normal acceleration times. Both renal veins are patent with
normal phasic flow.
IMPRESSION: No sonographic evidence of renal artery stenosis. Normal kidneys.
"""

SCROTUM_COLOR_ONLY = """EXAM: US SCROTUM WITH COLOR DOPPLER
HISTORY: 17-year-old with acute left scrotal pain for 6 hours.
TECHNIQUE: Grayscale and color Doppler images of both testes and epididymides.
FINDINGS: Right testis 4.3 x 2.4 x 2.6 cm and left testis 4.1 x 2.3 x 2.5 cm, homogeneous. Color flow is present
and symmetric in both testes. The left epididymal head is enlarged and hyperemic. Small left hydrocele.
IMPRESSION: Left epididymitis. No testicular torsion.
"""


@pytest.mark.parametrize(("text", "want"), [
    (LIVER_PORTAL_SPECTRAL, ["76705", "93976"]),        # portal inflow only: limited duplex
    (RENAL_ARTERIES_AND_VEINS, ["76770", "93975"]),     # arterial inflow and venous outflow: complete
    (SCROTUM_COLOR_ONLY, ["76870"]),                    # color flow alone adds no code
])
def test_spectral_doppler_of_organ_vessels_is_a_duplex_scan(sg, text, want):
    assert codes(sg.suggest(text)) == want


# ------------------------------------------------- kidneys and bladder; one abdominal organ (§5)

RENAL_NARRATIVE_UTI = """Renal ultrasound for recurrent urinary tract infections in a 6-year-old girl.

The right kidney measures 8.1 cm and the left kidney 8.4 cm in length, both appropriate for age, with normal cortical echogenicity and corticomedullary differentiation. There is no hydronephrosis, renal scarring, calculus or duplication on either side. No perinephric fluid. The ureters are not dilated.

The bladder is well distended with a smooth, normal-thickness wall and no ureterocele, debris or calculus. Both ureteral jets are seen on color Doppler.

Impression: Normal renal and bladder ultrasound. No sonographic sign of reflux nephropathy or obstruction; a voiding cystourethrogram remains the test for reflux if clinically needed.
"""

PYLORUS_INFANT = """US PYLORUS
CLINICAL INDICATION: 4-week-old boy with projectile nonbilious vomiting after every feed for 3 days.
TECHNIQUE: Real-time ultrasound of the pyloric region with the infant in the right posterior oblique position,
before and after a small glucose-water feed.
FINDINGS:
The pyloric muscle wall measures 4.6 mm in thickness and the pyloric channel 19 mm in length. The channel
remains closed throughout the 10-minute observation, with no passage of fluid from the stomach into the
duodenum despite vigorous peristalsis. The stomach is distended with fluid. No free fluid.
IMPRESSION:
Hypertrophic pyloric stenosis. Findings were called to the pediatric surgery resident at 14:20.
"""


@pytest.mark.parametrize(("text", "want"), [
    (RENAL_NARRATIVE_UTI, ["76770"]),       # the bladder is a renal study's element, not a pelvic exam
    ("US RENAL AND BLADDER\nFINDINGS: Right kidney 10.4 cm, left kidney 10.9 cm, no hydronephrosis. "
     "Bladder normal, postvoid residual 20 mL.\nIMPRESSION: Normal.", ["76770"]),
    (PYLORUS_INFANT, ["76705"]),            # one abdominal organ: limited abdomen
])
def test_kidneys_with_bladder_and_single_abdominal_organ(sg, text, want):
    assert codes(sg.suggest(text)) == want
