import { expect } from 'vitest';
import type { RestClient } from './client.js';
import type { RestContext, RestHarness } from './harness.js';

async function seed({ api, createClass }: RestContext): Promise<string> {
  const name = await createClass('GameScore', {
    score: { type: 'Number' },
    playerName: { type: 'String' },
    cheatMode: { type: 'Boolean' },
    skills: { type: 'Array' },
    when: { type: 'Date' },
  });
  const rows = [
    {
      score: 1000,
      playerName: 'Sean Plott',
      cheatMode: false,
      skills: ['a', 'b'],
      when: { __type: 'Date', iso: '2020-01-01T00:00:00.000Z' },
    },
    {
      score: 2000,
      playerName: 'Jonathan Walsh',
      cheatMode: true,
      skills: ['b'],
      when: { __type: 'Date', iso: '2021-01-01T00:00:00.000Z' },
    },
    { score: 3000, playerName: 'Ann', skills: [] },
    { playerName: 'Zed' },
  ];
  for (const row of rows) await api.post(`/classes/${name}`, row);
  return name;
}

async function names(api: RestClient, className: string, query: Record<string, unknown>): Promise<string[]> {
  const answer = await api.get(`/classes/${className}`, { query });
  expect(answer.status).toBe(200);
  return (answer.body.results as { playerName: string }[]).map((row) => row.playerName).sort();
}

