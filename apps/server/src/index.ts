export { type BannerServer, bannerText } from './banner.js';
export { type CreateServerOptions, createServer, type RunningServer } from './create-server.js';
export { type CommandOutput, FILES_USAGE, runFilesCommand } from './files-command.js';
export { type FilesAdapterOption, type SelectedFiles, selectFiles } from './files.js';
export { type AppKeys, embeddedKeys } from './keys.js';
export { createLogger } from './logger.js';
export { SmtpMailAdapter, type SmtpMailAdapterOptions } from './mail/smtp-mail-adapter.js';
export { parseArgv, type ParsedArgv } from './options/argv.js';
export { coerce } from './options/coerce.js';
export { ConfigError } from './options/config-error.js';
export { OPTION_DEFINITIONS, type ServerConfig, SUPPORTED_OPTIONS } from './options/definitions.js';
export { helpText, notYetTable, optionsTable } from './options/help.js';
export { type ConfigSources, loadConfig } from './options/load-config.js';
export { RECOGNISED_OPTIONS } from './options/recognised.js';
export {
  type ConfigOf,
  flagOf,
  type OptionDefinition,
  type OptionStatus,
  type OptionType,
  type OptionValueTypes,
} from './options/types.js';
export { EMBEDDED_DIR, redactURI, type SelectedStorage, selectStorage } from './storage.js';
