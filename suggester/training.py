"""Train the calibrated confidence model (issue 4): ``suggester train`` calls :func:`train`.

The flow is a chain of pure functions, each importable and tested on its own::

    dev = load_gold([dev.jsonl])                       # the training pool (never the test split)
    recs = with_perturbations(dev, copies=3, seed=0)   # eval/perturb.py, label preserving
    recs = with_transforms(recs, per_record=4)         # eval/robustness.py: how production writes
    data = build_examples(recs, suggester)             # one row per code line, labeled vs gold
    cv = cross_validate(data, seed=0)                  # grouped CV: out-of-fold probabilities (dev figures)
    cal = calib_examples(load_gold([calib.jsonl]))     # the calibration split + its transforms
    raw, model = cross_fit(data, cal)                  # each calib fold scored by dev + the other folds
    c = calibrate_on_split(cal, raw)                   # Platt map, then pooled + per-family points on calib
    save_confidence_model(model, meta, out)            # model.skops + meta.json (map + points)
    test = score_split(test.jsonl, out)                # test split scored only: the gate, never a target

Without ``eval/data/calib.jsonl`` (or with ``use_calib=False``) the points are chosen on the
out-of-fold dev reports as before (``choose_release`` / ``robust_release`` on ``cv``) and the
model is ``fit_model(data)``; no map.

**Why a calibration split.** The rules are tuned on dev, so dev reports (even out of fold for
the model) are easier than new text: points chosen on them released the test split at 96.9-97.4 %.
The calibration split (ids ``cal-``, never read for rule work) is as new as the test split. Its
reports are cross-fitted into the training data (they are the only new-text errors there are to
learn from) and every calibration report's confidence comes from a model that did not see it;
the map (:func:`fit_recalibration`) and the points are fitted on those confidences.

**Labels.** Every report is coded with billing ``global`` under the Medicare profile (as the
eval harness does). A report is *exact* when its whole predicted multiset of claim lines (code,
units, sorted laterality/payment modifiers; 26/TC never appear) equals the gold one
(:func:`suggester.evaluation.lines_match`). The training target of every code line is its
report's exactness (``Examples.y``): a line of a report that misses an exam, or whose sibling
line is wrong, is a negative, so the model learns what a wrong *report* looks like and the
report confidence is the lowest line probability. ``Examples.line_ok`` keeps each line's own
correctness (found in the gold multiset, consumed greedily in output order) for line scores.

**Groups.** A perturbed or transformed report and its original share a group (the original
id); every split is grouped, so no report is ever scored by a model that saw any variant of it.
Variants train the classifier but are never used to calibrate it: the calibration folds and
the release points use original dev reports only; the transformed variants' out-of-fold
confidences only check (and can only raise) the release points.

**Model.** ``HistGradientBoostingClassifier`` (100 trees of depth <= 4 and <= 15 leaves,
learning rate 0.1, leaves of >= 20 lines, monotone constraints from ``confidence.MONOTONE``,
seeded) inside ``CalibratedClassifierCV`` with the grouped 5-fold splits above
(``ensemble=True``: one model + calibrator per fold, averaged); sigmoid calibration unless the
calibration folds hold at least ``ISOTONIC_MIN_LINES`` original lines, then isotonic. With the
features of version 4 (dev split, grouped CV) it ranks reports better than the random forest of
100 deep trees used before (report AUC 0.819 vs 0.802; ECE 0.030 vs 0.046), and its 500 shallow
trees are walked in 4 steps (``confidence.CompiledEnsemble``: about 0.06 ms CPU for one row,
the forest took 0.36 ms). Everything is seeded and single-threaded; the same inputs give the
same predictions (the ``model.skops`` bytes differ only by zip timestamps).

**Release.** :func:`choose_release` pools the out-of-fold dev reports of every family: the
lowest report confidence whose released reports are exact at >= 99 % with a one-sided 95 %
Wilson lower bound >= ``RELEASE_LOWER`` (0.97: 88 exact in a row, or 147 with one error); then
each family must have >= ``MIN_FAMILY_RELEASED`` of its own released reports at >= 99 % at or
above it, or it releases nothing (``NEVER``, with the reason in ``meta.json``). The transformed
dev reports released by those points must be exact at >= ``ROBUST_PRECISION`` (98.5 %), or the
pooled floor rises. ``meta.json`` keeps the thresholds (``review_thresholds``), the pooled
point and each family's counts or reason (``release``); ``Suggester`` applies the strictest
threshold of a report's code families; ``review_thresholds=`` overrides some families.
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
    FAMILIES,
    FEATURE_NAMES,
    MODEL_SCHEMA,
    MONOTONE,
    RELEASES_NOTHING,
    clears,
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
    default_calib_split,
    default_cdm_path,
    default_test_split,
    display_path,
    eval_script,
    holdout_text,
    line_str,
    lines_match,
    load_gold,
    wilson_interval,
)
from .resources import models_dir
from .text_model import FEATURES_VERSION as TEXT_FEATURES_VERSION
from .text_model import MIN_REPORTS as TEXT_MIN_REPORTS

TARGET_PRECISION = 0.99
N_SPLITS = 5
COPIES = 3
TRANSFORMS_PER_REPORT = 4  # robustness-suite transforms of each dev report in the training data
ROBUST_PRECISION = 0.985  # released precision the pooled threshold must keep on transformed dev reports
ISOTONIC_MIN_LINES = 1000
MIN_FAMILY_REPORTS = 30
PAYER = "medicare"
BILLING = "global"
_REPO = Path(__file__).resolve().parent.parent


# hospital exam descriptions (``../shared/data/cdm_dev.csv``) coded as one-line reports in the
# training data (at most as many as dev reports), read by the title model and title combiner of
# their health system's fold
CDM_ONELINERS = 5000


def default_dev_path() -> Path:
    return _REPO / "eval" / "data" / "dev.jsonl"


def default_out_dir() -> Path:
    return _REPO / "models" / "confidence"


# --------------------------------------------------------------------------- training records


@dataclass(frozen=True)
class TrainRecord:
    gold: GoldRecord
    group: str  # the original record id
    original: bool
    perturbations: tuple[str, ...] = ()  # eval/perturb.py names, or ("robustness:<transform>",)


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


def with_transforms(records: Sequence[TrainRecord], per_record: int = TRANSFORMS_PER_REPORT,
                    seed: int = 0) -> list[TrainRecord]:
    """``records`` plus, after each original, ``per_record`` robustness-suite transforms of it
    (``eval/robustness.py``: RIS codes, dates, one-line exports, HL7 escapes, de-identification,
    case, voice slips, ...; chosen per report with a seeded draw). Same gold, same group: a
    report and its transforms always sit on the same side of every split."""
    rob = eval_script("robustness")
    names = sorted(rob.TRANSFORMS)
    out = []
    for t in records:
        out.append(t)
        if not t.original:
            continue
        r = t.gold
        for name in sorted(random.Random(f"transforms:{seed}:{r.id}").sample(names, min(per_record, len(names)))):
            text = rob.transform(name, r.id, r.text, seed)
            if text != r.text:
                out.append(TrainRecord(replace(r, id=f"{r.id}~{name}", text=text), t.group, False,
                                       (f"robustness:{name}",)))
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


class FoldRanker:
    """The title model as a hospital never seen would meet it: each description's out-of-fold top
    codes (``title_model.load_oof``), looked up by its exact text within one fold."""

    def __init__(self, tops: dict[str, list[tuple[str, float]]]):
        self.tops = tops

    def top(self, text: str, k: int, attrs: Sequence[str] = ()) -> list[tuple[str, float]]:
        return self.tops.get(text, [])[:k]


def cdm_records(cdm_path: str | Path, title_dir: str | Path, n: int = CDM_ONELINERS,
                combiners: dict[str, Any] | None = None
                ) -> tuple[list[TrainRecord], dict[str, FoldRanker], dict[str, dict]]:
    """Hospital exam descriptions as one-line training reports (issue 12: the confidence model
    sees how one-line text goes wrong): ``n`` rows of one code spread over the table, each a
    record of its health system's group (``cdm:<system>``, never an original report: they train
    the model and calibrate nothing; exact = one line of the row's code, any modifiers), with
    {group: the fold's title ranker} and {group: the combiners with the fold's title combiner}.
    The out-of-fold predictions must be of this very table (sha256), else nothing is added."""
    from .evaluation import GoldLine, load_cdm
    from .title_model import load_oof
    from .title_training import system_of

    cdm_path = Path(cdm_path)
    oof = load_oof(title_dir) if cdm_path.is_file() else None
    if oof is None or hashlib.sha256(cdm_path.read_bytes()).hexdigest() != oof[3]:
        return [], {}, {}
    tops, fold, fold_combiners, _sha = oof
    rows = load_cdm(cdm_path)
    if len(rows) != len(tops):
        return [], {}, {}
    by_fold: dict[int, dict[str, list[tuple[str, float]]]] = defaultdict(dict)
    for i, r in enumerate(rows):
        by_fold[fold[i]].setdefault(r.description, tops[i])
    rankers = {k: FoldRanker(v) for k, v in by_fold.items()}
    single = [i for i, r in enumerate(rows) if len(r.codes) == 1]
    out, group_rankers, group_combiners = [], {}, {}
    for i in spread_sample(single, min(n, len(single))):
        r = rows[i]
        group = f"cdm:{system_of(r)}"
        gold = GoldRecord(f"cdm-{i + 2}", r.description, (GoldLine(r.codes[0], None, 1),), r.source)
        out.append(TrainRecord(gold, group, False, ("cdm",)))
        group_rankers[group] = rankers[fold[i]]
        group_combiners[group] = {**(combiners or {}), "title": fold_combiners[fold[i]]}
    return out, group_rankers, group_combiners


# --------------------------------------------------------------------------- examples


@dataclass
class Examples:
    """One row per code line (``X``, ``y``) and one entry per report.

    ``y`` is the training target: the line's *report* is exact (every line right and no line
    missing), so that a line of a report that misses an exam, or whose sibling line is wrong,
    learns to look doubtful; ``line_ok`` says whether the line itself is a right claim."""

    X: np.ndarray
    y: np.ndarray  # the line's report is exact (0/1): the target
    groups: np.ndarray  # original id of each line's report
    original: np.ndarray  # bool: the line's report is an original dev report
    report_of_line: np.ndarray  # report index of each line
    rule: np.ndarray  # the rule score of each line
    reports: list[dict] = field(default_factory=list)  # id, group, original, exact, family, n_lines
    line_ok: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # the line itself is right
    weight: np.ndarray = field(default_factory=lambda: np.zeros(0))  # training weight of each line (1 when not given)

    def __post_init__(self) -> None:
        if len(self.line_ok) != len(self.y):  # not given: the target
            self.line_ok = self.y
        if len(self.weight) != len(self.y):
            self.weight = np.ones(len(self.y))

    def subset_reports(self, keep: Sequence[int]) -> Examples:
        keep = list(keep)
        pos = {r: i for i, r in enumerate(keep)}
        mask = np.array([r in pos for r in self.report_of_line], dtype=bool)
        return Examples(self.X[mask], self.y[mask], self.groups[mask], self.original[mask],
                        np.array([pos[r] for r in self.report_of_line[mask]], dtype=np.int64),
                        self.rule[mask], [self.reports[i] for i in keep], self.line_ok[mask], self.weight[mask])


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
        # the line features the pipeline computed (with the report's flags and text modifiers)
        captured["feats"] = scored[0][0] if scored and scored[0] is not None else None
        return out

    return captured, code_lines


def build_examples(records: Sequence[TrainRecord], suggester, combiners: dict[str, dict] | None = None,
                   rankers: dict[str, Any] | None = None, texts: dict[str, Any] | None = None) -> Examples:
    """Run the production ``suggest`` (billing global) on every record; one row per code line.

    ``suggester`` should use the rule score (``confidence_model="rules"``): the features do not
    depend on it, and training must not depend on an older model. ``combiners``: {group: the
    hybrid combiners to read that group's records with} (out-of-fold report combiners);
    ``rankers``: {group: the title model to read them with} (out-of-fold, :func:`cdm_records`);
    ``texts``: {group: the text model to read them with} (out-of-fold, :func:`oof_text_models`).
    """
    captured, hook = _recorder(suggester)
    rows, y, ok_line, groups, orig, rep_of, rules = [], [], [], [], [], [], []
    reports: list[dict] = []
    shipped, shipped_tm, shipped_text = suggester.combiners, suggester.title_model, suggester.text_model
    suggester._code_lines = hook
    try:
        for t in records:
            suggester.combiners = combiners.get(t.group, shipped) if combiners else shipped
            suggester.title_model = rankers.get(t.group, shipped_tm) if rankers else shipped_tm
            suggester.text_model = texts.get(t.group, shipped_text) if texts else shipped_text
            captured.clear()
            out = suggester.suggest(t.gold.text, ordered=t.gold.ordered, billing=BILLING, payer=PAYER)
            lines = captured.get("lines", [])
            per_line = [_claims(c) for c in captured.get("per_line", [])]
            if sum(map(len, per_line)) != len(out["codes"]):
                raise RuntimeError(f"{t.gold.id}: per-line claims do not add up to the report's codes")
            feats = captured.get("feats")
            if feats is None or len(feats) != len(lines):
                ctx = report_context(captured["ex"], lines, variants=suggester.lex.code_variants()) if lines else None
                feats = [line_features(ln, ctx) for ln in lines] if ctx is not None else []
            labels = label_lines(t.gold, per_line)
            exact = bool(out["codes"]) and lines_match(t.gold.lines, _claims(out["codes"]))
            for feat, ok in zip(feats, labels, strict=True):
                rows.append([feat[n] for n in FEATURE_NAMES])
                y.append(int(exact))
                ok_line.append(int(ok))
                groups.append(t.group)
                orig.append(t.original)
                rep_of.append(len(reports))
                rules.append(rule_score(feat))
            reports.append({"id": t.gold.id, "group": t.group, "original": t.original, "exact": exact,
                            "family": t.gold.family or "untagged", "n_lines": len(lines),
                            "pred_families": sorted({c["family"] for c in out["codes"]}),
                            "claims": _claims(out["codes"])})
    finally:
        del suggester._code_lines  # back to the class method
        suggester.combiners, suggester.title_model, suggester.text_model = shipped, shipped_tm, shipped_text
    X = np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))
    return Examples(X, np.array(y, dtype=np.int64), np.array(groups, dtype=object), np.array(orig, dtype=bool),
                    np.array(rep_of, dtype=np.int64), np.array(rules, dtype=np.float64), reports,
                    np.array(ok_line, dtype=np.int64))


def fold_of_groups(groups: Sequence[str], seed: int = 0) -> dict[str, int]:
    """{training group: its fold} (:func:`group_folds` over ``groups``): the folds every out-of-fold
    model of the training data (report combiners, text models) leaves out."""
    g = np.array(list(groups), dtype=object)
    return dict(zip(g.tolist(), group_folds(g, N_SPLITS, seed).tolist(), strict=False))


def oof_combiners(suggester, dev: Sequence[GoldRecord], groups: Sequence[str], seed: int = 0) -> dict[str, dict] | None:
    """{training group: the suggester's combiners with the report combiner refitted without the
    dev reports of that group's fold} (the folds :func:`group_folds` gives ``groups``, as in
    :func:`cross_validate` and :func:`calibration_splits`), or None when the
    title model has no report combiner. The shipped report combiner is fitted on the dev reports,
    so it reads them in-sample: features and exactness of dev reports would look easier than
    those of new reports (dev CV AUC 0.91 vs test 0.80, and dev points releasing test at 96.5%)."""
    from .title_training import report_combiners_out_of_fold

    tm = suggester.title_model
    if tm is None or "report" not in suggester.combiners or "report" not in (tm.meta.get("combiner") or {}):
        return None
    fold_of = fold_of_groups(groups, seed)
    per_fold = report_combiners_out_of_fold(tm, list(dev), fold_of, N_SPLITS)
    return {grp: {**suggester.combiners, "report": per_fold[k]} for grp, k in fold_of.items()}


def oof_text_models(dev: Sequence[GoldRecord], groups: Sequence[str], seed: int = 0) -> tuple[Any, dict[str, Any]]:
    """The text model (:mod:`suggester.text_model`) fitted on every dev report, and {training
    group: the text model fitted without the dev reports of that group's fold} (the folds of
    :func:`group_folds` over ``groups``, as in :func:`oof_combiners`): a dev report and its
    variants are read by a model that never saw them, as a new report is by the shipped one."""
    from . import text_model

    fold_of = fold_of_groups(groups, seed)
    fold = np.array([fold_of.get(r.id, -1) for r in dev])
    code_sets = [[ln.code for ln in r.lines] for r in dev]
    texts = [r.text for r in dev]
    full = text_model.fit(texts, code_sets, seed=seed)
    per_fold = {}
    for k in range(N_SPLITS):
        keep = np.flatnonzero(fold != k)
        per_fold[k] = text_model.fit([texts[i] for i in keep], [code_sets[i] for i in keep], seed=seed,
                                     codes=full.codes)
    return full, {grp: per_fold[k] for grp, k in fold_of.items()}


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
    """Gradient-boosted shallow trees with monotone constraints (``confidence.MONOTONE``).

    With the features of version 4 they rank reports better than the random forest of 100 deep
    trees used before (dev, grouped CV: report AUC about 0.83 vs 0.80) and, at depth 4, cost a
    fraction of it to evaluate on one row (compiled walk, ``confidence.CompiledEnsemble``)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    cst = [MONOTONE.get(n, 0) for n in FEATURE_NAMES]
    return HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_depth=4, max_leaf_nodes=15,
                                          min_samples_leaf=20, l2_regularization=1.0, monotonic_cst=cst,
                                          early_stopping=False, random_state=seed)


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
        model.fit(data.X, data.y, sample_weight=data.weight)
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
    """Report confidence per report (:func:`confidence.report_confidence` of its lines; 0 when it
    has no line)."""
    per = defaultdict(list)
    for r, p in zip(data.report_of_line, line_p, strict=True):
        per[int(r)].append(float(p))
    return np.array([report_confidence(per[i]) if per[i] else 0.0 for i in range(len(data.reports))])


