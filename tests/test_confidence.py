"""The calibrated confidence model (issue 4): features, training, persistence, routing.

Property tests in the scikit-learn style: they assert what must hold whatever the data (the
lead keeps improving the extraction, so exact numbers move): calibration lowers the Brier
score on held-out data, probabilities stay in [0, 1] and are monotone in the evidence, the
model file round-trips, a metadata mismatch fails loudly, training is deterministic. The
models here are trained on a small subset of the dev split (a few seconds).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import sklearn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suggester import Suggester, confidence
from suggester.cli import main
from suggester.confidence import (
    FEATURE_NAMES,
    MONOTONE,
    ConfidenceModel,
    ConfidenceModelError,
    SuggesterWarning,
    load_confidence_model,
    rule_score,
    save_confidence_model,
)
from suggester.evaluation import GoldLine, GoldRecord, load_gold
from suggester.lexicon import default_lexicon
from suggester.training import (
    Examples,
    build_examples,
    calibration_splits,
    default_dev_path,
    fit_model,
    fit_uncalibrated,
    group_folds,
    label_lines,
    oof_combiners,
    release_gate,
    spread_sample,
    train,
    with_perturbations,
)

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "eval"))
import perturb  # noqa: E402  (eval/perturb.py: the documented perturbation script)
from conftest import N_WRONG, SMALL  # noqa: E402
from conftest import claim_set as _claims  # noqa: E402
from conftest import dev_rows as _dev_rows  # noqa: E402


def _quiet(*_args) -> None:
    pass


def test_the_small_dev_file_holds_reports_the_rules_get_wrong(small_dev, rules_sg):
    rows = [json.loads(x) for x in small_dev.read_text(encoding="utf-8").splitlines()]
    wrong = [r["id"] for r in rows if _claims(rules_sg.suggest(r["text"])["codes"]) != _claims(r["codes"])]
    assert len(rows) == SMALL and len(wrong) >= N_WRONG


@pytest.fixture(scope="module")
def small_model(tmp_path_factory, small_dev) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("model")
    # the plain dev model (the real calibration split is never read by tests: see calib_standin)
    meta = train(out, seed=0, dev_path=small_dev, copies=1, score_test=False, use_calib=False, log=_quiet)
    return out, meta


@pytest.fixture(scope="module")
def lexicon_version() -> str:
    return default_lexicon().version


@pytest.fixture(scope="module")
def model(small_model, lexicon_version) -> ConfidenceModel:
    return ConfidenceModel.load(small_model[0], lexicon_version=lexicon_version)


@pytest.fixture(scope="module")
def examples(rules_sg, small_dev) -> Examples:
    dev = load_gold([small_dev])
    return build_examples(with_perturbations(dev, copies=1, seed=0), rules_sg)


def _rows(examples: Examples) -> list[dict]:
    return [dict(zip(FEATURE_NAMES, map(float, x), strict=True)) for x in examples.X]


# ------------------------------------------------------------------------ features


def test_line_features_are_the_documented_vector(examples):
    assert examples.X.shape == (len(examples.y), len(FEATURE_NAMES))
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert np.isfinite(examples.X).all()
    assert set(MONOTONE) <= set(FEATURE_NAMES)
    # the rule-score features are part of the vector, unchanged
    for x, r in zip(examples.X, examples.rule, strict=True):
        assert rule_score(dict(zip(FEATURE_NAMES, x, strict=True))) == r


def test_examples_label_lines_with_their_report(examples):
    # the target of a line is its report's exactness; line_ok keeps the line's own correctness
    for i, r in enumerate(examples.reports):
        rows = np.flatnonzero(examples.report_of_line == i)
        assert (examples.y[rows] == int(r["exact"])).all()
        if r["exact"]:
            assert (examples.line_ok[rows] == 1).all()


def test_transforms_join_their_report_group():
    from suggester.training import TrainRecord, with_transforms
    dev = spread_sample(load_gold([default_dev_path()]), 3)
    recs = with_transforms([TrainRecord(r, r.id, True) for r in dev], per_record=2, seed=0)
    variants = [t for t in recs if not t.original]
    assert {t.group for t in variants} <= {r.id for r in dev}
    assert all(t.perturbations[0].startswith("robustness:") and t.gold.lines == next(
        r for r in dev if r.id == t.group).lines for t in variants)
    assert 0 < len(variants) <= 6
    assert recs == with_transforms([TrainRecord(r, r.id, True) for r in dev], per_record=2, seed=0)


def test_examples_group_perturbations_with_their_original(examples):
    originals = {r["id"] for r in examples.reports if r["original"]}
    assert {r["group"] for r in examples.reports} == originals
    for r in examples.reports:
        assert r["original"] == (r["id"] == r["group"])
    # calibration folds hold original reports only and never a group seen in training
    for train_rows, cal_rows in calibration_splits(examples.groups, examples.original, y=examples.y):
        assert examples.original[cal_rows].all()
        assert not set(examples.groups[train_rows]) & set(examples.groups[cal_rows])


def test_label_lines_consumes_the_gold_multiset():
    gold = GoldRecord("r", "t", (GoldLine("73562", ("RT",)), GoldLine("73562", ("LT",)), GoldLine("71046", None)),
                      "x:1")
    assert label_lines(gold, [[("73562", ("RT",), 1)], [("73562", ("RT",), 1)], [("71046", ("26",), 1)]]) == \
        [True, False, True]
    assert label_lines(gold, [[("73562", ("LT",), 2)]]) == [False]  # units differ


# ------------------------------------------------------------------------ model properties


def test_calibration_lowers_brier_on_held_out_data():
    """As in training: the trees learn from original and perturbed reports (perturbed ones are
    harder: a shifted label rate), so alone they are miscalibrated for original reports; the
    calibrated model (calibrated on the original reports of held-out groups) has a lower Brier
    score on held-out original reports."""
    rng = np.random.default_rng(0)
    n_groups, copies = 500, 3
    free = [i for i, name in enumerate(FEATURE_NAMES) if name not in MONOTONE][:3]
    n = n_groups * (1 + copies)
    X = rng.integers(0, 4, size=(n, len(FEATURE_NAMES))).astype(np.float64)
    original = np.arange(n) % (1 + copies) == 0
    logit = 1.2 * (X[:, free[0]] - 1.5) - 0.8 * (X[:, free[1]] - 1.5) + 0.5 * (X[:, free[2]] - 1.5) + 1.0
    logit[~original] -= 2.0
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int64)
    groups = np.array([f"g{i // (1 + copies)}" for i in range(n)], dtype=object)
    data = Examples(X, y, groups, original, np.arange(n), np.zeros(n), [{"id": f"r{i}"} for i in range(n)])
    held_group = np.array([int(g[1:]) % 4 == 0 for g in groups])
    train_part = data.subset_reports(np.flatnonzero(~held_group).tolist())
    test = held_group & original
    p_cal = fit_model(train_part, seed=0).predict_proba(X[test])[:, 1]
    p_raw = fit_uncalibrated(train_part, seed=0).predict_proba(X[test])[:, 1]
    brier = lambda p: float(np.mean((p - y[test]) ** 2))  # noqa: E731
    assert brier(p_cal) < brier(p_raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=len(FEATURE_NAMES),
                       max_size=len(FEATURE_NAMES)))
def test_probabilities_are_in_the_unit_interval(model, values):
    p = model.predict([dict(zip(FEATURE_NAMES, values, strict=True))])
    assert len(p) == 1 and 0.0 <= p[0] <= 1.0


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_probability_is_monotone_in_evidence_strength(model, examples, data):
    """Stronger evidence never lowers the probability: a larger margin to the runner-up, a
    documented contrast/views/side; a fuzzy match, a conflict or a default never raises it."""
    rows = _rows(examples)
    row = rows[data.draw(st.integers(0, len(rows) - 1))]
    name = data.draw(st.sampled_from(sorted(MONOTONE)))
    lo, hi = sorted(data.draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 9.0]), min_size=2,
                                       max_size=2)))
    p_lo, p_hi = model.predict([{**row, name: lo}, {**row, name: hi}])
    if MONOTONE[name] > 0:
        assert p_hi >= p_lo - 1e-12
    else:
        assert p_hi <= p_lo + 1e-12


def test_compiled_predictions_equal_scikit_learn(model, examples):
    assert model._fast is not None
    ref = model.estimator.predict_proba(examples.X)[:, 1]
    assert np.allclose(model.predict(_rows(examples)), ref, rtol=0, atol=1e-12)


def test_training_is_deterministic(small_model, small_dev, model, examples, tmp_path, lexicon_version):
    out, meta = small_model
    meta2 = train(tmp_path / "again", seed=0, dev_path=small_dev, copies=1, score_test=False, use_calib=False,
                  log=_quiet)
    again = ConfidenceModel.load(tmp_path / "again", lexicon_version=lexicon_version)
    assert model.predict(_rows(examples)) == again.predict(_rows(examples))
    strip = lambda m: {k: v for k, v in m.items() if k not in ("model_sha256", "meta_sha256")}  # noqa: E731 (zip timestamps)
    assert strip(meta) == strip(meta2)


def test_meta_records_versions_data_and_scores(small_model, lexicon_version):
    out, _ = small_model
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["versions"] == {"suggester": confidence.expected_versions(lexicon_version)["suggester"],
                                "scikit-learn": sklearn.__version__, "lexicons": lexicon_version}
    assert meta["feature_names"] == list(FEATURE_NAMES)
    assert len(meta["training_data"]["sha256"]) == 64 and len(meta["training_data"]["dev"]["sha256"]) == 64
    assert meta["training_data"]["dev"]["n_reports"] == SMALL
    assert 0.0 <= meta["review_threshold"] <= 1.0
    assert meta["model"]["calibration"] == "sigmoid"  # few original lines: no isotonic
    for key in ("ece", "brier"):
        assert 0.0 <= meta["cv"]["report"][key] <= 1.0
    assert meta["test"] is None  # score_test=False
    assert (out / "model.skops").stat().st_size < 5_000_000


# ------------------------------------------------------------------------ persistence


def test_model_file_round_trips(small_model, model, examples, tmp_path, lexicon_version):
    again = save_confidence_model(model.estimator, {k: v for k, v in model.meta.items() if k != "model_sha256"},
                                  tmp_path / "copy", model.text)
    loaded = ConfidenceModel.load(again, lexicon_version=lexicon_version)
    assert loaded.meta["review_threshold"] == model.meta["review_threshold"]
    assert loaded.predict(_rows(examples)) == model.predict(_rows(examples))
    assert np.array_equal(loaded.estimator.predict_proba(examples.X), model.estimator.predict_proba(examples.X))


def _copy_with_meta(src: Path, dst: Path, seal: bool = True, **changes) -> Path:
    """A copy of a model folder with meta.json changed (and sealed again, unless ``seal=False``)."""
    shutil.copytree(src, dst)
    meta = json.loads((dst / "meta.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key.startswith("versions."):
            meta["versions"][key.split(".", 1)[1]] = value
        else:
            meta[key] = value
    (dst / "meta.json").write_text(json.dumps(confidence.seal_meta(meta) if seal else meta), encoding="utf-8")
    return dst


def test_scikit_learn_version_mismatch_fails_loudly(small_model, tmp_path, lexicon_version):
    d = _copy_with_meta(small_model[0], tmp_path / "m", **{"versions.scikit-learn": "0.0.1"})
    with pytest.raises(ConfidenceModelError) as e:
        ConfidenceModel.load(d, lexicon_version=lexicon_version)
    assert str(e.value) == (f"[S102] confidence model was built with scikit-learn 0.0.1, running "
                            f"{sklearn.__version__}; rebuild it with `suggester train` "
                            f"(or pass confidence_model='rules')")
    assert e.value.code == "S102"
    with pytest.raises(ConfidenceModelError, match=r"^\[S102\]"):
        Suggester(confidence_model=str(d))


@pytest.mark.parametrize(("change", "code"), [
    ({"versions.suggester": "0.0.0"}, "S102"),
    ({"feature_names": ["margin"]}, "S103"),
    ({"model_sha256": "0" * 64}, "S104"),
    ({"schema": "other/9"}, "S101"),
    ({"review_threshold": 1.5}, "S101"),
])
def test_metadata_mismatch_fails_loudly(small_model, tmp_path, lexicon_version, change, code):
    d = _copy_with_meta(small_model[0], tmp_path / "m", **change)
    with pytest.raises(ConfidenceModelError, match=rf"^\[{code}\] "):
        ConfidenceModel.load(d, lexicon_version=lexicon_version)


def test_lexicon_version_change_warns_and_loads(small_model, tmp_path, lexicon_version):
    # a data-only change (a new lexicon version) needs no retrain: the model loads, with a warning
    d = _copy_with_meta(small_model[0], tmp_path / "m", **{"versions.lexicons": "1999.1.1"})
    with pytest.warns(SuggesterWarning, match=r"^\[S002\] .*trained with lexicons 1999\.1\.1"):
        m = ConfidenceModel.load(d, lexicon_version=lexicon_version)
    assert m.meta["versions"]["lexicons"] == "1999.1.1"


def test_incomplete_model_folder_fails_loudly(small_model, tmp_path, lexicon_version):
    d = tmp_path / "m"
    shutil.copytree(small_model[0], d)
    (d / "model.skops").unlink()
    with pytest.raises(ConfidenceModelError, match=r"^\[S101\] .*missing model\.skops"):
        ConfidenceModel.load(d, lexicon_version=lexicon_version)


def test_missing_model_is_an_error_never_a_silent_fallback(monkeypatch, tmp_path, rules_sg):
    monkeypatch.delenv("SUGGESTER_CONFIDENCE_MODEL", raising=False)
    monkeypatch.setattr(confidence, "default_model_dir", lambda: tmp_path / "confidence")
    with pytest.raises(ConfidenceModelError, match=r"^\[S101\] no trained confidence model in .*confidence; "
                                                   r"build one with `suggester train`, or choose the rule score "
                                                   r"explicitly \(--confidence rules"):
        Suggester(billing="global")
    with pytest.raises(ConfidenceModelError, match=r"^\[S101\] confidence model folder .*nowhere not found"):
        Suggester(confidence_model=str(tmp_path / "nowhere"))
    s = Suggester(billing="global", confidence_model="rules")  # asked for: the rule score
    assert s.confidence_model is None and s.versions["model"] == "rules"
    text = "XR KNEE RIGHT 3 VIEWS\nFINDINGS: No fracture."
    assert [c["confidence"] for c in s.suggest(text)["codes"]] == \
        [c["confidence"] for c in rules_sg.suggest(text)["codes"]]


@pytest.mark.parametrize("part", ["meta.json", "model.fast.npz"])
def test_edited_metadata_or_compiled_model_fails_loudly(small_model, tmp_path, lexicon_version, part):
    """meta.json is covered by its own sha256 (threshold, hashes); the compiled arrays by theirs."""
    if part == "meta.json":
        d = _copy_with_meta(small_model[0], tmp_path / "m", seal=False, review_threshold=0.0)
    else:
        d = tmp_path / "m"
        shutil.copytree(small_model[0], d)
        assert (d / part).is_file()
        with open(d / part, "ab") as fh:
            fh.write(b"\0")
    with pytest.raises(ConfidenceModelError, match=rf"^\[S104\] .*{re.escape(part)}"):
        ConfidenceModel.load(d, lexicon_version=lexicon_version)


def test_cli_model_errors_exit_2_without_traceback(small_model, tmp_path, capsys):
    d = _copy_with_meta(small_model[0], tmp_path / "m", seal=False, review_threshold=0.0)
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "1", "text": "CT HEAD"}\n', encoding="utf-8")
    for spec in (str(d), str(tmp_path / "nowhere")):
        assert main(["code", str(inp), "-o", str(tmp_path / "o.jsonl"), "--confidence", spec, "-q"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("suggester: error: [S10") and "Traceback" not in err
        assert not (tmp_path / "o.jsonl").exists()
    assert main(["explain", "CT HEAD", "--confidence", str(d)]) == 2
    assert main(["code", str(inp), "-o", str(tmp_path / "o.jsonl"), "--confidence", "rules", "-q"]) == 0


def test_rules_spec_needs_no_model_and_warns_nothing(recwarn):
    assert load_confidence_model("rules", lexicon_version="x") is None
    assert not [w for w in recwarn if issubclass(w.category, SuggesterWarning)]


def test_stale_model_warns(small_model, tmp_path, lexicon_version):
    d = _copy_with_meta(small_model[0], tmp_path / "m",
                        code_sha256={**small_model[1]["code_sha256"], "features": "0" * 64})
    with pytest.warns(SuggesterWarning, match=r"^\[S002\] .*features"):
        load_confidence_model(str(d), lexicon_version=lexicon_version)


# ------------------------------------------------------------------------ routing


def test_suggester_uses_the_model_and_its_threshold(small_model, model):
    s = Suggester(billing="global", confidence_model=str(small_model[0]))
    assert s.versions["model"] == model.version and s.versions["model"].startswith("confidence-")
    assert s.review_threshold == model.threshold
    assert Suggester(confidence_model=str(small_model[0]), review_threshold=0.5).review_threshold == 0.5
    rec = s.suggest("CT CHEST WITHOUT CONTRAST\nTECHNIQUE: Axial images without IV contrast.\nFINDINGS: Clear.")
    confs = [c["confidence"] for c in rec["codes"]]
    assert all(0.0 <= c <= 1.0 for c in confs)
    assert rec["confidence"] == min(confs)  # the lowest line: each line is scored on its whole report
    thr = s.threshold_for(rec["codes"])
    assert rec["needs_review"] == (rec["confidence"] < thr or bool(rec["review_reasons"]))
    if thr > 1.0:  # a family without a release point says so
        assert any(r.startswith("family without a release operating point") for r in rec["review_reasons"])


def test_uncertain_code_names_the_clear_family(rules_sg):
    s = Suggester(billing="global", confidence_model="rules", review_threshold=0.999)
    rec = s.suggest("CT ABDOMEN AND PELVIS\nFINDINGS: Normal.")
    assert rec["needs_review"]
    assert "CT abdomen+pelvis: contrast not stated" in rec["review_reasons"]


def test_close_alternative_named_only_from_the_same_exam():
    # the title model's runner-up for a carotid duplex or a renal ultrasound can be an obstetric
    # code: a coder cannot act on it; the reason names a code of the same modality and region
    s, lex = Suggester(billing="global", review_threshold=0.999), default_lexicon()
    for text in ("EXAM: Carotid Doppler ultrasound.\nFINDINGS: Grayscale, color and spectral Doppler of both "
                 "carotid systems. Right ICA PSV 85 cm/s, left ICA PSV 90 cm/s.\nIMPRESSION: Under 50% stenosis.",
                 "EXAM: Renal ultrasound.\nFINDINGS: Right kidney 10.9 cm, left kidney 11.2 cm, no hydronephrosis. "
                 "Bladder normal.\nIMPRESSION: Normal.",
                 "EXAM: Ultrasound of the scrotum.\nFINDINGS: Both testes normal in size with symmetric flow. "
                 "Small left hydrocele.\nIMPRESSION: Small hydrocele."):
        rec = s.suggest(text)
        code = rec["codes"][0]["code"]
        for r in rec["review_reasons"]:
            alt = re.search(r"close alternative (\w{5})", r)
            if alt:
                mine, theirs = lex.codes[code], lex.codes[alt.group(1)]
                assert (theirs.modality, theirs.region) == (mine.modality, mine.region), r
            assert "qualifier unclear" not in r, r


def test_exam_billed_in_a_modality_the_title_does_not_name_goes_to_review():
    # released at any threshold otherwise: "MG Specimen" is coded as the specimen radiograph 76098
    s = Suggester(billing="global", confidence_model="rules", review_threshold=0.0)
    rec = s.suggest("MG Specimen")
    assert [c["code"] for c in rec["codes"]] == ["76098"]
    assert rec["needs_review"] and rec["review_reasons"] == ["title names MG, billed as XR surgical specimen"]
    rec = s.suggest("XR SPECIMEN BREAST")
    assert [c["code"] for c in rec["codes"]] == ["76098"] and rec["review_reasons"] == []
    assert not rec["needs_review"]


def test_features_see_the_reports_flags_and_where_each_value_came_from(rules_sg):
    """Features version 4: the flags of the report and the source of the frame's contrast (the
    technique beats the title here, CODING_RULES §6) enter every line's features."""
    job = rules_sg._prepare("CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: Axial images with oral contrast "
                            "only; no IV contrast was given.", None, None, None, None)
    assert [f["type"] for f in job.flags] == ["title_technique_conflict"]
    [feat] = job.feats
    assert (feat["flag_title_technique_conflict"], feat["n_flags"], feat["flag_views_not_documented"]) == (1.0, 1.0, 0.0)
    assert (feat["src_contrast_technique"], feat["src_contrast_title"], feat["text_modifiers"]) == (1.0, 0.0, 0.0)
    plain = rules_sg._prepare("CT ABDOMEN AND PELVIS WITH CONTRAST", None, None, None, None).feats[0]
    assert (plain["flag_title_technique_conflict"], plain["src_contrast_technique"], plain["src_contrast_title"]) == (0.0, 0.0, 1.0)


