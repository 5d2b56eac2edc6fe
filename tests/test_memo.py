"""The pipeline's memos (sections read by spaCy, the title model's top codes, the combiner's
scores) change no output: a report coded from memo hits equals the same report coded with every
memo off, offsets included, and each memo stays within its bound."""

import pytest

from suggester import Suggester, extraction, hybrid, title_model

TITLE = "XR KNEE 3 VIEWS RIGHT"
TECHNIQUE = "TECHNIQUE: AP, lateral and sunrise views of the right knee."
REPORTS = [
    f"{TITLE}\n{TECHNIQUE}\nFINDINGS: No fracture.\nIMPRESSION: Normal knee.",
    # the same title and technique further into the text (the offsets differ) and another body
    f"RADIOLOGY REPORT\n\n{TITLE}\nHISTORY: Fall.\n{TECHNIQUE}\nFINDINGS: Small joint effusion.",
    f"{TITLE}\nCOMPARISON: None.\n{TECHNIQUE}\nIMPRESSION: Mild degenerative change.",
    "CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Axial images with oral contrast only; no IV contrast was given.",
    "CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Axial images after 100 mL of IV contrast.\nFINDINGS: Normal.",
    "CT HEAD WO",
    "CT HEAD WO",
]


@pytest.fixture(scope="module")
def cold() -> list[dict]:
    """The reports coded with every memo off."""
    saved = extraction.SECTION_MEMO, hybrid.COMBINER_MEMO, title_model.TOP_CACHE
    extraction.SECTION_MEMO = hybrid.COMBINER_MEMO = title_model.TOP_CACHE = 0
    try:
        s = Suggester()
        out = list(s.suggest_many(REPORTS))
        assert s.extractor._memo == {} and s.title_model._tops == {}
        assert all(c._memo == {} for c in s.combiners.values())
    finally:
        extraction.SECTION_MEMO, hybrid.COMBINER_MEMO, title_model.TOP_CACHE = saved
    return out


def test_memo_hits_give_the_outputs_of_no_memo(sg_pro, cold):
    first = list(sg_pro.suggest_many(REPORTS))
    again = list(sg_pro.suggest_many(REPORTS))  # every section, title and candidate row seen before
    assert first == cold
    assert again == cold
    assert [c["code"] for c in cold[0]["codes"]] == ["73562"]
    # the title's evidence points into each report's own text
    for rec, text in zip(cold[:3], REPORTS[:3], strict=True):
        spans = {(e["start"], e["end"], e["text"]) for c in rec["codes"] for e in c["evidence"]}
        assert all(text[a:b] == t for a, b, t in spans)
        assert any(t == "XR" for _a, _b, t in spans)


def test_the_memos_keep_repeated_text(sg_pro):
    sg_pro.suggest("MR LUMBAR SPINE WO CONTRAST\nTECHNIQUE: Sagittal and axial T1 and T2 images.")
    assert ("exam", "MR LUMBAR SPINE WO CONTRAST") in sg_pro.extractor._memo
    assert ("technique", "Sagittal and axial T1 and T2 images.") in sg_pro.extractor._memo
    assert not any(name == "history" for name, _t in sg_pro.extractor._memo)  # unique text: not kept
    assert any(key[0] == "MR LUMBAR SPINE WO CONTRAST" for key in sg_pro.title_model._tops)


def test_the_memos_are_bounded(monkeypatch):
    monkeypatch.setattr(extraction, "SECTION_MEMO", 2)
    monkeypatch.setattr(title_model, "TOP_CACHE", 2)
    monkeypatch.setattr(hybrid, "COMBINER_MEMO", 8)
    s = Suggester()
    titles = ["CT HEAD WO", "CT CHEST W", "MR BRAIN WO", "XR CHEST 2 VIEWS", "US ABDOMEN COMPLETE"]
    for t in titles:
        s.suggest(t)
        assert len(s.extractor._memo) <= 2
        assert len(s.title_model._tops) <= 2
        assert all(len(c._memo) <= 8 for c in s.combiners.values())
    assert ("exam", "US ABDOMEN COMPLETE") in s.extractor._memo
