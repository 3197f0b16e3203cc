"""Every pointer to the documentation in what the product says resolves: a message (or a
description the schema publishes) that sends the user to `docs/<page>.md#<heading>` names
a page that exists and a heading on it. Read from the source's string literals, f-strings
included, so a renamed heading fails here, not in front of a user."""

import ast
import re
from pathlib import Path

import pytest

from tests.docblocks import anchors
from tests.support import ROOT

PACKAGE = ROOT / "components" / "cognito_user_import"
#: A path in the repository to a page, and the heading it points at.
POINTER = re.compile(
    r"(?P<page>(?:docs|localaws)/[\w/.-]+?\.md|README\.md)(?:#(?P<anchor>[\w-]+))?"
)


def literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal of a module, an f-string's parts joined."""
    found = []
    tree = ast.parse(path.read_text())
    parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
             for part in node.values}  # fmt: skip
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
            found.append((node.lineno, text))
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts
        ):
            found.append((node.lineno, node.value))
    return found


def pointers() -> list[tuple[str, str, str | None]]:
    return [
        (f"{path.name}:{line}", match["page"], match["anchor"])
        for path in sorted(PACKAGE.glob("*.py"))
        for line, text in literals(path)
        for match in POINTER.finditer(" ".join(text.split()))
    ]


def test_messages_point_to_the_documentation_somewhere() -> None:
    pages = {page for _, page, _ in pointers()}
    assert {"docs/installation-configuration.md", "docs/guides/iam-permissions.md"} <= pages


@pytest.mark.parametrize(("where", "page", "anchor"), pointers(), ids=str)
def test_each_pointer_names_a_page_and_a_heading_that_exist(
    where: str, page: str, anchor: str | None
) -> None:
    target = ROOT / page
    assert target.is_file(), f"{where}: {page} does not exist"
    if anchor is not None:
        assert anchor in anchors(target), f"{where}: {page} has no heading #{anchor}"


def test_no_message_points_vaguely_at_the_readme() -> None:
    """ "see README" once pointed at sections that moved: a pointer names a page and heading."""
    vague = [
        (path.name, line, text)
        for path in sorted(PACKAGE.glob("*.py"))
        for line, text in literals(path)
        if re.search(r"\bREADME\b(?!\.md)", text)
    ]
    assert vague == []
