/** One email, as parse-server's email adapters receive it. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** What the verification and password-reset emails are about. */
export interface UserMailOptions {
  /** The link the user follows (verify the address, or choose a new password). */
  readonly link: string;
  readonly appName: string;
  /** The user, as stored (internal fields removed): `email`, `username`… */
  readonly user: Readonly<Record<string, unknown>>;
}

/**
 * Sends the emails of the user flows (address verification, password reset). parse-server's
 * email adapter interface: an adapter written for parse-server works unchanged.
 *
 * Implementations: the SMTP adapter of `@openparse/server`. Without the optional methods, core
 * composes plain-text messages and calls `sendMail`.
 */
export interface MailAdapter {
  sendMail(message: MailMessage): Promise<unknown> | unknown;
  /** Sends the address verification email its own way (templates…). */
  sendVerificationEmail?(options: UserMailOptions): Promise<unknown> | unknown;
  /** Sends the password reset email its own way. */
  sendPasswordResetEmail?(options: UserMailOptions): Promise<unknown> | unknown;
}
