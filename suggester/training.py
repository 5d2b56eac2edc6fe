"""Train the calibrated confidence model (issue 4): ``suggester train`` calls :func:`train`.

The flow is a chain of pure functions, each importable and tested on its own::

    dev = load_gold([dev.jsonl])                       # the training pool (never the test split)
    recs = with_perturbations(dev, copies=3, seed=0)   # eval/perturb.py, label preserving
    data = build_examples(recs, suggester)             # one row per code line, labeled vs gold
    cv = cross_validate(data, seed=0)                  # grouped CV: out-of-fold probabilities
    thr = choose_threshold(cv report confidences)      # >= 99 % precision on auto-coded reports
    model = fit_model(data, seed=0)                    # CalibratedClassifierCV(RandomForest)
    save_confidence_model(model, meta, out)            # model.skops + meta.json
    test = score_split(test.jsonl, out)                # test split scored only, never trained on

**Labels.** Every report is coded with billing ``global`` under the Medicare profile (as the
eval harness does). A code line is *correct* when all its claim lines (code, units, sorted
laterality/payment modifiers; 26/TC never appear) are found in the gold multiset of the report
(:func:`suggester.evaluation.lines_match` semantics, consumed greedily in output order). A
report is *exact* when its whole predicted multiset equals the gold one.

**Groups.** A perturbed report and its original share a group (the original id); every split
is grouped, so no report is ever scored by a model that saw any variant of it. Perturbed
variants train the classifier but are never used to calibrate or score it: the calibration
folds and every reported score contain original dev reports only.

**Model.** ``RandomForestClassifier`` (100 trees, leaves of >= 3 lines, monotone constraints
from ``confidence.MONOTONE``, seeded) inside ``CalibratedClassifierCV`` with the grouped 5-fold
splits above (``ensemble=True``: one forest + calibrator per fold, averaged); sigmoid
calibration unless the calibration folds hold at least ``ISOTONIC_MIN_LINES`` original lines,
then isotonic. On the dev split, grouped CV, the forest ranks lines better than gradient
boosting (AUC about 0.78-0.80 vs 0.75) and trains in about a second. Everything is seeded
and single-threaded; the same inputs give the same predictions (the ``model.skops`` bytes
differ only by zip timestamps).

**Threshold.** The review threshold is the lowest report confidence t such that the
out-of-fold dev reports with confidence >= t (and at least one code) are at least
``MIN_AUTOMATED`` and exact at >= 99 %, for t and every higher threshold automating that many
(the curve must stay above the target, not touch it once). When no t qualifies the threshold
is 1.0: 99 % precision cannot be shown on the dev split, so every report goes to review. It is
stored in ``meta.json`` and used by ``Suggester`` unless ``review_threshold=`` is given.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .confidence import (
    FEATURE_NAMES,
    MODEL_SCHEMA,
    MONOTONE,
    code_fingerprint,
    line_features,
    report_confidence,
    report_context,
    rule_score,
    save_confidence_model,
    seal_meta,
)
from .evaluation import (
    COMPONENT_MODIFIERS,
    GoldRecord,
    calibration,
    display_path,
    eval_script,
    lines_match,
    load_gold,
)

TARGET_PRECISION = 0.99
N_SPLITS = 5
COPIES = 3
ISOTONIC_MIN_LINES = 1000
MIN_AUTOMATED = 20
MIN_FAMILY_REPORTS = 30
PAYER = "medicare"
BILLING = "global"
_REPO = Path(__file__).resolve().parent.parent


def default_dev_path() -> Path:
    return _REPO / "eval" / "data" / "dev.jsonl"


def default_test_path() -> Path:
    return _REPO / "eval" / "data" / "test.jsonl"


def default_out_dir() -> Path:
    return _REPO / "models" / "confidence"


# --------------------------------------------------------------------------- training records


@dataclass(frozen=True)
class TrainRecord:
    gold: GoldRecord
    group: str  # the original record id
    original: bool
    perturbations: tuple[str, ...] = ()


def with_perturbations(records: Sequence[GoldRecord], copies: int = COPIES, seed: int = 0) -> list[TrainRecord]:
    """The records followed, each, by ``copies`` seeded perturbed variants (same gold)."""
    perturb = eval_script("perturb")  # eval/perturb.py of the checkout
    out = []
    for r in records:
        out.append(TrainRecord(r, r.id, True))
        for k in range(copies):
            v = perturb.perturb_record({"id": r.id, "text": r.text}, k, seed)
            out.append(TrainRecord(replace(r, id=v["id"], text=v["text"]), r.id, False,
                                   tuple(v["tags"]["perturbations"])))
    return out


def spread_sample(records: Sequence, n: int) -> list:
    """``n`` records spread evenly over the sequence (every family of a sorted split), in order."""
    if n >= len(records):
        return list(records)
    return [records[(i * len(records)) // n] for i in range(n)]


def records_sha256(records: Sequence[TrainRecord]) -> str:
    """Hash of the exact training data (ids, texts, gold lines, groups), order included."""
    h = hashlib.sha256()
    for t in records:
        row = {"id": t.gold.id, "group": t.group, "original": t.original, "text": t.gold.text,
               "ordered": t.gold.ordered,
               "codes": [[g.code, list(g.modifiers) if g.modifiers is not None else None, g.units]
                         for g in t.gold.lines]}
        h.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


# --------------------------------------------------------------------------- examples


@dataclass
class Examples:
    """One row per code line (``X``, ``y``) and one entry per report."""

    X: np.ndarray
    y: np.ndarray  # line correct (0/1)
    groups: np.ndarray  # original id of each line's report
    original: np.ndarray  # bool: the line's report is an original dev report
    report_of_line: np.ndarray  # report index of each line
    rule: np.ndarray  # the rule score of each line
    reports: list[dict] = field(default_factory=list)  # id, group, original, exact, family, n_lines

    def subset_reports(self, keep: Sequence[int]) -> Examples:
        keep = list(keep)
        pos = {r: i for i, r in enumerate(keep)}
        mask = np.array([r in pos for r in self.report_of_line], dtype=bool)
        return Examples(self.X[mask], self.y[mask], self.groups[mask], self.original[mask],
                        np.array([pos[r] for r in self.report_of_line[mask]], dtype=np.int64),
                        self.rule[mask], [self.reports[i] for i in keep])


def _claims(codes: Sequence[dict]) -> list[tuple[str, tuple[str, ...], int]]:
    return [(c["code"], tuple(sorted(set(c.get("modifiers", ())) - COMPONENT_MODIFIERS)), int(c.get("units", 1)))
            for c in codes]


def label_lines(gold: GoldRecord, per_line: Sequence[Sequence[tuple]]) -> list[bool]:
    """Per code line: all its claim lines are found in the gold multiset (consumed in order)."""
    left = [(g.code, g.modifiers, g.units) for g in gold.lines]
    out = []
    for claims in per_line:
        ok = True
        for code, mods, units in claims:
            hit = next((i for i, (c, m, u) in enumerate(left)
                        if c == code and u == units and (m is None or tuple(m) == mods)), None)
            if hit is None:
                ok = False
            else:
                del left[hit]
        out.append(ok)
    return out


def _recorder(suggester):
    """Wrap ``suggester._code_lines`` to capture (extraction, lines, claim lines of each line).

    Under the Medicare profile a code line gives exactly one claim line (bilateral: one line
    with 50), so the i-th claim belongs to the i-th line; otherwise (a payer billing RT + LT)
    each line is coded on its own to find its claims.
    """
    captured = {}
    inner = suggester._code_lines

    def code_lines(ex, lines, billing, payer, *scored):
        out = inner(ex, lines, billing, payer, *scored)
        codes = out[0]
        if len(codes) == len(lines):
            per_line = [[c] for c in codes]
        else:
            per_line = [inner(ex, [ln], billing, payer)[0] for ln in lines]
        captured["ex"], captured["lines"], captured["per_line"] = ex, lines, per_line
        return out

    return captured, code_lines


def build_examples(records: Sequence[TrainRecord], suggester) -> Examples:
    """Run the production ``suggest`` (billing global) on every record; one row per code line.

    ``suggester`` should use the rule score (``confidence_model="rules"``): the features do not
    depend on it, and training must not depend on an older model.
    """
    captured, hook = _recorder(suggester)
    rows, y, groups, orig, rep_of, rules = [], [], [], [], [], []
    reports: list[dict] = []
    suggester._code_lines = hook
    try:
        for t in records:
            captured.clear()
            out = suggester.suggest(t.gold.text, ordered=t.gold.ordered, billing=BILLING, payer=PAYER)
            lines = captured.get("lines", [])
            per_line = [_claims(c) for c in captured.get("per_line", [])]
            if sum(map(len, per_line)) != len(out["codes"]):
                raise RuntimeError(f"{t.gold.id}: per-line claims do not add up to the report's codes")
            ctx = report_context(captured["ex"], lines) if lines else None
            labels = label_lines(t.gold, per_line)
            exact = bool(out["codes"]) and lines_match(t.gold.lines, _claims(out["codes"]))
            for ln, ok in zip(lines, labels, strict=True):
                assert ctx is not None  # built whenever there are lines
                feat = line_features(ln, ctx)
                rows.append([feat[n] for n in FEATURE_NAMES])
                y.append(int(ok))
                groups.append(t.group)
                orig.append(t.original)
                rep_of.append(len(reports))
                rules.append(rule_score(feat))
            reports.append({"id": t.gold.id, "group": t.group, "original": t.original, "exact": exact,
                            "family": t.gold.family or "untagged", "n_lines": len(lines),
                            "pred_families": sorted({c["family"] for c in out["codes"]})})
    finally:
        del suggester._code_lines  # back to the class method
    X = np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))
    return Examples(X, np.array(y, dtype=np.int64), np.array(groups, dtype=object), np.array(orig, dtype=bool),
                    np.array(rep_of, dtype=np.int64), np.array(rules, dtype=np.float64), reports)


# --------------------------------------------------------------------------- model


def group_folds(groups: np.ndarray, n_splits: int = N_SPLITS, seed: int = 0) -> np.ndarray:
    """Assign each distinct group to one of ``n_splits`` folds (seeded shuffle, then round robin);
    return the fold index of every row."""
    uniq = sorted(set(groups.tolist()))
    random.Random(f"folds:{seed}").shuffle(uniq)
    fold_of = {g: i % n_splits for i, g in enumerate(uniq)}
    return np.array([fold_of[g] for g in groups], dtype=np.int64)


def calibration_splits(groups: np.ndarray, original: np.ndarray, n_splits: int = N_SPLITS,
                       seed: int = 0, y: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Grouped splits: train on every row of the other groups (originals and variants),
    calibrate on the original rows of the held-out groups. With ``y``, a split whose training
    rows hold a single class is left out (tiny training sets only)."""
    fold = group_folds(groups, n_splits, seed)
    out = []
    for k in range(n_splits):
        train = np.flatnonzero(fold != k)
        test = np.flatnonzero((fold == k) & original)
        if len(train) and len(test) and (y is None or len(np.unique(y[train])) == 2):
            out.append((train, test))
    return out


