// parse-server 9 with the bench's app settings; prints {"url": …} when ready.
import http from 'node:http';
import express from 'express';
import FSFilesAdapter from '@parse/fs-files-adapter';
import { ParseServer } from 'parse-server';

// Files go to ./files under the working directory the bench gives it.
const { CLOUD, DATABASE_URI, PORT } = process.env;
const app = express();
const server = http.createServer(app);
const parse = new ParseServer({
  appId: 'bench',
  masterKey: 'bench-master',
  databaseURI: DATABASE_URI,
  serverURL: `http://127.0.0.1:${PORT}/parse`,
  logLevel: 'error',
  silent: true,
  allowClientClassCreation: false,
  cloud: CLOUD,
  filesAdapter: new FSFilesAdapter(),
});
await parse.start();
app.use('/parse', parse.app);
server.listen(Number(PORT), '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${PORT}/parse` })}\n`),
);
process.on('SIGTERM', () => process.exit(0));