_TB = ("tb_contrast_disagree", "tb_contrast_follows_title", "tb_contrast_follows_body", "tb_contrast_unresolved",
       "tb_views_disagree", "tb_views_follows_title", "tb_views_follows_body", "tb_views_unresolved",
       "tb_side_disagree", "tb_side_follows_title", "tb_side_follows_body", "tb_side_unresolved",
       "tb_contrast_negated", "tb_site_undone", "tb_site_follows_title", "tb_order_line_disagree",
       "tb_n_disagree", "tb_n_unresolved")


def _tb(sg, text: str) -> dict[str, float]:
    [feat] = sg._prepare(text, None, None, None, None).feats
    return {k: v for k, v in feat.items() if k in _TB and v}


@pytest.mark.parametrize(("text", "expected"), [
    # the technique's side wins and the conflict is recorded: resolved, follows the body
    ("EXAM: XR WRIST LEFT 3 VIEWS\nTECHNIQUE: PA, oblique and lateral views of the right wrist.",
     {"tb_side_disagree": 1.0, "tb_side_follows_body": 1.0, "tb_n_disagree": 1.0}),
    # the title says without then with, the technique names the contrast series only: the code follows
    # the title and no conflict was recorded (CODING_RULES §2: a disagreement left unresolved)
    ("EXAM: CT HEAD WITH AND WITHOUT CONTRAST\nTECHNIQUE: Axial images after 75 mL Omnipaque 350 IV.",
     {"tb_contrast_disagree": 1.0, "tb_contrast_follows_title": 1.0, "tb_contrast_unresolved": 1.0,
      "tb_n_disagree": 1.0, "tb_n_unresolved": 1.0}),
    # contrast withdrawn: the body's "without" is billed, the title's with-and-without is a conflict
    ("EXAM: MRI BRAIN WITH AND WITHOUT CONTRAST\nTECHNIQUE: Sagittal T1, axial T2 and FLAIR. Gadolinium was "
     "not administered.",
     {"tb_contrast_disagree": 1.0, "tb_contrast_follows_body": 1.0, "tb_contrast_negated": 1.0, "tb_n_disagree": 1.0}),
    # the pelvis not scanned: the abdomen is billed, so the code does not follow the title's pelvis
    ("EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nTECHNIQUE: CT of the abdomen after IV contrast. The pelvis "
     "was not imaged.", {"tb_site_undone": 1.0}),
    # title and technique agree: nothing
    ("EXAM: XR KNEE RIGHT 3 VIEWS\nTECHNIQUE: AP, lateral and sunrise views of the right knee.", {}),
    ("EXAM: CT HEAD WITHOUT CONTRAST\nTECHNIQUE: Axial noncontrast images of the head.", {}),
])
def test_title_body_features_see_the_disagreement_and_the_side_followed(rules_sg, text, expected):
    """Features version 7: per attribute, whether the title and the technique / body disagree,
    which side the line's code follows, and whether the rules recorded the conflict."""
    assert _tb(rules_sg, text) == expected


