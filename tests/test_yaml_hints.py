"""A hand-edited site file's YAML slips get a hint in plain words beside PyYAML's parser terms.

"found character '\\t' that cannot start any token" (a tab) or "expected <block end>, but found
'<block mapping start>'" (a line indented one space short) named the line but not what to change."""
from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from dcplan._yaml import error_text, safe_load

from conftest import bundled_site_copy

COLON = ("a value holding ': ' must be in quotes (name: \"Site: Phoenix\"); else this line or the one above it is "
         "indented deeper than its neighbours, or lacks the space after a colon (key: value)")
INDENT = ("a line is indented differently from the keys of its section: the keys of one section start in the same "
          "column (spaces only), and a list's items each begin with '- '")


@pytest.mark.parametrize("text, where, hint", [
    ("a:\n\tb: 1\n", "line 2, column 1: found character '\\t' that cannot start any token",
     "YAML indents with spaces, not tabs: replace the tab with spaces"),
    ("name: Site: Phoenix\n", "line 1, column 11: mapping values are not allowed here", COLON),
    ("a:\n  b:1\n  c: 2\n", "line 3, column 4: mapping values are not allowed here", COLON),   # 'b:1': no space
    ("a:\n  b: 1\n   c: 2\n", "line 3, column 5: mapping values are not allowed here", COLON),  # one space deeper
    ("a:\n  b: 1\n c: 2\n", "line 3, column 2: expected <block end>, but found '<block mapping start>'", INDENT),
    ("a:\n  - 1\n  b: 2\n", "line 3, column 3: expected <block end>, but found '?'", INDENT),  # list, then a key
    ('name: "Phoenix\nx: 1\n', "line 3, column 1: found unexpected end of stream", "a quote opened on line 1 is never closed"),
    ("a: [1, 2\nb: 3\n", "line 2, column 2: expected ',' or ']', but got ':'",
     "a [list] opened on line 1 is not closed with ] before the next key"),
    ("a: {x: 1, y: 2\nb: 3\n", "line 2, column 2: expected ',' or '}', but got ':'",
     "a {mapping} opened on line 1 is not closed with } before the next key"),
    ("name: @home\n", "line 1, column 7: found character '@' that cannot start any token",
     'a value beginning with @ must be in quotes, e.g. "@..."'),
], ids=["tab", "colon-in-value", "no-space-after-colon", "deeper", "shallower", "list-then-key", "quote", "list",
        "mapping", "at-sign"])
def test_each_slip_gets_its_hint_after_the_parsers_words(text, where, hint):
    with pytest.raises(yaml.YAMLError) as e:
        safe_load(text)
    assert error_text(e.value) == f"not valid YAML: {where}; {hint}"


def test_an_error_without_a_known_meaning_is_said_as_before():
    with pytest.raises(yaml.YAMLError) as e:
        safe_load("a: 1\na: 2\n")
    assert error_text(e.value) == "not valid YAML: line 2, column 1: key 'a' is given twice; keep one"


def test_validate_of_a_site_file_with_a_tab_says_to_use_spaces(tmp_path):
    f = bundled_site_copy(tmp_path, "phoenix-az", "tabbed")
    lines = f.read_text().splitlines(keepends=True)
    i = next(k for k, ln in enumerate(lines) if ln.startswith("  type:"))  # cooling.type, indented two spaces
    lines[i] = "\t" + lines[i][2:]
    f.write_text("".join(lines))
    r = subprocess.run([sys.executable, "-m", "dcplan", "validate", str(f)], capture_output=True, text=True)
    assert r.returncode == 2
    assert (f"{f}: not valid YAML: line {i + 1}, column 1: found character '\\t' that cannot start any token; "
            "YAML indents with spaces, not tabs: replace the tab with spaces") in r.stderr
