/**
 * The unit tier: in-process tests of pure decisions (aggregate, state machine, channel rules,
 * mappers, parsers), no servers and no build, in seconds. `npm run test:unit`. A file belongs here
 * only if it starts nothing: without the global setup there are no FerretDB/NATS to reach.
 */
const base = require('./jest.config');

const UNIT_TESTS = [
  'libs/connector-kit/test/poll-scheduler.spec.ts',
  'libs/connector-kit/test/write-back-pipeline.spec.ts',
  'libs/contracts/test/billbee-mapping.spec.ts',
  'libs/contracts/test/spreadsheet-cells.spec.ts',
  'libs/platform/test/body-excerpt.spec.ts',
  'libs/platform/test/envelope-builder.spec.ts',
  'libs/platform/test/retry-after-backoff.spec.ts',
  'libs/platform/test/sent-together.spec.ts',
  'services/channel-otto/test/mapper.spec.ts',
  'services/mail-ingest/test/file-limits.spec.ts',
  'services/mail-ingest/test/import-job-writes.spec.ts',
  'services/mail-ingest/test/jimdo-mail-parser.spec.ts',
  'services/mail-ingest/test/shop-time.spec.ts',
  'services/mail-ingest/test/store-work-loop.spec.ts',
  'services/orders/test/domain/*.spec.ts',
  'services/webhooks/test/retry-policy.spec.ts',
  'simulators/custom-shop/test/dates.spec.ts',
  'simulators/custom-shop/test/key.spec.ts',
  'simulators/mail-sender/test/fixtures.spec.ts',
];

const { globalSetup: _setup, globalTeardown: _teardown, ...inProcess } = base;

module.exports = { ...inProcess, testMatch: UNIT_TESTS.map((path) => `<rootDir>/${path}`) };
