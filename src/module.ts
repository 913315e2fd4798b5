import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { KumaOptions, KumaQuery, KumaSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<DataSource, KumaQuery, KumaOptions, KumaSecureJsonData>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
