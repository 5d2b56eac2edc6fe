"""Reports that went through a PDF and came back as extracted text (fam38a): the page footer ("Page 1 of 2"),
the header printed again at the top of each page (the facility's letterhead, the patient line, "CONTINUED")
and a facility named after a modality ("PET/CT CENTER") are no exam. Own short reports, no copied text."""

import pytest

from suggester import Suggester
from suggester.noise import set_aside


@pytest.fixture(scope="module")
def sug():
    return Suggester(billing="professional", payer="medicare")


def codes(sug, text):
    return sorted(c["code"] for c in sug.suggest(text)["codes"])


LETTERHEAD = "LAKEVIEW GENERAL HOSP  PET/CT CENTER  88 Birch Road"
PATIENT = "Patient: [NAME]   MRN: [MRN]   DOB: [DOB]"


def test_modality_center_letterhead_is_no_pet_exam(sug):
    text = (f"{LETTERHEAD}\n{PATIENT}\n\nUS GUIDED ASPIRATION, RIGHT AXILLA\n"
            "Under real-time ultrasound a 20 gauge needle drained 15 mL of clear fluid.\n"
            "IMP: Ultrasound guided aspiration, right axilla.")
    assert codes(sug, text) == ["76942"]


def test_header_printed_on_each_page_is_set_aside(sug):
    text = (f"{LETTERHEAD}\n{PATIENT}\n\nCTA CHEST FOR PULMONARY EMBOLISM\n"
            "Technique: CT angiography of the chest after 80 mL IV contrast, MIP and 3D reformats.\n"
            "Findings: Pulmonary arteries opacify well without\n\n"
            f"Printed 01/05/2026 10:12   Page 1 of 2\n{LETTERHEAD}\n{PATIENT}\nCONTINUED\n\n"
            "filling defect. Lungs clear.\nImpression: No pulmonary embolism.\n\n"
            f"Page 2 of 2   {LETTERHEAD}")
    assert codes(sug, text) == ["71275"]


def test_header_under_the_footer_is_set_aside_once_printed():
    header = "Harbor Cancer Institute | Dept. of Radiology - Vascular & Body Imaging"
    text = ("BONE SCAN WHOLE BODY\nTechnique: 25 mCi Tc-99m MDP IV, whole body images at 3 hours.\n\n"
            f"Page 1 of 2\n{header}\n[PATIENT NAME] | MRN: [MRN]\n\nImpression: Rib focus.\n\nPage 2 of 2")
    blanked, noise = set_aside(text)
    assert header not in blanked and "BONE SCAN WHOLE BODY" in blanked and "Rib focus" in blanked
    assert "page_header" in {n.kind for n in noise}


def test_title_printed_in_every_page_header_keeps_its_first_copy(sug):
    text = ("CT ABDOMEN AND PELVIS WITH CONTRAST\n"
            "Technique: Axial images after 100 mL IV contrast.\nFindings: The liver is normal.\n\n"
            "Page 1 of 2\nCT ABDOMEN AND PELVIS WITH CONTRAST\n\n"
            "Impression: No acute process.\n\nPage 2 of 2")
    assert codes(sug, text) == ["74177"]


def test_page_marks_and_repeats_set_aside_keep_sentences():
    text = ("XR CHEST 2 VIEWS\nFindings: Heart size normal.\n\nPage 1 of 2\n"
            "the lungs are clear without effusion.\nno pneumothorax is seen today.\n\nPage 2 of 2")
    blanked, noise = set_aside(text)
    assert len(blanked) == len(text)
    assert "Page" not in blanked
    assert "the lungs are clear without effusion." in blanked  # prose under a footer is no header
    assert {n.kind for n in noise} == {"page_header"}


def test_place_is_only_a_modality_before_center():
    blanked, _ = set_aside("OUTSIDE HOSPITAL CT REPORT\nreviewed the center of the lesion on CT.\n"
                           "Open MRI Center of Dayton")
    assert "CT REPORT" in blanked and "center of the lesion on CT" in blanked
    assert "Open MRI Center" not in blanked


def test_long_line_keeps_all_but_the_page_mark():
    line = "CT HEAD WITHOUT CONTRAST, " + "no acute hemorrhage, " * 10 + "Page 1 of 1"
    blanked, _ = set_aside(line)
    assert blanked.startswith("CT HEAD WITHOUT CONTRAST") and "Page" not in blanked


def test_word_broken_by_a_line_end_hyphen_reads_whole():
    from suggester.lexicon import default_lexicon
    words = default_lexicon(None).term_tokens.__contains__
    text = "SPECT/CT with low-dose CT for attenua-\ntion correction; contrast-\nenhanced MRA; endova-\nscular."
    blanked, _ = set_aside(text, is_word=words)
    assert len(blanked) == len(text) and blanked.count("\n") == text.count("\n")
    assert "attenuation\n" in blanked and "contrast-enhanced" in blanked and "endova-scular." in blanked


def test_hyphen_broken_technique_word_decides_the_code(sug):
    text = ("MRA BILATERAL LOWER EXTREMITIES\n"
            "Technique: Time-resolved contrast-\nenhanced MR angiography of both legs from the groins to the feet\n"
            "after gadoterate, MIP reformats.\nImpression: Patent runoff.")
    assert codes(sug, text) == ["73725"]


def test_text_that_cannot_be_folded_is_read_too():
    # a text whose lower-cased copy would move offsets (no folded copy): page marks and broken words still read
    text = "CT HEAD WITHOUT CONTRAST \u0130\nFindings: no hemor-\nrhage.\n\nPage 1 of 1"
    blanked, noise = set_aside(text)
    assert len(blanked) == len(text) and "Page" not in blanked and "hemor-rhage." in blanked


def test_radioiodine_post_therapy_whole_body_scan(sug):
    text = ("I-131 POST-THERAPY WHOLE BODY SCAN\nHistory: papillary carcinoma after thyroidectomy.\n"
            "Technique: Anterior and posterior whole body images 6 days after 100 mCi I-131.\n"
            "Findings: Uptake in the thyroid bed and faint diffuse uptake in both lungs.")
    assert codes(sug, text) == ["78018"]
