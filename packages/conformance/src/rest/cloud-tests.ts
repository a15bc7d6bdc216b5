import { expect } from 'vitest';
import type { RestClient } from './client.js';
import type { RestHarness } from './harness.js';

/** The class the kit's cloud file puts triggers on. */
const SCORES = 'ConformanceCloudScore';

async function dropClass(api: RestClient, name: string): Promise<void> {
  await api.delete(`/purge/${name}`, { as: 'master' });
  await api.delete(`/schemas/${name}`, { as: 'master' });
}

/** Reads a `_JobStatus` row until the job leaves `running` (jobs run in the background). */
async function jobDone(api: RestClient, id: string) {
  for (;;) {
    const row = await api.get(`/classes/_JobStatus/${id}`, { as: 'master' });
    expect(row.status).toBe(200);
    if (row.body.status !== 'running') return row.body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Cloud functions, validators, triggers and jobs of the kit's cloud file (`restSuiteCloudFile`). */
export function cloudTests({ test }: RestHarness): void {
  test('cloud.function-result', 'POST /functions/:name answers { result }', async ({ api }) => {
    const answer = await api.post('/functions/conformanceHello', {});
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ result: 'Hello world!' });
  });

  test('cloud.function-params', 'the body is the function params', async ({ api }) => {
    const params = { a: 1, nested: { b: [true, 'x'] } };
    expect((await api.post('/functions/conformanceEcho', params)).body).toEqual({ result: params });
  });

  test('cloud.function-unknown', 'an unknown function answers 141', async ({ api }) => {
    const answer = await api.post('/functions/conformanceMissing', {});
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 141, error: 'Invalid function: "conformanceMissing"' });
  });

  test(
    'cloud.function-errors',
    'a thrown string → 141, a Parse.Error keeps its code, an Error → 141',
    async ({ api }) => {
      expect((await api.post('/functions/conformanceThrowsString', {})).body).toEqual({
        code: 141,
        error: 'a plain string',
      });
      expect((await api.post('/functions/conformanceThrowsParseError', {})).body).toEqual({
        code: 137,
        error: 'already there',
      });
      const failed = await api.post('/functions/conformanceThrowsError', {});
      expect(failed.status).toBe(400);
      expect(failed.body.code).toBe(141);
    },
  );

  test(
    'cloud.function-request',
    'the request carries master, installationId, context and decoded params',
    async ({ api }) => {
      const answer = await api.post(
        '/functions/conformanceRequest',
        { when: { __type: 'Date', iso: '2021-01-01T00:00:00.000Z' } },
        {
          headers: { 'X-Parse-Installation-Id': 'conformance-install', 'X-Parse-Cloud-Context': '{"k":"v"}' },
        },
      );
      expect(answer.body.result).toEqual({
        master: false,
        installationId: 'conformance-install',
        functionName: 'conformanceRequest',
        context: { k: 'v' },
        dateParam: true,
      });
      expect((await api.post('/functions/conformanceRequest', {}, { as: 'master' })).body.result.master).toBe(
        true,
      );
    },
  );

  test(
    'cloud.function-encoding',
    'results are Parse JSON: Dates, Pointers, full Parse.Objects',
    async ({ api }) => {
      const className = `ConformanceCloudEncoded_${Math.random().toString(36).slice(2, 8)}`;
      try {
        const { result } = (await api.post('/functions/conformanceEncoded', { className })).body;
        expect(result.when).toEqual({ __type: 'Date', iso: '2020-01-02T03:04:05.000Z' });
        expect(result.pointer).toEqual({ __type: 'Pointer', className, objectId: result.object.objectId });
        expect(result.object).toMatchObject({ __type: 'Object', className, name: 'saved in cloud' });
        expect(typeof result.object.createdAt).toBe('string');
      } finally {
        await dropClass(api, className);
      }
    },
  );

  test(
    'cloud.sdk-in-process',
    'the SDK in cloud code honours useMasterKey; Parse.Cloud.run works',
    async ({ api }) => {
      const className = `ConformanceCloudQuery_${Math.random().toString(36).slice(2, 8)}`;
      try {
        await api.post('/functions/conformanceEncoded', { className });
        await api.put(
          `/schemas/${className}`,
          { className, classLevelPermissions: { find: {}, count: {}, get: {} } },
          { as: 'master' },
        );
        expect((await api.post('/functions/conformanceQuery', { className })).body).toEqual({
          code: 119,
          error: 'Permission denied',
        });
        await api.put(
          `/schemas/${className}`,
          {
            className,
            classLevelPermissions: { find: { '*': true }, count: { '*': true }, get: { '*': true } },
          },
          { as: 'master' },
        );
        expect((await api.post('/functions/conformanceQuery', { className })).body).toEqual({
          result: { withMaster: 1, asPublic: 1 },
        });
        expect((await api.post('/functions/conformanceRun', {})).body).toEqual({ result: 'Hello world!' });
      } finally {
        await dropClass(api, className);
      }
    },
  );

  test(
    'cloud.validators',
    'requireMaster and fields (type, required, default, options) answer 142',
    async ({ api }) => {
      expect((await api.post('/functions/conformanceMasterOnly', {})).body).toEqual({
        code: 142,
        error: 'Validation failed. Master key is required to complete this request.',
      });
      expect((await api.post('/functions/conformanceMasterOnly', {}, { as: 'master' })).body).toEqual({
        result: 'secret',
      });
      expect((await api.post('/functions/conformanceFields', {})).body).toEqual({
        code: 142,
        error: 'Validation failed. Please specify data for name.',
      });
      expect((await api.post('/functions/conformanceFields', { name: 1 })).body).toEqual({
        code: 142,
        error: 'Validation failed. Invalid type for name. Expected: string',
      });
      expect((await api.post('/functions/conformanceFields', { name: 'a', level: 9 })).body).toEqual({
        code: 142,
        error: 'Validation failed. Invalid option for level. Expected: 1, 2, 3',
      });
      expect((await api.post('/functions/conformanceFields', { name: 'a' })).body).toEqual({
        result: { name: 'a', level: 1 },
      });
    },
  );

  test(
    'cloud.before-save',
    'beforeSave changes are stored and answered; a failing afterSave changes nothing',
    async ({ api }) => {
      try {
        const created = await api.post(`/classes/${SCORES}`, { name: 'Alice', score: 10 }, { as: 'master' });
        expect(created.status).toBe(201);
        expect(created.body).toEqual({
          objectId: expect.any(String),
          createdAt: expect.any(String),
          normalizedName: 'alice',
        });
        const id = created.body.objectId;
        const updated = await api.put(`/classes/${SCORES}/${id}`, { score: 20 }, { as: 'master' });
        expect(updated.status).toBe(200);
        expect(updated.body).toMatchObject({ updatedAt: expect.any(String), previousScore: 10 });
        const stored = await api.get(`/classes/${SCORES}/${id}`, { as: 'master' });
        expect(stored.body).toMatchObject({
          name: 'Alice',
          score: 20,
          previousScore: 10,
          normalizedName: 'alice',
        });
      } finally {
        await dropClass(api, SCORES);
      }
    },
  );

  test(
    'cloud.before-save-error',
    'a beforeSave that throws stops the write with 141 or its own code',
    async ({ api }) => {
      try {
        await api.post(`/schemas/${SCORES}`, { className: SCORES }, { as: 'master' });
        expect(
          (await api.post(`/classes/${SCORES}`, { name: 'N', score: -1 }, { as: 'master' })).body,
        ).toEqual({
          code: 141,
          error: 'score must not be negative',
        });
        expect(
          (await api.post(`/classes/${SCORES}`, { name: 'C', cheat: true }, { as: 'master' })).body,
        ).toEqual({
          code: 162,
          error: 'no cheating',
        });
        const count = await api.get(`/classes/${SCORES}`, { as: 'master', query: { count: 1, limit: 0 } });
        expect(count.body.count).toBe(0);
      } finally {
        await dropClass(api, SCORES);
      }
    },
  );

  test('cloud.delete-triggers', 'beforeDelete can refuse a delete', async ({ api }) => {
    try {
      const locked = await api.post(`/classes/${SCORES}`, { name: 'L', locked: true }, { as: 'master' });
      const refused = await api.delete(`/classes/${SCORES}/${locked.body.objectId}`, { as: 'master' });
      expect(refused.body).toEqual({ code: 141, error: 'locked scores cannot be deleted' });
      expect((await api.get(`/classes/${SCORES}/${locked.body.objectId}`, { as: 'master' })).status).toBe(
        200,
      );
      const free = await api.post(`/classes/${SCORES}`, { name: 'F', locked: false }, { as: 'master' });
      expect((await api.delete(`/classes/${SCORES}/${free.body.objectId}`, { as: 'master' })).status).toBe(
        200,
      );
    } finally {
      await dropClass(api, SCORES);
    }
  });

  test(
    'cloud.find-triggers',
    'beforeFind rewrites the query and afterFind changes the results',
    async ({ api }) => {
      try {
        const shown = await api.post(`/classes/${SCORES}`, { name: 'S', score: 5 }, { as: 'master' });
        const hidden = await api.post(`/classes/${SCORES}`, { name: 'Hidden', score: 5 }, { as: 'master' });
        const found = await api.get(`/classes/${SCORES}`, { as: 'master', query: { where: { score: 5 } } });
        // Objects that went through afterFind are answered with their className.
        expect(found.body.results).toEqual([
          expect.objectContaining({ name: 'S', seenByAfterFind: true, className: SCORES }),
        ]);
        const got = await api.get(`/classes/${SCORES}/${shown.body.objectId}`, { as: 'master' });
        expect(got.body).toMatchObject({ name: 'S', seenByAfterFind: true, className: SCORES });
        const missing = await api.get(`/classes/${SCORES}/${hidden.body.objectId}`, { as: 'master' });
        expect(missing.status).toBe(404);
        expect(missing.body.code).toBe(101);
      } finally {
        await dropClass(api, SCORES);
      }
    },
  );

  test(
    'cloud.jobs',
    'POST /jobs/:name answers at once with X-Parse-Job-Status-Id; _JobStatus ends succeeded or failed',
    async ({ api }) => {
      const started = await api.post('/jobs/conformanceJob', {}, { as: 'master' });
      expect(started.status).toBe(200);
      expect(started.body).toEqual({});
      const id = started.headers.get('x-parse-job-status-id');
      expect(id).toEqual(expect.any(String));
      expect(await jobDone(api, id as string)).toMatchObject({
        jobName: 'conformanceJob',
        source: 'api',
        status: 'succeeded',
        message: 'done',
      });
      const failing = await api.post('/jobs/conformanceJob', { fail: true }, { as: 'master' });
      const failed = await jobDone(api, failing.headers.get('x-parse-job-status-id') as string);
      expect(failed).toMatchObject({
        jobName: 'conformanceJob',
        status: 'failed',
        message: 'the job failed',
      });
      expect(failed.finishedAt).toMatchObject({ __type: 'Date' });
    },
  );

  test(
    'cloud.request-user',
    'request.user is the session user; cloud code reads as that user with its session token',
    async ({ api, signUp }) => {
      const user = await signUp('cloudme');
      const anonymous = await api.post('/functions/conformanceWhoAmI', {});
      expect(anonymous.body).toEqual({ result: { user: null } });
      const signedIn = await api.post('/functions/conformanceWhoAmI', {}, { headers: user.headers });
      expect(signedIn.body).toEqual({ result: { user: user.objectId, username: user.username } });
      const refused = await api.post('/functions/conformanceNeedsUser', {});
      expect([refused.status, refused.body]).toEqual([
        400,
        { code: 142, error: 'Validation failed. Please login to continue.' },
      ]);
      const welcomed = await api.post('/functions/conformanceNeedsUser', {}, { headers: user.headers });
      expect(welcomed.body).toEqual({ result: 'welcome' });
    },
  );

  test(
    'cloud.user-keys',
    'request.user carries the stored user; requireUserKeys checks fields of it',
    async ({ api, signUp }) => {
      const user = await signUp('cloudkeys');
      const fields = await api.post('/functions/conformanceUserFields', {}, { headers: user.headers });
      expect(fields.body).toEqual({
        result: { username: user.username, city: null, hasPassword: false, sessionToken: true },
      });
      const missing = await api.post('/functions/conformanceNeedsCity', {}, { headers: user.headers });
      expect([missing.status, missing.body]).toEqual([
        400,
        { code: 142, error: 'Validation failed. Please set data for city on your account.' },
      ]);
      const anonymous = await api.post('/functions/conformanceNeedsCity', {});
      expect([anonymous.status, anonymous.body]).toEqual([
        400,
        { code: 142, error: 'Please login to make this request.' },
      ]);
      const wrongPlan = await api.post('/functions/conformanceNeedsPlan', {}, { headers: user.headers });
      expect([wrongPlan.status, wrongPlan.body]).toEqual([400, { code: 142, error: 'Gold or silver only.' }]);
      const update = await api.put(
        `/users/${user.objectId}`,
        { city: 'Oslo', plan: 'gold' },
        { headers: user.headers },
      );
      expect(update.status).toBe(200);
      const city = await api.post('/functions/conformanceNeedsCity', {}, { headers: user.headers });
      expect(city.body).toEqual({ result: 'Oslo' });
      const plan = await api.post('/functions/conformanceNeedsPlan', {}, { headers: user.headers });
      expect(plan.body).toEqual({ result: 'planned' });
    },
  );

  test(
    'cloud.file-triggers',
    'Parse.File triggers: beforeSave refuses or replaces, afterSave sees the stored file, beforeDelete refuses, beforeFind hides, afterFind forces a download',
    async ({ api }) => {
      const upload = (name: string, body: string) =>
        api.request('POST', `/files/${name}`, {
          as: 'master',
          rawBody: body,
          headers: { 'Content-Type': 'text/plain' },
        });
      const refused = await upload('cloudrefused.txt', 'no');
      expect([refused.status, refused.body]).toEqual([400, { code: 130, error: 'This file is not welcome' }]);

      const replaced = await upload('cloudreplaced.txt', 'twelve bytes');
      expect(replaced.status).toBe(201);
      expect(replaced.body.name).toMatch(/cloudreplacement\.txt$/);
      expect((await api.download(replaced.body.url)).body.toString()).toBe('replaced 12 bytes');

      const logged = await upload('cloudlogged.txt', 'seven b');
      expect(logged.status).toBe(201);
      const log = await api.get('/classes/ConformanceFileLog', {
        query: { where: JSON.stringify({ name: logged.body.name }) },
        as: 'master',
      });
      expect(log.body.results).toHaveLength(1);
      expect(log.body.results[0]).toMatchObject({ name: logged.body.name, size: 7, url: logged.body.url });

      const kept = await upload('cloudkept.txt', 'keep');
      const remove = await api.request('DELETE', `/files/${kept.body.name}`, { as: 'master' });
      expect([remove.status, remove.body]).toEqual([400, { code: 153, error: 'This file stays' }]);
      expect((await api.download(kept.body.url)).status).toBe(200);

      const hidden = await upload('cloudhidden.txt', 'secret');
      const download = await api.download(hidden.body.url);
      expect(download.status).toBe(403);
      expect(JSON.parse(download.body.toString())).toEqual({ code: 119, error: 'Hidden by beforeFind' });

      const attached = await upload('cloudattached.txt', 'take me');
      const saved = await api.download(attached.body.url);
      expect(saved.status).toBe(200);
      expect(saved.body.toString()).toBe('take me');
      expect(saved.headers.get('content-disposition')).toBe(`attachment;filename=${attached.body.name}`);
    },
  );

  test(
    'cloud.user-roles',
    'requireAnyUserRoles lets only users holding one of the roles through',
    async ({ api, signUp }) => {
      const user = await signUp('cloudstaff');
      const refused = await api.post('/functions/conformanceStaffOnly', {}, { headers: user.headers });
      expect([refused.status, refused.body]).toEqual([
        400,
        { code: 142, error: 'Validation failed. User does not match the required roles.' },
      ]);
      const role = await api.post(
        '/roles',
        {
          name: 'ConformanceStaff',
          ACL: { '*': { read: true } },
          users: {
            __op: 'AddRelation',
            objects: [{ __type: 'Pointer', className: '_User', objectId: user.objectId }],
          },
        },
        { as: 'master' },
      );
      expect(role.status).toBe(201);
      try {
        const allowed = await api.post('/functions/conformanceStaffOnly', {}, { headers: user.headers });
        expect(allowed.body).toEqual({ result: 'staff' });
      } finally {
        await api.delete(`/roles/${role.body.objectId}`, { as: 'master' });
      }
    },
  );

  test(
    'cloud.login-triggers',
    'beforeLogin can refuse a login; afterLogin and afterLogout run with the user and the session',
    async ({ api, signUp }) => {
      const blocked = await signUp('cloudblocked');
      const refused = await api.post('/login', { username: blocked.username, password: blocked.password });
      expect([refused.status, refused.body]).toEqual([
        400,
        { code: 141, error: 'Login blocked by beforeLogin' },
      ]);
      const user = await signUp('cloudlog');
      const login = await api.post('/login', { username: user.username, password: user.password });
      expect(login.status).toBe(200);
      const logged = (className: string) =>
        api.get(`/classes/${className}`, { as: 'master', query: { where: { userId: user.objectId } } });
      expect((await logged('ConformanceLoginLog')).body.results).toHaveLength(1);
      await api.post('/logout', {}, { headers: { 'X-Parse-Session-Token': login.body.sessionToken } });
      expect((await logged('ConformanceLogoutLog')).body.results).toHaveLength(1);
      for (const className of ['ConformanceLoginLog', 'ConformanceLogoutLog']) {
        await api.delete(`/purge/${className}`, { as: 'master' });
        await api.delete(`/schemas/${className}`, { as: 'master' });
      }
    },
  );

  test('cloud.jobs-master-only', 'jobs need the master key; an unknown job is 141', async ({ api }) => {
    expect((await api.post('/jobs/conformanceJob', {})).status).toBe(403);
    expect((await api.post('/jobs/conformanceMissing', {}, { as: 'master' })).body).toEqual({
      code: 141,
      error: 'Invalid job.',
    });
  });
}
