import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A GCS JSON-API endpoint on loopback, in memory: the requests `@google-cloud/storage` makes for
 * multipart uploads, object metadata, media downloads (with `Range`) and deletes, answered as
 * Google documents them (https://cloud.google.com/storage/docs/json_api). No emulator is
 * installable here (fake-gcs-server is Go, the Python emulators come from PyPI), so the test
 * brings its own; it implements only what the adapter uses, and refuses anything else with 501.
 */
export interface GcsEndpoint {
  readonly apiEndpoint: string;
  readonly bucket: string;
  /** Every request line seen, to prove nothing went elsewhere. */
  readonly requests: string[];
  stop(): Promise<void>;
}

interface StoredObject {
  readonly data: Buffer;
  readonly resource: Record<string, unknown>;
}

const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC32C (Castagnoli), big-endian, base64: the `crc32c` field GCS answers. */
function crc32c(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(value));
}

const notFound = (res: ServerResponse) =>
  json(res, 404, { error: { code: 404, message: 'No such object.' } });

/** Splits a multipart/related body into its parts (headers dropped). */
function parts(raw: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const out: Buffer[] = [];
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    // Each part ends with CRLF before the next delimiter.
    out.push(part.subarray(headerEnd + 4, part.length - 2));
    start = next;
  }
  return out;
}

export async function startGcsEndpoint(bucket = 'openparse-test'): Promise<GcsEndpoint> {
  const objects = new Map<string, StoredObject>();
  const requests: string[] = [];
  let generation = 1;
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handle(req, res).catch((error: unknown) =>
      json(res, 500, { error: { code: 500, message: String(error) } }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (upload && req.method === 'POST' && url.searchParams.get('uploadType') === 'multipart') {
      if (decodeURIComponent(upload[1] ?? '') !== bucket) return notFound(res);
      const boundary = /boundary=([^;]+)/.exec(req.headers['content-type'] ?? '')?.[1]?.replace(/"/g, '');
      let raw: Buffer;
      try {
        raw = await body(req);
      } catch {
        return; // the client went away: nothing is stored
      }
      if (!req.complete || !boundary) return json(res, 400, { error: { code: 400, message: 'Bad upload.' } });
      const [metadataPart, media] = parts(raw, boundary);
      if (!metadataPart || !media)
        return json(res, 400, { error: { code: 400, message: 'Bad multipart body.' } });
      const metadata = JSON.parse(metadataPart.toString('utf8')) as Record<string, unknown>;
      const name = String(metadata.name ?? url.searchParams.get('name'));
      const resource = {
        kind: 'storage#object',
        bucket,
        name,
        size: String(media.length),
        generation: String(generation++),
        md5Hash: createHash('md5').update(media).digest('base64'),
        crc32c: crc32c(media),
        ...(metadata.contentType !== undefined && { contentType: metadata.contentType }),
        ...(metadata.metadata !== undefined && { metadata: metadata.metadata }),
      };
      objects.set(name, { data: media, resource });
      return json(res, 200, resource);
    }
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (object) {
      const stored =
        decodeURIComponent(object[1] ?? '') === bucket
          ? objects.get(decodeURIComponent(object[2] ?? ''))
          : undefined;
      if (req.method === 'DELETE') {
        if (!stored) return notFound(res);
        objects.delete(String(stored.resource.name));
        res.writeHead(204);
        res.end();
        return;
      }
      if (req.method === 'GET' && url.searchParams.get('alt') === 'media') {
        if (!stored) return notFound(res);
        const { data } = stored;
        const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
        const headers: Record<string, string> = {
          'Content-Type': String(stored.resource.contentType ?? 'application/octet-stream'),
          'x-goog-hash': `crc32c=${stored.resource.crc32c},md5=${stored.resource.md5Hash}`,
          'x-goog-generation': String(stored.resource.generation),
        };
        if (range) {
          const start = Number(range[1]);
          const end = range[2] ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
          res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${data.length}` });
          res.end(data.subarray(start, end + 1));
          return;
        }
        res.writeHead(200, { ...headers, 'Content-Length': String(data.length) });
        res.end(data);
        return;
      }
      if (req.method === 'GET') return stored ? json(res, 200, stored.resource) : notFound(res);
    }
    json(res, 501, {
      error: { code: 501, message: `not implemented by the test endpoint: ${req.method} ${url.pathname}` },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bucket,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
