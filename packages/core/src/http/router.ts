/** A matched route: its value and the `:params` of the path. */
export interface RouteMatch<T> {
  readonly value: T;
  readonly params: Record<string, string>;
}

interface Route<T> {
  readonly segments: readonly string[];
  /** For each segment, the parameter it binds, or undefined for a literal segment. */
  readonly params: readonly (string | undefined)[];
  readonly value: T;
}

/**
 * A method + path router over path segments. Routes are grouped by method and first
 * segment, so a lookup compares a handful of patterns, never a regex chain.
 */
export class Router<T> {
  /** method → first segment → routes, in the order they were added. */
  readonly #routes = new Map<string, Map<string, Route<T>[]>>();

  /** Adds a route such as `GET /classes/:className/:objectId`. */
  add(method: string, path: string, value: T): this {
    const segments = path.split('/').filter((segment) => segment.length > 0);
    const params = segments.map((segment) => (segment.startsWith(':') ? segment.slice(1) : undefined));
    let byFirst = this.#routes.get(method);
    if (!byFirst) {
      byFirst = new Map();
      this.#routes.set(method, byFirst);
    }
    const first = segments[0] ?? '';
    const list = byFirst.get(first) ?? [];
    list.push({ segments, params, value });
    byFirst.set(first, list);
    return this;
  }

  /** Finds the route for `method` and a path already split into decoded segments. */
  match(method: string, segments: readonly string[]): RouteMatch<T> | undefined {
    const candidates = this.#routes.get(method)?.get(segments[0] ?? '');
    if (!candidates) return undefined;
    for (const route of candidates) {
      if (route.segments.length !== segments.length) continue;
      let matched = true;
      for (let i = 0; i < segments.length; i++) {
        if (route.params[i] === undefined && route.segments[i] !== segments[i]) {
          matched = false;
          break;
        }
      }
      if (!matched) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const name = route.params[i];
        if (name !== undefined) params[name] = segments[i] as string;
      }
      return { value: route.value, params };
    }
    return undefined;
  }

  /** True when some method has a route for these segments (to answer 405-like misses). */
  has(segments: readonly string[]): boolean {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      if (this.match(method, segments)) return true;
    }
    return false;
  }
}

/** Splits a path (without query string) into decoded, non-empty segments. */
export function splitPath(path: string): string[] {
  const segments: string[] = [];
  for (const raw of path.split('/')) {
    if (raw.length === 0) continue;
    if (!raw.includes('%')) {
      segments.push(raw);
      continue;
    }
    try {
      segments.push(decodeURIComponent(raw));
    } catch {
      segments.push(raw);
    }
  }
  return segments;
}
