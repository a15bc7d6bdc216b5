import type { Readable } from 'node:stream';
import type { FileAttributes, FilesAdapter } from '../contracts/files-adapter.js';
import type { JsonValue } from '../contracts/values.js';
import { isJsonObject, type JsonObject } from '../encoding/values.js';
import { isParseError, ParseError, ParseErrorCode } from '../errors.js';
import {
  assertExtensionAllowed,
  assertSafeName,
  assertValidUploadName,
  storedName,
  uploadExtension,
} from '../files/filename.js';
import { typeForName } from '../files/mime.js';
import { resolveRange } from '../files/range.js';
import { sliceStream } from '../files/stream.js';
import { type UploadSource, uploadSource } from '../files/upload.js';
import { BodyTooLargeError, readBody } from '../http/body.js';
import { PERMISSION_DENIED } from '../http/errors.js';
import {
  type FileTriggerInput,
  fileData,
  hasFileTrigger,
  isSdkFile,
  runFileTrigger,
  sdkFile,
} from '../cloud/file-triggers.js';
import type { SdkFile } from '../cloud/parse-sdk.js';
import { byObjectId } from '../query/conditions.js';
import type { AppContext, FilesSettings, RestRequest, RestResponse } from './types.js';

const NOT_CONFIGURED = 'Files are not configured on this server: set the filesAdapter option.';

function text(status: number, message: string, headers: Record<string, string> = {}): RestResponse {
  return {
    status,
    body: null,
    raw: Buffer.from(message),
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers },
  };
}

/** parse-server answers every failed download the same way. */
const notFound = (): RestResponse => text(404, 'File not found.');

/**
 * parse-server's `fileUpload` rules, for callers without the master key. A user signed in with
 * `authData.anonymous` is an anonymous user (one read of the user, only when the rules differ).
 * @throws {ParseError} FILE_SAVE_ERROR
 */
async function assertUploadAllowed(req: RestRequest, app: AppContext): Promise<void> {
  const { auth } = req;
  const { files } = app;
  if (auth.isMaster) return;
  if (auth.userId === undefined) {
    if (!files.enableForPublic) {
      throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, 'File upload by public is disabled.');
    }
    return;
  }
  const anonymous =
    files.enableForAnonymousUser !== files.enableForAuthenticatedUser &&
    (await isAnonymousUser(app, auth.userId));
  if (anonymous && !files.enableForAnonymousUser) {
    throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, 'File upload by anonymous user is disabled.');
  }
  if (!anonymous && !files.enableForAuthenticatedUser) {
    throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, 'File upload by authenticated user is disabled.');
  }
}

async function isAnonymousUser(app: AppContext, userId: string): Promise<boolean> {
  const [user] = await app.storage.find({
    className: '_User',
    where: byObjectId(userId),
    keys: ['authData'],
    limit: 1,
  });
  const authData = user?.authData;
  return isJsonObject(authData as JsonValue) && isJsonObject((authData as JsonObject).anonymous);
}

function attributes(value: JsonValue | undefined): FileAttributes | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) {
    throw new ParseError(
      ParseErrorCode.FILE_SAVE_ERROR,
      'Invalid file upload: metadata and tags must be objects.',
    );
  }
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    out[key] = typeof item === 'string' ? item : JSON.stringify(item);
  }
  return out;
}

interface Upload {
  readonly data: Buffer | Readable;
  readonly contentType?: string;
  readonly metadata?: FileAttributes;
  readonly tags?: FileAttributes;
  readonly source?: UploadSource;
}

/** The JS SDK's body: `{ base64, _ContentType, fileData: { metadata, tags } }` (keys already taken). */
function jsonUpload(body: Readonly<Record<string, JsonValue>>): Upload | undefined {
  if (typeof body.base64 !== 'string') return undefined;
  const data = Buffer.from(body.base64, 'base64');
  if (data.length === 0) return undefined;
  const fileData = isJsonObject(body.fileData) ? body.fileData : {};
  const contentType = typeof body._ContentType === 'string' ? body._ContentType : undefined;
  return {
    data,
    ...(contentType !== undefined && { contentType }),
    ...(attributes(fileData.metadata) && { metadata: attributes(fileData.metadata) }),
    ...(attributes(fileData.tags) && { tags: attributes(fileData.tags) }),
  };
}

