import type { AppContext } from '../rest/types.js';
import type { ConfiguredAuthProvider } from '../users/auth-data.js';
import { BUILT_IN_PROVIDERS } from '../users/providers/built-in.js';
import type { EmailSettings } from '../users/email.js';
import type { AccountLockout, PasswordPolicy } from '../users/policies.js';
import type { AccountLockoutOptions, ParseServerOptions, PasswordPolicyOptions } from './options.js';

/**
 * The user, session, email and policy settings, validated.
 * @throws {TypeError} / {RangeError} naming the option
 */
export function userSettings(options: ParseServerOptions, publicServerURL: string): AppContext['users'] {
  const sessionLength = options.sessionLength ?? 31_536_000;
  if (!(typeof sessionLength === 'number' && sessionLength > 0)) {
    throw new RangeError(`[core] ParseServer option 'sessionLength' must be a positive number of seconds`);
  }
  const ownerExempt = options.protectedFieldsOwnerExempt ?? true;
  const configured = options.protectedFields;
  // parse-server merges its default (`_User.email` hidden) into the option unless the owner
  // exemption is turned off.
  const protectedFields =
    configured === undefined
      ? DEFAULT_PROTECTED_FIELDS
      : ownerExempt
        ? mergeProtectedFields(DEFAULT_PROTECTED_FIELDS, configured)
        : configured;
  return {
    sessionLengthMs: sessionLength * 1000,
    expireInactiveSessions: options.expireInactiveSessions ?? true,
    revokeSessionOnPasswordReset: options.revokeSessionOnPasswordReset ?? true,
    enforcePrivateUsers: options.enforcePrivateUsers ?? true,
    protectedFields,
    protectedFieldsOwnerExempt: ownerExempt,
    enableAnonymousUsers: options.enableAnonymousUsers ?? true,
    email: emailSettings(options, publicServerURL),
    passwordPolicy: passwordPolicy(options.passwordPolicy),
    accountLockout: accountLockout(options.accountLockout),
    pageUrls: { ...pageUrlsFromCustomPages(options.customPages), ...options.pages?.customUrls },
  };
}

/** parse-server's legacy `customPages` keys, by the page ids of `pages.customUrls` they stand for. */
const CUSTOM_PAGES: Readonly<Record<string, readonly string[]>> = {
  choosePassword: ['passwordReset'],
  passwordResetSuccess: ['passwordResetSuccess'],
  verifyEmailSuccess: ['emailVerificationSuccess'],
  linkSendSuccess: ['emailVerificationSendSuccess'],
  linkSendFail: ['emailVerificationSendFail'],
  invalidLink: ['passwordResetLinkInvalid', 'emailVerificationLinkInvalid'],
  invalidVerificationLink: ['emailVerificationLinkInvalid'],
  invalidPasswordResetLink: ['passwordResetLinkInvalid'],
};

function pageUrlsFromCustomPages(customPages: ParseServerOptions['customPages']): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, url] of Object.entries(customPages ?? {})) {
    const ids = CUSTOM_PAGES[key];
    if (!ids) {
      throw new TypeError(
        `[core] ParseServer option 'customPages.${key}' is not a page (known: ${Object.keys(CUSTOM_PAGES).join(', ')})`,
      );
    }
    if (typeof url !== 'string')
      throw new TypeError(`[core] ParseServer option 'customPages.${key}' must be a URL`);
    for (const id of ids) urls[id] = url;
  }
  return urls;
}

function emailSettings(options: ParseServerOptions, publicServerURL: string): EmailSettings | undefined {
  const { emailAdapter: adapter, appName } = options;
  const verifyUserEmails = options.verifyUserEmails ?? false;
  if (!adapter) {
    if (verifyUserEmails) {
      throw new TypeError("[core] ParseServer option 'verifyUserEmails' needs an 'emailAdapter'");
    }
    return undefined;
  }
  if (typeof adapter.sendMail !== 'function') {
    throw new TypeError("[core] ParseServer option 'emailAdapter' must have a sendMail function");
  }
  if (typeof appName !== 'string' || appName.length === 0) {
    throw new TypeError("[core] ParseServer option 'appName' is required with an 'emailAdapter'");
  }
  const validity = options.emailVerifyTokenValidityDuration;
  if (validity !== undefined && !(Number.isFinite(validity) && validity > 0)) {
    throw new RangeError(
      "[core] ParseServer option 'emailVerifyTokenValidityDuration' must be a positive number of seconds",
    );
  }
  const reuse = options.emailVerifyTokenReuseIfValid ?? false;
  if (reuse && validity === undefined) {
    throw new TypeError(
      "[core] ParseServer option 'emailVerifyTokenReuseIfValid' needs 'emailVerifyTokenValidityDuration'",
    );
  }
  return {
    adapter,
    appName,
    publicServerURL,
    verifyUserEmails,
    preventLoginWithUnverifiedEmail: options.preventLoginWithUnverifiedEmail ?? false,
    emailVerifyTokenValidityMs: validity === undefined ? undefined : validity * 1000,
    emailVerifyTokenReuseIfValid: reuse,
    emailVerifySuccessOnInvalidEmail: options.emailVerifySuccessOnInvalidEmail ?? true,
  };
}

