#!/usr/bin/env python3
"""Slither static analysis of the deployable contracts, as a gate.

Analyses every .sol file under contracts/ except contracts/test/ (test doubles), in one solc
standard-json compilation built from ape-config.yaml (same compiler, remappings, optimizer and EVM
version as `ape compile`), with solc-js behind tools/solc.js: nothing is downloaded.

Exits 1 when a High or Medium finding is neither fixed nor triaged, or when the analysis fails.
Triage, from the narrowest to the widest:
  - `// slither-disable-next-line <detector>` on the line above, in our own contracts;
  - an entry in slither.db.json (Slither's triage database: findings matched by id) for findings
    inside OpenZeppelin, which we do not edit;
and every triaged High/Medium finding is explained in docs/static-analysis.md.

Usage (from anywhere; runs in the repo root):
  .venv/bin/python tools/run_slither.py                  # the gate: High and Medium findings only
  .venv/bin/python tools/run_slither.py --all-impacts    # also Low, informational, optimization
  .venv/bin/python tools/run_slither.py -- --show-ignored-findings   # extra args go to slither
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TRIAGE_DATABASE = "slither.db.json"
EXCLUDED_DIRS = ("contracts/test/", "contracts/.cache/")
GATING_IMPACTS = ("High", "Medium")


def deployable_sources() -> list[str]:
    sources = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "contracts").rglob("*.sol"))
    return [s for s in sources if not s.startswith(EXCLUDED_DIRS)]


def standard_json_input(solidity: dict, sources: list[str]) -> dict:
    """The compilation `ape compile` does, for the given sources (paths relative to the repo root)."""
    settings = {
        "remappings": list(solidity.get("import_remapping", [])),
        "optimizer": {"enabled": bool(solidity.get("optimize", True))},
        "outputSelection": {
            "*": {
                "*": ["abi", "metadata", "devdoc", "userdoc", "evm.bytecode", "evm.deployedBytecode"],
                "": ["ast"],
            }
        },
    }
    if "optimization_runs" in solidity:
        settings["optimizer"]["runs"] = int(solidity["optimization_runs"])
    if solidity.get("evm_version"):
        settings["evmVersion"] = solidity["evm_version"]
    if solidity.get("via_ir"):
        settings["viaIR"] = True
    return {"language": "Solidity", "sources": {s: {"urls": [s]} for s in sources}, "settings": settings}


def solc_binary(version: str) -> Path:
    folder = Path(os.environ.get("SOLCX_BINARY_PATH") or ROOT / ".solcx")
    binary = folder / f"solc-v{version}"
    if not os.access(binary, os.X_OK):
        sys.exit(f"run_slither: {binary} not found: `make setup` links it to tools/solc.js")
    return binary.absolute()


def slither_executable() -> str:
    beside_python = Path(sys.executable).parent / "slither"
    found = str(beside_python) if beside_python.exists() else shutil.which("slither")
    if not found:
        sys.exit("run_slither: slither not found: install the dev extras (`make setup`)")
    return found


def triage_template(finding: dict) -> dict:
    keys = ("id", "check", "impact", "confidence", "description")
    return {**{k: finding[k] for k in keys}, "triage": "TODO: why this is acceptable (and docs/static-analysis.md)"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all-impacts", action="store_true", help="report Low/informational/optimization too")
    parser.add_argument("--json", metavar="FILE", help="also keep Slither's JSON results here")
    parser.add_argument("slither_args", nargs="*", help="extra arguments for slither (after --)")
    args = parser.parse_args()
    json_path = Path(args.json).resolve() if args.json else None

    os.chdir(ROOT)  # source names, hence finding ids in slither.db.json, are relative to the repo root
    solidity = yaml.safe_load((ROOT / "ape-config.yaml").read_text())["solidity"]
    sources = deployable_sources()
    print(f"run_slither: analysing {', '.join(sources)}", flush=True)

    with tempfile.TemporaryDirectory(prefix="slither-") as tmp:
        input_path = Path(tmp) / "input.json"
        input_path.write_text(json.dumps(standard_json_input(solidity, sources), indent=1))
        results_path = json_path or Path(tmp) / "results.json"
        results_path.unlink(missing_ok=True)  # slither refuses to overwrite
        command = [
            slither_executable(),
            str(input_path),
            "--compile-force-framework",
            "solc-json",
            "--solc",
            str(solc_binary(str(solidity["version"]))),
            "--triage-database",
            TRIAGE_DATABASE,
            "--json",
            str(results_path),
            "--fail-medium",
        ]
        if not args.all_impacts:
            command += ["--exclude-informational", "--exclude-low", "--exclude-optimization"]
        command += args.slither_args

        started = time.monotonic()
        slither = subprocess.run(command, check=False)
        elapsed = time.monotonic() - started
        try:
            results = json.loads(results_path.read_text())
        except (OSError, json.JSONDecodeError):
            results = {"success": False, "error": "no JSON results written"}

    if not results.get("success"):
        print(f"run_slither: FAILED: Slither did not complete ({results.get('error')}), exit {slither.returncode}")
        return 1
    findings = results.get("results", {}).get("detectors", [])
    gating = [f for f in findings if f["impact"] in GATING_IMPACTS]
    if gating:
        print(f"\nrun_slither: FAILED in {elapsed:.1f}s: {len(gating)} untriaged High/Medium finding(s).")
        print("Fix them, or triage each one (see docs/static-analysis.md); slither.db.json entries:")
        print(json.dumps([triage_template(f) for f in gating], indent=2))
        return 1
    print(f"\nrun_slither: OK in {elapsed:.1f}s: no untriaged High/Medium finding ({len(findings)} other result(s)).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
