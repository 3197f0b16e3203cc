"""The cognito-user-import plugin: serves CognitoUserImport to Pulumi programs in YAML,
TypeScript, Go or any other language.

Pulumi's component provider infers the schema from the Args type hints, the declared outputs
and their docstrings. Python 3.11 keeps a docstring's indentation, which would reach every
generated SDK's documentation, so each description is dedented before the schema is served
(what `component_provider_host` does, plus that, and the SDKs' package names).
"""

import inspect
import json
import sys
from typing import Any

from pulumi.provider import main
from pulumi.provider.experimental.component import ComponentProvider

from cognito_user_import.component import CognitoUserImport

NAME, VERSION = "cognito-user-import", "1.0.0"
#: Where the generated SDKs live: an npm package name and a Go import path of their own
#: (the defaults would claim Pulumi's npm scope and a placeholder Go module).
LANGUAGES = {
    "nodejs": {"packageName": NAME},
    "go": {"importBasePath": "github.com/cognito-user-import/sdk/go/cognitouserimport"},
}


def dedented(node: Any) -> Any:
    """The schema with every `description` dedented."""
    if isinstance(node, dict):
        return {
            key: inspect.cleandoc(value) if key == "description" else dedented(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [dedented(item) for item in node]
    return node


if __name__ == "__main__":
    provider = ComponentProvider([CognitoUserImport], NAME, None, VERSION)
    schema = dedented(json.loads(provider.schema or "{}"))
    for language, options in LANGUAGES.items():
        schema["language"][language].update(options)
    provider.schema = json.dumps(schema)
    main(provider, sys.argv[1:])
