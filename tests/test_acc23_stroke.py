"""Code-stroke work-ups: a noncontrast head CT read on its own beside a CTA of the head and neck
(CODING_RULES §2: a CTA includes the noncontrast images of its own angiographic series; a head CT
performed and read apart from it is an exam of its own), and a CT perfusion, which has no code,
whose contrast does not make the head CT "without then with". Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes, flag_types

from suggester.frames import _OWN_HEAD_CT_READ_RX


@pytest.mark.parametrize(("text", "expected"), [
    # the title names both exams; the technique's "angiographic images" are the CTA's, not the head CT's
    ("EXAM: CT HEAD WO AND CTA HEAD/NECK\nHISTORY: Code stroke, aphasia.\n"
     "TECHNIQUE: Non-contrast images through the head, followed by angiographic images of the head and neck after "
     "70 mL Isovue 370 IV. MIP and 3D reformats were made.\nFINDINGS: No bleed. ASPECTS 9. Left M1 cutoff.",
     ["70450", "70496", "70498"]),
    # the title names the CTA alone, the report reads the noncontrast head CT under its own label
    ("EXAM: CTA HEAD AND NECK\nHISTORY: Stroke alert, left sided weakness.\n"
     "TECHNIQUE: Noncontrast head CT first, then CTA of the head and neck after 80 mL Omnipaque 350 IV. "
     "MIP reformats.\nNCCT: No intracranial bleed. ASPECTS 10.\nCTA: Right M2 occlusion. Carotids patent.\n"
     "IMPRESSION: Right M2 occlusion.", ["70450", "70496", "70498"]),
    ("EXAM: CTA HEAD AND NECK\nHISTORY: LKW 90 minutes, NIHSS 12.\n"
     "TECHNIQUE: Plain CT head, then CT angiography with 75 mL Isovue 370 IV. MIPs reviewed.\n"
     "FINDINGS: Noncontrast CT head - no hemorrhage, early right insular hypodensity.\n"
     "CTA: right ICA terminus occlusion.", ["70450", "70496", "70498"]),
    # a CT perfusion named beside the head CT: its contrast is not the head CT's
    ("EXAM: CT PERFUSION HEAD AND CT HEAD\nHISTORY: Code stroke.\n"
     "TECHNIQUE: Noncontrast CT head. CT perfusion after 35 mL Isovue 370 IV with automated maps.\n"
     "FINDINGS: No hemorrhage. Perfusion: 40 mL penumbra, no core.", ["70450"]),
])
def test_separately_read_head_ct_is_billed(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the CTA's own noncontrast series, no read of its own: part of the CTA (CODING_RULES §2)
    ("EXAM: CTA HEAD AND NECK\nHISTORY: Aneurysm follow-up.\nTECHNIQUE: Noncontrast images of the head, then "
     "angiographic images of the head and neck after 80 mL Isovue 370 IV. MIP reformats.\n"
     "FINDINGS: Stable 3 mm left ophthalmic aneurysm.", ["70496", "70498"]),
    # a head CT without then with contrast, no perfusion: unchanged
    ("EXAM: CT HEAD WITHOUT AND WITH CONTRAST\nHISTORY: Metastases.\n"
     "TECHNIQUE: Images before and after 75 mL Omnipaque 350 IV.\nFINDINGS: No enhancing lesion.", ["70470"]),
])
def test_cta_noncontrast_series_stays_bundled(sg, text, expected):
    assert codes(sg.suggest(text)) == expected


def test_merged_stroke_titles_raise_no_contrast_conflict(sg):
    rec = sg.suggest("EXAM: CT HEAD WITHOUT CONTRAST AND CTA HEAD AND NECK\nHISTORY: Code stroke.\n"
                     "TECHNIQUE: Noncontrast images of the head first, then angiographic images of the head and "
                     "neck after 70 mL Isovue 370 IV. MIP reformats.\nFINDINGS: No hemorrhage. ASPECTS 10.")
    assert codes(rec) == ["70450", "70496", "70498"]
    assert "title_technique_conflict" not in flag_types(rec)


@pytest.mark.parametrize(("text", "label"), [
    ("\nNCCT: no bleed", True),
    (". NCCT neg (ASPECTS 10)", True),
    ("\nTechnique: NCCT head first.", False),  # the technique names the series, no read
    ("\nCompared with the NCCT, no change", False),  # not at the start of a sentence
])
def test_own_read_label(text, label):
    assert bool(_OWN_HEAD_CT_READ_RX.search(text)) is label


def test_own_read_label_is_linear():
    import time
    # CPU time of this process (about 0.25 s here; a backtracking pattern takes minutes), so that a
    # loaded machine's wall clock cannot fail it
    t = time.process_time()
    _OWN_HEAD_CT_READ_RX.search((". noncontrast CT head " + " " * 50) * 20000)
    assert time.process_time() - t < 1.0


def test_negated_cta_names_no_angiogram(sg):
    # "CTA was not performed": the technique names no CT angiogram, so the plain title raises no modality conflict
    rec = sg.suggest("EXAM: CT HEAD WITHOUT CONTRAST\nHISTORY: Dizziness.\nTECHNIQUE: Axial noncontrast images of "
                     "the head. CTA was not performed as the order was changed.\nFINDINGS: No hemorrhage.")
    assert codes(rec) == ["70450"]
    assert "title_technique_conflict" not in flag_types(rec)