/** Uploads that announce at most this many bytes are read whole: one write, no stream plumbing. */
const WHOLE_UPLOAD_BYTES = 256 * 1024;

async function readUpload(req: RestRequest, files: FilesSettings): Promise<Upload | undefined> {
  if (isJsonObject(req.body)) return jsonUpload(req.body);
  if (!req.raw) return undefined;
  const header = req.raw.headers['content-type'];
  const declared = Number(req.raw.headers['content-length']);
  if (Number.isInteger(declared) && declared <= WHOLE_UPLOAD_BYTES) {
    const data = await readBody(req.raw, files.maxUploadBytes);
    return data.length === 0 ? undefined : { data, ...(header && { contentType: header }) };
  }
  const source = await uploadSource(req.raw, files.maxUploadBytes);
  if (!source) return undefined;
  return { data: source.stream, source, ...(header && { contentType: header }) };
}

function adapterOf(app: AppContext, code: ParseErrorCode): FilesAdapter {
  const { adapter } = app.files;
  if (!adapter) throw new ParseError(code, NOT_CONFIGURED);
  return adapter;
}

/** What will be stored: the name (before the unique prefix), the content and its attributes. */
interface Pending {
  name: string;
  data: Buffer | Readable;
  contentType?: string;
  metadata?: FileAttributes;
  tags?: FileAttributes;
}

/** `POST /files/:name`: stores an upload, answers `201 { name, url }` with a `Location`. */
export async function createFile(req: RestRequest, app: AppContext, name: string): Promise<RestResponse> {
  const { files } = app;
  const adapter = adapterOf(app, ParseErrorCode.FILE_SAVE_ERROR);
  await assertUploadAllowed(req, app);
  const upload = await readUpload(req, files);
  if (!upload) throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, 'Invalid file upload.');
  const discard = () => upload.source?.stream.destroy();
  try {
    assertStorableName(req, app, adapter, name, upload.contentType);
  } catch (error) {
    discard();
    throw error;
  }
  let pending: Pending = {
    name,
    data: upload.data,
    ...(upload.contentType !== undefined && { contentType: upload.contentType }),
    ...(upload.metadata && { metadata: upload.metadata }),
    ...(upload.tags && { tags: upload.tags }),
  };
  const triggered = hasFileTrigger(app, 'beforeSave') || hasFileTrigger(app, 'afterSave');
  let input: FileTriggerInput | undefined;
  if (triggered) {
    const outcome = await beforeSaveFile(req, app, adapter, pending).catch((error: unknown) => {
      discard();
      throw error;
    });
    input = outcome.input;
    if (outcome.saved) {
      await afterSaveFile(req, app, input);
      return { status: 201, body: outcome.saved, headers: { Location: outcome.saved.url } };
    }
    pending = outcome.pending;
  }
  const stored = storedName(pending.name, pending.contentType, files.preserveFileName);
  const contentType = pending.contentType ?? typeForName(stored);
  try {
    await adapter.createFile({
      name: stored,
      data: pending.data,
      ...(contentType !== undefined && { contentType }),
      ...(pending.metadata && { metadata: pending.metadata }),
      ...(pending.tags && { tags: pending.tags }),
    });
  } catch (error) {
    discard();
    if (upload.source?.exceeded()) throw new BodyTooLargeError('request entity too large');
    app.logger.error({ err: error, file: stored }, 'storing a file failed');
    throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, `Could not store file: ${stored}.`, {
      cause: error,
    });
  }
  const url = app.fileUrl(stored);
  if (input) {
    input.file._name = stored;
    input.file._url = url;
    await afterSaveFile(req, app, input);
  }
  return { status: 201, body: { url, name: stored }, headers: { Location: url } };
}

/** The upload name checks: safe, adapter-valid, and (without the master key) an allowed extension. */
function assertStorableName(
  req: RestRequest,
  app: AppContext,
  adapter: FilesAdapter,
  name: string,
  contentType: string | undefined,
): void {
  assertValidUploadName(name, adapter.validateFilename?.bind(adapter));
  if (!req.auth.isMaster) assertExtensionAllowed(uploadExtension(name, contentType), app.files.extensions);
}

