/**
 * The checks of models.Settings (pkg/models/settings.go, rules.go), run in
 * the config editor so a value the health check would reject is marked while
 * typing. testdata/agreement/ holds the cases both must answer alike.
 */

import { HTTP_URL_PATTERN, LABEL_NAME_PATTERN } from './generated/models';

const LABEL_NAME = new RegExp(LABEL_NAME_PATTERN);
const HTTP_URL = new RegExp(HTTP_URL_PATTERN);

/**
 * isHttpUrl is models.IsHTTPURL: the shape of HTTP_URL_PATTERN (where Go's
 * and the browser's URL parsers agree) and a URL the browser parses, with a
 * host. Values are trimmed, as models.LoadSettings trims them.
 */
export function isHttpUrl(raw: string): boolean {
  const v = raw.trim();
  if (!HTTP_URL.test(v)) {
    return false;
  }
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** isLabelName is models.IsLabelName (Prometheus's label name syntax), on the trimmed value. */
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