def test_title_body_features_count_a_views_disagreement_only_on_codes_with_views(rules_sg):
    got = _tb(rules_sg, "EXAM: XR CHEST 2 VIEWS\nTECHNIQUE: Single portable AP view.")
    assert got == {"tb_views_disagree": 1.0, "tb_views_follows_body": 1.0, "tb_n_disagree": 1.0}
    # a CT has no view count: "2 views" against the technique is no risk of this code
    assert _tb(rules_sg, "EXAM: CT CHEST WITHOUT CONTRAST 2 VIEWS\nTECHNIQUE: Axial noncontrast images, "
                         "single view.") == {}


def test_fingerprint_covers_features_not_lexicon_bytes(tmp_path):
    fp = confidence.code_fingerprint()
    assert set(fp) == {"features_version", "features"}
    assert fp["features_version"] == str(confidence.FEATURES_VERSION)
    assert confidence.code_fingerprint(tmp_path) == fp  # another lexicon folder: same fingerprint


def test_wilson_lower_bound():
    from suggester.training import wilson_lower
    assert wilson_lower(0, 0) == 0.0
    assert wilson_lower(100, 100) == pytest.approx(0.9737, abs=1e-4)
    assert wilson_lower(50, 100) == pytest.approx(0.4188, abs=1e-4)


