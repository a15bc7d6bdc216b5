import {
  deleteWithTriggers,
  findWithTriggers,
  getWithTriggers,
  prepareSaveWithTriggers,
  saveWithTriggers,
} from '../cloud/trigger-routes.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { Router } from '../http/router.js';
import { aggregate } from './aggregate.js';
import { trackEvent } from './analytics.js';
import { runBatch } from './batch.js';
import { getConfig, updateConfig } from './config.js';
import { callFunction } from './functions.js';
import {
  createHook,
  getFunctionHook,
  getTriggerHook,
  listFunctionHooks,
  listTriggerHooks,
  updateHook,
} from './hooks.js';
import { createSchedule, deleteSchedule, jobsData, listSchedules, startJob, updateSchedule } from './jobs.js';
import { healthCheck, serverInfo } from './server-info.js';
import { findObjects, getObject } from './object-read.js';
import { createInstallation, updateInstallation } from './installations.js';
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

/** Classes whose writes follow rules of their own, by class name. */
const CLASS_RULES: Readonly<
  Record<
    string,
    { create: Handler; update: (req: RestRequest, app: AppContext, id: string) => Promise<RestResponse> }
  >
> = {
  _Installation: { create: createInstallation, update: updateInstallation },
};

function create(className: string): Handler {
  return CLASS_RULES[className]?.create ?? ((req, app) => createObject(req, app, className));
}

function update(className: string, objectId: string): Handler {
  const rules = CLASS_RULES[className];
  return rules
    ? (req, app) => rules.update(req, app, objectId)
    : (req, app) => updateObject(req, app, className, objectId);
}

/** Routes that serve one class under its own path (`/installations`). */
function classRoutes(router: Router<RouteDefinition>, path: string, fixed?: string): void {
  const nameOf = (req: RestRequest): string => fixed ?? param(req, 'className');
  const prefix = fixed ? path : `${path}/:className`;
  const rulesApplied = (className: string) => CLASS_RULES[className] !== undefined;
  router
    .add(
      'GET',
      prefix,
      route((req, app) => findWithTriggers(req, app, nameOf(req), (r) => findObjects(r, app, nameOf(req)))),
    )
    .add(
      'POST',
      prefix,
      route(
        (req, app) => saveWithTriggers(req, app, nameOf(req), undefined, (r) => create(nameOf(req))(r, app)),
        {
          prepare: (req, app) =>
            prepareSaveWithTriggers(req, app, nameOf(req), undefined, (r) =>
              planWrite(r, app, nameOf(req), true, rulesApplied(nameOf(req))),
            ),
        },
      ),
    )
    .add(
      'GET',
      `${prefix}/:objectId`,
      route((req, app) =>
        getWithTriggers(req, app, nameOf(req), param(req, 'objectId'), (r) =>
          getObject(r, app, nameOf(req), param(req, 'objectId')),
        ),
      ),
    )
    .add(
      'PUT',
      `${prefix}/:objectId`,
      route(
        (req, app) =>
          saveWithTriggers(req, app, nameOf(req), param(req, 'objectId'), (r) =>
            update(nameOf(req), param(req, 'objectId'))(r, app),
          ),
        {
          prepare: (req, app) =>
            prepareSaveWithTriggers(req, app, nameOf(req), param(req, 'objectId'), (r) =>
              planWrite(r, app, nameOf(req), false, rulesApplied(nameOf(req))),
            ),
        },
      ),
    )
    .add(
      'DELETE',
      `${prefix}/:objectId`,
      route((req, app) =>
        deleteWithTriggers(req, app, nameOf(req), param(req, 'objectId'), (r) =>
          deleteObject(r, app, nameOf(req), param(req, 'objectId'), rulesApplied(nameOf(req))),
        ),
      ),
    );
}

/** Every REST route of this slice. */
export function buildRoutes(): Router<RouteDefinition> {
  const router = new Router<RouteDefinition>();
  const className = (req: RestRequest): string => param(req, 'className');
  classRoutes(router, '/classes');
  classRoutes(router, '/installations', '_Installation');
  router
    .add('GET', '/health', route(healthCheck, { public: true }))
    .add('GET', '/serverInfo', route(serverInfo, { masterOnly: true }))
    .add(
      'POST',
      '/batch',
      route((req, app) => runBatch(req, app, router)),
    )
    .add(
      'GET',
      '/aggregate/:className',
      route((req, app) => aggregate(req, app, className(req)), { masterOnly: true }),
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
      'POST',
      '/functions/:functionName',
      route((req, app) => callFunction(req, app, param(req, 'functionName'))),
    )
    .add(
      'POST',
      '/jobs/:jobName',
      route((req, app) => startJob(req, app, param(req, 'jobName')), { masterOnly: true }),
    )
    .add('POST', '/jobs', route(startJob, { masterOnly: true }))
    .add('GET', '/cloud_code/jobs', route(listSchedules, { masterOnly: true }))
    .add('GET', '/cloud_code/jobs/data', route(jobsData, { masterOnly: true }))
    .add('POST', '/cloud_code/jobs', route(createSchedule, { masterOnly: true }))
    .add(
      'PUT',
      '/cloud_code/jobs/:objectId',
      route((req, app) => updateSchedule(req, app, param(req, 'objectId')), { masterOnly: true }),
    )
    .add(
      'DELETE',
      '/cloud_code/jobs/:objectId',
      route((req, app) => deleteSchedule(req, app, param(req, 'objectId')), { masterOnly: true }),
    )
    .add('GET', '/config', route(getConfig))
    .add('PUT', '/config', route(updateConfig, { masterOnly: true }))
    .add(
      'POST',
      '/events/:eventName',
      route((req, app) => trackEvent(req, app, param(req, 'eventName'))),
    )
    .add('GET', '/hooks/functions', route(listFunctionHooks, { masterOnly: true }))
    .add('GET', '/hooks/triggers', route(listTriggerHooks, { masterOnly: true }))
    .add(
      'GET',
      '/hooks/functions/:functionName',
      route((req, app) => getFunctionHook(req, app, param(req, 'functionName')), { masterOnly: true }),
    )
    .add(
      'GET',
      '/hooks/triggers/:className/:triggerName',
      route((req, app) => getTriggerHook(req, app, param(req, 'className'), param(req, 'triggerName')), {
        masterOnly: true,
      }),
    )
    .add('POST', '/hooks/functions', route(createHook, { masterOnly: true }))
    .add('POST', '/hooks/triggers', route(createHook, { masterOnly: true }))
    .add(
      'PUT',
      '/hooks/functions/:functionName',
      route((req, app) => updateHook(req, app, { functionName: param(req, 'functionName') }), {
        masterOnly: true,
      }),
    )
    .add(
      'PUT',
      '/hooks/triggers/:className/:triggerName',
      route(
        (req, app) =>
          updateHook(req, app, {
            className: param(req, 'className'),
            triggerName: param(req, 'triggerName'),
          }),
        { masterOnly: true },
      ),
    )
    .add(
      'DELETE',
      '/purge/:className',
      route((req, app) => purgeClass(req, app, className(req)), { masterOnly: true }),
    );
  return router;
}
