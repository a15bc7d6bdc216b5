import { runFilesAdapterSuite } from '@openparse/conformance';
import { ParseErrorCode } from '@openparse/core';
import { S3FilesAdapter, type S3FilesAdapterOptions } from '@openparse/files-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startS3 } from './s3rver.js';

const s3 = await startS3();
afterAll(() => s3.stop());

let count = 0;
const options = (extra: Partial<S3FilesAdapterOptions> = {}): S3FilesAdapterOptions => ({
  bucket: s3.bucket,
  bucketPrefix: `t${++count}/`,
  region: 'us-east-1',
  endpoint: s3.endpoint,
  credentials: s3.credentials,
  // The smallest part S3 accepts: the suite's 8 MiB file goes up as a multipart upload.
  partSize: 5 * 1024 * 1024,
  ...extra,
});

describe('files-s3 against s3rver', () => {
  runFilesAdapterSuite(async () => new S3FilesAdapter(options({ directAccess: true })));
});

describe('files-s3 specifics', () => {
  const text = async (response: Response) => ({ status: response.status, body: await response.text() });

  it('presigned GET URLs read the file without credentials', async () => {
    const adapter = new S3FilesAdapter(options());
    await adapter.createFile({
      name: 'signed.txt',
      data: Buffer.from('signed content'),
      contentType: 'text/plain',
    });
    const url = await adapter.createSignedUrl('signed.txt', 60);
    expect(url).toContain('X-Amz-Signature=');
    expect(await text(await fetch(url))).toEqual({ status: 200, body: 'signed content' });
    await adapter.close();
  });

  it('direct access URLs point at the bucket, or at baseUrl', () => {
    const adapter = new S3FilesAdapter(options({ bucketPrefix: 'p/', directAccess: true }));
    expect(adapter.getFileLocation('a b.txt', 'http://server/files/app/a%20b.txt')).toBe(
      `${s3.endpoint}/${s3.bucket}/p/a%20b.txt`,
    );
    const cdn = new S3FilesAdapter(
      options({ bucketPrefix: 'p/', directAccess: true, baseUrl: 'https://cdn.example.com/' }),
    );
    expect(cdn.getFileLocation('x.png', '')).toBe('https://cdn.example.com/p/x.png');
    const aws = new S3FilesAdapter({ bucket: 'b', region: 'eu-west-1', directAccess: true });
    expect(aws.getFileLocation('x.png', '')).toBe('https://b.s3.eu-west-1.amazonaws.com/x.png');
  });

  it('sends a 12 MiB stream as a multipart upload and reads it back', async () => {
    const adapter = new S3FilesAdapter(options());
    const size = 12 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024);
    async function* body() {
      for (let i = 0; i < size / chunk.length; i += 1) yield chunk.fill(i);
    }
    const { Readable } = await import('node:stream');
    await adapter.createFile({ name: 'big.bin', data: Readable.from(body(), { objectMode: false }) });
    expect((await adapter.getFileInfo('big.bin')).size).toBe(size);
    const tail: Buffer[] = [];
    for await (const part of await adapter.getFileStream('big.bin', { start: size - 3, end: size - 1 }))
      tail.push(part as Buffer);
    expect([...Buffer.concat(tail)]).toEqual([11, 11, 11]);
    await adapter.close();
  }, 60_000);

  it('passes ACL and server-side encryption on, and refuses bad options with [files-s3]', async () => {
    const adapter = new S3FilesAdapter(options({ acl: 'public-read', serverSideEncryption: 'AES256' }));
    await adapter.createFile({ name: 'acl.txt', data: Buffer.from('x') });
    expect((await adapter.getFileInfo('acl.txt')).size).toBe(1);
    await expect(adapter.createSignedUrl('missing.txt', 60)).rejects.toMatchObject({
      code: ParseErrorCode.OBJECT_NOT_FOUND,
    });
    expect(() => new S3FilesAdapter({} as S3FilesAdapterOptions)).toThrow(/^\[files-s3\] bucket/);
    expect(() => new S3FilesAdapter({ bucket: 'b', partSize: 1024 })).toThrow(/partSize/);
    expect(() => new S3FilesAdapter({ bucket: 'b', endpoint: 'not a url' })).toThrow(/endpoint/);
    await adapter.close();
  });
});
