// Command sdkgen generates the huaweicloud-medialive SDKs for Node.js, Python and Go from the
// provider plugin's schema, with Pulumi's own code generators (the library code behind
// `pulumi package gen-sdk`, which hands generation to language hosts this repository cannot run).
//
// Usage, from the repository root (npm run sdkgen):
//
//	go run ./sdkgen -schema schema.json -out sdk
//
// The schema is first validated against Pulumi's package metaschema (schema.BindSpec), then bound
// with schema.ImportSpec once per language (each generator records its language info in the
// package it is given). Every language's folder under -out is replaced as a whole, so files a
// generator no longer writes disappear.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool names this generator in the headers of the files it writes.
const tool = "huaweicloud-medialive sdkgen"

// noDependencies is the loader for a schema that references no other package: the binder and the
// generators ask a loader only for referenced packages, and this one refuses every request by name
// (the usual loader starts provider plugins to read their schemas).
type noDependencies struct{}

func (noDependencies) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q; sdkgen loads no other package", pkg)
}

func (noDependencies) LoadPackageV2(
	_ context.Context, descriptor *schema.PackageDescriptor,
) (*schema.Package, error) {
	return noDependencies{}.LoadPackage(descriptor.Name, nil)
}

func (noDependencies) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema references package %q; sdkgen loads no other package", pkg)
}

func (noDependencies) LoadPackageReferenceV2(
	_ context.Context, descriptor *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return noDependencies{}.LoadPackageReference(descriptor.Name, nil)
}

// generators maps each language folder to its generator.
var generators = map[string]func(*schema.Package) (map[string][]byte, error){
	"nodejs": func(pkg *schema.Package) (map[string][]byte, error) {
		return nodejs.GeneratePackage(tool, pkg, nil, nil, false, noDependencies{})
	},
	"python": func(pkg *schema.Package) (map[string][]byte, error) {
		return python.GeneratePackage(tool, pkg, nil, noDependencies{})
	},
	"go": func(pkg *schema.Package) (map[string][]byte, error) {
		// The Go generator writes the SDK's go.mod (module = importBasePath without its last
		// element) only for a package that supports packing; a go.mod is what lets a Go program
		// require the SDK, by version or through a replace to this folder. Packing changes nothing
		// else here: respectSchemaVersion already puts the version in pulumi-plugin.json.
		pkg.SupportPack = true
		return gogen.GeneratePackage(tool, pkg, nil)
	},
}

func main() {
	schemaPath := flag.String("schema", "schema.json", "the package schema")
	outDir := flag.String("out", "sdk", "where to write sdk/<language>")
	flag.Parse()
	if err := run(*schemaPath, *outDir); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, outDir string) error {
	text, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	if _, diags, err := schema.BindSpec(spec, noDependencies{}, schema.ValidationOptions{}); err != nil {
		return fmt.Errorf("%s is not a valid package schema: %w", schemaPath, err)
	} else if diags.HasErrors() {
		return fmt.Errorf("%s is not a valid package schema:\n%v", schemaPath, diags)
	}
	languages := make([]string, 0, len(generators))
	for language := range generators {
		languages = append(languages, language)
	}
	sort.Strings(languages)
	for _, language := range languages {
		pkg, err := schema.ImportSpec(spec, nil, noDependencies{}, schema.ValidationOptions{})
		if err != nil {
			return fmt.Errorf("binding %s: %w", schemaPath, err)
		}
		files, err := generators[language](pkg)
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", language, err)
		}
		if err := write(filepath.Join(outDir, language), files); err != nil {
			return err
		}
		fmt.Printf("sdkgen: %s: %d files in %s\n", language, len(files), filepath.Join(outDir, language))
	}
	return nil
}

// write replaces dir with exactly the generated files.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