# --------------------------------------------------------------------------- CV and threshold


def cross_validate(data: Examples, seed: int = 0, n_splits: int = N_SPLITS) -> dict:
    """Out-of-fold line probabilities of every line (grouped outer folds: a report and its
    variants are held out together; each outer model is the full calibrated model fit on the
    other folds)."""
    fold = group_folds(data.groups, n_splits, seed)
    oof = np.full(len(data.y), np.nan)
    for k in range(n_splits):
        train_rows = np.flatnonzero(fold != k)
        test_rows = np.flatnonzero(fold == k)
        if not len(test_rows):
            continue
        train_reports = sorted({int(r) for r in data.report_of_line[train_rows]})
        sub = data.subset_reports(train_reports)
        m = fit_model(sub, seed=seed + 1 + k, n_splits=n_splits)
        oof[test_rows] = line_probabilities(m, data.X[test_rows])
    return {"line_p": oof}


RELEASE_Z = 1.645  # one-sided 95 % Wilson bound
RELEASE_LOWER = 0.97  # the bound a family's released dev reports must keep (0.95 overfit: 87.5% on test)
MIN_RELEASED = 30  # pooled over every family
MIN_FAMILY_RELEASED = 10  # of one family, at or above the pooled threshold
NEVER = 1.01  # a threshold no confidence reaches: the family releases nothing


