"""Each pipeline stage on its own, against the tiny fixture lexicon in ``tests/fixtures/lexicon``
(21 codes: CT abdomen / pelvis / abdomen+pelvis, XR chest and knee, US abdomen, diagnostic
mammography with the G0279 add-on; a few dozen terms): the spaCy components, the context marks, frame building and resolution, candidate
ranking and the report rules, and the output stage, each with exact outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from suggester.attributes import SPAN_KEY
from suggester.confidence import line_features, report_context
from suggester.extraction import Extractor, build_nlp
from suggester.frames import (
    Pools,
    build_frames,
    contrast_value,
    group_mentions,
    pools,
    resolve_contrast,
    resolve_side,
    resolve_views,
    split_and_merge,
    views_value,
)
from suggester.lexicon import Lexicon, load_lexicon
from suggester.mapping import apply_rules, map_frames, rank
from suggester.model import Extraction, Frame, Line, Mention
from suggester.output import code_lines, review_reasons
from suggester.pipeline import Suggester

FIXTURE = Path(__file__).parent / "fixtures" / "lexicon"


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon(FIXTURE)


@pytest.fixture(scope="module")
def extractor(lex) -> Extractor:
    return Extractor(lex, str(FIXTURE))


def _m(key: str, value: str, section: str = "exam", status: str = "performed", token: int = 0,
       sent: int = 0, doc_id: int = 0, start: int = 0) -> Mention:
    return Mention(key, value, start, start + 1, section, value, token, doc_id, status=status, sent=sent)


def test_fixture_lexicon_is_small_and_loads(lex):
    assert lex.version == "0.0.1"
    assert sorted(lex.codes) == ["71045", "71046", "71047", "71048", "72192", "72193", "72194", "73560",
                                 "73562", "73564", "74150", "74160", "74170", "74176", "74177", "74178",
                                 "76700", "76705", "77065", "77066", "G0279"]
    assert sorted(lex.payers) == ["medicare"]


# --------------------------------------------------------------------------- spaCy components


def _spans(nlp, text: str) -> list[tuple[str, str, str]]:
    # the components hand their spans on in doc.user_data; the last one writes doc.spans
    if "suggester_spans" not in nlp.pipe_names:
        nlp.add_pipe("suggester_spans")
    doc = nlp(text)
    return [(s.text, s.label_, s.kb_id_) for s in doc.spans[SPAN_KEY]]


def test_terms_component_alone_marks_the_lexicon_terms():
    nlp = spacy.blank("en")
    nlp.add_pipe("suggester_terms", config={"lexicon_path": str(FIXTURE)})
    assert _spans(nlp, "ct abdomen with contrast") == [("ct", "ct", ""), ("abdomen", "abdomen", ""),
                                                        ("with contrast", "with contrast", "")]
    assert _spans(nlp, "mri brain") == []  # not in the fixture lexicon


def test_spelling_component_corrects_long_words_only():
    nlp = spacy.blank("en")
    nlp.add_pipe("suggester_spelling", config={"lexicon_path": str(FIXTURE)})
    doc = nlp("ct abdmen pelvs chst")
    # "chst" has 4 letters: never fuzzy-matched (abbreviations match exactly through the lexicon)
    assert [t.norm_ for t in doc] == ["ct", "abdomen", "pelvis", "chst"]
    assert doc.user_data["fuzzy"] == [1, 2]


def test_views_component_reads_counts():
    nlp = spacy.blank("en")
    nlp.add_pipe("suggester_views")
    assert _spans(nlp, "knee 3 views right") == [("3 views", "VIEWS", "3")]
    assert _spans(nlp, "two views of the chest") == [("two views", "VIEWS", "2")]


def test_terms_read_in_one_doc_get_the_tokens_they_get_alone():
    """term_norms tokenizes every term in one Doc; each term's NORM ids are those of its own Doc
    (the tokenizer reads each space-separated piece alone), also where affixes and infixes split."""
    from suggester.attributes import term_norms

    nlp = build_nlp(str(FIXTURE))
    terms = ["w/o", "abd&pelvis", "tmj(s)", "breast- rt", "l-3 spine", "x-ray", "ct a/p", "c.t.", "2v", "knee,",
             "(left)", "left)", "e.g. chest", "1/2 views"]
    alone = [[t.norm for t in nlp.make_doc(term)] for term in terms]
    assert term_norms(nlp, terms) == alone
    assert [len(a) for a in alone[:5]] == [3, 3, 4, 3, 4]  # w / o, abd & pelvis, tmj ( s ), breast - rt, l - 3 spine
    assert term_norms(nlp, []) == []


def test_context_component_marks_negated_and_historical_spans():
    nlp = build_nlp(str(FIXTURE))
    doc = nlp("no ct abdomen")
    assert doc.user_data["context"] == {1: "negated", 2: "negated"}
    assert doc.user_data["context_forward"] == {1: True, 2: True}
    doc = nlp("xr chest pa and lateral")
    assert doc.user_data["context"] == {}
    doc = nlp("prior ct abdomen")
    assert doc.user_data["context"] == {1: "historical", 2: "historical"}


# --------------------------------------------------------------------------- frames


def test_group_mentions_and_build_frames(lex):
    ms = [_m("modality", "CT", token=0), _m("site", "abdomen", token=1), _m("contrast", "with", token=2),
          _m("modality", "XR", token=4), _m("site", "knee", token=5), _m("side", "left", token=6)]
    groups = group_mentions(ms)
    assert [(g.modality.value if g.modality else None, [m.value for m in g.mentions]) for g in groups] == \
        [("CT", ["abdomen", "with"]), ("XR", ["knee", "left"])]
    frames = build_frames(groups, lex, None)
    assert [(f.modality, f.site, f.side, dict(f.sources)) for f in frames] == [
        ("CT", "abdomen", None, {"site": "title", "modality": "title"}),
        ("XR", "knee", "left", {"site": "title", "modality": "title", "side": "title"})]


def test_merge_rule_makes_one_abdomen_pelvis_frame(lex):
    frames = [Frame("CT", "abdomen", contrast="without"), Frame("CT", "pelvis", contrast="with")]
    out = split_and_merge(frames, lex)
    assert [(f.modality, f.site, f.region, f.contrast) for f in out] == \
        [("CT", "abdomen_pelvis", "abdomen_pelvis", "without_then_with")]


def test_contrast_and_views_values():
    assert contrast_value([_m("contrast", "with"), _m("contrast", "without")]) == "without_then_with"
    assert contrast_value([_m("contrast", "with", status="negated")]) == "without"
    assert contrast_value([_m("contrast", "with", status="historical")]) is None
    assert contrast_value([_m("contrast", "oral")]) == "without"  # oral alone is "without" (CODING_RULES §2)
    assert views_value([_m("proj", "pa"), _m("proj", "lateral")]) == 2
    assert views_value([_m("views", "3")]) == 3
    assert views_value([_m("proj", "pos_upright")]) == 1


def _pools(frames: list[Frame], mentions: list[Mention], source: str = "exam") -> Pools:
    return pools(Extraction("", [], mentions, frames, source), load_lexicon(FIXTURE))


def test_technique_beats_title_with_a_conflict():
    f = Frame("CT", "abdomen")
    f.title_contrast = [_m("contrast", "with")]
    resolve_contrast(f, _pools([f], [_m("contrast", "without", section="technique")]))
    assert (f.contrast, f.sources["contrast"]) == ("without", "technique")
    assert [(c.attribute, c.title_value, c.performed_value) for c in f.conflicts] == [("contrast", "with", "without")]


def test_title_decides_when_the_technique_is_silent():
    f = Frame("CT", "abdomen")
    f.title_contrast = [_m("contrast", "with")]
    resolve_contrast(f, _pools([f], []))
    assert (f.contrast, f.sources["contrast"], f.conflicts) == ("with", "title", [])


def test_views_count_on_radiographs_only():
    xr, ct = Frame("XR", "chest"), Frame("CT", "abdomen")
    technique = [_m("proj", v, section="technique") for v in ("pa", "lateral", "oblique")]
    for f in (xr, ct):
        resolve_views(f, _pools([f], technique))
    assert (xr.views, xr.sources["views"]) == (3, "technique")
    assert ct.views is None


def test_side_from_the_findings_only_when_nothing_else_says():
    f = Frame("XR", "knee")
    resolve_side(f, _pools([f], [_m("side", "right", section="findings")]))
    assert (f.side, f.sources["side"]) == ("right", "findings")
    g = Frame("XR", "knee", side="left")
    resolve_side(g, _pools([g], [_m("side", "right", section="technique")]))
    assert g.side == "right"
    assert [(c.attribute, c.title_value, c.performed_value) for c in g.conflicts] == [("side", "left", "right")]


def test_extractor_end_to_end(extractor):
    ex = extractor.extract("CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Axial images without contrast.")
    assert [f.to_dict() for f in ex.frames] == [
        {"modality": "CT", "site": "abdomen_pelvis", "region": "abdomen_pelvis", "contrast": "without",
         "views": None, "side": None, "qualifiers": [],
         "sources": {"contrast": "technique", "modality": "title", "site": "title"}}]
    assert (ex.frame_source, ex.title.text if ex.title else None) == ("exam", "CT ABDOMEN AND PELVIS WITH CONTRAST")


def test_us_complete_without_its_elements_becomes_limited(extractor):
    ex = extractor.extract("US ABDOMEN COMPLETE\nFINDINGS: The liver is normal.")
    (f,) = ex.frames
    assert f.quals == {"limited"}
    assert f.elements_missing == ["gallbladder", "common bile duct", "pancreas", "spleen", "kidneys", "IVC", "aorta"]


# --------------------------------------------------------------------------- mapping


def test_rank_orders_by_penalty_then_code(lex):
    f = Frame("XR", "chest", region="chest", views=3)
    assert [(c.code.code, c.penalty, c.reasons) for c in rank(f, lex)] == [
        ("71047", 0.0, []), ("71046", 4.1, ["views 2-2 vs 3"]), ("71048", 4.1, ["views 4-99 vs 3"]),
        ("71045", 4.2, ["views 1-1 vs 3"])]
    g = Frame("CT", "abdomen_pelvis", region="abdomen_pelvis")
    assert [(c.code.code, c.penalty) for c in rank(g, lex)] == [("74176", 0.0), ("74177", 2.0), ("74178", 2.0)]


def test_map_frames_and_the_bundle_rule(lex):
    lines, applied = map_frames([Frame("XR", "knee", region="knee", views=3, side="right")], lex,
                                lex.payers["medicare"])
    assert [(ln.code.code, ln.frame.side if ln.frame else None) for ln in lines] == [("73562", "right")]
    assert applied == []
    both = [Line(lex.codes[c], None, []) for c in ("74176", "74150")]
    kept, applied = apply_rules(both, lex)
    assert [ln.code.code for ln in kept] == ["74176"]
    assert [(a["rule"], a["type"], a["removed"]) for a in applied] == [
        ("ct_ap_combined_includes_parts", "bundle", ["74150"])]


def test_addon_rule_with_its_qualifier_and_payer_condition(lex):
    f = Frame("MG", "breast", region="breast", side="bilateral", quals={"diagnostic", "tomosynthesis"})
    lines, applied = map_frames([f], lex, lex.payers["medicare"])
    assert [(ln.code.code, ln.origin, ln.rule) for ln in lines] == [("77066", "frame", None), ("G0279", "addon", "g0279")]
    assert applied == []
    plain = Frame("MG", "breast", region="breast", side="bilateral", quals={"diagnostic"})
    assert [ln.code.code for ln in map_frames([plain], lex, lex.payers["medicare"])[0]] == ["77066"]


# --------------------------------------------------------------------------- output and the whole pipeline


def test_code_lines_add_the_component_and_side_modifiers(lex, extractor):
    ex = extractor.extract("XR KNEE RIGHT 3 VIEWS")
    lines, _ = map_frames(ex.frames, lex, lex.payers["medicare"])
    ctx = report_context(ex, lines, variants=lex.code_variants())
    feats = [line_features(ln, ctx) for ln in lines]
    codes, alternatives, line_conf = code_lines(ex, lines, "professional", lex.payers["medicare"], lex,
                                                feats, [0.9])
    assert [(c["code"], c["modifiers"], c["units"], c["confidence"]) for c in codes] == [
        ("73562", ["26", "RT"], 1, 0.9)]
    assert [(a["code"], a["for"]) for a in alternatives] == [("73560", "73562"), ("73564", "73562")]
    assert [c for c, _ in line_conf] == [0.9]


def test_suggester_on_the_fixture_lexicon():
    s = Suggester(lexicon_path=str(FIXTURE), confidence_model="rules", title_model="off")
    out = s.suggest("EXAM: CT ABDOMEN AND CT PELVIS WITHOUT CONTRAST")
    assert [(c["code"], c["modifiers"]) for c in out["codes"]] == [("74176", ["26"])]
    assert out["versions"]["lexicons"] == "0.0.1"
    assert [f["type"] for f in out["flags"]] == ["bundling_conflict"]
    out = s.suggest("XR CHEST")
    assert [(c["code"], c["modifiers"]) for c in out["codes"]] == [("71045", ["26"])]
    assert [f["type"] for f in out["flags"]] == ["views_not_documented"]
    job = s._prepare("XR HAND", None, None, None, "r1")  # no hand in the fixture lexicon
    assert (job.lines, review_reasons(job, [], [], 0.0, 0.8)) == ([], ["no billable exam recognised"])


# --------------------------------------------------------------------------- title model arithmetic


def _plain_word_ids(vocab: dict[str, int], word: str) -> list[int]:
    """A word's character n-gram ids the plain way: every slice of " word ", 2-grams first."""
    padded = f" {word} "
    return [vocab[padded[i:i + n]] for n in range(2, 6) for i in range(len(padded) - n + 1)
            if padded[i:i + n] in vocab]


