import { KubernetesTestServer } from './KubernetesTestServer';
import { parseSimulatorArguments } from './simulatorArguments';

/*
 * The local cluster simulator for `make start` and the browser tests:
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     test/servers/src/kubernetes/main.ts --port 7480 --cluster dev \
 *     --cluster prod=secret-token \
 *     --git-repository flux-system/flux-system=/tmp/config.git#main
 *
 * Prints one line with the URL and the clusters (never their tokens); stops
 * cleanly on SIGINT and SIGTERM.
 */

async function main() {
  // Relative repository paths are the caller's, also when run by `yarn simulator`.
  const options = parseSimulatorArguments(
    process.argv.slice(2),
    process.env.INIT_CWD ?? process.cwd(),
  );
  const server = await KubernetesTestServer.start(options);
  const clusters = options.clusters
    .map(
      c => `${c.name} ${server.clusterUrl(c.name)}${c.token ? ' (token)' : ''}`,
    )
    .join(', ');
  const flux = options.flux
    ? `, Flux with ${options.flux.gitRepositories.length} GitRepositories`
    : '';
  process.stdout.write(
    `Kubernetes simulator on ${server.url}: ${clusters}${flux}\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => {
        process.stdout.write(`Kubernetes simulator stopped (${signal})\n`);
        process.exit(0);
      },
      error => {
        process.stderr.write(`Kubernetes simulator failed to stop: ${error}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch(error => {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
