import type { KeyRotation } from '@openparse/core';
import { loadConfig } from './options/load-config.js';
import { ConfigError } from './options/config-error.js';
import { selectFiles } from './files.js';
import { selectStorage } from './storage.js';

/** Where a command writes: stdout for results, stderr for progress. */
export interface CommandOutput {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

export const FILES_USAGE = [
  'Usage: openparse files rotate-key [--oldKey <key>] [--fileNames a.png,b.txt] [config.json] [--option value ...]',
  '',
  'Re-encrypts stored files from --oldKey (omit it for files stored unencrypted) to the configured',
  'encryptionKey (none: decrypts them), file by file, each rewritten and swapped in whole. The files',
  'adapter and database come from the usual options (config file, PARSE_SERVER_* variables, flags).',
  'Stop the server first when it runs on the embedded database. Exits 1 when a file was not rotated.',
].join('\n');

function takeFlag(argv: string[], name: string): string | undefined {
  const index = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index === -1) return undefined;
  const [arg = ''] = argv.splice(index, 1);
  if (arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
  const [value] = argv.splice(index, 1);
  if (value === undefined || value.startsWith('--')) throw new ConfigError(`--${name} needs a value.`);
  return value;
}

function progressBar(done: number, total: number, name: string): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${name.slice(0, 40).padEnd(40)}`;
}

/**
 * `openparse files <command>`: today `rotate-key`. Answers the exit code.
 * @throws {ConfigError} for unusable arguments or options, naming them.
 */
export async function runFilesCommand(
  argv: readonly string[],
  sources: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> },
  output: CommandOutput,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'rotate-key') {
    output.stderr.write(`${FILES_USAGE}\n`);
    return command === undefined || command === '--help' ? 0 : 1;
  }
  const args = [...rest];
  if (args.includes('--help')) {
    output.stdout.write(`${FILES_USAGE}\n`);
    return 0;
  }
  const oldKey = takeFlag(args, 'oldKey');
  const fileNames = takeFlag(args, 'fileNames')
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const config = loadConfig({ argv: args, env: sources.env, cwd: sources.cwd });
  const { storage } = selectStorage(config.databaseURI, sources.cwd);
  const files = await selectFiles(config, storage, sources.cwd);
  const adapter = files.adapter as Partial<KeyRotation> & typeof files.adapter;
  if (typeof adapter.rotateEncryptionKey !== 'function') {
    throw new ConfigError(`the files adapter (${files.description}) cannot rotate encryption keys.`);
  }
  try {
    await storage.connect();
    await adapter.connect?.();
    const tty = output.stderr.isTTY === true;
    const result = await adapter.rotateEncryptionKey({
      ...(oldKey !== undefined && { oldKey }),
      ...(fileNames && { fileNames }),
      onProgress: ({ name, rotated, done, total }) => {
        output.stderr.write(
          tty
            ? progressBar(done, total, name)
            : `${done}/${total} ${name}: ${rotated ? 'rotated' : 'NOT rotated'}\n`,
        );
      },
    });
    if (tty) output.stderr.write('\n');
    output.stdout.write(`rotated ${result.rotated.length} file(s) (${files.description})\n`);
    if (result.notRotated.length > 0) {
      output.stdout.write(
        `not rotated ${result.notRotated.length} file(s), unreadable with --oldKey or missing: ${result.notRotated.join(', ')}\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    await adapter.close?.();
    await storage.close();
  }
}