def wilson_lower(k: int, n: int, z: float = RELEASE_Z) -> float:
    """Lower Wilson score bound of a proportion k/n (one-sided at ``z``; 0 when n = 0)."""
    iv = wilson_interval(k, n, z)
    return iv[0] if iv else 0.0


def _release_point(idx: Sequence[int], conf: Sequence[float] | np.ndarray, exact: Sequence[bool], floor: float,
                   target: float, lower: float | None, min_released: int) -> tuple[float, int, int] | None:
    """The lowest threshold t >= ``floor`` whose released reports (``idx`` with confidence >= t,
    ties released together, at least ``min_released``) are exact at >= ``target`` and, with
    ``lower``, have a Wilson lower bound >= ``lower``; once such a t is found going down the
    curve, the first threshold below ``target`` ends the search (a worse band below is never
    averaged away). Above that first point a dip is allowed: one error among fewer than 100
    reports is below 99 % by arithmetic, and the bound already counts it. (t, released, exact)
    or None."""
    idx = sorted((i for i in idx if round(float(conf[i]), 4) >= floor), key=lambda i: -float(conf[i]))
    best, k = None, 0
    for n, i in enumerate(idx, 1):
        k += bool(exact[i])
        if n < len(idx) and round(float(conf[idx[n]]), 4) == round(float(conf[i]), 4):
            continue  # ties release together
        if n < min_released or round(float(conf[i]), 4) >= RELEASES_NOTHING:
            continue  # such a threshold releases nothing at run time (confidence.clears)
        if k / n < target:
            if best is not None:
                break
            continue
        if lower is None or wilson_lower(k, n) >= lower:
            best = (round(float(conf[i]), 4), n, k)
    return best


FAMILY_RULES = ("own", "tested")


def _family_point(idx: Sequence[int], conf: Sequence[float] | np.ndarray, exact: Sequence[bool], pooled: float,
                  target: float, min_family: int, family_rule: str) -> tuple[float, int, int] | None:
    """A family's point at or above the pooled threshold (see :func:`choose_release`)."""
    if family_rule not in FAMILY_RULES:
        raise ValueError(f"family_rule must be one of {FAMILY_RULES}, not {family_rule!r}")
    if family_rule == "tested":
        at = [i for i in idx if round(float(conf[i]), 4) >= pooled]
        k = sum(bool(exact[i]) for i in at)
        iv = wilson_interval(k, len(at), RELEASE_Z)
        if len(at) < min_family:
            return None
        if iv is not None and iv[1] >= target:
            return (pooled, len(at), k)
    return _release_point(idx, conf, exact, pooled, target, None, min_family)


def choose_release(conf: Sequence[float] | np.ndarray, exact: Sequence[bool], families: Sequence[Sequence[str]],
                   target: float = TARGET_PRECISION, lower: float = RELEASE_LOWER,
                   min_released: int = MIN_RELEASED, min_family: int = MIN_FAMILY_RELEASED,
                   floor: float | None = None, where: str = "dev", family_rule: str = "own") -> dict:
    """Release operating points from out-of-fold dev report confidences (``families``: the code
    families of each report's predicted codes; a report without codes has none).

    1. **Pooled**: the lowest threshold whose released reports, all families together, are exact
       at >= ``target`` (for it and every higher threshold releasing >= ``min_released``) with a
       one-sided Wilson lower bound >= ``lower``. Pooling is what makes a bound of 99 % reachable
       on a few hundred reports: one family holds too few to show it alone.
    2. **Per family**: the family's own released reports at or above the pooled threshold must
       number >= ``min_family`` and stay exact at >= ``target`` from the top; its threshold is the
       lowest such t >= the pooled one (a family whose confident reports fail goes higher or
       releases nothing). A family that cannot show this releases nothing (``NEVER``), with why.
       With ``family_rule="tested"`` a family keeps the pooled threshold unless its own reports
       released there are shown to fall below ``target`` (one-sided Wilson upper bound < target);
       only then does it take its own point as above. A family's point then rises on evidence,
       not on one confident error among a few dozen reports.

    Returns ``{"pooled": {...}, "families": {family: {"threshold", "n", "released", ...}}}``."""
    has = [i for i, f in enumerate(families) if f]
    pooled = _release_point(has, conf, exact, 0.0, target, lower, min_released)
    if pooled is not None and floor is not None and floor > pooled[0]:
        pooled = (floor, *pooled[1:])  # raised by robust_release; its counts stay those of the bound
    by_fam: dict[str, list[int]] = defaultdict(list)
    for i, fams in enumerate(families):
        for f in fams:
            by_fam[f].append(i)
    out = {}
    for fam, idx in sorted(by_fam.items()):
        right = sum(bool(exact[i]) for i in idx)
        point = None if pooled is None else _family_point(idx, conf, exact, pooled[0], target, min_family, family_rule)
        if point is None:
            why = ("no pooled threshold (see pooled.why)" if pooled is None else
                f"fewer than {min_family} of its {len(idx)} {where} reports reach the pooled threshold "
                f"{pooled[0]:.4f} at >= {target:.0%} exact ({right}/{len(idx)} exact overall)")
            out[fam] = {"threshold": NEVER, "n": len(idx), "released": 0, "why": why}
        else:
            t, n, k = point
            out[fam] = {"threshold": t, "n": len(idx), "released": n, "precision": round(k / n, 4),
                        "wilson_lower": round(wilson_lower(k, n), 4)}
    if pooled is None:
        order = sorted(has, key=lambda i: -float(conf[i]))
        run = next((n for n, i in enumerate(order) if not exact[i]), len(order))
        k, most = 0, (0, 0)
        for n, i in enumerate(order, 1):
            k += bool(exact[i])
            if n >= min_released and k / n >= target:
                most = (n, k)
        need = next((n for n in range(1, 100000) if wilson_lower(n, n) >= lower), None)
        need1 = next((n for n in range(2, 100000) if wilson_lower(n - 1, n) >= lower), None)
        pool = {"threshold": NEVER, "n": len(has), "released": 0,
                "why": f"the {run} most confident {where} reports are exact, then one is wrong; at most {most[0]} "
                       f"reach >= {target:.0%} exact (lower bound {wilson_lower(*most[::-1]):.1%}); a "
                       f"{RELEASE_Z:.3g}-sigma lower bound >= {lower:.0%} needs >= {need} exact in a row "
                       f"({need1} with one error)"}
    else:
        t, n, k = pooled
        pool = {"threshold": t, "n": len(has), "released": n, "precision": round(k / n, 4),
                "wilson_lower": round(wilson_lower(k, n), 4)}
    return {"pooled": pool, "families": out}


BOOTSTRAP_SAMPLES = 200  # resamples of the dev reports for the pooled point's spread


