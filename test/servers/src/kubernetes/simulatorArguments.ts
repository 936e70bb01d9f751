import { basename, resolve } from 'path';
import { parseArgs } from 'util';
import { KubernetesTestServerOptions } from './KubernetesTestServer';

/** Controller delays for `--timing fast` (tests); `demo` keeps the simulator's lifelike defaults. */
const FAST_TIMING = { sourceMs: 50, kustomizeMs: 50, helmMs: 50, pollMs: 200 };

export const simulatorUsage = `Usage: main.ts [--port 7480] --cluster name[=token]... [--git-repository namespace/name=path[#branch]]... [--git-url namespace/name=url]... [--timing demo|fast] [--no-flux]`;

/**
 * Reads the simulator's command line: `--port`, repeated `--cluster
 * name[=token]`, repeated `--git-repository namespace/name=path[#branch]`
 * (the bare repository the simulated source-controller reads; branch
 * `main` by default), `--git-url namespace/name=url` for the GitRepository's
 * `spec.url` (default `https://github.com/fleet-portal/<folder name>`),
 * `--timing demo|fast` and `--no-flux`. Throws an Error with the usage on
 * bad arguments.
 */
export function parseSimulatorArguments(
  args: string[],
  cwd: string = process.cwd(),
): KubernetesTestServerOptions & { port: number } {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '7480' },
      cluster: { type: 'string', multiple: true, default: [] },
      'git-repository': { type: 'string', multiple: true, default: [] },
      'git-url': { type: 'string', multiple: true, default: [] },
      timing: { type: 'string', default: 'demo' },
      'no-flux': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const fail = (message: string): never => {
    throw new Error(`${message}\n${simulatorUsage}`);
  };
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`Bad --port ${values.port}`);
  if (values.cluster.length === 0) fail('At least one --cluster is needed');
  const clusters = values.cluster.map(spec => {
    const [name, ...token] = spec.split('=');
    if (!name) fail(`Bad --cluster ${spec}`);
    return token.length > 0 ? { name, token: token.join('=') } : { name };
  });
  const urls = new Map(
    values['git-url'].map(spec => {
      const eq = spec.indexOf('=');
      if (eq < 0) fail(`Bad --git-url ${spec}`);
      return [spec.slice(0, eq), spec.slice(eq + 1)] as const;
    }),
  );
  const gitRepositories = values['git-repository'].map(spec => {
    const match = /^([^/=]+)\/([^/=]+)=([^#]+)(?:#(.+))?$/.exec(spec);
    if (!match) return fail(`Bad --git-repository ${spec}`);
    const [, namespace, name, path, branch] = match;
    const folder = basename(path).replace(/\.git$/, '');
    return {
      namespace,
      name,
      path: resolve(cwd, path),
      branch: branch ?? 'main',
      url:
        urls.get(`${namespace}/${name}`) ??
        `https://github.com/fleet-portal/${folder}`,
    };
  });
  if (values.timing !== 'demo' && values.timing !== 'fast')
    fail(`Bad --timing ${values.timing}`);
  return {
    port,
    clusters,
    ...(values['no-flux']
      ? {}
      : {
          flux: {
            gitRepositories,
            ...(values.timing === 'fast' ? { timing: FAST_TIMING } : {}),
          },
        }),
  };
}
