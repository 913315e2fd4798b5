import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Extends the scaffold's config (which must not be edited) with the
// dashboards that plugin.json "includes" lists. They live at the repo top
// level; a missing folder is tolerated here and caught by the archive check.
const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    plugins: [
      new CopyWebpackPlugin({
        patterns: [{ from: '../dashboards/*.json', to: 'dashboards/[name][ext]', noErrorOnMissing: true }],
      }),
    ],
  });
};

export default config;
