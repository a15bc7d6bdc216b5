import { describe, expect, it } from 'vitest';
import { embeddedServer } from './embedded-server.js';

describe('aggregation pipelines on the embedded database', () => {
  const { call } = embeddedServer('aggregate', ['--masterKey', 'master', '--readOnlyMasterKey', 'reader']);
  const master = { 'X-Parse-Master-Key': 'master' };
  const pipeline = (stages: unknown[]) => `pipeline=${encodeURIComponent(JSON.stringify(stages))}`;

  it('lets the read-only master key aggregate (parse-server 9 allows it by default), but not a client', async () => {
    await call('POST', '/classes/Tally', master, { n: 1 });
    const stages = pipeline([{ $group: { _id: null, total: { $sum: '$n' } } }]);
    const reader = await call('GET', `/aggregate/Tally?${stages}`, { 'X-Parse-Master-Key': 'reader' });
    expect(reader.body).toEqual({ results: [{ objectId: null, total: 1 }] });
    const distinct = await call('GET', '/aggregate/Tally?distinct=n', { 'X-Parse-Master-Key': 'reader' });
    expect(distinct.body).toEqual({ results: [1] });
    expect((await call('GET', `/aggregate/Tally?${stages}`, {})).status).toBe(403);
    const out = await call('GET', `/aggregate/Tally?${pipeline([{ $out: 'Copy' }])}`, {
      'X-Parse-Master-Key': 'reader',
    });
    expect([out.status, out.body.code]).toEqual([400, 102]);
  });

  it('answers users without their password hash, with the ACL and ISO timestamps', async () => {
    await call('POST', '/users', {}, { username: 'ada', password: 'secret', email: 'ada@example.com' });
    const answer = await call(
      'GET',
      `/aggregate/_User?${pipeline([{ $match: { username: 'ada' } }])}`,
      master,
    );
    expect(answer.status).toBe(200);
    const [user] = answer.body.results;
    expect(user).toMatchObject({ username: 'ada', email: 'ada@example.com', objectId: expect.any(String) });
    expect(typeof user.createdAt).toBe('string');
    expect(user.ACL).toEqual({ [user.objectId]: { read: true, write: true } });
    expect(Object.keys(user).filter((key) => key.startsWith('_') || key === 'password')).toEqual([]);
  });
});

describe('allowAggregationForReadOnlyMasterKey: false', () => {
  const { call } = embeddedServer('aggregate-refused', [
    '--masterKey',
    'master',
    '--readOnlyMasterKey',
    'reader',
    '--allowAggregationForReadOnlyMasterKey',
    'false',
  ]);

  it('refuses the read-only master key with 119, as parse-server', async () => {
    await call('POST', '/classes/Tally', { 'X-Parse-Master-Key': 'master' }, { n: 1 });
    const stages = `pipeline=${encodeURIComponent(JSON.stringify([{ $group: { _id: null, total: { $sum: '$n' } } }]))}`;
    const reader = await call('GET', `/aggregate/Tally?${stages}`, { 'X-Parse-Master-Key': 'reader' });
    expect([reader.status, reader.body]).toEqual([
      400,
      { code: 119, error: 'Cannot run an aggregation pipeline when using the readOnlyMasterKey' },
    ]);
    const master = await call('GET', `/aggregate/Tally?${stages}`, { 'X-Parse-Master-Key': 'master' });
    expect(master.body).toEqual({ results: [{ objectId: null, total: 1 }] });
  });
});
