"""lead38: a technique that names only the patient's position does not count the views.

"XR LUMBAR SPINE 5 VIEWS ... TECHNIQUE: Upright views of the lumbar spine were obtained." billed the
single-view code: the position word "upright" was counted as the one view the technique documents,
over the title's count. One position word alone says how the views were taken; two positions ("supine
and upright") are two views, and "upright only" / "single upright view" is one. Reports written for
this test.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


def _codes(text: str) -> list[str]:
    out = Suggester(billing="professional", payer="medicare").suggest(text)
    return sorted(c["code"] for c in out["codes"])


@pytest.mark.parametrize(("title", "technique", "codes"), [
    ("XR LUMBAR SPINE 5 VIEWS", "Upright views of the lumbar spine were obtained.", ["72110"]),
    ("XR CHEST 2 VIEWS", "Upright.", ["71046"]),
    # ... a count or "only" beside the position, or two positions, are the views
    ("XR ABDOMEN 2 VIEWS", "Upright only.", ["74018"]),
    ("XR CHEST 2 VIEWS", "Single upright view.", ["71045"]),
    ("XR ABDOMEN 1 VIEW", "Supine and upright.", ["74019"]),
    ("XR ABDOMEN", "Upright.", ["74018"]),
])
def test_a_lone_position_word_keeps_the_title_count(title, technique, codes):
    assert _codes(f"{title}\nTECHNIQUE: {technique}\nFINDINGS: No acute abnormality.") == codes


@pytest.mark.parametrize(("text", "codes"), [
    ("EXAMINATION:  ABDOMEN (SUPINE AND ERECT)\n\nFINDINGS:\n\nSupine view of the abdomen. The upright view was not "
     "obtained as the patient could not stand.\n\nIMPRESSION:\n\nImproving obstruction.", ["74018"]),
    ("EXAMINATION:  ABDOMEN (SUPINE AND ERECT)\n\nFINDINGS:\n\nNonobstructive gas pattern.", ["74019"]),
])
def test_a_titled_position_the_findings_say_was_not_taken_is_not_counted(text, codes):
    assert _codes(text) == codes


@pytest.mark.parametrize(("text", "codes"), [
    ("EXAMINATION:  ABDOMEN (SUPINE AND ERECT)\n\nFINDINGS:\n\nSupine and upright views of the abdomen, with an upright "
     "PA view of the chest included to evaluate the hemidiaphragms. No free air.\n\nIMPRESSION:\n\nNormal.", ["74022"]),
    # ... not a chest film named in another sentence, nor an earlier one compared with
    ("XR ABDOMEN 2 VIEWS\nFINDINGS: Supine and upright views. Lungs clear on the chest radiograph of yesterday.",
     ["74019"]),
    ("XR ABDOMEN 2 VIEWS\nFINDINGS: Supine and upright views of the abdomen; compared with a chest x-ray of 1/2/2025.",
     ["74019"]),
])
def test_a_chest_view_the_abdomen_statement_includes_makes_the_series(text, codes):
    assert _codes(text) == codes