def base_estimator(seed: int = 0):
    """A random forest with monotone constraints (``confidence.MONOTONE``): on a few hundred
    reports its bagged deep trees rank lines better than boosting (grouped CV AUC 0.80 vs 0.75
    on the dev split) and it trains in a second."""
    from sklearn.ensemble import RandomForestClassifier

    cst = np.array([MONOTONE.get(n, 0) for n in FEATURE_NAMES], dtype=np.int64)
    return RandomForestClassifier(n_estimators=100, min_samples_leaf=3, max_features="sqrt",
                                  monotonic_cst=cst, random_state=seed, n_jobs=1)


def calibration_method(n_original_lines: int) -> str:
    return "isotonic" if n_original_lines >= ISOTONIC_MIN_LINES else "sigmoid"


def fit_model(data: Examples, seed: int = 0, n_splits: int = N_SPLITS, method: str | None = None):
    """``CalibratedClassifierCV`` over the grouped splits of :func:`calibration_splits`."""
    from sklearn.calibration import CalibratedClassifierCV
    from threadpoolctl import threadpool_limits

    splits = calibration_splits(data.groups, data.original, n_splits, seed, data.y)
    if not splits:
        raise ValueError(f"cannot train: no grouped split has both correct and incorrect lines "
                         f"({len(data.y)} lines, {int(data.y.sum())} correct); use more reports")
    method = method or calibration_method(int(data.original.sum()))
    model = CalibratedClassifierCV(base_estimator(seed), method=method, cv=splits, ensemble=True)
    # one OpenMP thread: on these few thousand rows threads only add overhead (8x slower on a
    # busy 2-core machine), and the result does not depend on it
    with threadpool_limits(limits=1, user_api="openmp"):
        model.fit(data.X, data.y)
    return keep_increasing_calibrators(model)


