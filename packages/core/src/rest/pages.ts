import { isJsonObject } from '../encoding/values.js';
import { isParseError, ParseError, ParseErrorCode } from '../errors.js';
import {
  type EmailSettings,
  requestVerificationEmail,
  resetPassword,
  userForResetToken,
  verifyEmail,
} from '../users/email.js';
import type { AppContext, RestRequest, RestResponse } from './types.js';

/** The user-facing pages, by parse-server's page ids (the keys of `pages.customUrls`). */
const PAGES = {
  passwordReset: 'password_reset.html',
  passwordResetSuccess: 'password_reset_success.html',
  passwordResetLinkInvalid: 'password_reset_link_invalid.html',
  emailVerificationSuccess: 'email_verification_success.html',
  emailVerificationSendFail: 'email_verification_send_fail.html',
  emailVerificationSendSuccess: 'email_verification_send_success.html',
  emailVerificationLinkInvalid: 'email_verification_link_invalid.html',
} as const;

type PageId = keyof typeof PAGES;
type Params = Record<string, string | undefined>;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The body of each page; every parameter is escaped before it gets here. */
function pageBody(id: PageId, p: Record<string, string>): { title: string; body: string } {
  switch (id) {
    case 'passwordReset':
      return {
        title: 'Choose a new password',
        body: `<h1>Choose a new password for ${p.appName}</h1>
${p.error ? `<p class="error">${p.error}</p>` : ''}
<form method="POST" action="${p.publicServerUrl}/apps/${p.appId}/request_password_reset">
  <input type="hidden" name="token" value="${p.token}">
  <label>New password <input type="password" name="new_password" autocomplete="new-password" required></label>
  <button type="submit">Change password</button>
</form>`,
      };
    case 'passwordResetSuccess':
      return { title: 'Password changed', body: `<h1>Your ${p.appName} password has been changed.</h1>` };
    case 'passwordResetLinkInvalid':
      return {
        title: 'Invalid link',
        body: '<h1>This password reset link is invalid or has expired.</h1><p>Ask for a new one from the app.</p>',
      };
    case 'emailVerificationSuccess':
      return { title: 'Email verified', body: `<h1>Your email address for ${p.appName} is verified.</h1>` };
    case 'emailVerificationSendSuccess':
      return { title: 'Email sent', body: '<h1>A new verification email is on its way.</h1>' };
    case 'emailVerificationSendFail':
      return { title: 'Email not sent', body: '<h1>No verification email could be sent.</h1>' };
    case 'emailVerificationLinkInvalid':
      return {
        title: 'Invalid link',
        body: '<h1>This verification link is invalid or has expired.</h1><p>Ask for a new one from the app.</p>',
      };
  }
}

