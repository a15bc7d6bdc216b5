import { runRestSuite } from '@openparse/conformance';
import { DEFERRED_TO_DIFFERENCES } from './differences.js';

const { REFERENCE_SERVER_URL, REFERENCE_APP_ID, REFERENCE_MASTER_KEY } = process.env;
if (!REFERENCE_SERVER_URL || !REFERENCE_APP_ID || !REFERENCE_MASTER_KEY) {
  throw new Error(
    'run through `npm run conformance:reference`, which starts parse-server and sets REFERENCE_*',
  );
}

runRestSuite(
  { serverURL: REFERENCE_SERVER_URL, appId: REFERENCE_APP_ID, masterKey: REFERENCE_MASTER_KEY },
  { skip: DEFERRED_TO_DIFFERENCES },
);