def pooled_spread(conf: Sequence[float] | np.ndarray, exact: Sequence[bool], families: Sequence[Sequence[str]],
                  n: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> dict:
    """How stable the pooled point is: :func:`choose_release` on ``n`` seeded bootstrap resamples
    of the out-of-fold dev reports (drawn with replacement). Returns the share of resamples with
    no pooled point (``never``) and the 5 / 50 / 95 % quantiles of the others' thresholds. On the
    dev split of issue 12 the point 0.9640 spread over 0.949-0.966: the test split's pooled
    precision moves from 96.6 % to 100 % over that range (models/README.md)."""
    c, e = np.asarray(conf, dtype=np.float64), np.asarray(exact, dtype=bool)
    rng = np.random.default_rng(seed)
    points = []
    for _ in range(n):
        idx = rng.integers(0, len(c), len(c))
        points.append(choose_release(c[idx], e[idx].tolist(), [families[i] for i in idx])["pooled"]["threshold"])
    found = np.array([t for t in points if t < NEVER])
    q = np.quantile(found, [0.05, 0.5, 0.95]).round(4).tolist() if len(found) else [None] * 3
    return {"samples": n, "never": round(1 - len(found) / n, 4) if n else None,
            "q05": q[0], "q50": q[1], "q95": q[2]}


HOLDOUT_SPLITS = 200  # random halvings of the calibration reports for the rule's held-out check


def release_holdout(conf: Sequence[float] | np.ndarray, exact: Sequence[bool], families: Sequence[Sequence[str]],
                    n: int = HOLDOUT_SPLITS, seed: int = 0, **choose) -> dict:
    """What the release rule delivers on reports it did not see: ``n`` seeded random halvings of
    the reports; the points are chosen (:func:`choose_release`, ``choose`` passed on) on one half
    and applied to the other. Returns the share of halvings that release nothing, the released
    share and precision pooled over all the held-out halves (the precision the rule's points reach
    on new reports like these, winner's curse included: the point is picked where the half it
    saw looks best), and the share of halvings whose held-out half falls below the target.

    On the calibration split of stop 15 (1,051 reports) the points chosen on one half released
    14.8 % of the other half at 97.7 % exact, not 99 %: one confident wrong report in a few
    hundred moves a point a lot (models/README.md)."""
    c, e = np.asarray(conf, dtype=np.float64), np.asarray(exact, dtype=bool)
    target = choose.get("target", TARGET_PRECISION)
    rng = np.random.default_rng(seed)
    released = right = none = below = 0
    held_total = 0
    for _ in range(n):
        perm = rng.permutation(len(c))
        a, b = perm[: len(c) // 2], perm[len(c) // 2:]
        rel = choose_release(c[a], e[a].tolist(), [families[i] for i in a], **choose)
        r = released_scores(c[b], e[b].tolist(), [families[i] for i in b], rel)
        held_total += len(b)
        if not r["released"]:
            none += 1
            continue
        released += r["released"]
        right += round(r["released"] * r["precision"])
        below += r["precision"] < target
    return {"splits": n, "target": target, "none": round(none / n, 4) if n else None,
            "share": round(released / held_total, 4) if held_total else None,
            "precision": round(right / released, 4) if released else None,
            "below_target": round(below / (n - none), 4) if n > none else None}


def log_points(release: dict, where: str, log) -> None:
    """One log line per family: its point and what it releases of the ``where`` reports, or why none."""
    for fam, v in release["families"].items():
        log(f"  release {fam:8s} " + (f"threshold {v['threshold']:.4f}: {v['released']}/{v['n']} {where} reports at "
                                      f"{v['precision']:.1%}" if v["threshold"] < NEVER else f"nothing: {v['why']}"))


def release_threshold(fams: Sequence[str], points: dict) -> float:
    """The threshold of a report with codes of these families (the strictest family; a family
    without a point releases nothing), as ``Suggester.threshold_for`` applies it."""
    return max((points.get(f, {"threshold": NEVER})["threshold"] for f in fams), default=NEVER)


def released_exact(conf: Sequence[float] | np.ndarray, exact: Sequence[bool], families: Sequence[Sequence[str]],
                   release: dict) -> list[bool]:
    """Whether each report the family points release is exact (reports held for review left out)."""
    pts = release["families"]
    return [bool(e) for c, e, f in zip(conf, exact, families, strict=True)
            if f and clears(c, release_threshold(f, pts))]


def released_scores(conf: Sequence[float] | np.ndarray, exact: Sequence[bool], families: Sequence[Sequence[str]],
                    release: dict) -> dict:
    """How many reports the family points release, and how many of those are exact."""
    rel = released_exact(conf, exact, families, release)
    return {"released": len(rel), "share": len(rel) / len(conf) if len(conf) else None,
            "precision": sum(rel) / len(rel) if rel else None}


def robust_release(release: dict, conf, exact, families, tr_conf, tr_exact, tr_families,
                   target: float = ROBUST_PRECISION, **choose) -> dict:
    """``release`` with its pooled floor raised (and the families re-chosen above it) until the
    transformed dev reports it releases are exact at >= ``target``; nothing released when no
    floor does. A report's transforms are never more independent evidence than the report, so
    they only ever raise a threshold, never lower one."""
    if release["pooled"]["threshold"] >= NEVER:
        return release
    floors = sorted({round(float(c), 4) for c in conf if round(float(c), 4) >= release["pooled"]["threshold"]})
    for floor in floors:
        if floor > release["pooled"]["threshold"]:
            fam = choose_release(conf, exact, families, floor=floor, **choose)
            release = {"pooled": {**release["pooled"], "floor_for_transforms": floor}, "families": fam["families"]}
        r = released_scores(tr_conf, tr_exact, tr_families, release)
        if r["released"] == 0 or r["precision"] >= target:
            return release
    return {"pooled": {**release["pooled"], "threshold": NEVER, "why": f"transformed {choose.get('where', 'dev')} reports fall below "
                       f"{target:.1%} at every threshold"},
            "families": {f: {**v, "threshold": NEVER, "released": 0} for f, v in release["families"].items()}}


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
                "auc": _auc(np.array(e, dtype=np.int64), np.array(c)) if idx else None,
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


# --------------------------------------------------------------------------- the calibration split

RECAL_PENALTY = 2.0  # L2 pull of the map's parameters towards the identity (a=1, b=0, no offsets)
RECAL_MIN_FAMILY = MIN_FAMILY_REPORTS  # calibration reports a family needs for its own offset
CALIB_FOLDS = 5  # folds of the calibration reports for the map's out-of-fold (honest) ECE
CALIBRATION_REPORTS = "calibration_reports.json"  # per calibration report: ids, exactness, families, confidences
CALIB_MIN_FAMILY = MIN_FAMILY_RELEASED  # a family's own calibration reports released at >= 99 %
# the calibration reports also train the model, cross-fitted (each scored by a model without its fold)
CALIB_IN_TRAINING = True
# ... with this weight per line beside a dev line's: dev text has been read by rule work until its few
# errors are atypical, while the calibration reports were written outside the team and never read, so
# their errors are those of fresh text (out-of-fold calibration AUC, stop 37: weight 1 0.813, 5 0.825)
CALIB_WEIGHT = 5.0


def lowest_lines(data: Examples, line_p: np.ndarray) -> list[int | None]:
    """Per report, the row of its lowest-probability line (None when it has none)."""
    out: list[int | None] = [None] * len(data.reports)
    for row, (r, p) in enumerate(zip(data.report_of_line, line_p, strict=True)):
        cur = out[int(r)]
        if cur is None or p < line_p[cur]:
            out[int(r)] = row
    return out


def line_family(x: np.ndarray) -> str:
    """The code family of a feature row (its ``family_*`` one-hot)."""
    for fam in FAMILIES:
        if x[FEATURE_NAMES.index(f"family_{fam}")] > 0.5:
            return fam
    return "other"


def fit_recalibration(conf: Sequence[float] | np.ndarray, exact: Sequence[bool], families: Sequence[str],
                      penalty: float = RECAL_PENALTY, min_family: int = RECAL_MIN_FAMILY,
                      offsets: bool = True) -> dict:
    """The map ``logit p' = a logit p + b + offset[family]`` fitted on report confidences of
    reports the model never saw (``families``: the family of each report's lowest line): penalized
    log-loss, the parameters pulled towards the identity by ``penalty`` (a few errors must not
    swing it), an offset (``offsets``) only for a family with >= ``min_family`` reports. ``a`` stays > 0, so the
    map keeps the order of the lines of one family. Deterministic (L-BFGS from the identity)."""
    from scipy.optimize import minimize

    from .confidence import RECAL_EPS

    c = np.clip(np.asarray(conf, dtype=np.float64), RECAL_EPS, 1 - RECAL_EPS)
    y = np.asarray(exact, dtype=np.float64)
    z = np.log(c / (1 - c))
    counts: dict[str, int] = defaultdict(int)
    for f in families:
        counts[f] += 1
    fams = sorted(f for f, n in counts.items() if n >= min_family and f in FAMILIES) if offsets else []
    F = np.array([[f == g for g in fams] for f in families], dtype=np.float64).reshape(len(c), len(fams))

    def loss(w):
        a, b, off = w[0], w[1], w[2:]
        t = a * z + b + F @ off
        ll = np.sum(np.logaddexp(0.0, t) - y * t)
        g = 1.0 / (1.0 + np.exp(-t)) - y
        reg = penalty * ((a - 1.0) ** 2 + b * b + float(off @ off))
        grad = np.concatenate([[g @ z + 2 * penalty * (a - 1.0), g.sum() + 2 * penalty * b], F.T @ g + 2 * penalty * off])
        return ll + reg, grad

    w0 = np.concatenate([[1.0, 0.0], np.zeros(len(fams))])
    if len(c) == 0:
        w = w0
    else:
        res = minimize(loss, w0, jac=True, method="L-BFGS-B",
                       bounds=[(0.05, 20.0), (-20.0, 20.0)] + [(-10.0, 10.0)] * len(fams))
        w = res.x
    return {"kind": "platt", "a": round(float(w[0]), 6), "b": round(float(w[1]), 6),
            "family_offsets": {f: round(float(v), 6) for f, v in zip(fams, w[2:], strict=True)},
            "penalty": penalty, "min_family": min_family, "n_reports": len(c)}


def _mapped_reports(data: Examples, line_p: np.ndarray, rec: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """(line probabilities after the map, report confidences) of ``data``."""
    from .confidence import recalibrate

    mp = recalibrate(line_p, data.X, rec) if rec is not None and len(line_p) else line_p
    return mp, report_confidences(data, mp)


def concat_examples(a: Examples, b: Examples) -> Examples:
    """The rows and reports of ``a`` followed by those of ``b``."""
    return Examples(np.vstack([a.X, b.X]), np.concatenate([a.y, b.y]), np.concatenate([a.groups, b.groups]),
                    np.concatenate([a.original, b.original]),
                    np.concatenate([a.report_of_line, b.report_of_line + len(a.reports)]),
                    np.concatenate([a.rule, b.rule]), [*a.reports, *b.reports], np.concatenate([a.line_ok, b.line_ok]),
                    np.concatenate([a.weight, b.weight]))


def calib_examples(calib: Sequence[GoldRecord], suggester, transforms: int = TRANSFORMS_PER_REPORT,
                   seed: int = 0, weight: float = CALIB_WEIGHT) -> Examples:
    """The calibration reports and ``transforms`` robustness-suite transforms of each, coded
    (shipped combiners: the report combiner is fitted on dev only), each line with training
    weight ``weight`` (:data:`CALIB_WEIGHT`)."""
    data = build_examples(with_transforms([TrainRecord(r, r.id, True) for r in calib], transforms, seed), suggester)
    data.weight = np.full(len(data.y), float(weight))
    return data


def cross_fit(dev: Examples, cal: Examples, seed: int = 0, n_splits: int = CALIB_FOLDS):
    """Calibration reports in the training data without losing them as held-out evidence: the
    line probabilities of each fold of calibration reports (and their transforms) come from a
    model fitted on dev plus the other folds; the returned model is fitted on all of it.
    Returns ``(out-of-fold line probabilities of cal, model)``."""
    fold = group_folds(cal.groups, n_splits, seed)
    rep_fold = np.array([fold[np.flatnonzero(cal.report_of_line == i)[0]] if (cal.report_of_line == i).any()
                         else -1 for i in range(len(cal.reports))])
    raw = np.full(len(cal.y), np.nan)
    for k in range(n_splits):
        rows = np.flatnonzero(fold == k)
        if not len(rows):
            continue
        keep = [i for i in range(len(cal.reports)) if rep_fold[i] != k]
        m = fit_model(concat_examples(dev, cal.subset_reports(keep)), seed=seed + 101 + k)
        raw[rows] = line_probabilities(m, cal.X[rows])
    return raw, fit_model(concat_examples(dev, cal), seed=seed)


def calibration_release(conf, exact, fams, t_conf, t_exact, t_fams, *, seed: int = 0, holdout: bool = True,
                        **choose) -> dict:
    """The release points from the calibration reports' mapped confidences (``conf``, ``exact``,
    ``fams``) and their transforms' (``t_*``): :func:`choose_release` raised by
    :func:`robust_release`, with the pooled point's bootstrap spread and, with ``holdout``, the
    rule's held-out check (:func:`release_holdout`). ``choose`` goes to :func:`choose_release`."""
    choose = {"min_family": CALIB_MIN_FAMILY, "where": "calibration", **choose}
    release = choose_release(conf, exact, fams, **choose)
    release = robust_release(release, conf, exact, fams, t_conf, t_exact, t_fams, **choose)
    release["pooled"]["spread"] = pooled_spread(conf, exact, fams, seed=seed)
    if holdout:
        release["pooled"]["holdout"] = release_holdout(conf, exact, fams, seed=seed, **choose)
    return release


def calibrate_on_split(data: Examples, raw: np.ndarray, *, seed: int = 0, family_rule: str = "own") -> dict:
    """Level and release points from the calibration split (``eval/data/calib.jsonl``), which
    the model (fitted on dev) never saw and rule work never read:

    1. every calibration report (and its robustness-suite transforms: ``data``, from
       :func:`calib_examples`) scored by a model that did not see it (``raw`` line probabilities:
       the dev model's, or :func:`cross_fit`'s out of fold): raw report confidences;
    2. :func:`fit_recalibration` maps them to the calibration reports' exactness (its honest ECE:
       out of fold over ``CALIB_FOLDS`` folds of the calibration reports);
    3. :func:`choose_release` on the mapped confidences (pooled Wilson bound, then each family on
       its own calibration reports, ``CALIB_MIN_FAMILY``), raised by :func:`robust_release` until
       the transformed calibration reports keep ``ROBUST_PRECISION``.

    Only aggregate predictions of these reports are used. Returns ``recalibration`` (for
    ``meta.json``), ``release`` and the ``scores``."""
    orig = [i for i, r in enumerate(data.reports) if r["original"]]
    tr = [i for i, r in enumerate(data.reports) if not r["original"]]
    sub, tsub = data.subset_reports(orig), data.subset_reports(tr)
    o_rows = np.flatnonzero(np.isin(data.report_of_line, orig))
    t_rows = np.flatnonzero(np.isin(data.report_of_line, tr))
    raw_o, raw_t = raw[o_rows], raw[t_rows]
    raw_conf = report_confidences(sub, raw_o)
    exact = [r["exact"] for r in sub.reports]
    has = [r["n_lines"] > 0 for r in sub.reports]
    low = lowest_lines(sub, raw_o)
    fam_of = [line_family(sub.X[i]) if i is not None else "none" for i in low]
    with_lines = [i for i, h in enumerate(has) if h]

    def fit(idx, offsets):
        return fit_recalibration([raw_conf[i] for i in idx], [exact[i] for i in idx], [fam_of[i] for i in idx],
                                 offsets=offsets)

    # out of fold: each calibration report mapped by a map fitted without its fold; the map with
    # per-family offsets is kept only when it predicts the held-out reports better (log-loss)
    fold = group_folds(np.array([r["id"] for r in sub.reports], dtype=object), CALIB_FOLDS, seed)
    cv: dict[bool, np.ndarray] = {}
    for offsets in (False, True):
        cv_conf = np.zeros(len(sub.reports))
        for k in range(CALIB_FOLDS):
            held = [i for i in range(len(sub.reports)) if fold[i] == k]
            if not held:
                continue
            rk = fit([i for i in with_lines if fold[i] != k], offsets)
            h_rows = np.flatnonzero(np.isin(sub.report_of_line, held))
            cv_conf[held] = _mapped_reports(sub.subset_reports(held), raw_o[h_rows], rk)[1]
        cv[offsets] = cv_conf
    loss = {o: _log_loss(cv[o][with_lines], [exact[i] for i in with_lines]) for o in cv}
    offsets = loss[True] < loss[False]
    cv_conf = cv[offsets]
    rec = {**fit(with_lines, offsets), "out_of_fold_log_loss": {"global": round(loss[False], 5),
                                                                "family_offsets": round(loss[True], 5)}}
    _, conf = _mapped_reports(sub, raw_o, rec)
    _, t_conf = _mapped_reports(tsub, raw_t, rec)
    fams = [r["pred_families"] for r in sub.reports]
    t_exact, t_fams = [r["exact"] for r in tsub.reports], [r["pred_families"] for r in tsub.reports]
    release = calibration_release(conf, exact, fams, t_conf, t_exact, t_fams, seed=seed, family_rule=family_rule)
    threshold = release["pooled"]["threshold"] if release["pooled"]["threshold"] < NEVER else 1.0
    gold_fams = [r["family"] for r in sub.reports]
    blocks = {"raw": report_scores(raw_conf, exact, has, threshold, gold_fams),
              "mapped_in_sample": report_scores(conf, exact, has, threshold, gold_fams),
              "mapped_out_of_fold": report_scores(cv_conf, exact, has, threshold, gold_fams)}
    for b in blocks.values():
        b.pop("auto_coverage", None)
        b.pop("auto_precision", None)
    scores: dict[str, Any] = {
        "n_reports": len(sub.reports), "n_transformed": len(tsub.reports), **blocks,
        "released": {**released_scores(conf, exact, fams, release),
                     "interval": _released_interval(conf, exact, fams, release)},
        "transformed": {"n_reports": len(tsub.reports), **released_scores(t_conf, t_exact, t_fams, release),
                        "interval": _released_interval(t_conf, t_exact, t_fams, release)},
    }
    reports = {"id": [r["id"] for r in sub.reports], "exact": [bool(e) for e in exact], "families": fams,
               "gold_family": gold_fams, "raw": _round(list(map(float, raw_conf)), 6),
               "mapped": _round(list(map(float, conf)), 6), "mapped_out_of_fold": _round(list(map(float, cv_conf)), 6),
               "transformed": {"group": [str(r["group"]) for r in tsub.reports], "exact": [bool(e) for e in t_exact],
                               "families": t_fams, "mapped": _round(list(map(float, t_conf)), 6)}}
    return {"recalibration": rec, "release": release, "scores": scores, "reports": reports}


def _log_loss(conf, exact) -> float:
    c = np.clip(np.asarray(conf, dtype=np.float64), 1e-6, 1 - 1e-6)
    y = np.asarray(exact, dtype=np.float64)
    return float(-np.mean(y * np.log(c) + (1 - y) * np.log(1 - c))) if len(c) else 0.0


def _released_interval(conf, exact, families, release) -> list[float] | None:
    rel = released_exact(conf, exact, families, release)
    iv = wilson_interval(sum(rel), len(rel))
    return [round(iv[0], 4), round(iv[1], 4)] if iv else None


# --------------------------------------------------------------------------- why wrong reports rank high

WRONG_LISTED = 25  # the most confident wrong dev reports kept in meta.json (cv.wrong_reports)


def error_kind(gold: Sequence, pred: Sequence[tuple[str, tuple[str, ...], int]], codes) -> str:
    """What a coder would call the difference between a report's gold claim lines (``GoldLine``)
    and the predicted ones (code, modifiers, units): ``missed <code>`` (a second exam or an add-on
    left out), ``extra <code>``, ``<code> for <gold>: <attrs>`` (a neighbour of the same family and
    region: contrast, views, side, qualifier), ``<code> for <gold>: site`` / ``family``,
    ``modifiers`` or ``units`` (same codes), ``several lines``. ``codes``: the lexicon's code table."""
    from collections import Counter

    g, p = Counter(x.code for x in gold), Counter(c for c, _m, _u in pred)
    missing, extra = sorted((g - p).elements()), sorted((p - g).elements())
    if not missing and not extra:
        units = Counter((x.code, x.units) for x in gold) != Counter((c, u) for c, _m, u in pred)
        return "units" if units else "modifiers"
    if not extra:
        return "missed " + " ".join(missing)
    if not missing:
        return "extra " + " ".join(extra)
    if len(missing) == 1 and len(extra) == 1:
        a, b = codes.get(extra[0]), codes.get(missing[0])
        if a is None or b is None or a.family != b.family:
            what = "family"
        elif a.region != b.region:
            what = "site"
        else:
            what = ", ".join(k for k in ("contrast", "views", "side", "qualifier")
                             if getattr(a, k) != getattr(b, k)) or "code"
        return f"{extra[0]} for {missing[0]}: {what}"
    return "several lines"


def wrong_reports(conf: Sequence[float] | np.ndarray, reports: Sequence[dict], gold: dict[str, GoldRecord],
                  codes, n: int = WRONG_LISTED) -> list[dict]:
    """The ``n`` most confident wrong reports (out of fold), most confident first: id, rank among
    all reports, confidence, gold family, predicted and gold claim lines and :func:`error_kind`.
    ``reports``: :class:`Examples` reports with their predicted ``claims``."""
    order = sorted(range(len(conf)), key=lambda i: -float(conf[i]))
    out = []
    for rank, i in enumerate(order, 1):
        r = reports[i]
        if r["exact"] or not r.get("claims"):
            continue
        g = gold[r["id"]]
        out.append({"id": r["id"], "rank": rank, "confidence": round(float(conf[i]), 4), "family": r["family"],
                    "kind": error_kind(g.lines, r["claims"], codes),
                    "predicted": [line_str(c, m, u) for c, m, u in r["claims"]],
                    "gold": [str(x) for x in g.lines]})
        if len(out) >= n:
            break
    return out


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
          transforms: int = TRANSFORMS_PER_REPORT, ship_release: bool = False,
          calib_path: str | Path | None = None, use_calib: bool = True,
          calib_in_training: bool = CALIB_IN_TRAINING, cdm_oneliners: int = CDM_ONELINERS,
          cdm_path: str | Path | None = None, title_dir: str | Path | None = None, family_rule: str = "own",
          log=print) -> dict:
    """Build the confidence model into ``out_dir`` (default ``models/confidence``); return meta.

    ``limit`` keeps N dev records spread over the split (quick checks and tests); ``score_test=False`` skips the test split.
    ``corrections``: a review database (``suggester serve --db``) whose accepted and overridden
    reports are added to the training data as original reports (suggester/workbench/corrections.py).
    ``ship_release``: store the release operating points as the model's ``review_thresholds`` (so
    reports above them are released). Off by default: the points are computed and kept in
    ``meta["release"]`` with ``shipped: false`` and every report goes to review, because the points
    chosen on dev have not yet held on held-out reports (see models/README.md). The shipped points
    must pass :func:`release_gate` (the test split's released reports >= 99% exact, no out-of-scope
    RadLex name released with a wrong family), else they are not shipped and ``meta.json`` says why.
    """
    from .pipeline import Suggester

    t0 = time.perf_counter()
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir()
    dev_path = Path(dev_path) if dev_path is not None else default_dev_path()
    test_path = Path(test_path) if test_path is not None else default_test_split()
    calib_path = Path(calib_path) if calib_path is not None else default_calib_split()
    calib = load_gold([calib_path]) if use_calib and calib_path.is_file() else None
    dev = load_gold([dev_path])
    if limit is not None:
        dev = spread_sample(dev, limit)
    if test_path.is_file():
        leaked = {r.id for r in dev} & {r.id for r in load_gold([test_path])}
        if leaked:
            raise ValueError(f"{len(leaked)} test records in the training data (e.g. {sorted(leaked)[0]})")
    if calib is not None:
        held = {r.id for r in load_gold([test_path])} if test_path.is_file() else set()
        texts = {r.text for r in dev}
        shared = sorted(({r.id for r in dev} | held) & {r.id for r in calib}) + [r.id for r in calib if r.text in texts]
        if shared:
            raise ValueError(f"{len(shared)} calibration records are also dev or test records (e.g. {shared[0]})")
    records = with_transforms(with_perturbations(dev, copies=copies, seed=seed), transforms, seed)
    fixes = _corrections(corrections, test_path, log)
    # a correction of a dev report's text joins that report's group (fold): no out-of-fold model reads it in sample
    dev_group = {r.text: r.id for r in dev}
    records += [TrainRecord(r, dev_group.get(r.text, r.id), True) for r in (fixes.records if fixes else ())]
    rules_sg = Suggester(lexicon_path=lexicon_path, billing=BILLING, payer=PAYER, confidence_model="rules")
    combiners = oof_combiners(rules_sg, dev, [t.group for t in records], seed) or {}
    # the text model: shipped (fitted on all dev) for the calibration reports and hospital
    # descriptions, out of fold for the dev reports and their variants
    text, text_models = oof_text_models(dev, [t.group for t in records], seed)
    rules_sg.text_model = text
    rankers: dict[str, Any] = {}
    if cdm_oneliners and rules_sg.title_model is not None:
        extra, rankers, cdm_combiners = cdm_records(cdm_path or default_cdm_path(), title_dir or models_dir() / "title",
                                                    min(cdm_oneliners, len(dev)), rules_sg.combiners)
        records += extra
        combiners.update(cdm_combiners)
    data = build_examples(records, rules_sg, combiners, rankers, text_models)
    t1 = time.perf_counter()
    n_tr = sum(1 for t in records if t.perturbations[:1] and t.perturbations[0].startswith("robustness:"))
    n_cdm = sum(1 for t in records if t.perturbations == ("cdm",))
    log(f"training data: {len(dev)} dev reports + {len(records) - len(dev) - n_tr - n_cdm} perturbed variants + {n_tr} "
        f"robustness transforms + {n_cdm} hospital descriptions, {len(data.y)} code lines ({data.line_ok.mean():.1%} right, "
        f"{data.y.mean():.1%} of exact reports) in {t1 - t0:.1f}s")

    cv = cross_validate(data, seed=seed)
    orig_rows = np.flatnonzero(data.original)
    orig_reports = [i for i, r in enumerate(data.reports) if r["original"]]
    oof_sub = data.subset_reports(orig_reports)
    oof_conf = report_confidences(oof_sub, cv["line_p"][orig_rows])
    exact = [r["exact"] for r in oof_sub.reports]
    has = [r["n_lines"] > 0 for r in oof_sub.reports]
    release = choose_release(oof_conf, exact, [r["pred_families"] for r in oof_sub.reports])
    # the transformed dev reports (out of fold too) must keep ROBUST_PRECISION at those points
    tr_reports = [i for i, r in enumerate(data.reports) if any(p.startswith("robustness:")
                                                                for p in records[i].perturbations)]
    tr_sub = data.subset_reports(tr_reports)
    tr_rows = np.flatnonzero(np.isin(data.report_of_line, tr_reports))
    tr_conf = report_confidences(tr_sub, cv["line_p"][tr_rows])
    release = robust_release(release, oof_conf, exact, [r["pred_families"] for r in oof_sub.reports],
                             tr_conf, [r["exact"] for r in tr_sub.reports], [r["pred_families"] for r in tr_sub.reports])
    threshold = release["pooled"]["threshold"] if release["pooled"]["threshold"] < NEVER else 1.0
    # is the point stable? the pooled point over bootstrap resamples of the dev reports
    release["pooled"]["spread"] = pooled_spread(oof_conf, exact, [r["pred_families"] for r in oof_sub.reports],
                                                seed=seed)
    rule_conf = report_confidences(oof_sub, data.rule[orig_rows])
    cv_scores: dict[str, Any] = {
        "n_reports": len(orig_reports), "n_lines": int(len(orig_rows)), "folds": N_SPLITS,
        "report": report_scores(oof_conf, exact, has, threshold, [r["family"] for r in oof_sub.reports]),
        "line": line_scores(data.line_ok[orig_rows], cv["line_p"][orig_rows]),
        "rule_score": {"report": report_scores(rule_conf, exact, has, threshold),
                       "line": line_scores(data.line_ok[orig_rows], data.rule[orig_rows])},
        "released": released_scores(oof_conf, exact, [r["pred_families"] for r in oof_sub.reports], release),
        "transformed": {"n_reports": len(tr_reports),
                        **released_scores(tr_conf, [r["exact"] for r in tr_sub.reports],
                                          [r["pred_families"] for r in tr_sub.reports], release)},
    }
    # why wrong reports rank high: the most confident wrong dev reports and what is wrong in each
    cv_scores["wrong_reports"] = wrong_reports(oof_conf, oof_sub.reports,
                                               {t.gold.id: t.gold for t in records if t.original},
                                               rules_sg.lex.codes)
    t2 = time.perf_counter()
    p, rel, trs = release["pooled"], cv_scores["released"], cv_scores["transformed"]
    log(f"cross-validated ({N_SPLITS} grouped folds, {t2 - t1:.1f}s): report ECE {cv_scores['report']['ece']:.4f}, "
        f"Brier {cv_scores['report']['brier']:.4f} (rule score {cv_scores['rule_score']['report']['brier']:.4f}); "
        + (f"pooled release threshold {p['threshold']:.4f} ({p['released']} dev reports at {p['precision']:.1%}, "
           f"lower bound {p['wilson_lower']:.1%})" if p["threshold"] < NEVER else f"no pooled release threshold: {p['why']}")
        + f"; released with the family points: {rel['released']} of {len(exact)} dev reports"
        + (f" at {rel['precision']:.1%}" if rel["released"] else "")
        + f", transformed {trs['released']} of {trs['n_reports']}" + (f" at {trs['precision']:.1%}" if trs["released"] else ""))
    sp = p["spread"]
    log(f"  pooled point over {sp['samples']} bootstrap resamples of the dev reports: none in {sp['never']:.0%}, "
        f"else 5/50/95% at {sp['q05']} / {sp['q50']} / {sp['q95']}")
    log_points(release, "dev", log)

    for w in cv_scores["wrong_reports"][:5]:
        log(f"  wrong at rank {w['rank']} ({w['confidence']:.4f}): {w['id']} ({w['family']}) {w['kind']}")

    dev_release, cal = release, None
    if calib is None:
        model = fit_model(data, seed=seed)
    else:
        t4 = time.perf_counter()
        cal_data = calib_examples(calib, rules_sg, transforms, seed)
        if calib_in_training:
            raw, model = cross_fit(data, cal_data, seed)
        else:
            model = fit_model(data, seed=seed)
            raw = line_probabilities(model, cal_data.X)
        cal = calibrate_on_split(cal_data, raw, seed=seed, family_rule=family_rule)
        release = cal["release"]
        c, p = cal["scores"], cal["release"]["pooled"]
        rel, trs = c["released"], c["transformed"]
        log(f"calibration split ({len(calib)} reports + {c['n_transformed']} transforms"
            + (", cross-fitted into the training data" if calib_in_training else "") + ", "
            f"{time.perf_counter() - t4:.1f}s): raw ECE {c['raw']['ece']:.4f} (accuracy {c['raw']['accuracy']:.1%}, "
            f"mean confidence {c['raw']['mean_confidence']:.3f}, AUC {c['raw']['auc'] or 0:.3f}); mapped ECE "
            f"{c['mapped_in_sample']['ece']:.4f} in sample, {c['mapped_out_of_fold']['ece']:.4f} out of fold; "
            + (f"pooled point {p['threshold']:.4f} ({p['released']} at {p['precision']:.1%}, lower bound "
               f"{p['wilson_lower']:.1%})" if p["threshold"] < NEVER else f"no pooled point: {p['why']}")
            + f"; released with the family points {rel['released']} of {c['n_reports']}"
            + (f" at {rel['precision']:.1%}" if rel["released"] else "")
            + f", transformed {trs['released']} of {trs['n_reports']}"
            + (f" at {trs['precision']:.1%}" if trs["released"] else ""))
        log("  the rule on held-out halves (points chosen on one half of the calibration reports, applied to "
            "the other): " + holdout_text(release["pooled"]["holdout"]))
        log_points(release, "calibration", log)
    method = model.method
    where = "calibration-split" if cal is not None else "out-of-fold dev"
    rule = release_rule_text(where, CALIB_MIN_FAMILY if cal is not None else MIN_FAMILY_RELEASED,
                             family_rule if cal is not None else "own", cal is not None)
    meta = {
        "schema": MODEL_SCHEMA,
        "name": "confidence",
        "versions": _versions(rules_sg.lex.version),
        "feature_names": list(FEATURE_NAMES),
        # a family without an operating point (none in the dev data) releases nothing
        "review_threshold": 1.0,
        "review_thresholds": {f: v["threshold"] for f, v in release["families"].items()} if ship_release else {},
        "release": {"rule": rule, "chosen_on": "calib" if cal is not None else "dev",
                    "family_rule": family_rule if cal is not None else "own",
                    "shipped": ship_release, **release,
                    **({"dev_pooled": dev_release["pooled"]} if cal is not None else {})},
        # the calibration split's map of the model's probabilities (None: none, the model's own)
        "recalibration": cal["recalibration"] if cal is not None else None,
        "calibration_split": None if cal is None else {
            "path": display_path(calib_path), "sha256": hashlib.sha256(calib_path.read_bytes()).hexdigest(),
            "n_reports": len(calib or ()), "folds": CALIB_FOLDS, "seed": seed,
            "in_training": ("cross-fitted: each calibration report (and its transforms) scored by a model fitted "
                            "on dev plus the other folds; the shipped model is fitted on all of them")
            if calib_in_training else "no: scored by the model fitted on dev only",
            "weight": CALIB_WEIGHT if calib_in_training else None,
            **cal["scores"]},
        "target_precision": TARGET_PRECISION,
        "report_confidence": "lowest line probability (each line trained on its report being exact)",
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
            "transforms": {"script": "eval/robustness.py", "per_report": transforms, "seed": seed, "n_reports": n_tr,
                           "sha256": hashlib.sha256((_REPO / "eval" / "robustness.py").read_bytes()).hexdigest()},
            "cdm_oneliners": {"path": display_path(cdm_path or default_cdm_path()), "n_reports": n_cdm,
                              "groups": "health system", "title model": "out of fold by health system"},
            "sha256": records_sha256(records),
            "n_reports": len(records), "n_lines": int(len(data.y)), "line_accuracy": float(data.line_ok.mean()),
            "target": "the line's report is exact", "exact_share": float(data.y.mean()),
            "billing": BILLING, "payer": PAYER,
            "corrections": fixes.summary if fixes else None,
        },
        "code_sha256": code_fingerprint(lexicon_path),
        "text_model": {"features_version": TEXT_FEATURES_VERSION, "codes": len(text.codes), "terms": len(text.vocab),
                       "trained_on": "dev report texts (the training rows of dev reports read it out of fold)",
                       "min_reports": TEXT_MIN_REPORTS},
        "cv": cv_scores,
        "test": None,
        "built_with": {"python": platform.python_version(), "numpy": np.__version__},
    }
    meta = _round(meta)
    save_confidence_model(model, meta, out_dir, text)
    if cal is not None:  # the calibration reports' confidences, for tools/release_rules.py (no retrain needed)
        (out_dir / CALIBRATION_REPORTS).write_text(json.dumps(cal["reports"]) + "\n", encoding="utf-8")
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
            f"(rule score {test['rule_score']['brier']:.4f}); released "
            f"{m['released_share']:.1%} at {m['released_precision'] or 0:.1%} exact")
    if ship_release:
        meta = _gate_release(meta, out_dir, sg if score_test and test_path.is_file() else
                             Suggester(lexicon_path=lexicon_path, billing=BILLING, payer=PAYER,
                                       confidence_model=str(out_dir)), log)
    log(f"wrote {out_dir} ({(out_dir / 'model.skops').stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - t0:.1f}s "
        f"(fit {t3 - t2:.1f}s)")
    return meta


