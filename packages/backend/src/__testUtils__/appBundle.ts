import { spawn } from 'child_process';
import { readFile, readdir, stat } from 'fs/promises';
import { join, resolve } from 'path';

/*
 * The app's production bundle (packages/app/dist), which the backend's
 * app-backend serves from its own port when it exists: what a user's
 * browser loads, as opposed to the development server's webpack build.
 */

const root = resolve(__dirname, '../../../..');
const appDir = join(root, 'packages/app');
/** Written by every build; app-backend injects the config into it. */
const builtMarker = join(appDir, 'dist/index.html.tmpl');

/** Package roles whose code ends up in the frontend bundle. */
const FRONTEND_ROLES = new Set([
  'frontend',
  'frontend-plugin',
  'frontend-plugin-module',
  'web-library',
  'common-library',
]);

/** Newest modification time under `path` (node_modules and dist skipped). */
async function newestChange(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, await newestChange(join(path, entry)));
  }
  return newest;
}

/** The folders of the app and of every workspace package it bundles. */
async function frontendSources(): Promise<string[]> {
  const folders = [appDir];
  for (const parent of ['packages', 'plugins']) {
    for (const name of await readdir(join(root, parent))) {
      const dir = join(root, parent, name);
      const manifest = await readFile(join(dir, 'package.json'), 'utf8').then(
        text => JSON.parse(text),
        () => undefined,
      );
      if (dir !== appDir && FRONTEND_ROLES.has(manifest?.backstage?.role)) {
        folders.push(dir);
      }
    }
  }
  return folders;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: Buffer[] = [];
    child.stdout.on('data', chunk => output.push(chunk));
    child.stderr.on('data', chunk => output.push(chunk));
    child.on('error', fail);
    child.on('close', code => {
      const text = Buffer.concat(output).toString('utf8');
      if (code === 0) done(text);
      else
        fail(
          new Error(`${command} ${args.join(' ')} exited ${code}:\n${text}`),
        );
    });
  });
}

/** Whether the bundle was built now, and why; how long building took. */
export interface AppBundle {
  built: boolean;
  reason: string;
  ms: number;
}

/**
 * Builds the app (`yarn workspace app build`, through the toolchain) when
 * packages/app/dist is missing or older than any frontend source.
 */
export async function ensureAppBundle(): Promise<AppBundle> {
  const builtAt = await stat(builtMarker).then(
    info => info.mtimeMs,
    () => 0,
  );
  let newest = 0;
  for (const folder of await frontendSources()) {
    newest = Math.max(newest, await newestChange(folder));
  }
  if (builtAt > newest) {
    return { built: false, reason: 'up to date', ms: 0 };
  }
  const reason = builtAt
    ? 'older than the frontend sources'
    : 'packages/app/dist missing';
  const started = performance.now();
  await run(join(root, 'scripts/toolchain.sh'), [
    'yarn',
    'workspace',
    'app',
    'build',
  ]);
  return { built: true, reason, ms: performance.now() - started };
}
