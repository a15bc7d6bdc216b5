import type { FieldUpdate, StorageObjects } from '../contracts/storage-adapter.js';
import { equalTo, fieldRef } from '../query/conditions.js';
import type { MailAdapter, MailMessage, UserMailOptions } from '../contracts/mail-adapter.js';
import type { StorageObject } from '../contracts/values.js';
import { ParseError, ParseErrorCode } from '../errors.js';
import type { Condition } from '../query/types.js';
import { newObjectId } from '../rest/object-id.js';
import type { AppContext } from '../rest/types.js';
import { hashPassword } from '../security/password.js';
import { checkPasswordPolicy, passwordChangeUpdates, unlockAfterReset } from './policies.js';
import { revokeSessions, sessionsOfUser } from './sessions.js';

/** The email settings of an app, validated when the server starts. */
export interface EmailSettings {
  readonly adapter: MailAdapter;
  readonly appName: string;
  /** The public URL links point to (the mount path included). */
  readonly publicServerURL: string;
  readonly verifyUserEmails: boolean;
  readonly preventLoginWithUnverifiedEmail: boolean;
  /** Milliseconds a verification link lasts; unlimited when undefined. */
  readonly emailVerifyTokenValidityMs?: number;
  readonly emailVerifyTokenReuseIfValid: boolean;
  /** `/verificationEmailRequest` answers success for unknown or verified emails. */
  readonly emailVerifySuccessOnInvalidEmail: boolean;
}

const USER = '_User';

/** parse-server's token format: 25 random alphanumerics. */
const newToken = (): string => newObjectId(25);

/**
 * The email settings, or a 1 error naming what is missing, as parse-server answers the email
 * routes of an app configured without them.
 * @throws {ParseError} INTERNAL_SERVER_ERROR
 */
export function requireEmail(app: AppContext): EmailSettings {
  const email = app.users.email;
  if (!email) {
    throw new ParseError(
      ParseErrorCode.INTERNAL_SERVER_ERROR,
      'An appName, publicServerURL, and emailAdapter are required for password reset and email verification functionality.',
    );
  }
  return email;
}

/** The link of a page route under the public URL. */
function pageLink(email: EmailSettings, app: AppContext, page: string, token: string): string {
  return `${email.publicServerURL}/apps/${encodeURIComponent(app.appId)}/${page}?token=${encodeURIComponent(token)}`;
}

/** The user as mail adapters see it: stored fields, no internal ones. */
function mailUser(user: StorageObject): Record<string, unknown> {
  const visible: Record<string, unknown> = { className: USER };
  for (const [key, value] of Object.entries(user)) if (!key.startsWith('_')) visible[key] = value;
  return visible;
}

/** Sends without failing the request: a mail server problem is logged, never answered as a 500. */
async function deliver(
  app: AppContext,
  kind: 'verification' | 'password reset',
  send: () => Promise<unknown> | unknown,
): Promise<void> {
  try {
    await send();
  } catch (error) {
    app.logger.error({ err: error, kind }, 'sending an email failed');
  }
}

/**
 * The fields a new or changed email address gets when `verifyUserEmails` is on: a fresh
 * verification token, `emailVerified: false`. Undefined when verification is off.
 */
export function verificationFields(app: AppContext): Record<string, FieldUpdate> | undefined {
  const email = app.users.email;
  if (!email?.verifyUserEmails) return undefined;
  const fields: Record<string, FieldUpdate> = {
    _email_verify_token: { op: 'set', value: newToken() },
    emailVerified: { op: 'set', value: false },
  };
  if (email.emailVerifyTokenValidityMs !== undefined) {
    fields._email_verify_token_expires_at = {
      op: 'set',
      value: new Date(Date.now() + email.emailVerifyTokenValidityMs),
    };
  }
  return fields;
}

/** Sends the verification email to a user who has a verification token. */
export async function sendVerificationEmail(app: AppContext, user: StorageObject): Promise<void> {
  const email = app.users.email;
  const token = user._email_verify_token;
  if (!email?.verifyUserEmails || typeof token !== 'string' || typeof user.email !== 'string') return;
  const options: UserMailOptions = {
    link: pageLink(email, app, 'verify_email', token),
    appName: email.appName,
    user: mailUser(user),
  };
  await deliver(app, 'verification', () =>
    email.adapter.sendVerificationEmail
      ? email.adapter.sendVerificationEmail(options)
      : email.adapter.sendMail(verificationMessage(options, user.email as string)),
  );
}

