"""The package type-checks: ``mypy suggester`` (settings in pyproject.toml's ``[tool.mypy]``)
reports no error, so the README's test command (and CI) keeps it that way."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_mypy_reports_no_error():
    proc = subprocess.run([sys.executable, "-m", "mypy", "suggester"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"mypy exit {proc.returncode}:\n{proc.stdout}{proc.stderr}"
    assert proc.stdout.startswith("Success: no issues found"), proc.stdout
