"""Supply-chain check: pip-audit over the installed, exactly pinned dependencies.

pip-audit asks a vulnerability service (PyPI's JSON API by default) about every installed
distribution. Where that service cannot be reached (a registry mirror without the JSON API,
no route to the internet), pip-audit skips each package and still says "No known
vulnerabilities found". This wrapper reads its JSON report instead and says plainly how many
packages were really checked:

* a known vulnerability → exit 1, naming package, version, advisory and fixed versions;
* packages not checked → a loud NOT AUDITED notice; exit 0, or 1 when ``PIP_AUDIT_REQUIRED=1``
  (set it where the service is reachable, so an outage cannot hide a vulnerability);
* everything checked and clean → exit 0.

Fallback for mirrors that serve only the project-level JSON (``/pypi/<name>/json``, no
per-version pages — the registry of this project's CI machines): that page lists the known
vulnerabilities of the project's *latest* release, so every dependency pinned at the latest
release is checked from it; the rest stay NOT AUDITED and are named.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

BIN = Path(sys.executable).parent


PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def latest_release_vulns(dep: dict) -> list[dict] | None:
    """Vulnerabilities of ``dep`` from the project page when its version is the latest, else
    None (cannot tell from here)."""
    if not dep.get("version"):  # pip-audit leaves it out of skipped entries
        try:
            dep["version"] = metadata.version(dep["name"])
        except metadata.PackageNotFoundError:
            return None
    url = PROJECT_JSON.format(name=dep["name"])
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - fixed https URL
            page = json.load(response)
    except (OSError, ValueError):
        return None
    if page.get("info", {}).get("version") != dep["version"]:
        return None
    return [
        {"id": v.get("id", "?"), "fix_versions": v.get("fixed_in", [])}
        for v in page.get("vulnerabilities", [])
        if not v.get("withdrawn")
    ]


def fall_back(skipped: list[dict]) -> list[dict]:
    """Check what pip-audit skipped from the project pages; returns what is still unchecked."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(latest_release_vulns, skipped))
    unchecked = []
    for dep, vulns in zip(skipped, results, strict=True):
        if vulns is None:
            unchecked.append(dep)
        else:
            dep["vulns"], dep["skip_reason"] = vulns, ""
    return unchecked


def main() -> int:
    command = [
        str(BIN / "pip-audit"),
        "--local",
        "--skip-editable",
        "--format",
        "json",
        "--progress-spinner",
        "off",
        "--timeout",
        "20",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)  # noqa: S603 - fixed argv, our venv
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(f"pip-audit failed to run (exit {result.returncode}):\n{result.stderr}")
        return 1
    # The project itself is installed editable: it is ours, not a dependency.
    dependencies = [
        d for d in report.get("dependencies", []) if "editable" not in d.get("skip_reason", "")
    ]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if skipped:
        skipped = fall_back(skipped)
    vulnerable = [d for d in dependencies if d.get("vulns")]
    checked = len(dependencies) - len(skipped)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    print(f"pip-audit: {checked} of {len(dependencies)} installed packages checked.")
    if skipped:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
        print(
            f"NOT AUDITED: {len(skipped)} packages could not be checked "
            f"({'; '.join(reasons)}). The vulnerability service (PyPI's JSON API) is probably "
            "not reachable from this machine: run `make audit` where it is, or set "
            "PIP_AUDIT_REQUIRED=1 to make this a failure. Not checked (pinned below their "
            "latest release): " + ", ".join(f"{d['name']}=={d['version']}" for d in skipped)
        )
    if vulnerable:
        return 1
    if skipped and os.environ.get("PIP_AUDIT_REQUIRED") == "1":
        return 1
    if not skipped:
        print("No known vulnerabilities in the locked dependencies.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
