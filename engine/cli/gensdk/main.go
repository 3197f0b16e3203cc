// Command gensdk writes the TypeScript or Go SDK of a Pulumi package schema, with the code
// generators of the CLI's own module (pkg/v3). Pulumi's Node.js and Go language hosts call
// those generators for `pulumi package gen-sdk` and `pulumi package add`; this machine can't
// fetch those hosts, and the local one (engine/language_host.py) calls this command instead.
//
// Usage: gensdk [-local] <nodejs|go> <schema.json> <out-dir>   (writes the SDK into out-dir)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
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

// generate returns the files of one language's SDK.
func generate(language string, pkg *schema.Package, local bool) (map[string][]byte, error) {
	switch language {
	case "nodejs":
		return nodejs.GeneratePackage("pulumi", pkg, nil, nil, local, noReferences{})
	case "go":
		return gogen.GeneratePackage("pulumi", pkg, nil)
	default:
		return nil, fmt.Errorf("no generator for %q here (nodejs, go)", language)
	}
}

func main() {
	local := flag.Bool("local", false, "an SDK for one program's own folder (pulumi package add)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gensdk [-local] <nodejs|go> <schema.json> <out-dir>")
	}
	flag.Parse()
	if flag.NArg() != 3 {
		flag.Usage()
		os.Exit(2)
	}
	language, schemaPath, out := flag.Arg(0), flag.Arg(1), flag.Arg(2)
	pkg, err := bind(schemaPath)
	if err == nil {
		var files map[string][]byte
		if files, err = generate(language, pkg, *local); err == nil {
			err = write(out, files)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gensdk:", err)
		os.Exit(1)
	}
}
