import { afterEach, it } from 'vitest';
import { RestClient, type RestSuiteTarget } from './client.js';
import type { RestTestId } from './ids.js';

/** Options of `runRestSuite`. */
export interface RestSuiteOptions {
  /** Tests to skip: test id → the reason (required, shown in the report). */
  readonly skip?: Partial<Record<RestTestId, string>>;
  /**
   * The server runs the kit's cloud file (`restSuiteCloudFile`): registers the Cloud Code
   * group (otherwise it is a visible skip). Given here because a target function is only read
   * once the server has started.
   * @default false
   */
  readonly cloud?: boolean;
}

/** What each REST test receives. */
export interface RestContext {
  readonly api: RestClient;
  /** A class name unique to this test, removed (objects and schema) after it. */
  className(base: string): string;
  /** Creates a class with the master key (clients may not create classes by default). */
  createClass(
    base: string,
    fields?: Record<string, unknown>,
    extra?: Record<string, unknown>,
  ): Promise<string>;
}

/** Runs REST tests by id, each with its own classes. */
export interface RestHarness {
  test(id: RestTestId, title: string, body: (context: RestContext) => Promise<void>): void;
}

const suffix = () => Math.random().toString(36).slice(2, 8);

/** Registers cleanup in the current `describe` and returns the harness. */
export function restHarness(
  target: RestSuiteTarget | (() => RestSuiteTarget),
  options: RestSuiteOptions,
): RestHarness {
  const api = new RestClient(typeof target === 'function' ? target : () => target);
  let created: string[] = [];
  afterEach(async () => {
    const names = created;
    created = [];
    for (const name of names) {
      await api.delete(`/purge/${name}`, { as: 'master' });
      await api.delete(`/schemas/${name}`, { as: 'master' });
    }
  });
  const context: RestContext = {
    api,
    className(base) {
      const name = `${base}_${suffix()}`;
      created.push(name);
      return name;
    },
    async createClass(base, fields = {}, extra = {}) {
      const name = context.className(base);
      const answer = await api.post(
        `/schemas/${name}`,
        { className: name, fields, ...extra },
        { as: 'master' },
      );
      if (answer.status !== 200)
        throw new Error(`creating class ${name} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return name;
    },
  };
  return {
    test(id, title, body) {
      const reason = options.skip?.[id];
      if (reason) it.skip(`${id}: ${title} (skipped: ${reason})`, () => undefined);
      else it(`${id}: ${title}`, () => body(context));
    },
  };
}
