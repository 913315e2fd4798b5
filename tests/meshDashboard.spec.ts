import { expect, test } from '@grafana/plugin-e2e';

import { skipWithoutGrafana } from './stack';

skipWithoutGrafana();

test('the Kuma Mesh dashboard draws the service map as a node graph', async ({ gotoDashboardPage, page }) => {
  const dashboardPage = await gotoDashboardPage({ uid: 'kuma-mesh-map' });
  await expect(page.getByText('Kuma Mesh').first()).toBeVisible();
  const panel = dashboardPage.getPanelByTitle('Service Map');
  // Grafana's node graph renders each node as <g data-node-id=…>.
  await expect(panel.locator.locator('[data-node-id]').first()).toBeVisible({ timeout: 30000 });
  await expect(panel.locator.getByText(/Cannot visualize graph data/)).toHaveCount(0);
});
