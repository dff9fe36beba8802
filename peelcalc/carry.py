"""Carry-forward: nodes not re-inspected keep their judgment from an earlier evidence file.

An evidence file may say ``[carried.q3] from = "force-2015.toml"``: question q3 was
not inspected this time and keeps the grade that file gives it. This module follows
those references (through chains of files), grades each earlier file under the same
ruleset, and hands :func:`peelcalc.engine.grade` the results as plain values, so the
engine itself never reads a file. A reference to a missing file, a cycle of files,
a file for another ruleset or another force, or a node the earlier file did not
assess is an :class:`~peelcalc.errors.InputError` located at the ``from`` key.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from peelcalc.engine import grade
from peelcalc.errors import InputError, Location, PeelcalcError
from peelcalc.loading import (
    CarryRequest,
    carry_requests,
    evidence_ruleset,
    load_evidence,
    read_evidence,
)
from peelcalc.model import Carried, EarlierFile, Result, Ruleset
from peelcalc.paths import state_of
from peelcalc.tomlfile import Document


@attrs.define(repr=False, eq=False)  # a worker, not a value: equal only to itself
class Resolver:
    """Grades evidence files with their carried nodes resolved, each earlier file once."""

    ruleset: Ruleset
    """The ruleset every file in a chain is graded under."""
    warnings: list[str] = attrs.Factory(list)
    """Things the user should know, such as an earlier file naming another version."""
    _graded: dict[Path, Result] = attrs.Factory(dict)

    @property
    def earlier_files(self) -> tuple[Path, ...]:
        """Every earlier file graded so far (resolved): inputs, never to be written over."""
        return tuple(self._graded)

    def grade(self, doc: Document) -> Result:
        """Grade a parsed evidence file, following its ``[carried]`` tables."""
        return self._grade(doc, ())

    def _grade(self, doc: Document, chain: tuple[Path, ...]) -> Result:
        requests = carry_requests(doc, self.ruleset)
        if requests and not chain:  # resolving a path costs system calls: only when needed
            chain = (Path(doc.file).resolve(),)
        carried = {request.node_id: self._carry(doc, request, chain) for request in requests}
        return grade(self.ruleset, load_evidence(doc, self.ruleset, carried))

    def _carry(self, doc: Document, request: CarryRequest, chain: tuple[Path, ...]) -> Carried:
        here = doc.locate(request.key)
        what = f"'{request.node_id}' is carried from {request.written}"
        state = state_of(request.path)
        if state.kind != "file":
            problem = {
                "missing": f"there is no such file ({request.path})",
                "folder": f"{request.path} is a folder, not an evidence file",
                "other": f"{request.path} is not a file",
                "unusable": f"{request.path} cannot be read: {state.reason}",
            }[state.kind]
            raise InputError(
                f"{what}, but {problem}",
                here,
                hint="'from' is a path relative to this evidence file's folder",
            )
        target = request.path.resolve()
        if target in chain:
            loop = [*chain[chain.index(target) :], target]
            raise InputError(
                f"{what}, which makes a cycle: {' → '.join(p.name for p in loop)}",
                here,
                hint="a chain of carried grades must end in a file where the node is graded",
            )
        earlier = self._graded.get(target)
        if earlier is None:
            earlier = self._earlier(request, here, (*chain, target))
            self._graded[target] = earlier
        mine = doc.root().data.get("force")
        # (Without a force of its own, loading this file reports that, below.)
        if isinstance(mine, str) and earlier.evidence.force != mine:
            raise InputError(
                f"{what}, which is evidence for {earlier.evidence.force!r}, not {mine!r}",
                here,
                hint="a grade can only be carried forward for the same force",
            )
        node = earlier.find(request.node_id)
        if node.grade is None:
            raise InputError(
                f"{what}, but it is not assessed there, so there is no grade to carry",
                here,
                hint="carry it from the file where it was last graded",
            )
        source = EarlierFile(str(request.path), earlier.evidence.force, earlier.evidence.period)
        return Carried(source, node)

    def _earlier(self, request: CarryRequest, here: Location, chain: tuple[Path, ...]) -> Result:
        try:
            doc = read_evidence(request.path)
            ruleset_id, version = evidence_ruleset(doc)
            if ruleset_id != self.ruleset.id:
                raise InputError(
                    f"'{request.node_id}' is carried from {request.written}, which is evidence "
                    f"for ruleset '{ruleset_id}', not '{self.ruleset.id}'",
                    here,
                    hint="a grade can only be carried within one ruleset; grades from "
                    "different frameworks do not mean the same thing",
                )
            if version != self.ruleset.version:
                self.warnings.append(
                    f"{request.path} names {ruleset_id} version {version}; its carried grades "
                    f"were graded with version {self.ruleset.version}"
                )
            return self._grade(doc, chain)
        except PeelcalcError as error:
            if error.location == here:
                raise
            note = f"read because {here} carries '{request.node_id}' from it"
            hint = f"{error.hint}\n  note: {note}" if error.hint else note
            raise type(error)(error.message, error.location, hint) from None
