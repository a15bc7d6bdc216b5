import { randomBytes } from 'node:crypto';
import { ParseError, ParseErrorCode } from '../errors.js';
import { extensionForType, extensionOf } from './mime.js';

/**
 * parse-server 9's default `fileUpload.fileExtensions`: every extension except those browsers
 * may render as a page (HTML and its variants, SVG, XML and XML-based formats).
 */
export const DEFAULT_FILE_EXTENSIONS: readonly string[] = [
  '^(?!([xXsS]?[hH][tT][mM][lL]?(\\+[xX][mM][lL])?|[xX][hH][tT]|[sS][vV][gG]([zZ]|\\+[xX][mM][lL])?|[xX][mM][lL]|[xX][sS][lL][tT]?(\\+[xX][mM][lL])?|[xX][sS][dD]|[rR][nN][gG]|[rR][dD][fF](\\+[xX][mM][lL])?|[oO][wW][lL]|[mM][aA][tT][hH][mM][lL](\\+[xX][mM][lL])?)$)',
];

/** The longest stored name core hands to an adapter, in UTF-8 bytes. */
const MAX_NAME_BYTES = 1024;

/** parse-server's default rule: at most 128 characters, a safe first character, a safe set. */
export function defaultFilenameProblem(name: string): string | undefined {
  if (name.length > 128) return 'Filename too long.';
  if (!/^[_a-zA-Z0-9][a-zA-Z0-9@. ~_-]*$/.test(name)) return 'Filename contains invalid characters.';
  return undefined;
}

/**
 * Refuses what no adapter may receive whatever its own rule: empty names, path separators,
 * `.` and `..`, control characters, over-long names.
 * @throws {ParseError} INVALID_FILE_NAME
 */
export function assertSafeName(name: string): void {
  const problem =
    name.length === 0
      ? 'Filename not provided.'
      : Buffer.byteLength(name) > MAX_NAME_BYTES
        ? 'Filename too long.'
        : // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
          /[/\\\u0000-\u001f\u007f]/.test(name) || name === '.' || name === '..'
          ? 'Filename contains invalid characters.'
          : undefined;
  if (problem) throw new ParseError(ParseErrorCode.INVALID_FILE_NAME, problem);
}

/**
 * Validates an uploaded name with the adapter's rule when it has one, else parse-server's.
 * @throws {ParseError} INVALID_FILE_NAME
 */
export function assertValidUploadName(
  name: string,
  adapterRule?: (name: string) => string | undefined,
): void {
  assertSafeName(name);
  const problem = adapterRule ? adapterRule(name) : defaultFilenameProblem(name);
  if (problem !== undefined) throw new ParseError(ParseErrorCode.INVALID_FILE_NAME, problem);
}

/**
 * The extension checked against `fileExtensions`: the name's, else the content type's subtype
 * (its parameters dropped), as parse-server.
 */
export function uploadExtension(name: string, contentType: string | undefined): string | undefined {
  const fromName = extensionOf(name);
  if (fromName !== undefined && fromName !== '') return fromName.replace(/\s+/g, '');
  const subtype = contentType?.split(';')[0]?.split('/')[1]?.trim();
  return subtype ? subtype.replace(/\s+/g, '') : undefined;
}

/**
 * Refuses an extension no pattern of `allowed` matches (`'*'` matches all).
 * @throws {ParseError} FILE_SAVE_ERROR
 */
export function assertExtensionAllowed(
  extension: string | undefined,
  allowed: readonly RegExp[] | 'all',
): void {
  if (extension === undefined || allowed === 'all') return;
  if (allowed.some((pattern) => pattern.test(extension))) return;
  throw new ParseError(ParseErrorCode.FILE_SAVE_ERROR, `File upload of extension ${extension} is disabled.`);
}

/**
 * The name a file is stored under: the extension of its content type added when it has none
 * (as parse-server), then a random 32-hex prefix unless `preserveFileName`.
 */
export function storedName(name: string, contentType: string | undefined, preserveFileName: boolean): string {
  let withExtension = name;
  if (extensionOf(name) === undefined && contentType) {
    const extension = extensionForType(contentType);
    if (extension) withExtension = `${name}.${extension}`;
  }
  return preserveFileName ? withExtension : `${randomBytes(16).toString('hex')}_${withExtension}`;
}