def keep_increasing_calibrators(model):
    """Drop the folds whose sigmoid calibration map *decreases* (fitted slope ``a_ > 0``: on a
    tiny calibration fold the held-out ranking came out reversed). Every kept map increases, so
    the averaged probability keeps the forest's monotone constraints. Raises when none is left."""
    keep = [cc for cc in model.calibrated_classifiers_
            if not all(hasattr(c, "a_") and c.a_ > 0 for c in cc.calibrators)]
    if not keep:
        raise ValueError("cannot train: every calibration fold reverses the ranking; use more reports")
    model.calibrated_classifiers_ = keep
    return model


def fit_uncalibrated(data: Examples, seed: int = 0, rows: np.ndarray | None = None):
    """The base classifier alone (for the calibration property test and comparisons)."""
    from threadpoolctl import threadpool_limits

    rows = np.arange(len(data.y)) if rows is None else rows
    with threadpool_limits(limits=1, user_api="openmp"):
        return base_estimator(seed).fit(data.X[rows], data.y[rows])


def line_probabilities(model, X: np.ndarray) -> np.ndarray:
    if len(X) == 0:
        return np.zeros(0)
    return np.clip(model.predict_proba(X)[:, 1], 0.0, 1.0)


def report_confidences(data: Examples, line_p: np.ndarray) -> np.ndarray:
    """Report confidence per report (product of its lines; 0 when it has no line)."""
    per = defaultdict(list)
    for r, p in zip(data.report_of_line, line_p, strict=True):
        per[int(r)].append(float(p))
    return np.array([report_confidence(per[i]) if per[i] else 0.0 for i in range(len(data.reports))])


