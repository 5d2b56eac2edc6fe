"""Build ``models/title``: the title model, the hybrid combiner and their scores by health system.

    suggester train --title [--cdm ../shared/data/cdm_dev.csv] [--folds 5]

1. Folds grouped by health system (a hospital of no known system is its own group): the title
   model is fitted on the other systems' descriptions and predicts the held-out system's, so every
   description gets an out-of-fold prediction, as a hospital the project has never seen would.
2. The rules run on every description (and on the dev reports); each candidate of the rules and
   the model becomes a row of features (``hybrid.candidate_features``) labelled right or wrong.
3. The combiner (gradient-boosted trees, one for one-line titles and one for reports) is fitted
   on those rows; its out-of-fold score by health system is measured with the same grouped folds.
   Its trees are written as plain arrays (``combiner.npz``, checked against scikit-learn's
   predictions on every row) and walked with numpy at run time (``trees.py``).
4. The plain baseline of issue 11 (TF-IDF over character 2-5 grams + logistic regression, no
   words, no attributes) is scored on the same folds.
5. The shipped title model is fitted on every description; ``meta.json`` records the data sha256,
   versions, the combiner and the scores (rules alone, baseline, model alone, hybrid; by system
   and by row).
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
import time
import warnings
from collections import defaultdict
from pathlib import Path

import numpy as np

from . import hybrid
from .__about__ import __version__
from .evaluation import CdmRow, load_cdm, load_gold, split_of
from .title_model import FEATURES_VERSION, TitleModel, fit, load, save, save_combiners

_INFERRED = re.compile(r"\s*\(inferred from name\)\s*$")


def system_of(row: CdmRow) -> str:
    """The health-system group of a chargemaster row (independent hospitals stand alone)."""
    system = _INFERRED.sub("", row.system or "").strip()
    if not system or system.lower().startswith("independent"):
        return "hospital:" + row.hospital
    return system


def _folds(groups: list[str], k: int) -> list[np.ndarray]:
    """k folds of whole health systems (scikit-learn's GroupKFold: balanced by row count)."""
    from sklearn.model_selection import GroupKFold

    return [te for _tr, te in GroupKFold(n_splits=k).split(groups, groups=groups)]


def _labels(rows: list[CdmRow]) -> list[str]:
    return [r.codes[0] for r in rows]


class _Rows:
    """Candidate rows for the combiner: features, label, group, and which example they belong to."""

    def __init__(self) -> None:
        self.x: list[tuple[float, ...]] = []
        self.y: list[int] = []
        self.example: list[int] = []
        self.codes: list[str] = []
        self.rules_pick: dict[int, str | None] = {}
        self.model_pick: dict[int, str | None] = {}
        self.multi_pick: dict[int, str] = {}  # several lines: the first after the hybrid's ordering
        self.gold: dict[int, frozenset] = {}
        self.group: dict[int, str] = {}
        self.multi: set[int] = set()
        # codes that may not displace the rules' first (hybrid.rules_first_kept), per example
        self.kept_over: dict[int, set[str]] = {}


def _attributes(ex) -> tuple[str, ...]:
    return hybrid.title_attributes(ex.mentions, ex.frames, ex.title) if ex.title else ()


def _candidates(s, ex, top: list | TitleModel, gold: frozenset, ex_id: int, group: str, rows: _Rows) -> None:
    """Feature rows of one example (``ex``: the rules' extraction of its text), computed exactly
    as the pipeline's hybrid stage does."""
    from .mapping import map_frames, rank

    text = ex.text
    rows.gold[ex_id], rows.group[ex_id] = gold, group
    title = ex.title
    if isinstance(top, TitleModel):
        top = top.top(title.text, hybrid.MODEL_K, _attributes(ex)) if title else []
    rows.model_pick[ex_id] = top[0][0] if top else None
    lines, applied = map_frames(ex.frames, s.lex, s.payer)
    if len(ex.frames) > 1 or title is None or len(lines) > 1 or applied:
        out = s.suggest(text, billing="global")  # several exams: the rules decide
        rows.rules_pick[ex_id] = out["codes"][0]["code"] if out["codes"] else None
        rows.multi.add(ex_id)
        if len(lines) > 1:  # ... and the pipeline lists first the code the title wording names
            rows.multi_pick[ex_id] = hybrid.order_lines(lines, top)[0].code.code
        return
    frame = ex.frames[0] if ex.frames else None
    cands = rank(frame, s.lex, s.payer) if frame else []
    if cands and any(r.endswith("not documented") for r in cands[0].reasons):
        cands = []
    rows.rules_pick[ex_id] = cands[0].code.code if cands else None
    if cands and cands[0].penalty < 0:
        rows.multi.add(ex_id)  # a documented qualifier chose the code: the pipeline keeps it
    kind = hybrid.report_kind(ex)
    for sc in hybrid.score_candidates(frame, cands, top, s.lex, None):
        if frame is not None and cands and sc.code is not cands[0].code and \
                hybrid.rules_first_kept(frame, cands[0].code, sc.code, kind):
            rows.kept_over.setdefault(ex_id, set()).add(sc.code.code)
        rows.x.append(sc.features)
        rows.y.append(int(sc.code.code in gold))
        rows.example.append(ex_id)
        rows.codes.append(sc.code.code)


def baseline_picks(texts: list[str], labels: list[str], fold_idx: list[np.ndarray]) -> list[str]:
    """Out-of-fold top-1 of the plain baseline of issue 11: TF-IDF over character 2-5 grams
    (scikit-learn's ``char_wb``) + logistic regression, nothing else (no words, no attributes)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    out = [""] * len(texts)
    for te in fold_idx:
        tr = np.setdiff1d(np.arange(len(texts)), te)
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                              lowercase=True, dtype=np.float32)
        clf = LogisticRegression(C=10.0, max_iter=150, tol=1e-3)
        clf.fit(vec.fit_transform([texts[i] for i in tr]), [labels[i] for i in tr])
        pred = clf.predict(vec.transform([texts[i] for i in te]))
        for i, p in zip(te, pred, strict=True):
            out[i] = str(p)
    return out


# 50 shallow trees: as accurate out of fold as 100-300 deeper ones (by system 88.9%), a third of the cost
COMBINER_PARAMS = {"max_iter": 50, "max_depth": 5, "learning_rate": 0.2, "early_stopping": False}


def _fit_combiner(x: np.ndarray, y: np.ndarray):
    """Gradient-boosted trees on the candidate rows (deterministic: no early-stopping split)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(**COMBINER_PARAMS).fit(x, y)


def report_combiners_out_of_fold(title_model: TitleModel, reports: list, fold_of: dict[str, int],
                                 folds: int) -> dict[int, hybrid.Combiner]:
    """{fold: the report combiner fitted, as :func:`train_title` fits it, on the ``reports``
    (gold records) whose ``fold_of[id]`` is another fold}. The shipped report combiner is fitted
    on the dev reports themselves, so on them its choices are in-sample; the confidence model
    (``suggester train``) reads each dev report, and its variants, with the combiner of its fold."""
    from .pipeline import Suggester

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = Suggester(title_model="off", billing="global", confidence_model="rules")
    rows = _Rows()
    for j, g in enumerate(reports):
        _candidates(s, s.extract(g.text), title_model, frozenset(gl.code for gl in g.lines), j, "reports", rows)
    x, y = np.asarray(rows.x, dtype=float), np.asarray(rows.y)
    fold = np.array([fold_of[reports[e].id] for e in rows.example])
    meta = title_model.meta["combiner"]["report"]
    return {k: hybrid.Combiner.from_meta(meta, _compiled(_fit_combiner(x[fold != k], y[fold != k]), x))
            for k in range(folds)}


OOF_FILE = "oof.npz"  # each description's out-of-fold top codes and fold, beside the title model
OOF_KIND = "title@"  # the combiner.npz key prefix of the title combiner fitted without fold k


def save_oof(out_dir: str | Path, oof: list, fold: list[int], cdm_sha: str, fold_parts: dict[str, dict]) -> dict:
    """Write each description's out-of-fold top codes, probabilities and fold (``oof.npz``; no
    description text: the rows are read again from the table, whose sha256 is kept); return the
    ``meta.json`` entry, with each fold's title combiner (its trees are in ``combiner.npz``).
    The confidence model's training reads hospital descriptions as one-line reports with these,
    as a hospital never seen would be read (:func:`suggester.training.cdm_records`)."""
    k = hybrid.MODEL_K
    codes = np.array([[c for c, _p in top] + [""] * (k - len(top)) for top in oof], dtype="<U8").reshape(len(oof), k)
    probs = np.array([[p for _c, p in top] + [0.0] * (k - len(top)) for top in oof], dtype=np.float32).reshape(len(oof), k)
    path = Path(out_dir) / OOF_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, codes=codes, probs=probs, fold=np.asarray(fold, dtype=np.int8))
    return {"file": OOF_FILE, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "cdm_sha256": cdm_sha,
            "rows": len(oof), "folds": len(fold_parts),
            "combiners": {kind: {"depth": p["depth"], "baseline": p["baseline"]} for kind, p in fold_parts.items()}}


