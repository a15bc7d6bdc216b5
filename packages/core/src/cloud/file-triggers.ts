import type { ParseErrorCode } from '../errors.js';
import type { AppContext, RestRequest } from '../rest/types.js';
import { parseSdk, type SdkFile } from './parse-sdk.js';
import type { ObjectTrigger } from './registry.js';
import { baseRequest } from './request.js';
import { invoke } from './triggers.js';

/** parse-server's class name for `Parse.Cloud.beforeSave(Parse.File, …)` and the other file triggers. */
export const FILE_CLASS = '@File';

/** What a file trigger receives besides the request members (parse-server's `fileObject`). */
export interface FileTriggerInput {
  file: SdkFile;
  fileSize: number | null;
  /** The upload streams (`X-Parse-Upload-Mode: stream`): `file` holds no data. */
  stream?: boolean;
  /** afterFind: send the file as an attachment. */
  forceDownload?: boolean;
  /** afterFind: the download's response headers. */
  responseHeaders?: Record<string, string>;
}

/** True when the cloud file registered `type` for `Parse.File`. */
export function hasFileTrigger(app: AppContext, type: ObjectTrigger): boolean {
  return app.cloud?.registry.trigger(type, FILE_CLASS) !== undefined;
}

/** A Parse.File named `name`, holding `data` when given. */
export function sdkFile(name: string, data?: Buffer, contentType?: string): SdkFile {
  const Parse = parseSdk();
  return new Parse.File(name, { base64: data ? data.toString('base64') : '' }, contentType);
}

/** The bytes a trigger's file holds (`new Parse.File(name, buffer)` or base64 data). */
export function fileData(file: SdkFile): Buffer | undefined {
  if (file._source?.format === 'buffer' && file._source.buffer) return file._source.buffer;
  const base64 = file._data ?? file._source?.base64;
  return base64 ? Buffer.from(base64, 'base64') : undefined;
}

/** True when `value` is a Parse.File (a trigger may return one). */
export function isSdkFile(value: unknown): value is SdkFile {
  return value instanceof (parseSdk().File as unknown as abstract new (...args: never[]) => unknown);
}

/**
 * Runs the `type` trigger of `Parse.File`, if there is one, with `input`'s members on the
 * request; afterFind's `forceDownload` / `responseHeaders` flow back into `input`. Answers what
 * the handler returned (a replacement Parse.File, say), or undefined.
 * @throws {ParseError} what the handler threw, with `code` for a thrown string or error.
 */
export async function runFileTrigger(
  req: RestRequest,
  app: AppContext,
  type: ObjectTrigger,
  input: FileTriggerInput,
  code: ParseErrorCode,
  fallback: string,
): Promise<unknown> {
  const entry = app.cloud?.registry.trigger(type, FILE_CLASS);
  if (!entry) return undefined;
  const request = await baseRequest(req, app);
  Object.assign(request, input, { triggerName: type });
  const result = await invoke(app, entry, request, code, fallback);
  if (request.forceDownload === true) input.forceDownload = true;
  if (request.responseHeaders && typeof request.responseHeaders === 'object') {
    input.responseHeaders = request.responseHeaders as Record<string, string>;
  }
  return result;
}
