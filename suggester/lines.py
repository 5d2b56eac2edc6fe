"""Bytes to text, shared by every reader (``io`` and the HL7 / FHIR readers in ``integrations``):
decoding with fallbacks and bounded line splitting. A leaf module: it imports nothing of the
package, so the readers and ``io`` (which dispatches to them) import it without a cycle."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import IO, Any, overload

BLOCK = 1 << 20


def decode(raw: bytes) -> tuple[str, str | None]:
    """Decode bytes as UTF-8 (BOM stripped), falling back to Windows-1252 then Latin-1, with a note."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "decoded as Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "decoded as Latin-1"


@overload
def iter_lines(fh: IO[bytes] | Any, limit: int, count: None = None) -> Iterator[bytes | None]: ...


@overload
def iter_lines(fh: IO[bytes] | Any, limit: int, count: bytes) -> Iterator[bytes | int]: ...


def iter_lines(fh: IO[bytes] | Any, limit: int, count: bytes | None = None) -> Iterator[bytes | int | None]:
    """Yield each line of a binary stream (newline included), split on b"\\n" only.

    A line longer than ``limit`` yields ``None`` and is skipped without being held in memory;
    with ``count`` (one byte, e.g. ``b'"'``) it yields how many of that byte it held instead
    (what a CSV reader needs to stay in step with quoted fields across the skipped line).
    """
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            seen = 0
            while line and not line.endswith(b"\n"):
                if count is not None:
                    seen += line.count(count)
                line = fh.readline(BLOCK)
            if count is not None:
                yield seen + line.count(count)
            else:
                yield None
            continue
        yield line
