"""Build the wheel, install it in a fresh venv, run the CLI from there (lexicons ship inside)."""

import json
import subprocess
import sys
import sysconfig  # noqa: F401
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_codes(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("suggester-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    # dependencies come from the running environment (appended after the venv's own packages)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "_deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps({"id": "r1", "text": "CT ABDOMEN AND PELVIS WITH CONTRAST"}) + "\n")
    out = subprocess.run([str(env_dir / "bin" / "suggester"), "code", str(inp), "--billing", "global"],
                         check=True, capture_output=True, text=True, cwd=tmp_path)
    rec = json.loads(out.stdout.splitlines()[0])
    assert [c["code"] for c in rec["codes"]] == ["74177"]
    # the lexicon came from inside the installed package, not from the checkout
    where = subprocess.run([str(py), "-c", "from suggester.resources import lexicon_dir; print(lexicon_dir())"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout.strip()
    assert "site-packages" in where
    # the review page's templates and static files ship inside the package
    shipped = subprocess.run(
        [str(py), "-c", "from importlib import resources; w = resources.files('suggester.workbench'); "
                        "print(sorted(p.name for d in ('templates', 'static') for p in w.joinpath(d).iterdir()))"],
        check=True, capture_output=True, text=True, cwd=tmp_path).stdout.strip()
    assert shipped == "['login.html', 'review.css', 'review.html', 'review.js']"
