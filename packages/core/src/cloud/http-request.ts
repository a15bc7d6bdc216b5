/** The options `Parse.Cloud.httpRequest` takes (Cloud Code guide, "Networking"). */
export interface HttpRequestOptions {
  readonly url: string;
  /** @default 'GET' */
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** A string is sent as is; an object as JSON or a form, after the Content-Type header. */
  readonly body?: unknown;
  /** Query string parameters: an object or an encoded string. */
  readonly params?: Record<string, unknown> | string;
  /** @default false */
  readonly followRedirects?: boolean;
  readonly success?: (response: HttpResponse) => void;
  readonly error?: (response: HttpResponse) => void;
}

/** What `Parse.Cloud.httpRequest` resolves (or rejects, on status ≥ 400) with. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly buffer: Buffer;
  readonly text: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly data: unknown;
  readonly cookies?: Record<string, string>;
}

function encodeBody(
  body: unknown,
  headers: Record<string, string>,
): { body: string | Buffer | undefined; headers: Record<string, string> } {
  if (body === undefined || body === null) return { body: undefined, headers };
  if (typeof body === 'string' || Buffer.isBuffer(body)) return { body, headers };
  const typeKey = Object.keys(headers).find((key) => key.toLowerCase() === 'content-type');
  const form = () => new URLSearchParams(body as Record<string, string>).toString();
  if (!typeKey)
    return { body: form(), headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' } };
  const type = headers[typeKey] ?? '';
  if (/application\/json/i.test(type)) return { body: JSON.stringify(body), headers };
  if (/application\/x-www-form-urlencoded/i.test(type)) return { body: form(), headers };
  return { body: String(body), headers };
}

function cookiesOf(headers: Headers): Record<string, string> | undefined {
  const list = headers.getSetCookie();
  if (list.length === 0) return undefined;
  const cookies: Record<string, string> = {};
  for (const line of list) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    if (at > 0) cookies[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return cookies;
}

/**
 * `Parse.Cloud.httpRequest`: resolves with the response when its status is below 400, rejects
 * with it otherwise; redirects are answered as they are unless `followRedirects` is set.
 */
export async function httpRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  if (!options || typeof options.url !== 'string') {
    throw new TypeError('Parse.Cloud.httpRequest needs a url');
  }
  const url = new URL(options.url);
  if (typeof options.params === 'string') url.search = options.params;
  else if (options.params) {
    for (const [key, value] of Object.entries(options.params)) url.searchParams.append(key, String(value));
  }
  const encoded = encodeBody(options.body, { ...(options.headers ?? {}) });
  const answer = await fetch(url, {
    method: (options.method ?? 'GET').toUpperCase(),
    headers: encoded.headers,
    body: encoded.body,
    redirect: options.followRedirects ? 'follow' : 'manual',
  });
  const buffer = Buffer.from(await answer.arrayBuffer());
  const text = buffer.toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined; // not JSON: `text` and `buffer` carry the body
  }
  const response: HttpResponse = {
    status: answer.status,
    headers: Object.fromEntries(answer.headers.entries()),
    buffer,
    text,
    data,
    cookies: cookiesOf(answer.headers),
  };
  if (answer.status >= 400) {
    options.error?.(response);
    throw response;
  }
  options.success?.(response);
  return response;
}
