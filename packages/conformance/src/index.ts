export * from './storage/index.js';
export * from './files/index.js';
export * from './rest/index.js';
