"""Finding evidence files under the paths a user names, and grading each of them.

This is the loading layer of ``peelcalc batch``: a file that fails to load becomes
a :class:`~peelcalc.batch.Failure` and the others are still graded.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import attrs

from peelcalc.batch import Failure
from peelcalc.carry import Resolver
from peelcalc.errors import Location, PeelcalcError
from peelcalc.loading import evidence_ruleset, not_evidence, read_evidence
from peelcalc.model import Result, Ruleset
from peelcalc.paths import state_of
from peelcalc.registry import find_shipped


@attrs.frozen
class Found:
    """The evidence files under the paths given, and what was left out."""

    files: tuple[Path, ...]
    """Files to grade, in the order named; a folder's files sorted by path."""
    missing: tuple[Failure, ...]
    """Named paths that do not exist."""


def find_evidence(paths: Sequence[Path]) -> Found:
    """Expand each path: a file as itself, a folder into its ``*.toml`` files, recursively.

    Hidden files and folders below a folder named (``.git``, ``.venv`` ...) are left out:
    they hold tools' settings, never evidence.
    """
    files: list[Path] = []
    missing = []
    seen: set[Path] = set()
    for path in paths:
        state = state_of(path)
        if state.kind == "folder":
            found = sorted(
                p
                for p in path.rglob("*.toml")
                if state_of(p).kind == "file" and not _hidden(p.relative_to(path))
            )
        elif state.kind in ("file", "other"):
            found = [path]
        else:
            message = f"cannot read: {state.reason}" if state.reason else "no such file or folder"
            missing.append(Failure(str(path), message, Location(str(path)), ""))
            continue
        for item in found:
            key = item.resolve()
            if key not in seen:  # a file named twice (or inside a folder named) counts once
                seen.add(key)
                files.append(item)
    return Found(tuple(files), tuple(missing))


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


@attrs.frozen
class GradedFiles:
    """What grading many files gave."""

    results: tuple[Result, ...]
    """The graded files, in order."""
    failures: tuple[Failure, ...]
    """The files that could not be graded."""
    skipped: tuple[str, ...]
    """Notes on files found among the evidence that are not evidence (rule files, rule
    tests, ruleset mappings), which are skipped rather than failed."""
    warnings: tuple[str, ...] = ()
    """Things to tell the user, such as a carried grade read under another version."""
    earlier: tuple[Path, ...] = ()
    """The earlier files carried grades were read from (inputs too)."""


def grade_all(
    files: Iterable[Path],
    tick: Callable[[], None] = lambda: None,
    rules: Sequence[Ruleset] = (),
) -> GradedFiles:
    """Grade each file under the ruleset it names; ``tick`` after each file.

    A file naming the id of one of ``rules`` (rule files given with ``--rules``) is
    graded with it, as ``grade --rules`` does, with a warning when the versions differ;
    any other file with the shipped ruleset it names. Each ruleset is loaded once,
    however many files name it, and each earlier file that grades are carried from is
    graded once per ruleset.
    """
    with _no_cyclic_gc():
        return _grade_all(files, tick, rules)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while grading many files.

    Grading allocates many small objects and keeps every result; the collector keeps
    rescanning that growing heap and finds nothing to free (results are trees, not
    cycles). Pausing it makes a batch about 15% faster (benchmarks/throughput.py).
    Memory is still freed by reference counting; the collector runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _grade_all(
    files: Iterable[Path], tick: Callable[[], None], rules: Sequence[Ruleset]
) -> GradedFiles:
    given = {ruleset.id: ruleset for ruleset in rules}
    resolvers: dict[tuple[str, str], Resolver] = {}
    results: list[Result] = []
    failures: list[Failure] = []
    skipped: list[str] = []
    warnings: dict[str, None] = {}  # in order, each once
    for path in files:
        try:
            doc = read_evidence(path)
            other = not_evidence(doc.data)
            if other is not None:
                skipped.append(f"{path} is {other[0]}, not evidence; skipped")
            else:
                ruleset_id, version = evidence_ruleset(doc)
                chosen = given.get(ruleset_id)
                if chosen is not None and chosen.version != version:
                    warnings[
                        f"evidence naming {ruleset_id} version {version} was graded with "
                        f"version {chosen.version} from {chosen.path}"
                    ] = None
                key = (ruleset_id, version if chosen is None else "--rules")
                if key not in resolvers:
                    ruleset = chosen or find_shipped(ruleset_id, version, doc)
                    resolvers[key] = Resolver(ruleset)
                results.append(resolvers[key].grade(doc))
        except PeelcalcError as error:
            failures.append(Failure.from_error(str(path), error))
        tick()
    for resolver in resolvers.values():
        warnings.update(dict.fromkeys(resolver.warnings))
    earlier = tuple(path for resolver in resolvers.values() for path in resolver.earlier_files)
    return GradedFiles(tuple(results), tuple(failures), tuple(skipped), tuple(warnings), earlier)
