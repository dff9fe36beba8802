"""Shared fixtures: the shipped ruleset and the Gloucestershire example."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelcalc.loading import load_evidence, load_ruleset, read_evidence
from peelcalc.model import Evidence, Ruleset

ROOT = Path(__file__).resolve().parent.parent
RULES_2015 = ROOT / "rules" / "peel-2015-effectiveness.toml"
EXAMPLE = ROOT / "examples" / "gloucestershire-2015.toml"


@pytest.fixture(scope="session")
def ruleset() -> Ruleset:
    return load_ruleset(RULES_2015)


@pytest.fixture(scope="session")
def example(ruleset: Ruleset) -> Evidence:
    return load_evidence(read_evidence(EXAMPLE), ruleset)
