import { createHmac } from 'node:crypto';
import type { JsonObject } from '../../encoding/values.js';
import { ParseError, ParseErrorCode } from '../../errors.js';
import type { AuthProvider } from '../auth-data.js';
import { getJson, type HttpsOptions } from './https.js';
import { KeySet, verifyJwt } from './jwt.js';

/**
 * Options every built-in provider understands besides its own: `apiURL` / `jwksURL` point it at
 * another endpoint (an enterprise install, a regional API), `ca` trusts a private authority.
 */
interface EndpointOptions {
  readonly apiURL?: string;
  readonly jwksURL?: string;
  readonly ca?: string | readonly string[];
}

const invalid = (provider: string, cause?: unknown): ParseError =>
  new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, `${provider} auth is invalid for this user.`, { cause });

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');

function https(options: EndpointOptions, headers?: Record<string, string>): HttpsOptions {
  return { ca: options.ca, headers };
}

/** GitHub: the access token must belong to the user id given (`GET /user`). */
function github(options: EndpointOptions): AuthProvider {
  const api = (options.apiURL ?? 'https://api.github.com').replace(/\/+$/, '');
  return {
    async validateAuthData(authData) {
      const token = text(authData.access_token);
      if (!token) throw invalid('Github');
      let user: JsonObject;
      try {
        user = (await getJson(
          `${api}/user`,
          https(options, { Authorization: `bearer ${token}` }),
        )) as JsonObject;
      } catch (cause) {
        throw invalid('Github', cause);
      }
      if (String(user.id) !== String(authData.id)) throw invalid('Github');
    },
  };
}

/**
 * Facebook: the access token must belong to the user id (`GET /me`, with `appsecret_proof`
 * when `appSecret` is set) and, when `appIds` is set, to one of the app's ids (`GET /app`).
 */
function facebook(options: EndpointOptions & { appSecret?: string }): AuthProvider {
  const api = (options.apiURL ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const query = (token: string) => {
    const params = new URLSearchParams({ access_token: token });
    if (options.appSecret) {
      params.set('appsecret_proof', createHmac('sha256', options.appSecret).update(token).digest('hex'));
    }
    return params.toString();
  };
  return {
    async validateAuthData(authData) {
      const token = text(authData.access_token);
      if (!token) throw invalid('Facebook');
      let me: JsonObject;
      try {
        me = (await getJson(`${api}/me?fields=id&${query(token)}`, https(options))) as JsonObject;
      } catch (cause) {
        throw invalid('Facebook', cause);
      }
      if (String(me.id) !== String(authData.id)) throw invalid('Facebook');
    },
    async validateAppId(appIds, authData) {
      if (appIds.length === 0) return;
      const token = text(authData.access_token);
      if (!token) throw invalid('Facebook');
      let app: JsonObject;
      try {
        app = (await getJson(`${api}/app?${query(token)}`, https(options))) as JsonObject;
      } catch (cause) {
        throw invalid('Facebook', cause);
      }
      if (!appIds.includes(String(app.id))) throw invalid('Facebook');
    },
  };
}

/**
 * An OpenID Connect provider whose `id_token` is a JWT signed with the keys at `jwksURL`:
 * issuer, audience (`clientId`), subject (`authData.id`) and expiry are checked.
 */
function openIdConnect(
  name: string,
  defaults: { issuers: readonly string[]; jwksURL: string },
  options: EndpointOptions & { clientId?: unknown; issuers?: unknown },
): AuthProvider {
  const audiences = list(options.clientId);
  if (audiences.length === 0) {
    throw new TypeError(`[core] auth.${name.toLowerCase()}.clientId is required (the app's client id)`);
  }
  const issuers = options.issuers === undefined ? defaults.issuers : list(options.issuers);
  const keys = new KeySet(options.jwksURL ?? defaults.jwksURL, https(options));
  return {
    async validateAuthData(authData) {
      const token = text(authData.id_token) ?? text(authData.token);
      const subject = text(authData.id);
      if (!token || !subject) throw invalid(name);
      try {
        await verifyJwt(token, keys, { issuers, audiences, subject });
      } catch (cause) {
        throw invalid(name, cause);
      }
    },
  };
}

/** The providers OpenParse carries, by their `authData` name. */
export const BUILT_IN_PROVIDERS: Readonly<Record<string, (options: JsonObject) => AuthProvider>> = {
  github: (options) => github(options as EndpointOptions),
  facebook: (options) => facebook(options as EndpointOptions & { appSecret?: string }),
  google: (options) =>
    openIdConnect(
      'Google',
      {
        issuers: ['accounts.google.com', 'https://accounts.google.com'],
        jwksURL: 'https://www.googleapis.com/oauth2/v3/certs',
      },
      options as EndpointOptions,
    ),
  apple: (options) =>
    openIdConnect(
      'Apple',
      { issuers: ['https://appleid.apple.com'], jwksURL: 'https://appleid.apple.com/auth/keys' },
      options as EndpointOptions,
    ),
};
