"""The hashed lock file agrees with pyproject.toml (docs/development.md, `make lock`).

`make` installs requirements.lock with ``--require-hashes``: every package, dependencies of
dependencies included, at one version and with the hashes of its files. A pin changed in
pyproject.toml without ``make lock`` would install something else than it says, so this
fails until the lock is regenerated.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")
VIA_PROJECT = "civic-commons (pyproject.toml)"


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project_pins(pyproject: str) -> dict[str, str]:
    """name → version of every runtime and dev requirement in pyproject.toml."""
    project = tomllib.loads(pyproject)["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pins = {}
    for requirement in requirements:
        found = PIN.match(requirement.strip())
        if found is None:
            raise AssertionError(f"not pinned with == in pyproject.toml: {requirement!r}")
        pins[_name(found[1])] = found[2]
    return pins


def lock_entries(lock: str) -> dict[str, dict]:
    """name → {"version", "hashes", "via"} of each requirement in the lock file."""
    entries: dict[str, dict] = {}
    current = None
    for line in lock.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not line.startswith((" ", "#")):
            found = PIN.match(stripped)
            if found is None:
                raise AssertionError(f"not pinned with == in the lock file: {stripped!r}")
            current = entries[_name(found[1])] = {"version": found[2], "hashes": [], "via": []}
        elif current is not None and stripped.startswith("--hash="):
            current["hashes"].append(stripped.removeprefix("--hash=").rstrip(" \\"))
        elif current is not None and stripped.startswith("#"):
            current["via"].append(stripped.lstrip("# ").removeprefix("via").strip())
    return entries


def disagreements(pyproject: str, lock: str) -> list[str]:
    pins = project_pins(pyproject)
    entries = lock_entries(lock)
    problems = []
    for name, version in sorted(pins.items()):
        entry = entries.get(name)
        if entry is None:
            problems.append(f"{name}=={version} is not in the lock file")
        elif entry["version"] != version:
            problems.append(f"{name}: pyproject.toml pins {version}, the lock {entry['version']}")
    for name, entry in sorted(entries.items()):
        if not entry["hashes"]:
            problems.append(f"{name} has no hash in the lock file")
        if name not in pins and entry["via"] == [VIA_PROJECT]:
            problems.append(f"{name} is locked for pyproject.toml, which no longer asks for it")
    return problems


def test_the_lock_file_pins_what_pyproject_pins_with_hashes():
    pyproject = (ROOT / "pyproject.toml").read_text()
    lock = (ROOT / "requirements.lock").read_text()
    assert disagreements(pyproject, lock) == [], "run `make lock` (docs/development.md)"
    assert len(lock_entries(lock)) > len(project_pins(pyproject))  # dependencies' too


PYPROJECT = """
[project]
dependencies = ["Django==6.1.3", "psycopg[binary]==3.3.9"]
[project.optional-dependencies]
dev = ["pytest==9.2.0"]
"""

LOCK = """\
django==6.1.3 \\
    --hash=sha256:aaa \\
    --hash=sha256:bbb
    # via civic-commons (pyproject.toml)
psycopg==3.3.9 \\
    --hash=sha256:ccc
    # via civic-commons (pyproject.toml)
pytest==9.2.0 \\
    --hash=sha256:ddd
    # via civic-commons (pyproject.toml)
sqlparse==0.6.1 \\
    --hash=sha256:eee
    # via django
"""


def test_a_lock_that_agrees_passes():
    assert disagreements(PYPROJECT, LOCK) == []


def test_a_pin_changed_in_pyproject_alone_is_reported():
    assert disagreements(PYPROJECT.replace("9.2.0", "9.3.0"), LOCK) == [
        "pytest: pyproject.toml pins 9.3.0, the lock 9.2.0"
    ]


def test_a_new_dependency_missing_from_the_lock_is_reported():
    changed = PYPROJECT.replace('"pytest==9.2.0"', '"pytest==9.2.0", "rules==3.5"')
    assert disagreements(changed, LOCK) == ["rules==3.5 is not in the lock file"]


def test_a_removed_dependency_left_in_the_lock_is_reported():
    changed = PYPROJECT.replace('dev = ["pytest==9.2.0"]', "dev = []")
    assert disagreements(changed, LOCK) == [
        "pytest is locked for pyproject.toml, which no longer asks for it"
    ]


def test_a_requirement_without_hashes_is_reported():
    unhashed = LOCK.replace("sqlparse==0.6.1 \\\n    --hash=sha256:eee\n", "sqlparse==0.6.1\n")
    assert disagreements(PYPROJECT, unhashed) == ["sqlparse has no hash in the lock file"]
