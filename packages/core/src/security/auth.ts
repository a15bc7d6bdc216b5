/**
 * Who is making a request, as far as permissions go.
 * The Users issue adds the user and their roles to `principals`.
 */
export interface Auth {
  /** The master key (or the read-only master key) was given from an allowed address. */
  readonly isMaster: boolean;
  /** The read-only master key: reads as master, every write refused. */
  readonly isReadOnly: boolean;
  /** ACL principals this request acts as: always `*`, then the user id and `role:<name>`s. */
  readonly principals: readonly string[];
  /** The signed-in user's objectId, when there is one. */
  readonly userId?: string;
}

/** A request made with no user and no master key. */
export const PUBLIC_AUTH: Auth = { isMaster: false, isReadOnly: false, principals: ['*'] };

/** A request made with the master key. */
export const MASTER_AUTH: Auth = { isMaster: true, isReadOnly: false, principals: ['*'] };

/** A request made with the read-only master key. */
export const READ_ONLY_MASTER_AUTH: Auth = { isMaster: true, isReadOnly: true, principals: ['*'] };
