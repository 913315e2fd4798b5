// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
import { configure } from '@testing-library/react';

// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

// The editors load their pickers asynchronously; on a busy 2-core runner the
// 1 s default of waitFor/findBy is shorter than a render, so tests failed by
// timing rather than by behaviour.
configure({ asyncUtilTimeout: 10000 });
