import { CustomVariableSupport, DataQueryRequest, DataQueryResponse } from '@grafana/data';
import { Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import { KumaQuery } from './types';

/**
 * KumaVariableSupport runs variable queries through the backend's list query
 * types. Each list frame's first string field is the name, which Grafana
 * takes as the variable's values.
 */
export class KumaVariableSupport extends CustomVariableSupport<DataSource, KumaQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<KumaQuery>): Observable<DataQueryResponse> {
    return this.datasource.query(request);
  }
}
