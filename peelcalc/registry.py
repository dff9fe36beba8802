"""Finding rulesets: the shipped ones (``rules/``) and the one an evidence file names."""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from peelcalc.errors import InputError, UsageError, did_you_mean
from peelcalc.frozen import Value
from peelcalc.loading import RULESET_WHAT, content_hash, ruleset_from
from peelcalc.model import Ruleset
from peelcalc.paths import state_of
from peelcalc.tomlfile import Document, read_toml

_PLAIN_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


@attrs.frozen(repr=False, eq=False)
class ShippedRuleset(Value):
    """A rule file that comes with peelcalc, known by its header alone."""

    id: str
    version: str
    title: str
    doc: Document
    """The parsed file, so that loading it does not parse it again."""

    @property
    def content_hash(self) -> str:
        return content_hash(self.doc.raw)


def shipped_dir() -> Path:
    """The folder of shipped rule files: in the installed package, or the checkout's ``rules/``."""
    here = Path(__file__).resolve().parent
    installed = here / "_rules"
    return installed if installed.is_dir() else here.parent / "rules"


def shipped_paths() -> list[Path]:
    """The shipped rule files, by name; their rule tests (``*.tests.toml``) are not rulesets."""
    return [p for p in sorted(shipped_dir().glob("*.toml")) if not p.name.endswith(".tests.toml")]


def shipped() -> list[ShippedRuleset]:
    """Every shipped ruleset, by id then version."""
    found = []
    for path in shipped_paths():
        doc = read_toml(path, RULESET_WHAT)
        head = doc.root().table("ruleset")
        assert head is not None
        found.append(ShippedRuleset(head.text("id"), head.text("version"), head.text("title"), doc))
    return sorted(found, key=lambda r: (r.id, r.version))


def find_shipped(ruleset_id: str, version: str | None, named_in: Document | None) -> Ruleset:
    """Load the shipped ruleset ``ruleset_id`` (at ``version``, when given).

    ``named_in`` is the evidence file that names the ruleset, for messages; ``None``
    when the user named it on the command line.
    """
    # Shipped files are named after their ruleset id: for an exact id and version, try
    # that file before reading them all. The id comes from a file, so it must be a plain
    # name, never a path.
    named = shipped_dir() / f"{ruleset_id}.toml"
    if version is not None and _PLAIN_ID.fullmatch(ruleset_id) and state_of(named).kind == "file":
        doc = read_toml(named, RULESET_WHAT)
        head = doc.root().table("ruleset")
        if (
            head is not None
            and head.data.get("id") == ruleset_id
            and (version is None or head.data.get("version") == version)
        ):
            return ruleset_from(doc)
    available = shipped()
    same_id = [r for r in available if r.id == ruleset_id]
    if not same_id:
        ids = sorted({r.id for r in available})
        hint = did_you_mean(ruleset_id, ids) or f"shipped rulesets: {', '.join(ids)}"
        message = f"unknown ruleset '{ruleset_id}'"
        if named_in is None:
            raise UsageError(message, hint=hint)
        where = named_in.locate("ruleset.id")
        raise InputError(message, where, hint + " (or give one with --rules PATH)")
    matching = [r for r in same_id if version is None or r.version == version]
    if not matching:
        versions = ", ".join(r.version for r in same_id)
        raise InputError(
            f"ruleset '{ruleset_id}' version '{version}' is not shipped (shipped: {versions})",
            named_in.locate("ruleset.version") if named_in else None,
            hint="name a shipped version, or give a rule file with --rules PATH",
        )
    return ruleset_from(matching[-1].doc)
