import { remembered } from '../remembered.js';

/** The signed-in user behind a request, as far as permissions go. */
export interface SessionUser {
  /** The user's objectId. */
  readonly id: string;
  /** The session token the request carried. */
  readonly sessionToken: string;
  /** The `_Session` object's id. */
  readonly sessionId: string;
  /** A restricted session: no writes to `_User`, `_Session` or `_Role`, no unrestricted sessions read. */
  readonly restricted: boolean;
  /** The installation the session is paired with. */
  readonly installationId?: string;
  /** Names of every role the user holds, directly or through role inheritance. */
  readonly roles: readonly string[];
}

/** Who is making a request, as far as permissions go. */
export interface Auth {
  /** The master key (or the read-only master key) was given from an allowed address. */
  readonly isMaster: boolean;
  /** The read-only master key: reads as master, every write refused. */
  readonly isReadOnly: boolean;
  /**
   * The maintenance key: data access as master (no ACL, no CLP) and internal fields answered,
   * but no master-only routes (schemas, `loginAs`…).
   */
  readonly isMaintenance?: boolean;
  /** ACL principals this request acts as: always `*`, then the user id and `role:<name>`s. */
  readonly principals: readonly string[];
  /** The signed-in user's objectId, when there is one. */
  readonly userId?: string;
  /** The signed-in user, when the request carried a valid session token. */
  readonly user?: SessionUser;
}

/** A request made with no user and no master key. */
export const PUBLIC_AUTH: Auth = { isMaster: false, isReadOnly: false, principals: ['*'] };

/** A request made with the master key. */
export const MASTER_AUTH: Auth = { isMaster: true, isReadOnly: false, principals: ['*'] };

/** A request made with the maintenance key. */
export const MAINTENANCE_AUTH: Auth = {
  isMaster: true,
  isReadOnly: false,
  isMaintenance: true,
  principals: ['*'],
};

/** A request made with the read-only master key. */
export const READ_ONLY_MASTER_AUTH: Auth = { isMaster: true, isReadOnly: true, principals: ['*'] };

/** Auths made by {@link userAuth}: a session resolved from the same cache entries reuses its own. */
const userAuths = new WeakMap<SessionUser, Auth>();

/** The auth of a signed-in user: their id and roles join `*` as principals. */
export function userAuth(user: SessionUser): Auth {
  return remembered(userAuths, user, newUserAuth);
}

function newUserAuth(user: SessionUser): Auth {
  // Shared by every request of the session: frozen, so no request can change another's.
  return Object.freeze({
    isMaster: false,
    isReadOnly: false,
    principals: Object.freeze(['*', user.id, ...user.roles.map((role) => `role:${role}`)]),
    userId: user.id,
    user,
  });
}
