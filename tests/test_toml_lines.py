"""The line scanner that lets errors name lines, on tricky but valid TOML.

Each line that starts a key carries a comment ``# @path``; the test reads those
markers and checks that the scanner puts every path on its marked line.
"""

from __future__ import annotations

import tomllib

import pytest
import tomli
from hypothesis import example, given
from hypothesis import strategies as st

from peelcalc.toml_lines import index_lines

TRICKY = '''\
title = "a [bracket] and a # hash"  # @title
"quoted.key" = 1  # @quoted.key
'x]=y' = 2  # @x]=y
dotted.inner = 3  # @dotted.inner
multi = """
[[not.a.header]]
key = "not a key"
an escaped \\""" quote
"""  # (the value began on the line of @multi)
literal = \'\'\'
# not a comment
\'\'\'
[table."q1]x"]  # @table.q1]x
inline = { a = 1, b = { c = "}" } }  # @table.q1]x.inline
arr = [  # @table.q1]x.arr
  { kind = "k" },  # @table.q1]x.arr[0]
  # a comment with [ and {
  { kind = "k2", text = """two
lines""" },  # (entry 1 began on the line before)
]
[[questions]]  # @questions[0]
id = "q1"  # @questions[0].id
[[questions.areas]]  # @questions[0].areas[0]
id = "a1"  # @questions[0].areas[0].id
[[questions]]  # @questions[1]
[[questions.areas]]  # @questions[1].areas[0]
id = "a2"  # @questions[1].areas[0].id
sep = "\u2028 is not a line break in TOML"  # @questions[1].areas[0].sep
after = 1  # @questions[1].areas[0].after
[[areas.q9.findings]]  # @areas.q9.findings[0]
kind = "k"
[[areas.q9.findings]]
[[areas.q8.findings]]  # @areas.q8
'''


def marked(text: str) -> dict[str, int]:
    """The paths the ``# @path`` comments place, by line."""
    found = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if "# @" in line:
            found[line.rsplit("# @", 1)[1].strip()] = number
    return found


def markers(text: str) -> dict[str, int]:
    found = marked(text)
    lines = text.split("\n")
    found["multi"] = lines.index('multi = """') + 1
    found["table.q1]x.arr[1]"] = lines.index('  { kind = "k2", text = """two') + 1
    # Tables created implicitly by a header stand on the first header that creates them.
    found["areas"] = found["areas.q9"] = found["areas.q9.findings[0]"]
    return found


def test_tricky_document_parses() -> None:
    tomllib.loads(TRICKY)  # the fixture itself must be valid TOML


@pytest.mark.parametrize("path", sorted(markers(TRICKY)))
def test_every_key_is_on_its_line(path: str) -> None:
    assert index_lines(TRICKY).get(path) == markers(TRICKY)[path]


def test_crlf_line_endings() -> None:
    text = TRICKY.replace("\n", "\r\n")
    lines = index_lines(text)
    assert all(lines.get(p) == n for p, n in markers(TRICKY).items())


@given(st.text(max_size=200) | st.text(alphabet="[]{}=,\"' \n#ab.", max_size=60))
@example("a = [}")  # once looped for ever: '}' where an array entry should start
@example("a = [ {x = 1,\n}]")
def test_never_raises_on_any_text(text: str) -> None:
    """The scanner serves error messages, so it must survive (and finish) any text at all."""
    index_lines(text)


# TOML 1.1, which peelcalc's parser (tomli 2.4 and later) reads: inline tables may span
# lines, hold comments and end with a comma.
TOML_1_1 = """\
[areas.q1]  # @areas.q1
findings = [  # @areas.q1.findings
  {kind = "a",  # @areas.q1.findings[0]
   # a comment inside an inline table
   text = "t",  # @areas.q1.findings[0].text
   citation = "c",},  # @areas.q1.findings[0].citation
  {
    kind = "b",  # @areas.q1.findings[1].kind
  },
]
after = 1  # @areas.q1.after
"""


def test_toml_1_1_inline_tables_spanning_lines() -> None:
    tomli.loads(TOML_1_1)  # valid for the parser peelcalc uses
    expected = marked(TOML_1_1)
    expected["areas"] = expected["areas.q1"]
    expected["areas.q1.findings[0].kind"] = expected["areas.q1.findings[0]"]
    expected["areas.q1.findings[1]"] = expected["areas.q1.findings[1].kind"] - 1
    assert index_lines(TOML_1_1) == expected
