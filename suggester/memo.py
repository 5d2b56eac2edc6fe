"""Bounded memos: answers kept per key, forgotten all at once when full.

Some answers of the pipeline depend on a small key alone and repeat from report to report (the
mentions of an exam title's section, the title model's top codes for a title and its words'
vocabulary ids, the hybrid combiner's score of a candidate row). :class:`BoundedMemo` keeps them
up to ``capacity`` keys and clears itself when full, so memory stays bounded on a stream of
unseen keys; a capacity of 0 keeps nothing. Every memo counts its hits and misses under its name
(:func:`memo_stats`), and :func:`memos_off` turns every memo off for a while, so that a benchmark
can report the pipeline's speed with and without them (a corpus that repeats itself more than
real reports would otherwise look faster than real text).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

__all__ = ["BoundedMemo", "clear_memos", "memo_stats", "memos_off", "reset_memo_stats"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING: Any = object()
_ON = [True]  # memos_off() sets it to False
_ALL: weakref.WeakSet = weakref.WeakSet()


class BoundedMemo(Generic[K, V]):
    """A dict of at most ``capacity`` entries that clears itself when full (0: keeps nothing),
    with hit and miss counts."""

    __slots__ = ("__weakref__", "_d", "capacity", "hits", "misses", "name")

    def __init__(self, name: str, capacity: int):
        self.name, self.capacity = name, capacity
        self._d: dict[K, V] = {}
        self.hits = self.misses = 0
        _ALL.add(self)

    def get(self, key: K) -> V | None:
        """The kept answer for ``key``, or None (counted as a hit or a miss)."""
        if _ON[0]:
            v = self._d.get(key, _MISSING)
            if v is not _MISSING:
                self.hits += 1
                return v
        self.misses += 1
        return None

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` for ``key`` (clearing every answer first when full); returns ``value``."""
        if self.capacity and _ON[0]:
            if len(self._d) >= self.capacity:
                self._d.clear()
            self._d[key] = value
        return value

    def get_many(self, keys: Sequence[K], compute: Callable[[list[K]], Sequence[V]]) -> list[V]:
        """The answers for ``keys``; those not kept are computed in one ``compute(missing keys)``
        call (each distinct key once) and kept."""
        found: dict[K, V] = {}
        todo = []
        for k in dict.fromkeys(keys):
            v = self.get(k)
            if v is None:
                todo.append(k)
            else:
                found[k] = v
        if todo:
            for k, v in zip(todo, compute(todo), strict=True):
                found[k] = self.put(k, v)
        return [found[k] for k in keys]

    def clear(self) -> None:
        self._d.clear()

    def __len__(self) -> int:
        return len(self._d)

    def __contains__(self, key: object) -> bool:
        return key in self._d

    def __iter__(self) -> Iterator[K]:
        return iter(self._d)

    def __repr__(self) -> str:
        return f"BoundedMemo({self.name!r}, {len(self._d)}/{self.capacity}, hits={self.hits}, misses={self.misses})"


def memo_stats() -> dict[str, dict[str, float]]:
    """Hits, misses and hit rate of the live memos, summed per name."""
    out: dict[str, dict[str, float]] = {}
    for m in list(_ALL):
        d = out.setdefault(m.name, {"hits": 0, "misses": 0})
        d["hits"] += m.hits
        d["misses"] += m.misses
    for d in out.values():
        d["hit_rate"] = d["hits"] / (d["hits"] + d["misses"]) if d["hits"] + d["misses"] else 0.0
    return out


def clear_memos() -> None:
    """Forget every answer of every live memo (a stream starting afresh)."""
    for m in list(_ALL):
        m.clear()


def reset_memo_stats() -> None:
    for m in list(_ALL):
        m.hits = m.misses = 0


@contextmanager
def memos_off() -> Iterator[None]:
    """Every memo answers nothing and keeps nothing inside the block (what they keep stays)."""
    was = _ON[0]
    _ON[0] = False
    try:
        yield
    finally:
        _ON[0] = was
