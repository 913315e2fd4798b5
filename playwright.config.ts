import type { PluginOptions } from '@grafana/plugin-e2e';
import { defineConfig, devices } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';

const pluginE2eAuth = `${dirname(require.resolve('@grafana/plugin-e2e'))}/auth`;
const grafanaURL = process.env.GRAFANA_URL || 'http://localhost:3000';

// The specs need the docker compose stack (Grafana, kuma-cp, Prometheus).
// Probe Grafana once, in the main process (workers inherit the result via
// the environment), so that without the stack every spec skips with a
// reason instead of failing in the login step. `playwright test --list`
// needs neither Grafana nor browsers.
if (process.env.KUMA_E2E_GRAFANA_DOWN === undefined) {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `fetch(${JSON.stringify(grafanaURL + '/api/health')}, { signal: AbortSignal.timeout(3000) })
        .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
    ],
    { timeout: 5000 }
  );
  process.env.KUMA_E2E_GRAFANA_DOWN = probe.status === 0 ? '' : `Grafana is not reachable at ${grafanaURL}`;
  if (process.env.KUMA_E2E_GRAFANA_DOWN) {
    console.warn(`${process.env.KUMA_E2E_GRAFANA_DOWN}: every e2e spec will be skipped.`);
  }
}
const grafanaDown = Boolean(process.env.KUMA_E2E_GRAFANA_DOWN);

export default defineConfig<PluginOptions>({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 2 : 0,
  reporter: process.env.CI ? 'list' : 'html',
  use: {
    baseURL: grafanaURL,
    trace: 'on-first-retry',
  },
  projects: [
    // Log in to Grafana once and store the cookie for the other tests; left
    // out when Grafana is down, since it cannot be skipped from here.
    ...(grafanaDown ? [] : [{ name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] }]),
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        ...(grafanaDown ? {} : { storageState: 'playwright/.auth/admin.json' }),
      },
      dependencies: grafanaDown ? [] : ['auth'],
    },
  ],
});