# --------------------------------------------------------------------------- CV and threshold


def cross_validate(data: Examples, seed: int = 0, n_splits: int = N_SPLITS) -> dict:
    """Out-of-fold line probabilities for the original reports (grouped outer folds; each
    outer model is the full calibrated model fit on the other folds)."""
    fold = group_folds(data.groups, n_splits, seed)
    oof = np.full(len(data.y), np.nan)
    for k in range(n_splits):
        train_rows = np.flatnonzero(fold != k)
        test_rows = np.flatnonzero((fold == k) & data.original)
        if not len(test_rows):
            continue
        train_reports = sorted({int(r) for r in data.report_of_line[train_rows]})
        sub = data.subset_reports(train_reports)
        m = fit_model(sub, seed=seed + 1 + k, n_splits=n_splits)
        oof[test_rows] = line_probabilities(m, data.X[test_rows])
    return {"line_p": oof}


def choose_threshold(conf: Sequence[float] | np.ndarray, exact: Sequence[bool], has_codes: Sequence[bool],
                     target: float = TARGET_PRECISION, min_automated: int = MIN_AUTOMATED) -> float:
    """The lowest report confidence t whose automated reports (confidence >= t, with codes)
    number at least ``min_automated`` and are exact at >= ``target``, with every higher t that
    automates at least ``min_automated`` reports also at target (the curve is followed from the
    top and stops at its first dip below the target). 1.0 when no t qualifies: precision at the
    target cannot be shown on this data, so nothing is auto-coded."""
    pts = sorted({round(float(c), 4) for c, h in zip(conf, has_codes, strict=True) if h}, reverse=True)
    best = 1.0
    for t in pts:
        auto = [bool(e) for c, e, h in zip(conf, exact, has_codes, strict=True) if h and round(float(c), 4) >= t]
        if len(auto) < min_automated:
            continue
        if sum(auto) / len(auto) < target:
            break
        best = t
    return float(best)


