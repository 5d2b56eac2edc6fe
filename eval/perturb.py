"""Seeded, label-preserving perturbations of labeled reports (training data for issue 4).

A coder reading a perturbed report bills exactly the same claim lines as for the original: the
perturbations change how the report is *written*, never what was *performed*. Each one is a
pure function ``(text, rng) -> text``; ``perturb_record`` applies a random non-empty subset of
them (in a fixed order) and ``perturb_records`` makes ``copies`` variants of every record.

=================  ==========================================================================
name               what it does
=================  ==========================================================================
``abbreviations``  swaps words and their common abbreviations, both ways, on about half of the
                   occurrences: ``abdomen`` <-> ``abd``, ``without`` <-> ``w/o``, ``right`` <->
                   ``rt``, ``ultrasound`` <-> ``US`` ...; header words (``history`` <-> ``hx``,
                   ``comparison`` <-> ``comp`` ...) only where they open a line as a header
                   (``ABBREVIATIONS``, ``HEADER_ABBREVIATIONS``: only pairs a coder reads the
                   same way; ambiguous short forms such as a lone ``w/`` are left out)
``case``           the whole report in upper case, in lower case, or the first line alone
                   upper / lower / title case
``typos``          one or two single-edit typos (swap, drop, double or replace a letter) in
                   words of 5+ letters, at most one per word; never in the first letter
``section_order``  shuffles the blocks that follow the first block (a block starts at a line
                   that opens with a ``HEADER:``); the title (first block) stays first and the
                   text of every block is unchanged
``header_style``   rewrites every ``HEADER:`` line opening in one style: ``HEADER:``,
                   ``Header:``, ``HEADER -`` or the header alone on its own line
=================  ==========================================================================

Seeding: the variant ``k`` of record ``id`` uses ``random.Random(f"{seed}:{id}:{k}")`` (string
seeds hash with SHA-512, independent of ``PYTHONHASHSEED``), so a variant never depends on the
other records, their order or the Python process. Variant ids are ``f"{id}~p{k}"``.

Run ``python eval/perturb.py eval/data/dev.jsonl -o OUT.jsonl [--copies 3] [--seed 0]`` to
write the variants as gold JSONL (same codes, tags and rationale; ``tags.perturbations`` lists
what was applied). **Never run it on the test split for training.**
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Iterator

# word <-> abbreviation pairs a coder reads identically, swapped anywhere (case follows the
# source word). Ambiguous short forms are left out: "w/" alone (the lexicon reads it as contrast),
# "comp" (complete or comparison), lower-case "us".
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("abdomen", "abd"),
    ("pelvis", "pelv"),
    ("without", "w/o"),
    ("with contrast", "w/ contrast"),
    ("contrast", "cont"),
    ("right", "rt"),
    ("left", "lt"),
    ("bilateral", "bilat"),
    ("examination", "exam"),
    ("lateral", "lat"),
    ("views", "vws"),
    ("cervical spine", "c-spine"),
)
# header words and their abbreviations, swapped only where they open a line as a header
HEADER_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("history", "hx"),
    ("comparison", "comp"),
    ("impression", "imp"),
    ("technique", "tech"),
)
# "ultrasound" <-> "US": only the upper-case abbreviation ("us" is a word)
_US_RX = re.compile(r"(?<![\w-])(?:ultrasound|US)(?![\w-])", re.IGNORECASE)
FUZZY_MIN_LEN = 5
_HEADER_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<h>[A-Za-z][A-Za-z /&]{1,30}?)[ \t]*:[ \t]*(?P<rest>.*)$")
_WORD = re.compile(r"[A-Za-z]+")


def _match_case(src: str, dst: str) -> str:
    if src.isupper() and len(src) > 1:
        return dst.upper()
    if src[:1].isupper():
        return dst[:1].upper() + dst[1:]
    return dst.lower() if dst.isupper() and len(dst) > 2 else dst


def _swap_rx(full: str, short: str, prefix: str = "") -> re.Pattern:
    alts = "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in (full, short))
    return re.compile(rf"{prefix}(?<![\w-])(?:{alts})(?![\w-])", re.IGNORECASE | re.MULTILINE)


def abbreviations(text: str, rng: random.Random) -> str:
    """Swap words and abbreviations both ways on about half of their occurrences."""

    def swapper(full: str, short: str):
        def swap(m: re.Match) -> str:
            w = m.group(0)
            if rng.random() >= 0.5:
                return w
            is_full = " ".join(w.lower().split()) == full
            return _match_case(w, short if is_full else full)
        return swap

    out = text
    for full, short in ABBREVIATIONS:
        out = _swap_rx(full, short).sub(swapper(full, short), out)
    for full, short in HEADER_ABBREVIATIONS:
        out = _swap_rx(full, short, r"^[ \t]*").sub(lambda m, f=full, s=short: _header_swap(m, f, s, rng), out)

    def us(m: re.Match) -> str:
        w = m.group(0)
        if w.lower() == "us" and w != "US":
            return w  # the word "us"
        if rng.random() >= 0.5:
            return w
        if w.lower() == "ultrasound":
            return "US"
        around = m.string[max(0, m.start() - 30):m.end() + 30]
        return "ULTRASOUND" if sum(c.isupper() for c in around) > sum(c.islower() for c in around) else "ultrasound"

    return _US_RX.sub(us, out)


def _header_swap(m: re.Match, full: str, short: str, rng: random.Random) -> str:
    w = m.group(0)
    if rng.random() >= 0.5:
        return w
    lead = w[:len(w) - len(w.lstrip())]
    word = w.strip()
    after = m.string[m.end():m.end() + 2]
    if not after.lstrip(" \t").startswith((":", "-")) and after[:1] not in ("\n", ""):
        return w  # not a header ("comparison with the prior")
    return lead + _match_case(word, short if word.lower() == full else full)


CASE_KINDS = ("upper", "lower", "title_upper", "title_lower", "title_title")


def case(text: str, rng: random.Random) -> str:
    """Whole report upper or lower case, or the first line alone upper / lower / title case."""
    return recase(text, rng.choice(CASE_KINDS))


def recase(text: str, kind: str) -> str:
    """One of ``CASE_KINDS``: the whole report (``upper``, ``lower``) or its first non-empty
    line (``title_*``) in that case (also used by the robustness suite, eval/robustness.py)."""
    if kind == "upper":
        return text.upper()
    if kind == "lower":
        return text.lower()
    lines = text.split("\n")
    i = next((n for n, ln in enumerate(lines) if ln.strip()), 0)
    fn = {"title_upper": str.upper, "title_lower": str.lower, "title_title": str.title}[kind]
    lines[i] = fn(lines[i])
    return "\n".join(lines)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)  # never the first letter, never past the end
    op = rng.choice(("swap", "drop", "double", "replace"))
    if op == "swap" and word[i] != word[i + 1]:  # swapping "ll" would change nothing
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "drop":
        return word[:i] + word[i + 1:]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    letters = "aeiou" if word[i].lower() in "aeiou" else "bcdfghklmnprst"
    c = rng.choice([x for x in letters if x != word[i].lower()])
    return word[:i] + (c.upper() if word[i].isupper() else c) + word[i + 1:]


def typos(text: str, rng: random.Random) -> str:
    """One or two single-edit typos in distinct words of 5+ letters."""
    words = [m for m in _WORD.finditer(text) if len(m.group(0)) >= FUZZY_MIN_LEN]
    if not words:
        return text
    chosen = sorted(rng.sample(words, min(len(words), rng.choice((1, 2)))), key=lambda m: m.start())
    out, last = [], 0
    for m in chosen:
        out.append(text[last:m.start()])
        out.append(_typo(m.group(0), rng))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _blocks(text: str) -> list[str]:
    """Split into blocks, each starting at a ``HEADER:`` line (the first block may not)."""
    lines = text.split("\n")
    blocks: list[list[str]] = [[]]
    for ln in lines:
        if _HEADER_LINE.match(ln) and blocks[-1]:
            blocks.append([])
        blocks[-1].append(ln)
    return ["\n".join(b) for b in blocks]


def section_order(text: str, rng: random.Random) -> str:
    """Shuffle the header blocks after the first one (the title block stays first)."""
    blocks = _blocks(text)
    if len(blocks) < 3:
        return text
    head, rest = blocks[0], blocks[1:]
    trailing = rest[-1].endswith("\n")
    rest = [b.rstrip("\n") for b in rest]
    rng.shuffle(rest)
    return "\n".join([head.rstrip("\n"), *rest]) + ("\n" if trailing else "")


def header_style(text: str, rng: random.Random) -> str:
    """Rewrite every ``HEADER:`` line opening in one randomly chosen style."""
    style = rng.choice(("upper_colon", "title_colon", "upper_dash", "own_line"))
    out = []
    for ln in text.split("\n"):
        m = _HEADER_LINE.match(ln)
        if not m:
            out.append(ln)
            continue
        h, rest = " ".join(m.group("h").split()), m.group("rest")
        if style == "upper_colon":
            out.append(f"{m.group('indent')}{h.upper()}: {rest}".rstrip())
        elif style == "title_colon":
            out.append(f"{m.group('indent')}{h.title()}: {rest}".rstrip())
        elif style == "upper_dash":
            out.append(f"{m.group('indent')}{h.upper()} - {rest}".rstrip() if rest.strip()
                       else f"{m.group('indent')}{h.upper()}:")
        else:
            out.append(f"{m.group('indent')}{h.upper()}")
            if rest.strip():
                out.append(rest)
    return "\n".join(out)


PERTURBATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "abbreviations": abbreviations,
    "case": case,
    "typos": typos,
    "section_order": section_order,
    "header_style": header_style,
}


def perturb_text(text: str, rng: random.Random, names: Iterable[str] | None = None) -> tuple[str, list[str]]:
    """Apply a random non-empty subset of ``names`` (default: all), in ``PERTURBATIONS`` order."""
    pool = [n for n in PERTURBATIONS if names is None or n in set(names)]
    k = rng.randint(1, min(3, len(pool)))
    chosen = sorted(rng.sample(pool, k), key=list(PERTURBATIONS).index)
    for name in chosen:
        text = PERTURBATIONS[name](text, rng)
    return text, chosen


def perturb_record(rec: dict, k: int, seed: int = 0) -> dict:
    """Variant ``k`` of a gold record (same codes and tags; text perturbed; id ``{id}~p{k}``)."""
    rng = random.Random(f"{seed}:{rec['id']}:{k}")
    text, applied = perturb_text(rec["text"], rng)
    tags = dict(rec.get("tags") or {})
    tags["perturbations"] = applied
    out = {**rec, "id": f"{rec['id']}~p{k}", "text": text, "tags": tags}
    return out


def perturb_records(records: Iterable[dict], copies: int = 3, seed: int = 0) -> Iterator[dict]:
    """``copies`` variants of each record, in input order (record 1 variants 0..copies-1, ...)."""
    for rec in records:
        for k in range(copies):
            yield perturb_record(rec, k, seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", help="gold JSONL (the dev split; never the test split)")
    ap.add_argument("-o", "--out", default="-", help="output JSONL (default: stdout)")
    ap.add_argument("--copies", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    with open(args.data, encoding="utf-8") as fh:
        recs = [json.loads(ln) for ln in fh if ln.strip()]
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    try:
        for r in perturb_records(recs, args.copies, args.seed):
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