/**
 * `beforeSave(Parse.File)`: the trigger sees the upload as a Parse.File holding its data (read
 * into memory, within `maxUploadSize`, as parse-server does), or without data when the client
 * streams (`X-Parse-Upload-Mode: stream`). It may change the file, return another one to store,
 * or return an already saved one (with a URL), which is answered without storing anything.
 */
async function beforeSaveFile(
  req: RestRequest,
  app: AppContext,
  adapter: FilesAdapter,
  pending: Pending,
): Promise<{ input: FileTriggerInput; pending: Pending; saved?: { url: string; name: string } }> {
  const streaming = req.raw?.headers['x-parse-upload-mode'] === 'stream' && !Buffer.isBuffer(pending.data);
  const declared = Number(req.raw?.headers['content-length']);
  const buffered = streaming ? undefined : await bufferOf(pending.data);
  const file = sdkFile(pending.name, buffered, pending.contentType);
  file._metadata = { ...(pending.metadata ?? {}) };
  file._tags = { ...(pending.tags ?? {}) };
  const input: FileTriggerInput = {
    file,
    fileSize: buffered ? buffered.length : Number.isFinite(declared) ? declared : null,
    ...(streaming && { stream: true }),
  };
  const result = await runFileTrigger(
    req,
    app,
    'beforeSave',
    input,
    ParseErrorCode.FILE_SAVE_ERROR,
    `Could not store file: ${pending.name}.`,
  );
  if (isSdkFile(result)) {
    input.file = result;
    const url = result.url();
    if (url) {
      input.fileSize = null;
      return { input, pending, saved: { url, name: result._name } };
    }
  }
  const chosen = input.file;
  const data = streaming ? pending.data : fileData(chosen);
  if (!data || (Buffer.isBuffer(data) && data.length === 0)) {
    throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, 'Invalid file upload.');
  }
  if (Buffer.isBuffer(data)) input.fileSize = data.length;
  const contentType = chosen._source?.type || pending.contentType;
  if (chosen._name !== pending.name) assertStorableName(req, app, adapter, chosen._name, contentType);
  const metadata = attributes(chosen._metadata as JsonValue);
  const tags = attributes(chosen._tags as JsonValue);
  return {
    input,
    pending: {
      name: chosen._name,
      data,
      ...(contentType ? { contentType } : {}),
      ...(metadata && Object.keys(metadata).length > 0 ? { metadata } : {}),
      ...(tags && Object.keys(tags).length > 0 ? { tags } : {}),
    },
  };
}

/** `afterSave(Parse.File)`: the file is stored; a failure is logged and the answer stands. */
async function afterSaveFile(req: RestRequest, app: AppContext, input: FileTriggerInput): Promise<void> {
  await runFileTrigger(
    req,
    app,
    'afterSave',
    input,
    ParseErrorCode.FILE_SAVE_ERROR,
    'afterSave failed.',
  ).catch((error: unknown) =>
    app.logger.error(
      { err: error, trigger: 'afterSave', file: input.file._name },
      'afterSave(Parse.File) failed',
    ),
  );
}

async function bufferOf(data: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(data)) return data;
  const chunks: Buffer[] = [];
  for await (const chunk of data) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * `GET /files/:appId/:name`: streams a file, or the byte range a `Range` header asks for (206).
 * Public, as parse-server: anyone with the URL may read. Every failure answers parse-server's
 * `404 File not found.`; failures other than a missing file are logged.
 */
