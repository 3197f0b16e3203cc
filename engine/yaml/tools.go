//go:build tools

// The YAML language host, built from Pulumi's Go modules like the CLI (engine/cli): programs
// written in YAML use the cognito-user-import plugin through it.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
