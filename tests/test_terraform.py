"""The Terraform and OpenTofu provider, end to end: the real `terraform` of the machine's image
and OpenTofu built by `make setup`, the provider built from a clone as a user builds it
(terraform/build.sh, a dev_overrides CLI config), the clone's plugin, localaws.

Plan fails on a bad CSV naming line and column; apply imports; the next plan is empty;
refresh reads the job afresh; `terraform import` adopts a job by pool and job ID; the data
source reads one; an interrupted apply finishes the same import on the next; destroy stops
a running job. The schema's names are the plugin's (fields.py, settings.USES).
"""

import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import __version__
from cognito_user_import.fields import Input, Output
from cognito_user_import.settings import USES, Use, terraform_name
from tests.docblocks import run_by
from tests.support import ROOT, SAMPLE, Aws, csv_bytes, user_row, wait_for
from tests.terraform import Workspace, hcl, job_block, leftover_plugins, provider_block
from tests.test_import_as_code import jobs_of
from tests.test_settings import OTHER_ACCOUNT, missing, shared_files

pytestmark = [pytest.mark.engine, pytest.mark.xdist_group("terraform")]

#: Where the provider finds the plugin folder when it was not built beside one
#: (terraform/internal/plugin: PluginEnv).
PLUGIN_ENV = "COGNITO_USER_IMPORT_PLUGIN"

SAMPLE_USERS = {"ada", "alan", "grace", "edsger", "barbara"}
BOTH = pytest.mark.parametrize("tool", ["terraform", "tofu"])
ADDRESS = "cognitouserimport_job.users"


def flat(said: str) -> str:
    """What a CLI said, its lines rejoined: Terraform wraps a diagnostic's text."""
    return " ".join(said.split())


def importing(aws: Aws, pool: str, **attributes: Any) -> dict[str, Any]:
    return {
        "user_pool_id": pool,
        "job_name": "from terraform",
        "cloud_watch_logs_role_arn": aws.role(),
        "csv_file": "users.csv",
        **attributes,
    }


OUTPUTS = """
output "status" { value = cognitouserimport_job.users.status }
output "job_id" { value = cognitouserimport_job.users.job_id }
output "imported_users" { value = cognitouserimport_job.users.imported_users }
output "outcome" { value = cognitouserimport_job.users.outcome }
"""


@BOTH
def test_plan_fails_on_a_bad_csv_naming_line_and_column_never_the_value(
    aws: Aws, workspace: Workspace, tool: str
) -> None:
    workspace.tool = tool
    pool = aws.pool("customers")
    header = aws.header(pool)
    rows = [user_row(header, "ada"), user_row(header, "alan", email_verified="perhaps-42")]
    (workspace.directory / "users.csv").write_bytes(csv_bytes(header, rows))
    workspace.write(provider_block(aws), job_block(**importing(aws, pool, start=True, wait=True)))

    plan = workspace.run("plan", "-input=false", check=False)
    said = plan.stdout + plan.stderr
    assert plan.returncode == 1
    assert "Error: Invalid csv_file" in said
    assert "line 3, column email_verified: must be true, false or empty" in said
    assert "perhaps-42" not in said  # the value is personal data: never shown
    assert jobs_of(aws, pool) == []  # judged before any job was made


@BOTH
def test_apply_imports_the_next_plan_is_empty_and_destroy_releases_the_job(
    aws: Aws, workspace: Workspace, tool: str
) -> None:
    workspace.tool = tool
    pool = aws.pool("customers")
    aws.control("settings", {"polls_in_progress": 1})
    workspace.write(
        provider_block(aws), job_block(**importing(aws, pool, start=True, wait=True)), OUTPUTS
    )

    workspace.apply()
    outputs = workspace.outputs()
    [job] = jobs_of(aws, pool)
    assert (outputs["status"], outputs["imported_users"]) == ("Succeeded", 5)
    assert outputs["job_id"] == job["JobId"]
    assert outputs["outcome"]["by_status"] == {"SUCCEEDED": 5}  # Terraform's names
    assert aws.users(pool) == dict.fromkeys(SAMPLE_USERS, "RESET_REQUIRED")
    assert workspace.plan_changes() == 0
    state = workspace.state_text()
    assert "ada@example.com" not in state and "Lovelace" not in state  # no CSV contents

    workspace.run("destroy", "-auto-approve", "-input=false")
    assert workspace.resource(ADDRESS) is None
    assert len(jobs_of(aws, pool)) == 1  # Cognito deletes no job: released