function html(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}
label,input,button{display:block;width:100%;margin:.5rem 0;font-size:1rem}input,button{padding:.5rem}.error{color:#b00020}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The settings the pages need, or a 404 when emails are not configured (as parse-server). */
function settingsOr404(app: AppContext): EmailSettings | undefined {
  return app.users.email;
}

/** A text answer (pages are HTML; their errors and XHR answers plain text). */
function textAnswer(
  status: number,
  contentType: string,
  data: string,
  headers: Record<string, string> = {},
): RestResponse {
  return { status, body: null, headers: { ...headers, 'Content-Type': contentType }, raw: Buffer.from(data) };
}

const NOT_FOUND = textAnswer(404, 'text/plain; charset=utf-8', 'Not found.');

/** Renders a page, or redirects to its custom URL (or, for `redirect`, to its own URL). */
function page(
  app: AppContext,
  email: EmailSettings,
  id: PageId,
  params: Params,
  redirect = false,
): RestResponse {
  const all: Params = {
    appId: app.appId,
    appName: email.appName,
    publicServerUrl: email.publicServerURL,
    ...params,
  };
  const query = new URLSearchParams(
    Object.entries(all).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  ).toString();
  const custom = app.users.pageUrls[id];
  if (custom || redirect) {
    const target = custom ?? `${email.publicServerURL}/apps/${PAGES[id]}`;
    return textAnswer(303, 'text/plain; charset=utf-8', '', { Location: `${target}?${query}` });
  }
  const escaped = Object.fromEntries(
    Object.entries(all).map(([key, value]) => [key, escapeHtml(value ?? '')]),
  );
  const { title, body } = pageBody(id, escaped);
  return textAnswer(200, 'text/html; charset=utf-8', html(escapeHtml(title), body));
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function appMatches(req: RestRequest, app: AppContext): boolean {
  return req.params.appId === app.appId;
}

/** `GET /apps/:appId/verify_email?token=…`: the link of the verification email. */
export async function verifyEmailPage(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const email = settingsOr404(app);
  if (!email || !appMatches(req, app)) return NOT_FOUND;
  const token = text(req.query.token);
  const verified = token ? await verifyEmail(app, token) : false;
  return page(app, email, verified ? 'emailVerificationSuccess' : 'emailVerificationLinkInvalid', {});
}

/** `POST /apps/:appId/resend_verification_email` (form: `username`): a new verification email. */
export async function resendVerificationPage(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const email = settingsOr404(app);
  if (!email || !appMatches(req, app)) return NOT_FOUND;
  const form = isJsonObject(req.body) ? req.body : {};
  const username = text(form.username);
  if (!username) return page(app, email, 'emailVerificationLinkInvalid', {}, true);
  const [user] = (await app.schema.exists('_User'))
    ? await app.storage.find({
        className: '_User',
        where: {
          kind: 'compare',
          field: { name: 'username', path: [], type: 'String' },
          op: 'eq',
          value: username,
        },
        limit: 1,
      })
    : [];
  try {
    if (typeof user?.email === 'string') await requestVerificationEmail(app, user.email);
  } catch (error) {
    if (!email.emailVerifySuccessOnInvalidEmail) {
      return page(app, email, 'emailVerificationSendFail', {}, true);
    }
    if (!isParseError(error)) throw error;
  }
  return page(app, email, 'emailVerificationSendSuccess', {}, true);
}

/** `GET /apps/:appId/request_password_reset?token=…`: the link of the reset email, a form. */
export async function passwordResetPage(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const email = settingsOr404(app);
  if (!email || !appMatches(req, app)) return NOT_FOUND;
  const token = text(req.query.token);
  const user = token ? await userForResetToken(app, token) : undefined;
  if (!user) return page(app, email, 'passwordResetLinkInvalid', {});
  return page(app, email, 'passwordReset', { token, username: text(user.username) });
}

/**
 * `POST /apps/:appId/request_password_reset` (form: `token`, `new_password`): sets the password.
 * A browser form gets a page; an XHR gets text, or a Parse error.
 */
export async function passwordResetSubmit(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const email = settingsOr404(app);
  if (!email || !appMatches(req, app)) return NOT_FOUND;
  const form = isJsonObject(req.body) ? req.body : {};
  const token = text(form.token);
  const password = text(form.new_password);
  const xhr = req.info.xhr === true;
  if (!xhr && (!token || !password)) return page(app, email, 'passwordResetLinkInvalid', {});
  if (!token) throw new ParseError(ParseErrorCode.OTHER_CAUSE, 'Missing token');
  if (!password) throw new ParseError(ParseErrorCode.PASSWORD_MISSING, 'Missing password');
  try {
    await resetPassword(app, token, password);
  } catch (error) {
    if (!isParseError(error)) throw error;
    if (xhr) throw new ParseError(ParseErrorCode.OTHER_CAUSE, error.message);
    return page(app, email, 'passwordReset', { token, error: error.message });
  }
  if (xhr) return textAnswer(200, 'text/plain; charset=utf-8', 'Password successfully reset');
  return page(app, email, 'passwordResetSuccess', {});
}

/** `GET /apps/:page` for the page files themselves (the targets of redirects). */
export async function staticPage(req: RestRequest, app: AppContext): Promise<RestResponse> {
  const email = settingsOr404(app);
  const id = (Object.keys(PAGES) as PageId[]).find((key) => PAGES[key] === req.params.page);
  if (!email || !id) return NOT_FOUND;
  const params: Params = {};
  for (const key of ['token', 'username', 'error']) params[key] = text(req.query[key]);
  return page(app, email, id, params);
}
