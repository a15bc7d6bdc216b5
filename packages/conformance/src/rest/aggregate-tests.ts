import { expect } from 'vitest';
import type { RestAnswer, RestClient } from './client.js';
import type { RestContext, RestHarness } from './harness.js';

interface Seeded {
  readonly scores: string;
  readonly teams: string;
  readonly reds: string;
  readonly blues: string;
}

/**
 * Five scores of the REST guide's GameScore kind: ann and bob play for the Reds, cat for the
 * Blues, and dan has only a name. Two games are in February 2024, on different days.
 */
async function seed({ api, createClass }: RestContext): Promise<Seeded> {
  const teams = await createClass('Team', { name: { type: 'String' } });
  const scores = await createClass('Score', {
    playerName: { type: 'String' },
    score: { type: 'Number' },
    team: { type: 'Pointer', targetClass: teams },
    playedAt: { type: 'Date' },
    tags: { type: 'Array' },
  });
  const reds = (await api.post(`/classes/${teams}`, { name: 'Reds' }, { as: 'master' })).body.objectId;
  const blues = (await api.post(`/classes/${teams}`, { name: 'Blues' }, { as: 'master' })).body.objectId;
  const team = (objectId: string) => ({ __type: 'Pointer', className: teams, objectId });
  const date = (iso: string) => ({ __type: 'Date', iso });
  const rows = [
    {
      playerName: 'ann',
      score: 10,
      team: team(reds),
      playedAt: date('2024-01-07T10:00:00.000Z'),
      tags: ['fast', 'home'],
    },
    {
      playerName: 'ann',
      score: 30,
      team: team(reds),
      playedAt: date('2024-02-14T08:00:00.000Z'),
      tags: ['home'],
    },
    { playerName: 'bob', score: 20, team: team(reds), playedAt: date('2024-02-20T20:00:00.000Z'), tags: [] },
    {
      playerName: 'cat',
      score: 5,
      team: team(blues),
      playedAt: date('2024-03-01T12:00:00.000Z'),
      tags: ['fast'],
    },
    { playerName: 'dan' },
  ];
  for (const row of rows) {
    const created = await api.post(`/classes/${scores}`, row, { as: 'master' });
    if (created.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(created.body)}`);
  }
  return { scores, teams, reds, blues };
}

type Row = Record<string, unknown>;

async function aggregate(api: RestClient, className: string, query: Record<string, unknown>): Promise<Row[]> {
  const answer = await api.get(`/aggregate/${className}`, { as: 'master', query });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.results as Row[];
}

/** Rows ordered by their `objectId` (group keys), for order-free comparisons. */
function byKey(rows: Row[]): Row[] {
  return [...rows].sort((a, b) =>
    JSON.stringify(a.objectId ?? '').localeCompare(JSON.stringify(b.objectId ?? '')),
  );
}

function expectInvalid(answer: RestAnswer): void {
  expect([answer.status, answer.body?.code], JSON.stringify(answer.body)).toEqual([400, 102]);
  expect(typeof answer.body?.error).toBe('string');
}

/** `GET /aggregate/:className`: the REST guide's and parse-server's aggregation pipelines. */
export function aggregateTests({ test }: RestHarness): void {
  test(
    'aggregate.group-sum',
    '$group by a field with $sum of a field and $sum: 1 answers objectId keys',
    async (context) => {
      const { scores } = await seed(context);
      const rows = await aggregate(context.api, scores, {
        pipeline: [{ $group: { _id: '$playerName', total: { $sum: '$score' }, games: { $sum: 1 } } }],
      });
      expect(byKey(rows).map(({ objectId, games }) => ({ objectId, games }))).toEqual([
        { objectId: 'ann', games: 2 },
        { objectId: 'bob', games: 1 },
        { objectId: 'cat', games: 1 },
        { objectId: 'dan', games: 1 },
      ]);
      expect(byKey(rows.filter((row) => row.objectId !== 'dan'))).toEqual([
        { objectId: 'ann', total: 40, games: 2 },
        { objectId: 'bob', total: 20, games: 1 },
        { objectId: 'cat', total: 5, games: 1 },
      ]);
    },
  );

  test('aggregate.sum-missing', '$sum of a field no object of the group has is 0', async (context) => {
    const { scores } = await seed(context);
    const rows = await aggregate(context.api, scores, {
      pipeline: [{ $group: { _id: '$playerName', total: { $sum: '$score' } } }],
    });
    expect(rows.find((row) => row.objectId === 'dan')).toEqual({ objectId: 'dan', total: 0 });
  });

  test(
    'aggregate.match-operators',
    '$match takes the query operators: $exists, $in, $or',
    async (context) => {
      const { scores } = await seed(context);
      const rows = await aggregate(context.api, scores, {
        pipeline: [
          {
            $match: {
              score: { $exists: true },
              $or: [{ playerName: { $in: ['ann', 'cat'] } }, { score: { $gte: 20 } }],
            },
          },
          { $group: { _id: '$playerName', games: { $sum: 1 } } },
        ],
      });
      expect(byKey(rows)).toEqual([
        { objectId: 'ann', games: 2 },
        { objectId: 'bob', games: 1 },
        { objectId: 'cat', games: 1 },
      ]);
    },
  );

  test(
    'aggregate.group-accumulators',
    '$group with $avg, $min and $max of a number field',
    async (context) => {
      const { scores } = await seed(context);
      const rows = await aggregate(context.api, scores, {
        pipeline: [
          {
            $group: {
              _id: null,
              mean: { $avg: '$score' },
              low: { $min: '$score' },
              high: { $max: '$score' },
            },
          },
        ],
      });
      expect(rows).toEqual([{ objectId: null, mean: 16.25, low: 5, high: 30 }]);
    },
  );

  test(
    'aggregate.match-group',
    '$match then $group: a null _id totals the matched objects',
    async (context) => {
      const { scores } = await seed(context);
      const rows = await aggregate(context.api, scores, {
        pipeline: [{ $match: { score: { $gt: 8 } } }, { $group: { _id: null, total: { $sum: '$score' } } }],
      });
      expect(rows).toEqual([{ objectId: null, total: 60 }]);
    },
  );

  test(
    'aggregate.match-pointer-date',
    '$match takes an objectId for a Pointer field and a Date for a Date field',
    async (context) => {
      const { scores, reds } = await seed(context);
      const rows = await aggregate(context.api, scores, {
        pipeline: [
          { $match: { team: reds, playedAt: { $gte: { __type: 'Date', iso: '2024-02-01T00:00:00.000Z' } } } },
          { $group: { _id: '$playerName', total: { $sum: '$score' } } },
        ],
      });
      expect(byKey(rows)).toEqual([
        { objectId: 'ann', total: 30 },
        { objectId: 'bob', total: 20 },
      ]);
    },
  );

  test(
    'aggregate.match-after-group',
    '$match after $group filters the groups by an accumulator',
    async (context) => {
      const { scores } = await seed(context);
      const rows = await aggregate(context.api, scores, {
        pipeline: [
          { $group: { _id: '$playerName', total: { $sum: '$score' } } },
          { $match: { total: { $gte: 20 } } },
        ],
      });
      expect(byKey(rows)).toEqual([
        { objectId: 'ann', total: 40 },
        { objectId: 'bob', total: 20 },
      ]);
    },
  );

  test(
    'aggregate.group-pointer',
    '$group by a Pointer field answers the objectIds as keys',
    async (context) => {
      const { scores, reds, blues } = await seed(context);
      const rows = await aggregate(context.api, scores, {
        pipeline: [{ $group: { _id: '$team', games: { $sum: 1 } } }],
      });
      expect(byKey(rows)).toEqual(
        byKey([
          { objectId: reds, games: 3 },
          { objectId: blues, games: 1 },
          { objectId: null, games: 1 },
        ]),
      );
    },
  );

  test(
    'aggregate.mongo-field-names',
    "MongoDB's column names work as field paths: $_p_<pointer>, $_created_at, _id in $match",
    async (context) => {
      const { scores, reds, blues } = await seed(context);
      const perTeam = await aggregate(context.api, scores, {
        pipeline: [
          { $match: { score: { $gte: 1 } } },
          { $group: { _id: '$_p_team', games: { $sum: 1 }, first: { $min: '$_created_at' } } },
        ],
      });
      expect(byKey(perTeam).map(({ objectId, games }) => ({ objectId, games }))).toEqual(
        byKey([
          { objectId: reds, games: 3 },
          { objectId: blues, games: 1 },
        ]),
      );
      for (const row of perTeam) expect(row.first).toMatchObject({ __type: 'Date' });
      const [one] = (await context.api.get(`/classes/${scores}`, { as: 'master', query: { limit: 1 } })).body
        .results;
      const byObjectId = await aggregate(context.api, scores, {
        pipeline: [{ $match: { _id: one.objectId } }, { $project: { objectId: 1 } }],
      });
      expect(byObjectId).toEqual([{ objectId: one.objectId }]);
    },
  );

  test('aggregate.group-date', '$group by { $year, $month } of a Date field', async (context) => {
    const { scores } = await seed(context);
    const rows = await aggregate(context.api, scores, {
      pipeline: [
        { $match: { playedAt: { $gte: { __type: 'Date', iso: '2000-01-01T00:00:00.000Z' } } } },
        {
          $group: {
            _id: { year: { $year: '$playedAt' }, month: { $month: '$playedAt' } },
            games: { $sum: 1 },
          },
        },
      ],
    });
    expect(byKey(rows)).toEqual(
      byKey([
        { objectId: { year: 2024, month: 1 }, games: 1 },
        { objectId: { year: 2024, month: 2 }, games: 2 },
        { objectId: { year: 2024, month: 3 }, games: 1 },
      ]),
    );
  });

  test(
    'aggregate.date-results',
    'dates computed by a pipeline are answered as Parse Dates',
    async (context) => {
      const { scores } = await seed(context);
      const rows = await aggregate(context.api, scores, {
        pipeline: [{ $group: { _id: null, latest: { $max: '$playedAt' } } }],
      });
      expect(rows).toEqual([{ objectId: null, latest: { __type: 'Date', iso: '2024-03-01T12:00:00.000Z' } }]);
    },
  );

  test('aggregate.project', '$project with objectId: 1 answers only the named fields', async (context) => {
    const { scores } = await seed(context);
    const rows = await aggregate(context.api, scores, {
      pipeline: [{ $match: { playerName: 'ann' } }, { $project: { objectId: 1, playerName: 1, score: 1 } }],
    });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['objectId', 'playerName', 'score']);
      expect(typeof row.objectId).toBe('string');
    }
    expect(rows.map((row) => row.score).sort()).toEqual([10, 30]);
  });

  test('aggregate.project-default-id', '$project keeps objectId unless it is excluded', async (context) => {
    const { scores } = await seed(context);
    const rows = await aggregate(context.api, scores, {
      pipeline: [{ $match: { playerName: 'bob' } }, { $project: { score: 1 } }],
    });
    expect(rows).toEqual([{ objectId: expect.any(String), score: 20 }]);
  });

  test('aggregate.sort-limit', '$sort then $limit answers the top objects in order', async (context) => {
    const { scores } = await seed(context);
    const rows = await aggregate(context.api, scores, {
      pipeline: [{ $match: { score: { $gte: 1 } } }, { $sort: { score: -1 } }, { $limit: 2 }],
    });
    expect(rows.map((row) => [row.playerName, row.score])).toEqual([
      ['ann', 30],
      ['bob', 20],
    ]);
  });

  test('aggregate.sort-skip', '$sort, $skip and $limit page through the objects', async (context) => {
    const { scores } = await seed(context);
    const rows = await aggregate(context.api, scores, {
      pipeline: [{ $match: { score: { $gte: 1 } } }, { $sort: { score: 1 } }, { $skip: 1 }, { $limit: 2 }],
    });
    expect(rows.map((row) => row.score)).toEqual([10, 20]);
  });

  test('aggregate.count', '$count answers one object with the number of matched objects', async (context) => {
    const { scores } = await seed(context);
    const rows = await aggregate(context.api, scores, {
      pipeline: [{ $match: { score: { $gte: 10 } } }, { $count: 'games' }],
    });
    expect(rows).toEqual([{ games: 3 }]);
  });

  test(
    'aggregate.unwind',
    '$unwind makes one object per array element, in string and object form',
    async (context) => {
      const { scores } = await seed(context);
      const perTag = await aggregate(context.api, scores, {
        pipeline: [{ $unwind: '$tags' }, { $group: { _id: '$tags', games: { $sum: 1 } } }],
      });
      expect(byKey(perTag)).toEqual([
        { objectId: 'fast', games: 2 },
        { objectId: 'home', games: 2 },
      ]);
      const kept = await aggregate(context.api, scores, {
        pipeline: [
          { $unwind: { path: '$tags', preserveNullAndEmptyArrays: true } },
          { $group: { _id: null, rows: { $sum: 1 } } },
        ],
      });
      expect(kept).toEqual([{ objectId: null, rows: 6 }]);
    },
  );

  test('aggregate.lookup', '$lookup joins the objects of another class by a pointer', async (context) => {
    const { scores, teams } = await seed(context);
    const rows = await aggregate(context.api, scores, {
      pipeline: [
        { $match: { playerName: 'cat' } },
        { $lookup: { from: teams, localField: 'team', foreignField: 'objectId', as: 'teamObjects' } },
        { $project: { teamObjects: 1 } },
      ],
    });
    expect(rows).toHaveLength(1);
    expect(((rows[0]?.teamObjects ?? []) as Row[]).map((team) => team.name)).toEqual(['Blues']);
  });

  test(
    'aggregate.pipeline-forms',
    'the pipeline as an object, as top-level stages, or in a JS SDK body',
    async (context) => {
      const { scores } = await seed(context);
      const { api } = context;
      const group = { _id: null, total: { $sum: '$score' } };
      expect(await aggregate(api, scores, { pipeline: { $group: group } })).toEqual([
        { objectId: null, total: 65 },
      ]);
      expect(await aggregate(api, scores, { $group: group })).toEqual([{ objectId: null, total: 65 }]);
      const sdk = await api.request('POST', `/aggregate/${scores}`, {
        as: 'none',
        headers: { 'Content-Type': 'text/plain' },
        rawBody: JSON.stringify({
          _method: 'GET',
          _ApplicationId: api.appId,
          _MasterKey: api.settings.masterKey,
          pipeline: [{ $group: group }],
        }),
      });
      expect(sdk.status, JSON.stringify(sdk.body)).toBe(200);
      expect(sdk.body.results).toEqual([{ objectId: null, total: 65 }]);
    },
  );

  test(
    'aggregate.distinct-where',
    'distinct with a where on a pointer answers each value once',
    async (context) => {
      const { scores, teams, reds } = await seed(context);
      const values = await aggregate(context.api, scores, {
        distinct: 'playerName',
        where: { team: { __type: 'Pointer', className: teams, objectId: reds } },
      });
      expect(values.sort()).toEqual(['ann', 'bob']);
    },
  );

  test(
    'aggregate.master-only',
    'GET /aggregate without the master key is refused with 403',
    async (context) => {
      const { scores } = await seed(context);
      const answer = await context.api.get(`/aggregate/${scores}`, {
        query: { pipeline: [{ $group: { _id: null, n: { $sum: 1 } } }] },
      });
      expect(answer.status).toBe(403);
    },
  );

  test('aggregate.bad-stage', 'malformed pipelines are refused with 102 (never a 500)', async (context) => {
    const { scores } = await seed(context);
    const { api } = context;
    const send = (query: Record<string, unknown>) => api.get(`/aggregate/${scores}`, { as: 'master', query });
    expectInvalid(await send({ pipeline: [{ group: { _id: null } }] }));
    expectInvalid(await send({ pipeline: [{ $match: {}, $limit: 1 }] }));
    expectInvalid(await send({ pipeline: [{ $group: { total: { $sum: 1 } } }] }));
    expectInvalid(await send({ pipeline: [{ $group: { objectId: null, total: { $sum: 1 } } }] }));
    expectInvalid(await send({ pipeline: '[{"$group": ' }));
    expectInvalid(await send({ pipeline: [{ $limit: -1 }] }));
  });

  test(
    'aggregate.unknown-operator',
    'an unknown stage or accumulator is refused with 102',
    async (context) => {
      const { scores } = await seed(context);
      const { api } = context;
      const send = (query: Record<string, unknown>) =>
        api.get(`/aggregate/${scores}`, { as: 'master', query });
      expectInvalid(await send({ pipeline: [{ $bogus: {} }] }));
      expectInvalid(await send({ pipeline: [{ $group: { _id: null, total: { $bogus: '$score' } } }] }));
      expectInvalid(await send({ pipeline: [{ $project: { total: { $bogus: '$score' } } }] }));
    },
  );
}