def test_refresh_reads_the_job_afresh_and_start_then_wait_continue_the_same_job(
    aws: Aws, workspace: Workspace
) -> None:
    pool = aws.pool("customers")
    attributes = importing(aws, pool)
    aws.control("settings", {"polls_in_progress": 1000})
    workspace.write(provider_block(aws), job_block(**attributes, start=True), OUTPUTS)
    workspace.apply()
    assert workspace.outputs()["status"] in ("Pending", "InProgress")

    aws.control("settings", {"polls_in_progress": 1})
    [job] = jobs_of(aws, pool)
    wait_for(lambda: aws.describe(pool, job["JobId"])["Status"] == "Succeeded")  # polls end it
    workspace.apply("-refresh-only")
    assert (workspace.outputs()["status"], workspace.outputs()["imported_users"]) == (
        "Succeeded",
        5,
    )

    workspace.write(provider_block(aws), job_block(**attributes, start=True, wait=True), OUTPUTS)
    assert workspace.plan_changes() == 2  # an update in place, never a new job
    applied = workspace.apply()
    assert "0 added, 1 changed, 0 destroyed" in applied.stdout
    assert len(jobs_of(aws, pool)) == 1
    assert workspace.outputs()["outcome"]["complete"] is True
    assert workspace.plan_changes() == 0


def test_destroy_stops_a_job_still_running(aws: Aws, workspace: Workspace) -> None:
    pool = aws.pool("customers")
    aws.control("settings", {"polls_in_progress": 1000})
    workspace.write(provider_block(aws), job_block(**importing(aws, pool, start=True)))
    workspace.apply()
    workspace.run("destroy", "-auto-approve", "-input=false")
    [job] = jobs_of(aws, pool)
    assert job["Status"] in ("Stopping", "Stopped")


def test_an_interrupted_apply_finishes_the_same_import_on_the_next_apply(
    aws: Aws, workspace: Workspace
) -> None:
    pool = aws.pool("customers")
    aws.control("settings", {"polls_in_progress": 1000})
    workspace.write(
        provider_block(aws), job_block(**importing(aws, pool, start=True, wait=True)), OUTPUTS
    )
    apply = workspace.start("apply", "-auto-approve", "-input=false")
    wait_for(lambda: [j["Status"] for j in jobs_of(aws, pool)] == ["InProgress"], timeout=120)
    [job] = jobs_of(aws, pool)

    os.killpg(apply.pid, signal.SIGINT)  # Ctrl-C, as a terminal sends it to the group
    said = flat(workspace.shown(apply.finish()))
    workspace.log.append(said)
    assert apply.returncode == 1
    assert "Interrupt received" in said
    assert f"{job['JobId']}: the apply was cancelled while waiting for it." in said
    assert "are not recorded in Terraform's state" in said
    assert (
        "Run `terraform apply` again with the same inputs to finish the import: it finds "
        f"these jobs by name, waits for {job['JobId']}" in said
    )
    assert "pulumi" not in said.lower()
    assert workspace.resource(ADDRESS) is None  # nothing recorded half-done
    wait_for(lambda: not leftover_plugins(workspace.directory), timeout=60)

    aws.control("settings", {"polls_in_progress": 1})
    workspace.apply()
    outputs = workspace.outputs()
    assert (outputs["status"], outputs["imported_users"], outputs["job_id"]) == (
        "Succeeded",
        5,
        job["JobId"],
    )
    assert len(jobs_of(aws, pool)) == 1  # exactly once
    assert aws.users(pool) == dict.fromkeys(SAMPLE_USERS, "RESET_REQUIRED")
    assert workspace.plan_changes() == 0


