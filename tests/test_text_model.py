"""The report-text code model (suggester/text_model.py) and how the confidence model reads it
(features version 9: its disagreement with the rules' codes)."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from suggester import Suggester, confidence, text_model
from suggester.confidence import TEXT_FEATURES, ConfidenceModel, ConfidenceModelError, text_reading
from suggester.lexicon import default_lexicon

# team-written one-liners: three exams, each worded several ways
_CORPUS = {
    "70450": ["CT head without contrast. No acute intracranial abnormality.",
              "Noncontrast CT of the head: no hemorrhage.",
              "CT brain without IV contrast, no mass effect.",
              "Head CT without contrast for headache, negative."],
    "71046": ["Chest two views PA and lateral: clear lungs.",
              "XR chest 2 views, no pneumonia.",
              "PA and lateral chest radiographs: normal heart size.",
              "Chest radiograph two views: no effusion."],
    "76700": ["Complete abdominal ultrasound: liver, gallbladder, pancreas, kidneys normal.",
              "US abdomen complete, normal spleen and aorta.",
              "Ultrasound of the complete abdomen: no gallstones.",
              "Abdominal sonogram complete: normal liver."],
}


def _fit(**kw) -> text_model.TextModel:
    texts = [t for ts in _CORPUS.values() for t in ts] * 2
    codes = [[c] for c, ts in _CORPUS.items() for _ in ts] * 2
    return text_model.fit(texts, codes, min_reports=3, **kw)


def test_analyze_reads_lower_case_words_and_their_bigrams():
    assert text_model.analyze("CT Head w/o: 2 views") == [
        "ct", "head", "w", "o", "2", "views", "ct head", "head w", "w o", "o 2", "2 views"]
    assert text_model.analyze("") == []


def test_fitted_model_names_the_exam_of_unseen_wording():
    m = _fit()
    assert m.codes == ("70450", "71046", "76700")
    p = dict(zip(m.codes, m.probabilities("CT OF THE HEAD WITHOUT CONTRAST"), strict=True))
    assert p["70450"] > 0.5 > max(p["71046"], p["76700"])
    p = dict(zip(m.codes, m.probabilities("2 views of the chest"), strict=True))
    assert max(p, key=p.__getitem__) == "71046"


def test_term_ids_are_the_analyzer_terms_in_the_vectorizer_order():
    """term_ids reads the vocabulary without joining bigrams: the same ids, counts and order as
    counting analyze's output (the order fixes the sums, so the probabilities are identical)."""
    m = _fit()
    for t in ("", "zzz", "CT head CT head ct HEAD without contrast", "chest two views, chest two views; head",
              *(t for ts in _CORPUS.values() for t in ts)):
        want = Counter(m.vocab[g] for g in text_model.analyze(t) if g in m.vocab)
        assert list(m.term_ids(t).items()) == list(want.items())


def test_a_code_below_min_reports_gets_no_regression():
    texts = [t for ts in _CORPUS.values() for t in ts]
    codes = [[c] for c, ts in _CORPUS.items() for _ in ts]
    m = text_model.fit(texts + ["MRI knee left without contrast"], codes + [["73721"]], min_reports=2)
    assert "73721" not in m.codes and len(m.codes) == 3


