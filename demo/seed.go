package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// resourcePaths maps the Kuma resource types the demo writes to their
// collection in the control-plane API. Global types take no mesh.
var resourcePaths = map[string]string{
	"Mesh":                  "/meshes/{name}",
	"MeshGateway":           "/meshes/{mesh}/meshgateways/{name}",
	"MeshHTTPRoute":         "/meshes/{mesh}/meshhttproutes/{name}",
	"MeshTCPRoute":          "/meshes/{mesh}/meshtcproutes/{name}",
	"MeshTrafficPermission": "/meshes/{mesh}/meshtrafficpermissions/{name}",
}

// resourcePath returns the API path that a PUT of the resource goes to.
func resourcePath(body []byte) (string, error) {
	var meta struct {
		Type string `json:"type"`
		Mesh string `json:"mesh"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(body, &meta); err != nil {
		return "", fmt.Errorf("not a JSON resource: %w", err)
	}
	tmpl, ok := resourcePaths[meta.Type]
	if !ok {
		return "", fmt.Errorf("resource type %q is not one the seeder knows", meta.Type)
	}
	if meta.Name == "" || (strings.Contains(tmpl, "{mesh}") && meta.Mesh == "") {
		return "", fmt.Errorf("%s needs a name and a mesh", meta.Type)
	}
	r := strings.NewReplacer("{mesh}", url.PathEscape(meta.Mesh), "{name}", url.PathEscape(meta.Name))
	return r.Replace(tmpl), nil
}

// seeder writes resources to a control plane.
type seeder struct {
	base   string
	client *http.Client
	// retryEvery is the pause between attempts while the CP is not ready.
	retryEvery time.Duration
}

// waitReady polls GET / until the API answers 200 or ctx ends.
func (s *seeder) waitReady(ctx context.Context) error {
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/", nil)
		if err != nil {
			return err
		}
		resp, err := s.client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("control plane %s not ready: %w", s.base, ctx.Err())
		case <-time.After(s.retryEvery):
		}
	}
}

// put writes one resource. Kuma answers 201 on create and 200 on update, so
// running the seeder twice is harmless.
func (s *seeder) put(ctx context.Context, body []byte) error {
	path, err := resourcePath(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("PUT %s: %s: %s", path, resp.Status, bytes.TrimSpace(msg))
	}
	log.Printf("seed: PUT %s: %s", path, resp.Status)
	return nil
}

// seedDir waits for the CP and PUTs every *.json file of dir in name order,
// so that a numeric prefix puts the Mesh before what lives in it.
func (s *seeder) seedDir(ctx context.Context, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no *.json resources in %s", dir)
	}
	sort.Strings(files)
	if err := s.waitReady(ctx); err != nil {
		return err
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := s.put(ctx, body); err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(f), err)
		}
	}
	return nil
}

func runSeed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	cp := fs.String("cp", "http://kuma-control-plane:5681", "control-plane API URL")
	dir := fs.String("dir", "/seed", "folder of JSON resources")
	timeout := fs.Duration("timeout", 3*time.Minute, "how long to wait for the control plane")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	s := &seeder{base: strings.TrimRight(*cp, "/"), client: &http.Client{Timeout: 10 * time.Second}, retryEvery: time.Second}
	return s.seedDir(ctx, *dir)
}
