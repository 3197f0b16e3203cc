"""The cognito-user-import plugin: serves CognitoUserImport to Pulumi programs in YAML,
TypeScript, Go or any other language, with a schema inferred from its Args type hints, its
declared outputs and their docstrings (Pulumi's component provider host)."""

from pulumi.provider.experimental import component_provider_host

from cognito_user_import.component import CognitoUserImport

if __name__ == "__main__":
    component_provider_host([CognitoUserImport], name="cognito-user-import", version="1.0.0")
