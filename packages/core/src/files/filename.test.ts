import { describe, expect, it } from 'vitest';
import { ParseErrorCode } from '../errors.js';
import {
  assertExtensionAllowed,
  assertSafeName,
  assertValidUploadName,
  DEFAULT_FILE_EXTENSIONS,
  storedName,
  uploadExtension,
} from './filename.js';

const defaults = DEFAULT_FILE_EXTENSIONS.map((pattern) => new RegExp(pattern));
const allowed = (extension: string) => {
  try {
    assertExtensionAllowed(extension, defaults);
    return true;
  } catch (error) {
    expect(error).toMatchObject({ code: ParseErrorCode.FILE_SAVE_ERROR });
    return false;
  }
};

describe('file names', () => {
  it("applies parse-server's rule: 128 characters of a safe set", () => {
    expect(() => assertValidUploadName('hello world-1_@~.txt')).not.toThrow();
    for (const name of ['a'.repeat(129), '.hidden', 'a/b.txt', 'a\\b', 'ünïcode.txt', '..', 'a$b']) {
      expect(() => assertValidUploadName(name), name).toThrow(expect.objectContaining({ code: 122 }));
    }
  });

  it("lets an adapter's rule widen the set, never past separators and dot names", () => {
    const anything = () => undefined;
    expect(() => assertValidUploadName('ünïcode ✓.txt', anything)).not.toThrow();
    for (const name of ['a/b', '..', '.', 'a\u0000b', '', 'x'.repeat(1025)]) {
      expect(() => assertValidUploadName(name, anything), name).toThrow(
        expect.objectContaining({ code: ParseErrorCode.INVALID_FILE_NAME }),
      );
    }
    expect(() => assertSafeName('ok.txt')).not.toThrow();
  });

  it('refuses HTML, SVG and XML-like extensions by default, allows the rest', () => {
    for (const extension of [
      'html',
      'HTM',
      'xhtml',
      'shtml',
      'svg',
      'svgz',
      'svg+xml',
      'xml',
      'xsl',
      'xslt',
      'mathml',
      'xht',
    ]) {
      expect(allowed(extension), extension).toBe(false);
    }
    for (const extension of ['txt', 'png', 'jpeg', 'pdf', 'mp4', 'htmlx', 'a', 'mathmlz']) {
      expect(allowed(extension), extension).toBe(true);
    }
  });

  it("takes the name's extension, else the content type's subtype, ignoring trailing dots", () => {
    expect(uploadExtension('a.txt', 'text/html')).toBe('txt');
    expect(uploadExtension('page.html.', undefined)).toBe('html');
    expect(uploadExtension('page', 'text/html; charset=utf-8')).toBe('html');
    expect(uploadExtension('page', undefined)).toBeUndefined();
  });

  it('prefixes 32 hex characters unless preserveFileName, adding the extension of the content type', () => {
    expect(storedName('hello.txt', 'text/plain', false)).toMatch(/^[0-9a-f]{32}_hello\.txt$/);
    expect(storedName('photo', 'image/png', true)).toBe('photo.png');
    expect(storedName('blob', 'application/x-unknown', true)).toBe('blob');
  });
});
