import { describe } from 'vitest';
import { advancedQueryTests } from './advanced-query-tests.js';
import { aggregateTests } from './aggregate-tests.js';
import { aclTests } from './acl-tests.js';
import { batchTests } from './batch-tests.js';
import { cloudTests } from './cloud-tests.js';
import { analyticsTests, configTests, hooksTests } from './config-tests.js';
import type { RestSuiteTarget } from './client.js';
import { conventionTests } from './convention-tests.js';
import { errorTests } from './error-tests.js';
import { filesTests } from './files-tests.js';
import { geoTests } from './geo-tests.js';
import { type RestSuiteOptions, restHarness } from './harness.js';
import { installationTests } from './installation-tests.js';
import { objectTests } from './object-tests.js';
import { queryTests } from './query-tests.js';
import { roleTests } from './role-tests.js';
import { schemaTests } from './schema-tests.js';
import { securityTests } from './security-tests.js';
import { serverTests } from './server-tests.js';
import { sessionTests } from './session-tests.js';
import { userTests } from './user-tests.js';

export { restSuiteCloudFile } from './cloud-fixture.js';
export { type DownloadAnswer, RestClient, type RestAnswer, type RestSuiteTarget } from './client.js';
export type { RestSuiteOptions } from './harness.js';
export type { RestTestId } from './ids.js';

/**
 * Registers the black-box REST suite (vitest `describe`/`it`, one `describe` per group) against a
 * running Parse server: OpenParse, or parse-server itself. Requests go over HTTP with the global
 * `fetch`; the suite reads no environment variables and prints nothing.
 *
 * Pass a function when the server starts in `beforeAll`: it is called for every request, never
 * while tests are registered.
 *
 * The server must run with parse-server 9's defaults where the suite depends on them
 * (`allowClientClassCreation: false`, sanitized permission errors, `maxUploadSize` 20mb, public file
 * uploads off, a files adapter configured) and accept
 * the master key from the test's address. Each test creates its own classes with a random suffix
 * and removes them afterwards.
 * @param target where the server is, and its keys.
 * @param options `skip`: test id → reason; a skipped test stays in the report with its reason.
 * @example
 * runRestSuite(() => ({ serverURL: server.url, appId: 'app', masterKey: 'master' }), {
 *   skip: { 'conventions.body-limit': 'this deployment allows 100mb bodies' },
 * });
 */
export function runRestSuite(
  target: RestSuiteTarget | (() => RestSuiteTarget),
  options: RestSuiteOptions = {},
): void {
  describe('rest: objects', () => objectTests(restHarness(target, options)));
  describe('rest: queries', () => queryTests(restHarness(target, options)));
  describe('rest: advanced queries', () => advancedQueryTests(restHarness(target, options)));
  describe('rest: geo queries', () => geoTests(restHarness(target, options)));
  describe('rest: aggregate', () => aggregateTests(restHarness(target, options)));
  describe('rest: request conventions', () => conventionTests(restHarness(target, options)));
  describe('rest: ACL and CLP', () => aclTests(restHarness(target, options)));
  describe('rest: batch', () => batchTests(restHarness(target, options)));
  describe('rest: schemas', () => schemaTests(restHarness(target, options)));
  describe('rest: bad input', () => errorTests(restHarness(target, options)));
  describe('rest: server', () => serverTests(restHarness(target, options)));
  describe('rest: installations', () => installationTests(restHarness(target, options)));
  describe('rest: users', () => userTests(restHarness(target, options)));
  describe('rest: sessions', () => sessionTests(restHarness(target, options)));
  describe('rest: roles', () => roleTests(restHarness(target, options)));
  describe('rest: security', () => securityTests(restHarness(target, options)));
  describe('rest: files', () => filesTests(restHarness(target, options)));
  const settings = () => (typeof target === 'function' ? target() : target);
  // Registered before any server starts: a target function is only read by the tests.
  const cloud = typeof target === 'function' ? options.cloud : (target.cloud ?? options.cloud);
  if (cloud) describe('rest: cloud code', () => cloudTests(restHarness(target, options)));
  else {
    describe.skip('rest: cloud code (skipped: the server does not run the kit cloud file; see restSuiteCloudFile)', () =>
      cloudTests(restHarness(target, options)));
  }
  describe('rest: config', () => configTests(restHarness(target, options)));
  describe('rest: hooks', () => hooksTests(restHarness(target, options), () => settings().webhookKey));
  describe('rest: analytics', () => analyticsTests(restHarness(target, options)));
}
