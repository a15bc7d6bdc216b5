import type { Condition, ParseQuery, StorageAdapter } from '@openparse/core';
import { createClass, GAME_SCORE_FIELDS, ids, object, ref } from './fixtures.js';

/** Field references of the seeded GameScore class. */
export const score = ref('score', 'Number');
export const name = ref('playerName', 'String');
export const tags = ref('tags', 'Array');

/**
 * Seeds Player (p1 red Sean, p2 blue Ann) and GameScore:
 * s1 (10, Sean, [a,b], meta {level 1, name x}, 2020, → p1, public),
 * s2 (20, Ann, [b], meta {level 2}, 2021, → p2, role:Admin only),
 * s3 (30, ANN, [], cheatMode), s4 (no score, Zed, [c,a]).
 */
export async function seed(adapter: StorageAdapter): Promise<void> {
  await createClass(adapter, 'Player', { name: { type: 'String' }, team: { type: 'String' } });
  await createClass(adapter, 'GameScore', GAME_SCORE_FIELDS);
  const players = [
    object({ objectId: 'p1', name: 'Sean', team: 'red' }),
    object({ objectId: 'p2', name: 'Ann', team: 'blue' }),
  ];
  for (const player of players) await adapter.createObject('Player', player);
  const rows = [
    object({
      objectId: 's1',
      score: 10,
      playerName: 'Sean',
      tags: ['a', 'b'],
      meta: { level: 1, name: 'x' },
      when: new Date('2020-01-01T00:00:00Z'),
      player: { __type: 'Pointer', className: 'Player', objectId: 'p1' },
      _rperm: ['*'],
    }),
    object({
      objectId: 's2',
      score: 20,
      playerName: 'Ann',
      tags: ['b'],
      meta: { level: 2 },
      when: new Date('2021-01-01T00:00:00Z'),
      player: { __type: 'Pointer', className: 'Player', objectId: 'p2' },
      _rperm: ['role:Admin'],
    }),
    object({ objectId: 's3', score: 30, playerName: 'ANN', tags: [], cheatMode: true }),
    object({ objectId: 's4', playerName: 'Zed', tags: ['c', 'a'] }),
  ];
  for (const row of rows) await adapter.createObject('GameScore', row);
}

export async function matching(
  adapter: StorageAdapter,
  where: Condition,
  extra: Partial<ParseQuery> = {},
): Promise<string[]> {
  return ids(await adapter.find({ className: 'GameScore', where, ...extra }));
}
