import type { AppContext, RestRequest, RestResponse } from './types.js';

/** The parse-server version whose behaviour this server answers as. */
export const PARSE_SERVER_COMPATIBILITY = '9.0.0';

/** `GET /health` */
export async function healthCheck(): Promise<RestResponse> {
  return { body: { status: 'ok' } };
}

/** `GET /serverInfo` (master key): the version and the features this server has. */
export async function serverInfo(_req: RestRequest, _app: AppContext): Promise<RestResponse> {
  return {
    body: {
      parseServerVersion: PARSE_SERVER_COMPATIBILITY,
      features: {
        globalConfig: { create: false, read: false, update: false, delete: false },
        hooks: { create: false, read: false, update: false, delete: false },
        cloudCode: { jobs: false },
        logs: { level: false, size: false, order: false, until: false, from: false },
        push: {
          immediatePush: false,
          scheduledPush: false,
          storedPushData: false,
          pushAudiences: false,
          localization: false,
        },
        settings: { securityCheck: false },
        schemas: {
          addField: true,
          removeField: true,
          addClass: true,
          removeClass: true,
          clearAllDataFromClass: true,
          exportClass: false,
          editClassLevelPermissions: true,
          editPointerPermissions: true,
        },
      },
    },
  };
}
