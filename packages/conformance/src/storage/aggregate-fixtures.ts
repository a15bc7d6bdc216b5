import type { AggregateExpression, AggregateStage, StorageAdapter } from '@openparse/core';
import { createClass, object } from './fixtures.js';

export const field = (...path: string[]): AggregateExpression => ({ kind: 'field', path });
export const team = (objectId: string) => ({ __type: 'Pointer', className: 'Team', objectId }) as const;
export const date = (iso: string) => ({ __type: 'Date', iso });

/**
 * Four scores: ann twice for the Reds, bob once for the Blues, and cat with only a name.
 * 2024-01-07 is a Sunday, 2024-02-14 a Wednesday, 2024-02-20 a Tuesday.
 */
export async function seedScores(adapter: StorageAdapter): Promise<void> {
  await createClass(adapter, 'Team', { name: { type: 'String' } });
  await createClass(adapter, 'Score', {
    player: { type: 'String' },
    score: { type: 'Number' },
    team: { type: 'Pointer', targetClass: 'Team' },
    when: { type: 'Date' },
    tags: { type: 'Array' },
    meta: { type: 'Object' },
  });
  await adapter.createObject('Team', object({ objectId: 'reds', name: 'Reds' }));
  await adapter.createObject('Team', object({ objectId: 'blues', name: 'Blues' }));
  const rows = [
    {
      objectId: 'a',
      player: 'ann',
      score: 10,
      team: team('reds'),
      when: new Date('2024-01-07T10:30:15.250Z'),
      tags: ['x', 'y'],
      meta: { level: 1 },
    },
    {
      objectId: 'b',
      player: 'bob',
      score: 20,
      team: team('blues'),
      when: new Date('2024-02-14T08:00:00.000Z'),
      tags: ['y'],
    },
    {
      objectId: 'c',
      player: 'ann',
      score: 30,
      team: team('reds'),
      when: new Date('2024-02-20T23:59:59.000Z'),
      tags: [],
    },
    { objectId: 'd', player: 'cat' },
  ];
  for (const row of rows) await adapter.createObject('Score', object(row));
}

export async function run(
  adapter: StorageAdapter,
  pipeline: AggregateStage[],
): Promise<Record<string, unknown>[]> {
  const rows = await adapter.aggregate?.({ className: 'Score', pipeline });
  if (!rows) throw new Error('aggregate() is missing although capabilities.aggregate is true');
  return rows;
}

export const byScore: AggregateStage = { kind: 'sort', keys: [{ path: ['score'], descending: false }] };
export const byId: AggregateStage = { kind: 'sort', keys: [{ path: ['objectId'], descending: false }] };