def test_title_model_word_ids_come_in_the_order_of_the_plain_lookup():
    import numpy as np

    from suggester.memo import memos_off
    from suggester.title_model import TitleModel

    grams = [" c", "ct", "t ", " ct", "ct ", " ct ", "tc", "ctc", "w:", "w:c", "w:ct", "@c", "c@", "é ", "bé",
             " abé", "x", "abcdef", "w:ct", "w:x"]
    vocab = {g: i for i, g in enumerate(dict.fromkeys(grams))}
    m = TitleModel(vocab, np.ones(len(vocab), np.float32), np.zeros((len(vocab), 2), np.float32),
                   np.zeros(2, np.float32), ("a", "b"), {})
    with memos_off():
        for word in ("ct", "ctct", "w:ct", "@ct", "abé", "x", "abcdef", "c"):
            got, tokens = m._word_ids(word)
            assert got == _plain_word_ids(vocab, word), word
    assert m._word_ids("ctct")[0] == [0, 1, 6, 1, 2, 3, 7, 4]
    assert m._word_ids("w:ct") == ([8, 1, 2, 9, 4, 10], [vocab["w:ct"]])  # "w:" inside a word is a character n-gram too


def test_title_model_top_k_is_the_stable_sort():
    import numpy as np

    from suggester.title_model import _top_k

    rs = np.random.RandomState(7)
    for trial in range(3000):
        n = int(rs.randint(1, 30))
        p = rs.choice([0.0, 0.1, 0.25, 0.5], size=n) if trial % 2 else rs.rand(n)
        for k in (0, 1, 3, 5, n, n + 2):
            assert _top_k(p, k).tolist() == np.argsort(-p, kind="stable")[:k].tolist(), (p, k)
    assert _top_k(np.array([0.2, 0.5, 0.2, 0.5, 0.1]), 3).tolist() == [1, 3, 0]  # ties in index order
