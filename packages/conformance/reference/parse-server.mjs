// Starts parse-server 9 (installed in ./work) with the settings the REST suite expects and
// reports its URL to the parent (run.mjs) over IPC. Not part of the published kit.
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(new URL('./work/package.json', import.meta.url));
const express = require('express');
const { ParseServer } = require('parse-server');

const settings = JSON.parse(process.env.REFERENCE_SETTINGS ?? '{}');
const app = express();
const server = http.createServer(app);
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const serverURL = `http://127.0.0.1:${server.address().port}/parse`;
const parse = new ParseServer({ ...settings, serverURL });
await parse.start();
app.use('/parse', parse.app);
// parse-server answers an HTTP error (403 "Permission denied", 413, 500) and then passes the
// error on with next(err); Express's final handler then destroys the socket of the answered
// request, which breaks the client's next keep-alive request. The answer itself is unchanged.
app.use((error, _request, response, next) => {
  if (response.headersSent) return;
  next(error);
});
if (process.send) process.send({ serverURL });
else console.log(JSON.stringify({ serverURL }));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
