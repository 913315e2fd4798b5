/**
 * The checks of models.Settings (pkg/models/settings.go), run in the config
 * editor so a value the health check would reject is marked while typing.
 */

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** isHttpUrl mirrors isHTTPURL in Go: an http or https URL with a host. */
export function isHttpUrl(raw: string): boolean {
  try {
    const u = new URL(raw.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}

/** isLabelName mirrors Prometheus's label name syntax, which the backend enforces on the overrides. */
export function isLabelName(raw: string): boolean {
  return LABEL_NAME.test(raw.trim());
}

/** urlError is the inline error for a URL field; empty fields are left to the required marker. */
export function urlError(raw: string | undefined): string | undefined {
  return raw && raw.trim() !== '' && !isHttpUrl(raw) ? 'Enter an http:// or https:// URL' : undefined;
}

/** labelError is the inline error for a label-name override; empty means the default. */
export function labelError(raw: string | undefined): string | undefined {
  return raw && raw.trim() !== '' && !isLabelName(raw)
    ? 'Not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)'
    : undefined;
}
