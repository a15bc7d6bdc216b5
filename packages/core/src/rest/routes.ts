import { ParseError, ParseErrorCode } from '../errors.js';
import { Router } from '../http/router.js';
import { runBatch } from './batch.js';
import { healthCheck, serverInfo } from './server-info.js';
import { findObjects, getObject } from './object-read.js';
import { createObject, deleteObject, planWrite, updateObject } from './object-write.js';
import { createSchema, deleteSchema, getSchema, listSchemas, purgeClass, updateSchema } from './schemas.js';
import type { AppContext, RestRequest, RestResponse, RouteHandler } from './types.js';

/** What a route needs before its handler runs. */
export interface RouteDefinition extends RouteHandler {
  /** Only the master key (or read-only master key) may call it. */
  readonly masterOnly?: boolean;
  /** Answers without an application id (health checks). */
  readonly public?: boolean;
}

type Handler = (req: RestRequest, app: AppContext) => Promise<RestResponse>;

function param(req: RestRequest, name: string): string {
  const value = req.params[name];
  if (value === undefined)
    throw new ParseError(ParseErrorCode.INTERNAL_SERVER_ERROR, `missing route parameter ${name}`);
  return value;
}

function route(handle: Handler, extra: Omit<RouteDefinition, 'handle'> = {}): RouteDefinition {
  return { handle, ...extra };
}

/** Every REST route of this slice. */
export function buildRoutes(): Router<RouteDefinition> {
  const router = new Router<RouteDefinition>();
  const className = (req: RestRequest): string => param(req, 'className');
  router
    .add('GET', '/health', route(healthCheck, { public: true }))
    .add('GET', '/serverInfo', route(serverInfo, { masterOnly: true }))
    .add(
      'GET',
      '/classes/:className',
      route((req, app) => findObjects(req, app, className(req))),
    )
    .add(
      'POST',
      '/classes/:className',
      route((req, app) => createObject(req, app, className(req)), {
        prepare: async (req, app) => void (await planWrite(req, app, className(req), true)),
      }),
    )
    .add(
      'GET',
      '/classes/:className/:objectId',
      route((req, app) => getObject(req, app, className(req), param(req, 'objectId'))),
    )
    .add(
      'PUT',
      '/classes/:className/:objectId',
      route((req, app) => updateObject(req, app, className(req), param(req, 'objectId')), {
        prepare: async (req, app) => void (await planWrite(req, app, className(req), false)),
      }),
    )
    .add(
      'DELETE',
      '/classes/:className/:objectId',
      route((req, app) => deleteObject(req, app, className(req), param(req, 'objectId'))),
    )
    .add(
      'POST',
      '/batch',
      route((req, app) => runBatch(req, app, router)),
    )
    .add('GET', '/schemas', route(listSchemas, { masterOnly: true }))
    .add(
      'POST',
      '/schemas',
      route((req, app) => createSchema(req, app), { masterOnly: true }),
    )
    .add(
      'GET',
      '/schemas/:className',
      route((req, app) => getSchema(req, app, className(req)), { masterOnly: true }),
    )
    .add(
      'POST',
      '/schemas/:className',
      route((req, app) => createSchema(req, app, className(req)), { masterOnly: true }),
    )
    .add(
      'PUT',
      '/schemas/:className',
      route((req, app) => updateSchema(req, app, className(req)), { masterOnly: true }),
    )
    .add(
      'DELETE',
      '/schemas/:className',
      route((req, app) => deleteSchema(req, app, className(req)), { masterOnly: true }),
    )
    .add(
      'DELETE',
      '/purge/:className',
      route((req, app) => purgeClass(req, app, className(req)), { masterOnly: true }),
    );
  return router;
}
