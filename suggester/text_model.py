"""The report-text code model: a second, independent reader of the whole report (issue 12).

The rules read a report through its sections, mentions and frames; when they go wrong on unusual
text they usually go wrong confidently. This model reads the same text with none of that: word
unigrams and bigrams (TF-IDF, sublinear term frequency) and one logistic regression per code
with at least :data:`MIN_REPORTS` labelled dev reports (stochastic gradient descent, log loss).
It is not used to choose codes. The confidence model (:mod:`suggester.confidence`, features
version 9) reads its *disagreement* with the rules: the probability it gives each billed code
and the highest probability of a code the rules did not bill. On the calibration reports this
separated exact reports from wrong ones better than every rule feature together (stop 39,
``tools/text_signal_probe.py``: AUC 0.853 -> 0.920 stacked on the shipped confidence).

It is trained by ``suggester train`` on the dev reports' texts and stored beside the confidence
model (``models/confidence/text.npz``, sha256 in ``meta.json``); the training rows of dev
reports read it out of fold (a model fitted without their fold), as new reports meet it.
Inference needs numpy only: the analyzer below is the one used in training, and the vocabulary,
idf weights and coefficients (int8 per code, with a scale) are read from the ``.npz``.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np

FEATURES_VERSION = 1
MIN_REPORTS = 15  # dev reports a code needs for a model of its own
MAX_FEATURES = 20_000  # vocabulary size (stop 39: 20k ranked as well as 150k)
MIN_DF = 3  # reports a term must appear in
MAX_CHARS = 20_000  # characters of a report the model reads (the rest is findings)
ALPHA = 2e-5  # L2 penalty of each code's regression
EPOCHS = 15
_WORD_RX = re.compile(r"[a-z0-9]+")


# ASCII text: every byte that is not a letter or a digit becomes a blank (then words are what str.split reads)
_ASCII_WORDS = bytes(b if chr(b).isascii() and chr(b).isalnum() else 32 for b in range(256))


def words(text: str) -> list[str]:
    """The words of a report the model reads (lower case, letters and digits): ``_WORD_RX`` over the
    lower-cased text; ASCII text is read by byte translation and ``str.split`` instead (the same
    words, in a third of the time)."""
    text = text[:MAX_CHARS]
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").lower().split()
    return _WORD_RX.findall(text.lower())


def analyze(text: str) -> list[str]:
    """The words of a report (:func:`words`) and its word bigrams."""
    ws = words(text)
    return ws + [f"{a} {b}" for a, b in zip(ws, ws[1:], strict=False)]


@dataclass(eq=False)
class TextModel:
    """A fitted text model: ``probabilities(text)`` -> P(code billed) per code of :attr:`codes`."""

    vocab: dict[str, int]
    idf: np.ndarray  # float32 per term
    coef: np.ndarray  # int8, terms x codes
    scale: np.ndarray  # float32 per code: coef * scale is the regression weight
    intercept: np.ndarray  # float32 per code
    codes: tuple[str, ...]

    def __post_init__(self) -> None:
        self.index = {c: i for i, c in enumerate(self.codes)}
        # the vocabulary as analyze's output before the bigrams are joined: a word, or a pair of
        # words for a bigram (terms analyze cannot produce are left out: they never match)
        self.lookup: dict[str | tuple[str, str], int] = {}
        for term, i in self.vocab.items():
            parts = term.split(" ")
            if all(parts) and len(parts) <= 2:
                self.lookup[parts[0] if len(parts) == 1 else (parts[0], parts[1])] = i

    def term_ids(self, text: str) -> Counter:
        """{term id: count} of the vocabulary terms of ``analyze(text)``, in order of first
        occurrence there: ``Counter(vocab[t] for t in analyze(text) if t in vocab)``, read
        without building the bigram strings (:attr:`lookup`)."""
        ws = words(text)
        grams: Iterator[str | tuple[str, str]] = chain(ws, zip(ws, ws[1:], strict=False))
        counts = Counter(map(self.lookup.get, grams))
        counts.pop(None, None)
        return counts

    def probabilities(self, text: str) -> np.ndarray:
        """P(billed) for every code of :attr:`codes` (float64), from the text alone."""
        counts = self.term_ids(text)
        if not counts:
            z = self.intercept.astype(np.float64)
        else:
            ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))  # sublinear, as fitted
            w = tf * self.idf[ids]
            w /= math.sqrt(float(w @ w))
            z = (w @ self.coef[ids]) * self.scale + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def fit(texts: Sequence[str], code_sets: Sequence[Sequence[str]], *, seed: int = 0,
        min_reports: int = MIN_REPORTS, max_features: int = MAX_FEATURES,
        codes: Sequence[str] | None = None) -> TextModel:
    """Fit the vocabulary on ``texts`` and one regression per code billed in at least
    ``min_reports`` of them (``code_sets``: the codes of each text's gold lines), or per code of
    ``codes`` when given (the out-of-fold copies regress the shipped model's codes, so that a
    training row sees a rare code known as a new report does)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier

    if codes is None:
        counts = Counter(c for cs in code_sets for c in set(cs))
        codes = tuple(sorted(c for c, n in counts.items() if n >= min_reports))
    codes = tuple(codes)
    min_df = min(MIN_DF, max(1, len(texts)))
    vec = TfidfVectorizer(analyzer=analyze, min_df=min_df, max_features=max_features, sublinear_tf=True,
                          dtype=np.float64)
    X = vec.fit_transform(list(texts))
    n_terms = X.shape[1]
    coef = np.zeros((n_terms, len(codes)), dtype=np.float64)
    intercept = np.zeros(len(codes))
    for j, c in enumerate(codes):
        y = np.array([c in cs for cs in code_sets])
        if y.all() or not y.any():
            intercept[j] = 9.0 if y.all() else -9.0
            continue
        clf = SGDClassifier(loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, random_state=seed)
        clf.fit(X, y)
        coef[:, j], intercept[j] = clf.coef_[0], clf.intercept_[0]
    peak = np.abs(coef).max(axis=0) if n_terms else np.zeros(len(codes))
    scale = np.where(peak > 0, peak / 127.0, 1.0)
    q = np.rint(coef / scale).astype(np.int8)
    vocab = {t: int(i) for t, i in vec.vocabulary_.items()}
    return TextModel(vocab, vec.idf_.astype(np.float32), q, scale.astype(np.float32),
                     intercept.astype(np.float32), codes)


class TextModelError(ValueError):
    pass


def save(model: TextModel, path: str | Path) -> None:
    """Write the model as one ``.npz`` (terms in vocabulary order)."""
    terms = sorted(model.vocab, key=model.vocab.__getitem__)
    buf = io.BytesIO()
    np.savez_compressed(buf, features_version=np.array(FEATURES_VERSION), terms=np.array(terms, dtype=str),
                        idf=model.idf, coef=model.coef, scale=model.scale, intercept=model.intercept,
                        codes=np.array(model.codes, dtype=str))
    Path(path).write_bytes(buf.getvalue())


def load(path: str | Path) -> TextModel:
    """Read a model written by :func:`save`; :class:`TextModelError` when it does not fit this code."""
    try:
        with np.load(path, allow_pickle=False) as z:
            version = int(z["features_version"])
            if version != FEATURES_VERSION:
                raise TextModelError(f"{path}: text model features version {version}, this code reads "
                                     f"{FEATURES_VERSION}; rebuild it with `suggester train`")
            terms, codes = z["terms"].tolist(), tuple(z["codes"].tolist())
            model = TextModel({t: i for i, t in enumerate(terms)}, z["idf"], z["coef"], z["scale"],
                              z["intercept"], codes)
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as e:
        if isinstance(e, TextModelError):
            raise
        raise TextModelError(f"{path}: unreadable text model ({type(e).__name__}: {e})") from None
    n = len(terms)
    if model.idf.shape != (n,) or model.coef.shape != (n, len(codes)) or model.scale.shape != (len(codes),) \
            or model.intercept.shape != (len(codes),):
        raise TextModelError(f"{path}: array shapes do not match ({n} terms, {len(codes)} codes)")
    if model.coef.dtype != np.int8 or any(a.dtype.kind != "f" for a in (model.idf, model.scale, model.intercept)):
        raise TextModelError(f"{path}: array types do not match (int8 weights, float idf, scale and intercept)")
    return model
