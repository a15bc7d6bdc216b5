// The cloud file of the conformance kit's Cloud Code group. Run the server under test with it
// (OpenParse: `cloud: restSuiteCloudFile`; parse-server: `cloud: restSuiteCloudFile`).
// CommonJS and the global Parse only, as a cloud/main.js written for parse-server.

Parse.Cloud.define('conformanceHello', () => 'Hello world!');

Parse.Cloud.define('conformanceEcho', (request) => request.params);

Parse.Cloud.define('conformanceRequest', (request) => ({
  master: request.master,
  installationId: request.installationId,
  functionName: request.functionName,
  context: request.context,
  dateParam: request.params.when instanceof Date,
}));

Parse.Cloud.define('conformanceEncoded', async (request) => {
  const object = new Parse.Object(request.params.className);
  object.set('name', 'saved in cloud');
  await object.save(null, { useMasterKey: true });
  return { when: new Date('2020-01-02T03:04:05.000Z'), pointer: object.toPointer(), object };
});

Parse.Cloud.define('conformanceQuery', async (request) => {
  const query = new Parse.Query(request.params.className);
  const withMaster = await query.find({ useMasterKey: true });
  const asPublic = await new Parse.Query(request.params.className).count();
  return { withMaster: withMaster.length, asPublic };
});

Parse.Cloud.define('conformanceRun', () => Parse.Cloud.run('conformanceHello'));

// The signed-in user, and a read made as that user with its session token.
Parse.Cloud.define('conformanceWhoAmI', async (request) => {
  if (!request.user) return { user: null };
  const token = request.user.getSessionToken();
  const me = await new Parse.Query(Parse.User).get(request.user.id, { sessionToken: token });
  return { user: request.user.id, username: me.get('username') };
});

Parse.Cloud.define('conformanceNeedsUser', () => 'welcome', { requireUser: true });

// request.user is the whole user (as the master key reads it, without the password), synchronously.
Parse.Cloud.define('conformanceUserFields', (request) => ({
  username: request.user.get('username'),
  city: request.user.get('city') ?? null,
  hasPassword: request.user.has('password') || request.user.has('_hashed_password'),
  sessionToken: request.user.getSessionToken() === request.headers['x-parse-session-token'],
}));

Parse.Cloud.define('conformanceNeedsCity', (request) => request.user.get('city'), {
  requireUserKeys: ['city'],
});

Parse.Cloud.define('conformanceNeedsPlan', () => 'planned', {
  requireUserKeys: { plan: { options: ['gold', 'silver'], error: 'Gold or silver only.' } },
});

Parse.Cloud.define('conformanceStaffOnly', () => 'staff', { requireAnyUserRoles: ['ConformanceStaff'] });

// Login and logout triggers, for users whose name says so (other tests' logins stay untouched).
Parse.Cloud.beforeLogin((request) => {
  if (request.object.get('username').startsWith('cloudblocked')) {
    throw 'Login blocked by beforeLogin';
  }
});

Parse.Cloud.afterLogin(async (request) => {
  if (!request.object.get('username').startsWith('cloudlog')) return;
  const entry = new Parse.Object('ConformanceLoginLog');
  entry.set('userId', request.object.id);
  await entry.save(null, { useMasterKey: true });
});

Parse.Cloud.afterLogout(async (request) => {
  const entry = new Parse.Object('ConformanceLogoutLog');
  entry.set('userId', request.object.get('user').id);
  await entry.save(null, { useMasterKey: true });
});

Parse.Cloud.define('conformanceThrowsString', () => {
  throw 'a plain string';
});

Parse.Cloud.define('conformanceThrowsParseError', () => {
  throw new Parse.Error(Parse.Error.DUPLICATE_VALUE, 'already there');
});

Parse.Cloud.define('conformanceThrowsError', () => {
  throw new Error('something broke');
});

Parse.Cloud.define('conformanceMasterOnly', () => 'secret', { requireMaster: true });

Parse.Cloud.define('conformanceFields', (request) => request.params, {
  fields: {
    name: { type: String, required: true },
    level: { type: Number, default: 1, options: [1, 2, 3] },
  },
});

Parse.Cloud.beforeSave('ConformanceCloudScore', (request) => {
  const score = request.object;
  if (score.get('score') < 0) throw 'score must not be negative';
  if (score.get('cheat')) throw new Parse.Error(Parse.Error.INVALID_VALUE, 'no cheating');
  score.set('normalizedName', String(score.get('name') || '').toLowerCase());
  if (request.original) score.set('previousScore', request.original.get('score'));
});

Parse.Cloud.afterSave('ConformanceCloudScore', () => {
  throw new Error('afterSave failures do not change the answer');
});

Parse.Cloud.beforeDelete('ConformanceCloudScore', (request) => {
  if (request.object.get('locked')) throw 'locked scores cannot be deleted';
});

// Every object of the class has a name, so the rewritten query is valid for every read.
Parse.Cloud.beforeFind('ConformanceCloudScore', (request) => {
  request.query.notEqualTo('name', 'Hidden');
});

Parse.Cloud.afterFind('ConformanceCloudScore', (request) =>
  request.objects.map((object) => {
    object.set('seenByAfterFind', true);
    return object;
  }),
);

Parse.Cloud.job('conformanceJob', async (request) => {
  await request.message('working');
  if (request.params.fail) throw new Error('the job failed');
  return 'done';
});

// File triggers, for files whose names say so (other tests' files pass through untouched).
Parse.Cloud.beforeSave(Parse.File, (request) => {
  const name = request.file.name();
  if (name.startsWith('cloudrefused')) throw 'This file is not welcome';
  if (name.startsWith('cloudreplaced')) {
    const text = `replaced ${request.fileSize} bytes`;
    return new Parse.File(
      'cloudreplacement.txt',
      { base64: Buffer.from(text).toString('base64') },
      'text/plain',
    );
  }
  return undefined;
});

Parse.Cloud.afterSave(Parse.File, async (request) => {
  if (!request.file.name().includes('cloudlogged')) return;
  const entry = new Parse.Object('ConformanceFileLog');
  entry.set({ name: request.file.name(), size: request.fileSize, url: request.file.url() });
  await entry.save(null, { useMasterKey: true });
});

Parse.Cloud.beforeDelete(Parse.File, (request) => {
  if (request.file.name().includes('cloudkept')) throw 'This file stays';
});

Parse.Cloud.beforeFind(Parse.File, (request) => {
  if (request.file.name().includes('cloudhidden')) throw new Parse.Error(119, 'Hidden by beforeFind');
});

Parse.Cloud.afterFind(Parse.File, (request) => {
  if (request.file.name().includes('cloudattached')) request.forceDownload = true;
});