/** The REST guide's basic queries. */
export function queryTests({ test }: RestHarness): void {
  test('queries.equality', 'where with plain values matches equal fields', async (context) => {
    const name = await seed(context);
    expect(await names(context.api, name, { where: { playerName: 'Sean Plott', cheatMode: false } })).toEqual(
      ['Sean Plott'],
    );
  });

  test('queries.comparisons', '$lt $lte $gt $gte $ne $eq compare values', async (context) => {
    const name = await seed(context);
    const { api } = context;
    expect(await names(api, name, { where: { score: { $gte: 1000, $lte: 2000 } } })).toEqual([
      'Jonathan Walsh',
      'Sean Plott',
    ]);
    expect(await names(api, name, { where: { score: { $gt: 1000, $lt: 3000 } } })).toEqual([
      'Jonathan Walsh',
    ]);
    expect(await names(api, name, { where: { score: { $ne: 1000 } } })).toEqual([
      'Ann',
      'Jonathan Walsh',
      'Zed',
    ]);
    expect(await names(api, name, { where: { score: { $eq: 3000 } } })).toEqual(['Ann']);
    expect(
      await names(api, name, {
        where: { when: { $gt: { __type: 'Date', iso: '2020-06-01T00:00:00.000Z' } } },
      }),
    ).toEqual(['Jonathan Walsh']);
  });

  test('queries.in-nin-exists', '$in, $nin and $exists', async (context) => {
    const name = await seed(context);
    const { api } = context;
    expect(await names(api, name, { where: { score: { $in: [1000, 3000] } } })).toEqual([
      'Ann',
      'Sean Plott',
    ]);
    const nin = { score: { $nin: [1000, 3000] }, playerName: { $ne: 'Zed' } };
    expect(await names(api, name, { where: nin })).toEqual(['Jonathan Walsh']);
    expect(await names(api, name, { where: { score: { $exists: false } } })).toEqual(['Zed']);
    expect(await names(api, name, { where: { cheatMode: { $exists: true } } })).toEqual([
      'Jonathan Walsh',
      'Sean Plott',
    ]);
  });

  test('queries.nin-missing', '$nin matches objects missing the field, as $ne does', async (context) => {
    const name = await seed(context);
    const { api } = context;
    expect(await names(api, name, { where: { score: { $nin: [1000, 3000] } } })).toEqual([
      'Jonathan Walsh',
      'Zed',
    ]);
    expect(await names(api, name, { where: { score: { $ne: 1000 } } })).toEqual([
      'Ann',
      'Jonathan Walsh',
      'Zed',
    ]);
  });

  test('queries.arrays', 'a value matches arrays containing it', async (context) => {
    const name = await seed(context);
    expect(await names(context.api, name, { where: { skills: 'b' } })).toEqual([
      'Jonathan Walsh',
      'Sean Plott',
    ]);
    expect(await names(context.api, name, { where: { skills: { $in: ['a'] } } })).toEqual(['Sean Plott']);
  });

  test('queries.or-and', '$or and $and combine clauses', async (context) => {
    const name = await seed(context);
    const { api } = context;
    expect(
      await names(api, name, { where: { $or: [{ score: { $gt: 2500 } }, { cheatMode: true }] } }),
    ).toEqual(['Ann', 'Jonathan Walsh']);
    expect(
      await names(api, name, { where: { $and: [{ score: { $gt: 500 } }, { score: { $lt: 1500 } }] } }),
    ).toEqual(['Sean Plott']);
  });

  test('queries.order', 'order sorts by several keys, - for descending', async ({ api, createClass }) => {
    const name = await createClass('GameScore', {
      score: { type: 'Number' },
      playerName: { type: 'String' },
    });
    const rows = [
      { score: 2000, playerName: 'Jonathan Walsh' },
      { score: 1000, playerName: 'Sean Plott' },
      { score: 2000, playerName: 'Amy' },
      { score: 3000, playerName: 'Ann' },
    ];
    for (const row of rows) await api.post(`/classes/${name}`, row);
    const order = async (value: string) =>
      (await api.get(`/classes/${name}`, { query: { order: value } })).body.results.map(
        (row: { playerName: string }) => row.playerName,
      );
    expect(await order('-score,playerName')).toEqual(['Ann', 'Amy', 'Jonathan Walsh', 'Sean Plott']);
    expect(await order('score,-playerName')).toEqual(['Sean Plott', 'Jonathan Walsh', 'Amy', 'Ann']);
    expect(await order('playerName')).toEqual(['Amy', 'Ann', 'Jonathan Walsh', 'Sean Plott']);
  });

  test('queries.limit-skip', 'limit and skip page through results', async (context) => {
    const name = await seed(context);
    const answer = await context.api.get(`/classes/${name}`, {
      query: { order: 'playerName', limit: '2', skip: '1' },
    });
    expect(answer.body.results.map((row: { playerName: string }) => row.playerName)).toEqual([
      'Jonathan Walsh',
      'Sean Plott',
    ]);
    const beyond = await context.api.get(`/classes/${name}`, { query: { skip: '10' } });
    expect(beyond.body).toEqual({ results: [] });
  });

  test(
    'queries.default-limit',
    'without limit a query answers at most 100 objects',
    async ({ api, createClass }) => {
      const name = await createClass('Many', { n: { type: 'Number' } });
      const path = `${api.mountPath}/classes/${name}`;
      await api.post(
        '/batch',
        {
          requests: Array.from({ length: 105 }, (_, n) => ({ method: 'POST', path, body: { n } })),
        },
        { as: 'master' },
      );
      expect((await api.get(`/classes/${name}`)).body.results).toHaveLength(100);
      expect((await api.get(`/classes/${name}`, { query: { limit: '1000' } })).body.results).toHaveLength(
        105,
      );
    },
  );

  test('queries.count', 'count=1 answers the count, with limit=0 only the count', async (context) => {
    const name = await seed(context);
    const { api } = context;
    const counted = await api.get(`/classes/${name}`, {
      query: { where: { score: { $gt: 1500 } }, count: '1', limit: '0' },
    });
    expect(counted.body).toEqual({ results: [], count: 2 });
    const both = await api.get(`/classes/${name}`, { query: { count: '1', limit: '1' } });
    expect(both.body.count).toBe(4);
    expect(both.body.results).toHaveLength(1);
  });

  test('queries.pointer', 'a pointer field is queried with a pointer', async ({ api, createClass }) => {
    const players = await createClass('Player');
    const scores = await createClass('Score');
    const player = await api.post(`/classes/${players}`, { name: 'p' });
    const pointer = { __type: 'Pointer', className: players, objectId: player.body.objectId };
    await api.post(`/classes/${scores}`, { player: pointer, v: 1 });
    await api.post(`/classes/${scores}`, { v: 2 });
    const found = await api.get(`/classes/${scores}`, { query: { where: { player: pointer } } });
    expect(found.body.results.map((row: { v: number }) => row.v)).toEqual([1]);
  });

  test('queries.method-override', "the JS SDK's POST with _method GET runs a query", async (context) => {
    const name = await seed(context);
    const { api } = context;
    const body = {
      _method: 'GET',
      _ApplicationId: api.appId,
      _JavaScriptKey: api.javascriptKey,
      where: { playerName: 'Ann' },
    };
    const answer = await api.request('POST', `/classes/${name}`, {
      rawBody: JSON.stringify(body),
      as: 'none',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((row: { playerName: string }) => row.playerName)).toEqual(['Ann']);
  });

  test(
    'queries.missing-class',
    'a missing class reads as empty for the master key, 119 for clients',
    async ({ api, className }) => {
      const name = className('Nothing');
      const master = await api.get(`/classes/${name}`, { as: 'master' });
      expect(master.status).toBe(200);
      expect(master.body).toEqual({ results: [] });
      const client = await api.get(`/classes/${name}`);
      expect(client.status).toBe(400);
      expect(client.body).toEqual({ code: 119, error: 'Permission denied' });
      expect((await api.get(`/classes/${name}/abcdefghij`)).body.code).toBe(119);
    },
  );

  test(
    'queries.count-master',
    'count with the master key and no constraint is exact',
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      for (const score of [1, 2, 3]) await api.post(`/classes/${name}`, { score });
      const counted = await api.get(`/classes/${name}`, { as: 'master', query: { count: '1', limit: '0' } });
      expect(counted.body).toEqual({ results: [], count: 3 });
    },
  );

  test(
    'queries.built-in-fields',
    "objectId and createdAt are queried like other fields (the guide's Date example)",
    async ({ api, createClass }) => {
      const name = await createClass('GameScore');
      const first = await api.post(`/classes/${name}`, { score: 1 });
      await api.post(`/classes/${name}`, { score: 2 });
      const byId = await api.get(`/classes/${name}`, { query: { where: { objectId: first.body.objectId } } });
      expect(byId.body.results.map((row: { score: number }) => row.score)).toEqual([1]);
      const since = await api.get(`/classes/${name}`, {
        query: {
          where: { createdAt: { $gte: { __type: 'Date', iso: '2011-08-21T18:02:52.249Z' } } },
        },
      });
      expect(since.body.results.map((row: { score: number }) => row.score).sort()).toEqual([1, 2]);
      const future = await api.get(`/classes/${name}`, {
        query: { where: { createdAt: { $gt: { __type: 'Date', iso: '2999-01-01T00:00:00.000Z' } } } },
      });
      expect(future.body.results).toEqual([]);
    },
  );

  test('queries.related-to', '$relatedTo finds the objects in a relation', async ({ api, createClass }) => {
    const posts = await createClass('Post');
    const users = await createClass('Fan');
    const fans = [];
    for (const n of [1, 2, 3]) fans.push((await api.post(`/classes/${users}`, { n })).body.objectId);
    const pointer = (objectId: string) => ({ __type: 'Pointer', className: users, objectId });
    const { body } = await api.post(`/classes/${posts}`, { title: 'x' });
    await api.put(
      `/classes/${posts}/${body.objectId}`,
      { likes: { __op: 'AddRelation', objects: fans.map(pointer) } },
      { as: 'master' },
    );
    await api.put(`/classes/${posts}/${body.objectId}`, {
      likes: { __op: 'RemoveRelation', objects: [pointer(fans[1])] },
    });
    const related = await api.get(`/classes/${users}`, {
      query: {
        where: {
          $relatedTo: {
            object: { __type: 'Pointer', className: posts, objectId: body.objectId },
            key: 'likes',
          },
        },
        order: 'n',
      },
    });
    expect(related.status).toBe(200);
    expect(related.body.results.map((row: { n: number }) => row.n)).toEqual([1, 3]);
  });

  test(
    'queries.include',
    'include replaces a pointer with the whole object',
    async ({ api, createClass }) => {
      const players = await createClass('Player');
      const scores = await createClass('Score');
      const player = await api.post(`/classes/${players}`, { name: 'p' });
      const pointer = { __type: 'Pointer', className: players, objectId: player.body.objectId };
      await api.post(`/classes/${scores}`, { player: pointer });
      const plain = await api.get(`/classes/${scores}`);
      expect(plain.body.results[0].player).toEqual(pointer);
      const included = await api.get(`/classes/${scores}`, { query: { include: 'player' } });
      expect(included.body.results[0].player).toEqual({
        __type: 'Object',
        className: players,
        objectId: player.body.objectId,
        name: 'p',
        createdAt: player.body.createdAt,
        updatedAt: player.body.createdAt,
      });
    },
  );

  test(
    'queries.include-deep',
    'include resolves nested paths, arrays of pointers and every type of the included object; unreadable or missing targets drop the field',
    async ({ api, createClass, signUp }) => {
      const leagues = await createClass('League');
      const teams = await createClass('Team', {
        league: { type: 'Pointer', targetClass: leagues },
      });
      const players = await createClass('Player', {
        team: { type: 'Pointer', targetClass: teams },
        rivals: { type: 'Array' },
      });
      const league = await api.post(`/classes/${leagues}`, { name: 'Premier' });
      const founded = { __type: 'Date', iso: '1901-02-03T04:05:06.789Z' };
      const home = { __type: 'GeoPoint', latitude: 59.91, longitude: 10.75 };
      const team = await api.post(`/classes/${teams}`, {
        name: 'Reds',
        founded,
        home,
        colors: ['red', 'white'],
        meta: { stars: 3, tags: ['a'] },
        active: true,
        budget: 1.5,
        league: { __type: 'Pointer', className: leagues, objectId: league.body.objectId },
      });
      const hidden = await api.post(`/classes/${teams}`, { name: 'Secret', ACL: {} });
      const gone = await api.post(`/classes/${teams}`, { name: 'Gone' });
      await api.delete(`/classes/${teams}/${gone.body.objectId}`, { as: 'master' });
      const teamPointer = (objectId: string) => ({ __type: 'Pointer', className: teams, objectId });
      const user = await signUp('includer');
      const star = await api.post(`/classes/${players}`, {
        name: 'star',
        team: teamPointer(team.body.objectId),
        rivals: [teamPointer(hidden.body.objectId), teamPointer(team.body.objectId)],
      });
      await api.post(`/classes/${players}`, { name: 'secret', team: teamPointer(hidden.body.objectId) });
      await api.post(`/classes/${players}`, { name: 'orphan', team: teamPointer(gone.body.objectId) });
      await api.post(`/classes/${players}`, {
        name: 'free agent',
        ghost: { __type: 'Pointer', className: 'NeverCreated', objectId: 'nobody' },
      });

      const answer = await api.get(`/classes/${players}`, {
        query: { include: 'team.league,rivals', order: 'name' },
        headers: user.headers,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const byName = Object.fromEntries(
        (answer.body.results as { name: string }[]).map((row) => [row.name, row as Record<string, unknown>]),
      );
      const reds = {
        __type: 'Object',
        className: teams,
        objectId: team.body.objectId,
        name: 'Reds',
        founded,
        home,
        colors: ['red', 'white'],
        meta: { stars: 3, tags: ['a'] },
        active: true,
        budget: 1.5,
        league: {
          __type: 'Object',
          className: leagues,
          objectId: league.body.objectId,
          name: 'Premier',
          createdAt: league.body.createdAt,
          updatedAt: league.body.createdAt,
        },
        createdAt: team.body.createdAt,
        updatedAt: team.body.createdAt,
      };
      expect(byName.star?.team).toEqual(reds);
      // An array of pointers loses the element the user may not read.
      expect(((byName.star?.rivals ?? []) as { objectId: string }[]).map((rival) => rival.objectId)).toEqual([
        team.body.objectId,
      ]);
      expect(byName.secret && 'team' in byName.secret).toBe(false);
      expect(byName.orphan && 'team' in byName.orphan).toBe(false);
      expect(byName['free agent'] && 'team' in byName['free agent']).toBe(false);
      // Including a pointer into a class that does not exist: a client may not learn whether it
      // exists (119, as a read of that class answers).
      const ghost = await api.get(`/classes/${players}`, {
        query: { include: 'ghost' },
        headers: user.headers,
      });
      expect([ghost.status, ghost.body]).toEqual([400, { code: 119, error: 'Permission denied' }]);

      // A get includes the same way; includeAll resolves every pointer field.
      const one = await api.get(`/classes/${players}/${star.body.objectId}`, {
        query: { include: 'team' },
        headers: user.headers,
      });
      expect(one.body.team).toMatchObject({ __type: 'Object', objectId: team.body.objectId, name: 'Reds' });
      expect(one.body.team.league).toEqual({
        __type: 'Pointer',
        className: leagues,
        objectId: league.body.objectId,
      });
      const all = await api.get(`/classes/${players}`, {
        query: { includeAll: 'true', where: JSON.stringify({ name: 'star' }) },
      });
      expect(all.body.results[0].team).toMatchObject({ __type: 'Object', name: 'Reds' });
    },
  );
}
