"""Locate the data shipped with the package (``lexicons/`` and ``models/``).

In a built wheel both folders live inside the package (hatch ``force-include``) and are found
with :mod:`importlib.resources`. In a source checkout (editable install, tests) they sit at the
repository root beside the package; that is the only other place looked at.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data_dir(name: str) -> Path:
    packaged = resources.files("suggester") / name
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"suggester data folder {name!r} not found in the package or checkout")


def lexicon_dir() -> Path:
    return _data_dir("lexicons")


def models_dir() -> Path:
    return _data_dir("models")
