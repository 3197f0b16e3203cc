// Command gensdk writes the TypeScript and Go SDKs of a Pulumi package schema, with the code
// generators of the CLI's own module (pkg/v3). `pulumi package gen-sdk` needs the Node.js and
// Go language hosts for that, which this machine can't fetch; the generators are the same.
//
// Usage: gensdk <schema.json> <out-dir>   (writes <out-dir>/nodejs and <out-dir>/go)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noReferences refuses every other package: the schema is self-contained.
type noReferences struct{}

func (noReferences) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q, which gensdk does not load", name)
}

func (noReferences) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema refers to package %q, which gensdk does not load", name)
}

func (r noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return r.LoadPackage(d.Name, d.Version)
}

func (r noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return r.LoadPackageReference(d.Name, d.Version)
}

func bind(path string) (*schema.Package, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, errors.New(diags.Error())
	}
	return pkg, nil
}

func write(dir string, files map[string][]byte) error {
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func run(schemaPath, out string) error {
	pkg, err := bind(schemaPath)
	if err != nil {
		return err
	}
	node, err := nodejs.GeneratePackage("gensdk", pkg, nil, nil, false, noReferences{})
	if err != nil {
		return fmt.Errorf("nodejs: %w", err)
	}
	if err := write(filepath.Join(out, "nodejs"), node); err != nil {
		return err
	}
	pkg, err = bind(schemaPath) // each generator annotates the package it is given
	if err != nil {
		return err
	}
	golang, err := gogen.GeneratePackage("gensdk", pkg, nil)
	if err != nil {
		return fmt.Errorf("go: %w", err)
	}
	return write(filepath.Join(out, "go"), golang)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gensdk <schema.json> <out-dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "gensdk:", err)
		os.Exit(1)
	}
}