function verificationMessage(options: UserMailOptions, to: string): MailMessage {
  return {
    to,
    subject: `Please verify your e-mail for ${options.appName}`,
    text: `Hi,\n\nPlease confirm that ${to} is your e-mail address for ${options.appName} by following this link:\n\n${options.link}\n`,
  };
}

function resetMessage(options: UserMailOptions, to: string, username: unknown): MailMessage {
  const account = typeof username === 'string' ? ` (username: ${username})` : '';
  return {
    to,
    subject: `Password reset for ${options.appName}`,
    text: `Hi,\n\nSomeone asked to reset the password of your ${options.appName} account${account}. To choose a new password, follow this link:\n\n${options.link}\n\nIf it was not you, ignore this message.\n`,
  };
}

/**
 * `POST /verificationEmailRequest`: a new verification email for an unverified address.
 * Unknown or already verified addresses answer success unless `emailVerifySuccessOnInvalidEmail`
 * is off (no account enumeration).
 */
export async function requestVerificationEmail(app: AppContext, address: unknown): Promise<void> {
  const email = requireEmail(app);
  if (!address) throw new ParseError(ParseErrorCode.EMAIL_MISSING, 'you must provide an email');
  if (typeof address !== 'string') {
    throw new ParseError(ParseErrorCode.INVALID_EMAIL_ADDRESS, 'you must provide a valid email string');
  }
  const [user] = (await app.schema.exists(USER))
    ? await app.storage.find({ className: USER, where: equalTo('email', address), limit: 1 })
    : [];
  if (!user || user.emailVerified === true) {
    if (email.emailVerifySuccessOnInvalidEmail) return;
    throw user
      ? new ParseError(ParseErrorCode.OTHER_CAUSE, `Email ${address} is already verified.`)
      : new ParseError(ParseErrorCode.EMAIL_NOT_FOUND, `No user found with email ${address}`);
  }
  if (!email.verifyUserEmails) return;
  const expiresAt = user._email_verify_token_expires_at;
  const stillValid =
    email.emailVerifyTokenReuseIfValid &&
    typeof user._email_verify_token === 'string' &&
    expiresAt instanceof Date &&
    expiresAt.getTime() > Date.now();
  if (!stillValid) {
    const fields = verificationFields(app) ?? {};
    const updated = await app.storage.findOneAndUpdate({
      className: USER,
      where: equalTo('objectId', user.objectId),
      update: fields,
    });
    if (updated) Object.assign(user, updated);
  }
  await sendVerificationEmail(app, user);
}

/**
 * Marks the address of the user holding `token` verified. Resolves false for an unknown,
 * used or expired token.
 */
export async function verifyEmail(app: AppContext, token: string): Promise<boolean> {
  const email = app.users.email;
  if (!email?.verifyUserEmails || !(await app.schema.exists(USER))) return false;
  const conditions: Condition[] = [equalTo('_email_verify_token', token)];
  if (email.emailVerifyTokenValidityMs !== undefined) {
    conditions.push({
      kind: 'compare',
      field: fieldRef('_email_verify_token_expires_at', 'Date'),
      op: 'gt',
      value: new Date(),
    });
  }
  const verified = await app.storage.updateObjects({
    className: USER,
    where: { kind: 'and', conditions },
    update: {
      emailVerified: { op: 'set', value: true },
      _email_verify_token: { op: 'unset' },
      _email_verify_token_expires_at: { op: 'unset' },
      updatedAt: { op: 'set', value: new Date() },
    },
  });
  return verified > 0;
}

/** Users a reset request for `address` reaches: by email, or by username when they have none. */
function resetTarget(address: string): Condition {
  return {
    kind: 'or',
    conditions: [
      equalTo('email', address),
      {
        kind: 'and',
        conditions: [
          equalTo('username', address),
          { kind: 'exists', field: fieldRef('email'), exists: false },
        ],
      },
    ],
  };
}

/**
 * `POST /requestPasswordReset`: emails a link to choose a new password. An unknown address
 * answers success unless `resetPasswordSuccessOnInvalidEmail` is off.
 */
