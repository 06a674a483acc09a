"""`make run PORT=8101` serves on that port, and the demo's last hint names commands that work (issue 13)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from paimai.adapters.cli.demo.summary import NEXT_STEP

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
@pytest.mark.parametrize(("args", "port"), [([], "8000"), (["PORT=8101"], "8101")])
def test_make_run_port(args: list[str], port: str) -> None:
    make = shutil.which("make")
    assert make is not None
    out = subprocess.run(
        [make, "-n", "-s", "-C", str(ROOT), "run", *args], capture_output=True, text=True, check=True
    ).stdout
    serve = [line for line in out.splitlines() if "paimai serve" in line]
    assert serve and serve[-1].rstrip().endswith(f"--port {port}")


def test_demo_next_step_names_a_working_command() -> None:
    assert "make run" in NEXT_STEP
    assert ".venv/bin/paimai serve" in NEXT_STEP
    assert "PORT=8101" in NEXT_STEP
    assert " paimai serve" not in NEXT_STEP.replace(".venv/bin/paimai serve", "")
