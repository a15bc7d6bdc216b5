import { ParseError, ParseErrorCode } from '@openparse/core';
import type { Queryable } from './database.js';

/**
 * Whether the spherical geo functions (`cube` + `earthdistance`, stock PostgreSQL contrib) can
 * be used. Box, polygon and intersects queries use the built-in geometric types and never
 * need them; `$nearSphere` and `$centerSphere` do.
 */
export type GeoSupport =
  | { readonly available: true }
  | { readonly available: false; readonly reason: string };

const EXTENSIONS = ['cube', 'earthdistance'] as const;

async function installed(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT count(*)::int AS n FROM pg_extension WHERE extname = ANY($1::text[])',
    [[...EXTENSIONS]],
  );
  return Number(rows[0]?.n) === EXTENSIONS.length;
}

/**
 * Creates the extensions unless they exist. A database that does not allow it (no CREATE
 * privilege, the contrib package missing, a PGlite created without them) stays usable: the
 * reason is kept and reported by the first spherical query.
 */
export async function enableGeo(db: Queryable): Promise<GeoSupport> {
  if (await installed(db)) return { available: true };
  try {
    for (const name of EXTENSIONS) await db.query(`CREATE EXTENSION IF NOT EXISTS ${name}`);
    return { available: true };
  } catch (error) {
    // A concurrent connect may have created them between our check and our CREATE.
    if (await installed(db).catch(() => false)) return { available: true };
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The error a spherical query raises when the extensions are missing. */
export function geoUnavailable(operator: string, reason: string): ParseError {
  return new ParseError(
    ParseErrorCode.INTERNAL_SERVER_ERROR,
    `[storage-postgres] ${operator} needs the PostgreSQL extensions cube and earthdistance, which could not be created (${reason}). Run CREATE EXTENSION cube; CREATE EXTENSION earthdistance; as a privileged user (with PGlite, load @electric-sql/pglite/contrib/cube and earthdistance).`,
  );
}
