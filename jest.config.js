// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  // userEvent types key by key; on a busy 2-core CI runner the 5 s default is tight.
  testTimeout: 20000,
  transform: {
    ...base.transform,
    // @grafana/ui pulls in d3 packages that ship only ES modules (.mjs); the
    // scaffold's transform covers .js/.ts only.
    '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'],
  },
};