def _compiled(est, x: np.ndarray) -> dict:
    """The trees of ``est`` as arrays for ``combiner.npz``, checked against scikit-learn on ``x``."""
    from .trees import boosting_part, flatten_trees, walk

    part = boosting_part(est)
    if part is None:
        raise ValueError("the combiner is not a binary gradient-boosted model without categorical splits")
    raw = walk(flatten_trees([part]), x).sum(axis=1) + part["baseline"]
    ref = est.decision_function(x)
    if not np.allclose(raw, ref, rtol=0, atol=1e-9):
        raise ValueError(f"compiled combiner differs from scikit-learn by {np.abs(raw - ref).max():.3g}")
    return part


def _picks(rows: _Rows, score: np.ndarray, accept: float, keep: set[int] | None = None) -> dict[int, str | None]:
    """The hybrid's code per example: the best-scored candidate (``score``: one per candidate
    row; a model-only one must reach ``accept``); several-exam examples keep the rules' pick."""
    best: dict[int, tuple[float, str, float]] = {}
    for i, ex_id in enumerate(rows.example):
        if keep is not None and ex_id not in keep:
            continue
        p = score[i]
        # ties: the lower code, as hybrid.score_candidates orders them
        if ex_id not in best or p > best[ex_id][0] or (p == best[ex_id][0] and rows.codes[i] < best[ex_id][1]):
            best[ex_id] = (p, rows.codes[i], rows.x[i][hybrid.FEATURES.index("model_only")])
    out = {}
    for ex_id in rows.gold:
        if keep is not None and ex_id not in keep:
            continue
        if ex_id in rows.multi or ex_id not in best:
            out[ex_id] = rows.multi_pick.get(ex_id, rows.rules_pick.get(ex_id))
            continue
        p, code, model_only = best[ex_id]
        if code in rows.kept_over.get(ex_id, ()):
            out[ex_id] = rows.rules_pick.get(ex_id)  # the pipeline keeps the rules' first over it
            continue
        out[ex_id] = code if (not model_only or p >= accept) else None
    return out


