// Runs the REST suite against parse-server 9, started by run.mjs (`npm run conformance:reference`).
import { type RestSuiteTarget, runRestSuite } from '@openparse/conformance';
import { DEFERRED_TO_DIFFERENCES } from './differences.js';

const target = process.env.REFERENCE_TARGET;
if (!target) {
  throw new Error('run through `npm run conformance:reference`, which starts parse-server');
}

// `run.mjs --all` runs the differences too, to show that parse-server still behaves that way.
const skip = process.env.REFERENCE_ALL === '1' ? {} : DEFERRED_TO_DIFFERENCES;
runRestSuite(JSON.parse(target) as RestSuiteTarget, { skip });
