import { timingSafeEqual } from 'crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import { Socket } from 'net';
import { closeServer, listenOnLoopback, loopbackUrl } from '../loopbackServer';
import { parseApiPath } from './apiRoutes';
import { ClusterStore, KubeApiError } from './ClusterStore';
import { discoveryDocument, serverVersion } from './discovery';
import { FluxOptions, FluxSimulator } from './FluxSimulator';
import { InMemoryClusterStore } from './InMemoryClusterStore';
import { methodNotAllowed, pathNotFound, unauthorized } from './kubeErrors';
import { KubeResponse, readBody, sendError, sendJson } from './kubeHttp';
import { handleResource } from './resourceHandlers';
import { SimulatedCluster, handleSimulator } from './simulatorControl';
import { serveWatch } from './watchStream';

export interface KubernetesTestServerOptions {
  /** The clusters served, each under `/clusters/<name>`; with a token, requests must bear it. */
  clusters: Array<{ name: string; token?: string }>;
  /** Default: a free port. */
  port?: number;
  /** Runs the simulated Flux controllers in every cluster. */
  flux?: FluxOptions;
  /** Folder of the Flux CRDs; default `plugins/accounts-backend/flux-crds`. */
  crdFolder?: string;
  /** Changes each cluster keeps for watches; default 1,000. */
  historyLimit?: number;
  /** How often watches that allow them get BOOKMARKs; default 60 s. */
  bookmarkIntervalMs?: number;
}

/** One request as the server saw it. Bodies are never logged. */
export interface KubernetesLoggedRequest {
  /** Absent for `/simulator/` and unknown paths. */
  cluster?: string;
  method: string;
  /** Inside the cluster (`/api/v1/namespaces`), or the full path when no cluster. */
  path: string;
  query: Record<string, string>;
  /** 0 until answered; stays 0 for hung and refused requests and watches. */
  status: number;
  receivedAt: number;
}

/**
 * A local server speaking the Kubernetes REST API for any number of
 * simulated clusters, each served under `<url>/clusters/<name>` (a server
 * URL with a path works with `@kubernetes/client-node`). Objects live in an
 * {@link InMemoryClusterStore} per cluster; with `flux`, simulated Flux
 * controllers reconcile them. Tests can make a cluster hang or refuse
 * connections, and read the request log.
 */
export class KubernetesTestServer {
  /** Every request, in the order they arrived. */
  readonly requests: KubernetesLoggedRequest[] = [];

  private readonly clusters = new Map<string, SimulatedCluster>();
  private readonly watches = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    private readonly options: KubernetesTestServerOptions,
  ) {
    for (const { name, token } of options.clusters) {
      if (
        !/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(name) ||
        this.clusters.has(name)
      ) {
        throw new Error(
          `Invalid or repeated cluster name ${JSON.stringify(name)}`,
        );
      }
      const store = new InMemoryClusterStore({
        name,
        crdFolder: options.crdFolder,
        historyLimit: options.historyLimit,
      });
      const flux =
        options.flux && new FluxSimulator({ ...options.flux, store });
      this.clusters.set(name, {
        name,
        token,
        store,
        flux,
        hang: false,
        refuse: false,
      });
    }
  }

  /** Starts the server (on `options.port` or a free port of 127.0.0.1) and the Flux simulators. */
  static async start(
    options: KubernetesTestServerOptions,
  ): Promise<KubernetesTestServer> {
    const server = createServer();
    const instance = new KubernetesTestServer(server, options);
    server.on('request', (req, res) => {
      instance.handle(req, res).catch(error => {
        if (res.headersSent) {
          res.destroy();
        } else {
          const message =
            error instanceof Error ? error.message : String(error);
          sendError(
            res,
            new KubeApiError(
              500,
              'InternalError',
              `Internal error occurred: ${message}`,
              {},
            ),
          );
        }
      });
    });
    await listenOnLoopback(server, options.port);
    for (const cluster of instance.clusters.values()) cluster.flux?.start();
    return instance;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return loopbackUrl(this.server);
  }

  /** The API server URL of one cluster, for a kubeconfig's `server`. */
  clusterUrl(name: string): string {
    this.cluster(name);
    return `${this.url}/clusters/${encodeURIComponent(name)}`;
  }

  /** The objects of one cluster. */
  store(name: string): ClusterStore {
    return this.cluster(name).store;
  }

  /** While on, the cluster accepts requests and never answers them. */
  hang(cluster: string, on: boolean): void {
    this.cluster(cluster).hang = on;
  }

  /** While on, the cluster's requests get their connection reset. */
  refuse(cluster: string, on: boolean): void {
    this.cluster(cluster).refuse = on;
  }

  /** Ends open watches, stops the Flux simulators and the server. */
  async close(): Promise<void> {
    for (const end of [...this.watches]) end();
    await Promise.all([...this.clusters.values()].map(c => c.flux?.stop()));
    await closeServer(this.server);
  }

  private cluster(name: string): SimulatedCluster {
    const cluster = this.clusters.get(name);
    if (!cluster) throw new Error(`No cluster ${name}`);
    return cluster;
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const match = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const cluster = match
      ? this.clusters.get(decodeURIComponent(match[1]))
      : undefined;
    const entry: KubernetesLoggedRequest = {
      cluster: cluster?.name,
      method,
      path: cluster ? match![2] ?? '/' : url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      status: 0,
      receivedAt: Date.now(),
    };
    this.requests.push(entry);
    const send = (response: KubeResponse) => {
      entry.status = response.status;
      sendJson(res, response);
    };
    try {
      if (!cluster) {
        if (!url.pathname.startsWith('/simulator/')) throw pathNotFound();
        const body = await readBody(req);
        send(
          handleSimulator(method, url.pathname, body, this.clusters, name =>
            this.clusterUrl(name),
          ),
        );
        return;
      }
      if (cluster.refuse) {
        resetConnection(req.socket);
        return;
      }
      if (cluster.hang) return; // Never answered; close() cuts the connection.
      this.authenticate(cluster, req);
      const route = parseApiPath(entry.path);
      if (route.type !== 'resource') {
        if (method !== 'GET') throw methodNotAllowed();
        send({
          status: 200,
          body:
            route.type === 'version'
              ? serverVersion
              : discoveryDocument(entry.path, url.host),
        });
        return;
      }
      const watch = url.searchParams.get('watch');
      if (
        method === 'GET' &&
        route.name === undefined &&
        (watch === 'true' || watch === '1')
      ) {
        const end = serveWatch(
          cluster.store,
          {
            ...route,
            query: url.searchParams,
            bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 60_000,
          },
          req,
          res,
        );
        entry.status = 200;
        this.watches.add(end);
        res.on('close', () => this.watches.delete(end));
        return;
      }
      const body = await readBody(req);
      send(
        handleResource(cluster.store, {
          method,
          route,
          query: url.searchParams,
          contentType: req.headers['content-type'] ?? '',
          body,
          userAgent: req.headers['user-agent'],
        }),
      );
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      entry.status = error.status;
      sendError(res, error);
    }
  }

  private authenticate(cluster: SimulatedCluster, req: IncomingMessage): void {
    if (cluster.token === undefined) return;
    const presented =
      /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const expected = Buffer.from(cluster.token);
    const actual = Buffer.from(presented);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
      throw unauthorized();
  }
}

/** Resets the TCP connection (RST), as a refusing or crashed peer would. */
function resetConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}
