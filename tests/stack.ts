import { test } from '@grafana/plugin-e2e';

/** PROVISIONING_FILE is the file in provisioning/datasources that creates the Kuma datasource (uid kuma). */
export const PROVISIONING_FILE = 'kuma.yml';

/** skipWithoutGrafana skips the calling spec file when playwright.config.ts found no Grafana. */
export function skipWithoutGrafana() {
  const reason = process.env.KUMA_E2E_GRAFANA_DOWN;
  test.skip(Boolean(reason), `${reason}: start the stack with \`docker compose up --build\` (or set GRAFANA_URL)`);
}
