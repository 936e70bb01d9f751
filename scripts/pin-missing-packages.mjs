#!/usr/bin/env node
// Maintainer tool: makes `yarn install` resolve on the partial registry mirror
// of this machine kind (see docs/registry-pins.md for why).
//
// Yarn resolves every platform's optional packages for the lockfile. Where the
// mirror lacks the version a parent asks for, Yarn fails with
// `YN0082 ... No candidates found`. This loop reads those lines, asks npm for
// the versions that do exist, and maps each missing descriptor to the newest
// existing version in the root package.json `resolutions`. Run it through the
// toolchain after changing dependencies:
//
//   scripts/toolchain.sh node scripts/pin-missing-packages.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const MAX_ROUNDS = 40;
const pkgPath = new URL('../package.json', import.meta.url);

function versionsOf(name) {
  const out = execFileSync('npm', ['view', name, 'versions', '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const parsed = JSON.parse(out);
  return Array.isArray(parsed) ? parsed : [parsed];
}

function compare(a, b) {
  const pa = a.split(/[.-]/).map(x => (/^\d+$/.test(x) ? Number(x) : x));
  const pb = b.split(/[.-]/).map(x => (/^\d+$/.test(x) ? Number(x) : x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    if (pa[i] === undefined) return 1; // 1.0.0 > 1.0.0-rc
    if (pb[i] === undefined) return -1;
    if (typeof pa[i] === typeof pb[i]) return pa[i] < pb[i] ? -1 : 1;
    return typeof pa[i] === 'number' ? 1 : -1;
  }
  return 0;
}

function exists(name, version) {
  try {
    return (
      execFileSync('npm', ['view', `${name}@${version}`, 'version'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() !== ''
    );
  } catch {
    return false;
  }
}

// A missing platform package (`@swc/core-darwin-arm64`) usually has missing
// siblings: find its parent (`@swc/core`, `rollup`, `unrs-resolver`) and check
// all the parent's optional packages at once, instead of one per Yarn round.
const PLATFORM =
  /^(.*?)-(darwin|linux|win32|android|freebsd|openharmony|wasm32|sunos|aix|netbsd|openbsd)(-|$)/;
function missingSiblings(name, version) {
  const base = name.match(PLATFORM)?.[1];
  if (!base) return [];
  const [scope, rest] = base.startsWith('@') ? base.slice(1).split('/') : [];
  const candidates = [base, rest, scope && `${scope}-${rest?.split('-')[0]}`];
  for (const parent of candidates.filter(Boolean)) {
    let optional;
    try {
      optional = JSON.parse(
        execFileSync(
          'npm',
          ['view', `${parent}@${version}`, 'optionalDependencies', '--json'],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        ) || '{}',
      );
    } catch {
      continue;
    }
    if (!optional || !(name in optional)) continue;
    return Object.entries(optional)
      .filter(([sibling, range]) => !exists(sibling, range))
      .map(([sibling, range]) => `${sibling}@npm:${range}`);
  }
  return [];
}

for (let round = 1; round <= MAX_ROUNDS; round++) {
  const result = spawnSync('yarn', ['install', '--mode=update-lockfile'], {
    encoding: 'utf8',
  });
  const output = `${result.stdout}\n${result.stderr}`;
  const missing = new Set();
  for (const match of output.matchAll(
    /YN0082: │ (@?[^@\s]+)@npm:([^:\s]+): No candidates found/g,
  )) {
    missing.add(`${match[1]}@npm:${match[2]}`);
  }
  if (missing.size === 0) {
    const fatal = output
      .split('\n')
      .filter(l => /YN00\d\d: │ .*(Error|error|fail)/.test(l));
    console.log(
      result.status === 0
        ? `round ${round}: lockfile resolves`
        : `round ${round}: yarn failed for another reason:\n${
            fatal.join('\n') || output.slice(-3000)
          }`,
    );
    process.exit(result.status ?? 1);
  }
  for (const descriptor of [...missing]) {
    const at = descriptor.lastIndexOf('@npm:');
    for (const sibling of missingSiblings(
      descriptor.slice(0, at),
      descriptor.slice(at + 5),
    )) {
      missing.add(sibling);
    }
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  for (const descriptor of missing) {
    const at = descriptor.lastIndexOf('@npm:');
    const name = descriptor.slice(0, at);
    const wanted = descriptor.slice(at + 5).replace(/^[\^~]/, '');
    const stable = versionsOf(name).filter(v => !v.includes('-'));
    const older = stable.filter(v => compare(v, wanted) <= 0).sort(compare);
    const pick = older.at(-1) ?? stable.sort(compare).at(-1);
    console.log(`round ${round}: ${descriptor} -> npm:${pick}`);
    pkg.resolutions[descriptor] = `npm:${pick}`;
  }
  pkg.resolutions = Object.fromEntries(
    Object.entries(pkg.resolutions).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
}
console.error(`no convergence after ${MAX_ROUNDS} rounds`);
process.exit(1);
