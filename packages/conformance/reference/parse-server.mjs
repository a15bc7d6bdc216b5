// Starts parse-server 9 (installed in ./work) with the settings the REST suite expects,
// then prints its URL as one JSON line. Run by run.mjs; not part of the published kit.
import { createRequire } from 'node:module';
import http from 'node:http';

const require = createRequire(new URL('./work/package.json', import.meta.url));
const express = require('express');
const { ParseServer } = require('parse-server');

const { DATABASE_URI, APP_ID, MASTER_KEY } = process.env;
const app = express();
const server = http.createServer(app);
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const port = server.address().port;
const serverURL = `http://localhost:${port}/parse`;
const parse = new ParseServer({
  appId: APP_ID,
  masterKey: MASTER_KEY,
  databaseURI: DATABASE_URI,
  serverURL,
  silent: true,
  logLevel: 'error',
});
await parse.start();
app.use('/parse', parse.app);
process.stdout.write(`${JSON.stringify({ serverURL })}\n`);
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
