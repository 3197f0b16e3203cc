"""One name per idea, written once: the job's property names only in fields.py (and the
Args class that documents them), typed inputs named as the inputs, job statuses only in
jobs.py. Read from the source, so a name written again fails here before it drifts."""

import ast
from pathlib import Path

from cognito_user_import.fields import DECLARED, Input, Output
from cognito_user_import.inputs import input_names
from cognito_user_import.jobs import JobStatus
from tests.support import ROOT

PACKAGE = ROOT / "components" / "cognito_user_import"
#: Where property names are defined: the names themselves, the Args class whose fields
#: (and docstrings) the schema is read from, and the output types (whose fields include a
#: job's `status`).
NAMES_MODULES = {"fields.py", "args.py", "outputs.py"}


def string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module, docstrings and f-string text excepted."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    in_fstrings = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
        for part in node.values
    }  # fmt: skip
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings | in_fstrings
    ]


def test_no_property_name_is_written_outside_the_names_modules() -> None:
    names = {str(name) for name in (*Input, *Output)}
    written = [
        f"{path.name}:{line}: {text!r}"
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name not in NAMES_MODULES
        for line, text in string_literals(path)
        if text in names
    ]
    assert written == []


def test_no_job_status_is_written_outside_jobs_py() -> None:
    statuses = {str(status) for status in JobStatus}
    written = [
        f"{path.name}:{line}: {text!r}"
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name != "jobs.py"
        for line, text in string_literals(path)
        if text in statuses
    ]
    assert written == []


def test_the_typed_inputs_are_named_as_the_inputs() -> None:
    assert input_names() == {str(name) for name in Input}


def test_what_the_resource_declares_is_every_output_and_the_request() -> None:
    assert {str(name) for name in Output} <= {str(name) for name in DECLARED}