export async function getFile(
  req: RestRequest,
  app: AppContext,
  appId: string,
  name: string,
): Promise<RestResponse> {
  if (appId !== app.appId) {
    // parse-server 9: sanitized, a bare 403 "Permission denied" (no code), like its other 403s.
    const body: JsonValue = app.sanitizeErrors
      ? { error: PERMISSION_DENIED }
      : { code: ParseErrorCode.OPERATION_FORBIDDEN, error: 'Invalid application ID.' };
    return { status: 403, body };
  }
  const { adapter } = app.files;
  if (!adapter) return notFound();
  try {
    assertSafeName(name);
  } catch {
    return notFound();
  }
  if (!signatureAccepted(req, app, name)) return unsigned();
  let fileName = name;
  const afterFind = hasFileTrigger(app, 'afterFind');
  let input: FileTriggerInput | undefined;
  try {
    fileName = await beforeFindFile(req, app, name);
    if (afterFind) input = { file: sdkFile(fileName, undefined, typeForName(fileName)), fileSize: null };
  } catch (error) {
    return triggerRefusal(error);
  }
  try {
    const info = await adapter.getFileInfo(fileName);
    let contentType = typeForName(fileName) ?? info.contentType ?? 'application/octet-stream';
    let headers: Record<string, string> = {
      'Content-Type': contentType,
      'Accept-Ranges': 'bytes',
      'X-Content-Type-Options': 'nosniff',
    };
    const header = req.raw?.headers.range;
    if (input && header === undefined) {
      // afterFind without a range sees (and may replace) the data, as parse-server's buffered path.
      input.file = sdkFile(fileName, await bufferOf(await adapter.getFileStream(fileName)), contentType);
      let data: Buffer;
      try {
        const chosen = await afterFindFile(req, app, input, fileName);
        data = fileData(chosen) ?? Buffer.alloc(0);
        contentType = typeForName(chosen._name) ?? contentType;
        headers = downloadHeaders({ ...headers, 'Content-Type': contentType }, input, chosen._name);
      } catch (error) {
        return triggerRefusal(error);
      }
      return {
        status: 200,
        body: null,
        raw: data,
        headers: { ...headers, 'Content-Length': String(data.length) },
      };
    }
    if (input) {
      try {
        await afterFindFile(req, app, input, fileName);
      } catch (error) {
        return triggerRefusal(error);
      }
      headers = downloadHeaders(headers, input, fileName);
    }
    const outcome = resolveRange(header, info.size);
    if (outcome.kind === 'unsatisfiable') {
      return text(416, 'Range Not Satisfiable', { 'Content-Range': `bytes */${info.size}` });
    }
    if (outcome.kind === 'full') {
      const stream = await adapter.getFileStream(fileName);
      return {
        status: 200,
        body: null,
        raw: stream,
        headers: { ...headers, 'Content-Length': String(info.size) },
      };
    }
    const { range } = outcome;
    const stream = adapter.capabilities.ranges
      ? await adapter.getFileStream(fileName, range)
      : sliceStream(await adapter.getFileStream(fileName), range);
    return {
      status: 206,
      body: null,
      raw: stream,
      headers: {
        ...headers,
        'Content-Length': String(range.end - range.start + 1),
        'Content-Range': `bytes ${range.start}-${range.end}/${info.size}`,
      },
    };
  } catch (error) {
    if (!isParseError(error) || error.code !== ParseErrorCode.OBJECT_NOT_FOUND) {
      app.logger.error({ err: error, file: fileName }, 'reading a file failed');
    }
    return notFound();
  }
}

/** With `fileAccess: { mode: 'signed' }`, a download needs the URL's unexpired signature. */
function signatureAccepted(req: RestRequest, app: AppContext, name: string): boolean {
  return app.files.signer?.verify(app.appId, name, req.query) ?? true;
}

const unsigned = (): RestResponse => text(403, 'This file URL is not signed, or its signature expired.');

/** `beforeFind(Parse.File)`: may serve another file instead (by renaming `request.file` or returning one). */
async function beforeFindFile(req: RestRequest, app: AppContext, name: string): Promise<string> {
  if (!hasFileTrigger(app, 'beforeFind')) return name;
  const input: FileTriggerInput = { file: sdkFile(name, undefined, typeForName(name)), fileSize: null };
  const result = await runFileTrigger(
    req,
    app,
    'beforeFind',
    input,
    ParseErrorCode.SCRIPT_FAILED,
    `Could not find file: ${name}.`,
  );
  const returned = (result as { file?: unknown } | undefined)?.file;
  const renamed = (isSdkFile(returned) ? returned : input.file)._name;
  if (renamed !== name) assertSafeName(renamed);
  return renamed;
}

