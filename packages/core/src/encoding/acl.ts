import type { JsonValue } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';

/** An ACL in storage layout: who may read, who may write. */
export interface StoredAcl {
  readonly _rperm: string[];
  readonly _wperm: string[];
}

/**
 * Validates a REST `ACL` value and converts it to `_rperm` / `_wperm`.
 * @throws {ParseError} INVALID_ACL
 */
export function aclToPermissions(acl: JsonValue): StoredAcl {
  if (typeof acl !== 'object' || acl === null || Array.isArray(acl)) {
    throw new ParseError(ParseErrorCode.INVALID_ACL, 'ACL must be an object');
  }
  const read: string[] = [];
  const write: string[] = [];
  for (const [principal, permissions] of Object.entries(acl)) {
    if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions)) {
      throw new ParseError(ParseErrorCode.INVALID_ACL, `invalid ACL entry for ${principal}`);
    }
    for (const [permission, granted] of Object.entries(permissions)) {
      if ((permission !== 'read' && permission !== 'write') || typeof granted !== 'boolean') {
        throw new ParseError(ParseErrorCode.INVALID_ACL, `invalid permission ${permission} for ${principal}`);
      }
      if (!granted) continue;
      (permission === 'read' ? read : write).push(principal);
    }
  }
  return { _rperm: read, _wperm: write };
}

/** Rebuilds the REST `ACL` value from stored permission arrays. */
export function permissionsToAcl(
  readers: readonly string[] | undefined,
  writers: readonly string[] | undefined,
): Record<string, { read?: true; write?: true }> {
  const acl: Record<string, { read?: true; write?: true }> = {};
  for (const principal of readers ?? []) acl[principal] = { read: true };
  for (const principal of writers ?? []) {
    const entry = acl[principal];
    if (entry) entry.write = true;
    else acl[principal] = { write: true };
  }
  return acl;
}
