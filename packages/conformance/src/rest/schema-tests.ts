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
    expect(answer.status).toBe(200);
    expect(answer.body.classLevelPermissions).toEqual(clp);
    expect((await api.get(`/schemas/${name}`, { as: 'master' })).body.classLevelPermissions).toEqual(clp);
    const invalid = await api.put(
      `/schemas/${name}`,
      { classLevelPermissions: { dance: { '*': true } } },
      { as: 'master' },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({
      code: 107,
      error: 'dance is not a valid operation for class level permissions',
    });
  });

  test('schemas.indexes', 'PUT adds and deletes indexes', async ({ api, createClass }) => {
    const name = await createClass('City', { name: { type: 'String' } });
    const added = await api.put(`/schemas/${name}`, { indexes: { name_1: { name: 1 } } }, { as: 'master' });
    expect(added.status).toBe(200);
    expect(added.body.indexes).toMatchObject({ name_1: { name: 1 } });
    expect((await api.get(`/schemas/${name}`, { as: 'master' })).body.indexes).toMatchObject({
      name_1: { name: 1 },
    });
    const refused = async (indexes: unknown, error: string) => {
      const answer = await api.put(`/schemas/${name}`, { indexes }, { as: 'master' });
      expect(answer.status, error).toBe(400);
      expect(answer.body).toEqual({ code: 102, error });
    };
    await refused({ name_1: { name: 1 } }, 'Index name_1 exists, cannot update.');
    await refused({ nope_1: { nope: 1 } }, 'Field nope does not exist, cannot add index.');
    await refused({ nope_1: { __op: 'Delete' } }, 'Index nope_1 does not exist, cannot delete.');
    const removed = await api.put(
      `/schemas/${name}`,
      { indexes: { name_1: { __op: 'Delete' } } },
      { as: 'master' },
    );
    expect(removed.status).toBe(200);
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

  test('schemas.master-only', 'schema and purge routes need the master key', async ({ api, createClass }) => {
    const name = await createClass('City');
    const other = `${name}x`;
    for (const answer of [
      await api.get('/schemas'),
      await api.get(`/schemas/${name}`),
      await api.post(`/schemas/${other}`, { className: other }),
      await api.put(`/schemas/${name}`, { fields: { a: { type: 'String' } } }),
      await api.delete(`/schemas/${name}`),
      await api.delete(`/purge/${name}`),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual({ error: 'Permission denied' });
    }
    expect((await api.get(`/schemas/${other}`, { as: 'master' })).body.code).toBe(103);
    expect((await api.get(`/schemas/${name}`, { as: 'master' })).body.fields.a).toBeUndefined();
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
      expect(mismatch.status).toBe(400);
      expect(mismatch.body).toEqual({
        code: 103,
        error: `Class name mismatch between Other and ${name}.`,
      });
      const system = await api.post('/schemas/_Custom', { className: '_Custom' }, { as: 'master' });
      expect(system.status).toBe(400);
      expect(system.body).toEqual({
        code: 103,
        error:
          'Invalid classname: _Custom, classnames can only have alphanumeric characters and _, and must start with an alpha character ',
      });
    },
  );

  test(
    'schemas.required-and-default',
    'required fields are enforced and defaults applied on create, and answered',
    async ({ api, createClass }) => {
      const name = await createClass('Task', {
        title: { type: 'String', required: true },
        status: { type: 'String', defaultValue: 'open' },
        owner: { type: 'String', required: true, defaultValue: 'nobody' },
      });
      const missing = await api.post(`/classes/${name}`, { other: 1 });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ code: 142, error: 'title is required' });
      const created = await api.post(`/classes/${name}`, { title: 'x' });
      expect(created.status).toBe(201);
      // The answer carries the values the server filled in.
      expect(created.body).toEqual({
        objectId: expect.any(String),
        createdAt: expect.any(String),
        status: 'open',
        owner: 'nobody',
      });
      const path = `/classes/${name}/${created.body.objectId}`;
      expect((await api.get(path)).body).toMatchObject({ title: 'x', status: 'open', owner: 'nobody' });
      const given = await api.post(`/classes/${name}`, { title: 'y', status: 'done' });
      expect(given.body).toEqual({
        objectId: expect.any(String),
        createdAt: expect.any(String),
        owner: 'nobody',
      });
      // Defaults apply on create only: null in an update removes the value.
      await api.put(path, { status: null });
      expect((await api.get(path)).body.status).toBeUndefined();
    },
  );

  test(
    'schemas.default-on-null',
    'null for a field with a defaultValue on create gets the default',
    async ({ api, createClass }) => {
      const name = await createClass('Task', { status: { type: 'String', defaultValue: 'open' } });
      const created = await api.post(`/classes/${name}`, { status: null });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'open' });
      expect((await api.get(`/classes/${name}/${created.body.objectId}`)).body.status).toBe('open');
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

  test(
    'schemas.field-types',
    'every field type can be declared and is answered as declared',
    async ({ api, className }) => {
      const target = className('Target');
      await api.post(`/schemas/${target}`, { className: target }, { as: 'master' });
      const name = className('Everything');
      const fields = {
        aString: { type: 'String' },
        aNumber: { type: 'Number' },
        aBoolean: { type: 'Boolean' },
        aDate: { type: 'Date' },
        anObject: { type: 'Object' },
        anArray: { type: 'Array' },
        aGeoPoint: { type: 'GeoPoint' },
        aFile: { type: 'File' },
        someBytes: { type: 'Bytes' },
        aPolygon: { type: 'Polygon' },
        aPointer: { type: 'Pointer', targetClass: target },
        aRelation: { type: 'Relation', targetClass: target },
      };
      const created = await api.post(`/schemas/${name}`, { className: name, fields }, { as: 'master' });
      expect(created.status).toBe(200);
      expect(created.body.fields).toEqual({
        objectId: { type: 'String' },
        createdAt: { type: 'Date' },
        updatedAt: { type: 'Date' },
        ACL: { type: 'ACL' },
        ...fields,
      });
      expect((await api.get(`/schemas/${name}`, { as: 'master' })).body.fields).toEqual(created.body.fields);
      const relation = await api.post(
        `/schemas/${name}x`,
        { className: `${name}x`, fields: { r: { type: 'Relation' } } },
        { as: 'master' },
      );
      expect(relation.body).toEqual({ code: 135, error: 'type Relation needs a class name' });
    },
  );

  test(
    'schemas.one-geopoint',
    'a class holds at most one GeoPoint field: a second answers 111',
    async ({ api, className }) => {
      const name = className('Place');
      const answer = await api.post(
        `/schemas/${name}`,
        { className: name, fields: { home: { type: 'GeoPoint' }, work: { type: 'GeoPoint' } } },
        { as: 'master' },
      );
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        code: 111,
        error:
          'currently, only one GeoPoint field may exist in an object. Adding work when home already exists.',
      });
    },
  );

  test(
    'schemas.default-fields',
    'objectId, createdAt, updatedAt and ACL cannot be declared: 136 on create, 255 on update',
    async ({ api, className, createClass }) => {
      const name = await createClass('City');
      const defaults = { objectId: 'String', createdAt: 'Date', updatedAt: 'Date', ACL: 'ACL' };
      for (const [field, type] of Object.entries(defaults)) {
        const fresh = className('City');
        const created = await api.post(
          `/schemas/${fresh}`,
          { className: fresh, fields: { [field]: { type } } },
          { as: 'master' },
        );
        expect(created.status, field).toBe(400);
        expect(created.body, field).toEqual({ code: 136, error: `field ${field} cannot be added` });
        const retyped = await api.put(
          `/schemas/${name}`,
          { fields: { [field]: { type: type === 'String' ? 'Number' : 'String' } } },
          { as: 'master' },
        );
        expect(retyped.status, field).toBe(400);
        expect(retyped.body, field).toEqual({ code: 255, error: `Field ${field} exists, cannot update.` });
        // Re-declaring a field with its own type changes nothing.
        const same = await api.put(`/schemas/${name}`, { fields: { [field]: { type } } }, { as: 'master' });
        expect(same.status, field).toBe(200);
      }
    },
  );

  test(
    'schemas.missing-class',
    'PUT on a missing class answers 103; DELETE and purge of a missing class answer {}',
    async ({ api, className }) => {
      const name = className('Missing');
      const put = await api.put(`/schemas/${name}`, { fields: { a: { type: 'String' } } }, { as: 'master' });
      expect(put.status).toBe(400);
      expect(put.body).toEqual({ code: 103, error: `Class ${name} does not exist.` });
      for (const path of [`/schemas/${name}`, `/purge/${name}`]) {
        const answer = await api.delete(path, { as: 'master' });
        expect(answer.status, path).toBe(200);
        expect(answer.body, path).toEqual({});
      }
    },
  );

  test(
    'schemas.purge',
    'DELETE /purge/:className removes every object and keeps the class',
    async ({ api, createClass }) => {
      const name = await createClass('City', { name: { type: 'String' } });
      for (const city of ['a', 'b', 'c']) await api.post(`/classes/${name}`, { name: city });
      await api.post(`/classes/${name}`, { name: 'hidden', ACL: {} });
      const purged = await api.delete(`/purge/${name}`, { as: 'master' });
      expect(purged.status).toBe(200);
      expect(purged.body).toEqual({});
      const left = await api.get(`/classes/${name}`, {
        as: 'master',
        query: { where: { name: { $exists: true } } },
      });
      expect(left.body).toEqual({ results: [] });
      expect((await api.get(`/schemas/${name}`, { as: 'master' })).body.fields.name).toEqual({
        type: 'String',
      });
    },
  );

  test(
    'schemas.delete-field-data',
    'deleting a field removes its values from existing objects',
    async ({ api, createClass }) => {
      const name = await createClass('City', { name: { type: 'String' }, area: { type: 'Number' } });
      const { body } = await api.post(`/classes/${name}`, { name: 'a', area: 5 });
      await api.put(`/schemas/${name}`, { fields: { area: { __op: 'Delete' } } }, { as: 'master' });
      const fetched = await api.get(`/classes/${name}/${body.objectId}`);
      expect(fetched.body.area).toBeUndefined();
      expect(fetched.body.name).toBe('a');
      const readded = await api.put(
        `/schemas/${name}`,
        { fields: { area: { type: 'String' } } },
        { as: 'master' },
      );
      expect(readded.body.fields.area).toEqual({ type: 'String' });
      expect((await api.get(`/classes/${name}/${body.objectId}`)).body.area).toBeUndefined();
    },
  );

  test(
    'schemas.default-value-type',
    'a defaultValue of another type than its field answers 111',
    async ({ api, className }) => {
      const name = className('Task');
      const answer = await api.post(
        `/schemas/${name}`,
        { className: name, fields: { priority: { type: 'Number', defaultValue: 'high' } } },
        { as: 'master' },
      );
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        code: 111,
        error: `schema mismatch for ${name}.priority default value; expected Number but got String`,
      });
    },
  );

  test(
    'schemas.required-on-update',
    'a required field cannot be unset: null or Delete answers 142',
    async ({ api, createClass }) => {
      const name = await createClass('Task', { title: { type: 'String', required: true } });
      const { body } = await api.post(`/classes/${name}`, { title: 'x' });
      const path = `/classes/${name}/${body.objectId}`;
      for (const title of [null, { __op: 'Delete' }]) {
        const answer = await api.put(path, { title });
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({ code: 142, error: 'title is required' });
      }
      expect((await api.put(path, { other: 1 })).status).toBe(200);
      expect((await api.get(path)).body.title).toBe('x');
    },
  );
}
