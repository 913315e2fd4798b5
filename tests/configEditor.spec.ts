import { expect, test } from '@grafana/plugin-e2e';

import { PROVISIONING_FILE, skipWithoutGrafana } from './stack';

skipWithoutGrafana();

test('the provisioned Kuma datasource passes Save & test', async ({
  readProvisionedDataSource,
  gotoDataSourceConfigPage,
}) => {
  const ds = await readProvisionedDataSource({ fileName: PROVISIONING_FILE, name: 'Kuma' });
  expect(ds.uid).toBe('kuma');
  const configPage = await gotoDataSourceConfigPage(ds.uid);
  await expect(configPage.saveAndTest()).toBeOK();
});

test('the config editor shows the control-plane and Prometheus settings', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: PROVISIONING_FILE, name: 'Kuma' });
  await createDataSourceConfigPage({ type: ds.type });
  await expect(page.getByLabel('URL', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Token', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Prometheus URL')).toBeVisible();
  // Label names start collapsed.
  await expect(page.getByLabel('Zone label')).toHaveCount(0);
});

test('Save & test reports an unreachable control plane', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: PROVISIONING_FILE, name: 'Kuma' });
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  // Port 1 on the Grafana host: nothing listens there.
  await page.getByLabel('URL', { exact: true }).fill('http://127.0.0.1:1');
  await page.getByLabel('Prometheus URL').fill('http://127.0.0.1:1');
  await expect(configPage.saveAndTest()).not.toBeOK();
  await expect(configPage).toHaveAlert('error');
});