export async function requestPasswordReset(
  app: AppContext,
  address: unknown,
  beforeSend?: (user: StorageObject) => Promise<void>,
): Promise<void> {
  const email = requireEmail(app);
  if (!address) throw new ParseError(ParseErrorCode.EMAIL_MISSING, 'you must provide an email');
  if (typeof address !== 'string') {
    throw new ParseError(ParseErrorCode.INVALID_EMAIL_ADDRESS, 'you must provide a valid email string');
  }
  const policy = app.users.passwordPolicy;
  const [user] = (await app.schema.exists(USER))
    ? await app.storage.find({ className: USER, where: resetTarget(address), limit: 1 })
    : [];
  if (!user) {
    if (policy?.resetPasswordSuccessOnInvalidEmail ?? true) return;
    throw new ParseError(ParseErrorCode.OBJECT_NOT_FOUND, 'A user with that email does not exist.');
  }
  // The beforePasswordResetRequest trigger may refuse the request.
  await beforeSend?.(user);
  const expiresAt = user._perishable_token_expires_at;
  const reusable =
    policy?.resetTokenReuseIfValid &&
    policy.resetTokenValidityMs !== undefined &&
    typeof user._perishable_token === 'string' &&
    expiresAt instanceof Date &&
    expiresAt.getTime() > Date.now();
  let token = user._perishable_token as string;
  if (!reusable) {
    token = newToken();
    const update: Record<string, FieldUpdate> = { _perishable_token: { op: 'set', value: token } };
    if (policy?.resetTokenValidityMs !== undefined) {
      update._perishable_token_expires_at = {
        op: 'set',
        value: new Date(Date.now() + policy.resetTokenValidityMs),
      };
    }
    await app.storage.updateObjects({ className: USER, where: equalTo('objectId', user.objectId), update });
  }
  const options: UserMailOptions = {
    link: pageLink(email, app, 'request_password_reset', token),
    appName: email.appName,
    user: mailUser(user),
  };
  const to = typeof user.email === 'string' ? user.email : String(user.username);
  await deliver(app, 'password reset', () =>
    email.adapter.sendPasswordResetEmail
      ? email.adapter.sendPasswordResetEmail(options)
      : email.adapter.sendMail(resetMessage(options, to, user.username)),
  );
}

/** The user a reset token belongs to, when the token is known and not expired. */
export async function userForResetToken(app: AppContext, token: string): Promise<StorageObject | undefined> {
  if (!(await app.schema.exists(USER))) return undefined;
  const [user] = await app.storage.find({
    className: USER,
    where: equalTo('_perishable_token', token),
    limit: 1,
  });
  if (!user) return undefined;
  const expiresAt = user._perishable_token_expires_at;
  if (app.users.passwordPolicy?.resetTokenValidityMs !== undefined && expiresAt instanceof Date) {
    if (expiresAt.getTime() < Date.now()) return undefined;
  }
  return user;
}

/**
 * Sets a new password through a reset token: the policy applies, the token is used up, the
 * user's sessions end (`revokeSessionOnPasswordReset`) and a lockout is lifted
 * (`unlockOnPasswordReset`).
 * @throws {ParseError} OTHER_CAUSE for an invalid or expired link, VALIDATION_ERROR for a refused password
 */
export async function resetPassword(app: AppContext, token: string, password: string): Promise<void> {
  const user = await userForResetToken(app, token);
  if (!user) {
    throw new ParseError(
      ParseErrorCode.OTHER_CAUSE,
      'Failed to reset password: username / email / token is invalid',
    );
  }
  await checkPasswordPolicy(app, password, typeof user.username === 'string' ? user.username : undefined);
  const storage: StorageObjects = app.storage;
  const update: Record<string, FieldUpdate> = {
    ...(await passwordChangeUpdates(app, password, user)),
    _hashed_password: { op: 'set', value: await hashPassword(password) },
    _perishable_token: { op: 'unset' },
    _perishable_token_expires_at: { op: 'unset' },
    updatedAt: { op: 'set', value: new Date() },
  };
  // The token is part of the condition: two resets racing with one link cannot both win.
  const changed = await storage.updateObjects({
    className: USER,
    where: {
      kind: 'and',
      conditions: [equalTo('objectId', user.objectId), equalTo('_perishable_token', token)],
    },
    update,
  });
  if (changed === 0) {
    throw new ParseError(
      ParseErrorCode.OTHER_CAUSE,
      'Failed to reset password: username / email / token is invalid',
    );
  }
  if (app.users.revokeSessionOnPasswordReset)
    await revokeSessions(app, storage, sessionsOfUser(user.objectId));
  await unlockAfterReset(app, storage, user.objectId);
}
