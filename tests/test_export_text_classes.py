"""Export-format text as other systems hand it over (issue 12; the dev error classes of parts ex_a and
ex_b): raw speech-recognition output that speaks its punctuation, transcription-corpus wrappers
around a report, hard-wrapped exports, view lists. Every report here was written for these tests in
wordings of our own; exact code sets, billing global, Medicare (CODING_RULES §2, §4, §6)."""

from __future__ import annotations

import warnings

import pytest

from suggester import Suggester
from suggester.lexicon import default_lexicon
from suggester.noise import set_aside
from suggester.sections import normalize_dictation


@pytest.fixture(scope="module")
def s():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Suggester(billing="global")


def lines(s, text, ordered=None):
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"]) for c in s.suggest(text, ordered=ordered)["codes"])


# --------------------------------------------------------------------------- spoken punctuation
# A dictation that speaks its punctuation: "colon" after a header label is the mark, not the organ
# (no barium enema, no CT colonography), "new line" is a line break, and a header spoken mid-line
# opens its section (the title does not run on into the history).

@pytest.mark.parametrize(("text", "want"), [
    ("exam colon x-ray ankle right period views colon ap comma mortise and lateral period findings colon "
     "no fracture period impression colon normal ankle period", ["73610-RT"]),
    ("examination colon mri brain without contrast new line clinical history colon breast cancer comma "
     "headaches new line technique colon sagittal t1 comma axial flair and diffusion period no gadolinium "
     "given period new line findings colon no mass period", ["70551"]),
    ("study colon ct chest with contrast new paragraph history colon lymphoma new paragraph technique colon "
     "axial images after intravenous contrast new paragraph findings colon no adenopathy", ["71260"]),
    ("exam colon xr chest two views; xr hand left three views history colon fall views colon chest colon pa "
     "and lateral period left hand colon pa comma oblique and lateral period findings colon normal period",
     ["71046", "73130-LT"]),
    ("type of exam colon ct soft tissue neck with contrast new line reason for exam colon neck mass new line "
     "findings colon no abscess period", ["70491"]),
])
def test_spoken_header_colon_is_punctuation(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    # the organ: after an article, in an enema or colonography title, in a double-contrast title
    ("study colon barium enema single contrast new line findings colon the colon is normal in caliber "
     "period impression colon normal enema period", ["74270"]),
    ("study colon ct colonography screening new line technique colon noncontrast supine and prone images "
     "after colonic insufflation period new line findings colon no polyp period", ["74263"]),
    ("fl double contrast colon new line findings colon no polyp or mass period", ["74280"]),
])
def test_colon_the_organ_stays_in_a_spoken_dictation(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize("text", [
    "portable chest period there is a new line in the right internal jugular vein period colon gas is normal",
    "the catheter is seen on the next line of images period the sigmoid colon is redundant",
])
def test_a_line_after_an_article_is_no_spoken_break(text):
    out = normalize_dictation(text, headers=default_lexicon().sections)
    assert "\n" not in out and ("new line" in out or "next line" in out) and ". " in out


def test_spoken_new_line_is_a_line_break_and_offsets_hold():
    text = "exam colon ct head without contrast new line history colon fall"
    out = normalize_dictation(text, headers=default_lexicon().sections)
    assert len(out) == len(text)
    assert out.split("\n")[0].rstrip() == "exam:      ct head without contrast"
    assert out.split("\n")[-1].strip() == "history:      fall"


# --------------------------------------------------------------------------- HL7 v2 text pasted as a report
# The segments around the result values are no report text: the value type "FT" is no foot, the
# order's "CR" modality or "^L" coding system no exam word, and an FT value's "~" separates its
# lines (the history's "MRI contraindicated" is no technique).
_MSH = "MSH|^~\\&|RIS|NORTH|EHR|HOSP|202612011200||ORU^R01|M1|P|2.3"
_PID = "PID|1||[MRN]^^^HOSP^MR||[NAME]||[DOB]|M"


def _obr(code, name, modality):
    return f"OBR|1|555|555|{code}^{name}^L|||202612011200|||||||||Lee^Ann MD||||||202612011200||{modality}|F"


@pytest.mark.parametrize(("text", "want"), [
    (" ".join([_MSH, _PID, _obr("XANK3", "XR ANKLE LT 3V", "CR"),
               "OBX|1|FT|XANK3^XR ANKLE LT 3V^L||EXAM: XR ANKLE LT 3V~HISTORY: Inversion injury.~TECHNIQUE: AP, "
               "mortise and lateral views of the left ankle.~FINDINGS: No fracture.~IMPRESSION:~Negative.||||||F"]),
     ["73610-LT"]),
    (" ".join([_MSH, _PID, _obr("CTHWW", "CT HEAD W/WO CON", "CT"),
               "OBX|1|FT|CTHWW^CT HEAD W/WO CON^L||EXAM: CT HEAD W/WO CON~HISTORY: Melanoma, seizures. MRI "
               "contraindicated (pacemaker).~TECHNIQUE: Axial images before and after 75 mL IV Omnipaque 300.~"
               "FINDINGS: No enhancing lesion.~IMPRESSION:~Negative.||||||F"]), ["70470"]),
    (" ".join([_MSH, _PID, _obr("XHND2", "XR HAND RT 2V", "CR"),
               "OBX|1|FT|XHND2^XR HAND RT 2V^L||PROCEDURE: XR HAND RT 2V~INDICATION: Punched a wall.~TECHNIQUE: PA "
               "and lateral views of the right hand.~FINDINGS: Boxer fracture of the fifth metacarpal neck.||||||F"]),
     ["73120-RT"]),
    (" ".join([_MSH, _PID, _obr("USPEL", "US PELVIS COMPLETE", "US"),
               "OBX|1|FT|USPEL^US PELVIS COMPLETE^L||EXAM: US PELVIS COMPLETE~HISTORY: Pelvic pain.~TECHNIQUE: "
               "Transabdominal images of the pelvis.~FINDINGS: Uterus 8 cm, endometrium 6 mm, ovaries normal, no free "
               "fluid.||||||F"]), ["76856"]),
    # one segment a line, values of type TX: the same
    ("\n".join([_MSH, _PID, _obr("USRUQ", "US ABDOMEN LIMITED", "US"),
                "OBX|1|TX|USRUQ^US ABDOMEN LIMITED^L||EXAM: US ABDOMEN LIMITED RUQ||||||F",
                "OBX|2|TX|USRUQ^US ABDOMEN LIMITED^L||FINDINGS: Gallstones without wall thickening.||||||F",
                "OBX|3|TX|USRUQ^US ABDOMEN LIMITED^L||Dictated by: Lee, Ann MD \\F\\ Signed: 12/01/2026||||||F"]),
     ["76705"]),
])
def test_pasted_hl7_message_reads_only_the_result_values(s, text, want):
    assert lines(s, text) == want


def test_result_segment_cut_short_keeps_its_text(s):
    # no value field: the text after the head's last separator is the report
    text = ("OBX|1|TX|XRKN^XR KNEE LT 2V\\.br\\XR LEFT KNEE TWO VIEWS\\.br\\HX: fall\\.br\\AP and lateral views: "
            "no fracture.\\.br\\IMP: negative.")
    assert lines(s, text) == ["73560-LT"]


def test_pasted_hl7_segment_fields_are_set_aside_and_offsets_hold():
    text = " ".join([_MSH, _pid := _PID, "OBX|1|FT|XFT2^XR FOOT RT 2V^L||EXAM: XR FOOT RT 2V~FINDINGS: Normal.||||||F"])
    out, noise = set_aside(text)
    assert len(out) == len(text)
    assert out.split() == ["EXAM:", "XR", "FOOT", "RT", "2V", "FINDINGS:", "Normal."]
    assert {n.kind for n in noise} == {"hl7_segment"} and _pid not in out


_LSP = [_MSH, _PID, _obr("MRLSWO", "MR L SPINE WO CON", "MR"),
        "OBX|1|TX|MRLSWO^MR L SPINE WO CON^L||EXAM: MR L SPINE WO CON||||||F",
        "OBX|2|TX|MRLSWO^MR L SPINE WO CON^L||HISTORY: Sciatica. Prior CT abdomen with contrast.||||||F",
        "OBX|3|TX|MRLSWO^MR L SPINE WO CON^L||TECHNIQUE: Sagittal and axial T1 and T2 images, no IV contrast.||||||F",
        "OBX|4|TX|MRLSWO^MR L SPINE WO CON^L||FINDINGS: L4-5 disc protrusion.||||||F"]
_THY = [_MSH, _PID, _obr("USTHY", "US THYROID", "US"),
        "OBX|1|TX|USTHY^US THYROID^L||EXAM: US THYROID||||||F",
        "NTE|1||Comparison: CT neck with contrast 2025.",
        "OBX|2|TX|USTHY^US THYROID^L||FINDINGS: Right lobe 4.8 cm with a 1.2 cm solid nodule.||||||F"]
_SHO = [_MSH, _PID, "PV1|1|O|RAD", "ORC|RE|777|777", _obr("XSHO3", "XR SHOULDER RT 3V", "CR"),
        "OBX|1|FT|XSHO3^XR SHOULDER RT 3V^L||EXAM: XR SHOULDER RT 3V~TECHNIQUE: AP internal and external rotation "
        "and axillary views.~FINDINGS: No fracture. Cervical spine not imaged.||||||F"]
_CTC = [_MSH, _PID, _obr("CTCHW", "CT CHEST W CON", "CT"),
        "OBX|1|TX|CTCHW^CT CHEST W CON^L||EXAM: CT CHEST W CON||||||F",
        "OBX|2|TX|CTCHW^CT CHEST W CON^L||TECHNIQUE: Axial images after 80 mL IV Isovue 370.||||||F",
        "OBX|3|TX|CTCHW^CT CHEST W CON^L||FINDINGS: No pulmonary embolism. Upper abdomen unremarkable.||||||F"]


# the segment terminators lost: segments joined by the export's comma or semicolon, or run on
@pytest.mark.parametrize(("segs", "want"), [
    (_LSP, ["72148"]), (_THY, ["76536"]), (_SHO, ["73030-RT"]), (_CTC, ["71260"])])
@pytest.mark.parametrize("sep", [",", ";", ", ", ""])
def test_pasted_hl7_message_on_one_line_reads_only_the_result_values(s, segs, want, sep):
    assert lines(s, sep.join(segs)) == want


# a lower-cased corpus lower-cases the message pasted in it: the segments are still segments
@pytest.mark.parametrize(("segs", "want"), [
    (_LSP, ["72148"]), (_THY, ["76536"]), (_SHO, ["73030-RT"]), (_CTC, ["71260"])])
@pytest.mark.parametrize("sep", [" ", "\n", ","])
def test_lower_cased_pasted_hl7_message_reads_only_the_result_values(s, segs, want, sep):
    assert lines(s, sep.join(segs).lower()) == want


def test_lower_cased_pipe_row_is_no_message():
    row = "00014|a1236|rapid|1|xr chest 2 views|20261201 1000|history: cough. technique: pa and lateral views.|signed"
    assert set_aside(row)[0].split() == row.split()
    # a lower-cased segment ID opens a segment only where a segment can open (a line start, a blank,
    # the export's comma), not run on inside a field
    row = "00015|a1237|xr hand|sxobx|1|tx|exam: xr hand right~technique: pa and lateral views.|signed"
    assert set_aside(row)[0].split() == row.split()


def test_run_on_segments_start_their_own_lines():
    text = "".join(_THY)
    out, noise = set_aside(text)
    assert len(out) == len(text)
    assert [ln.strip() for ln in out.split("\n") if ln.strip()] == [
        "EXAM: US THYROID", "Comparison: CT neck with contrast 2025.",
        "FINDINGS: Right lobe 4.8 cm with a 1.2 cm solid nodule."]
    assert {n.kind for n in noise} == {"hl7_segment"}


@pytest.mark.parametrize("text", [
    # a pipe-delimited RIS row is no HL7 message: its fields stay for the row's own readers
    "00014|A1236|XRCH2|XR CHEST 2 VIEWS|20261201 1000|M|HISTORY: Cough. TECHNIQUE: PA and lateral views.|SIGNED",
    "EXAM: CT HEAD WO\nFINDINGS: Normal | no bleed.",
    # a RIS export whose column names echo segment IDs, with no message header or result segment
    "ACC|PID|OBR|REPORT\nA1236|[MRN]|XR CHEST 2V|HISTORY: Cough. TECHNIQUE: PA and lateral views.",
])
def test_text_that_is_no_hl7_message_keeps_its_fields(text):
    assert set_aside(text)[0].split() == text.split()


# --------------------------------------------------------------------------- line breaks written out
# A RIS row's report column with its line breaks as the two characters "\n": each is a line break.

@pytest.mark.parametrize(("text", "want"), [
    ("ACC|MRN|DATE|MOD|PROCEDURE|STATUS|REPORT\n77120|[MRN]|12/01/2026|CR|XR KNEE LT 2V|FINAL|EXAM: XR KNEE LT "
     "2V\\nHISTORY: Fall.\\nTECHNIQUE: AP AND LATERAL VIEWS OF THE LEFT KNEE.\\nFINDINGS: NO FRACTURE.", ["73560-LT"]),
    ("77121,[MRN],12/01/2026,US,US RENAL,FINAL,\"EXAM: US RENAL\\r\\nHISTORY: Rising creatinine.\\r\\nFINDINGS: Both "
     "kidneys normal in size, no hydronephrosis. Bladder decompressed.\"", ["76770"]),
])
def test_line_breaks_written_as_characters(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- transcription-corpus wrappers
# "Sample Type / Medical Specialty: ... Sample Name: ... Description: ... (Medical Transcription Sample
# Report) ... Keywords: ...": the specialty, the summary and the keywords name no exam performed; the
# sample's number is no view count; the sample's name may stand as the title.

@pytest.mark.parametrize(("text", "want"), [
    # the specialty "Cardiovascular / Pulmonary" is no chest ultrasound
    ("Sample Type / Medical Specialty: Cardiovascular / Pulmonary Sample Name: Venous Doppler Lower Extremity - 2 "
     "Description: No deep venous thrombosis. (Medical Transcription Sample Report) EXAM: US venous duplex left "
     "lower extremity. HISTORY: Calf swelling. FINDINGS: The left common femoral, femoral and popliteal veins are "
     "compressible with normal flow. IMPRESSION: No DVT. Keywords: radiology, venous doppler, thrombosis",
     ["93971-LT"]),
    # the summary's "noncontrast" and the keywords' title say nothing of what was performed
    ("Sample Type / Medical Specialty: Neurology Sample Name: MRI Brain - 3 Description: Small vessel disease on "
     "noncontrast MRI, no enhancing lesion. (Medical Transcription Sample Report) EXAM:,  MRI BRAIN WITH AND "
     "WITHOUT CONTRAST,TECHNIQUE:,  Sagittal T1, axial T2, FLAIR and diffusion, then axial and coronal T1 after "
     "gadolinium.,IMPRESSION:,  Small vessel disease. Keywords: radiology, mri brain, noncontrast, small vessel",
     ["70553"]),
    # the summary's anatomy ("epidural extension", "breast") is no study of its own
    ("Sample Type / Medical Specialty: Radiology Sample Name: MRI Lumbar Spine - 7 Description: Breast cancer "
     "metastasis with epidural extension at L3. (Medical Transcription Sample Report) EXAM: MRI lumbar spine "
     "without contrast. HISTORY: Breast cancer, back pain. TECHNIQUE: Sagittal T1, T2, STIR and axial T2 images. "
     "IMPRESSION: L3 metastasis with epidural extension.", ["72148"]),
    # the sample's number after its name is no view count; the name is the title when nothing else names the exam
    ("Sample Type / Medical Specialty: Orthopedic Sample Name: X-Ray Wrist Right 2 views - 3 Description: No "
     "fracture. (Medical Transcription Sample Report) HISTORY: Fall. FINDINGS: No fracture of the right wrist.",
     ["73100-RT"]),
])
def test_transcription_sample_wrapper_names_no_exam(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    # a one-line transcription: the sample's name and its summary are all there is of the report, so the
    # summary's contrast is the exam's (the name alone reads as without contrast)
    ("Sample Name: CT Abdomen & Pelvis - 2 Description: CT scan of abdomen and pelvis performed with IV contrast.",
     ["74177"]),
    ("Sample Type / Medical Specialty: Radiology\nSample Name: MRI Brain & Orbits\nDescription: MR imaging of "
     "the brain and orbits before and after gadolinium. (Medical Transcription Sample Report)\nKeywords: radiology, "
     "mri brain, orbits", ["70543", "70553"]),
    # the summary of a sample whose report follows is the impression again: it names nothing performed
    ("Sample Name: CT Abdomen & Pelvis - 2 Description: Enhancing lesion after contrast. (Medical Transcription "
     "Sample Report) HISTORY: Pain. TECHNIQUE: Axial images without contrast. FINDINGS: Liver lesion.", ["74176"]),
])
def test_one_line_transcription_summary_is_the_report(s, text, want):
    assert lines(s, text) == want


@pytest.mark.parametrize(("text", "want"), [
    # a title without a side over its restatement naming one: the restatement's side is the exam's
    ("Shoulder MRI\nMR imaging of the left shoulder without contrast.", ["73221-LT"]),
    ("Sample Name: Ankle X-Ray\nDescription: Three views of the right ankle after an inversion injury.", ["73610-RT"]),
    ("US VENOUS DUPLEX LOWER EXTREMITY\nRight leg venous duplex to exclude DVT.\nFINDINGS: Veins compressible.",
     ["93971-RT"]),
    # a site whose codes have no side takes none from its restatement
    ("CT CHEST WITHOUT CONTRAST\nLeft lung nodule follow-up.\nFINDINGS: Stable 4 mm nodule.", ["71250"]),
])
def test_restated_title_names_the_side(s, text, want):
    assert lines(s, text) == want


def test_keywords_and_description_outside_a_sample_wrapper_stay():
    text = "EXAM: CT HEAD WO\nDescription: noncontrast axial images.\nKeywords: trauma"
    assert set_aside(text)[0] == text


# --------------------------------------------------------------------------- view lists
# "internal and external oblique views" are two views (CODING_RULES §4: each projection counts)

@pytest.mark.parametrize(("text", "want"), [
    ("PROCEDURE PERFORMED:,  XR knee right.,TECHNIQUE:,  AP, lateral, and internal and external oblique views of "
     "the right knee.,FINDINGS:,  No fracture.", ["73564-RT"]),
    ("XR KNEE LEFT\nTechnique: standing AP, lateral and internal/external oblique views of the left knee.\n"
     "Findings: tricompartmental osteoarthritis.", ["73564-LT"]),
    # one oblique: two views
    ("XR KNEE LEFT\nTechnique: AP and internal oblique views of the left knee.\nFindings: normal.", ["73560-LT"]),
])
def test_internal_and_external_obliques_are_two_views(s, text, want):
    assert lines(s, text) == want


# --------------------------------------------------------------------------- hard-wrapped exports
# A text broken at a fixed width: a break inside a sentence is a blank ("WITHOUT IV" / "CONTRAST"
# is one phrase); a break after a sentence or before a label stays.

_WRAPPED = [
    ("STUDY: CT ANKLE LEFT WITHOUT CONTRAST.\nCLINICAL INDICATION: TRIMALLEOLAR FRACTURE ON RADIOGRAPHS, PREOPERATIVE\n"
     "PLANNING. TECHNIQUE: AXIAL CT OF THE LEFT ANKLE WITHOUT INTRAVENOUS\nCONTRAST WITH CORONAL AND SAGITTAL "
     "REFORMATS. FINDINGS: COMMINUTED FRACTURE OF\nTHE LATERAL MALLEOLUS AND POSTERIOR MALLEOLUS WITH 3 MM "
     "ARTICULAR STEP-OFF.\nIMPRESSION: TRIMALLEOLAR FRACTURE WITH POSTERIOR MALLEOLAR STEP-OFF.", ["73700-LT"]),
    ("examination: ct abdomen and pelvis. clinical indication: right lower quadrant\npain, fever. technique: "
     "axial images of the abdomen and pelvis with and\nwithout intravenous contrast, with coronal reformats. "
     "findings: the appendix is\ndilated to 11 mm with periappendiceal stranding. no abscess.\n"
     "impression: acute appendicitis.", ["74178"]),
]


@pytest.mark.parametrize(("text", "want"), _WRAPPED)
def test_hard_wrapped_sentence_reads_whole(s, text, want):
    assert lines(s, text) == want


def test_breaks_of_a_text_that_is_not_hard_wrapped_stay():
    text = ("EXAM: XR CHEST 2 VIEWS\nHISTORY: Cough\nTECHNIQUE: PA and lateral views of the chest\nFINDINGS: "
            "No consolidation\nIMPRESSION: Negative chest")
    assert set_aside(text)[0] == text


def test_wrapped_text_keeps_breaks_before_labels_and_after_sentences():
    out = set_aside(_WRAPPED[0][0])[0]
    assert "INTRAVENOUS CONTRAST WITH" in out and "PREOPERATIVE PLANNING" in out
    assert "\nIMPRESSION:" in out and "STEP-OFF.\n" in out
