package archivecheck

import (
	"archive/zip"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	pluginID   = "kumahq-kuma-datasource"
	repoRoot   = "../../.."
	testSemver = "1.2.3"
)

var schemaPath = filepath.Join(repoRoot, "testdata", "plugin.schema.json")

type zipFile struct {
	body string
	mode fs.FileMode
}

// goodFiles is a complete archive built from the real src/plugin.json, so
// the good case also proves that our manifest passes the schema.
func goodFiles(t *testing.T) map[string]zipFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "src", "plugin.json"))
	require.NoError(t, err)
	pj := strings.NewReplacer("%VERSION%", testSemver, "%TODAY%", "2026-01-02").Replace(string(raw))
	root := pluginID + "/"
	files := map[string]zipFile{
		root + "plugin.json":   {body: pj, mode: 0o644},
		root + "module.js":     {body: "define([],function(){})", mode: 0o644},
		root + "module.js.map": {body: "{}", mode: 0o644},
		root + "README.md":     {body: "# Kuma datasource\n", mode: 0o644},
		root + "CHANGELOG.md":  {body: "# Changelog\n", mode: 0o644},
		root + "LICENSE":       {body: "Apache License\nVersion 2.0, January 2004\n", mode: 0o644},
		root + "img/logo.svg":  {body: `<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>`, mode: 0o644},
	}
	for _, uid := range []string{"kuma-mesh-map", "kuma-dataplane", "kuma-service-to-service", "kuma-cp", "kuma-service", "kuma-gateway",
		"kuma-zone-ingress-proxies", "kuma-zone-egress-proxies"} {
		files[root+"dashboards/"+uid+".json"] = zipFile{body: `{"uid":"` + uid + `"}`, mode: 0o644}
	}
	for _, p := range Platforms {
		name := root + "gpx_kuma_" + p
		if strings.HasPrefix(p, "windows") {
			name += ".exe"
		}
		files[name] = zipFile{body: "\x7fELF binary", mode: 0o755}
	}
	return files
}

func writeZip(t *testing.T, files map[string]zipFile) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "plugin.zip")
	out, err := os.Create(p)
	require.NoError(t, err)
	zw := zip.NewWriter(out)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate}
		h.SetMode(files[n].mode)
		w, err := zw.CreateHeader(h)
		require.NoError(t, err)
		_, err = w.Write([]byte(files[n].body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, out.Close())
	return p
}

func writePackageJSON(t *testing.T, version string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "package.json")
	require.NoError(t, os.WriteFile(p, []byte(`{"name":"x","version":"`+version+`"}`), 0o644))
	return p
}

func checkNames(problems []Problem) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range problems {
		if !seen[p.Check] {
			seen[p.Check] = true
			out = append(out, p.Check)
		}
	}
	sort.Strings(out)
	return out
}

// editPluginJSON replaces old with new in the archive's plugin.json.
func editPluginJSON(old, new string) func(map[string]zipFile) {
	return func(f map[string]zipFile) {
		k := pluginID + "/plugin.json"
		f[k] = zipFile{body: strings.Replace(f[k].body, old, new, 1), mode: 0o644}
	}
}

