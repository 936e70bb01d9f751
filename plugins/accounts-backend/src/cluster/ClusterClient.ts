import {
  ApiException,
  createConfiguration,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  RequestContext,
  ServerConfiguration,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import {
  clusterError,
  isObjectNotFound,
  RequestSubject,
} from './clusterErrors';
import {
  ResourceWatch,
  WatchRequest,
  watchResource,
} from './live/ResourceWatch';
import {
  ClusterTransportError,
  TimeoutHttpLibrary,
} from './TimeoutHttpLibrary';

/** The field manager of everything Fleet Portal applies or patches. */
export const FIELD_MANAGER = 'fleet-portal';

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** Names one object; `namespace` is absent for cluster-scoped kinds. */
export interface KubeObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/**
 * A kind by the parts of its URL, so that listing and watching it need no
 * discovery request.
 */
export interface KubeResource {
  /** `group/version` (e.g. `helm.toolkit.fluxcd.io/v2`), `v1` for the core group. */
  apiVersion: string;
  kind: string;
  /** The resource in URLs, e.g. `helmreleases`. */
  plural: string;
}

/** A list's objects and the resourceVersion to watch from. */
export interface KubeObjectList {
  items: KubeObject[];
  resourceVersion: string;
}

/** How a {@link ClusterClient} reaches its cluster. */
export interface ClusterClientOptions {
  /** The cluster's name, for messages. */
  name: string;
  /** Its current context is the cluster. */
  kubeConfig: KubeConfig;
  /** Every request fails after this long. */
  timeoutSeconds: number;
  /** A bearer token for each request (e.g. Google's, which expires). */
  bearerToken?: () => Promise<string>;
}

/** `Kustomization acme/acme`, `Namespace acme`. */
export function describeObject(ref: KubeObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The client deserialises into classes with Dates; callers get JSON. */
function plain<T>(value: unknown): T {
  return value === undefined
    ? (undefined as T)
    : (JSON.parse(JSON.stringify(value)) as T);
}

function secretValues(object: KubeObject): string[] | undefined {
  if (object.kind !== 'Secret') return undefined;
  const data = (object.data ?? {}) as Record<string, string>;
  return Object.values(data).flatMap(encoded => [
    encoded,
    Buffer.from(encoded, 'base64').toString('utf8'),
  ]);
}

/**
 * One cluster's API, through `@kubernetes/client-node`'s
 * `KubernetesObjectApi`: server-side apply as `fleet-portal` (never forced),
 * get, list by label and JSON merge patch. Every HTTP request has the
 * cluster's timeout; failures are `@backstage/errors` errors naming the
 * cluster and the object (see `clusterError`), never carrying tokens or
 * Secret values.
 */
export class ClusterClient {
  readonly name: string;
  readonly timeoutSeconds: number;
  private readonly api: KubernetesObjectApi;
  private readonly customObjects: CustomObjectsApi;
  private readonly kubeConfig: KubeConfig;
  private readonly bearerToken: (() => Promise<string>) | undefined;

  constructor(options: ClusterClientOptions) {
    this.name = options.name;
    this.timeoutSeconds = options.timeoutSeconds;
    const { kubeConfig, bearerToken } = options;
    this.kubeConfig = kubeConfig;
    this.bearerToken = bearerToken;
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) {
      throw new Error(`Cluster '${options.name}': the kubeconfig has none`);
    }
    const authentication = {
      getName: () => FIELD_MANAGER,
      applySecurityAuthentication: async (context: RequestContext) => {
        // TLS, client certificates and static or exec tokens from the config.
        await kubeConfig.applySecurityAuthentication(context);
        if (!bearerToken) return;
        let token: string;
        try {
          token = await bearerToken();
        } catch (error) {
          throw new ClusterTransportError(
            'credentials',
            String((error as Error)?.message ?? error).split('\n')[0],
          );
        }
        context.setHeaderParam('Authorization', `Bearer ${token}`);
      },
    };
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: authentication },
      httpApi: wrapHttpLibrary(
        new TimeoutHttpLibrary(options.timeoutSeconds * 1000),
      ),
    });
    this.api = new KubernetesObjectApi(configuration);
    this.customObjects = new CustomObjectsApi(configuration);
  }

  private async call<T>(
    subject: Omit<RequestSubject, 'cluster' | 'timeoutSeconds'>,
    request: () => Promise<unknown>,
  ): Promise<T> {
    try {
      return plain<T>(await request());
    } catch (error) {
      throw clusterError(
        { ...subject, cluster: this.name, timeoutSeconds: this.timeoutSeconds },
        error,
      );
    }
  }

  /**
   * Server-side apply of `object` as field manager `fleet-portal`, without
   * force: fields another manager owns with a different value make it fail
   * with a `ConflictError` naming them. `dryRun` asks the API server to
   * compute the result without storing it. Returns the object as stored (or
   * as it would be).
   */
  async apply(
    object: KubeObject,
    options: { dryRun?: boolean } = {},
  ): Promise<KubeObject> {
    return this.call(
      {
        kind: `${object.apiVersion} ${object.kind}`,
        object: describeObject({ ...object, ...object.metadata }),
        secrets: secretValues(object),
      },
      () =>
        this.api.patch(
          structuredClone(object) as KubernetesObject,
          undefined,
          options.dryRun ? 'All' : undefined,
          FIELD_MANAGER,
          false,
          PatchStrategy.ServerSideApply,
        ),
    );
  }

  /** The object, or `undefined` when the cluster has none by that name. */
  async get(ref: KubeObjectRef): Promise<KubeObject | undefined> {
    return this.call(
      { kind: `${ref.apiVersion} ${ref.kind}`, object: describeObject(ref) },
      () =>
        this.api
          .read({
            apiVersion: ref.apiVersion,
            kind: ref.kind,
            metadata: { name: ref.name, namespace: ref.namespace },
          })
          .catch(error => {
            if (isObjectNotFound(error)) return undefined;
            throw error;
          }),
    );
  }

  /**
   * The objects of a kind, in `namespace` (all namespaces when absent),
   * matching `labelSelector` (Kubernetes selector syntax, e.g.
   * `fleet-portal.io/account=acme`).
   */
  async list(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string } = {},
  ): Promise<KubeObject[]> {
    const list = await this.call<{ items?: KubeObject[] }>(
      {
        kind: `${apiVersion} ${kind}`,
        object: `${kind} list${
          options.namespace ? ` in namespace ${options.namespace}` : ''
        }`,
      },
      () =>
        this.api.list(
          apiVersion,
          kind,
          options.namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          options.labelSelector,
        ),
    );
    // Items of typed lists come without apiVersion and kind.
    return (list.items ?? []).map(item => ({ ...item, apiVersion, kind }));
  }

  /**
   * JSON merge patch (RFC 7386) of the object, as field manager
   * `fleet-portal`. A missing object is a `NotFoundError`.
   */
  async mergePatch(
    ref: KubeObjectRef,
    patch: { metadata?: Record<string, unknown>; [field: string]: unknown },
  ): Promise<KubeObject> {
    const body = {
      ...patch,
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { ...patch.metadata, name: ref.name, namespace: ref.namespace },
    };
    return this.call(
      { kind: `${ref.apiVersion} ${ref.kind}`, object: describeObject(ref) },
      () =>
        this.api.patch(
          body as KubernetesObject,
          undefined,
          undefined,
          FIELD_MANAGER,
          undefined,
          PatchStrategy.MergePatch,
        ),
    );
  }

  /**
   * Every object of `resource` (a kind of an API group, not the core group)
   * across all namespaces matching `labelSelector`, in one request, with the
   * list's resourceVersion (to watch from). A kind the cluster does not
   * serve is a `NotFoundError`.
   */
  async listAll(
    resource: KubeResource,
    options: { labelSelector?: string } = {},
  ): Promise<KubeObjectList> {
    const [group, version] = resource.apiVersion.split('/');
    const list = await this.call<{
      items?: KubeObject[];
      metadata?: { resourceVersion?: string };
    }>(
      {
        kind: `${resource.apiVersion} ${resource.kind}`,
        object: `${resource.kind} list`,
      },
      () =>
        this.customObjects
          .listCustomObjectForAllNamespaces({
            group,
            version,
            plural: resource.plural,
            labelSelector: options.labelSelector,
          })
          .catch(error => {
            // 404 on a collection: the kind is not served.
            if (error instanceof ApiException && error.code === 404) {
              throw new Error(
                `Unrecognized API version and kind: ${resource.apiVersion} ${resource.kind}`,
              );
            }
            throw error;
          }),
    );
    const { apiVersion, kind } = resource;
    return {
      // Items of lists come without apiVersion and kind.
      items: (list.items ?? []).map(item => ({ ...item, apiVersion, kind })),
      resourceVersion: list.metadata?.resourceVersion ?? '',
    };
  }

  /**
   * Watches `resource` across all namespaces from `resourceVersion`, with
   * BOOKMARKs; the server ends the watch after `timeoutSeconds`. Connecting
   * has the cluster's timeout. Failures in `ended` are errors as
   * `clusterError` words them.
   */
  watch(resource: KubeResource, request: WatchRequest): ResourceWatch {
    return watchResource(
      {
        cluster: this.name,
        kubeConfig: this.kubeConfig,
        bearerToken: this.bearerToken,
        timeoutSeconds: this.timeoutSeconds,
      },
      resource,
      request,
    );
  }
}
