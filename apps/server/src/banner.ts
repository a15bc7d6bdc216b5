import { PARSE_SERVER_COMPATIBILITY } from '@openparse/core';
import type { RunningServer } from './create-server.js';
import type { ServerConfig } from './options/definitions.js';
import { EMBEDDED_DIR } from './storage.js';

/** What the banner describes: a running server, or the first of several workers. */
export type BannerServer = Pick<RunningServer, 'url' | 'appId' | 'masterKey' | 'database' | 'keySource'>;

const onOff = (value: boolean) => (value ? 'on' : 'off');

/**
 * The start-up banner: where the API is, which database (password redacted), the app id, the
 * master key when it lives in .openparse/keys.json (never a configured one), and what is switched on.
 */
export function bannerText(version: string, server: BannerServer, config: ServerConfig, workers = 1): string {
  const clientKeys = (['clientKey', 'javascriptKey', 'restAPIKey', 'dotNetKey'] as const).filter(
    (name) => config[name] !== undefined,
  );
  const rows: [string, string][] = [
    ['database', server.database],
    ['appId', server.appId],
    [
      'masterKey',
      server.keySource === 'configured'
        ? '(as configured)'
        : `${server.masterKey}  (${server.keySource === 'generated' ? 'generated; ' : ''}kept in ${EMBEDDED_DIR}/keys.json)`,
    ],
    ['master key from', config.masterKeyIps.join(', ')],
    ['read-only key', config.readOnlyMasterKey === undefined ? 'off' : 'on'],
    ['client keys', clientKeys.length ? `required: ${clientKeys.join(', ')}` : 'none required'],
    ['class creation', `${onOff(config.allowClientClassCreation)} for clients`],
    ['private users', onOff(config.enforcePrivateUsers)],
    [
      'limits',
      `default ${config.defaultLimit}, max ${config.maxLimit ?? 'none'}, body ${config.maxUploadSize}`,
    ],
  ];
  if (workers > 1) rows.push(['workers', String(workers)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `OpenParse ${version} (parse-server ${PARSE_SERVER_COMPATIBILITY} compatible) is running at ${server.url}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
  ].join('\n');
}
