import type { MailAdapter } from '@openparse/core';
import { loadAdapterModule } from '../modules.js';
import { ConfigError } from '../options/config-error.js';
import { SmtpMailAdapter, type SmtpMailAdapterOptions } from './smtp-mail-adapter.js';

/**
 * The `emailAdapter` option, as parse-server reads it: a module path or package name, or
 * `{ module, options }`. `module: 'smtp'` is the built-in SMTP adapter.
 * @throws {ConfigError} naming the option
 */
export async function loadEmailAdapter(
  value: string | Readonly<Record<string, unknown>> | undefined,
  cwd: string,
): Promise<MailAdapter | undefined> {
  if (value === undefined) return undefined;
  const { module, options } = typeof value === 'string' ? { module: value, options: undefined } : value;
  if (typeof module !== 'string' || module.length === 0) {
    throw new ConfigError("emailAdapter needs a module: 'smtp', a path or a package name");
  }
  let adapter: unknown;
  if (module === 'smtp') {
    try {
      adapter = new SmtpMailAdapter(options as SmtpMailAdapterOptions);
    } catch (cause) {
      throw new ConfigError((cause as Error).message, { cause });
    }
  } else adapter = await loadAdapterModule('emailAdapter.module', module, cwd, options);
  if (typeof (adapter as Partial<MailAdapter> | undefined)?.sendMail !== 'function') {
    throw new ConfigError(`emailAdapter '${module}' has no sendMail function`);
  }
  return adapter as MailAdapter;
}