def release_rule_text(where: str, min_family: int, family_rule: str, mapped: bool,
                      lower: float = RELEASE_LOWER) -> str:
    """The release rule in words, as ``meta.json`` keeps it."""
    fam = (f">= {min_family} of its own released at or above the pooled threshold, which it keeps unless its "
           f"own released reports there are shown below {TARGET_PRECISION:.0%} (one-sided Wilson upper bound), "
           f"then its own point at >= {TARGET_PRECISION:.0%} exact" if family_rule == "tested" else
           f">= {min_family} of its own released at >= {TARGET_PRECISION:.0%} at or above the pooled threshold")
    rule = (f"pooled over families: >= {TARGET_PRECISION:.0%} exact on {where} reports from the top, one-sided "
            f"Wilson ({RELEASE_Z}) lower bound >= {lower:.0%}, >= {MIN_RELEASED} released; per family: "
            f"{fam}; transformed {where} reports (robustness suite) released at >= {ROBUST_PRECISION:.1%}")
    if mapped:
        rule = ("report confidences mapped by a Platt map (per-family offsets) fitted on the calibration split, "
                "which the model never saw; " + rule)
    return rule


def load_calibration_reports(model_dir: str | Path) -> dict:
    """The calibration reports' confidences a training run kept (``CALIBRATION_REPORTS``)."""
    path = Path(model_dir) / CALIBRATION_REPORTS
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: train the model with a calibration split (suggester train)")
    return json.loads(path.read_text(encoding="utf-8"))