func TestCheck(t *testing.T) {
	root := pluginID + "/"
	tests := []struct {
		name   string
		edit   func(map[string]zipFile)
		want   []string
		detail string
	}{
		{name: "a complete archive passes every check", edit: func(map[string]zipFile) {}},
		{
			name: "a root folder not named after the id fails archivename",
			edit: func(f map[string]zipFile) {
				renamed := map[string]zipFile{}
				for k, v := range f {
					renamed["kuma/"+strings.TrimPrefix(k, root)] = v
					delete(f, k)
				}
				maps.Copy(f, renamed)
			},
			want: []string{"archivename"}, detail: `"kuma"`,
		},
		{
			name: "a second top-level entry fails archive",
			edit: func(f map[string]zipFile) { f["extra.txt"] = zipFile{body: "x", mode: 0o644} },
			want: []string{"archive"}, detail: "exactly one top-level folder",
		},
		{
			name: "a nested dist folder fails archive",
			edit: func(f map[string]zipFile) { f[root+"dist/module.js"] = zipFile{body: "x", mode: 0o644} },
			want: []string{"archive"}, detail: "nested dist/",
		},
		{
			name: "a missing plugin.json fails metadata",
			edit: func(f map[string]zipFile) { delete(f, root+"plugin.json") },
			want: []string{"metadata"},
		},
		{
			name: "an unparsable plugin.json fails metadata",
			edit: func(f map[string]zipFile) { f[root+"plugin.json"] = zipFile{body: "{", mode: 0o644} },
			want: []string{"metadata"},
		},
		{
			name: "an unknown plugin.json key fails metadatavalid",
			edit: editPluginJSON(`"metrics": true,`, `"metrics": true, "frobnicate": 1,`),
			want: []string{"metadatavalid"}, detail: "frobnicate",
		},
		{
			name: "a missing grafanaDependency fails metadatavalid",
			edit: editPluginJSON(`"grafanaDependency"`, `"grafanaVersion"`),
			want: []string{"metadatavalid"},
		},
		{
			name: "a missing platform binary fails backendbinary",
			edit: func(f map[string]zipFile) { delete(f, root+"gpx_kuma_linux_arm") },
			want: []string{"backendbinary"}, detail: "gpx_kuma_linux_arm",
		},
		{
			name: "a missing Windows binary fails backendbinary",
			edit: func(f map[string]zipFile) { delete(f, root+"gpx_kuma_windows_amd64.exe") },
			want: []string{"backendbinary"}, detail: "gpx_kuma_windows_amd64.exe",
		},
		{
			name: "a binary without mode 0755 fails binarypermissions",
			edit: func(f map[string]zipFile) { f[root+"gpx_kuma_linux_amd64"] = zipFile{body: "bin", mode: 0o644} },
			want: []string{"binarypermissions"}, detail: "0644",
		},
		{
			name: "alerting without a backend fails backendbinary",
			edit: editPluginJSON(`"backend": true,`, `"backend": false,`),
			want: []string{"backendbinary"}, detail: "alerting",
		},
		{
			name: "standalone.txt fails backenddebug",
			edit: func(f map[string]zipFile) { f[root+"standalone.txt"] = zipFile{body: "127.0.0.1:1", mode: 0o644} },
			want: []string{"backenddebug"},
		},
		{
			name: "pid.txt fails backenddebug",
			edit: func(f map[string]zipFile) { f[root+"pid.txt"] = zipFile{body: "42", mode: 0o644} },
			want: []string{"backenddebug"},
		},
		{
			name: "a missing module.js fails modulejs",
			edit: func(f map[string]zipFile) { delete(f, root+"module.js") },
			want: []string{"modulejs"},
		},
		{
			name: "a missing source map fails jsMap",
			edit: func(f map[string]zipFile) { delete(f, root+"module.js.map") },
			want: []string{"jsMap"},
		},
		{
			name: "a missing README fails readme",
			edit: func(f map[string]zipFile) { delete(f, root+"README.md") },
			want: []string{"readme"},
		},
		{
			name: "the scaffold README fails templatereadme",
			edit: func(f map[string]zipFile) {
				f[root+"README.md"] = zipFile{body: "# Grafana data source plugin template\n\nThis template is a starting point for building a Data Source Plugin", mode: 0o644}
			},
			want: []string{"templatereadme"},
		},
		{
			name: "a missing LICENSE fails license",
			edit: func(f map[string]zipFile) { delete(f, root+"LICENSE") },
			want: []string{"license"},
		},
		{
			name: "an unknown license fails license",
			edit: func(f map[string]zipFile) { f[root+"LICENSE"] = zipFile{body: "All rights reserved.", mode: 0o644} },
			want: []string{"license"}, detail: "not one of the licenses",
		},
		{
			name: "a missing CHANGELOG fails changelog",
			edit: func(f map[string]zipFile) { delete(f, root+"CHANGELOG.md") },
			want: []string{"changelog"},
		},
		{
			name: "a missing logo fails logos",
			edit: func(f map[string]zipFile) { delete(f, root+"img/logo.svg") },
			want: []string{"logos"}, detail: "img/logo.svg",
		},
		{
			name: "an absolute logo path fails metadatapaths",
			edit: editPluginJSON(`"small": "img/logo.svg"`, `"small": "/img/logo.svg"`),
			want: []string{"metadatapaths"},
		},
		{
			name: "an included dashboard missing from the archive fails includes",
			edit: func(f map[string]zipFile) { delete(f, root+"dashboards/kuma-gateway.json") },
			want: []string{"includes"}, detail: "Kuma MeshGateway",
		},
		{
			name: "a version that differs from package.json fails packagejson",
			edit: editPluginJSON(`"version": "`+testSemver+`"`, `"version": "9.9.9"`),
			want: []string{"packagejson"}, detail: `"9.9.9"`,
		},
		{
			name: "an unreplaced version placeholder fails metadata and packagejson",
			edit: editPluginJSON(`"version": "`+testSemver+`"`, `"version": "%VERSION%"`),
			want: []string{"metadata", "packagejson"}, detail: "placeholders",
		},
		{
			name: "an SVG with a script fails unsafesvg",
			edit: func(f map[string]zipFile) {
				f[root+"img/logo.svg"] = zipFile{body: `<svg><script>alert(1)</script></svg>`, mode: 0o644}
			},
			want: []string{"unsafesvg"},
		},
	}
	pkg := writePackageJSON(t, testSemver)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := goodFiles(t)
			tt.edit(files)
			problems, err := Check(writeZip(t, files), Options{SchemaPath: schemaPath, PackageJSONPath: pkg})
			require.NoError(t, err)
			assert.Equal(t, tt.want, checkNames(problems), "problems: %v", problems)
			if tt.detail != "" {
				assert.Contains(t, joinProblems(problems), tt.detail)
			}
		})
	}
}

func joinProblems(problems []Problem) string {
	parts := make([]string, len(problems))
	for i, p := range problems {
		parts[i] = p.String()
	}
	return strings.Join(parts, "\n")
}

func TestCheckEmptyArchive(t *testing.T) {
	problems, err := Check(writeZip(t, nil), Options{SchemaPath: schemaPath})
	require.NoError(t, err)
	assert.Equal(t, []string{"archive"}, checkNames(problems))
}

func TestCheckRejectsWhatIsNotAZip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "plugin.zip")
	require.NoError(t, os.WriteFile(p, []byte("not a zip"), 0o644))
	_, err := Check(p, Options{SchemaPath: schemaPath})
	assert.ErrorContains(t, err, "open plugin archive")
}
