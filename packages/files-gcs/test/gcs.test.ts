import { generateKeyPairSync } from 'node:crypto';
import { runFilesAdapterSuite } from '@openparse/conformance';
import { ParseErrorCode } from '@openparse/core';
import { GcsFilesAdapter, type GcsFilesAdapterOptions } from '@openparse/files-gcs';
import { afterAll, describe, expect, it } from 'vitest';
import { startGcsEndpoint } from './gcs-endpoint.js';

const endpoint = await startGcsEndpoint();
afterAll(() => endpoint.stop());

// Explicit, throw-away credentials: signing URLs happens locally, nothing asks Google for a token.
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

let count = 0;
const options = (extra: Partial<GcsFilesAdapterOptions> = {}): GcsFilesAdapterOptions => ({
  bucket: endpoint.bucket,
  bucketPrefix: `t${++count}/`,
  projectId: 'openparse-test',
  apiEndpoint: endpoint.apiEndpoint,
  credentials: { client_email: 'tests@openparse-test.iam.gserviceaccount.com', private_key: privateKey },
  ...extra,
});

describe('files-gcs against a loopback JSON-API endpoint', () => {
  runFilesAdapterSuite(async () => new GcsFilesAdapter(options({ directAccess: true })));
});

describe('files-gcs specifics', () => {
  it('signs V4 read URLs locally, and refuses missing files', async () => {
    const adapter = new GcsFilesAdapter(options());
    await adapter.createFile({ name: 'signed.txt', data: Buffer.from('x'), contentType: 'text/plain' });
    const url = new URL(await adapter.createSignedUrl('signed.txt', 60));
    expect(url.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
    expect(url.searchParams.get('X-Goog-Expires')).toBe('60');
    expect(url.pathname).toContain('signed.txt');
    await expect(adapter.createSignedUrl('missing.txt', 60)).rejects.toMatchObject({
      code: ParseErrorCode.OBJECT_NOT_FOUND,
    });
  });

  it('direct access URLs point at the bucket, or at baseUrl', () => {
    const adapter = new GcsFilesAdapter(options({ bucketPrefix: 'p/', directAccess: true }));
    expect(adapter.getFileLocation('a b.txt', '')).toBe(
      `https://storage.googleapis.com/${endpoint.bucket}/p/a%20b.txt`,
    );
    const cdn = new GcsFilesAdapter(
      options({ bucketPrefix: '', directAccess: true, baseUrl: 'https://cdn.example.com' }),
    );
    expect(cdn.getFileLocation('x.png', '')).toBe('https://cdn.example.com/x.png');
  });

  it('talks only to the endpoint it was given, and refuses bad options with [files-gcs]', () => {
    expect(endpoint.requests.length).toBeGreaterThan(0);
    expect(endpoint.requests.every((line) => !line.includes('googleapis.com'))).toBe(true);
    expect(() => new GcsFilesAdapter({} as GcsFilesAdapterOptions)).toThrow(/^\[files-gcs\] bucket/);
    expect(() => new GcsFilesAdapter({ bucket: 'b', apiEndpoint: 'nope' })).toThrow(/apiEndpoint/);
    expect(() => new GcsFilesAdapter({ bucket: 'b', credentials: { client_email: 'x' } as never })).toThrow(
      /credentials/,
    );
  });
});