def reselect_release(model_dir: str | Path, *, family_rule: str, ship_release: bool = False, seed: int = 0,
                     lower: float = RELEASE_LOWER, min_family: int = CALIB_MIN_FAMILY,
                     lexicon_path: str | None = None, log=print) -> dict:
    """Choose a trained model's release points again from the calibration reports' confidences it
    kept, under another ``family_rule`` (no refit: the model and its map are unchanged); then, as
    :func:`train` does, score the test split with the new points and, with ``ship_release``, let
    :func:`release_gate` decide whether they ship. Rewrites ``meta.json``; returns it."""
    from .pipeline import Suggester

    out_dir = Path(model_dir)
    rep = load_calibration_reports(out_dir)
    meta = json.loads((out_dir / "meta.json").read_text(encoding="utf-8"))
    t = rep["transformed"]
    release = calibration_release(rep["mapped"], rep["exact"], rep["families"], t["mapped"], t["exact"],
                                  t["families"], seed=seed, family_rule=family_rule, lower=lower, min_family=min_family)
    cs = meta["calibration_split"]
    cs["released"] = {**released_scores(rep["mapped"], rep["exact"], rep["families"], release),
                      "interval": _released_interval(rep["mapped"], rep["exact"], rep["families"], release)}
    cs["transformed"] = {"n_reports": len(t["exact"]), **released_scores(t["mapped"], t["exact"], t["families"], release),
                         "interval": _released_interval(t["mapped"], t["exact"], t["families"], release)}
    meta["release"] = {**{k: v for k, v in meta["release"].items() if k in ("chosen_on", "dev_pooled")},
                       "rule": release_rule_text("calibration-split", min_family, family_rule, True, lower),
                       "family_rule": family_rule, "shipped": ship_release, **release}
    meta["review_thresholds"] = {f: v["threshold"] for f, v in release["families"].items()} if ship_release else {}
    meta = _round(meta)
    log_points(release, "calibration", log)
    log("  the rule on held-out halves: " + holdout_text(release["pooled"]["holdout"]))
    meta_path = out_dir / "meta.json"
    meta_path.write_text(json.dumps(seal_meta(meta), indent=2) + "\n", encoding="utf-8")
    sg = Suggester(lexicon_path=lexicon_path, billing=BILLING, payer=PAYER, confidence_model=str(out_dir))
    test_path = default_test_split()
    if test_path.is_file():
        meta["test"] = {**(meta.get("test") or {}), "path": display_path(test_path),
                        "sha256": hashlib.sha256(test_path.read_bytes()).hexdigest(),
                        "model": _round(score_split(test_path, sg))}
        meta_path.write_text(json.dumps(seal_meta(meta), indent=2) + "\n", encoding="utf-8")
        m = meta["test"]["model"]
        log(f"test split (scored only): released {m['released_share']:.1%} at {m['released_precision'] or 0:.1%} exact")
        sg = Suggester(lexicon_path=lexicon_path, billing=BILLING, payer=PAYER, confidence_model=str(out_dir))
    if ship_release:
        meta = _gate_release(meta, out_dir, sg, log)
    return meta


