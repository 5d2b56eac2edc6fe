"""Ultrasound and nuclear medicine codes that follow what the report documents (issue 11, the
remaining dev error classes): the gestational age measured at the scan decides the obstetric
code, a narrative nuclear report's body states its protocol, a colon transit study is the
highest gastric emptying code. Reports written for these tests in several house styles; exact
code sets (billing global, Medicare)."""

from __future__ import annotations

import pytest
from conftest import codes


def flag_types(rec):
    return sorted({f["type"] for f in rec["flags"]})


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
