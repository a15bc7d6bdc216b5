import type { FieldUpdate, StorageObjects } from '../contracts/storage-adapter.js';
import { byObjectId } from '../query/conditions.js';
import type { StorageObject } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { AppContext } from '../rest/types.js';
import { verifyPassword } from '../security/password.js';

/** parse-server's `passwordPolicy`, validated. */
export interface PasswordPolicy {
  /** Passwords must match it. */
  readonly validatorPattern?: RegExp;
  /** Passwords must make it answer true. */
  readonly validatorCallback?: (password: string) => boolean | Promise<boolean>;
  /** The message of a refused password. */
  readonly validationError?: string;
  /** A password may not contain the username. */
  readonly doNotAllowUsername: boolean;
  /** Days a password lasts; logins after that answer 101 until it is reset. */
  readonly maxPasswordAge?: number;
  /** A new password may not repeat the current one nor the last `maxPasswordHistory - 1`. */
  readonly maxPasswordHistory?: number;
  /** Milliseconds a reset link lasts. */
  readonly resetTokenValidityMs?: number;
  /** A reset request while a link is valid sends the same link again. */
  readonly resetTokenReuseIfValid: boolean;
  /** `/requestPasswordReset` for an unknown email answers success (no user enumeration). */
  readonly resetPasswordSuccessOnInvalidEmail: boolean;
}

/** parse-server's `accountLockout`. */
export interface AccountLockout {
  /** Minutes an account stays locked. */
  readonly duration: number;
  /** Failed logins that lock it. */
  readonly threshold: number;
  /** A password reset unlocks it. */
  readonly unlockOnPasswordReset: boolean;
}

/**
 * Checks a new password against the password policy.
 * @throws {ParseError} VALIDATION_ERROR with the policy's message
 */
export async function checkPasswordPolicy(
  app: AppContext,
  password: string,
  username: string | undefined,
): Promise<void> {
  const policy = app.users.passwordPolicy;
  if (!policy) return;
  const message = policy.validationError ?? 'Password does not meet the Password Policy requirements.';
  if (policy.validatorPattern && !policy.validatorPattern.test(password)) {
    throw new ParseError(ParseErrorCode.VALIDATION_ERROR, message);
  }
  if (policy.validatorCallback && !(await policy.validatorCallback(password))) {
    throw new ParseError(ParseErrorCode.VALIDATION_ERROR, message);
  }
  if (policy.doNotAllowUsername && username && password.includes(username)) {
    throw new ParseError(ParseErrorCode.VALIDATION_ERROR, 'Password cannot contain your username.');
  }
}

/**
 * For a password change of `user`: refuses a repeated password (`maxPasswordHistory`) and
 * answers the updates that keep the history and the change date.
 * @throws {ParseError} VALIDATION_ERROR
 */
export async function passwordChangeUpdates(
  app: AppContext,
  password: string,
  user: StorageObject | undefined,
): Promise<Record<string, FieldUpdate>> {
  const policy = app.users.passwordPolicy;
  const updates: Record<string, FieldUpdate> = {};
  if (policy?.maxPasswordAge) updates._password_changed_at = { op: 'set', value: new Date() };
  const keep = policy?.maxPasswordHistory;
  if (!keep || !user) return updates;
  const current = typeof user._hashed_password === 'string' ? user._hashed_password : undefined;
  const history = Array.isArray(user._password_history)
    ? user._password_history.filter((hash): hash is string => typeof hash === 'string')
    : [];
  // The current password and the last `keep - 1` ones may not come back.
  const kept = (list: string[]) => (keep > 1 ? list.slice(-(keep - 1)) : []);
  for (const hash of [...kept(history), ...(current ? [current] : [])]) {
    if (await verifyPassword(password, hash)) {
      throw new ParseError(
        ParseErrorCode.VALIDATION_ERROR,
        `New password should not be the same as last ${keep} passwords.`,
      );
    }
  }
  updates._password_history = { op: 'set', value: kept(current ? [...history, current] : history) };
  return updates;
}

/**
 * Refuses a login whose password has outlived `maxPasswordAge`; starts the clock for users
 * whose password predates the policy.
 * @throws {ParseError} OBJECT_NOT_FOUND
 */
export async function checkPasswordAge(app: AppContext, user: StorageObject): Promise<void> {
  const days = app.users.passwordPolicy?.maxPasswordAge;
  if (!days) return;
  const changedAt = user._password_changed_at;
  if (!(changedAt instanceof Date)) {
    await app.storage.updateObjects({
      className: '_User',
      where: byObjectId(user.objectId),
      update: { _password_changed_at: { op: 'set', value: new Date() } },
    });
    return;
  }
  if (changedAt.getTime() + days * 86_400_000 < Date.now()) {
    throw new ParseError(
      ParseErrorCode.OBJECT_NOT_FOUND,
      'Your password has expired. Please reset your password.',
    );
  }
}

function lockedError(lockout: AccountLockout): ParseError {
  return new ParseError(
    ParseErrorCode.OBJECT_NOT_FOUND,
    `Your account is locked due to multiple failed login attempts. Please try again after ${lockout.duration} minute(s)`,
  );
}

/**
 * Applies `accountLockout` to a login attempt on `user`: a locked account is refused whatever
 * the password; a failure counts (atomically) and locks at the threshold; a success resets
 * the count.
 * @throws {ParseError} OBJECT_NOT_FOUND when the account is (or becomes) locked
 */
export async function recordLoginAttempt(
  app: AppContext,
  user: StorageObject,
  success: boolean,
): Promise<void> {
  const lockout = app.users.accountLockout;
  if (!lockout) return;
  const lockedUntil = user._account_lockout_expires_at;
  if (lockedUntil instanceof Date && lockedUntil.getTime() > Date.now()) throw lockedError(lockout);
  if (success) {
    if (user._failed_login_count !== undefined || lockedUntil !== undefined) {
      await app.storage.updateObjects({
        className: '_User',
        where: byObjectId(user.objectId),
        update: { _failed_login_count: { op: 'unset' }, _account_lockout_expires_at: { op: 'unset' } },
      });
    }
    return;
  }
  const counted = await app.storage.findOneAndUpdate({
    className: '_User',
    where: byObjectId(user.objectId),
    update: { _failed_login_count: { op: 'increment', amount: 1 } },
  });
  const count = typeof counted?._failed_login_count === 'number' ? counted._failed_login_count : 0;
  if (count >= lockout.threshold) {
    await app.storage.updateObjects({
      className: '_User',
      where: byObjectId(user.objectId),
      update: {
        _account_lockout_expires_at: { op: 'set', value: new Date(Date.now() + lockout.duration * 60_000) },
        _failed_login_count: { op: 'unset' },
      },
    });
    throw lockedError(lockout);
  }
}

/** Unlocks an account after a password reset, when `unlockOnPasswordReset` says so. */
export async function unlockAfterReset(
  app: AppContext,
  storage: StorageObjects,
  userId: string,
): Promise<void> {
  if (!app.users.accountLockout?.unlockOnPasswordReset) return;
  await storage.updateObjects({
    className: '_User',
    where: byObjectId(userId),
    update: { _failed_login_count: { op: 'unset' }, _account_lockout_expires_at: { op: 'unset' } },
  });
}
