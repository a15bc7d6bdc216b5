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
import { createFile, deleteFile, getFile, getFileMetadata } from './files.js';
import { createInstallation, updateInstallation } from './installations.js';
import { createObject, deleteObject, planWrite, updateObject } from './object-write.js';
import { createRole, deleteRole, updateRole } from './roles.js';
import { createSchema, deleteSchema, getSchema, listSchemas, purgeClass, updateSchema } from './schemas.js';
import {
  createSessionObject,
  deleteSessionObject,
  getCurrentSession,
  pairCurrentSession,
  updateSessionObject,
} from './sessions.js';
import type { AppContext, RestRequest, RestResponse, RouteHandler } from './types.js';
import {
  deleteUser,
  logIn,
  logInAs,
  logOut,
  me,
  passwordResetRequest,
  signUp,
  updateUser,
  upgradeToRevocableSession,
  verificationEmailRequest,
  verifyUserPassword,
} from './users.js';
import {
  passwordResetPage,
  passwordResetSubmit,
  resendVerificationPage,
  staticPage,
  verifyEmailPage,
} from './pages.js';

/** What a route needs before its handler runs. */
export interface RouteDefinition extends RouteHandler {
  /** Only the master key (or read-only master key) may call it. */
  readonly masterOnly?: boolean;
  /** Answers without an application id (health checks, the user-facing pages). */
  readonly public?: boolean;
  /** Accepts HTML form bodies (`application/x-www-form-urlencoded`) as well as JSON. */
  readonly form?: boolean;
  /**
   * The handler receives the request itself (`RestRequest.raw`) with its body unread, to stream
   * it (file uploads). The body is read as JSON only when the keys are not in the headers (the
   * JS SDK sends them in the body). Such routes cannot run in a batch.
   */
  readonly rawRequest?: boolean;
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

type ObjectHandler = (req: RestRequest, app: AppContext, objectId: string) => Promise<RestResponse>;

/** Classes whose writes follow rules of their own, by class name. */
const CLASS_RULES: Readonly<
  Record<string, { create: Handler; update: ObjectHandler; delete: ObjectHandler }>
> = {
  _Installation: {
    create: createInstallation,
    update: updateInstallation,
    delete: (req, app, id) => deleteObject(req, app, '_Installation', id, {}),
  },
  _User: { create: signUp, update: updateUser, delete: deleteUser },
  _Role: { create: createRole, update: updateRole, delete: deleteRole },
  _Session: { create: createSessionObject, update: updateSessionObject, delete: deleteSessionObject },
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

function remove(className: string, objectId: string): Handler {
  const rules = CLASS_RULES[className];
  return rules
    ? (req, app) => rules.delete(req, app, objectId)
    : (req, app) => deleteObject(req, app, className, objectId);
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
          remove(nameOf(req), param(req, 'objectId'))(r, app),
        ),
      ),
    );
}

/** The pages' form posts: no application id, HTML form bodies. */
const PAGE_FORM = { public: true, form: true } as const;

/** Every REST route of this slice. */
export function buildRoutes(): Router<RouteDefinition> {
  const router = new Router<RouteDefinition>();
  const className = (req: RestRequest): string => param(req, 'className');
  // Fixed paths first: `/users/me` and `/sessions/me` must not be read as object ids.
  router
    .add('GET', '/users/me', route(me))
    .add('GET', '/sessions/me', route(getCurrentSession))
    .add('PUT', '/sessions/me', route(pairCurrentSession))
    .add('GET', '/login', route(logIn))
    .add('POST', '/login', route(logIn))
    .add('POST', '/loginAs', route(logInAs))
    .add('POST', '/logout', route(logOut))
    .add('GET', '/verifyPassword', route(verifyUserPassword))
    .add('POST', '/verifyPassword', route(verifyUserPassword))
    .add('POST', '/upgradeToRevocableSession', route(upgradeToRevocableSession))
    .add('POST', '/verificationEmailRequest', route(verificationEmailRequest))
    .add('POST', '/requestPasswordReset', route(passwordResetRequest))
    .add('GET', '/apps/:appId/verify_email', route(verifyEmailPage, { public: true }))
    .add('POST', '/apps/:appId/resend_verification_email', route(resendVerificationPage, PAGE_FORM))
    .add('GET', '/apps/:appId/request_password_reset', route(passwordResetPage, { public: true }))
    .add('POST', '/apps/:appId/request_password_reset', route(passwordResetSubmit, PAGE_FORM))
    .add('GET', '/apps/:page', route(staticPage, { public: true }));
  classRoutes(router, '/classes');
  classRoutes(router, '/installations', '_Installation');
  classRoutes(router, '/users', '_User');
  classRoutes(router, '/roles', '_Role');
  classRoutes(router, '/sessions', '_Session');
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
      '/files',
      route(
        async () => {
          throw new ParseError(ParseErrorCode.INVALID_FILE_NAME, 'Filename not provided.');
        },
        { rawRequest: true },
      ),
    )
    .add(
      'POST',
      '/files/:fileName',
      route((req, app) => createFile(req, app, param(req, 'fileName')), { rawRequest: true }),
    )
    .add(
      'GET',
      '/files/:appId/metadata/:fileName',
      route((req, app) => getFileMetadata(req, app, param(req, 'appId'), param(req, 'fileName')), {
        public: true,
      }),
    )
    .add(
      'GET',
      '/files/:appId/:fileName',
      route((req, app) => getFile(req, app, param(req, 'appId'), param(req, 'fileName')), {
        public: true,
        rawRequest: true,
      }),
    )
    .add(
      'DELETE',
      '/files/:fileName',
      route((req, app) => deleteFile(req, app, param(req, 'fileName')), { masterOnly: true }),
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
