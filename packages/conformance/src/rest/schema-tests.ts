import { expect } from 'vitest';
import type { RestHarness } from './harness.js';

const DEFAULT_CLP = {
  ACL: { '*': { read: true, write: true } },
  find: { '*': true },
  count: { '*': true },
  get: { '*': true },
  create: { '*': true },
  update: { '*': true },
  delete: { '*': true },
  addField: { '*': true },
  protectedFields: { '*': [] },
};

/** `/schemas` and `/purge`. */
export function schemaTests({ test }: RestHarness): void {
  test(
    'schemas.create',
    'POST /schemas/:className creates a class and answers its schema',
    async ({ api, className }) => {
      const name = className('City');
      const answer = await api.post(
        `/schemas/${name}`,
        { className: name, fields: { name: { type: 'String' }, population: { type: 'Number' } } },
        { as: 'master' },
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        className: name,
        fields: {
          objectId: { type: 'String' },
          createdAt: { type: 'Date' },
          updatedAt: { type: 'Date' },
          ACL: { type: 'ACL' },
          name: { type: 'String' },
          population: { type: 'Number' },
        },
        classLevelPermissions: DEFAULT_CLP,
      });
    },
  );

  test(
    'schemas.get-and-list',
    'GET /schemas lists classes and GET /schemas/:className answers one',
    async ({ api, createClass }) => {
      const name = await createClass('City', { name: { type: 'String' } });
      const one = await api.get(`/schemas/${name}`, { as: 'master' });
      expect(one.body).toMatchObject({ className: name, fields: { name: { type: 'String' } } });
      const all = await api.get('/schemas', { as: 'master' });
      expect(all.body.results.map((schema: { className: string }) => schema.className)).toContain(name);
      const missing = await api.get('/schemas/DoesNotExistAnywhere', { as: 'master' });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ code: 103, error: 'Class DoesNotExistAnywhere does not exist.' });
    },
  );

  test('schemas.update-fields', 'PUT adds and deletes fields', async ({ api, createClass }) => {
    const name = await createClass('City', { name: { type: 'String' } });
    const added = await api.put(
      `/schemas/${name}`,
      { fields: { area: { type: 'Number' }, name: { __op: 'Delete' } } },
      { as: 'master' },
    );
    expect(added.status).toBe(200);
    expect(added.body.fields.area).toEqual({ type: 'Number' });
    expect(added.body.fields.name).toBeUndefined();
    const same = await api.put(
      `/schemas/${name}`,
      { fields: { area: { type: 'Number' } } },
      { as: 'master' },
    );
    expect(same.status).toBe(200);
    const again = await api.put(
      `/schemas/${name}`,
      { fields: { area: { type: 'String' } } },
      { as: 'master' },
    );
    expect(again.body).toEqual({ code: 255, error: 'Field area exists, cannot update.' });
    const gone = await api.put(
      `/schemas/${name}`,
      { fields: { nope: { __op: 'Delete' } } },
      { as: 'master' },
    );
    expect(gone.body).toEqual({ code: 255, error: 'Field nope does not exist, cannot delete.' });
  });

  test('schemas.clp', 'PUT replaces class-level permissions', async ({ api, createClass }) => {
    const name = await createClass('City');
    const clp = { ...DEFAULT_CLP, find: { 'role:Admin': true } };
    const answer = await api.put(`/schemas/${name}`, { classLevelPermissions: clp }, { as: 'master' });
    expect(answer.body.classLevelPermissions).toMatchObject({ find: { 'role:Admin': true } });
    const invalid = await api.put(
      `/schemas/${name}`,
      { classLevelPermissions: { dance: { '*': true } } },
      { as: 'master' },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe(107);
  });

  test('schemas.indexes', 'PUT adds and deletes indexes', async ({ api, createClass }) => {
    const name = await createClass('City', { name: { type: 'String' } });
    const added = await api.put(`/schemas/${name}`, { indexes: { name_1: { name: 1 } } }, { as: 'master' });
    expect(added.status).toBe(200);
    expect(added.body.indexes).toMatchObject({ name_1: { name: 1 } });
    const removed = await api.put(
      `/schemas/${name}`,
      { indexes: { name_1: { __op: 'Delete' } } },
      { as: 'master' },
    );
    expect(removed.body.indexes?.name_1).toBeUndefined();
  });

  test(
    'schemas.delete-non-empty',
    'DELETE answers 255 while the class holds objects, then succeeds after purge',
    async ({ api, createClass }) => {
      const name = await createClass('City');
      await api.post(`/classes/${name}`, { a: 1 });
      const refused = await api.delete(`/schemas/${name}`, { as: 'master' });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        code: 255,
        error: `Class ${name} is not empty, contains 1 objects, cannot drop schema.`,
      });
      expect((await api.delete(`/purge/${name}`, { as: 'master' })).status).toBe(200);
      expect((await api.delete(`/schemas/${name}`, { as: 'master' })).body).toEqual({});
      expect((await api.get(`/schemas/${name}`, { as: 'master' })).body.code).toBe(103);
    },
  );

  test('schemas.master-only', 'schema routes need the master key', async ({ api, createClass }) => {
    const name = await createClass('City');
    for (const answer of [
      await api.get('/schemas'),
      await api.get(`/schemas/${name}`),
      await api.delete(`/schemas/${name}`),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ error: 'Permission denied' });
    }
  });

  test('schemas.exists', 'creating an existing class answers 103', async ({ api, createClass }) => {
    const name = await createClass('City');
    const answer = await api.post(`/schemas/${name}`, { className: name }, { as: 'master' });
    expect(answer.body).toEqual({ code: 103, error: `Class ${name} already exists.` });
  });

  test(
    'schemas.invalid-definitions',
    'bad class names, field names and types answer their codes',
    async ({ api, className }) => {
      const bad = await api.post('/schemas/1Bad', { className: '1Bad' }, { as: 'master' });
      expect(bad.body.code).toBe(103);
      const name = className('City');
      const field = await api.post(
        `/schemas/${name}`,
        { className: name, fields: { '-x': { type: 'String' } } },
        { as: 'master' },
      );
      expect(field.body.code).toBe(105);
      const type = await api.post(
        `/schemas/${name}`,
        { className: name, fields: { x: { type: 'Nope' } } },
        { as: 'master' },
      );
      expect(type.body).toEqual({ code: 111, error: 'invalid field type: Nope' });
      const pointer = await api.post(
        `/schemas/${name}`,
        { className: name, fields: { x: { type: 'Pointer' } } },
        { as: 'master' },
      );
      expect(pointer.body).toEqual({ code: 135, error: 'type Pointer needs a class name' });
      const mismatch = await api.post(`/schemas/${name}`, { className: 'Other' }, { as: 'master' });
      expect(mismatch.body.code).toBe(103);
    },
  );

  test(
    'schemas.required-and-default',
    'required fields are enforced and defaults applied on create',
    async ({ api, createClass }) => {
      const name = await createClass('Task', {
        title: { type: 'String', required: true },
        status: { type: 'String', defaultValue: 'open' },
      });
      const missing = await api.post(`/classes/${name}`, { other: 1 });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ code: 142, error: 'title is required' });
      const created = await api.post(`/classes/${name}`, { title: 'x' });
      expect((await api.get(`/classes/${name}/${created.body.objectId}`)).body).toMatchObject({
        title: 'x',
        status: 'open',
      });
    },
  );

  test(
    'schemas.type-conflict',
    'saving a value of another type answers 111',
    async ({ api, createClass }) => {
      const name = await createClass('City', { population: { type: 'Number' } });
      const answer = await api.post(`/classes/${name}`, { population: 'many' });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        code: 111,
        error: `schema mismatch for ${name}.population; expected Number but got String`,
      });
    },
  );
}
