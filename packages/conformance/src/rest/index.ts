import { describe } from 'vitest';
import { aclTests } from './acl-tests.js';
import { batchTests } from './batch-tests.js';
import type { RestSuiteTarget } from './client.js';
import { conventionTests } from './convention-tests.js';
import { errorTests } from './error-tests.js';
import { type RestSuiteOptions, restHarness } from './harness.js';
import { installationTests } from './installation-tests.js';
import { objectTests } from './object-tests.js';
import { queryTests } from './query-tests.js';
import { schemaTests } from './schema-tests.js';
import { serverTests } from './server-tests.js';

export { RestClient, type RestAnswer, type RestSuiteTarget } from './client.js';
export type { RestSuiteOptions } from './harness.js';
export type { RestTestId } from './ids.js';

/**
 * Registers the black-box REST suite (vitest) against a running Parse server: ours or
 * parse-server itself. Pass a function when the server starts in `beforeAll`.
 *
 * The server must run with parse-server 9's defaults (allowClientClassCreation false) and
 * accept the master key from the test's address.
 * @example
 * runRestSuite(() => ({ serverURL: server.url, appId: 'app', masterKey: 'master' }));
 */
export function runRestSuite(
  target: RestSuiteTarget | (() => RestSuiteTarget),
  options: RestSuiteOptions = {},
): void {
  describe('rest: objects', () => objectTests(restHarness(target, options)));
  describe('rest: queries', () => queryTests(restHarness(target, options)));
  describe('rest: request conventions', () => conventionTests(restHarness(target, options)));
  describe('rest: ACL and CLP', () => aclTests(restHarness(target, options)));
  describe('rest: batch', () => batchTests(restHarness(target, options)));
  describe('rest: schemas', () => schemaTests(restHarness(target, options)));
  describe('rest: bad input', () => errorTests(restHarness(target, options)));
  describe('rest: server', () => serverTests(restHarness(target, options)));
  describe('rest: installations', () => installationTests(restHarness(target, options)));
}
