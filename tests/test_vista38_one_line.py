"""vista38: the information-system export of vista37 flattened to one line by a downstream export.

The lines are joined by "," or ", ". Two things went wrong: a provider's name written "SURNAME,GIVEN"
("Req Phys:, HALVORSEN,ERIK J   Pat Loc: ...") was split at its comma as if it were a line join, so
"ERIK J   Pat Loc: MED CLINIC B (Req'g Loc)" became a line of its own and was read as the exam title
("Loc" as nuclear localization: 78800); and with ", " joins the case mark's line ("..., (Case 512
VERIFIED)  CT HEAD W/O CONT, ...") stayed inside the image-location field and the exam name was blanked
with it. The reports below are written for this test.
"""

from __future__ import annotations

import pytest

from suggester import Suggester
from suggester.noise import _ADMIN, _name_comma

HEADER = ["Exm Date:", "MAR 04, 2026@14:10",
          "Req Phys:", "HALVORSEN,ERIK J          Pat Loc: MED CLINIC B (Req'g Loc)",
          "Img Loc:", "IMAGING EAST"]


def _one_line(title: str, technique: str, findings: str, join: str) -> str:
    lines = [*HEADER, f"(Case 512 VERIFIED)  {title}", "Accession:", "030426-512",
             "Clinical History:", "pain, evaluate",
             "Report Status:", "Verified              Date Reported: MAR 04, 2026",
             "Verifier E-Sig:/ES/Lena Marsh, MD",
             "Report:", f"TECHNIQUE: {technique}", f"FINDINGS: {findings}",
             "Impression:", "No acute abnormality.",
             "Primary Diagnostic Code: NORMAL", "Primary Interpreting Staff:", "LENA MARSH, MD, Staff Physician"]
    return join.join(lines)


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"] if m != "26") for c in out["codes"])


@pytest.mark.parametrize("join", [",", ", "])
@pytest.mark.parametrize(("title", "technique", "findings", "codes"), [
    ("CT HEAD W/O CONT", "Axial images of the head without intravenous contrast.",
     "No hemorrhage or mass effect.", ["70450"]),
    ("US ABDOMEN COMPLETE", "Grayscale and color Doppler images of the abdomen.",
     "Liver, gallbladder, common bile duct, pancreas, spleen, both kidneys, aorta and IVC are unremarkable.", ["76700"]),
    ("DXA BONE DENSITY AXIAL", "Lumbar spine and both hips were measured.",
     "L1-L4 T-score -1.2. Left femoral neck T-score -1.8.", ["77080"]),
])
def test_one_line_information_system_export(join, title, technique, findings, codes):
    assert _codes(_one_line(title, technique, findings, join)) == codes


def test_a_name_comma_is_no_join_but_a_status_before_a_label_is():
    text = "Req Phys:, HALVORSEN,ERIK J   Pat Loc: CLINIC, Report Status:, FINAL,EXAM:, CT HEAD"
    assert _name_comma(text, text.index(",ERIK"), _ADMIN)
    assert not _name_comma(text, text.index(",EXAM"), _ADMIN)  # a label follows: a join
    assert not _name_comma("Exam:, CT HEAD,CT CERVICAL SPINE", 14, _ADMIN)  # two titles, no person field