RELEASE_Z = 1.645  # one-sided 95 % Wilson bound
RELEASE_LOWER = 0.97  # the bound a family's released dev reports must keep (0.95 overfit: 87.5% on test)
MIN_RELEASED = 30
NEVER = 1.01  # a threshold no confidence reaches: the family releases nothing


def wilson_lower(k: int, n: int, z: float = RELEASE_Z) -> float:
    """Lower Wilson score bound of a proportion k/n."""
    if n == 0:
        return 0.0
    p = k / n
    d = 1 + z * z / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / d


def choose_family_thresholds(conf: Sequence[float] | np.ndarray, exact: Sequence[bool],
                             families: Sequence[Sequence[str]], target: float = TARGET_PRECISION,
                             lower: float = RELEASE_LOWER, min_released: int = MIN_RELEASED) -> dict:
    """Per code family: the lowest report confidence t whose released out-of-fold dev reports
    (confidence >= t, the family among their codes) number at least ``min_released``, are exact at
    >= ``target`` for t and every higher t releasing that many (the curve followed from the top,
    stopping at its first dip), and whose Wilson lower bound stays >= ``lower``. A family that
    cannot show this releases nothing (threshold ``NEVER``), with the reason."""
    by_fam: dict[str, list[int]] = defaultdict(list)
    for i, fams in enumerate(families):
        for f in fams:
            by_fam[f].append(i)
    out = {}
    for fam, idx in sorted(by_fam.items()):
        idx = sorted(idx, key=lambda i: -float(conf[i]))
        k = 0
        chosen: tuple[float, int, int] | None = None  # (threshold, released, exact among them)
        for n, i in enumerate(idx, 1):
            k += bool(exact[i])
            if n < len(idx) and round(float(conf[idx[n]]), 4) == round(float(conf[i]), 4):
                continue  # ties release together
            if n < min_released:
                continue
            if k / n < target:
                break
            if wilson_lower(k, n) >= lower:
                chosen = (round(float(conf[i]), 4), n, k)
        if chosen is None:
            right = sum(bool(exact[i]) for i in idx)
            why = (f"{len(idx)} dev reports (fewer than {min_released})" if len(idx) < min_released else
                   f"no threshold keeps >= {target:.0%} exact with a {RELEASE_Z:.3g}-sigma lower bound "
                   f">= {lower:.0%} over >= {min_released} reports ({right}/{len(idx)} exact overall)")
            out[fam] = {"threshold": NEVER, "n": len(idx), "released": 0, "why": why}
        else:
            best, n, k = chosen
            out[fam] = {"threshold": best, "n": len(idx), "released": n, "precision": round(k / n, 4),
                        "wilson_lower": round(wilson_lower(k, n), 4)}
    return out


