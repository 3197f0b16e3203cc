"""The documentation cannot drift from the code: the reference is what the schema says,
every code block is run or checked (or says why it can't be), every link and anchor between
the files resolves, and the front page stays a front page."""

import json
import re
import runpy
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from packaging.requirements import Requirement

from cognito_user_import import __version__
from tests.docblocks import (
    DOCUMENTS,
    Block,
    anchors,
    commands,
    every_block,
    links,
    of_language,
)
from tests.mocks import AwsMocks, RecordingMonitor
from tests.support import ROOT

SCHEMA = json.loads((ROOT / "schema.json").read_text())
#: Languages a block is run or checked in without a mark: here, or by test_plugin.py.
CHECKED = {"python", "yaml", "text", "json", "typescript", "go"}
#: Stack config the Python programs of the docs read under mocks.
CONFIG = {
    "userPoolId": "us-east-1_Docs12345",
    "sourceUserPoolId": "us-east-1_OldPool1",
    "cloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/cognito-import-logs",
}
#: Files whose text must hold each command of a block they are said to run.
RUNNERS_BY_TEXT = {".ci/run", "Makefile"}


@pytest.mark.parametrize("block", every_block(), ids=lambda block: block.id)
def test_every_block_is_run_checked_or_says_why_not(block: Block) -> None:
    if block.mark is None:
        assert block.lang in CHECKED, (
            f"{block.id}: a {block.lang or 'plain'} block is neither run nor checked; mark it "
            "<!-- docs: not run: why --> or <!-- docs: run by <file> -->"
        )
        return
    if block.mark.startswith("not run: "):
        assert len(block.mark.removeprefix("not run: ")) >= 10, f"{block.id}: say why"
        return
    assert block.mark.startswith("run by "), f"{block.id}: unknown mark {block.mark!r}"
    runner = block.mark.removeprefix("run by ")
    assert (ROOT / runner).is_file(), f"{block.id}: {runner} does not exist"
    if runner in RUNNERS_BY_TEXT:
        text = (ROOT / runner).read_text()
        for command in commands(block):
            assert command in text, f"{block.id}: {runner} does not run {command!r}"
    else:
        test = (ROOT / runner).read_text()
        assert "run_by(" in test, f"{block.id}: {runner} does not run the blocks marked for it"


@pytest.fixture
def monitor() -> RecordingMonitor:
    mocks = AwsMocks()
    recording = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="docs", stack="test", preview=False, monitor=recording)
    pulumi.runtime.set_all_config({f"docs:{key}": value for key, value in CONFIG.items()})
    return recording


def _program_blocks() -> list[Block]:
    return [block for block in of_language("python") if "import localaws" not in block.text]


@pytest.mark.parametrize("block", _program_blocks(), ids=lambda block: block.id)
def test_python_programs_run_under_mocks(
    block: Block, monitor: RecordingMonitor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each program block is a whole program: it runs, and declares an import job."""
    monkeypatch.chdir(tmp_path)

    @pulumi.runtime.test
    def run() -> Any:
        exec(compile(block.text, block.id, "exec"), {"__name__": "__main__"})

    run()
    types = {registration.type for registration in monitor.registered.values()}
    assert types & {
        "cognito-user-import:index:CognitoUserImport",
        "pulumi-python:dynamic/cognito:UserImportJob",
    }, types


@pytest.mark.parametrize(
    "block",
    [block for block in of_language("python") if "import localaws" in block.text],
    ids=lambda block: block.id,
)
def test_python_tests_against_localaws_run_and_pass(block: Block) -> None:
    """A block that tests with localaws is run as pytest would: every test_ function."""
    scope: dict[str, Any] = {"__name__": "docs"}
    exec(compile(block.text, block.id, "exec"), scope)
    tests = [value for name, value in scope.items() if name.startswith("test_")]
    assert tests, f"{block.id}: no test_ function"
    for test in tests:
        test()


@pytest.mark.parametrize("block", of_language("yaml"), ids=lambda block: block.id)
def test_yaml_programs_use_only_what_the_schema_declares(block: Block) -> None:
    """As tsc and go build check the other languages: every resource's type is the
    package's, each property one of its inputs, every required input given, and every
    output read one it has."""
    program = yaml.safe_load(block.text)
    assert program.get("runtime") == "yaml", f"{block.id}: not a Pulumi YAML program"
    resources = program["resources"]
    for name, resource in resources.items():
        declared = SCHEMA["resources"][resource["type"]]
        given = set(resource.get("properties", {}))
        assert given <= set(declared["inputProperties"]), given - set(declared["inputProperties"])
        assert set(declared["requiredInputs"]) <= given, name
    for resource, output in re.findall(r"\$\{(\w+)\.(\w+)\}", json.dumps(program)):
        assert output in SCHEMA["resources"][resources[resource]["type"]]["properties"], output
    for name in re.findall(r"\$\{(\w+)\}", json.dumps(program)):
        assert name in program.get("config", {}), f"{block.id}: ${{{name}}} is not declared"


@pytest.mark.parametrize("block", of_language("text"), ids=lambda block: block.id)
def test_requirement_lines_take_this_version(block: Block) -> None:
    for line in block.text.split():
        requirement = Requirement(line)
        assert requirement.name == "cognito-user-import", f"{block.id}: {line}"
        assert requirement.specifier.contains(__version__), f"{block.id}: {line}"


@pytest.mark.parametrize("block", of_language("json"), ids=lambda block: block.id)
def test_json_blocks_parse(block: Block) -> None:
    json.loads(block.text)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_links_and_anchors_between_the_files_resolve(path: Path) -> None:
    broken = []
    for line, target in links(path):
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.exists():
            broken.append(f"line {line}: {target} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"line {line}: {target} (no such heading)")
    assert broken == []


def test_the_reference_is_what_the_schema_says() -> None:
    """docs/reference.md is written from the plugin's schema (scripts/reference.py); the
    schema snapshot is held to the live plugin by test_plugin.py."""
    render = runpy.run_path(str(ROOT / "scripts" / "reference.py"))["render"]
    assert (ROOT / "docs" / "reference.md").read_text() == render(SCHEMA), (
        "docs/reference.md is out of date: python scripts/reference.py"
    )


def test_the_readme_is_a_front_page() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    for guide in (ROOT / "docs").rglob("*.md"):
        assert str(guide.relative_to(ROOT)) in readme or guide.parent.name == "guides", guide


def test_every_way_to_install_names_a_test_that_exists() -> None:
    """The README's Install table says which test runs each way; the test must be there."""
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Install\n", 1)[1].split("\n\n", 2)[1]
    rows = [row for row in table.splitlines()[2:] if row.startswith("|")]
    assert len(rows) >= 5, table
    for row in rows:
        tested_by = re.findall(r"`(tests/[\w/]+\.py)`", row.split("|")[4])
        assert tested_by and all((ROOT / path).is_file() for path in tested_by), row
