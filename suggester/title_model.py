"""The learned title model: exam-title wording -> CPT code probabilities.

A TF-IDF model over character n-grams (2-5, inside word boundaries) and whole words, with a
multinomial logistic regression on top, trained on real hospital exam descriptions
(``../shared/data/cdm_dev.csv``: the wording of 59 hospitals' chargemasters) and the titles of the
labelled dev reports. It knows how real titles are spelled ("U.S.ABDOMEN COMPLETE", "DUPLEX
EXTRA CRANIAL BILAT", "SPINE LUMBAR MIN 6 VIEWS"); the rules know what the words mean. The
hybrid stage (``suggester/hybrid.py``) combines the two.

Inference needs numpy only (no scikit-learn at start-up): the analyzer below is the one used in
training, and the fitted vocabulary, idf weights and coefficients are stored in
``models/title/model.npz`` (coefficients quantized to int8 per class) with ``meta.json``
(versions, data sha256, scores by health system). ``suggester train --title`` rebuilds it.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np

from .memo import BoundedMemo

FEATURES_VERSION = 2
NGRAM_MIN, NGRAM_MAX = 2, 5
MAX_TITLE = 200  # characters of a title the model reads
_WORD_RX = re.compile(r"[a-z0-9]+|[<>+/&]")
_SPACE_RX = re.compile(r"\s+")
WORD_CACHE = 50_000  # words whose vocabulary ids a model keeps (cleared when full)
TOP_CACHE = 4_096  # (title, attributes) whose top codes a model keeps (cleared when full; 0: none)
# sublinear term frequency 1 + ln(count), computed in float64 and stored in float32 as scikit-learn does
_SUBLINEAR_TF = np.array([0.0] + [1.0 + math.log(c) for c in range(1, 64)], dtype=np.float32)


def analyze(text: str, attrs: Sequence[str] = ()) -> list[str]:
    """Character n-grams of each word padded with spaces, plus the words themselves, plus the
    attributes the rules read in the title (``hybrid.title_attributes``: "modality=CT",
    "contrast=without_then_with", "views=2"...): the wording says how a hospital spells an exam,
    the attributes say what the lexicon understood, which carries over to unseen spellings."""
    text = _SPACE_RX.sub(" ", text[:MAX_TITLE].lower()).strip()
    out: list[str] = []
    for w in text.split(" "):
        if not w:
            continue
        padded = f" {w} "
        n_chars = len(padded)
        for n in range(NGRAM_MIN, NGRAM_MAX + 1):
            if n > n_chars:
                break
            out.extend(padded[i:i + n] for i in range(n_chars - n + 1))
    out.extend("w:" + w for w in _WORD_RX.findall(text))
    out.extend("@" + a for a in attrs)
    return out


@dataclass
class TitleModel:
    vocab: dict[str, int]
    idf: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_features, n_classes) float32, or int8 times ``scale`` (as stored)
    intercept: np.ndarray  # (n_classes,)
    classes: tuple[str, ...]
    meta: dict
    # per-class scale of int8 coefficients: the rows a title uses are widened when it is read
    # (the same float32 products as widening the whole table, which took a tenth of a second
    # and 39 MB per process at start-up); None: ``coef`` is float32
    scale: np.ndarray | None = None
    _words: BoundedMemo[str, tuple[list[int], list[int]]] = field(
        default_factory=lambda: BoundedMemo("title words", WORD_CACHE), repr=False, compare=False)
    _tops: BoundedMemo[tuple, list[tuple[str, float]]] = field(
        default_factory=lambda: BoundedMemo("title top", TOP_CACHE), repr=False, compare=False)

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "title-unknown"))

    def _grams(self) -> ahocorasick.Automaton:
        """Every vocabulary entry that a character n-gram can be (``NGRAM_MIN``-``NGRAM_MAX``
        characters; whatever it looks like: a word may hold "w:" or "@") -> (id, length), as an
        Aho-Corasick automaton: one C pass over a word finds its n-grams in the vocabulary,
        instead of a dictionary look-up per n-gram. Built on first use (a hundredth of a second)."""
        auto = self.__dict__.get("_gram_auto")
        if auto is None:
            auto = ahocorasick.Automaton()
            for g, j in self.vocab.items():
                if NGRAM_MIN <= len(g) <= NGRAM_MAX:
                    auto.add_word(g, (j, len(g)))
            auto.make_automaton()
            self.__dict__["_gram_auto"] = auto
        return auto

    def _word_ids(self, word: str) -> tuple[list[int], list[int]]:
        """Vocabulary ids of one word's character n-grams and of its ``w:`` tokens, in the order
        ``analyze`` emits them (memoised: hospital titles reuse a small set of words).

        The automaton reports each n-gram where it ends; ``analyze`` lists the 2-grams from the
        left, then the 3-grams, ...: per length, the ends come in the same order."""
        hit = self._words.get(word)
        if hit is not None:
            return hit
        by_len: list[list[int]] = [[] for _ in range(NGRAM_MAX + 1)]
        for _end, (j, n) in self._grams().iter(f" {word} "):
            by_len[n].append(j)
        grams = [j for ids in by_len[NGRAM_MIN:] for j in ids]
        vocab = self.vocab
        tokens = [j for j in (vocab.get("w:" + t) for t in _WORD_RX.findall(word)) if j is not None]
        return self._words.put(word, (grams, tokens))

    def vector(self, text: str, attrs: Sequence[str] = ()) -> tuple[np.ndarray, np.ndarray]:
        """The L2-normalised TF-IDF vector of ``analyze(text, attrs)`` as (vocabulary ids in
        first-seen order, values): the same numbers as scikit-learn's vectorizer at training time."""
        ids: list[int] = []
        tokens: list[int] = []
        for w in _SPACE_RX.sub(" ", text[:MAX_TITLE].lower()).strip().split(" "):
            if w:
                g, t = self._word_ids(w)
                ids += g
                tokens += t
        ids += tokens  # analyze() lists the words after every n-gram
        vocab = self.vocab
        ids += [j for j in (vocab.get("@" + a) for a in attrs) if j is not None]
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        counts = Counter(ids)
        n = len(counts)
        idx = np.fromiter(counts, dtype=np.int64, count=n)
        c = np.fromiter(counts.values(), dtype=np.int64, count=n)
        tf = _SUBLINEAR_TF[c] if c.max() < len(_SUBLINEAR_TF) else \
            np.fromiter((1.0 + math.log(x) for x in c.tolist()), dtype=np.float32, count=n)
        val = tf * self.idf[idx]
        norm = float(np.sqrt(np.dot(val, val)))
        return idx, val / norm if norm else val

    def rows(self, idx: np.ndarray) -> np.ndarray:
        """The float32 coefficient rows of vocabulary ids ``idx`` (int8 widened exactly, then
        times the scale in float32: one pass, no widened copy)."""
        rows = self.coef[idx]
        return rows if self.scale is None else np.multiply(rows, self.scale, dtype=np.float32)

    def dense_coef(self) -> np.ndarray:
        """The whole (n_features, n_classes) float32 coefficient table."""
        return self.rows(np.arange(self.coef.shape[0]))

    def probabilities(self, text: str, attrs: Sequence[str] = ()) -> np.ndarray:
        idx, val = self.vector(text, attrs)
        z = self.intercept + (val @ self.rows(idx) if len(idx) else 0.0)
        z = z - z.max()
        e = np.exp(z)
        return e / e.sum()

    def top(self, text: str, k: int = 5, attrs: Sequence[str] = ()) -> list[tuple[str, float]]:
        """The k most probable codes for a title, best first (empty when no n-gram is known).

        Memoised per (title as the model reads it, k, attributes): a hospital's reports repeat a
        few hundred exam titles, spelled in varying case and spacing ("CT HEAD WO", "Ct head  wo"),
        and the answer depends on the lower-cased title with its blanks collapsed (what
        :meth:`vector` reads) alone."""
        if not text.strip():
            return []
        key = (_SPACE_RX.sub(" ", text[:MAX_TITLE].lower()).strip(), k, tuple(attrs))
        hit = self._tops.get(key)
        if hit is not None:
            return list(hit)
        p = self.probabilities(text, attrs)
        best = _top_k(p, k)
        out = [(self.classes[i], float(p[i])) for i in best]
        return list(self._tops.put(key, out))


