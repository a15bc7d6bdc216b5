import type { IncomingMessage } from 'node:http';

const DEFAULT_ALLOWED_HEADERS = [
  'X-Parse-Master-Key',
  'X-Parse-REST-API-Key',
  'X-Parse-Javascript-Key',
  'X-Parse-Application-Id',
  'X-Parse-Client-Version',
  'X-Parse-Session-Token',
  'X-Requested-With',
  'X-Parse-Revocable-Session',
  'X-Parse-Request-Id',
  'Content-Type',
  'Pragma',
  'Cache-Control',
];

/** CORS settings, as parse-server's `allowOrigin` / `allowHeaders`. */
export interface CorsOptions {
  readonly allowOrigin?: string | readonly string[];
  readonly allowHeaders?: readonly string[];
}

/**
 * A header list in the form `writeHead` takes fastest: `[name, value, name, value, …]`. Node
 * copies an object of headers through `setHeader`; a list it writes as given.
 */
export type HeaderList = readonly string[];

/** Builds the CORS headers once; the function picks the origin per request. */
export function corsHeaders(options: CorsOptions): (req: IncomingMessage) => HeaderList {
  const rest = [
    'Access-Control-Allow-Methods',
    'GET,PUT,POST,DELETE,OPTIONS',
    'Access-Control-Allow-Headers',
    [...DEFAULT_ALLOWED_HEADERS, ...(options.allowHeaders ?? [])].join(', '),
    'Access-Control-Expose-Headers',
    'X-Parse-Job-Status-Id, X-Parse-Push-Status-Id',
  ];
  const allowOrigin = options.allowOrigin ?? '*';
  if (typeof allowOrigin === 'string') {
    const headers = Object.freeze(['Access-Control-Allow-Origin', allowOrigin, ...rest]);
    return () => headers;
  }
  const allowed = new Set(allowOrigin);
  const first = allowOrigin[0] ?? '*';
  return (req) => {
    const origin = req.headers.origin;
    return ['Access-Control-Allow-Origin', origin && allowed.has(origin) ? origin : first, ...rest];
  };
}
