/**
 * A problem with the configuration; the message names the option and where it came from
 * (`config file`, the variable, or the `--flag`). The CLI prints it and exits 1.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
