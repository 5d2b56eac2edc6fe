"""vista37: reports exported from a hospital information system whose header abbreviates its fields.

Such an export opens with "Exm Date:", "Req Phys:", "Pat Loc:", "Img Loc:" lines, a "(Case N STATUS)"
line carrying the exam name, "Report Status: Verified", "Date Reported/Verified:", "Verifier E-Sig:",
and closes with "Primary Diagnostic Code:" and "Primary Interpreting Staff:". The provider and location
lines were read as the exam title ("Loc" as nuclear localization, "Phys" as a qualifier): every report of
the kind came out as 78800. The reports below are written for this test.
"""

from __future__ import annotations

import pytest

from suggester import Suggester
from suggester.noise import set_aside


def _report(title: str, technique: str, findings: str) -> str:
    return (
        "Exm Date: MAR 04, 2026@14:10\n"
        "Req Phys: HALVORSEN,ERIK J          Pat Loc: MED CLINIC B (Req'g Loc)\n"
        "Att Phys: OKAFOR,NNEKA              Img Loc: IMAGING EAST\n"
        "                                    Service: Primary Care\n\n"
        f"(Case 512 VERIFIED)  {title}\n"
        "Accession: 030426-512\n\n"
        "Clinical History:\n  pain, evaluate\n\n"
        "Report Status: Verified              Date Reported: MAR 04, 2026\n"
        "                                     Date Verified: MAR 04, 2026\n"
        "Verifier E-Sig:/ES/Lena Marsh, MD\n\n"
        f"Report:\nTECHNIQUE: {technique}\n\nFINDINGS: {findings}\n\n"
        "Impression:\nNo acute abnormality.\n\n"
        "Primary Diagnostic Code: NORMAL\n"
        "Primary Interpreting Staff:\n  LENA MARSH, MD, Staff Physician\n"
        "/lm\n"
    )


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


@pytest.mark.parametrize(("title", "technique", "findings", "codes"), [
    ("CT HEAD W/O CONT", "Axial images of the head without IV contrast.", "No hemorrhage.", ["70450"]),
    ("US ABDOMEN COMPLETE", "Grayscale images of the abdomen.",
     "Liver, gallbladder, common bile duct, pancreas, spleen, both kidneys, aorta and IVC are normal.", ["76700"]),
    ("MRI LUMBAR SPINE W/O CONT", "Sagittal and axial T1 and T2 images without contrast.",
     "Mild disc bulge at L4-5.", ["72148"]),
    ("ANKLE 3 OR MORE VIEWS", "AP, mortise and lateral views of the left ankle.", "No fracture.", ["73610-LT"]),
])
def test_export_codes_the_case_line_exam(title, technique, findings, codes):
    assert _codes(_report(title, technique, findings)) == codes


def test_abbreviated_fields_are_set_aside():
    text = _report("CT HEAD W/O CONT", "Axial images without contrast.", "No hemorrhage.")
    kept_text, _spans = set_aside(text)
    for label in ("Req Phys", "Pat Loc", "Img Loc", "Exm Date", "Verifier E-Sig", "Primary Diagnostic Code",
                  "Date Verified", "Primary Interpreting Staff"):
        assert label not in kept_text, label


def test_case_mark_is_set_aside():
    text = "(Case 77 VERIFIED)  ct left elbow without contrast for a radial head fracture seen on plain films"
    kept, spans = set_aside(text)
    assert [(n.kind, text[n.start:n.end]) for n in spans] == [("case_mark", "(Case 77 VERIFIED)")]
    assert kept.lstrip().startswith("ct left elbow")
    # a dictated one-line report after the mark: the CT alone, not the radiographs its history names
    assert _codes(text) == ["73200-LT"]


def test_case_words_in_the_text_stay():
    text = "In this case (case of a fall) there is no fracture (2 cases)."
    assert set_aside(text)[1] == []