def test_terraform_import_adopts_a_job_by_pool_and_job_id(aws: Aws, workspace: Workspace) -> None:
    pool = aws.pool("customers")
    role = aws.role()
    job = aws.job(pool, role, name="made by hand")
    request = {"user_pool_id": pool, "job_name": "made by hand", "cloud_watch_logs_role_arn": role}
    workspace.write(provider_block(aws), job_block("adopted", **request))

    refused = workspace.run("import", "cognitouserimport_job.adopted", job["JobId"], check=False)
    assert refused.returncode == 1
    assert "Import needs <user_pool_id>/<job_id>" in refused.stdout + refused.stderr

    workspace.run("import", "cognitouserimport_job.adopted", f"{pool}/{job['JobId']}")
    adopted = workspace.resource("cognitouserimport_job.adopted")
    assert adopted is not None
    assert (adopted["status"], adopted["job_id"], adopted["job_name"]) == (
        "Created",
        job["JobId"],
        "made by hand",
    )
    assert workspace.plan_changes() == 0  # the configuration is the job's request
    workspace.run("destroy", "-auto-approve", "-input=false")
    assert workspace.resource("cognitouserimport_job.adopted") is None


def test_the_data_source_reads_a_job_by_pool_and_job_id(aws: Aws, workspace: Workspace) -> None:
    pool = aws.pool("customers")
    job = aws.job(pool, aws.role(), name="read me")
    aws.upload_users(pool, job["PreSignedUrl"], ["ada", "alan"])
    aws.run_to_end(pool, job["JobId"])
    workspace.write(
        provider_block(aws),
        f'data "cognitouserimport_job" "done" {{\n  user_pool_id = "{pool}"\n'
        f'  job_id = "{job["JobId"]}"\n}}\n',
        'output "read" {\n  value = data.cognitouserimport_job.done\n  sensitive = true\n}\n',
    )
    workspace.apply()
    read = workspace.outputs()["read"]
    assert (read["status"], read["imported_users"], read["job_name"]) == ("Succeeded", 2, "read me")
    assert read["outcome"]["by_status"] == {"SUCCEEDED": 2}

    workspace.write(
        provider_block(aws),
        f'data "cognitouserimport_job" "gone" {{\n  user_pool_id = "{pool}"\n'
        '  job_id = "import-NoSuchJob1"\n}\n',
    )
    missing = workspace.run("plan", "-input=false", check=False)
    assert missing.returncode == 1 and "No such job" in missing.stdout + missing.stderr


def test_settings_are_read_as_the_terraform_aws_provider_reads_them(
    aws: Aws, workspace: Workspace
) -> None:
    pool = aws.pool("customers")
    no_region = provider_block(aws).replace(f'  region     = "{aws.region}"\n', "")
    workspace.write(no_region, job_block(**importing(aws, pool)))
    plan = workspace.run("plan", "-input=false", check=False)
    said = flat(plan.stdout + plan.stderr)
    assert plan.returncode == 1
    assert 'set `region = "us-east-1"` in the `provider "cognitouserimport"` block' in said
    assert "the Terraform AWS provider looks in the same places" in said
    assert "docs/terraform/index.md#aws-settings" in said
    assert "aws:region" not in said and "pulumi" not in said.lower()

    workspace.extra_env["AWS_REGION"] = aws.region  # the environment, as for hashicorp/aws
    workspace.apply()
    assert workspace.resource(ADDRESS) is not None


def schema(workspace: Workspace) -> dict[str, Any]:
    workspace.write('provider "cognitouserimport" {}\n')
    shown = json.loads(workspace.run("providers", "schema", "-json").stdout)
    [provider] = shown["provider_schemas"].values()
    return dict(provider)