RADLEX_RELEASED_WRONG_MAX = 0  # out-of-scope RadLex names released (no review) with a code of a wrong family


def release_gate(test_model: dict | None, radlex: dict | None, holdout: dict | None = None) -> list[str]:
    """Why the operating points must not ship ([] when they may): the rule itself, checked on
    halves of the calibration split it did not choose on (:func:`release_holdout`), releasing
    below ``ROBUST_PRECISION`` exact; the held-out test split's released reports (scored only,
    never trained on) below ``TARGET_PRECISION`` exact; or an out-of-scope RadLex name released
    without review with a code of a wrong family. The check can only turn releasing off, never
    choose a threshold."""
    why = []
    if holdout and holdout.get("precision") is not None and holdout["precision"] < ROBUST_PRECISION:
        why.append(f"the rule on held-out halves of the calibration split: {holdout['share']:.1%} released at "
                   f"{holdout['precision']:.1%} exact (< {ROBUST_PRECISION:.1%}; no point at all in "
                   f"{holdout['none']:.0%} of {holdout['splits']} halvings)")
    if test_model and test_model.get("released_n") and test_model["released_precision"] < TARGET_PRECISION:
        why.append(f"test split: {test_model['released_n']} released at {test_model['released_precision']:.1%} "
                   f"exact (< {TARGET_PRECISION:.0%})")
    if radlex:
        o = radlex["out_of_scope"]
        n = {w: round((o[w]["wrong_family_without_review"] or 0.0) * o["n"]) for w in ("short_name", "long_name")}
        if sum(n.values()) > RADLEX_RELEASED_WRONG_MAX:
            why.append(f"RadLex: {n['short_name']} short / {n['long_name']} long out-of-scope names released "
                       "with a code of a wrong family")
    return why