def report_scores(conf: np.ndarray, exact: Sequence[bool], has_codes: Sequence[bool], threshold: float,
                  families: Sequence[str] | None = None) -> dict:
    """ECE, Brier and automation at ``threshold`` (overall and per family with >= 30 reports)."""

    def block(idx):
        c = [float(conf[i]) for i in idx]
        e = [bool(exact[i]) for i in idx]
        cal = calibration(c, e)
        auto = [i for i in idx if has_codes[i] and conf[i] >= threshold]
        return {"n": len(idx), "accuracy": cal["accuracy"], "mean_confidence": cal["mean_confidence"],
                "ece": cal["ece"], "ece_if_calibrated": ece_noise_floor(c), "brier": cal["brier"],
                "auto_coverage": len(auto) / len(idx) if idx else None,
                "auto_precision": (sum(bool(exact[i]) for i in auto) / len(auto)) if auto else None}

    idx = list(range(len(conf)))
    out = {"threshold": threshold, **block(idx)}
    if families is not None:
        fams = defaultdict(list)
        for i, f in enumerate(families):
            fams[f].append(i)
        out["per_family"] = {f: block(ix) for f, ix in sorted(fams.items()) if len(ix) >= MIN_FAMILY_REPORTS}
    return out


def ece_noise_floor(conf: Sequence[float], n_sim: int = 400, seed: int = 0) -> float | None:
    """Mean ECE of a perfectly calibrated predictor with these confidences (labels drawn as
    Bernoulli(confidence), same 10 bins as the harness): the ECE that sampling noise alone
    gives on this many reports."""
    c = np.asarray(conf, dtype=np.float64)
    if not len(c):
        return None
    rng = np.random.default_rng(seed)
    b = np.minimum((c * 10).astype(np.int64), 9)
    eces = []
    for _ in range(n_sim):
        y = rng.random(len(c)) < c
        e = 0.0
        for k in np.unique(b):
            m = b == k
            e += m.sum() / len(c) * abs(y[m].mean() - c[m].mean())
        eces.append(e)
    return float(np.mean(eces))


def _auc(y: np.ndarray, p: np.ndarray) -> float | None:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p)) if len(set(y.tolist())) == 2 else None


def line_scores(y: np.ndarray, p: np.ndarray) -> dict:
    cal = calibration([float(x) for x in p], [bool(v) for v in y])
    return {"n": cal["n"], "accuracy": cal["accuracy"], "ece": cal["ece"], "brier": cal["brier"], "auc": _auc(y, p)}


# --------------------------------------------------------------------------- test split


def score_split(path: str | Path, suggester) -> dict:
    """Score the suggester's own confidences on a labeled split (no training): report ECE /
    Brier / automation at its review threshold, overall and per family, plus the line level."""
    from .evaluation import predict, score_report

    records = load_gold([path])
    preds = predict(records, suggester, professional=False)
    scores = [score_report(r, p) for r, p in zip(records, preds, strict=True)]
    conf = np.array([s.confidence for s in scores])
    exact = [s.exact for s in scores]
    has = [bool(s.pred_codes) for s in scores]
    out = report_scores(conf, exact, has, suggester.review_threshold, [r.family or "untagged" for r in records])
    out["needs_review_rate"] = sum(bool(p.get("needs_review")) for p in preds) / len(preds) if preds else None
    # what the shipped operating points release (needs_review false), and how exact that is
    released = [sc.exact for sc, p in zip(scores, preds, strict=True) if p.get("codes") and not p.get("needs_review")]
    out["released_share"] = len(released) / len(preds) if preds else None
    out["released_precision"] = sum(released) / len(released) if released else None
    out["released_n"] = len(released)
    code_cal = calibration([c for s in scores for c in s.line_conf], [y for s in scores for y in s.line_correct])
    out["code_ece"], out["code_brier"] = code_cal["ece"], code_cal["brier"]
    return out


# --------------------------------------------------------------------------- train


def _versions(lexicon_version: str) -> dict:
    from .confidence import expected_versions

    return expected_versions(lexicon_version)


def _round(x, nd: int = 4):
    if isinstance(x, float):
        return None if math.isnan(x) else round(x, nd)
    if isinstance(x, dict):
        return {k: _round(v, nd) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_round(v, nd) for v in x]
    return x


