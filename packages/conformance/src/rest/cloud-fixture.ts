import { fileURLToPath } from 'node:url';

/**
 * The kit's cloud file (CommonJS, `cloud/main.js` in this package). Start the server under test
 * with it as its `cloud` option and set `cloud: true` in the target to run the Cloud Code group.
 */
export const restSuiteCloudFile: string = fileURLToPath(new URL('../../cloud/main.js', import.meta.url));
