"""The steps every command shares: find the ruleset, load the evidence, grade it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs

from peelcalc.carry import Resolver
from peelcalc.errors import InputError, NoRuleError
from peelcalc.frozen import Value
from peelcalc.loading import RULESET_WHAT, evidence_ruleset, load_ruleset, read_evidence
from peelcalc.model import Result, Ruleset
from peelcalc.registry import find_shipped
from peelcalc.tomlfile import Document, read_toml


@attrs.frozen(repr=False, eq=False)
class Graded(Value):
    """A graded evidence file, and anything the user should be warned about."""

    result: Result
    warnings: tuple[str, ...] = ()
    earlier: tuple[Path, ...] = ()
    """The earlier files its carried grades were read from (inputs too)."""


def grade_file(evidence_path: Path, rules_path: Path | None = None) -> Graded:
    """Grade one evidence file under the ruleset it names, or under ``rules_path``.

    Nodes the file carries from earlier files (``[carried]``) are resolved here.
    """
    doc = read_evidence(evidence_path)
    ruleset_id, version = evidence_ruleset(doc)
    if rules_path is None:
        return _grade(doc, find_shipped(ruleset_id, version, doc))
    ruleset = load_ruleset(rules_path)
    if ruleset.id != ruleset_id:
        raise InputError(
            f"the evidence is for ruleset '{ruleset_id}', but {rules_path} is '{ruleset.id}'",
            doc.locate("ruleset.id"),
            hint="grade it with a rule file of the same id, or change [ruleset] id",
        )
    return _grade(doc, ruleset, _other_version(ruleset_id, version, ruleset))


def grade_file_among(evidence_path: Path, rulesets: Sequence[Ruleset]) -> Graded:
    """Grade one evidence file under the one of ``rulesets`` with the id it names, if
    any (rule files given with ``--rules``), else under the shipped ruleset it names."""
    doc = read_evidence(evidence_path)
    ruleset_id, version = evidence_ruleset(doc)
    for ruleset in rulesets:
        if ruleset.id == ruleset_id:
            return _grade(doc, ruleset, _other_version(ruleset_id, version, ruleset))
    return _grade(doc, find_shipped(ruleset_id, version, doc))


def _other_version(ruleset_id: str, version: str, ruleset: Ruleset) -> tuple[str, ...]:
    if ruleset.version == version:
        return ()
    return (
        f"the evidence names {ruleset_id} version {version}; graded with version "
        f"{ruleset.version} from {ruleset.path}",
    )


def _grade(doc: Document, ruleset: Ruleset, warnings: tuple[str, ...] = ()) -> Graded:
    # Earlier files named in [carried] tables are graded under the same ruleset.
    resolver = Resolver(ruleset)
    try:
        result = resolver.grade(doc)
    except NoRuleError as error:
        raise _with_line(error) from None
    return Graded(result, (*warnings, *resolver.warnings), resolver.earlier_files)


def _with_line(error: NoRuleError) -> NoRuleError:
    """The engine names the scheme's key path; the rule file, read again, gives its line."""
    where = error.location
    if where is None or where.line is not None:
        return error
    try:
        doc = read_toml(Path(where.file), RULESET_WHAT)
    except InputError:
        return error
    return NoRuleError(error.message, doc.locate(where.key_path), error.hint)
