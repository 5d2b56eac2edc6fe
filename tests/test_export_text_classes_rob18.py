"""Export-format text the front end must read as the report it stands for (robustness on the dev split,
branch rob18): one-line exports (lines joined with "," or ", ", the export's "," after each inline
header) and RIS header lines (EXAM / ORDERED / PERFORMED) that hold the read after the title's own
colon. Every report here was written for these tests in wordings of our own; exact code sets, billing
global, Medicare (CODING_RULES §2, §4, §6)."""

from __future__ import annotations

import warnings

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def s():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Suggester(billing="global")


def lines(s, text):
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"]) for c in s.suggest(text)["codes"])


# --------------------------------------------------------------------------- history run-on
# A one-line export joins the history line to the next with "," or ", ": the history ends there and
# the views sentence after it is the report body (views count, pharmacologic step, second study),
# when the history closes with a question mark, when the next line states the views taken, and on
# a short export line too.

@pytest.mark.parametrize(("text", "want"), [
    # the history's question mark, then the export's ", "
    ("EXAM:, XR PELVIS AND BILATERAL HIPS,HISTORY:, hip pain after a fall, fracture?, AP pelvis and frog-leg "
     "lateral views of both hips were obtained (3 images). No fracture. Joint spaces preserved.,IMPRESSION:, "
     "No fracture.", ["73522"]),
    ("EXAM:, NM HEPATOBILIARY SCAN, HX:, right upper quadrant pain, acalculous cholecystitis?, Gallbladder not "
     "seen at 60 minutes; morphine 2 mg IV given and imaging continued for 30 minutes. Gallbladder then "
     "filled., IMPRESSION:, Patent cystic duct.", ["78227"]),
    # the views sentence after a comma join
    ("EXAM:, XR SHOULDER LT, HISTORY:, fell on ice, shoulder pain, AP, Grashey and axillary views of the left "
     "shoulder. No dislocation or fracture., IMPRESSION:, Normal left shoulder.", ["73030-LT"]),
    ("EXAM:, XR FOOT RT, HISTORY:, kicked a door, AP lateral and oblique right foot. Fracture of the fifth "
     "proximal phalanx., IMPRESSION:, Toe fracture.", ["73630-RT"]),
    # a short export line (the joins carry no blank)
    ("XR FACIAL BONES,HISTORY:, assault,Waters, Caldwell and lateral views. No fracture.,IMPRESSION:, Negative.",
     ["70150"]),
])
def test_one_line_export_history_ends_at_the_join(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    # the same reports with their line breaks
    ("EXAM: XR SHOULDER LT\nHISTORY: fell on ice, shoulder pain\nAP, Grashey and axillary views of the left "
     "shoulder. No dislocation or fracture.\nIMPRESSION: Normal left shoulder.", ["73030-LT"]),
    ("XR FACIAL BONES\nHISTORY: assault\nWaters, Caldwell and lateral views. No fracture.\nIMPRESSION: Negative.",
     ["70150"]),
    # a comma inside the history is no join: the views asked for stay out of the read
    ("EXAM:, XR KNEE RT 1 VIEW, HISTORY:, knee pain, AP and lateral views requested by the clinic, "
     "FINDINGS:, Single AP view. No fracture., IMPRESSION:, Negative.", ["73560-RT"]),
])
def test_history_commas_that_are_no_join(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- the title's own colon
# A RIS header line (EXAM / ORDERED / PERFORMED) holding a one-line transcription: the title ends at
# its own colon (after its date and time, or when it opens with a modality word or names its views)
# and the read after it is report body, whose anatomy ("radial head", "distal fibula") names no exam.

@pytest.mark.parametrize(("text", "want"), [
    ("PERFORMED: XR ELBOW RT 2V 11/02/26 0140: RADIAL HEAD FRACTURE, NONDISPLACED. POSITIVE ANTERIOR FAT PAD.",
     ["73070-RT"]),
    ("Performed: Ankle (AP, mortise & lat) right: transverse fracture of the distal fibula, no talar shift.",
     ["73610-RT"]),
    ("ORDERED: XR HAND RT 3V 10/14/26: FRACTURE OF THE FIFTH METACARPAL NECK, SOFT TISSUE SWELLING OF THE WRIST.\n"
     "PERFORMED: XR HAND RT 3V 10/14/26: FRACTURE OF THE FIFTH METACARPAL NECK, SOFT TISSUE SWELLING OF THE WRIST.",
     ["73130-RT"]),
    # ... and on a one-line export's first line, the export's comma after the title's colon
    ("XR WRIST LT 2V:, DISTAL RADIUS BUCKLE FRACTURE, NO ULNAR STYLOID FRACTURE. SOFT TISSUE SWELLING OF THE "
     "FOREARM.", ["73100-LT"]),
])
def test_header_title_ends_at_its_own_colon(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("EXAM: XR KNEE LT 2V: joint effusion and a patellar fracture, no dislocation at the distal femur.",
     ["73560-LT"]),
    ("Exam: CT head without contrast: no acute hemorrhage, no mass effect, the paranasal sinuses are clear.",
     ["70450"]),
    # an order line's note after the title's sentence ("... (MFM). Note: ...") is no read of the title
    ("EXAM: US OB 14+ WEEKS SINGLE\nCLINICAL INDICATION: 29F G3P2 at 21w5d, fundal height ahead of dates.\n"
     "ORDER: US OB DETAILED FETAL ANATOMY (MFM). Note: a standard second-trimester examination was done today; "
     "the detailed anatomic survey will be done at the MFM clinic next week.\nFINDINGS:\nSingle live "
     "intrauterine gestation, breech. Fetal heart rate 150 bpm.\nBiometry consistent with dates. Amniotic fluid "
     "normal. Placenta anterior, no previa.\nIMPRESSION: Single live intrauterine pregnancy, size consistent "
     "with dates.", ["76805"]),
    # a colon inside the title that opens no read keeps the title whole
    ("EXAM: MRI LUMBAR SPINE: WITHOUT AND WITH CONTRAST\nHISTORY: radiculopathy\nIMPRESSION: Disc protrusion.",
     ["72158"]),
])
def test_header_title_colon_keeps_the_exam(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- the age after the title
# A title line run on (a one-line export's ", ") into the patient's age written in words ("5 day old",
# "15 year old", after a "clinical," lead): the age opens the history, whose anatomy ("the lower back",
# "the left knee") names no exam and no side of it.

@pytest.mark.parametrize(("text", "want"), [
    ("SPINE US (NEWBORN), 5 day old with a hairy patch over the lower back., Sagittal and transverse images of "
     "the spinal canal from T12 to the coccyx. Conus at L1-2., IMPRESSION:, Normal.", ["76800"]),
    ("MRI KNEE RT WITHOUT CONTRAST, clinical, 16 year old soccer player, twisted the left knee last season, now "
     "right knee pain., TECHNIQUE:, Sagittal and coronal PD fat sat, no contrast., IMPRESSION:, Normal.",
     ["73721-RT"]),
    ("MRI ANKLE LT WO, clinical, 15 year old runner, right ankle sprain last year, now left ankle pain., "
     "TECHNIQUE:, Sagittal, axial and coronal PD and T2 fat sat, no contrast., IMPRESSION:, Normal.",
     ["73721-LT"]),
    # (an infant's head sonogram keeps its title)
    ("US HEAD INFANT, 10 day old premature infant, rule out hemorrhage., FINDINGS:, No germinal matrix "
     "hemorrhage., IMPRESSION:, Normal.", ["76506"]),
])
def test_age_in_words_ends_the_title(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    # ... not an age in words after a sentence that ran on from the title: the title ends before the sentence
    ("LEFT ANKLE, THREE VIEWS, Patient tripped on the stairs this morning and twisted her left foot. 81 years "
     "old, on warfarin., AP, mortise and lateral images show a nondisplaced distal fibular fracture., "
     "IMPRESSION:, Weber B fracture, left.", ["73610-LT"]),
    ("RIGHT WRIST, THREE VIEWS, Patient fell on the ice at the bus stop and landed on his outstretched right "
     "hand. 68 years old, diabetic., PA, oblique and lateral images show a distal radius fracture., "
     "IMPRESSION:, Distal radius fracture, right.", ["73110-RT"]),
])
def test_age_in_words_after_a_sentence_keeps_the_title(s, text, want):
    assert lines(s, text) == want
