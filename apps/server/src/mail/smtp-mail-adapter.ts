import type { MailAdapter, MailMessage } from '@openparse/core';
import nodemailer, { type Transporter } from 'nodemailer';

/** Options of {@link SmtpMailAdapter}. */
export interface SmtpMailAdapterOptions {
  /** The sender, e.g. `'My App <no-reply@example.com>'`. */
  readonly from: string;
  /** A connection URL: `smtp://user:pass@host:587` or `smtps://…:465`. Or give `host`… */
  readonly url?: string;
  readonly host?: string;
  /** @default 587, or 465 when `secure` */
  readonly port?: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. @default false */
  readonly secure?: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Refuse servers without TLS. @default false */
  readonly requireTLS?: boolean;
}

/**
 * Sends the user-flow emails (verification, password reset) over SMTP, with nodemailer.
 *
 * @example
 * emailAdapter: { module: 'smtp', options: { url: 'smtp://user:pass@mail.example.com:587', from: 'App <no-reply@example.com>' } }
 */
export class SmtpMailAdapter implements MailAdapter {
  readonly #from: string;
  readonly #transport: Transporter;

  /** @throws {TypeError} naming the missing option */
  constructor(options: SmtpMailAdapterOptions) {
    if (typeof options?.from !== 'string' || options.from.length === 0) {
      throw new TypeError("emailAdapter.options.from is required (the sender's address)");
    }
    if (!options.url && !options.host) {
      throw new TypeError('emailAdapter.options needs a url (smtp://…) or a host');
    }
    this.#from = options.from;
    this.#transport = options.url
      ? nodemailer.createTransport(options.url)
      : nodemailer.createTransport({
          host: options.host,
          port: options.port ?? (options.secure ? 465 : 587),
          secure: options.secure ?? false,
          auth: options.auth ? { user: options.auth.user, pass: options.auth.pass } : undefined,
          requireTLS: options.requireTLS ?? false,
        });
  }

  async sendMail(message: MailMessage): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
    });
  }

  /** Closes pooled connections. */
  close(): void {
    this.#transport.close();
  }
}
