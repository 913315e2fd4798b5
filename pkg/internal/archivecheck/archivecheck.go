// Package archivecheck reproduces, offline, the checks of Grafana's plugin
// validator (github.com/grafana/plugin-validator) that need no network, on a
// plugin zip. The real validator downloads its binary and the plugin.json
// schema from GitHub, so CI cannot run it here; this package runs the same
// rules against a vendored schema copy.
package archivecheck

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Platforms are the os_arch pairs mage's buildAll produces and the archive
// must carry a backend binary for.
var Platforms = []string{
	"linux_amd64", "linux_arm64", "linux_arm", "darwin_amd64", "darwin_arm64", "windows_amd64",
}

// Problem is one failed check. Check is named after the validator analyzer
// that reports the same thing (archive, metadatavalid, backendbinary, …).
type Problem struct {
	Check   string
	Message string
}

func (p Problem) String() string { return p.Check + ": " + p.Message }

// Options says where the files the archive is compared with live.
type Options struct {
	// SchemaPath is a local copy of Grafana's plugin.json schema.
	SchemaPath string
	// PackageJSONPath is the package.json whose version the archive must carry.
	// Empty skips the version comparison.
	PackageJSONPath string
	// Platforms defaults to Platforms.
	Platforms []string
}

// file is one regular file of the archive, by its path under the root folder.
type file struct {
	mode fs.FileMode
	body []byte
}

// archive is the zip's content split into its root folder and files.
type archive struct {
	root  string
	files map[string]file
}

// Check opens the zip and returns every problem found, sorted by check. The
// error is for a zip that cannot be read at all, or for unusable options.
func Check(zipPath string, opts Options) ([]Problem, error) {
	if len(opts.Platforms) == 0 {
		opts.Platforms = Platforms
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, fmt.Errorf("open plugin archive: %w", err)
	}
	defer func() { _ = zr.Close() }() // read only: nothing to flush

	var problems []Problem
	report := func(check, format string, args ...any) {
		problems = append(problems, Problem{Check: check, Message: fmt.Sprintf(format, args...)})
	}
	a, err := readArchive(&zr.Reader, report)
	if err != nil {
		return nil, err
	}
	if a.root != "" {
		if err := checkContent(a, opts, report); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Check < problems[j].Check })
	return problems, nil
}

// readArchive loads every regular file and checks the layout: exactly one
// top-level folder and no dist/ folder nested inside it.
func readArchive(zr *zip.Reader, report func(check, format string, args ...any)) (archive, error) {
	a := archive{files: map[string]file{}}
	roots := map[string]bool{}
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "./")
		top, rest, _ := strings.Cut(name, "/")
		if top == "" || top == ".." || strings.Contains(name, "../") {
			report("archive", "entry %q escapes the archive root", f.Name)
			continue
		}
		roots[top] = true
		if f.FileInfo().IsDir() || rest == "" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return archive{}, fmt.Errorf("read %s: %w", f.Name, err)
		}
		body, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			return archive{}, fmt.Errorf("read %s: %w", f.Name, err)
		}
		a.files[rest] = file{mode: f.Mode(), body: body}
	}
	switch {
	case len(roots) == 0:
		report("archive", "the archive is empty")
	case len(roots) > 1:
		names := make([]string, 0, len(roots))
		for r := range roots {
			names = append(names, r)
		}
		sort.Strings(names)
		report("archive", "the archive must hold exactly one top-level folder, found %s", strings.Join(names, ", "))
	default:
		for r := range roots {
			a.root = r
		}
	}
	for name := range a.files {
		if name == "dist" || strings.HasPrefix(name, "dist/") {
			report("archive", "the plugin folder contains a nested dist/ folder (%s): zip the content of dist, not dist itself", name)
			break
		}
	}
	return a, nil
}

// checkContent runs the checks that look inside the plugin folder.
func checkContent(a archive, opts Options, report func(check, format string, args ...any)) error {
	pj, ok := a.files["plugin.json"]
	if !ok {
		report("metadata", "plugin.json is missing from %s/", a.root)
		return nil
	}
	var meta pluginJSON
	if err := json.Unmarshal(pj.body, &meta); err != nil {
		report("metadata", "plugin.json is not valid JSON: %v", err)
		return nil
	}
	if err := validateSchema(opts.SchemaPath, pj.body, report); err != nil {
		return err
	}
	if a.root != meta.ID {
		report("archivename", "the top-level folder is %q; it must be the plugin id %q", a.root, meta.ID)
	}
	checkPaths(a, meta, report)
	checkBackend(a, meta, opts.Platforms, report)
	checkFiles(a, report)
	return checkVersion(meta, opts.PackageJSONPath, report)
}

// pluginJSON is the part of plugin.json the checks read.
type pluginJSON struct {
	ID         string `json:"id"`
	Backend    bool   `json:"backend"`
	Alerting   bool   `json:"alerting"`
	Executable string `json:"executable"`
	Info       struct {
		Version string `json:"version"`
		Updated string `json:"updated"`
		Logos   struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
		Screenshots []struct {
			Path string `json:"path"`
		} `json:"screenshots"`
	} `json:"info"`
	Includes []struct {
		Type string `json:"type"`
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"includes"`
}

// checkVersion compares plugin.json's version with package.json's, as the
// validator's packagejson check does, and rejects unreplaced placeholders.
func checkVersion(meta pluginJSON, packageJSONPath string, report func(check, format string, args ...any)) error {
	if strings.Contains(meta.Info.Version, "%") || strings.Contains(meta.Info.Updated, "%") {
		report("metadata", "plugin.json still has build placeholders (version %q, updated %q)", meta.Info.Version, meta.Info.Updated)
	}
	if packageJSONPath == "" {
		return nil
	}
	raw, err := os.ReadFile(packageJSONPath)
	if err != nil {
		return fmt.Errorf("read package.json: %w", err)
	}
	var pkg struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		return fmt.Errorf("parse %s: %w", packageJSONPath, err)
	}
	if pkg.Version != meta.Info.Version {
		report("packagejson", "plugin.json version %q differs from package.json version %q", meta.Info.Version, pkg.Version)
	}
	return nil
}

// cleanRel reports whether p is a relative path that stays inside the plugin folder.
func cleanRel(p string) bool {
	return p != "" && !path.IsAbs(p) && !strings.Contains(p, "://") && !strings.HasPrefix(path.Clean(p), "..")
}
