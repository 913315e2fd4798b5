package archivecheck

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

type reportFunc = func(check, format string, args ...any)

// validateSchema validates plugin.json against the vendored schema, as the
// validator's metadatavalid check does with the copy it downloads.
func validateSchema(schemaPath string, pluginJSON []byte, report reportFunc) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return fmt.Errorf("read plugin.json schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("parse plugin.json schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("plugin.schema.json", doc); err != nil {
		return fmt.Errorf("load plugin.json schema: %w", err)
	}
	schema, err := c.Compile("plugin.schema.json")
	if err != nil {
		return fmt.Errorf("compile plugin.json schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(pluginJSON))
	if err != nil {
		report("metadata", "plugin.json is not valid JSON: %v", err)
		return nil
	}
	if err := schema.Validate(inst); err != nil {
		report("metadatavalid", "plugin.json does not match the schema: %v", err)
	}
	return nil
}

// checkPaths checks that logos, screenshots and included dashboards are
// relative paths to files the archive holds (metadatapaths, logos).
func checkPaths(a archive, meta pluginJSON, report reportFunc) {
	refs := []struct{ check, what, path string }{
		{"logos", "small logo", meta.Info.Logos.Small},
		{"logos", "large logo", meta.Info.Logos.Large},
	}
	for _, s := range meta.Info.Screenshots {
		refs = append(refs, struct{ check, what, path string }{"metadatapaths", "screenshot", s.Path})
	}
	for _, inc := range meta.Includes {
		if inc.Type == "dashboard" {
			refs = append(refs, struct{ check, what, path string }{"includes", "dashboard " + inc.Name, inc.Path})
		}
	}
	for _, r := range refs {
		switch {
		case r.path == "":
			report(r.check, "the %s has no path", r.what)
		case !cleanRel(r.path):
			report("metadatapaths", "the %s path %q must be relative to the plugin folder", r.what, r.path)
		default:
			if _, ok := a.files[strings.TrimPrefix(r.path, "./")]; !ok {
				report(r.check, "the %s %q is missing from the archive", r.what, r.path)
			}
		}
	}
}

// checkBackend checks the backend binaries: backend and executable go
// together, alerting needs a backend, every platform has its binary, and
// every non-Windows binary is executable with mode exactly 0755 (the
// validator's backendbinary and binarypermissions).
func checkBackend(a archive, meta pluginJSON, platforms []string, report reportFunc) {
	if meta.Alerting && !meta.Backend {
		report("backendbinary", "alerting is true but backend is not; alerting needs a backend")
	}
	if meta.Backend != (meta.Executable != "") {
		report("backendbinary", "backend (%t) and executable (%q) must be set together", meta.Backend, meta.Executable)
	}
	if meta.Executable == "" {
		return
	}
	for _, p := range platforms {
		name := meta.Executable + "_" + p
		if strings.HasPrefix(p, "windows_") {
			name += ".exe"
		}
		f, ok := a.files[name]
		switch {
		case !ok:
			report("backendbinary", "the %s binary %s is missing", p, name)
		case len(f.body) == 0:
			report("backendbinary", "the %s binary %s is empty", p, name)
		}
	}
	for name, f := range a.files {
		if !strings.HasPrefix(name, meta.Executable+"_") || strings.HasSuffix(name, ".exe") || strings.Contains(name, "/") {
			continue
		}
		if perm := f.mode.Perm(); perm != 0o755 {
			report("binarypermissions", "%s has mode %#o; it must be 0755", name, perm)
		}
	}
}

// templateMarkers are phrases of the create-plugin README templates.
var templateMarkers = []string{
	"This template is a starting point for building",
	"Uncomment and replace the content here before publishing",
}

// unsafeSVG matches what the validator's unsafesvg check forbids in spirit:
// scripts, event handlers, foreign content and javascript: links.
var unsafeSVG = regexp.MustCompile(`(?i)<script|<foreignObject|\son[a-z]+\s*=|javascript:`)

// checkFiles checks the files every plugin must carry and the ones it must
// not (modulejs, readme, templatereadme, license, changelog, backenddebug,
// unsafesvg, jsMap).
func checkFiles(a archive, report reportFunc) {
	required := []struct{ check, name string }{
		{"modulejs", "module.js"},
		{"jsMap", "module.js.map"},
		{"readme", "README.md"},
		{"license", "LICENSE"},
		{"changelog", "CHANGELOG.md"},
	}
	for _, r := range required {
		if f, ok := a.files[r.name]; !ok || len(bytes.TrimSpace(f.body)) == 0 {
			report(r.check, "%s is missing or empty", r.name)
		}
	}
	if readme, ok := a.files["README.md"]; ok {
		for _, m := range templateMarkers {
			if bytes.Contains(readme.body, []byte(m)) {
				report("templatereadme", "README.md is still the create-plugin template (%q)", m)
			}
		}
	}
	if lic, ok := a.files["LICENSE"]; ok && len(lic.body) > 0 && !knownLicense(string(lic.body)) {
		report("license", "LICENSE is not one of the licenses the catalog accepts (Apache-2.0, MIT, BSD, GPL-3.0, LGPL-3.0, AGPL-3.0)")
	}
	for name, f := range a.files {
		base := name[strings.LastIndex(name, "/")+1:]
		if base == "standalone.txt" || base == "pid.txt" {
			report("backenddebug", "%s is a debug leftover of standalone mode; remove it", name)
		}
		if strings.HasSuffix(strings.ToLower(name), ".svg") && unsafeSVG.Match(f.body) {
			report("unsafesvg", "%s contains scripts, event handlers or foreign content", name)
		}
	}
}

func knownLicense(text string) bool {
	for _, marker := range []string{
		"Apache License", "MIT License", "Permission is hereby granted, free of charge",
		"Redistribution and use in source and binary forms", "GNU GENERAL PUBLIC LICENSE",
		"GNU LESSER GENERAL PUBLIC LICENSE", "GNU AFFERO GENERAL PUBLIC LICENSE",
	} {
		if strings.Contains(text, marker) {
			return true
		}
	}
	return false
}
