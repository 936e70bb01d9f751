import { ChildProcess, spawn } from 'child_process';
import { createWriteStream } from 'fs';
import { readFile, writeFile } from 'fs/promises';
import { createServer } from 'net';
import { resolve } from 'path';

const backendDir = resolve(__dirname, '../..');
const rootConfig = resolve(backendDir, '../../app-config.yaml');

/** A free TCP port on this machine, as the OS hands one out. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise(done => server.close(done));
  return port;
}

/**
 * The portal's backend (this package's `src/index.ts`, every plugin it
 * installs) as its own operating-system process, started the way
 * `make start` starts it: `app-config.yaml` plus a test's overrides. A test
 * can kill it outright, as a crashed or evicted replica dies, and start
 * another on the same database.
 */
export class PortalProcess {
  private exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    private readonly logFile: string,
  ) {
    this.exited = new Promise(done => child.once('exit', () => done()));
  }

  /**
   * Starts the backend on `port` with `config` (written to
   * `<dir>/app-config.test.json` and given after `app-config.yaml`), its
   * output appended to `<dir>/backend.log`; resolves once it answers its
   * readiness check.
   */
  static async start(options: {
    dir: string;
    port: number;
    config: Record<string, unknown>;
    timeoutMs?: number;
  }): Promise<PortalProcess> {
    const { dir, port } = options;
    const baseUrl = `http://localhost:${port}`;
    const configFile = resolve(dir, 'app-config.test.json');
    const backend = { baseUrl, listen: { port } };
    await writeFile(
      configFile,
      JSON.stringify({
        ...options.config,
        backend: { ...backend, ...(options.config.backend as object) },
      }),
    );
    const logFile = resolve(dir, 'backend.log');
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        'src/index.ts',
        '--config',
        rootConfig,
        '--config',
        configFile,
      ],
      {
        cwd: backendDir,
        // As `backstage-cli package start` runs it (guest sign-in needs it).
        env: { ...process.env, NODE_ENV: 'development' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const portal = new PortalProcess(child, baseUrl, logFile);
    try {
      await portal.waitUntilReady(options.timeoutMs ?? 90_000);
    } catch (error) {
      // Not ready in time: no backend is left running behind the failure.
      await portal.kill();
      throw error;
    }
    return portal;
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    while (Date.now() < deadline) {
      if (exited) {
        throw new Error(
          `The backend exited while starting:\n${await this.tail()}`,
        );
      }
      const ready = await fetch(
        `${this.baseUrl}/.backstage/health/v1/readiness`,
      ).then(
        response => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise(done => setTimeout(done, 250));
    }
    throw new Error(
      `The backend was not ready within ${timeoutMs} ms:\n${await this.tail()}`,
    );
  }

  /** Everything the backend printed (all its processes' lives in `dir`). */
  async output(): Promise<string> {
    return readFile(this.logFile, 'utf8');
  }

  private async tail(): Promise<string> {
    return (await this.output()).split('\n').slice(-30).join('\n');
  }

  /** Kills the process at once (SIGKILL): no shutdown hooks run. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Asks the process to shut down (SIGTERM) and waits until it has. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}