def test_the_schema_names_are_the_plugins(workspace: Workspace) -> None:
    found = schema(workspace)
    job = found["resource_schemas"]["cognitouserimport_job"]["block"]["attributes"]
    inputs = {name.value for name in Input} - {Input.AWS_SETTINGS}
    assert set(job) == inputs | {name.value for name in Output} | {"id"}
    sensitive = {name for name, attribute in job.items() if attribute.get("sensitive")}
    assert sensitive == {Input.USERS, Input.CONTENT_SHA256, Output.PRE_SIGNED_URL}
    block = found["provider"]["block"]
    given = set(block.get("attributes", {})) | set(block.get("block_types", {}))
    honoured = {terraform_name(name) for name, (use, _) in USES.items() if use is Use.HONOURED}
    assert given == honoured - {None}

    for kind, page in (("resource_schemas", "resources"), ("data_source_schemas", "data-sources")):
        attributes = found[kind]["cognitouserimport_job"]["block"]["attributes"]
        given = {n for n, a in attributes.items() if a.get("optional") or a.get("required")}
        arguments = documented(f"{page}/job.md", "Argument Reference")
        computed = documented(f"{page}/job.md", "Attribute Reference")
        assert (set(arguments), set(computed)) == (given, attributes.keys() - given)
        for name, description in {**arguments, **computed}.items():
            assert attributes[name]["description"] == description, name


def test_assume_role_blocks_are_assumed_in_turn(aws: Aws, workspace: Workspace) -> None:
    elsewhere = aws.in_account(OTHER_ACCOUNT)
    pool = elsewhere.pool("elsewhere")
    job = job_block(**importing(elsewhere, pool))
    workspace.write(provider_block(aws), job)
    plan = workspace.run("plan", "-input=false", check=False)
    assert plan.returncode == 1
    assert missing(pool) in flat(plan.stdout + plan.stderr)  # not in the keys' own account

    role = f"arn:aws:iam::{OTHER_ACCOUNT}:role/deployer"
    assuming = provider_block(aws).replace(
        "  endpoints {",
        f'  assume_role {{\n    role_arn = "{role}"\n  }}\n'
        f'  endpoints {{\n    sts = "{aws.endpoint}"',
    )
    workspace.write(assuming, job)
    workspace.apply()
    assert len(jobs_of(elsewhere, pool)) == 1


def test_a_profile_of_the_shared_files_gives_keys_and_region(
    aws: Aws, workspace: Workspace, tmp_path: Path
) -> None:
    config, credentials = shared_files(
        tmp_path / "aws",
        "[profile ops]\nregion = eu-west-1\n",
        "[ops]\naws_access_key_id = AKIAOPSPROFILE\naws_secret_access_key = o\n",
    )
    in_ireland = Aws(aws.endpoint, region="eu-west-1")
    pool = in_ireland.pool("customers")
    block = (
        'provider "cognitouserimport" {\n  profile = "ops"\n'
        f"  shared_config_files = [{hcl(str(config))}]\n"
        f"  shared_credentials_files = [{hcl(str(credentials))}]\n"
        f'  endpoints {{\n    cognitoidp = "{aws.endpoint}"\n'
        f'    cloudwatchlogs = "{aws.endpoint}"\n  }}\n}}\n'
    )
    workspace.write(block, job_block(**importing(aws, pool)))
    workspace.apply()
    assert len(jobs_of(in_ireland, pool)) == 1


def in_terraform_words(text: str) -> str:
    """A USES explanation with each pulumi-aws setting it names by its Terraform name."""
    return re.sub(r"\b[a-z]+(?:[A-Z0-9][a-z0-9]*)+\b", lambda m: terraform_name(m[0]) or m[0], text)


def table(page: Path, heading: str) -> list[tuple[str, str]]:
    """The rows of the first table after `heading`: (the first cell without its backticks,
    the last cell)."""
    after = page.read_text().split(f"\n{heading}\n", 1)[1]
    lines = after.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("|"))
    rows = list(itertools.takewhile(lambda line: line.startswith("|"), lines[start:]))
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]
    return [(first.strip("`"), last) for first, *_, last in cells[1:]]  # past the separator


