"""Tree ensembles as flat numpy arrays: compiled from scikit-learn at training time, walked with
numpy at run time (no pickle, no scikit-learn at start-up).

scikit-learn walks the trees of a forest or of a boosted model one call per tree (about 2 ms per
row for a few hundred trees), and the pipeline predicts one report at a time. A fitted
``HistGradientBoostingClassifier`` (:func:`boosting_part`) or ``RandomForestClassifier``
(:func:`forest_part`) becomes a *part*: ``(trees, nodes)`` arrays of feature, threshold, left,
right and value (``-1`` children mark a leaf) and the depth. :func:`flatten_trees` lays the trees
of one or more parts out as flat node arrays, and :func:`walk` sends every (row, tree) pair down
one level per step, all at once. Used by the confidence model (``confidence.CompiledEnsemble``)
and the hybrid's tree combiner (``hybrid.Combiner``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

PART_KEYS = ("feature", "threshold", "left", "right", "value")
SHALLOW_DEPTH = 8  # trees at most this deep are walked to the end without setting leaves aside


def stack(arrays: list, fill, dtype) -> np.ndarray:
    """1-D arrays of different lengths as the rows of one ``(len(arrays), longest)`` array."""
    out = np.full((len(arrays), max(len(a) for a in arrays)), fill, dtype=dtype)
    for i, a in enumerate(arrays):
        out[i, :len(a)] = a
    return out


def forest_part(est) -> dict | None:
    """The trees of a fitted binary ``RandomForestClassifier`` (leaf value: the share of the
    positive class); None for anything else."""
    trees = [t.tree_ for t in est.estimators_]
    if est.n_outputs_ != 1 or len(est.classes_) != 2:
        return None
    values = []
    for t in trees:
        v = t.value[:, 0, :]
        values.append(v[:, 1] / np.maximum(v.sum(axis=1), 1e-300))
    return {"kind": "forest",
            "feature": stack([np.maximum(t.feature, 0) for t in trees], 0, np.int64),
            "threshold": stack([t.threshold for t in trees], 0.0, np.float64),
            "left": stack([t.children_left for t in trees], -1, np.int64),
            "right": stack([t.children_right for t in trees], -1, np.int64),
            "value": stack(values, 0.0, np.float64),
            "depth": int(max(t.max_depth for t in trees))}


def boosting_part(est) -> dict | None:
    """The trees of a fitted binary ``HistGradientBoostingClassifier`` without categorical
    splits (raw score = ``baseline`` + the sum of the leaf values); None for anything else."""
    if est.n_trees_per_iteration_ != 1:
        return None
    preds = [p[0] for p in est._predictors]
    if any(p.nodes["is_categorical"].any() for p in preds):
        return None
    nodes = [p.nodes for p in preds]
    return {"kind": "boosting",
            "feature": stack([n["feature_idx"] for n in nodes], 0, np.int64),
            "threshold": stack([n["num_threshold"] for n in nodes], 0.0, np.float64),
            # the node arrays are unsigned: widen before -1 marks a leaf
            "left": stack([np.where(n["is_leaf"], -1, n["left"].astype(np.int64)) for n in nodes], -1, np.int64),
            "right": stack([np.where(n["is_leaf"], -1, n["right"].astype(np.int64)) for n in nodes], -1, np.int64),
            "value": stack([n["value"] for n in nodes], 0.0, np.float64),
            "depth": int(max(n["depth"].max() for n in nodes)),
            "baseline": float(np.ravel(est._baseline_prediction)[0])}


def flatten_trees(parts: list[dict]) -> dict:
    """Stacked ``(trees, nodes)`` arrays of one or more parts as flat 1-D node arrays.

    Node ``i`` of the flat layout has ``feature[i]``, ``threshold[i]``, ``value[i]`` and its two
    children at ``child[2 * i]`` (the value is above the threshold) and ``child[2 * i + 1]`` (at
    or below it); a leaf is its own child, so that walking past a tree's depth keeps it at its
    leaf. ``root[t]`` is the first node of tree ``t`` (trees in part order).
    """
    feature, threshold, value, child, leaf, root = [], [], [], [], [], []
    offset = 0
    for p in parts:
        trees, width = p["feature"].shape
        first = offset + np.arange(trees, dtype=np.intp)[:, None] * width
        node = first + np.arange(width, dtype=np.intp)[None, :]
        is_leaf = p["left"] < 0
        left = np.where(is_leaf, node, first + p["left"])
        right = np.where(is_leaf, node, first + p["right"])
        feature.append(p["feature"].astype(np.intp).ravel())
        threshold.append(p["threshold"].astype(np.float64).ravel())
        value.append(p["value"].astype(np.float64).ravel())
        child.append(np.stack([right, left], axis=2).ravel())
        leaf.append(is_leaf.ravel())
        root.append(first.ravel())
        offset += trees * width
    return {"feature": np.concatenate(feature), "threshold": np.concatenate(threshold),
            "value": np.concatenate(value), "child": np.concatenate(child).astype(np.intp),
            "leaf": np.concatenate(leaf), "root": np.concatenate(root),
            "depth": max(int(p["depth"]) for p in parts)}


def walk(flat: dict, X) -> Any:
    """Leaf values ``(rows, trees)`` of every tree of ``flat`` for every row of ``X``.

    All (row, tree) pairs descend one level per step (a leaf is its own child, so a pair that
    reached one stays there). Shallow trees (boosting) take a few steps of five numpy calls
    each; in deep trees (a forest) the pairs that reached a leaf are set aside every few steps,
    so the later steps only touch the deep paths."""
    n, n_feat = X.shape
    roots = flat["root"]
    t = roots.shape[0]
    feature, threshold, child = flat["feature"], flat["threshold"], flat["child"]
    xs = np.ascontiguousarray(X, dtype=np.float64).ravel()
    if flat["depth"] <= SHALLOW_DEPTH:
        cur = roots
        row = np.repeat(np.arange(n, dtype=np.intp) * n_feat, t) if n > 1 else None
        if n > 1:
            cur = np.tile(roots, n)
        for _ in range(flat["depth"]):
            at = feature.take(cur)
            go_left = xs.take(at if row is None else at + row) <= threshold.take(cur)
            cur = child.take(2 * cur + go_left)
        return flat["value"].take(cur).reshape(n, t)
    leaf = flat["leaf"]
    cur = np.tile(roots, n)
    row = np.repeat(np.arange(n, dtype=np.intp) * n_feat, t)
    pos = np.arange(n * t, dtype=np.intp)
    done = np.empty(n * t, dtype=np.intp)
    for level in range(flat["depth"]):
        go_left = xs.take(row + feature.take(cur)) <= threshold.take(cur)
        cur = child.take(2 * cur + go_left)
        if level % 4 == 3:
            active = ~leaf.take(cur)
            if not active.all():
                done[pos] = cur
                pos, cur, row = pos[active], cur[active], row[active]
                if not len(pos):
                    break
    done[pos] = cur
    return flat["value"].take(done).reshape(n, t)