def _gate_release(meta: dict, out_dir: Path, sg, log) -> dict:
    """Apply :func:`release_gate` to a model written with its points shipped; when it refuses,
    rewrite ``meta.json`` with no ``review_thresholds`` (every report to review) and the reasons
    in ``release.not_shipped``."""
    from .evaluation import default_radlex_path, load_radlex, score_radlex

    path = default_radlex_path()
    radlex = score_radlex(load_radlex(path), sg, source=path.name) if path.is_file() else None
    why = release_gate((meta.get("test") or {}).get("model"), radlex, meta["release"]["pooled"].get("holdout"))
    meta = {**meta, "release": {**meta["release"], "gate": {
        "holdout": meta["release"]["pooled"].get("holdout"),
        "test": {k: (meta.get("test") or {}).get("model", {}).get(k) for k in ("released_n", "released_precision")},
        "radlex_released_wrong_family": None if radlex is None else {
            w: round((radlex["out_of_scope"][w]["wrong_family_without_review"] or 0.0) * radlex["out_of_scope"]["n"])
            for w in ("short_name", "long_name")}}}}
    if why:
        meta["review_thresholds"] = {}
        meta["release"] = {**meta["release"], "shipped": False, "not_shipped": why}
        log("release points NOT shipped: " + "; ".join(why))
    else:
        log("release points shipped (held-out halves, test split and RadLex check passed)")
    meta = seal_meta(meta)
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
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


def _with_threshold(sg, threshold: float):
    sg.review_threshold = threshold
    return sg
