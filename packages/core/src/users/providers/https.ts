import { request } from 'node:https';

/** How a provider reaches its API. */
export interface HttpsOptions {
  /** Extra trusted certificate authorities (PEM), for a private endpoint. */
  readonly ca?: string | readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

const MAX_BYTES = 1 << 20;

/** GETs a JSON document over HTTPS. Rejects on a non-2xx status, a timeout or a body over 1 MB. */
export function getJson(url: string, options: HttpsOptions = {}): Promise<unknown> {
  const target = new URL(url);
  if (target.protocol !== 'https:') return Promise.reject(new Error(`${url} is not an https URL`));
  return new Promise((resolve, reject) => {
    const call = request(
      target,
      {
        method: 'GET',
        headers: { Accept: 'application/json', 'User-Agent': 'OpenParse', ...options.headers },
        ca: options.ca === undefined ? undefined : ([] as string[]).concat(options.ca),
        timeout: options.timeoutMs ?? 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BYTES) response.destroy(new Error(`${target.host} answered more than 1 MB`));
          else chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            reject(new Error(`${target.host}${target.pathname} answered ${status}`));
            return;
          }
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    call.on('timeout', () => call.destroy(new Error(`${target.host} did not answer in time`)));
    call.on('error', reject);
    call.end();
  });
}
