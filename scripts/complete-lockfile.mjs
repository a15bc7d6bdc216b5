// Adds the platform-specific optional packages (darwin, windows, musl…) that the registry
// mirror of our build machines does not serve, so package-lock.json lists them as every
// npm registry would and `npm ci` accepts it. Entries carry the os / cpu / libc npm uses
// to skip them; they are never downloaded on Linux. Run after `npm install` changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const OS = [
  [/darwin/, 'darwin'],
  [/win32|windows/, 'win32'],
  [/android/, 'android'],
  [/freebsd/, 'freebsd'],
  [/linux/, 'linux'],
];
const CPU = [
  [/arm64|aarch64/, 'arm64'],
  [/x64|x86_64|-64$|-64-/, 'x64'],
  [/ia32/, 'ia32'],
  [/arm(-|eabi|$)/, 'arm'],
];

function platformOf(name) {
  const os = OS.find(([pattern]) => pattern.test(name))?.[1];
  const cpu = CPU.find(([pattern]) => pattern.test(name))?.[1];
  const libc = /musl/.test(name) ? 'musl' : undefined;
  return os && cpu ? { os, cpu, libc } : undefined;
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key] || packages[`${location}/${key}`]) continue;
    const platform = platformOf(name);
    if (!platform) throw new Error(`cannot tell the platform of optional dependency ${name}; add it by hand`);
    packages[key] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
    };
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
