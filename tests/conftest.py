import json
from pathlib import Path

import pytest

from suggester import Suggester
from suggester.evaluation import load_gold
from suggester.training import default_dev_path, spread_sample

SMALL = 150  # dev reports in the small test models (training sees them as its eval/data/dev.jsonl)
N_WRONG = 20  # of them, reports the rules get wrong today (training needs both outcomes in every fold)


@pytest.fixture(scope="session")
def sg() -> Suggester:
    """One pipeline for the whole session (building it is the slow part)."""
    return Suggester(billing="global")


@pytest.fixture(scope="session")
def sg_pro() -> Suggester:
    return Suggester(billing="professional")


def codes(rec: dict) -> list[str]:
    """Claim lines as CODE or CODE-MOD-MOD, sorted."""
    return sorted("-".join([c["code"]] + c["modifiers"]) for c in rec["codes"])


def flag_types(rec: dict) -> list[str]:
    """The distinct flag types of a suggestion, sorted."""
    return sorted({f["type"] for f in rec["flags"]})


def dev_rows() -> dict[str, dict]:
    """The dev split's records by id."""
    rows = (json.loads(x) for x in default_dev_path().read_text(encoding="utf-8").splitlines() if x.strip())
    return {r["id"]: r for r in rows}


def claim_set(codes) -> list[tuple[str, tuple[str, ...]]]:
    """Claim lines as (code, modifiers), sorted, for comparing a suggestion with gold."""
    return sorted((c["code"], tuple(sorted(c.get("modifiers") or ()))) for c in codes)


@pytest.fixture(scope="session")
def rules() -> Suggester:
    """Rules alone (no learned title model, the rules' own confidence), as charge lines are scored."""
    return Suggester(billing="global", payer="medicare", title_model="off", confidence_model="rules")


@pytest.fixture(scope="session", params=["rules", "shipped"])
def scorers(request, rules) -> Suggester:
    """The rules' confidence and the shipped confidence model (title model off): a charge-line test
    holds under both."""
    if request.param == "rules":
        return rules
    return Suggester(billing="global", payer="medicare", title_model="off")


def ranked(rec: dict) -> list[str]:
    """The suggested codes, highest confidence first."""
    return [c["code"] for c in sorted(rec["codes"], key=lambda c: -c["confidence"])]


def top(rec: dict) -> str:
    """The highest-confidence code."""
    return ranked(rec)[0]


@pytest.fixture(scope="session")
def rules_sg() -> Suggester:
    return Suggester(billing="global", confidence_model="rules")


@pytest.fixture(scope="session")
def small_dev(tmp_path_factory, rules_sg) -> Path:
    """SMALL dev reports: N_WRONG the rules get wrong today (spread over those) and the rest spread
    over the split. Picking the wrong ones explicitly keeps both outcomes in every training fold
    however many dev errors the rules fix next (a plain spread sample lost them one by one), for
    every test that trains a model."""
    rows = dev_rows()
    wrong = [i for i, r in rows.items()
             if claim_set(rules_sg.suggest(r["text"])["codes"]) != claim_set(r["codes"])]
    gold = load_gold([default_dev_path()])
    wrong = [r.id for r in spread_sample([g for g in gold if g.id in set(wrong)], N_WRONG)]
    rest = [g for g in gold if g.id not in set(wrong)]
    ids = sorted(wrong + [g.id for g in spread_sample(rest, SMALL - len(wrong))])
    path = tmp_path_factory.mktemp("dev") / "dev.jsonl"
    path.write_text("".join(json.dumps(rows[i]) + "\n" for i in ids), encoding="utf-8")
    return path


def children(pid: int) -> set[int]:
    """The process ids whose parent is ``pid`` (Linux /proc): a batch run's worker processes."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(d.name))
    return out