/** `afterFind(Parse.File)`: answers the file to serve (the trigger may return another one). */
async function afterFindFile(
  req: RestRequest,
  app: AppContext,
  input: FileTriggerInput,
  fileName: string,
): Promise<SdkFile> {
  const result = await runFileTrigger(
    req,
    app,
    'afterFind',
    input,
    ParseErrorCode.SCRIPT_FAILED,
    `Could not find file: ${fileName}.`,
  );
  const returned = (result as { file?: unknown } | undefined)?.file;
  return isSdkFile(returned) ? returned : input.file;
}

/** afterFind's `forceDownload` and `responseHeaders` applied to a download's headers. */
function downloadHeaders(
  headers: Record<string, string>,
  input: FileTriggerInput,
  name: string,
): Record<string, string> {
  const out = input.responseHeaders ? { ...headers, ...input.responseHeaders } : headers;
  return input.forceDownload ? { ...out, 'Content-Disposition': `attachment;filename=${name}` } : out;
}

/** A file trigger refused a download: parse-server answers 403 with the trigger's error. */
function triggerRefusal(error: unknown): RestResponse {
  const refusal = isParseError(error)
    ? error
    : new ParseError(ParseErrorCode.SCRIPT_FAILED, 'Could not find file.');
  return { status: 403, body: { code: refusal.code, error: refusal.message } };
}

/**
 * `GET /files/:appId/metadata/:name`: the metadata recorded with a file, `{ metadata }`, or `{}`
 * for a missing file or another app (as parse-server answers).
 */
export async function getFileMetadata(
  req: RestRequest,
  app: AppContext,
  appId: string,
  name: string,
): Promise<RestResponse> {
  const { adapter } = app.files;
  if (appId !== app.appId || !adapter) return { body: {} };
  if (!signatureAccepted(req, app, name)) return unsigned();
  let fileName: string;
  try {
    assertSafeName(name);
    fileName = await beforeFindFile(req, app, name);
  } catch (error) {
    if (isParseError(error) && error.code !== ParseErrorCode.INVALID_FILE_NAME) return triggerRefusal(error);
    return { body: {} };
  }
  let metadata: FileAttributes;
  try {
    metadata = (await adapter.getFileInfo(fileName)).metadata ?? {};
  } catch {
    return { body: {} };
  }
  try {
    const input: FileTriggerInput = {
      file: sdkFile(fileName, undefined, typeForName(fileName)),
      fileSize: null,
    };
    await runFileTrigger(
      req,
      app,
      'afterFind',
      input,
      ParseErrorCode.SCRIPT_FAILED,
      'Could not get file metadata.',
    );
  } catch (error) {
    return triggerRefusal(error);
  }
  return { body: { metadata } as JsonValue };
}

/** `DELETE /files/:name` (master key): removes a file; answers 200 with an empty body. */
export async function deleteFile(req: RestRequest, app: AppContext, name: string): Promise<RestResponse> {
  if (req.auth.isReadOnly) {
    throw new ParseError(
      ParseErrorCode.OPERATION_FORBIDDEN,
      "read-only masterKey isn't allowed to delete a file.",
    );
  }
  assertSafeName(name);
  const adapter = adapterOf(app, ParseErrorCode.FILE_DELETE_ERROR);
  const file = sdkFile(name);
  file._url = app.fileUrl(name);
  const input: FileTriggerInput = { file, fileSize: null };
  await runFileTrigger(
    req,
    app,
    'beforeDelete',
    input,
    ParseErrorCode.FILE_DELETE_ERROR,
    'Could not delete file.',
  );
  try {
    await adapter.deleteFile(name);
  } catch (error) {
    app.logger.error({ err: error, file: name }, 'deleting a file failed');
    throw new ParseError(ParseErrorCode.FILE_DELETE_ERROR, 'Could not delete file.', { cause: error });
  }
  await runFileTrigger(
    req,
    app,
    'afterDelete',
    input,
    ParseErrorCode.FILE_DELETE_ERROR,
    'Could not delete file.',
  ).catch((error: unknown) =>
    app.logger.error({ err: error, trigger: 'afterDelete', file: name }, 'afterDelete(Parse.File) failed'),
  );
  return { status: 200, body: null, raw: Buffer.alloc(0) };
}
