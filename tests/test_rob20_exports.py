"""Robustness on the dev split, branch rob20: the front end reads a report the way RIS/PACS/EHR
exports write it. Covered here: an ORDERED / PERFORMED header pair whose lines hold a RIS row (the
exam name, then a dash, a pipe, a date and a colon before the reason or the read): the header's
exam name is cut where an unlabelled title line is cut; a facility's short name ("... CAH") in a
RIS row; HL7 escapes (a label after "\\.br\\", a message escaped whole); an EHR "NARRATIVE:" label.
The reports are written for these tests
(none copied from the data); each asserts the exact claim lines under global billing for Medicare
(CODING_RULES §2, §4, §6)."""

from __future__ import annotations

import warnings

import pytest
from conftest import codes

from suggester import Suggester


@pytest.fixture(scope="module")
def s() -> Suggester:
    warnings.simplefilter("ignore")
    return Suggester(billing="global", payer="medicare")


def lines(s: Suggester, text: str) -> list[str]:
    return codes(s.suggest(text))


def pair(row: str, rest: str) -> str:
    """A RIS ORDERED / PERFORMED pair naming ``row`` above the dictated line (``row`` + ``rest``)."""
    return f"ORDERED: {row}\nPERFORMED: {row}\n{row}{rest}"


# --------------------------------------------------------------------------- the header's RIS row
# The pair's lines hold the whole first sentence of a terse one-line read: the exam name, then the
# row's other fields and the start of the read. What follows the name is report body, as it is on an
# unlabelled title line; the reason for the exam names no exam performed.

@pytest.mark.parametrize(("text", "want"), [
    # a pipe before the reason (an identifier field and a date between)
    (pair("MRI LT ANKLE WO | ACC 7713920 | 20261104 | DIABETIC, WOUND LATERAL HEEL, PRIOR HEAD TRAUMA",
          ". T1, STIR AND T2 FS IN 3 PLANES. NO IV CONTRAST. IMP: NO OSTEOMYELITIS."), ["73721-LT"]),
    # a dated title and a colon before the read, the read running to the line's end
    (pair("XR SHOULDER RT 1V AP 11/02/26 0412: HUMERAL HEAD BACK IN THE GLENOID",
          ". NO FRACTURE SEEN. -- J. ORTEGA MD"), ["73020-RT"]),
    (pair("MANDIBLE PANORAMIC 11/30/2026: Hx jaw swelling, head and neck pain",
          ". No fracture. Periapical lucency lower left molar."), ["70355"]),
    # a RIS row's code, then a spaced dash before the reason
    (pair("CT CHEST WO [CTCHWO] -- 3 mo f/u 6 mm nodule first seen on CTA 08/2026",
          ". Nodule stable at 6 mm. IMP: stable nodule."), ["71250"]),
])
def test_header_row_cut_like_a_title(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- a facility's short name
# A RIS row's facility field written as a short name ("... CAH", "... RMC", "... HOSP") above or after
# the title is a banner: its words ("TWIN", "CEDAR") name no exam and no attribute of one.

@pytest.mark.parametrize(("text", "want"), [
    ("EXAM: US OB 2ND/3RD TRIMESTER\\.br\\TWIN LAKES CAH  ACC TL00123456\\.br\\INDICATION: dating, no "
     "prenatal care.\\.br\\TECHNIQUE: Transabdominal obstetric ultrasound.\\.br\\FINDINGS: Single live "
     "intrauterine pregnancy. Biometry consistent with 22 weeks. Placenta anterior. Fluid normal.\\.br\\"
     "IMPRESSION: Single live IUP.",
     ["76805"]),
    ("EXAM:, US OB 2ND/3RD TRIMESTER, TWIN LAKES CAH  ACC TL00123456, INDICATION:, dating, no prenatal care., "
     "TECHNIQUE:, Transabdominal obstetric ultrasound., FINDINGS:, Single live intrauterine pregnancy. "
     "Biometry consistent with 22 weeks. Placenta anterior. Fluid normal., IMPRESSION:, Single live IUP.",
     ["76805"]),
])
def test_facility_short_name_is_a_banner(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- HL7 escapes
# The report as an undecoded HL7 v2 value: "\.br\" before a label whose first letter is "r" or "n" is a
# line escape, not a line break written out ("\r"); a message pasted whole with its delimiters escaped
# ("OBX\F\1\F\TX\F\...") is read as the message it is (only the result value is report text).

@pytest.mark.parametrize(("text", "want"), [
    ("study_description: MRI FETAL\\.br\\report_text:\\.br\\HISTORY: 27 weeks, ventriculomegaly on US\\.br\\"
     "TECHNIQUE: Fast spin echo images of the fetal brain and body without contrast.\\.br\\FINDINGS: "
     "Atrium 11 mm. Normal body anatomy.\\.br\\IMPRESSION: Mild ventriculomegaly.", ["74712"]),
    ("study_description: CHEST (PA \\T\\ LAT)\\.br\\report_text:\\.br\\HISTORY: cough\\.br\\"
     "FINDINGS: Lungs are clear. Heart size normal.\\.br\\IMPRESSION: No acute disease.", ["71046"]),
    ("OBR\\F\\1\\F\\5512\\F\\5512\\F\\XRFTR\\S\\XR FOOT RT 3+ VIEWS\\F\\\\F\\\\F\\20261129081500\\R\\"
     "OBX\\F\\1\\F\\TX\\F\\\\F\\\\F\\EXAM: XR FOOT RIGHT\\R\\HISTORY: dropped a weight on the foot\\R\\"
     "TECHNIQUE: AP and lateral views; the oblique view was not obtained.\\R\\FINDINGS: No fracture.\\R\\"
     "IMPRESSION: Negative.", ["73620-RT"]),
])
def test_hl7_escaped_text(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- an EHR narrative label
# An Epic-style export puts the report text under "NARRATIVE:" (or "Narrative") with the exam name on a
# line above or below it: the label names the document part, not the exam; the exam line is the title.

@pytest.mark.parametrize(("text", "title"), [
    ("NARRATIVE:\nMR LUMBAR SPINE WO CONTRAST\nHistory: back pain.\nTechnique: Sagittal and axial images "
     "without contrast.\nFindings: Mild disc bulge.\nImpression: Mild degeneration.", "MR LUMBAR SPINE WO CONTRAST"),
    ("Narrative\nUS RENAL COMPLETE\nHistory: elevated creatinine.\nFindings: Both kidneys and the bladder "
     "are normal.\nImpression: Normal.", "US RENAL COMPLETE"),
    ("NARRATIVE: XR FOOT LEFT 3 VIEWS\nHISTORY: stubbed toe.\nFINDINGS: No fracture.", "XR FOOT LEFT 3 VIEWS"),
])
def test_narrative_label_is_not_the_title(s, text, title):
    ex = s.extract(text)
    assert ex.title is not None and ex.title.text == title
