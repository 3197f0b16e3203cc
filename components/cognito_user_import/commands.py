"""The commands and places a message names, in the words of the tool that runs the import.

Pulumi users read `pulumi up` and "the stack's state"; Terraform and OpenTofu users, whose
provider (terraform/) runs this package's plugin, read `terraform apply` (or `tofu apply`) and
"Terraform's state". One process serves one tool: the Terraform provider names its CLI in the
plugin's environment (COGNITO_USER_IMPORT_TOOL), and a message reads `tool()` when it is made.
"""

import os
from dataclasses import dataclass

#: Set by the Terraform provider for the plugin it starts: "terraform" or "tofu".
TOOL_VARIABLE = "COGNITO_USER_IMPORT_TOOL"


@dataclass(frozen=True)
class Tool:
    """What a message tells the user to run, and where things are recorded."""

    name: str
    #: The command that deploys (and continues an interrupted import).
    apply: str
    #: The command that judges the inputs before anything changes.
    plan: str
    #: The command that records a finished job's outcome without a new deployment.
    record_outcome: str
    #: Where deployed resources are recorded.
    state: str
    #: Where a deployment's results are read.
    outputs: str
    #: The command that runs one operation at a time.
    one_at_a_time: str
    #: What started the operation, when it is gone.
    caller: str
    #: The operation under way: an update, an apply.
    operation: str


PULUMI = Tool(
    name="pulumi",
    apply="`pulumi up`",
    plan="preview",
    record_outcome="`pulumi refresh --run-program` (or `pulumi up --refresh`)",
    state="the stack's state",
    outputs="the stack's outputs",
    one_at_a_time="`pulumi up --parallel 1`",
    caller="the Pulumi CLI",
    operation="update",
)


def _terraform_like(name: str, product: str) -> Tool:
    return Tool(
        name=name,
        apply=f"`{name} apply`",
        plan=f"`{name} plan`",
        record_outcome=f"`{name} apply -refresh-only`",
        state=f"{product}'s state",
        outputs=f"{product}'s state",
        one_at_a_time=f"`{name} apply -parallelism=1`",
        caller=f"the {product} run",
        operation="apply",
    )


TERRAFORM = _terraform_like("terraform", "Terraform")
OPENTOFU = _terraform_like("tofu", "OpenTofu")
TOOLS = {tool.name: tool for tool in (PULUMI, TERRAFORM, OPENTOFU)}


def tool() -> Tool:
    """The tool this process serves (Pulumi unless the Terraform provider said otherwise)."""
    return TOOLS.get(os.environ.get(TOOL_VARIABLE, ""), PULUMI)
