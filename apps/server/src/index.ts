export { createServer, EMBEDDED_DIR, type RunningServer } from './create-server.js';
export { embeddedKeys, type EmbeddedKeys } from './embedded-keys.js';
export { createLogger } from './logger.js';
export { OPTION_DEFINITIONS, type OptionDefinition, type OptionType } from './options/definitions.js';
export { helpText, optionsTable } from './options/help.js';
export {
  ConfigError,
  coerce,
  loadConfig,
  parseArgv,
  type ConfigSources,
  type ServerConfig,
} from './options/load-config.js';
export { NOT_YET_SUPPORTED } from './options/not-yet-supported.js';
