"""The pipeline's memos (sections read by spaCy, the title model's top codes and word ids, the
combiner's scores) change no output: a report coded from memo hits equals the same report coded
with every memo off, offsets included, and each memo stays within its bound."""

import pytest

from suggester import Suggester, extraction, hybrid, title_model
from suggester.memo import BoundedMemo, clear_memos, memo_stats, memos_off, reset_memo_stats

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
    s = Suggester()
    with memos_off():
        out = list(s.suggest_many(REPORTS))
    assert len(s.extractor._memo) == 0 and len(s.title_model._tops) == 0 and len(s.title_model._words) == 0
    assert all(len(c._memo) == 0 for c in s.combiners.values())
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
    assert any(key[0] == "mr lumbar spine wo contrast" for key in sg_pro.title_model._tops)


def test_the_title_memo_keeps_a_title_in_any_case_and_spacing(sg_pro):
    """The title model reads a title lower-cased with its blanks collapsed: another spelling of
    the same title is a memo hit with the same answer, and a blank title is never kept."""
    m = sg_pro.title_model
    first = m.top("CT ABDOMEN PELVIS W CONTRAST", 5, ("modality=CT",))
    hits = m._tops.hits
    again = m.top("  Ct abdomen\tpelvis  w CONTRAST ", 5, ("modality=CT",))
    assert again == first and m._tops.hits == hits + 1
    assert m.top("ct abdomen pelvis w contrast", 3, ("modality=CT",)) == first[:3]  # another k: computed
    assert m.top(" \t ", 5) == [] and ("", 5, ()) not in m._tops
    m._tops.clear()
    assert m.top("  Ct abdomen\tpelvis  w CONTRAST ", 5, ("modality=CT",)) == first  # computed afresh: the same


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


def test_a_bounded_memo_clears_when_full_and_counts():
    m: BoundedMemo[str, int] = BoundedMemo("test memo", 2)
    assert m.get("a") is None
    m.put("a", 1)
    m.put("b", 2)
    assert (m.get("a"), m.get("b")) == (1, 2)
    m.put("c", 3)  # full: forgets a and b
    assert (len(m), m.get("a"), m.get("c")) == (1, None, 3)
    assert (m.hits, m.misses) == (3, 2)
    assert memo_stats()["test memo"] == {"hits": 3, "misses": 2, "hit_rate": 0.6}
    reset_memo_stats()
    assert (m.hits, m.misses) == (0, 0)
    none: BoundedMemo[str, int] = BoundedMemo("test memo", 0)
    none.put("a", 1)
    assert (len(none), none.get("a")) == (0, None)


def test_get_many_computes_each_missing_key_once_in_one_call():
    m: BoundedMemo[int, int] = BoundedMemo("test memo", 10)
    calls = []

    def square(keys):
        calls.append(list(keys))
        return [k * k for k in keys]

    assert m.get_many([3, 2, 3], square) == [9, 4, 9]
    assert m.get_many([2, 5, 5], square) == [4, 25, 25]
    assert calls == [[3, 2], [5]]


def test_memos_off_answers_nothing_and_keeps_nothing():
    m: BoundedMemo[str, int] = BoundedMemo("test memo", 4)
    m.put("a", 1)
    with memos_off():
        assert m.get("a") is None
        m.put("b", 2)
    assert (m.get("a"), "b" in m) == (1, False)


def test_clear_memos_forgets_every_memo(sg_pro):
    sg_pro.suggest("CT HEAD WO")
    assert len(sg_pro.extractor._memo) > 0 and len(sg_pro.title_model._tops) > 0
    clear_memos()
    assert len(sg_pro.extractor._memo) == 0 and len(sg_pro.title_model._tops) == 0
    assert all(len(c._memo) == 0 for c in sg_pro.combiners.values())
