import { expect } from 'vitest';
import type { RestClient } from './client.js';
import type { RestContext, RestHarness } from './harness.js';

async function seed({ api, createClass }: RestContext): Promise<{ teams: string; players: string }> {
  const teams = await createClass('Team', { name: { type: 'String' }, city: { type: 'String' } });
  const players = await createClass('Player', {
    name: { type: 'String' },
    hometown: { type: 'String' },
    team: { type: 'Pointer', targetClass: teams },
    skills: { type: 'Array' },
  });
  const red = (await api.post(`/classes/${teams}`, { name: 'Reds', city: 'Oslo' })).body.objectId;
  const blue = (await api.post(`/classes/${teams}`, { name: 'Blues', city: 'Paris' })).body.objectId;
  const pointer = (objectId: string) => ({ __type: 'Pointer', className: teams, objectId });
  const rows = [
    { name: 'Big Daddy', hometown: 'Oslo', team: pointer(red), skills: ['pass', 'shoot'] },
    { name: 'big mama', hometown: 'Paris', team: pointer(blue), skills: ['pass'] },
    { name: 'Little Joe', hometown: 'Rome', team: pointer(red), skills: ['shoot', 'dribble'] },
  ];
  for (const row of rows) await api.post(`/classes/${players}`, row);
  return { teams, players };
}

async function names(api: RestClient, className: string, where: unknown): Promise<string[]> {
  const answer = await api.get(`/classes/${className}`, { query: { where } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body.results as { name: string }[]).map((row) => row.name).sort();
}

/** The REST guide's advanced queries: regex, arrays, relational and relative time. */
export function advancedQueryTests({ test }: RestHarness): void {
  test(
    'queries.regex',
    '$regex matches with $options, as the guide shows for "Big Daddy"',
    async (context) => {
      const { players } = await seed(context);
      const { api } = context;
      expect(await names(api, players, { name: { $regex: '^Big' } })).toEqual(['Big Daddy']);
      expect(await names(api, players, { name: { $regex: '^big', $options: 'i' } })).toEqual([
        'Big Daddy',
        'big mama',
      ]);
      expect(await names(api, players, { name: { $regex: '\\QDaddy\\E' } })).toEqual(['Big Daddy']);
    },
  );

  test(
    'queries.explain',
    'explain answers the database plan to the master key and 102 to a client',
    async (context) => {
      const { api } = context;
      const { players } = await seed(context);
      const where = JSON.stringify({ hometown: 'Oslo' });
      const plan = await api.get(`/classes/${players}`, { query: { where, explain: 'true' }, as: 'master' });
      expect(plan.status, JSON.stringify(plan.body)).toBe(200);
      expect(Array.isArray(plan.body.results)).toBe(true);
      expect(plan.body.results.length).toBeGreaterThan(0);
      // A plan, not the objects.
      expect(JSON.stringify(plan.body.results)).not.toContain('Big Daddy');
      const refused = await api.get(`/classes/${players}`, { query: { where, explain: 'true' } });
      expect([refused.status, refused.body]).toEqual([
        400,
        { code: 102, error: 'Using the explain query parameter requires the master key' },
      ]);
    },
  );

  test('queries.all-contained-by', '$all and $containedBy compare arrays as sets', async (context) => {
    const { players } = await seed(context);
    const { api } = context;
    expect(await names(api, players, { skills: { $all: ['pass', 'shoot'] } })).toEqual(['Big Daddy']);
    expect(await names(api, players, { skills: { $containedBy: ['pass', 'shoot'] } })).toEqual([
      'Big Daddy',
      'big mama',
    ]);
  });

  test(
    'queries.in-query',
    '$inQuery and $notInQuery match pointers by a query on their class',
    async (context) => {
      const { teams, players } = await seed(context);
      const { api } = context;
      const inner = { className: teams, where: { city: 'Oslo' } };
      expect(await names(api, players, { team: { $inQuery: inner } })).toEqual(['Big Daddy', 'Little Joe']);
      expect(await names(api, players, { team: { $notInQuery: inner } })).toEqual(['big mama']);
    },
  );

  test(
    'queries.select',
    "$select and $dontSelect match a field against a key of another query's results",
    async (context) => {
      const { teams, players } = await seed(context);
      const { api } = context;
      const select = { query: { className: teams, where: {} }, key: 'city' };
      expect(await names(api, players, { hometown: { $select: select } })).toEqual(['Big Daddy', 'big mama']);
      expect(await names(api, players, { hometown: { $dontSelect: select } })).toEqual(['Little Joe']);
    },
  );

  test(
    'queries.relative-time',
    '$relativeTime compares Date fields with a moment relative to now',
    async ({ api, createClass }) => {
      const name = await createClass('Event', { name: { type: 'String' }, at: { type: 'Date' } });
      const inDays = (days: number) => ({
        __type: 'Date',
        iso: new Date(Date.now() + days * 86_400_000).toISOString(),
      });
      await api.post(`/classes/${name}`, { name: 'past', at: inDays(-3) });
      await api.post(`/classes/${name}`, { name: 'soon', at: inDays(1) });
      await api.post(`/classes/${name}`, { name: 'later', at: inDays(10) });
      expect(
        await names(api, name, {
          at: { $gt: { $relativeTime: 'now' }, $lt: { $relativeTime: 'in 2 days' } },
        }),
      ).toEqual(['soon']);
      expect(await names(api, name, { at: { $lt: { $relativeTime: '1 day ago' } } })).toEqual(['past']);
    },
  );

  test(
    'queries.distinct',
    'GET /aggregate with distinct answers each value once (master key)',
    async (context) => {
      const { players } = await seed(context);
      const { api } = context;
      const all = await api.get(`/aggregate/${players}`, { as: 'master', query: { distinct: 'hometown' } });
      expect(all.status).toBe(200);
      expect([...all.body.results].sort()).toEqual(['Oslo', 'Paris', 'Rome']);
      const filtered = await api.get(`/aggregate/${players}`, {
        as: 'master',
        query: { distinct: 'hometown', where: { name: { $regex: '^Big' } } },
      });
      expect(filtered.body.results).toEqual(['Oslo']);
    },
  );

  test(
    'queries.text-search',
    '$text with $search matches words (stemmed), orders by $score and answers score',
    async ({ api, createClass }) => {
      const name = await createClass('Article', { body: { type: 'String' } });
      await api.post(`/classes/${name}`, { title: 'once', body: 'a bird in the garden' }, { as: 'master' });
      await api.post(`/classes/${name}`, { title: 'twice', body: 'birds watching birds' }, { as: 'master' });
      await api.post(`/classes/${name}`, { title: 'never', body: 'a quiet garden' }, { as: 'master' });
      const where = { body: { $text: { $search: { $term: 'bird' } } } };
      const found = await api.get(`/classes/${name}`, {
        query: { where, order: '$score', keys: '$score,title' },
      });
      expect(found.status).toBe(200);
      expect(found.body.results.map((row: { title: string }) => row.title)).toEqual(['twice', 'once']);
      for (const row of found.body.results) expect(typeof row.score).toBe('number');
      const malformed = await api.get(`/classes/${name}`, {
        query: { where: { body: { $text: { $search: 'bird' } } } },
      });
      expect([malformed.status, malformed.body.code]).toEqual([400, 107]);
    },
  );
}
