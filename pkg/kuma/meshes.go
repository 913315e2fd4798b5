package kuma

import "context"

type apiMesh struct {
	meta
	MTLS struct {
		EnabledBackend string `json:"enabledBackend"`
	} `json:"mtls"`
	Metrics struct {
		EnabledBackend string `json:"enabledBackend"`
	} `json:"metrics"`
	MeshServices struct {
		Mode MeshServicesMode `json:"mode"`
	} `json:"meshServices"`
}

func (a apiMesh) toMesh() Mesh {
	return Mesh{
		Name:             a.Name,
		MTLSBackend:      a.MTLS.EnabledBackend,
		MetricsBackend:   a.Metrics.EnabledBackend,
		MeshServicesMode: a.MeshServices.Mode,
	}
}

// Meshes lists every mesh.
func (c *Client) Meshes(ctx context.Context) ([]Mesh, error) {
	items, err := list[apiMesh](ctx, c, "/meshes")
	if err != nil {
		return nil, err
	}
	out := make([]Mesh, 0, len(items))
	for _, it := range items {
		out = append(out, it.toMesh())
	}
	return out, nil
}

// Mesh reads one mesh; a missing mesh is an *Error with MeshNotFound.
func (c *Client) Mesh(ctx context.Context, name string) (Mesh, error) {
	seg, err := segment(name)
	if err != nil {
		return Mesh{}, err
	}
	var m apiMesh
	if err := c.get(ctx, "/meshes/"+seg, nil, &m); err != nil {
		return Mesh{}, err
	}
	return m.toMesh(), nil
}