def test_release_pools_families_then_checks_each():
    from suggester.training import NEVER, choose_release
    # 200 xr/ct reports (every 6th ct) all exact, then 20 xr with errors; mr: 12 reports, its
    # most confident one wrong, its others half wrong; us: 5 reports only
    conf = [1 - i / 1000 for i in range(200)] + [0.5] * 20
    exact = [True] * 200 + [False, True] * 10
    fams = [["ct"] if i % 6 == 0 else ["xr"] for i in range(200)] + [["xr"]] * 20
    conf += [0.999, 0.998] + [0.7] * 10 + [0.9] * 5
    exact += [False, True] + [True, False] * 5 + [True] * 5
    fams += [["mr"]] * 12 + [["us"]] * 5
    out = choose_release(conf, exact, fams, target=0.99, lower=0.97, min_released=30, min_family=10)
    pooled = out["pooled"]
    # one error (mr at 0.999) among the top: forgiven once 206 of 207 are exact and the bound holds
    assert pooled["threshold"] == round(conf[199], 4) and pooled["released"] == 207
    assert pooled["precision"] == round(206 / 207, 4) and pooled["wilson_lower"] >= 0.97
    fam = out["families"]
    assert fam["xr"]["threshold"] == pooled["threshold"] and fam["xr"]["released"] == 166
    assert fam["ct"]["threshold"] == round(conf[198], 4) and fam["ct"]["released"] == 34  # its last one
    assert fam["mr"]["threshold"] == NEVER  # below the pooled threshold only one of its own (wrong)
    assert fam["us"]["threshold"] == NEVER and fam["us"]["why"].startswith("fewer than 10 of its 5 dev reports")
    # a wrong band below the chosen point is never averaged away
    conf2 = conf[:200] + [0.8] * 5 + [0.79] * 300
    exact2 = exact[:200] + [False] * 5 + [True] * 300
    out2 = choose_release(conf2, exact2, [["xr"]] * 505, target=0.99, lower=0.97, min_released=30, min_family=10)
    assert out2["pooled"]["threshold"] == round(conf[199], 4)