def test_the_provider_page_lists_every_setting_as_the_code_reads_it() -> None:
    page = ROOT / "docs" / "terraform" / "index.md"
    uses = [
        (terraform_name(name), use, in_terraform_words(how)) for name, (use, how) in USES.items()
    ]
    taken = [(name, how) for name, use, how in uses if name and use is Use.HONOURED]
    assert table(page, "### Argument Reference") == taken
    not_taken = [(name, how) for name, use, how in uses if use is Use.NOT_USED]
    assert table(page, "Arguments of the `aws` provider this one does not take, and why:") == (
        not_taken
    )


def documented(page: str, heading: str) -> dict[str, str]:
    """What a Registry page says of each name under `heading` (`- \\`name\\` (Type) text`)."""
    text = (ROOT / "docs" / "terraform" / page).read_text().split(f"\n## {heading}\n", 1)[1]
    listed = re.findall(r"^- `(\w+)` \([^)]*\) (.*)$", text.split("\n## ", 1)[0], re.MULTILINE)
    return dict(listed)


def test_the_release_archive_installs_from_a_filesystem_mirror(
    aws: Aws, tmp_path: Path, clone: Path
) -> None:
    """The provider as a release ships it (scripts/release.sh), installed by `terraform init`
    from a filesystem mirror, running the plugin folder named in the environment."""
    mirror = tmp_path / "mirror"
    packages = mirror / "registry.terraform.io" / "cognito-user-import" / "cognitouserimport"
    subprocess.run(
        ["bash", str(clone / "scripts" / "release.sh"), "providers", str(packages), "linux-amd64"],
        check=True, capture_output=True, text=True, env={**os.environ, "PYTHON": sys.executable},
    )  # fmt: skip
    [configuration] = run_by("tests/test_terraform.py")  # the provider page's
    rc = tmp_path / "terraformrc"
    rc.write_text(configuration.text.replace("/opt/terraform/mirror", str(mirror)))
    directory = tmp_path / "terraform"
    directory.mkdir()
    shutil.copy(SAMPLE, directory / "users.csv")
    workspace = Workspace(directory, rc, extra_env={PLUGIN_ENV: str(clone / "plugin")})
    pool = aws.pool("customers")
    aws.control("settings", {"polls_in_progress": 1})
    workspace.write(provider_block(aws), job_block(**importing(aws, pool, start=True, wait=True)))
    workspace.run("init", "-input=false")
    assert f'version = "{__version__}"' in (directory / ".terraform.lock.hcl").read_text()
    workspace.apply()
    resource = workspace.resource(ADDRESS)
    assert resource is not None and (resource["status"], resource["imported_users"]) == (
        "Succeeded",
        5,
    )
    wait_for(lambda: not leftover_plugins(directory), timeout=60)


def test_plan_fails_on_a_declared_user_naming_it_never_the_value(
    aws: Aws, workspace: Workspace
) -> None:
    pool = aws.pool("customers")
    attributes = {**importing(aws, pool), "start": True, "wait": True}
    del attributes["csv_file"]
    attributes["users"] = [
        {"cognito:username": "ada", "email": "ada@example.com", "cognito:mfa_enabled": "false"},
        {"cognito:username": "alan", "email_verified": "perhaps-42"},
    ]
    workspace.write(provider_block(aws), job_block(**attributes))
    plan = workspace.run("plan", "-input=false", check=False)
    said = flat(plan.stdout + plan.stderr)
    assert plan.returncode == 1
    assert "Error: Invalid users" in said
    assert "users[1] (CSV line 3), column email_verified: must be true, false or empty" in said
    assert "perhaps-42" not in said and "ada@example.com" not in said  # nor quoted config
    assert jobs_of(aws, pool) == []
