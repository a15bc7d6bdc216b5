import type { JsonValue } from '../contracts/values.js';
import { JobStatus } from '../cloud/job-status.js';
import { parseSdk } from '../cloud/parse-sdk.js';
import { cloudLog, decodeParams } from '../cloud/request.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { findObjects } from './object-read.js';
import { createObject, deleteObject, updateObject } from './object-write.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

/**
 * `POST /jobs/:jobName` and `POST /jobs` (`jobName` in the body), master key only: writes a
 * `running` `_JobStatus` row, answers `{}` at once with `X-Parse-Job-Status-Id`, and runs the
 * job in the background; the row ends `succeeded` or `failed`. A failing job never reaches
 * the client or the process.
 * @throws {ParseError} SCRIPT_FAILED "Invalid job." for an unknown job.
 */
export async function startJob(req: RestRequest, app: AppContext, name?: string): Promise<RestResponse> {
  const body: JsonObject = isJsonObject(req.body) ? req.body : {};
  const jobName = name ?? body.jobName;
  const handler = typeof jobName === 'string' ? app.cloud?.registry.jobs.get(jobName) : undefined;
  const runtime = app.cloud;
  if (typeof jobName !== 'string' || !handler || !runtime) {
    throw new ParseError(ParseErrorCode.SCRIPT_FAILED, 'Invalid job.');
  }
  const raw: Record<string, JsonValue> = { ...body };
  for (const [key, value] of Object.entries(req.query)) if (value !== undefined) raw[key] = value;
  const status = new JobStatus(app);
  await status.running(jobName, raw);
  const request = {
    params: decodeParams(parseSdk(), raw),
    log: cloudLog(app.logger),
    headers: req.headers ?? {},
    ip: req.ip ?? '',
    jobName,
    jobId: status.objectId,
    message: (message: unknown) => status.message(message),
  };
  setImmediate(() => {
    runtime
      .run(async () => {
        try {
          const result = await handler(request);
          await status.finish('succeeded', result);
        } catch (error) {
          app.logger.warn({ err: error, jobName }, 'cloud job failed');
          await status.finish('failed', error);
        }
      })
      .catch((error: unknown) => app.logger.error({ err: error, jobName }, 'recording a job status failed'));
  });
  return { body: {}, headers: { 'X-Parse-Job-Status-Id': status.objectId } };
}

const SCHEDULES = '_JobSchedule';

/** The `job_schedule` of a Dashboard request, checked against the deployed jobs. */
function schedule(req: RestRequest, app: AppContext): JsonObject {
  const body = isJsonObject(req.body) ? req.body : {};
  const given = body.job_schedule;
  if (!isJsonObject(given))
    throw new ParseError(ParseErrorCode.INVALID_JSON, 'job_schedule must be an object');
  if (typeof given.jobName === 'string' && !app.cloud?.registry.jobs.has(given.jobName)) {
    // parse-server answers 500 (code 1) here; bad input is a 400 in OpenParse (DIFFERENCES.md).
    throw new ParseError(ParseErrorCode.SCRIPT_FAILED, 'Cannot Schedule a job that is not deployed');
  }
  return given.startAfter === undefined ? { ...given, startAfter: new Date().toISOString() } : given;
}

/** `GET /cloud_code/jobs`: the stored `_JobSchedule` rows. */
export async function listSchedules(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const found = await findObjects({ ...req, query: {} }, app, SCHEDULES);
  return { body: (found.body as JsonObject).results ?? [] };
}

/** `GET /cloud_code/jobs/data`: the deployed job names and the ones a schedule uses. */
export async function jobsData(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const found = await findObjects({ ...req, query: {} }, app, SCHEDULES);
  const rows = ((found.body as JsonObject).results ?? []) as JsonObject[];
  return {
    body: {
      in_use: rows.map((row) => row.jobName ?? null),
      jobs: [...(app.cloud?.registry.jobs.keys() ?? [])],
    },
  };
}

/** `POST /cloud_code/jobs`: stores a schedule (the Dashboard's "schedule a job"). */
export async function createSchedule(req: RestRequest, app: AppContext): Promise<RestResponse> {
  return createObject({ ...req, body: schedule(req, app) }, app, SCHEDULES, {});
}

/** `PUT /cloud_code/jobs/:objectId` */
export async function updateSchedule(
  req: RestRequest,
  app: AppContext,
  objectId: string,
): Promise<RestResponse> {
  return updateObject({ ...req, body: schedule(req, app) }, app, SCHEDULES, objectId, {});
}

/** `DELETE /cloud_code/jobs/:objectId` */
export async function deleteSchedule(
  req: RestRequest,
  app: AppContext,
  objectId: string,
): Promise<RestResponse> {
  return deleteObject(req, app, SCHEDULES, objectId, {});
}
