import { isJsonObject } from '../encoding/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import { invalidateRoles } from '../users/roles.js';
import { bodyObject } from '../users/user-rules.js';
import { createObject, deleteObject, updateObject } from './object-write.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

const ROLE_CLASS = '_Role';

/** The guide's rule for role names: alphanumerics, spaces, `-` and `_`. */
const ROLE_NAME = /^[0-9a-zA-Z\-_ ]+$/;

/** `POST /roles` (and `POST /classes/_Role`): `name` and `ACL` are required. */
export async function createRole(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const body = bodyObject(req);
  if (typeof body.name !== 'string' || body.name.length === 0) {
    throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'name is required.');
  }
  if (!ROLE_NAME.test(body.name)) {
    throw new ParseError(
      ParseErrorCode.INVALID_ROLE_NAME,
      "A role's name can only contain alphanumeric characters, _, -, and spaces.",
    );
  }
  if (!isJsonObject(body.ACL)) throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'ACL is required.');
  return createObject(req, app, ROLE_CLASS, {
    afterInsert: () => invalidateRoles(app),
  });
}

/** `PUT /roles/:objectId`: anything but the name, which is set once. */
export async function updateRole(req: RestRequest, app: AppContext, objectId: string): Promise<RestResponse> {
  const body = bodyObject(req);
  if ('name' in body) {
    throw new ParseError(
      ParseErrorCode.INVALID_ROLE_NAME,
      "A role's name can only be set before it has been saved.",
    );
  }
  if ('ACL' in body && !isJsonObject(body.ACL)) {
    throw new ParseError(ParseErrorCode.INCORRECT_TYPE, 'ACL is required.');
  }
  return updateObject(req, app, ROLE_CLASS, objectId, { afterUpdate: () => invalidateRoles(app) });
}

/** `DELETE /roles/:objectId`. */
export function deleteRole(req: RestRequest, app: AppContext, objectId: string): Promise<RestResponse> {
  return deleteObject(req, app, ROLE_CLASS, objectId, { afterDelete: () => invalidateRoles(app) });
}
