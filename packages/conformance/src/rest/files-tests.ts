import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { RestClient } from './client.js';
import type { RestHarness } from './harness.js';

const NAME_PATTERN = /^[0-9a-f]{32}_hello\.txt$/;

/** Uploads with the master key (public uploads are off by default), as the guide's curl does. */
function upload(api: RestClient, name: string, body: string | Uint8Array, contentType: string) {
  return api.request('POST', `/files/${encodeURIComponent(name)}`, {
    as: 'master',
    rawBody: body,
    headers: { 'Content-Type': contentType },
  });
}

/** Deterministic bytes: a large body whose damage would show. */
function bytes(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += 1) out[i] = (i * 131 + (i >>> 10)) & 0xff;
  return out;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The REST guide's Files section, and parse-server 9's answers around it. */
export function filesTests({ test }: RestHarness): void {
  test('files.upload', 'POST /files/hello.txt answers 201 {name, url} with a Location', async ({ api }) => {
    const answer = await upload(api, 'hello.txt', 'Hello, World!', 'text/plain');
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ name: expect.stringMatching(NAME_PATTERN), url: expect.any(String) });
    expect(answer.headers.get('location')).toBe(answer.body.url);
    expect(answer.body.url).toBe(`${api.serverURL}/files/${api.appId}/${answer.body.name}`);
    const file = await api.download(answer.body.url);
    expect(file.status).toBe(200);
    expect(file.body.toString()).toBe('Hello, World!');
    expect(file.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  test(
    'files.upload-binary',
    'an image uploads and downloads byte for byte, as image/jpeg',
    async ({ api }) => {
      const picture = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), bytes(70_000)]);
      const answer = await upload(api, 'pic.jpg', picture, 'image/jpeg');
      expect(answer.status).toBe(201);
      const file = await api.download(answer.body.url);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(/^image\/jpeg/);
      expect(file.body.equals(picture)).toBe(true);
    },
  );

  test('files.download-range', 'a Range request answers 206 with those bytes', async ({ api }) => {
    const answer = await upload(api, 'hello.txt', 'Hello, World!', 'text/plain');
    const file = await api.download(answer.body.url, { Range: 'bytes=0-4' });
    expect(file.status).toBe(206);
    expect(file.body.toString()).toBe('Hello');
    expect(file.headers.get('content-range')).toMatch(/^bytes 0-\d+\/13$/);
  });

  test(
    'files.associate',
    'an uploaded file saved in a File field answers its URL',
    async ({ api, createClass }) => {
      const className = await createClass('PlayerProfile', { picture: { type: 'File' } });
      const uploaded = await upload(api, 'hello.txt', 'Hello, World!', 'text/plain');
      const created = await api.post(`/classes/${className}`, {
        name: 'Andrew',
        picture: { name: uploaded.body.name, __type: 'File' },
      });
      expect(created.status).toBe(201);
      const fetched = await api.get(`/classes/${className}/${created.body.objectId}`);
      expect(fetched.body.picture).toEqual({
        __type: 'File',
        name: uploaded.body.name,
        url: uploaded.body.url,
      });
    },
  );

  test('files.delete', 'DELETE /files/<name> with the master key removes the file', async ({ api }) => {
    const uploaded = await upload(api, 'hello.txt', 'Hello, World!', 'text/plain');
    const deleted = await api.delete(`/files/${uploaded.body.name}`, { as: 'master' });
    expect(deleted.status).toBe(200);
    expect((await api.download(uploaded.body.url)).status).toBe(404);
  });

  test(
    'files.delete-needs-master',
    'DELETE /files/<name> without the master key is refused',
    async ({ api }) => {
      const uploaded = await upload(api, 'hello.txt', 'Hello, World!', 'text/plain');
      const refused = await api.delete(`/files/${uploaded.body.name}`);
      expect(refused.status).toBe(403);
      expect((await api.download(uploaded.body.url)).status).toBe(200);
    },
  );

  test('files.missing', 'a missing file answers 404, and deleting it answers 153', async ({ api }) => {
    const missing = `${'0'.repeat(32)}_never-uploaded.txt`;
    const file = await api.download(`${api.serverURL}/files/${api.appId}/${missing}`);
    expect(file.status).toBe(404);
    const deleted = await api.delete(`/files/${missing}`, { as: 'master' });
    expect(deleted.status).toBe(400);
    expect(deleted.body).toMatchObject({ code: 153 });
  });

  test(
    'files.wrong-app-id',
    'a download under another app id answers 403 Permission denied',
    async ({ api }) => {
      const uploaded = await upload(api, 'hello.txt', 'Hello, World!', 'text/plain');
      const file = await api.download(`${api.serverURL}/files/not-this-app/${uploaded.body.name}`);
      expect(file.status).toBe(403);
      // Sanitized errors (the default): parse-server 9 answers no code here, as for its other 403s.
      expect(JSON.parse(file.body.toString())).toEqual({ error: 'Permission denied' });
    },
  );

  test(
    'files.public-upload-disabled',
    'a client without a user cannot upload by default (130)',
    async ({ api }) => {
      const answer = await api.request('POST', '/files/hello.txt', {
        rawBody: 'Hello, World!',
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ code: 130, error: 'File upload by public is disabled.' });
    },
  );

  test(
    'files.user-upload',
    'a signed-in user may upload by default; an anonymous user may not (130)',
    async ({ api, signUp }) => {
      const user = await signUp('uploader');
      const allowed = await api.request('POST', '/files/mine.txt', {
        rawBody: 'mine',
        headers: { 'Content-Type': 'text/plain', ...user.headers },
      });
      expect(allowed.status).toBe(201);
      const anonymous = await api.post('/users', {
        authData: { anonymous: { id: crypto.randomUUID() } },
      });
      expect(anonymous.status).toBe(201);
      const refused = await api.request('POST', '/files/anon.txt', {
        rawBody: 'anon',
        headers: { 'Content-Type': 'text/plain', 'X-Parse-Session-Token': anonymous.body.sessionToken },
      });
      expect([refused.status, refused.body]).toEqual([
        400,
        { code: 130, error: 'File upload by anonymous user is disabled.' },
      ]);
    },
  );

  test(
    'files.metadata',
    'GET /files/:appId/metadata/:name answers the metadata saved with the file; {} for a missing file',
    async ({ api }) => {
      const answer = await api.jsSdk('POST', '/files/described.txt', {
        base64: Buffer.from('described').toString('base64'),
        _ContentType: 'text/plain',
        fileData: { metadata: { owner: 'me', pages: '3' }, tags: {} },
        _MasterKey: api.masterKey,
      });
      expect(answer.status).toBe(201);
      const metadata = await api.get(`/files/${api.appId}/metadata/${answer.body.name}`);
      expect([metadata.status, metadata.body]).toEqual([200, { metadata: { owner: 'me', pages: '3' } }]);
      const missing = await api.get(`/files/${api.appId}/metadata/nothing-here.txt`);
      expect([missing.status, missing.body]).toEqual([200, {}]);
    },
  );

  test('files.js-sdk-base64', "the JS SDK's base64 JSON body uploads with _ContentType", async ({ api }) => {
    const answer = await api.jsSdk('POST', '/files/sdk.txt', {
      base64: Buffer.from('from the SDK').toString('base64'),
      _ContentType: 'text/plain',
      fileData: { metadata: { owner: 'me' }, tags: {} },
      _MasterKey: api.masterKey,
    });
    expect(answer.status).toBe(201);
    expect(answer.body.name).toMatch(/^[0-9a-f]{32}_sdk\.txt$/);
    expect((await api.download(answer.body.url)).body.toString()).toBe('from the SDK');
  });

  test(
    'files.invalid-name',
    'bad names answer 122: separators, leading dots, symbols, over 128 characters',
    async ({ api }) => {
      for (const name of ['.hidden', 'a$b.txt', `${'x'.repeat(129)}.txt`, 'dir%2Ffile.txt']) {
        const answer = await api.request('POST', `/files/${name}`, {
          as: 'master',
          rawBody: 'x',
          headers: { 'Content-Type': 'text/plain' },
        });
        expect(answer.status, name).toBe(400);
        expect(answer.body, name).toMatchObject({ code: 122 });
      }
    },
  );

  test('files.empty', 'an empty upload answers 130', async ({ api }) => {
    const answer = await upload(api, 'empty.txt', '', 'text/plain');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 130, error: 'Invalid file upload.' });
  });

  test('files.no-name', 'POST /files without a name answers 122', async ({ api }) => {
    const answer = await api.request('POST', '/files', {
      as: 'master',
      rawBody: 'x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 122 });
  });

  test('files.upload-limit', 'an upload over maxUploadSize (20mb) answers 413', async ({ api }) => {
    const answer = await upload(
      api,
      'big.bin',
      Buffer.alloc(20 * 1024 * 1024 + 1),
      'application/octet-stream',
    );
    expect(answer.status).toBe(413);
  });

  test('files.large-upload', 'a 15 MB upload downloads intact', async ({ api }) => {
    const data = bytes(15 * 1024 * 1024);
    const answer = await upload(api, 'large.bin', data, 'application/octet-stream');
    expect(answer.status).toBe(201);
    const file = await api.download(answer.body.url);
    expect(file.headers.get('content-length')).toBe(String(data.length));
    expect(sha256(file.body)).toBe(sha256(data));
  });
}