def train(out_dir: str | Path | None = None, *, seed: int = 0, dev_path: str | Path | None = None,
          test_path: str | Path | None = None, copies: int = COPIES, lexicon_path: str | None = None,
          limit: int | None = None, score_test: bool = True, corrections: str | Path | None = None,
          log=print) -> dict:
    """Build the confidence model into ``out_dir`` (default ``models/confidence``); return meta.

    ``limit`` keeps N dev records spread over the split (quick checks and tests); ``score_test=False`` skips the test split.
    ``corrections``: a review database (``suggester serve --db``) whose accepted and overridden
    reports are added to the training data as original reports (suggester/workbench/corrections.py).
    """
    from .pipeline import Suggester

    t0 = time.perf_counter()
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir()
    dev_path = Path(dev_path) if dev_path is not None else default_dev_path()
    test_path = Path(test_path) if test_path is not None else default_test_path()
    dev = load_gold([dev_path])
    if limit is not None:
        dev = spread_sample(dev, limit)
    if test_path.is_file():
        leaked = {r.id for r in dev} & {r.id for r in load_gold([test_path])}
        if leaked:
            raise ValueError(f"{len(leaked)} test records in the training data (e.g. {sorted(leaked)[0]})")
    records = with_perturbations(dev, copies=copies, seed=seed)
    fixes = _corrections(corrections, test_path, log)
    records += [TrainRecord(r, r.id, True) for r in (fixes.records if fixes else ())]
    rules_sg = Suggester(lexicon_path=lexicon_path, billing=BILLING, payer=PAYER, confidence_model="rules")
    data = build_examples(records, rules_sg)
    t1 = time.perf_counter()
    log(f"training data: {len(dev)} dev reports + {len(records) - len(dev)} perturbed variants, "
        f"{len(data.y)} code lines ({data.y.mean():.1%} correct) in {t1 - t0:.1f}s")

    cv = cross_validate(data, seed=seed)
    orig_rows = np.flatnonzero(data.original)
    orig_reports = [i for i, r in enumerate(data.reports) if r["original"]]
    oof_sub = data.subset_reports(orig_reports)
    oof_conf = report_confidences(oof_sub, cv["line_p"][orig_rows])
    exact = [r["exact"] for r in oof_sub.reports]
    has = [r["n_lines"] > 0 for r in oof_sub.reports]
    threshold = choose_threshold(oof_conf, exact, has)
    release = choose_family_thresholds(oof_conf, exact, [r["pred_families"] for r in oof_sub.reports])
    rule_conf = report_confidences(oof_sub, data.rule[orig_rows])
    cv_scores: dict[str, Any] = {
        "n_reports": len(orig_reports), "n_lines": int(len(orig_rows)), "folds": N_SPLITS,
        "report": report_scores(oof_conf, exact, has, threshold, [r["family"] for r in oof_sub.reports]),
        "line": line_scores(data.y[orig_rows], cv["line_p"][orig_rows]),
        "rule_score": {"report": report_scores(rule_conf, exact, has, threshold),
                       "line": line_scores(data.y[orig_rows], data.rule[orig_rows])},
    }
    t2 = time.perf_counter()
    log(f"cross-validated ({N_SPLITS} grouped folds, {t2 - t1:.1f}s): report ECE {cv_scores['report']['ece']:.4f}, "
        f"Brier {cv_scores['report']['brier']:.4f} (rule score {cv_scores['rule_score']['report']['brier']:.4f}); "
        f"review threshold {threshold:.4f}: {_auto(cv_scores['report'])}")
    for fam, v in release.items():
        log(f"  release {fam:8s} " + (f"threshold {v['threshold']:.4f}: {v['released']}/{v['n']} dev reports at "
                                      f"{v['precision']:.1%} (lower bound {v['wilson_lower']:.1%})"
                                      if v["threshold"] < NEVER else f"nothing: {v['why']}"))

    model = fit_model(data, seed=seed)
    method = model.method
    meta = {
        "schema": MODEL_SCHEMA,
        "name": "confidence",
        "versions": _versions(rules_sg.lex.version),
        "feature_names": list(FEATURE_NAMES),
        "review_threshold": threshold,
        "review_thresholds": {f: v["threshold"] for f, v in release.items()},
        "release": {"rule": f"per family: >= {TARGET_PRECISION:.0%} exact on out-of-fold dev reports, "
                            f"Wilson {RELEASE_Z} lower bound >= {RELEASE_LOWER:.0%}, >= {MIN_RELEASED} released",
                    "families": release},
        "target_precision": TARGET_PRECISION,
        "report_confidence": "product of the line probabilities",
        "model": {"estimator": f"CalibratedClassifierCV({type(base_estimator(seed)).__name__})",
                  "calibration": method, "calibration_folds": N_SPLITS,
                  "calibrated_folds_kept": len(model.calibrated_classifiers_), "ensemble": True,
                  "base_params": {k: v for k, v in base_estimator(seed).get_params().items()
                                  if k != "monotonic_cst"},
                  "monotone": {k: v for k, v in MONOTONE.items() if k in FEATURE_NAMES},
                  "seed": seed},
        "training_data": {
            "dev": {"path": display_path(dev_path), "sha256": hashlib.sha256(dev_path.read_bytes()).hexdigest(),
                    "n_reports": len(dev), "limit": limit},
            "perturbations": {"script": "eval/perturb.py", "copies": copies, "seed": seed,
                              "sha256": hashlib.sha256((_REPO / "eval" / "perturb.py").read_bytes()).hexdigest()},
            "sha256": records_sha256(records),
            "n_reports": len(records), "n_lines": int(len(data.y)), "line_accuracy": float(data.y.mean()),
            "billing": BILLING, "payer": PAYER,
            "corrections": fixes.summary if fixes else None,
        },
        "code_sha256": code_fingerprint(lexicon_path),
        "cv": cv_scores,
        "test": None,
        "built_with": {"python": platform.python_version(), "numpy": np.__version__},
    }
    meta = _round(meta)
    save_confidence_model(model, meta, out_dir)
    t3 = time.perf_counter()
    if score_test and test_path.is_file():
        sg = Suggester(lexicon_path=lexicon_path, billing=BILLING, payer=PAYER, confidence_model=str(out_dir))
        test: dict[str, Any] = {"path": display_path(test_path),
                "sha256": hashlib.sha256(test_path.read_bytes()).hexdigest(),
                "model": score_split(test_path, sg),
                "rule_score": score_split(test_path, _with_threshold(rules_sg, threshold))}
        meta_path = out_dir / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["test"] = _round(test)
        meta = seal_meta(meta)  # meta.json is covered by its own sha256 (suggester.confidence)
        meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        m = test["model"]
        log(f"test split (scored only): report ECE {m['ece']:.4f}, Brier {m['brier']:.4f} "
            f"(rule score {test['rule_score']['brier']:.4f}); {_auto(m)}; released "
            f"{m['released_share']:.1%} at {m['released_precision'] or 0:.1%} exact")
    log(f"wrote {out_dir} ({(out_dir / 'model.skops').stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - t0:.1f}s "
        f"(fit {t3 - t2:.1f}s)")
    return meta


def _corrections(path, test_path: Path, log):
    """Coders' corrections from a review database (never texts of the test split), or None."""
    if path is None:
        return None
    from .workbench.corrections import load_corrections

    test_texts = [r.text for r in load_gold([test_path])] if test_path.is_file() else []
    fixes = load_corrections(path, payer=PAYER, exclude_texts=test_texts)
    s = fixes.summary
    log(f"corrections: {s['n_reports']} reports from {s['path']} ({s['accepted']} accepted, {s['overridden']} "
        f"overridden; left out: {s['skipped_rejected']} rejected, {s['skipped_open']} open, "
        f"{s['skipped_other_payer']} other payer, {s['skipped_in_test_split']} in the test split)")
    return fixes


def _auto(scores: dict) -> str:
    if not scores["auto_coverage"]:
        return "no report auto-coded"
    return f"{scores['auto_coverage']:.1%} auto-coded at {scores['auto_precision']:.1%} precision"


def _with_threshold(sg, threshold: float):
    sg.review_threshold = threshold
    return sg
