import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One email the test SMTP server received. */
export interface ReceivedMail {
  readonly to: string[];
  readonly subject: string;
  /** The text body, decoded (quoted-printable and base64 bodies are decoded). */
  readonly text: string;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function parse(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  return { to, subject: header('Subject'), text };
}

/**
 * A real SMTP server on loopback that keeps what it receives: the tests send through it with
 * the SMTP adapter and read the mail back.
 */
export class Mailbox {
  readonly #server: SMTPServer;
  readonly #mail: ReceivedMail[] = [];
  readonly #waiters: { to: string; resolve: (mail: ReceivedMail) => void }[] = [];
  port = 0;

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
          this.#deliver(parse(Buffer.concat(chunks).toString('latin1'), to));
          callback();
        });
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.server.address() as AddressInfo).port;
    return this;
  }

  #deliver(mail: ReceivedMail): void {
    const index = this.#waiters.findIndex((waiter) => mail.to.includes(waiter.to));
    if (index === -1) this.#mail.push(mail);
    else this.#waiters.splice(index, 1)[0]?.resolve(mail);
  }

  /** The next mail to `address` (already received, or the next to arrive; fails after 10 s). */
  next(address: string): Promise<ReceivedMail> {
    const index = this.#mail.findIndex((mail) => mail.to.includes(address));
    if (index !== -1) return Promise.resolve(this.#mail.splice(index, 1)[0] as ReceivedMail);
    return new Promise((resolve, reject) => {
      const waiter = { to: address, resolve };
      this.#waiters.push(waiter);
      setTimeout(() => {
        const at = this.#waiters.indexOf(waiter);
        if (at === -1) return;
        this.#waiters.splice(at, 1);
        reject(new Error(`no mail to ${address} within 10 s`));
      }, 10_000).unref();
    });
  }

  /** Mails received and not read yet. */
  get unread(): readonly ReceivedMail[] {
    return this.#mail;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
