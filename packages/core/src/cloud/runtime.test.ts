import { afterEach, describe, expect, it } from 'vitest';
import { activeRuntime, CloudRuntime } from './runtime.js';

const started: CloudRuntime[] = [];

function runtime(): CloudRuntime {
  const cloud = new CloudRuntime();
  cloud.installSdk({ appId: 'app', masterKey: 'master', serverURL: 'http://localhost:1337/parse' });
  started.push(cloud);
  return cloud;
}

/** Which runtime code sees after yielding to the event loop, as a handler does after an await. */
async function seenLater(): Promise<CloudRuntime> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return activeRuntime();
}

afterEach(() => {
  for (const cloud of started.splice(0)) cloud.detach();
});

describe('activeRuntime', () => {
  it('is the only runtime, inside and outside its handlers', async () => {
    const only = runtime();
    expect(await only.run(seenLater)).toBe(only);
    expect(activeRuntime()).toBe(only);
  });

  it('follows each handler through its awaits when two servers share the process', async () => {
    const first = runtime();
    const second = runtime();
    const [a, b] = await Promise.all([first.run(seenLater), second.run(seenLater)]);
    expect(a).toBe(first);
    expect(b).toBe(second);
    // Outside any handler: the last one started.
    expect(activeRuntime()).toBe(second);
  });

  it('falls back to the runtime still attached once the other detaches', async () => {
    const first = runtime();
    const second = runtime();
    second.detach();
    expect(activeRuntime()).toBe(first);
    expect(await first.run(seenLater)).toBe(first);
  });

  it('fails outside any running server', () => {
    expect(() => activeRuntime()).toThrow('Parse.Cloud is used outside a running OpenParse server');
  });
});