function positive(name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0 && value <= max)) {
    throw new RangeError(`[core] ParseServer option '${name}' must be an integer from 1 to ${max}`);
  }
}

function passwordPolicy(given: PasswordPolicyOptions | undefined): PasswordPolicy | undefined {
  if (!given) return undefined;
  positive('passwordPolicy.maxPasswordAge', given.maxPasswordAge);
  positive('passwordPolicy.maxPasswordHistory', given.maxPasswordHistory, 20);
  positive('passwordPolicy.resetTokenValidityDuration', given.resetTokenValidityDuration);
  if (given.resetTokenReuseIfValid && given.resetTokenValidityDuration === undefined) {
    throw new TypeError(
      "[core] ParseServer option 'passwordPolicy.resetTokenReuseIfValid' needs 'resetTokenValidityDuration'",
    );
  }
  let pattern: RegExp | undefined;
  if (given.validatorPattern !== undefined) {
    try {
      pattern =
        given.validatorPattern instanceof RegExp
          ? given.validatorPattern
          : new RegExp(given.validatorPattern);
    } catch (cause) {
      throw new TypeError(
        "[core] ParseServer option 'passwordPolicy.validatorPattern' is not a valid regular expression",
        {
          cause,
        },
      );
    }
  }
  if (given.validatorCallback !== undefined && typeof given.validatorCallback !== 'function') {
    throw new TypeError("[core] ParseServer option 'passwordPolicy.validatorCallback' must be a function");
  }
  return {
    validatorPattern: pattern,
    validatorCallback: given.validatorCallback,
    validationError: given.validationError,
    doNotAllowUsername: given.doNotAllowUsername ?? false,
    maxPasswordAge: given.maxPasswordAge,
    maxPasswordHistory: given.maxPasswordHistory,
    resetTokenValidityMs:
      given.resetTokenValidityDuration === undefined ? undefined : given.resetTokenValidityDuration * 1000,
    resetTokenReuseIfValid: given.resetTokenReuseIfValid ?? false,
    resetPasswordSuccessOnInvalidEmail: given.resetPasswordSuccessOnInvalidEmail ?? true,
  };
}

function accountLockout(given: AccountLockoutOptions | undefined): AccountLockout | undefined {
  if (!given) return undefined;
  positive('accountLockout.duration', given.duration, 99_999);
  positive('accountLockout.threshold', given.threshold, 999);
  if (given.duration === undefined || given.threshold === undefined) {
    throw new TypeError("[core] ParseServer option 'accountLockout' needs a duration and a threshold");
  }
  return {
    duration: given.duration,
    threshold: given.threshold,
    unlockOnPasswordReset: given.unlockOnPasswordReset ?? false,
  };
}

const DEFAULT_PROTECTED_FIELDS = { _User: { '*': ['email'] } } as const;

type ProtectedFields = AppContext['users']['protectedFields'];

function mergeProtectedFields(base: ProtectedFields, extra: ProtectedFields): ProtectedFields {
  const merged: Record<string, Record<string, string[]>> = {};
  for (const source of [base, extra]) {
    for (const [className, principals] of Object.entries(source)) {
      const target = merged[className] ?? {};
      merged[className] = target;
      for (const [principal, fields] of Object.entries(principals)) {
        target[principal] = [...new Set([...(target[principal] ?? []), ...fields])];
      }
    }
  }
  return merged;
}

export function authProviders(options: ParseServerOptions): AppContext['authProviders'] {
  const providers: Record<string, ConfiguredAuthProvider> = {};
  for (const [name, config] of Object.entries(options.auth ?? {})) {
    const { module, ...rest } = config;
    const settings = rest as ConfiguredAuthProvider['options'];
    const builtIn = BUILT_IN_PROVIDERS[name];
    if (module === undefined && builtIn) {
      providers[name] = { adapter: builtIn(settings), options: settings };
      continue;
    }
    if (typeof module?.validateAuthData !== 'function') {
      throw new TypeError(
        `[core] auth.${name}.module must be an auth adapter with a validateAuthData function (built in: ${Object.keys(BUILT_IN_PROVIDERS).join(', ')})`,
      );
    }
    providers[name] = { adapter: module, options: settings };
  }
  return providers;
}
