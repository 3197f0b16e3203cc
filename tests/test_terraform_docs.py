"""Every example of the Terraform docs (docs/terraform/) runs, through the real CLI against
localaws, as a reader would run it. Only what cannot be had here is swapped: the
`hashicorp/aws` resources (the provider cannot be downloaded) become the pool and the role
created in localaws, the provider block points at localaws, and the docs' placeholder IDs
become the ones localaws gave."""

import re
import shlex
from pathlib import Path

import pytest

from tests.docblocks import Block, commands, run_by
from tests.support import ROOT, Aws
from tests.terraform import Workspace, provider_block

pytestmark = [pytest.mark.engine, pytest.mark.xdist_group("terraform")]

BLOCKS = run_by("tests/test_terraform_docs.py")
DOCS = Path("docs") / "terraform"
#: The placeholders the docs write, for a pool, a job and a role.
POOL, JOB, ROLE = (
    "us-east-1_AbCdEf123",
    "import-AbCdEf1234",
    "arn:aws:iam::123456789012:role/cognito-import-logs",
)
#: Each block this file runs: (page, its n-th block marked for this file).
USED = {
    ("index.md", 0),
    ("index.md", 1),
    ("resources/job.md", 0),
    ("resources/job.md", 1),
    ("resources/job.md", 2),
    ("resources/job.md", 3),
    ("resources/job.md", 4),
    ("data-sources/job.md", 0),
}


def block(page: str, index: int) -> Block:
    return [b for b in BLOCKS if b.path == ROOT / DOCS / page][index]


def test_every_block_marked_for_this_file_is_run_here() -> None:
    marked = set()
    for page in {b.path for b in BLOCKS}:
        on_page = [b for b in BLOCKS if b.path == page]
        marked |= {(str(page.relative_to(ROOT / DOCS)), n) for n in range(len(on_page))}
    assert marked == USED


def _without(text: str, opening: str) -> str:
    """`text` without its top-level blocks whose first line matches `opening`."""
    kept, skipping = [], False
    for line in text.splitlines():
        if not skipping and re.match(opening, line):
            skipping = not line.rstrip().endswith("}")
            continue
        if skipping:
            skipping = line != "}"
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def runnable(text: str, aws: Aws, pool: str, role: str, job_id: str = JOB) -> str:
    """A docs example as it runs here (the module docstring says what is swapped)."""
    for opening in (r"terraform \{", r'provider "aws"', r'resource "aws_', r"provider \"cog"):
        text = _without(text, opening)
    text = text.replace("aws_cognito_user_pool.customers.id", f'"{pool}"')
    text = text.replace("aws_iam_role.cognito_logs.arn", f'"{role}"')
    text = text.replace(POOL, pool).replace(JOB, job_id).replace(ROLE, role)
    return provider_block(aws) + text


def test_the_example_usage_imports_the_csv(aws: Aws, workspace: Workspace) -> None:
    pool, role = aws.pool("customers"), aws.role()
    aws.control("settings", {"polls_in_progress": 1})
    text = block("index.md", 0).text
    assert 'source = "cognito-user-import/cognitouserimport"' in text
    workspace.write(runnable(text, aws, pool, role))
    workspace.apply()
    assert workspace.outputs()["imported_users"] == 5
    assert workspace.plan_changes() == 0


def test_the_localaws_example_runs_as_written_but_for_the_endpoint(
    aws: Aws, workspace: Workspace
) -> None:
    pool, role = aws.pool("customers"), aws.role()
    aws.control("settings", {"polls_in_progress": 1})
    text = block("index.md", 1).text.replace("http://127.0.0.1:5000", aws.endpoint)
    workspace.write(text.replace(POOL, pool).replace(ROLE, role))
    workspace.apply()
    resource = workspace.resource("cognitouserimport_job.customers")
    assert resource is not None and resource["imported_users"] == 5


def test_the_resource_examples_import_a_csv_and_declared_users(
    aws: Aws, workspace: Workspace
) -> None:
    pool, role = aws.pool("customers"), aws.role()
    aws.control("settings", {"polls_in_progress": 1})
    csv, declared = block("resources/job.md", 0).text, block("resources/job.md", 1).text
    workspace.write(runnable(csv + declared, aws, pool, role))
    workspace.apply()
    assert workspace.outputs()["outcome"] == {"SUCCEEDED": 5}
    staff = workspace.resource("cognitouserimport_job.staff")
    assert staff is not None and (staff["status"], staff["imported_users"]) == ("Succeeded", 1)
    assert "margaret" in aws.users(pool)
    assert workspace.plan_changes() == 0


def test_the_import_examples_adopt_a_job_made_by_hand(aws: Aws, workspace: Workspace) -> None:
    pool, role = aws.pool("customers"), aws.role()
    job = aws.job(pool, role, name="made by hand")
    declared = runnable(block("resources/job.md", 2).text, aws, pool, role, job["JobId"])
    workspace.write(declared)
    [command] = commands(block("resources/job.md", 3))
    command = command.replace(POOL, pool).replace(JOB, job["JobId"])
    workspace.run(*shlex.split(command)[1:])
    assert workspace.plan_changes() == 0

    workspace.run("state", "rm", "cognitouserimport_job.adopted")
    importing = runnable(block("resources/job.md", 4).text, aws, pool, role, job["JobId"])
    workspace.write(declared, importing.removeprefix(provider_block(aws)))
    workspace.apply()
    adopted = workspace.resource("cognitouserimport_job.adopted")
    assert adopted is not None and adopted["job_id"] == job["JobId"]
    assert workspace.plan_changes() == 0


def test_the_data_source_example_reads_a_finished_job(aws: Aws, workspace: Workspace) -> None:
    pool, role = aws.pool("customers"), aws.role()
    job = aws.job(pool, role, name="made by hand")
    aws.upload_users(pool, job["PreSignedUrl"], ["ada", "alan", "grace"])
    aws.run_to_end(pool, job["JobId"])
    text = runnable(block("data-sources/job.md", 0).text, aws, pool, role, job["JobId"])
    workspace.write(text)
    workspace.apply()
    assert workspace.outputs()["last_import"] == {
        "status": "Succeeded",
        "imported": 3,
        "failed": 0,
    }
