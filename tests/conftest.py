import pytest

from suggester import Suggester


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