def _top_k(p: np.ndarray, k: int) -> np.ndarray:
    """``np.argsort(-p, kind="stable")[:k]`` without sorting every class: the values at or
    above the k-th largest (ties included), sorted the same way (ties in index order)."""
    if not 0 < k < len(p):
        return np.argsort(-p, kind="stable")[:k]
    kth = np.partition(p, len(p) - k)[len(p) - k]
    cand = np.flatnonzero(p >= kth)
    return cand[np.argsort(-p[cand], kind="stable")][:k]


# ---------------------------------------------------------------------- training (scikit-learn)


def fit(texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None,
        *, attrs: Sequence[Sequence[str]] | None = None, c: float = 20.0, max_iter: int = 150,
        meta: dict | None = None) -> TitleModel:
    """Fit the TF-IDF + logistic regression model (deterministic for the same inputs)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=lambda d: analyze(*d), sublinear_tf=True, min_df=2, dtype=np.float32)
    x = vec.fit_transform(list(zip(texts, attrs if attrs is not None else [()] * len(texts), strict=True)))
    clf = LogisticRegression(C=c, max_iter=max_iter, tol=1e-3)
    clf.fit(x, np.asarray(labels), sample_weight=None if weights is None else np.asarray(weights))
    vocab = {g: int(i) for g, i in vec.vocabulary_.items()}
    coef = clf.coef_.T.astype(np.float32)
    if coef.shape[1] == 1:  # two classes: scikit-learn keeps one column
        coef = np.hstack([-coef, coef])
        intercept = np.array([-clf.intercept_[0], clf.intercept_[0]], dtype=np.float32)
    else:
        intercept = clf.intercept_.astype(np.float32)
    return TitleModel(vocab, vec.idf_.astype(np.float32), coef, intercept,
                      tuple(str(x) for x in clf.classes_), dict(meta or {}))


def save(model: TitleModel, folder: str | Path) -> None:
    """``model.npz`` (vocabulary, idf, int8 coefficients with a scale per class) + ``meta.json``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    grams = sorted(model.vocab, key=model.vocab.__getitem__)
    coef = model.dense_coef()
    scale = np.abs(coef).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    q = np.round(coef / scale).astype(np.int8)
    np.savez_compressed(folder / "model.npz", grams=np.array(grams), idf=model.idf, coef=q,
                        scale=scale.astype(np.float32), intercept=model.intercept,
                        classes=np.array(model.classes))
    (folder / "meta.json").write_text(json.dumps(model.meta, indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")


class TitleModelError(ValueError):
    """The title model folder is unreadable or was built for another feature version."""


def load(folder: str | Path) -> TitleModel:
    folder = Path(folder)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        with np.load(folder / "model.npz", allow_pickle=False) as z:
            grams = z["grams"].tolist()
            coef, scale = z["coef"], z["scale"]
            if coef.dtype != np.int8 or scale.dtype != np.float32 or scale.shape != coef.shape[1:]:
                raise ValueError(f"int8 coefficients with a float32 scale per class expected, got {coef.dtype} "
                                 f"{coef.shape} and {scale.dtype} {scale.shape}")
            model = TitleModel({g: i for i, g in enumerate(grams)}, z["idf"].astype(np.float32),
                               coef, z["intercept"].astype(np.float32),
                               tuple(str(c) for c in z["classes"]), meta, scale)
    except (OSError, ValueError, KeyError) as e:
        raise TitleModelError(f"{folder}: cannot read the title model ({e})") from None
    if meta.get("features_version") != FEATURES_VERSION:
        raise TitleModelError(f"{folder}: title model built for features version "
                              f"{meta.get('features_version')}, this code reads {FEATURES_VERSION}; "
                              "rebuild it with `suggester train --title`")
    return model


def load_title_model(spec: str | None = None):
    """(model, {kind: combiner}) for a Suggester: ``None``/``"auto"`` -> ``models/title`` when present
    (a warning when it is absent: the rules then decide alone), ``"off"`` -> no model, a folder ->
    that model (errors raise). ``$SUGGESTER_TITLE_MODEL`` stands in for ``None``."""
    import os
    import warnings

    from .resources import models_dir

    spec = spec if spec is not None else os.environ.get("SUGGESTER_TITLE_MODEL")
    if spec in ("off", "none", "rules"):
        return None, {}
    folder = Path(spec) if spec not in (None, "", "auto") else models_dir() / "title"
    if not (folder / "model.npz").is_file():
        if spec in (None, "", "auto"):
            warnings.warn(f"[S003] no title model in {folder}: the rules decide alone "
                          "(build it with `suggester train --title`)", stacklevel=3)
            return None, {}
        raise TitleModelError(f"{folder}: no title model (model.npz) there")
    model = load(folder)
    return model, load_combiners(folder, model.meta)


def load_combiners(folder: str | Path, meta: dict) -> dict:
    """{kind: hybrid.Combiner} from ``meta["combiner"]`` and the trees in ``combiner.npz``
    (empty when the model has no combiner)."""
    import hashlib

    from .hybrid import COMBINER_FILE, Combiner

    folder = Path(folder)
    comb = meta.get("combiner")
    if not comb:
        return {}
    try:
        blob = (folder / COMBINER_FILE).read_bytes()
        if hashlib.sha256(blob).hexdigest() != meta.get("combiner_sha256"):
            raise ValueError(f"{COMBINER_FILE} does not match the sha256 in meta.json")
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        out = {kind: Combiner.from_meta(d, _part(arrays, kind, d)) for kind, d in comb.items()}
    except (OSError, KeyError, TypeError, ValueError) as e:
        raise TitleModelError(f"{folder}: invalid combiner ({e}); rebuild it with `suggester train --title`") from None
    return out


def _part(arrays: dict, kind: str, d: dict) -> dict:
    """One combiner's trees read back from ``combiner.npz``'s arrays (keys ``kind.<array>``)."""
    from .trees import PART_KEYS

    part: dict[str, Any] = {k: arrays[f"{kind}.{k}"] for k in PART_KEYS}
    part.update(depth=int(d["depth"]), baseline=float(d["baseline"]))
    return part


def load_oof(folder: str | Path) -> tuple[list[list[tuple[str, float]]], list[int], dict[int, Any], str] | None:
    """The title model's out-of-fold reading of its hospital descriptions (``oof.npz`` and
    ``meta.json``'s ``oof``, written by ``suggester train --title``): each row's top codes, its
    fold, {fold: the title combiner fitted without it}, and the table's sha256; None when the
    model has none."""
    import hashlib

    from .hybrid import COMBINER_FILE, Combiner

    folder = Path(folder)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        d = meta.get("oof")
        if not d:
            return None
        blob = (folder / d["file"]).read_bytes()
        if hashlib.sha256(blob).hexdigest() != d["sha256"]:
            raise ValueError(f"{d['file']} does not match the sha256 in meta.json")
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            codes, probs, fold = z["codes"], z["probs"], z["fold"]
        with np.load(folder / COMBINER_FILE, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        combiners = {int(kind.rsplit("@", 1)[1]): Combiner.from_meta(meta["combiner"]["title"], _part(arrays, kind, c))
                     for kind, c in d["combiners"].items()}
    except (OSError, KeyError, TypeError, ValueError) as e:
        raise TitleModelError(f"{folder}: invalid out-of-fold predictions ({e}); rebuild with `suggester train --title`") from None
    top = [[(str(c), float(p)) for c, p in zip(cs, ps, strict=True) if c] for cs, ps in zip(codes, probs, strict=True)]
    return top, [int(f) for f in fold], combiners, str(d["cdm_sha256"])


def save_combiners(folder: str | Path, parts: dict[str, dict]) -> str:
    """Write the combiners' trees (``{kind: trees.boosting_part(...)}``) to ``combiner.npz``;
    returns the file's sha256."""
    import hashlib

    from .hybrid import COMBINER_FILE
    from .trees import PART_KEYS

    path = Path(folder) / COMBINER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    # Any: savez_compressed's **kwds also names a flag
    arrays: dict[str, Any] = {f"{kind}.{k}": np.asarray(p[k]) for kind, p in parts.items() for k in PART_KEYS}
    np.savez_compressed(path, **arrays)
    return hashlib.sha256(path.read_bytes()).hexdigest()
