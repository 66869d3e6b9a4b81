"""`make up` on a stack with a dead part brings that part back and leaves the rest alone.

The stack is started exactly as `make up` starts it (`dossier-stack up`, detached, pid
files in its state folder), in a private state folder on free ports.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dossier.devstack.processes import free_port, live_pid
from dossier.devstack.stack import SERVICES

pytestmark = pytest.mark.integration


def _stack_env(state: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DOSSIER_STATE_DIR": str(state),
        "DOSSIER_STACK_KAFKA_PORT": str(free_port()),
        "DOSSIER_STACK_KAFKA_CONTROLLER_PORT": str(free_port()),
        "DOSSIER_STACK_MONGO_PORT": str(free_port()),
        "DOSSIER_STACK_POSTGRES_PORT": str(free_port()),
    }
    env.update({f"DOSSIER_STACK_{s.name.upper()}_PORT": str(free_port()) for s in SERVICES})
    return env


def _stack(env: dict[str, str], command: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dossier.devstack.cli", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def upped() -> Iterator[tuple[Path, dict[str, str]]]:
    state = Path(tempfile.mkdtemp(prefix="dossier-up-"))
    env = _stack_env(state)
    try:
        _stack(env, "up")
        yield state, env
    finally:
        subprocess.run(
            [sys.executable, "-m", "dossier.devstack.cli", "down"],
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        shutil.rmtree(state, ignore_errors=True)


def _pids(state: Path) -> dict[str, int]:
    pids = {}
    for pid_file in (state / "run").glob("*.pid"):
        pid = live_pid(pid_file)
        if pid is not None:
            pids[pid_file.stem] = pid
    return pids


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail(f"pid {pid} survived SIGKILL")


def _all_ready(env: dict[str, str]) -> bool:
    for spec in SERVICES:
        port = env[f"DOSSIER_STACK_{spec.name.upper()}_PORT"]
        if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code != 200:
            return False
    return True


@pytest.mark.parametrize("part", ["identity", "ferretdb"])
def test_up_brings_back_a_dead_part_and_leaves_the_running_parts_alone(
    upped: tuple[Path, dict[str, str]], part: str
) -> None:
    state, env = upped
    before = _pids(state)
    assert set(before) >= {"kafka", "ferretdb", *(s.name for s in SERVICES)}
    _kill(before[part])

    out = _stack(env, "up")

    after = _pids(state)
    assert part in after, out
    assert after[part] != before[part]
    others_before = {name: pid for name, pid in before.items() if name != part}
    assert {name: after[name] for name in others_before} == others_before
    assert _all_ready(env)  # `up` returned once everything is green again
