//go:build tools

// Package tools pins the Pulumi CLI as a dependency of this module, so that `go build`
// compiles it from the Go module proxy with the versions in go.sum.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
