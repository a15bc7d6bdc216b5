import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

const uuid = () => crypto.randomUUID();
const apnsToken = () =>
  Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

/** `/installations` as the SDKs use it (REST guide: Installations). */
export function installationTests({ test }: RestHarness): void {
  test(
    'installations.create',
    'POST /installations creates an installation as the guide shows',
    async ({ api }) => {
      const installationId = uuid();
      const created = await api.post('/installations', {
        deviceType: 'ios',
        deviceToken: apnsToken(),
        installationId,
        channels: [''],
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ objectId: expect.any(String), createdAt: expect.any(String) });
      const fetched = await api.get(`/installations/${created.body.objectId}`);
      expect(fetched.body).toMatchObject({ deviceType: 'ios', installationId, channels: [''] });
      await api.delete(`/installations/${created.body.objectId}`, { as: 'master' });
    },
  );

  test(
    'installations.upsert-by-installation-id',
    'a second create with the same installationId updates that installation',
    async ({ api }) => {
      const installationId = uuid();
      const first = await api.post('/installations', {
        deviceType: 'android',
        installationId,
        appVersion: '1.0',
      });
      const second = await api.post('/installations', {
        deviceType: 'android',
        installationId,
        appVersion: '2.0',
      });
      expect(second.status).toBe(200);
      const found = await api.get('/installations', { as: 'master', query: { where: { installationId } } });
      expect(found.body.results).toHaveLength(1);
      expect(found.body.results[0]).toMatchObject({ objectId: first.body.objectId, appVersion: '2.0' });
      await api.delete(`/installations/${first.body.objectId}`, { as: 'master' });
    },
  );

  test(
    'installations.token-lowercased',
    'a 64-character (APNs) device token is lower-cased',
    async ({ api }) => {
      const token = apnsToken().toUpperCase();
      const created = await api.post('/installations', {
        deviceType: 'ios',
        deviceToken: token,
        installationId: uuid(),
      });
      expect((await api.get(`/installations/${created.body.objectId}`)).body.deviceToken).toBe(
        token.toLowerCase(),
      );
      await api.delete(`/installations/${created.body.objectId}`, { as: 'master' });
    },
  );

  test(
    'installations.device-token-moves',
    'a device token claimed by another installationId leaves the old installation',
    async ({ api }) => {
      const token = apnsToken();
      const old = await api.post('/installations', {
        deviceType: 'ios',
        deviceToken: token,
        installationId: uuid(),
      });
      const fresh = await api.post('/installations', {
        deviceType: 'ios',
        deviceToken: token,
        installationId: uuid(),
      });
      expect(fresh.status).toBe(201);
      const holders = await api.get('/installations', {
        as: 'master',
        query: { where: { deviceToken: token } },
      });
      expect(holders.body.results.map((row: { objectId: string }) => row.objectId)).toEqual([
        fresh.body.objectId,
      ]);
      expect((await api.get(`/installations/${old.body.objectId}`)).status).toBe(404);
      await api.delete(`/installations/${fresh.body.objectId}`, { as: 'master' });
    },
  );

  test(
    'installations.find-and-delete-need-master',
    'clients may neither list nor delete installations (119)',
    async ({ api }) => {
      const created = await api.post('/installations', { deviceType: 'android', installationId: uuid() });
      const list = await api.get('/installations');
      expect(list.status).toBe(400);
      expect(list.body.code).toBe(119);
      const removal = await api.delete(`/installations/${created.body.objectId}`);
      expect(removal.body.code).toBe(119);
      expect((await api.delete(`/installations/${created.body.objectId}`, { as: 'master' })).status).toBe(
        200,
      );
    },
  );

  test(
    'installations.required-fields',
    'a create without an id or deviceType answers 135',
    async ({ api }) => {
      const noId = await api.post('/installations', { deviceType: 'ios' });
      expect(noId.status).toBe(400);
      expect(noId.body.code).toBe(135);
      const noType = await api.post('/installations', { installationId: uuid() });
      expect(noType.body).toEqual({ code: 135, error: 'deviceType must be specified in this operation' });
    },
  );

  test('installations.immutable-device-type', 'changing deviceType answers 136', async ({ api }) => {
    const created = await api.post('/installations', { deviceType: 'ios', installationId: uuid() });
    const changed = await api.put(`/installations/${created.body.objectId}`, { deviceType: 'android' });
    expect(changed.status).toBe(400);
    expect(changed.body.code).toBe(136);
    await api.delete(`/installations/${created.body.objectId}`, { as: 'master' });
  });

  test(
    'installations.update-channels-badge',
    'a client updates its channels and increments its badge',
    async ({ api }) => {
      const created = await api.post('/installations', {
        deviceType: 'ios',
        installationId: uuid(),
        badge: 1,
      });
      const path = `/installations/${created.body.objectId}`;
      await api.put(path, {
        channels: { __op: 'AddUnique', objects: ['Giants'] },
        badge: { __op: 'Increment', amount: 1 },
      });
      expect((await api.get(path)).body).toMatchObject({ channels: ['Giants'], badge: 2 });
      await api.delete(path, { as: 'master' });
    },
  );

  test(
    'installations.validation',
    'invalid ids, device types, channels and time zones are refused with their codes',
    async ({ api }) => {
      const cases: [Record<string, unknown>, number][] = [
        [{ deviceType: 'ios', installationId: 'not-a-uuid' }, 132],
        [{ deviceType: 'blackberry', installationId: uuid() }, 133],
        [{ deviceType: 'ios', installationId: uuid(), deviceToken: 42 }, 114],
        [{ deviceType: 'ios', installationId: uuid(), channels: 'Giants' }, 134],
        [{ deviceType: 'ios', installationId: uuid(), channels: ['9lives'] }, 112],
        [{ deviceType: 'ios', installationId: uuid(), timeZone: 'Mars/Olympus' }, 111],
      ];
      for (const [body, code] of cases) {
        const answer = await api.post('/installations', body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.code, JSON.stringify(body)).toBe(code);
      }
    },
  );
}