def _score(picks: dict[int, str | None], rows: _Rows, ids) -> dict:
    by_group: dict[str, list[int]] = defaultdict(list)
    for i in ids:
        by_group[rows.group[i]].append(int(picks.get(i) in rows.gold[i]))
    per = {g: sum(v) / len(v) for g, v in by_group.items()}
    n = sum(len(v) for v in by_group.values())
    return {"by_row": round(sum(sum(v) for v in by_group.values()) / n, 4) if n else None,
            "by_system": round(float(np.mean(list(per.values()))), 4) if per else None,
            "n": n, "systems": len(per)}


def train_title(cdm_path: str | Path, out_dir: str | Path, *, folds: int = 5,
                dev_paths: list[str | Path] | None = None, cache: str | Path | None = None,
                log=print) -> dict:
    from .pipeline import Suggester

    t0 = time.time()
    cdm_path = Path(cdm_path)
    rows = load_cdm(cdm_path)
    groups = [system_of(r) for r in rows]
    texts = [r.description for r in rows]
    labels = _labels(rows)
    fold_idx = _folds(groups, folds)
    sha = hashlib.sha256(cdm_path.read_bytes()).hexdigest()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = Suggester(title_model="off", billing="global", confidence_model="rules")
    extracted = [s.extract(t) for t in texts]
    attrs = [_attributes(ex) for ex in extracted]
    log(f"rules read {len(rows)} descriptions ({time.time() - t0:.0f} s)")
    cache_file = Path(cache) / f"title-oof-{sha[:12]}-f{FEATURES_VERSION}-k{folds}.json" if cache else None
    if cache_file is not None and cache_file.is_file():
        # the out-of-fold predictions and the final model depend only on the table, the
        # features and the folds: reuse them while the combiner is being worked on
        cached = json.loads(cache_file.read_text())
        oof = [[(c, p) for c, p in top] for top in cached["oof"]]
        base = cached["baseline"]
        final = load(cache_file.parent / "final")
        log(f"out-of-fold predictions and the final model from {cache_file}")
    else:
        oof = [[] for _ in rows]
        for k, te in enumerate(fold_idx):
            tr = np.setdiff1d(np.arange(len(rows)), te)
            m = fit([texts[i] for i in tr], [labels[i] for i in tr], attrs=[attrs[i] for i in tr])
            for i in te:
                oof[i] = m.top(texts[i], hybrid.MODEL_K, attrs[i])
            log(f"title model fold {k + 1}/{folds}: {len(tr)} train, {len(te)} held out ({time.time() - t0:.0f} s)")
        final = fit(texts, labels, attrs=attrs, meta={"features_version": FEATURES_VERSION})
        log(f"title model on all {len(rows)} descriptions ({time.time() - t0:.0f} s)")
        base = baseline_picks(texts, labels, fold_idx)
        log(f"TF-IDF baseline, {folds} folds ({time.time() - t0:.0f} s)")
        if cache_file is not None:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache_file.write_text(json.dumps({"oof": oof, "baseline": base}))
            save(final, cache_file.parent / "final")

    cand = _Rows()
    for i, r in enumerate(rows):
        _candidates(s, extracted[i], oof[i], frozenset(r.codes), i, groups[i], cand)
    n_cdm = len(rows)
    dev = load_gold(dev_paths) if dev_paths else []
    dev = [g for g in dev if split_of(g.id) == "dev"]
    for j, g in enumerate(dev):
        _candidates(s, s.extract(g.text), final, frozenset(gl.code for gl in g.lines), n_cdm + j, "reports", cand)
    log(f"candidate rows: {len(cand.y)} from {n_cdm} descriptions and {len(dev)} dev reports "
        f"({time.time() - t0:.0f} s)")

    x, y = np.asarray(cand.x, dtype=float), np.asarray(cand.y)
    ex_ids = np.asarray(cand.example)
    # out-of-fold combiner by system (the same system folds; dev reports split by id hash)
    ex_fold = {i: k for k, te in enumerate(fold_idx) for i in te}
    for j in range(len(dev)):
        ex_fold[n_cdm + j] = j % folds
    oof_picks: dict[int, str | None] = {}
    accept = 0.5
    combiners: dict[str, dict] = {}
    parts: dict[str, dict] = {}
    fold_parts: dict[str, dict] = {}  # the title combiner of each fold (hospital descriptions, out of fold)
    # one combiner for one-line titles (the descriptions), one for reports with a body (dev)
    for kind, is_kind in (("title", ex_ids < n_cdm), ("report", ex_ids >= n_cdm)):
        if not is_kind.any():
            continue
        for k in range(folds):
            tr = np.array([ex_fold[e] != k for e in ex_ids]) & is_kind
            est = _fit_combiner(x[tr], y[tr])
            keep = {e for e, f in ex_fold.items() if f == k and (e < n_cdm) == (kind == "title")}
            te = np.isin(ex_ids, list(keep))
            score = np.zeros(len(y))
            score[te] = est.predict_proba(x[te])[:, 1]
            oof_picks.update(_picks(cand, score, accept, keep))
            if kind == "title":
                fold_parts[f"{OOF_KIND}{k}"] = _compiled(est, x)
        est = _fit_combiner(x[is_kind], y[is_kind])
        parts[kind] = _compiled(est, x)
        combiners[kind] = {"features": list(hybrid.FEATURES), "accept": accept, "model": "gradient-boosted trees",
                           "params": COMBINER_PARAMS, "trees": int(parts[kind]["feature"].shape[0]),
                           "depth": parts[kind]["depth"], "baseline": parts[kind]["baseline"]}
        log(f"combiner '{kind}': {combiners[kind]['trees']} trees ({time.time() - t0:.0f} s)")
    cdm_ids = range(n_cdm)
    scores = {
        "rules": _score(cand.rules_pick, cand, cdm_ids),
        "baseline": _score(dict(enumerate(base)), cand, cdm_ids),
        "model": _score(cand.model_pick, cand, cdm_ids),
        "hybrid": _score(oof_picks, cand, cdm_ids),
    }
    if dev:
        dev_ids = range(n_cdm, n_cdm + len(dev))
        scores["dev_reports"] = {"rules": _score(cand.rules_pick, cand, dev_ids)["by_row"],
                                 "hybrid": _score(oof_picks, cand, dev_ids)["by_row"]}
    per_system = {}
    for system in sorted(set(groups)):
        ids = [i for i in cdm_ids if groups[i] == system]
        per_system[system] = {"n": len(ids), **{k: _score(p, cand, ids)["by_row"] for k, p in
                                          (("rules", cand.rules_pick), ("model", cand.model_pick),
                                           ("hybrid", oof_picks))}}
    import sklearn

    final.meta = {
        "version": f"title-{sha[:8]}-f{FEATURES_VERSION}",
        "features_version": FEATURES_VERSION,
        "suggester": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "data": {"cdm": cdm_path.name, "cdm_sha256": sha, "rows": n_cdm, "systems": len(set(groups)),
                 "dev_reports": len(dev)},
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                     "numpy": np.__version__},
        "model": {"analyzer": "char 2-5 in words + words + the rules' attributes of the title",
                  "tfidf": "sublinear, min_df 2",
                  "classifier": "multinomial logistic regression C=20", "classes": len(final.classes),
                  "features": len(final.vocab)},
        "combiner": combiners,
        "combiner_sha256": save_combiners(out_dir, {**parts, **fold_parts}),
        "oof": save_oof(out_dir, oof, [ex_fold[i] for i in range(n_cdm)], sha, fold_parts),
        "scores": {"folds": folds, "grouped_by": "health system", **scores},
        "per_system": per_system,
        "seconds": round(time.time() - t0, 1),
    }
    save(final, out_dir)
    log(json.dumps(scores, indent=1))
    return final.meta