def test_tested_family_rule_keeps_the_pooled_point_until_a_family_is_shown_worse():
    from suggester.training import NEVER, choose_release
    # 4,205 reports ranked by confidence; ct (100) and mr (100) spread among xr (all exact): ct's
    # 2nd report wrong, mr's 10 wrong among its lower 50; us: 5 exact reports at the bottom
    conf, exact, fams = [], [], []
    for r in range(4200):
        conf.append(1 - r * 1e-4)
        if r % 40 == 10 and r // 40 < 100:
            exact.append(r // 40 != 1), fams.append(["ct"])
        elif r % 40 == 15 and r // 40 < 100:
            j = r // 40
            exact.append(not (j >= 50 and j % 5 == 0)), fams.append(["mr"])
        else:
            exact.append(True), fams.append(["xr"])
    conf += [0.5] * 5
    exact += [True] * 5
    fams += [["us"]] * 5
    own = choose_release(conf, exact, fams, target=0.99, lower=0.97, min_released=30, min_family=10)
    tested = choose_release(conf, exact, fams, target=0.99, lower=0.97, min_released=30, min_family=10,
                            family_rule="tested")
    pooled = own["pooled"]["threshold"]
    assert tested["pooled"] == own["pooled"]
    # ct: one wrong among 100 is no evidence of < 99 %: it keeps the pooled point (own rule: higher)
    assert own["families"]["ct"]["threshold"] > pooled
    assert tested["families"]["ct"]["threshold"] == pooled and tested["families"]["ct"]["released"] == 100
    # mr: 10 wrong among its released reports is evidence: its own point, as under the own rule
    assert tested["families"]["mr"] == own["families"]["mr"]
    assert tested["families"]["xr"]["threshold"] == pooled
    assert tested["families"]["us"]["threshold"] == NEVER  # too few, whatever the rule
    with pytest.raises(ValueError, match="family_rule must be one of"):
        choose_release(conf, exact, fams, family_rule="loose")


def test_release_without_enough_evidence_releases_nothing():
    from suggester.training import NEVER, choose_release
    conf = [1 - i / 1000 for i in range(60)]
    exact = [True] * 50 + [False] + [True] * 9
    out = choose_release(conf, exact, [["xr"]] * 60, target=0.99, lower=0.97, min_released=30, min_family=10)
    assert out["pooled"]["threshold"] == NEVER
    assert out["pooled"]["why"].startswith("the 50 most confident dev reports are exact, then one is wrong")
    assert "needs >= 88 exact in a row (147 with one error)" in out["pooled"]["why"]
    assert out["families"]["xr"]["threshold"] == NEVER


def test_one_release_test_for_output_training_and_evaluation():
    from suggester.training import released_scores
    # rounded to 4 places as output records show it; 1.0 and above release nothing, even 1.0
    assert [confidence.clears(c, t) for c, t in ((0.99355, 0.9936), (0.99354, 0.9936), (1.0, 1.0),
                                                  (1.0, 1.01), (0.99999, 0.9999))] == [True, False, False, False, True]
    release = {"families": {"xr": {"threshold": 0.95}, "ct": {"threshold": 1.0}}}
    got = released_scores([0.96, 1.0, 0.99, 0.5], [True, True, False, True], [["xr"], ["ct"], ["xr", "ct"], ["xr"]],
                          release)
    assert (got["released"], got["precision"]) == (1, 1.0)  # the 1.0 family holds its reports, mixed ones too
    sg = Suggester(billing="global")
    sg.review_threshold, sg.review_thresholds = 0.5, {"xr": 1.0}
    out = sg.suggest("XR CHEST 2 VIEWS\nFINDINGS: Clear lungs.")
    assert [c["code"] for c in out["codes"]] == ["71046"] and out["needs_review"]
    assert out["review_reasons"][0] == ("family without a release operating point (the calibration data cannot "
                                        "show 99%): xr")


def test_dev_reports_are_read_with_a_report_combiner_that_did_not_see_them():
    dev = spread_sample(load_gold([default_dev_path()]), 60)
    sg = Suggester(billing="global", confidence_model="rules")
    groups = [r.id for r in dev]
    got = oof_combiners(sg, dev, groups)
    assert sorted(got) == sorted(groups)
    folds = dict(zip(groups, group_folds(np.array(groups, dtype=object)).tolist(), strict=True))
    # one refitted report combiner per fold, the title combiner untouched
    by_fold = {folds[g]: c["report"] for g, c in got.items()}
    assert len({id(c) for c in by_fold.values()}) == 5
    assert all(c["report"] is by_fold[folds[g]] and c["title"] is sg.combiners["title"] for g, c in got.items())
    assert all(c is not sg.combiners["report"] for c in by_fold.values())
    assert oof_combiners(Suggester(billing="global", confidence_model="rules", title_model="off"), dev, groups) is None


def test_release_gate_refuses_points_that_fail_held_out_checks():
    ok_test = {"released_n": 85, "released_precision": 1.0}
    radlex = {"out_of_scope": {"n": 353, "short_name": {"wrong_family_without_review": 0.0},
                               "long_name": {"wrong_family_without_review": 0.0}}}
    assert release_gate(ok_test, radlex) == []
    assert release_gate({"released_n": 0, "released_precision": None}, None) == []
    assert release_gate({"released_n": 106, "released_precision": 104 / 106}, radlex) == [
        "test split: 106 released at 98.1% exact (< 99%)"]
    radlex["out_of_scope"]["short_name"]["wrong_family_without_review"] = 2 / 353
    assert release_gate(ok_test, radlex) == [
        "RadLex: 2 short / 0 long out-of-scope names released with a code of a wrong family"]
    # the rule checked on halves of the calibration split it did not choose on: below 98.5 % refuses
    radlex["out_of_scope"]["short_name"]["wrong_family_without_review"] = 0.0
    held = {"splits": 200, "target": 0.99, "none": 0.66, "share": 0.042, "precision": 0.97, "below_target": 1.0}
    assert release_gate(ok_test, radlex, held) == [
        "the rule on held-out halves of the calibration split: 4.2% released at 97.0% exact (< 98.5%; no point "
        "at all in 66% of 200 halvings)"]
    assert release_gate(ok_test, radlex, {**held, "precision": 0.987}) == []
    assert release_gate(ok_test, radlex, {**held, "none": 1.0, "share": 0.0, "precision": None}) == []


def test_robust_release_raises_the_floor_for_transformed_reports():
    from suggester.training import choose_release, robust_release
    conf = [1 - i / 1000 for i in range(200)]
    exact = [True] * 200
    fams = [["xr"]] * 200
    rel = choose_release(conf, exact, fams, target=0.99, lower=0.97, min_released=30, min_family=10)
    assert rel["families"]["xr"]["threshold"] == round(conf[-1], 4)
    # transformed reports: the least confident 40 are all wrong -> the floor rises above them
    tr_conf = conf
    tr_exact = [True] * 160 + [False] * 40
    out = robust_release(rel, conf, exact, fams, tr_conf, tr_exact, fams, target=0.985)
    t = out["families"]["xr"]["threshold"]
    kept = [e for c, e in zip(tr_conf, tr_exact, strict=True) if round(c, 4) >= t]
    assert sum(kept) / len(kept) >= 0.985 and t > rel["families"]["xr"]["threshold"]
    assert out["pooled"]["floor_for_transforms"] == t


def test_pooled_spread_says_how_stable_the_point_is():
    from suggester.training import pooled_spread
    conf = [1 - i / 1000 for i in range(300)]
    # 300 exact reports: every resample finds a point, at its lowest confidence
    out = pooled_spread(conf, [True] * 300, [["xr"]] * 300, n=50)
    assert out["samples"] == 50 and out["never"] == 0.0
    assert round(conf[-1], 4) <= out["q05"] <= out["q50"] <= out["q95"] <= round(conf[-5], 4)
    # the 40 most confident hold a wrong one in every fifth place: no resample shows 99%
    exact = [i % 5 != 4 for i in range(300)]
    out = pooled_spread(conf, exact, [["xr"]] * 300, n=20)
    assert out == {"samples": 20, "never": 1.0, "q05": None, "q50": None, "q95": None}


def test_error_kind_names_what_a_coder_would_fix():
    from suggester.training import error_kind
    codes = default_lexicon().codes

    def kind(gold, pred):
        return error_kind([GoldLine(c, m, u) for c, m, u in gold], pred, codes)

    assert kind([("77067", (), 1), ("77063", (), 1)], [("77067", (), 1)]) == "missed 77063"
    assert kind([("77067", (), 1)], [("77067", (), 1), ("77063", (), 1)]) == "extra 77063"
    assert kind([("73560", ("RT",), 1)], [("73562", ("RT",), 1)]) == "73562 for 73560: views"
    assert kind([("72132", (), 1)], [("72131", (), 1)]) == "72131 for 72132: contrast"
    assert kind([("71250", (), 1)], [("70450", (), 1)]) == "70450 for 71250: site"
    assert kind([("76000", (), 1)], [("71045", (), 1)]) == "71045 for 76000: family"
    assert kind([("73100", ("LT",), 1)], [("73100", ("76", "LT"), 1)]) == "modifiers"
    assert kind([("76942", (), 2)], [("76942", (), 1)]) == "units"
    assert kind([("70450", (), 1), ("71250", (), 1)], [("70460", (), 1), ("71260", (), 1)]) == "several lines"


def test_wrong_reports_lists_the_most_confident_wrong_first():
    from suggester.training import wrong_reports
    gold = {i: GoldRecord(i, "", (GoldLine("71046", None),), "t") for i in ("a", "b", "c", "d")}
    claims = [("71046", (), 1)], [("71045", (), 1)], [("71045", (), 1)], []
    reports = [{"id": i, "exact": i == "a", "family": "xr", "claims": c}
               for i, c in zip("abcd", claims, strict=True)]
    out = wrong_reports([0.99, 0.90, 0.95, 0.97], reports, gold, default_lexicon().codes)
    # d has no claim lines (nothing billed): not a confident wrong code set
    assert [(w["id"], w["rank"], w["kind"]) for w in out] == [("c", 3, "71045 for 71046: views"),
                                                             ("b", 4, "71045 for 71046: views")]
    assert out[0]["predicted"] == ["71045"] and out[0]["gold"] == ["71046"]


# ------------------------------------------------------------------------ perturbations


REPORT = ("EXAM: CT ABDOMEN AND PELVIS WITH CONTRAST\nHISTORY: Right lower quadrant pain.\n"
          "TECHNIQUE: Axial images after intravenous contrast.\nCOMPARISON: None.\n"
          "FINDINGS: Normal appendix. Left kidney unremarkable.\nIMPRESSION: No acute findings.")


def test_perturbations_are_seeded_and_keep_the_gold():
    rec = {"id": "ct-x", "text": REPORT, "codes": ["74177"], "tags": {"family": "ct"}}
    a, b = perturb.perturb_record(rec, 0, seed=0), perturb.perturb_record(rec, 0, seed=0)
    assert a == b and a["id"] == "ct-x~p0" and a["codes"] == ["74177"]
    assert a["tags"]["perturbations"] and a["tags"]["family"] == "ct"
    variants = {perturb.perturb_record(rec, k, seed=0)["text"] for k in range(8)}
    assert len(variants) > 4


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_section_order_keeps_the_title_first_and_every_line(seed):
    out = perturb.section_order(REPORT, random.Random(seed))
    assert out.split("\n")[0] == REPORT.split("\n")[0]
    assert sorted(out.split("\n")) == sorted(REPORT.split("\n"))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_typos_touch_only_long_words_and_keep_their_first_letter(seed):
    out = perturb.typos(REPORT, random.Random(seed))
    before, after = REPORT.split(), out.split()
    assert len(before) == len(after)
    changed = [(x, y) for x, y in zip(before, after, strict=True) if x != y]
    assert 1 <= len(changed) <= 2
    for x, y in changed:
        assert sum(c.isalpha() for c in x) >= perturb.FUZZY_MIN_LEN and x[0] == y[0]


def test_abbreviations_swap_both_ways_and_leave_us_alone():
    rng = random.Random(3)
    text = "CT ABD/PELVIS W/O CONTRAST. Let us review the right kidney."
    outs = {perturb.abbreviations(text, random.Random(i)) for i in range(30)}
    assert any("ABDOMEN" in o for o in outs) and any("WITHOUT" in o for o in outs)
    assert any(" rt " in o for o in outs)
    assert all("Let us review" in o for o in outs)
    assert perturb.abbreviations("COMPARISON: none", rng) in ("COMPARISON: none", "COMP: none")


def test_header_style_changes_only_the_header_form():
    words = lambda t: re.findall(r"[a-z]+", t.lower())  # noqa: E731
    styles = set()
    for seed in range(20):
        out = perturb.header_style(REPORT, random.Random(seed))
        assert words(out) == words(REPORT)
        styles.add(out.split("\n")[1][:8])
    assert len(styles) >= 3


# ------------------------------------------------------------------------ CLI


def test_cli_train_writes_model_and_meta(tmp_path, capsys, small_dev):
    assert main(["train", "--out", str(tmp_path / "m"), "--seed", "1", "--dev", str(small_dev), "--copies", "1",
                 "--no-calib", "--no-test"]) == 0
    assert {p.name for p in (tmp_path / "m").iterdir()} == {"model.skops", "model.fast.npz", "meta.json", "text.npz"}
    meta = json.loads((tmp_path / "m" / "meta.json").read_text(encoding="utf-8"))
    assert meta["model"]["seed"] == 1 and meta["training_data"]["perturbations"]["copies"] == 1
    assert "cross-validated" in capsys.readouterr().err


def test_packaged_model_matches_this_code():
    """The shipped model (when present) loads: versions and features match the code."""
    d = confidence.default_model_dir()
    if d is None or not (d / "model.skops").is_file():
        pytest.skip("no packaged model (run `suggester train`)")
    m = ConfidenceModel.load(d, lexicon_version=default_lexicon().version)
    assert m.meta["test"] is not None and m.meta["cv"]["report"]["n"] > 0


def test_compiled_arrays_round_trip_and_load_without_sklearn(tmp_path):
    """The model folder's compiled trees load from the .npz alone and predict like the estimator."""
    import subprocess
    import sys

    from suggester.confidence import ConfidenceModel, default_model_dir

    d = default_model_dir()
    if d is None or not (d / "model.fast.npz").is_file():
        import pytest
        pytest.skip("no trained model in models/confidence")
    from suggester.lexicon import load_lexicon

    model = ConfidenceModel.load(d, lexicon_version=load_lexicon().version)
    feats = [dict.fromkeys(model.meta["feature_names"], 0.0), dict.fromkeys(model.meta["feature_names"], 1.0)]
    fast = model.predict(feats)
    import numpy as np

    from suggester.confidence import vectorize
    slow = model.estimator.predict_proba(vectorize(feats))[:, 1]
    if model.meta.get("recalibration"):  # the calibration split's map, applied after the trees
        slow = confidence.recalibrate(slow, vectorize(feats), model.meta["recalibration"])
    assert np.allclose(fast, slow, atol=1e-9)
    code = ("import sys; from suggester import Suggester; s = Suggester(); s.suggest('CT HEAD'); "
            "print('sklearn' in sys.modules, 'skops' in sys.modules)")
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ------------------------------------------------------------------------ calibration split (issue 12)


def test_features_see_titles_naming_several_exams_or_none(rules_sg):
    """Features version 5: how many exams the title names against the exams billed, a title
    that names no modality or anatomy, the frames read outside the title."""
    names = ("title_joiners", "title_modalities", "title_exams_minus_frames", "title_no_modality", "title_no_site",
             "no_title", "line_modality_not_in_title", "frames_outside_title", "exams_header")

    def feats(text):
        return [tuple(f[n] for n in names) for f in rules_sg._prepare(text, None, None, None, None).feats]

    two = feats("CT CHEST; CT ABDOMEN AND PELVIS WITH CONTRAST\nFINDINGS: normal")
    assert two == [(2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)] * 2
    # (a sentence under the banner is body, not a second title line: its exam is read outside the title)
    assert feats("OUTSIDE FACILITY REPORT\nCT of the head without contrast was performed. Normal.") == [
        (0.0, 0.0, -1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0)]
    assert feats("ED PRELIM\nFINDINGS: Two views of the chest. No pneumonia.") == [
        (0.0, 0.0, -1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0)]
    assert feats("EXAMS: XR CHEST 2 VIEWS\nFindings normal.") == [(0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)]


def test_features_see_what_the_whole_text_says_against_the_codes(rules_sg):
    """Features version 6: view counts stated anywhere (a comparison "1V" too) outside the code's
    range, the other side named, a contrast agent named over a code without contrast, an addendum."""
    names = ("view_counts_named", "view_counts_off_code", "opposite_side_words", "both_sides_named",
             "agent_words", "agent_code_without", "has_addendum")

    def feats(text):
        job = rules_sg._prepare(text, None, None, None, None)
        return [(ln.code.code, tuple(f[n] for n in names)) for ln, f in zip(job.lines, job.feats, strict=True)]

    assert feats("XR CHEST 4V (PA/LAT/BIL OBL)\nCOMP: OSH CXR 1V\nFINDINGS: Lungs clear.") == [
        ("71048", (2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0))]
    assert feats("XR LEFT KNEE 2 VIEWS\nFINDINGS: Left knee effusion. Right knee not imaged. Lt patella normal.") == [
        ("73560", (1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0))]
    assert feats("MRI BRAIN WITHOUT CONTRAST\nHISTORY: Prior reaction to gadolinium.\nIMPRESSION: Normal.\n"
                 "ADDENDUM: Comparison reviewed.") == [("70551", (0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0))]



def test_features_count_the_codes_a_qualifier_slip_lands_on(rules_sg):
    """Features version 8: the code's variants in the code table (same modality and region), and
    whether one differs in the contrast, the views, the side or the qualifier alone."""
    names = tuple(f"variant_{k}" for k in ("n", "contrast", "views", "side", "qualifier"))

    def feats(text):
        job = rules_sg._prepare(text, None, None, None, None)
        return [(ln.code.code, tuple(f[n] for n in names)) for ln, f in zip(job.lines, job.feats, strict=True)]

    # 71045 / 71046 / 71047 / 71048: views only
    assert feats("XR CHEST PA AND LATERAL\nFINDINGS: Lungs clear.") == [("71046", (3.0, 0.0, 1.0, 0.0, 0.0))]
    # 70450 / 70460 / 70470: contrast only
    assert feats("CT HEAD WITHOUT CONTRAST\nIMPRESSION: Normal.") == [("70450", (2.0, 1.0, 0.0, 0.0, 0.0))]
    # 78226 / 78227 (with pharmacologic intervention): qualifier only
    assert feats("NM HEPATOBILIARY SCAN\nIMPRESSION: Patent cystic duct.") == [("78226", (1.0, 0.0, 0.0, 0.0, 1.0))]
    lex = rules_sg.lex
    assert lex.code_variants() is lex.code_variants()  # indexed once per lexicon

def test_recalibration_map_fixes_the_level_and_keeps_the_order():
    from suggester.training import fit_recalibration
    rng = np.random.default_rng(0)
    conf = rng.uniform(0.90, 0.99, 400)
    exact = (rng.random(400) < conf - 0.10).tolist()  # overconfident by ten points
    fams = ["xr"] * 300 + ["us"] * 80 + ["nm"] * 20
    rec = fit_recalibration(conf, exact, fams)
    assert rec["kind"] == "platt" and rec["a"] > 0 and rec["n_reports"] == 400
    assert sorted(rec["family_offsets"]) == ["us", "xr"]  # nm: fewer than 30 reports, no offset of its own
    X = np.zeros((400, len(FEATURE_NAMES)))
    for i, f in enumerate(fams):
        X[i, FEATURE_NAMES.index(f"family_{f}")] = 1.0
    mapped = confidence.recalibrate(conf, X, rec)
    assert abs(mapped.mean() - np.mean(exact)) < 0.01 < abs(conf.mean() - np.mean(exact))
    for fam in ("xr", "us", "nm"):  # within a family the order of the lines is kept
        idx = [i for i, f in enumerate(fams) if f == fam]
        assert (np.argsort(conf[idx], kind="stable") == np.argsort(mapped[idx], kind="stable")).all()
    # calibrated data: the global map stays near the identity (pulled there by the penalty)
    rng = np.random.default_rng(1)
    conf = rng.uniform(0.90, 0.99, 400)
    near = fit_recalibration(conf, (rng.random(400) < conf).tolist(), fams, offsets=False)
    assert near["family_offsets"] == {}
    assert np.abs(confidence.recalibrate(conf, X, near) - conf).max() < 0.01


@pytest.fixture(scope="module")
def calib_standin(tmp_path_factory, small_dev) -> Path:
    """A stand-in calibration split for the tests: dev reports the small models never train on,
    under ``cal-`` ids (the real eval/data/calib.jsonl is never read by tests)."""
    used = {json.loads(x)["id"] for x in small_dev.read_text(encoding="utf-8").splitlines()}
    rest = [r for i, r in _dev_rows().items() if i not in used]
    path = tmp_path_factory.mktemp("calib") / "calib.jsonl"
    path.write_text("".join(json.dumps({**r, "id": f"cal-t-{r['id']}"}) + "\n" for r in rest[::4][:120]),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def calib_model(tmp_path_factory, calib_standin, small_dev) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("calmodel")
    meta = train(out, seed=0, dev_path=small_dev, copies=1, transforms=1, score_test=False, calib_path=calib_standin,
                 ship_release=False, log=_quiet)
    return out, meta


def test_release_points_and_map_are_chosen_on_the_calibration_split(calib_model, calib_standin, lexicon_version):
    import hashlib

    out, meta = calib_model
    cs, rel, rec = meta["calibration_split"], meta["release"], meta["recalibration"]
    assert cs["sha256"] == hashlib.sha256(calib_standin.read_bytes()).hexdigest() and cs["n_reports"] == 120
    assert cs["n_transformed"] > 0 and cs["mapped_out_of_fold"]["n"] == 120
    assert rel["chosen_on"] == "calib" and "calibration split" in rel["rule"] and "dev_pooled" in rel
    assert rec["kind"] == "platt" and rec["a"] > 0 and rec["n_reports"] <= 120
    # the pooled point and each family's come from the calibration reports (mapped confidences)
    for fam, v in rel["families"].items():
        assert v["threshold"] > 1.0 or v["released"] >= 10, fam
        assert "dev reports" not in v.get("why", "")
    assert meta["review_thresholds"] == {}  # computed, not shipped (no --release)
    # the packaged map is applied at run time: the model's line probabilities are the mapped ones
    model = ConfidenceModel.load(out, lexicon_version=lexicon_version)
    sg = Suggester(billing="global", confidence_model="rules")
    feats = sg._prepare("CT HEAD WITHOUT CONTRAST\nFINDINGS: normal", None, None, None, None).feats
    raw = model.estimator.predict_proba(confidence.vectorize(feats))[:, 1]
    assert model.predict(feats) == pytest.approx(confidence.recalibrate(raw, confidence.vectorize(feats), rec).tolist(),
                                                 abs=1e-9)


def test_release_points_are_chosen_again_from_the_kept_calibration_confidences(calib_model, tmp_path):
    from suggester.training import CALIBRATION_REPORTS, load_calibration_reports, reselect_release

    out, meta = calib_model
    rep = load_calibration_reports(out)
    assert len(rep["id"]) == len(rep["exact"]) == len(rep["mapped"]) == len(rep["families"]) == 120
    assert all(i.startswith("cal-t-") for i in rep["id"]) and len(rep["transformed"]["exact"]) > 0
    assert set(rep["transformed"]["group"]) <= set(rep["id"])  # a transform's group is its report
    copy = tmp_path / "m"
    shutil.copytree(out, copy)
    again = reselect_release(copy, family_rule="own", ship_release=False, log=_quiet)
    # the same rule on the same confidences: the same points; the model itself is untouched
    assert again["release"]["families"] == meta["release"]["families"]
    assert again["release"]["pooled"]["threshold"] == meta["release"]["pooled"]["threshold"]
    assert (copy / "model.skops").read_bytes() == (out / "model.skops").read_bytes()
    tested = reselect_release(copy, family_rule="tested", ship_release=False, log=_quiet)
    assert tested["release"]["family_rule"] == "tested" and "shown below 99%" in tested["release"]["rule"]
    assert tested["review_thresholds"] == {} and tested["test"]["model"]["released_n"] == 0  # not shipped
    assert ConfidenceModel.load(copy, lexicon_version=Suggester().lex.version) is not None  # meta still sealed
    stricter = reselect_release(copy, family_rule="own", lower=0.99, min_family=20, log=_quiet)
    assert "lower bound >= 99%" in stricter["release"]["rule"] and ">= 20 of its own" in stricter["release"]["rule"]
    # the comparison tool reads the same file: one row per variant and the choice it declares
    import subprocess

    run = subprocess.run([sys.executable, "tools/release_rules.py", str(copy)], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent, check=True)
    rows = [x for x in run.stdout.splitlines() if x.startswith(("own ", "tested "))]
    assert len(rows) == 24 and run.stdout.splitlines()[0].startswith("120 calibration reports")
    assert run.stdout.splitlines()[-1].startswith(("chosen (most released", "chosen (no variant qualifies"))
    (copy / CALIBRATION_REPORTS).unlink()
    with pytest.raises(FileNotFoundError, match="calibration_reports.json not found"):
        reselect_release(copy, family_rule="own", log=_quiet)


def test_training_refuses_a_calibration_split_holding_dev_reports(tmp_path):
    dev = spread_sample(load_gold([default_dev_path()]), 20)
    bad = tmp_path / "calib.jsonl"
    r = dev[3]
    row = next(json.loads(x) for x in default_dev_path().read_text(encoding="utf-8").splitlines() if r.id in x)
    bad.write_text(json.dumps({**row, "id": "cal-t-copy"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="1 calibration records are also dev or test records"):
        train(tmp_path / "m", limit=20, copies=0, transforms=0, score_test=False, calib_path=bad, log=_quiet)


def test_eval_shows_the_calibration_split_next_to_test(calib_model, calib_standin, tmp_path):
    from suggester.evaluation import format_summary, run_eval

    sg = Suggester(billing="global", confidence_model=str(calib_model[0]))
    test = tmp_path / "t.jsonl"
    test.write_text("".join(calib_standin.read_text(encoding="utf-8").splitlines(True)[:10]).replace("cal-t-", "t-"),
                    encoding="utf-8")
    m = run_eval([test], suggester=sg, plots=False, calib_path=calib_standin)
    c = m["calibration_split"]
    assert c["n_reports"] == 120 and c["in_sample"] and c["ece_out_of_fold"] == calib_model[1]["calibration_split"][
        "mapped_out_of_fold"]["ece"]
    assert c["release"]["released"] == 0  # not shipped: every report to review
    o = c["out_of_fold"]
    assert o["n"] == 120 and o["ece"] == c["ece_out_of_fold"] and o["released"] == calib_model[1][
        "calibration_split"]["released"]["released"]
    summary = format_summary(m)
    assert "calibration split (120 reports, the map and points were chosen on it; at training" in summary
    assert "calibration split (120 reports) scored now (in sample: the shipped model was trained on them)" in summary


def test_eval_says_when_the_calibration_split_has_changed_since_training(calib_model, calib_standin, tmp_path):
    """Parts added to the calibration split after the shipped model was trained are new to it: the
    summary must not call them in sample."""
    from suggester.evaluation import format_summary, run_eval

    sg = Suggester(billing="global", confidence_model=str(calib_model[0]))
    rows = calib_standin.read_text(encoding="utf-8").splitlines(True)
    grown = tmp_path / "calib.jsonl"
    grown.write_text("".join(rows) + rows[0].replace("cal-t-", "cal-new-"), encoding="utf-8")
    test = tmp_path / "t.jsonl"
    test.write_text("".join(rows[:5]).replace("cal-t-", "t-"), encoding="utf-8")
    m = run_eval([test], suggester=sg, plots=False, calib_path=grown)
    c = m["calibration_split"]
    assert c["n_reports"] == 121 and c["in_sample"] is False and c["trained_n"] == 120
    assert ("calibration split (121 reports) scored now (partly new to the shipped model: it was trained on a "
            "calibration split of 120 reports; the file has changed since)") in format_summary(m)


def test_cross_fit_scores_each_calibration_fold_with_a_model_that_did_not_see_it(examples):
    from suggester.training import (
        concat_examples,
        cross_fit,
        fit_model,
        group_folds,
        line_probabilities,
    )
    reps = list(range(len(examples.reports)))
    dev, cal = examples.subset_reports(reps[: len(reps) // 2]), examples.subset_reports(reps[len(reps) // 2:])
    both = concat_examples(dev, cal)
    assert len(both.y) == len(dev.y) + len(cal.y) and len(both.reports) == len(dev.reports) + len(cal.reports)
    assert both.report_of_line.max() == len(both.reports) - 1
    raw, model = cross_fit(dev, cal, seed=0, n_splits=3)
    assert not np.isnan(raw).any() and len(raw) == len(cal.y)
    # fold 0's lines: exactly the model fitted on dev plus folds 1 and 2
    fold = group_folds(cal.groups, 3, 0)
    keep = sorted({int(r) for r in cal.report_of_line[fold != 0]})
    m0 = fit_model(concat_examples(dev, cal.subset_reports(keep)), seed=101)
    rows = np.flatnonzero(fold == 0)
    assert np.allclose(raw[rows], line_probabilities(m0, cal.X[rows]), atol=1e-12)
    assert np.allclose(line_probabilities(model, cal.X), line_probabilities(fit_model(both, seed=0), cal.X))


def test_calibration_lines_carry_their_training_weight(examples):
    from suggester.training import CALIB_WEIGHT, concat_examples, fit_model, line_probabilities
    reps = list(range(len(examples.reports)))
    dev, cal = examples.subset_reports(reps[: len(reps) // 2]), examples.subset_reports(reps[len(reps) // 2:])
    assert (dev.weight == 1.0).all()
    cal.weight = np.full(len(cal.y), CALIB_WEIGHT)
    both = concat_examples(dev, cal)
    assert (both.weight[: len(dev.y)] == 1.0).all() and (both.weight[len(dev.y):] == CALIB_WEIGHT).all()
    # a subset keeps each line's weight
    last = both.subset_reports([len(both.reports) - 1])
    assert len(last.weight) == len(last.y) and (last.weight == CALIB_WEIGHT).all()
    # the weight reaches the fit: the same lines at weight 1 give another model
    cal.weight = np.ones(len(cal.y))
    flat = concat_examples(dev, cal)
    assert not np.allclose(line_probabilities(fit_model(both, seed=0), both.X),
                           line_probabilities(fit_model(flat, seed=0), both.X))


def test_eval_says_why_a_family_releases_nothing_when_there_is_no_pooled_point():
    from suggester.evaluation import release_reasons
    meta = {"release": {"shipped": True, "chosen_on": "calib",
                        "pooled": {"threshold": 1.01, "why": "the 89 most confident calibration reports are exact"},
                        "families": {"xr": {"threshold": 1.01, "why": "no pooled threshold (see pooled.why)"},
                                     "ct": {"threshold": 0.95, "released": 12, "n": 40, "precision": 1.0}}}}
    assert release_reasons(meta, {"xr": 1.01, "ct": 0.95}, 1.0) == {
        "xr": "no pooled threshold (the 89 most confident calibration reports are exact)"}
    # points computed but refused by the gate: no family thresholds, the default 1.0 releases
    # nothing, and each family with a point says it was not shipped and why
    meta["release"] = {**meta["release"], "shipped": False, "not_shipped": ["the rule on held-out halves: 97.0%"]}
    assert release_reasons(meta, {}, 1.0) == {
        "ct": "calibration point 0.9500 computed but not shipped (12/40 calibration reports at 100.0%; the rule "
              "on held-out halves: 97.0%)",
        "xr": "no pooled threshold (the 89 most confident calibration reports are exact)"}


def test_release_holdout_measures_the_rule_on_halves_it_did_not_see():
    from suggester.training import release_holdout
    conf = [1 - i / 2000 for i in range(600)]
    # 600 exact reports: every half finds a point and what it releases of the other half is exact
    out = release_holdout(conf, [True] * 600, [["xr"]] * 600, n=10)
    assert out["splits"] == 10 and out["none"] == 0.0 and out["precision"] == 1.0 and out["below_target"] == 0.0
    assert 0.9 <= out["share"] <= 1.0
    # one wrong report in every 50 (98 % exact everywhere): most halves show no point; the two that
    # do saw a lucky run at the top and release the other half's top at 97.7 %: the winner's curse
    exact = [i % 50 != 49 for i in range(600)]
    out = release_holdout(conf, exact, [["xr"]] * 600, n=10)
    assert out == {"splits": 10, "target": 0.99, "none": 0.8, "share": 0.0293, "precision": 0.9773, "below_target": 1.0}
    # one line for suggester train's log and suggester eval's summary
    from suggester.evaluation import holdout_text
    assert holdout_text(out) == ("nothing released in 80.0% of 10 halvings; else 2.9% released at 97.7% exact, "
                                 "below 99.0% in 100.0% of halvings")
    assert holdout_text({**out, "none": 1.0, "share": 0.0, "precision": None}) == (
        "nothing released in 100.0% of 10 halvings; nothing in any halving")


# ------------------------------------------------------------ hospital descriptions as one-liners


def _oof_title_dir(tmp_path, table: Path, tops: list, folds: list[int]) -> Path:
    """A title-model folder holding only what the confidence training reads of it: the title
    combiner's description and each fold's trees (small boosted models) and ``oof.npz``."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from suggester.hybrid import FEATURES
    from suggester.title_model import save_combiners
    from suggester.title_training import OOF_KIND, _compiled, save_oof

    rng = np.random.default_rng(0)
    x = rng.random((200, len(FEATURES)))
    y = (x[:, 0] > 0.5).astype(int)
    part = _compiled(HistGradientBoostingClassifier(max_iter=5, max_depth=3).fit(x, y), x)
    fold_parts = {f"{OOF_KIND}{k}": part for k in sorted(set(folds))}
    folder = tmp_path / "title"
    meta = {"combiner": {"title": {"features": list(FEATURES), "accept": 0.5, "depth": part["depth"],
                                   "baseline": part["baseline"]}}}
    meta["combiner_sha256"] = save_combiners(folder, {"title": part, **fold_parts})
    sha = hashlib.sha256(table.read_bytes()).hexdigest()
    meta["oof"] = save_oof(folder, tops, folds, sha, fold_parts)
    (folder / "meta.json").write_text(json.dumps(meta))
    return folder


def test_descriptions_join_the_training_as_their_systems_one_liners(tmp_path):
    from suggester.title_model import TitleModelError, load_oof
    from suggester.training import cdm_records

    table = tmp_path / "cdm.csv"
    table.write_text("hospital,system,year,description,codes\n"
                     "North General,North Health,2026,XR CHEST 2V,71046\n"
                     "North General,North Health,2026,CT HEAD WO,70450\n"
                     "South Clinic,,2026,US ABD LTD,76705\n"
                     "South Clinic,,2026,CT HEAD WO,70450 70470\n", encoding="utf-8")
    tops = [[("71046", 0.9), ("71045", 0.05)], [("70450", 0.8)], [("76705", 0.6), ("76700", 0.3)], [("70450", 0.7)]]
    folder = _oof_title_dir(tmp_path, table, tops, [0, 0, 1, 1])
    back, fold, combiners, _sha = load_oof(folder)
    assert back == [[(c, pytest.approx(p)) for c, p in t] for t in tops] and fold == [0, 0, 1, 1]
    assert sorted(combiners) == [0, 1]

    recs, rankers, combs = cdm_records(table, folder, n=10)
    # the two-code row is left out; groups are health systems (an independent hospital alone)
    assert [(r.gold.id, r.group, r.original, r.gold.lines[0].code) for r in recs] == [
        ("cdm-2", "cdm:North Health", False, "71046"), ("cdm-3", "cdm:North Health", False, "70450"),
        ("cdm-4", "cdm:hospital:South Clinic", False, "76705")]
    assert rankers["cdm:North Health"].top("XR CHEST 2V", 1) == [("71046", pytest.approx(0.9))]
    assert rankers["cdm:hospital:South Clinic"].top("XR CHEST 2V", 5) == []  # another fold's text
    north, south = combs["cdm:North Health"]["title"], combs["cdm:hospital:South Clinic"]["title"]
    assert north.baseline == combiners[0].baseline and south is not north  # each fold its own trees
    # another table than the one the predictions were made on: nothing is added
    table.write_text(table.read_text(encoding="utf-8") + "East,East,2026,MR BRAIN,70551\n", encoding="utf-8")
    assert cdm_records(table, folder, n=10) == ([], {}, {})
    (folder / "oof.npz").write_bytes(b"edited")
    with pytest.raises(TitleModelError, match="sha256"):
        load_oof(folder)
