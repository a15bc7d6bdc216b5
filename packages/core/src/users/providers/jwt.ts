import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { getJson, type HttpsOptions } from './https.js';

/** What an identity token must say. */
export interface JwtExpectations {
  /** Accepted issuers. */
  readonly issuers: readonly string[];
  /** Accepted audiences (the app's client ids). */
  readonly audiences: readonly string[];
  /** The subject: the user's id at the provider. */
  readonly subject: string;
}

/** A verified token's claims. */
export type JwtClaims = Readonly<Record<string, unknown>>;

const ALGORITHMS: Readonly<Record<string, { hash: string; dsaEncoding?: 'ieee-p1363' }>> = {
  RS256: { hash: 'sha256' },
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
};

const KEY_TTL_MS = 3_600_000;

/** Public keys of one issuer, fetched from its JWKS URL and kept for an hour. */
export class KeySet {
  #keys: { fetchedAt: number; byId: Map<string, JsonWebKey> } | undefined;

  constructor(
    private readonly url: string,
    private readonly https: HttpsOptions = {},
  ) {}

  async key(kid: string): Promise<JsonWebKey | undefined> {
    const fresh = this.#keys && Date.now() - this.#keys.fetchedAt < KEY_TTL_MS;
    // An unknown kid after a while may be a rotated key: fetch again (at most once per call).
    if (!fresh || !this.#keys?.byId.has(kid)) await this.#fetch();
    return this.#keys?.byId.get(kid);
  }

  async #fetch(): Promise<void> {
    const document = (await getJson(this.url, this.https)) as { keys?: (JsonWebKey & { kid?: string })[] };
    const byId = new Map<string, JsonWebKey>();
    for (const key of document.keys ?? []) if (typeof key.kid === 'string') byId.set(key.kid, key);
    this.#keys = { fetchedAt: Date.now(), byId };
  }
}

function part(segment: string | undefined): Record<string, unknown> {
  if (!segment) throw new Error('malformed token');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * Verifies a signed identity token (RS256 or ES256) against the issuer's keys and checks its
 * issuer, audience, subject and lifetime.
 * @throws {Error} describing the first check that failed
 */
export async function verifyJwt(token: string, keys: KeySet, expected: JwtExpectations): Promise<JwtClaims> {
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  const header = part(headerPart);
  const claims = part(payloadPart);
  const algorithm = ALGORITHMS[String(header.alg)];
  if (!algorithm) throw new Error(`unsupported token algorithm ${String(header.alg)}`);
  const jwk = await keys.key(String(header.kid));
  if (!jwk) throw new Error('the token was signed with an unknown key');
  const valid = verify(
    algorithm.hash,
    Buffer.from(`${headerPart}.${payloadPart}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: algorithm.dsaEncoding },
    Buffer.from(signaturePart ?? '', 'base64url'),
  );
  if (!valid) throw new Error('the token signature is invalid');
  if (!expected.issuers.includes(String(claims.iss))) throw new Error('the token has another issuer');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((audience) => expected.audiences.includes(String(audience)))) {
    throw new Error('the token is for another app');
  }
  if (String(claims.sub) !== expected.subject) throw new Error('the token is for another user');
  const now = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now) throw new Error('the token has expired');
  return claims;
}
