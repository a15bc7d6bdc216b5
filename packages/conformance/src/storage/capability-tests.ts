import type { Condition } from '@openparse/core';
import { expect } from 'vitest';
import { createClass, ids, object, ref } from './fixtures.js';
import type { StorageHarness } from './harness.js';

const point = (latitude: number, longitude: number) => ({ __type: 'GeoPoint', latitude, longitude }) as const;

async function seedPlaces(adapter: Parameters<Parameters<StorageHarness['test']>[2]>[0]): Promise<void> {
  await createClass(adapter, 'Place', { spot: { type: 'GeoPoint' }, about: { type: 'String' } });
  await adapter.createObject(
    'Place',
    object({ objectId: 'sf', spot: point(37.77, -122.42), about: 'fog and hills' }),
  );
  await adapter.createObject(
    'Place',
    object({ objectId: 'la', spot: point(34.05, -118.24), about: 'sun and traffic' }),
  );
  await adapter.createObject(
    'Place',
    object({ objectId: 'ny', spot: point(40.71, -74.0), about: 'subway and hills' }),
  );
}

/** Full-text search (`capabilities.fullText`). */
export function fullTextTests({ test }: StorageHarness): void {
  test('fulltext.text', 'text conditions match words', async (adapter) => {
    await seedPlaces(adapter);
    const found = await adapter.find({
      className: 'Place',
      where: {
        kind: 'text',
        field: ref('about', 'String'),
        term: 'hills',
        caseSensitive: false,
        diacriticSensitive: false,
      },
    });
    expect(ids(found)).toEqual(['ny', 'sf']);
  });

  const text = (
    term: string,
    extra: { language?: string; caseSensitive?: boolean; diacriticSensitive?: boolean } = {},
  ): Condition => ({
    kind: 'text',
    field: ref('about', 'String'),
    term,
    caseSensitive: false,
    diacriticSensitive: false,
    ...extra,
  });

  test('fulltext.stemming', 'words match their stems in the language given', async (adapter) => {
    await seedPlaces(adapter);
    const found = await adapter.find({ className: 'Place', where: text('hill', { language: 'english' }) });
    expect(ids(found)).toEqual(['ny', 'sf']);
    const none = await adapter.find({ className: 'Place', where: text('hill', { language: 'none' }) });
    expect(ids(none)).toEqual([]);
  });

  test(
    'fulltext.case-and-diacritics',
    'caseSensitive and diacriticSensitive narrow the match',
    async (adapter) => {
      await createClass(adapter, 'Menu', { about: { type: 'String' } });
      await adapter.createObject('Menu', object({ objectId: 'cafe', about: 'Café crème' }));
      const find = async (term: string, extra: Parameters<typeof text>[1] = {}) =>
        ids(
          await adapter.find({
            className: 'Menu',
            where: text(term, extra),
          }),
        );
      expect(await find('cafe')).toEqual(['cafe']);
      expect(await find('cafe', { diacriticSensitive: true })).toEqual([]);
      expect(await find('café', { diacriticSensitive: true })).toEqual(['cafe']);
      expect(await find('Café', { caseSensitive: true })).toEqual(['cafe']);
      expect(await find('café', { caseSensitive: true })).toEqual([]);
    },
  );

  test('fulltext.score', 'score answers and orders by relevance', async (adapter) => {
    await createClass(adapter, 'Doc', { about: { type: 'String' } });
    await adapter.createObject('Doc', object({ objectId: 'once', about: 'a bird in the garden' }));
    await adapter.createObject('Doc', object({ objectId: 'twice', about: 'bird watching: bird after bird' }));
    await adapter.createObject('Doc', object({ objectId: 'never', about: 'a quiet garden' }));
    const found = await adapter.find({
      className: 'Doc',
      where: text('bird'),
      sort: [{ field: '$score', descending: true }],
      score: true,
    });
    expect(found.map((row) => row.objectId)).toEqual(['twice', 'once']);
    expect(typeof found[0]?.score).toBe('number');
    expect(Number(found[0]?.score)).toBeGreaterThan(Number(found[1]?.score));
  });
}
