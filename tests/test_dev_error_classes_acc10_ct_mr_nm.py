"""Error classes of the enlarged dev split in CT, MR, NM and PET (issue 12: the retired calibration
parts cal_aq..cal_at, speech-recognition transcriptions), fixed with general rules. Reports written
for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # speech recognition spells the modality as a dotted initialism ("M.R.I.", "M.R.", "C.T.", "i.v."):
    # the letters are the modality word, not a misspelling, and the run-on dictation's spoken header
    # words ("history", "impression") still end its title
    ("M.R.I. lumbar spine with out contrast history low back pain radiating to the left leg there is a "
     "left paracentral disc protrusion at l four five impression l four five disc protrusion", ["72148"]),
    ("M.R.I. of the left hand with and with out contrast history palpable mass there is a mass along the "
     "flexor tendon impression giant cell tumor of the tendon sheath", ["73220-LT"]),
    ("M.R.I. of the right knee without contrast history twisting injury there is a complex tear of the "
     "posterior horn of the medial meniscus impression medial meniscal tear", ["73721-RT"]),
    ("c.t. abdomen with i.v. contrast history pain there is a hypo attenuating mass in the pancreatic head "
     "impression pancreatic mass", ["74160"]),
    ("C.T. left ankle with out contrast history fall there is a nondisplaced fracture of the lateral "
     "malleolus impression lateral malleolar fracture", ["73700-LT"]),
    # negative: a punctuated report keeps its headed sections
    ("CT HEAD WITHOUT CONTRAST\nHISTORY: Fall.\nFINDINGS: No hemorrhage.\nIMPRESSION: Negative.", ["70450"]),
])
def test_dotted_initialisms_in_dictation(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # common report words one or two edits from a lexicon word stay as written: "no definite" is not
    # the ultrasound agent Definity (contrast), "neurologic deficits" neither, "hypoattenuating" is no
    # PET attenuation correction, the scaphoid "waist" is no wrist, "cortical" no cervical spine
    ("CT HEAD AND CERVICAL SPINE WITHOUT CONTRAST\nTECHNIQUE: Noncontrast axial CT of the head and the "
     "cervical spine.\nFINDINGS: No hemorrhage. No fracture.\nIMPRESSION: Negative.\nADDENDUM: MRI can be "
     "obtained if there are new neurologic deficits.", ["70450", "72125"]),
    # negative: a misspelled coding word is still read ("abdomin", "pelvus", "contrst")
    ("CT ABDOMIN AND PELVUS WITH IV CONTRST\nFINDINGS: No acute abnormality.\nIMPRESSION: Negative.",
     ["74177"]),
])
def test_report_words_are_not_respelled_as_coding_terms(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a typing slip that swaps two adjacent letters of a title word ("BRIAN", "PELIVS", "ABODMEN"):
    # one slip, read as the lexicon word (the first letter stays)
    ("EXAM: MRI BRIAN WITHOUT CONTRAST\nTECHNIQUE: Sagittal T1, axial FLAIR, T2, DWI.\nFINDINGS: Atrophy.\n"
     "IMPRESSION: No acute abnormality.", ["70551"]),
    ("EXAM: MRI PELIVS WITHOUT CONTRAST\nTECHNIQUE: Axial and coronal T1 and T2.\nFINDINGS: Normal.\n"
     "IMPRESSION: Negative.", ["72195"]),
    ("EXAM: CT ABODMEN WITH CONTRAST\nTECHNIQUE: Axial images after 100 mL Omnipaque IV.\nFINDINGS: Normal.\n"
     "IMPRESSION: Negative.", ["74160"]),
    ("mri brian w/wo gadolinium history glioma post contrast images obtained impression stable", ["70553"]),
    # negative: a capitalised name is no slip ("Dr. Brian Lee" names no brain study)
    ("CT CHEST WITHOUT CONTRAST\nFINDINGS: Normal lungs.\nIMPRESSION: Negative. Discussed with Dr. Brian Lee.",
     ["71250"]),
])
def test_adjacent_letters_swapped_in_a_title_word(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a report without a technique section whose findings open with the series acquired: that
    # sentence is the technique (CODING_RULES §2, §6: the technique wins over the title)
    ("EXAM: MRI THORACIC SPINE WITH CONTRAST\nHISTORY: Metastatic breast cancer.\nFINDINGS: Sagittal and axial "
     "pre and post contrast images. Enhancing lesion replacing the T8 vertebral body.\nIMPRESSION: "
     "Osseous metastasis.", ["72157"]),
    ("EXAM: MRI LUMBAR SPINE\nHISTORY: Prior discectomy, back pain.\nFINDINGS: Multiplanar multisequence images "
     "of the lumbar spine were obtained before and after intravenous gadolinium. Enhancing scar at L4-5 "
     "without recurrent disc.\nIMPRESSION: Epidural scar.", ["72158"]),
    ("EXAM: MRI CERVICAL SPINE WITHOUT CONTRAST\nHISTORY: Myelopathy.\nFINDINGS: Sagittal T1, T2 and STIR and "
     "axial T2 images, then sagittal and axial T1 images after gadolinium. Enhancing intramedullary lesion "
     "at C4.\nIMPRESSION: Enhancing cord lesion.", ["72156"]),
    # negative: findings that open with what the images show are findings, not the technique
    ("EXAM: MRI BRAIN WITHOUT CONTRAST\nHISTORY: Headache.\nFINDINGS: Axial images show no mass. No abnormal "
     "enhancement on the prior post-contrast images.\nIMPRESSION: Normal.", ["70551"]),
    ("EXAM: CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Axial images of the head.\nFINDINGS: Axial images of the "
     "head were obtained after contrast on the prior study. No hemorrhage.\nIMPRESSION: Normal.", ["70450"]),
])
def test_findings_that_open_with_the_series_acquired(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an MR technique that lists plain sequences in one sentence and gives the contrast in a later one
    # ("Following IV administration of ..., T1 images were obtained"): without then with (CODING_RULES §2)
    ("EXAMINATION: MRI C-SPINE W/O\nTECHNIQUE: Sagittal T1, T2 and STIR, axial T2 gradient echo. Following IV "
     "administration of 7 mL gadoterate, sagittal and axial T1 fat-suppressed images were obtained.\n"
     "FINDINGS: Epidural scar.\nIMPRESSION: Scar.", ["72156"]),
    ("EXAM: MRI KNEE RIGHT WITH CONTRAST\nTECHNIQUE: Axial proton density and T2 fat saturated images. After "
     "intravenous gadolinium, axial and coronal T1 fat saturated images.\nFINDINGS: Synovitis.\n"
     "IMPRESSION: Synovitis.", ["73723-RT"]),
    ("EXAM: MRI ORBITS WITH CONTRAST\nTECHNIQUE: Coronal STIR and axial T2. Post-contrast axial and coronal T1 "
     "fat saturated images after 10 mL Dotarem IV.\nFINDINGS: Optic neuritis.\nIMPRESSION: Left optic "
     "neuritis.", ["70543"]),
    # negative: sequences after the contrast sentence, or a sentence saying a plain series was not
    # obtained, are no plain series before it
    ("EXAM: MRI ORBITS WITH CONTRAST\nTECHNIQUE: Postcontrast axial and coronal T1 fat saturated images after "
     "10 mL Dotarem IV. Axial T2 and DWI.\nFINDINGS: Normal.\nIMPRESSION: Normal.", ["70542"]),
    ("EXAM: MRI BRAIN WITH CONTRAST\nTECHNIQUE: Precontrast T1 images were not obtained. Axial and coronal T1 "
     "images after 7 mL Gadavist IV.\nFINDINGS: Normal.\nIMPRESSION: Normal.", ["70552"]),
])
def test_plain_sequences_sentence_before_the_contrast_one(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the technique's "Ordered with and without contrast; ..." / "Requested with IV contrast; ..." states
    # the order, not what was done (CODING_RULES §6: bill what was performed)
    ("EXAM: MRI RIGHT WRIST\nHISTORY: Ulnar-sided wrist pain.\nTECHNIQUE: Ordered with and without contrast; "
     "protocoled by the radiologist as noncontrast. No gadolinium administered.\nFINDINGS: TFCC tear.\n"
     "IMPRESSION: TFCC tear.", ["73221-RT"]),
    ("EXAM: CT ABDOMEN PELVIS\nTECHNIQUE: Requested with IV contrast; performed without contrast because of "
     "renal failure.\nFINDINGS: Normal.\nIMPRESSION: Negative.", ["74176"]),
    # negative: a series done "as ordered" is done
    ("EXAM: MRI LUMBAR SPINE\nTECHNIQUE: Sagittal T1 and T2. Post contrast sagittal T1 as ordered.\n"
     "FINDINGS: Normal.\nIMPRESSION: Negative.", ["72158"]),
])
def test_the_order_stated_in_the_technique(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
