import { BlockList, isIP } from 'node:net';
import type { ClientInfo } from '../http/client-info.js';
import { type Auth, MAINTENANCE_AUTH, MASTER_AUTH, PUBLIC_AUTH, READ_ONLY_MASTER_AUTH } from './auth.js';

/** The key settings of an app. */
export interface KeySettings {
  readonly appId: string;
  readonly masterKey: string;
  readonly readOnlyMasterKey?: string;
  readonly maintenanceKey?: string;
  readonly clientKey?: string;
  readonly javascriptKey?: string;
  readonly restAPIKey?: string;
  readonly dotNetKey?: string;
  /** Addresses the master key is accepted from. */
  readonly masterKeyIps: BlockList;
  /** Addresses the read-only master key is accepted from. */
  readonly readOnlyMasterKeyIps: BlockList;
  /** Addresses the maintenance key is accepted from. */
  readonly maintenanceKeyIps: BlockList;
}

/**
 * Builds the allow-list for `masterKeyIps` (addresses and CIDR ranges, IPv4 and IPv6).
 * @throws {RangeError} on an entry that is neither.
 */
export function ipAllowList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (family === 0) throw new RangeError(`masterKeyIps: '${entry}' is not an IP address or range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
        throw new RangeError(`masterKeyIps: '${entry}' has an invalid prefix length`);
      }
      list.addSubnet(address, bits, type);
    }
  }
  return list;
}

/** True when `ip` (as the socket reports it) is in `list`. IPv4-mapped IPv6 counts as IPv4. */
export function ipAllowed(list: BlockList, ip: string): boolean {
  const mapped = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(mapped);
  if (family === 0) return false;
  return list.check(mapped, family === 4 ? 'ipv4' : 'ipv6');
}

function keyMatches(expected: string | undefined, given: string | undefined): boolean {
  return expected !== undefined && given === expected;
}

/**
 * Resolves the keys of a request to its {@link Auth}, or `undefined` when the request must be
 * refused with 403 `unauthorized` (wrong app id, a master key from a refused address, or no
 * matching client key while client keys are configured).
 */
export function authenticateKeys(info: ClientInfo, ip: string, settings: KeySettings): Auth | undefined {
  if (info.appId !== settings.appId || info.malformed) return undefined;
  if (info.masterKey !== undefined && info.masterKey === settings.masterKey) {
    return ipAllowed(settings.masterKeyIps, ip) ? MASTER_AUTH : undefined;
  }
  if (info.masterKey !== undefined && info.masterKey === settings.readOnlyMasterKey) {
    return ipAllowed(settings.readOnlyMasterKeyIps, ip) ? READ_ONLY_MASTER_AUTH : undefined;
  }
  if (settings.maintenanceKey !== undefined && info.maintenanceKey === settings.maintenanceKey) {
    return ipAllowed(settings.maintenanceKeyIps, ip) ? MAINTENANCE_AUTH : undefined;
  }
  const { clientKey, javascriptKey, restAPIKey, dotNetKey } = settings;
  const configured =
    clientKey !== undefined ||
    javascriptKey !== undefined ||
    restAPIKey !== undefined ||
    dotNetKey !== undefined;
  // With client keys configured, one of them must be given (any one: parse-server's rule).
  if (
    configured &&
    !(
      keyMatches(clientKey, info.clientKey) ||
      keyMatches(javascriptKey, info.javascriptKey) ||
      keyMatches(restAPIKey, info.restAPIKey) ||
      keyMatches(dotNetKey, info.dotNetKey)
    )
  ) {
    return undefined;
  }
  return PUBLIC_AUTH;
}
