import { expect, test } from '@grafana/plugin-e2e';

import { PROVISIONING_FILE, skipWithoutGrafana } from './stack';

skipWithoutGrafana();

test('the query type comes first and a meshes query lists the demo mesh', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: PROVISIONING_FILE, name: 'Kuma' });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await row.getByRole('combobox', { name: 'Query type' }).click();
  await page.getByRole('option', { name: 'Meshes' }).click();
  await panelEditPage.setVisualization('Table');
  await expect(panelEditPage.refreshPanel()).toBeOK();
  await expect(panelEditPage.panel.data).toContainText(['default']);
});

test('the mesh picker loads meshes from the control plane', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: PROVISIONING_FILE, name: 'Kuma' });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await expect(row.getByLabel('Rollup regex')).toBeVisible();
  await row.getByRole('combobox', { name: 'Mesh' }).click();
  await expect(page.getByRole('option', { name: 'default' })).toBeVisible();
});