def test_int8_coefficients_stay_close_to_the_fitted_regression():
    """The stored weights are int8 per code with a scale: probabilities within 0.01 of the
    float regression's on the training texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

    m = _fit()
    texts = [t for ts in _CORPUS.values() for t in ts] * 2
    vec = TfidfVectorizer(analyzer=text_model.analyze, min_df=text_model.MIN_DF, sublinear_tf=True)
    X = vec.fit_transform(texts)
    y = np.array([c == "70450" for c, ts in _CORPUS.items() for _ in ts] * 2)
    clf = SGDClassifier(loss="log_loss", alpha=text_model.ALPHA, max_iter=text_model.EPOCHS, tol=None,
                        random_state=0).fit(X, y)
    want = clf.predict_proba(X)[:, 1]
    got = np.array([m.probabilities(t)[m.index["70450"]] for t in texts])
    assert np.abs(got - want).max() < 0.01


def test_text_without_known_words_reads_the_intercepts():
    m = _fit()
    p = m.probabilities("zzz qqq")
    assert np.allclose(p, 1 / (1 + np.exp(-m.intercept.astype(np.float64))))


def test_save_and_load_round_trip(tmp_path):
    m = _fit()
    text_model.save(m, tmp_path / "t.npz")
    again = text_model.load(tmp_path / "t.npz")
    assert again.codes == m.codes and again.vocab == m.vocab
    for t in ("CT head", "chest two views", "abdominal ultrasound complete"):
        assert np.array_equal(again.probabilities(t), m.probabilities(t))


def test_load_refuses_another_features_version(tmp_path, monkeypatch):
    text_model.save(_fit(), tmp_path / "t.npz")
    monkeypatch.setattr(text_model, "FEATURES_VERSION", text_model.FEATURES_VERSION + 1)
    with pytest.raises(text_model.TextModelError) as e:
        text_model.load(tmp_path / "t.npz")
    assert str(e.value) == (f"{tmp_path / 't.npz'}: text model features version {text_model.FEATURES_VERSION - 1}, "
                            f"this code reads {text_model.FEATURES_VERSION}; rebuild it with `suggester train`")


def test_load_refuses_a_damaged_file(tmp_path):
    (tmp_path / "t.npz").write_bytes(b"not a zip")
    with pytest.raises(text_model.TextModelError, match="unreadable text model"):
        text_model.load(tmp_path / "t.npz")


# ------------------------------------------------------------------ the confidence features


def test_text_reading_compares_the_billed_codes():
    r = text_reading(("70450", "71046", "76700"), [0.9, 0.3, 0.05], ["70450", "99999"])
    assert r.p_billed == {"70450": 0.9} and r.min_billed == 0.9 and r.max_other == 0.3 and r.top_billed
    r = text_reading(("70450", "71046", "76700"), [0.9, 0.3, 0.05], ["71046"])
    assert r.min_billed == 0.3 and r.max_other == 0.9 and not r.top_billed
    r = text_reading(("70450",), [0.2], ["73721"])  # no regression for the billed code
    assert r.p_billed == {} and r.min_billed == confidence.TEXT_NEUTRAL and r.max_other == 0.2
    assert not r.top_billed
    # the model's own index gives the same reading; every code billed: no other code
    r = text_reading(("70450", "71046"), np.array([0.4, 0.7]), ["71046", "70450"], {"70450": 0, "71046": 1})
    assert r.p_billed == {"70450": 0.4, "71046": 0.7} and r.max_other == 0.0 and r.top_billed


def test_text_features_close_the_feature_row():
    names = confidence.FEATURE_NAMES
    assert names[-len(TEXT_FEATURES):] == TEXT_FEATURES
    assert confidence.FEATURES_VERSION == 9


@pytest.fixture(scope="module")
def shipped_dir() -> Path:
    d = confidence.default_model_dir()
    assert d is not None
    return d


def test_shipped_model_carries_its_text_model(shipped_dir):
    meta = json.loads((shipped_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["text_sha256"] == confidence.file_sha256(shipped_dir / confidence.TEXT_FILE)
    s = Suggester()
    assert s.text_model is not None and len(s.text_model.codes) == meta["text_model"]["codes"] >= 100
    job = s._prepare("EXAM: CT HEAD WITHOUT CONTRAST\nFINDINGS: No acute intracranial abnormality.",
                     None, None, None, None)
    (feat,) = job.feats
    assert [ln.code.code for ln in job.lines] == ["70450"]
    assert feat["text_ran"] == 1.0 and feat["text_code_known"] == 1.0
    assert feat["text_p_code"] == feat["text_min_billed"] > 0.5 > feat["text_max_other"]
    assert feat["text_top_billed"] == 1.0


def test_rule_score_suggester_reads_no_text_model():
    s = Suggester(confidence_model="rules")
    assert s.text_model is None
    job = s._prepare("CT HEAD WITHOUT CONTRAST", None, None, None, None)
    assert [job.feats[0][k] for k in TEXT_FEATURES] == [0.0, 0.0, 0.5, 0.5, 0.0, 0.0]


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_a_changed_text_model_file_is_refused(shipped_dir, tmp_path):
    d = _copy(shipped_dir, tmp_path / "m")
    (d / confidence.TEXT_FILE).write_bytes((d / confidence.TEXT_FILE).read_bytes() + b"\0")
    with pytest.raises(ConfidenceModelError) as e:
        ConfidenceModel.load(d, lexicon_version=default_lexicon().version)
    assert str(e.value) == (f"[S104] {d / confidence.TEXT_FILE}: sha256 does not match meta.json; "
                            "rebuild it with `suggester train`")


def test_a_missing_text_model_file_is_refused(shipped_dir, tmp_path):
    d = _copy(shipped_dir, tmp_path / "m")
    (d / confidence.TEXT_FILE).unlink()
    with pytest.raises(ConfidenceModelError) as e:
        ConfidenceModel.load(d, lexicon_version=default_lexicon().version)
    assert str(e.value) == (f"[S101] confidence model in {d} is incomplete: missing {confidence.TEXT_FILE}; "
                            "rebuild it with `suggester train`")


def test_fold_copies_regress_the_given_codes_even_without_positives():
    m = _fit(codes=("70450", "73721"))
    assert m.codes == ("70450", "73721")
    p = dict(zip(m.codes, m.probabilities("MRI of the left knee"), strict=True))
    assert p["73721"] < 0.001  # no positive report: the intercept alone says never


def test_oof_text_models_share_the_shipped_codes():
    from suggester.evaluation import GoldLine, GoldRecord
    from suggester.training import N_SPLITS, oof_text_models

    dev = [GoldRecord(f"t-{i:03d}", t, (GoldLine(c, None, 1),), "") for i, (c, t) in
           enumerate((c, t) for c, ts in _CORPUS.items() for t in ts * 5)]
    full, per_group = oof_text_models(dev, [r.id for r in dev])
    assert set(per_group) == {r.id for r in dev}
    folds = {id(m) for m in per_group.values()}
    assert len(folds) == N_SPLITS and all(m.codes == full.codes for m in per_group.values())
    assert full.codes == ("70450", "71046", "76700")


def test_load_turns_an_empty_or_truncated_file_into_a_text_model_error(tmp_path):
    (tmp_path / "empty.npz").write_bytes(b"")
    with pytest.raises(text_model.TextModelError, match="unreadable text model"):
        text_model.load(tmp_path / "empty.npz")
    text_model.save(_fit(), tmp_path / "t.npz")
    (tmp_path / "cut.npz").write_bytes((tmp_path / "t.npz").read_bytes()[:200])
    with pytest.raises(text_model.TextModelError, match="unreadable text model"):
        text_model.load(tmp_path / "cut.npz")


def test_a_features_version_9_model_without_its_text_model_is_refused(shipped_dir, tmp_path):
    d = _copy(shipped_dir, tmp_path / "m")
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    del meta["text_sha256"]
    (d / "meta.json").write_text(json.dumps(confidence.seal_meta(meta)), encoding="utf-8")
    (d / confidence.TEXT_FILE).unlink()
    with pytest.raises(ConfidenceModelError) as e:
        ConfidenceModel.load(d, lexicon_version=default_lexicon().version)
    assert str(e.value) == (f"[S101] confidence model in {d} is incomplete: its features read a text model and "
                            f"meta.json names no {confidence.TEXT_FILE}; rebuild it with `suggester train`")
