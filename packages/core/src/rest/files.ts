import type { Readable } from 'node:stream';
import type { FileAttributes, FilesAdapter } from '../contracts/files-adapter.js';
import type { JsonValue } from '../contracts/values.js';
import { isJsonObject } from '../encoding/values.js';
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
import { BodyTooLargeError } from '../http/body.js';
import { PERMISSION_DENIED } from '../http/errors.js';
import type { Auth } from '../security/auth.js';
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
 * parse-server's `fileUpload` rules, for callers without the master key.
 * Anonymous users cannot be told apart from other users until users (and anonymous auth data)
 * land; until then `enableForAnonymousUser` has nothing to apply to.
 * @throws {ParseError} FILE_SAVE_ERROR
 */
function assertUploadAllowed(auth: Auth, files: FilesSettings): void {
  if (auth.isMaster) return;
  if (auth.userId !== undefined && !files.enableForAuthenticatedUser) {
    throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, 'File upload by authenticated user is disabled.');
  }
  if (auth.userId === undefined && !files.enableForPublic) {
    throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, 'File upload by public is disabled.');
  }
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

async function readUpload(req: RestRequest, files: FilesSettings): Promise<Upload | undefined> {
  if (isJsonObject(req.body)) return jsonUpload(req.body);
  if (!req.raw) return undefined;
  const source = await uploadSource(req.raw, files.maxUploadBytes);
  if (!source) return undefined;
  const header = req.raw.headers['content-type'];
  return { data: source.stream, source, ...(header && { contentType: header }) };
}

function adapterOf(app: AppContext, code: ParseErrorCode): FilesAdapter {
  const { adapter } = app.files;
  if (!adapter) throw new ParseError(code, NOT_CONFIGURED);
  return adapter;
}

/** `POST /files/:name`: stores an upload, answers `201 { name, url }` with a `Location`. */
export async function createFile(req: RestRequest, app: AppContext, name: string): Promise<RestResponse> {
  const { files } = app;
  const adapter = adapterOf(app, ParseErrorCode.FILE_SAVE_ERROR);
  assertUploadAllowed(req.auth, files);
  const upload = await readUpload(req, files);
  if (!upload) throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, 'Invalid file upload.');
  const stored = (() => {
    try {
      assertValidUploadName(name, adapter.validateFilename?.bind(adapter));
      if (!req.auth.isMaster) {
        assertExtensionAllowed(uploadExtension(name, upload.contentType), files.extensions);
      }
      return storedName(name, upload.contentType, files.preserveFileName);
    } catch (error) {
      upload.source?.stream.destroy();
      throw error;
    }
  })();
  const contentType = upload.contentType ?? typeForName(stored);
  try {
    await adapter.createFile({
      name: stored,
      data: upload.data,
      ...(contentType !== undefined && { contentType }),
      ...(upload.metadata && { metadata: upload.metadata }),
      ...(upload.tags && { tags: upload.tags }),
    });
  } catch (error) {
    upload.source?.stream.destroy();
    if (upload.source?.exceeded()) throw new BodyTooLargeError('request entity too large');
    app.logger.error({ err: error, file: stored }, 'storing a file failed');
    throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, `Could not store file: ${stored}.`, {
      cause: error,
    });
  }
  const url = app.fileUrl(stored);
  return { status: 201, body: { url, name: stored }, headers: { Location: url } };
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
  try {
    const info = await adapter.getFileInfo(name);
    const contentType = typeForName(name) ?? info.contentType ?? 'application/octet-stream';
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'Accept-Ranges': 'bytes',
      'X-Content-Type-Options': 'nosniff',
    };
    const header = req.raw?.headers.range;
    const outcome = resolveRange(header, info.size);
    if (outcome.kind === 'unsatisfiable') {
      return text(416, 'Range Not Satisfiable', { 'Content-Range': `bytes */${info.size}` });
    }
    if (outcome.kind === 'full') {
      const stream = await adapter.getFileStream(name);
      return {
        status: 200,
        body: null,
        raw: stream,
        headers: { ...headers, 'Content-Length': String(info.size) },
      };
    }
    const { range } = outcome;
    const stream = adapter.capabilities.ranges
      ? await adapter.getFileStream(name, range)
      : sliceStream(await adapter.getFileStream(name), range);
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
      app.logger.error({ err: error, file: name }, 'reading a file failed');
    }
    return notFound();
  }
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
  try {
    await adapter.deleteFile(name);
  } catch (error) {
    app.logger.error({ err: error, file: name }, 'deleting a file failed');
    throw new ParseError(ParseErrorCode.FILE_DELETE_ERROR, 'Could not delete file.', { cause: error });
  }
  return { status: 200, body: null, raw: Buffer.alloc(0) };
}
