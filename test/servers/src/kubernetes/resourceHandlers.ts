import { KubeObject, ObjectRef } from './ClusterStore';
import { InMemoryClusterStore } from './InMemoryClusterStore';
import { ResourceKind, apiVersionOf } from './kinds';
import { KubeResponse, successStatus } from './kubeHttp';
import { ApiRoute } from './apiRoutes';
import { matchesFields, parseFieldSelector } from './fieldSelector';
import {
  badRequest,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
} from './kubeErrors';
import { applyMergePatch } from './mergePatch';
import {
  dryRunOf,
  fieldManagerOf,
  fieldValidationOf,
  forceOf,
  objectForRoute,
  parseBody,
} from './requestOptions';

/** A parsed request for one resource route (watches are handled apart). */
export interface ResourceRequest {
  method: string;
  route: Extract<ApiRoute, { type: 'resource' }>;
  query: URLSearchParams;
  contentType: string;
  body: Buffer;
  userAgent?: string;
}

const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';

/** get, list, create, patch (apply, merge, JSON), replace and delete. */
export function handleResource(
  store: InMemoryClusterStore,
  request: ResourceRequest,
): KubeResponse {
  const { method, route } = request;
  if (route.name === undefined) {
    if (method === 'GET') return list(store, request);
    if (method === 'POST' && !route.subresource) return create(store, request);
    throw methodNotAllowed();
  }
  switch (method) {
    case 'GET':
      return { status: 200, body: get(store, route.kind, refOf(route)) };
    case 'PATCH':
      return patch(store, request);
    case 'PUT':
      return replace(store, request);
    case 'DELETE':
      if (route.subresource) throw methodNotAllowed();
      return remove(store, request);
    default:
      throw methodNotAllowed();
  }
}

function refOf(route: ResourceRequest['route']): ObjectRef {
  return {
    apiVersion: apiVersionOf(route.kind),
    kind: route.kind.kind,
    namespace: route.namespace,
    name: route.name!,
  };
}

function get(
  store: InMemoryClusterStore,
  kind: ResourceKind,
  ref: ObjectRef,
): KubeObject {
  const object = store.get(ref);
  if (!object) throw notFound(kind, ref.name);
  return object;
}

/** Built-in kinds' list items carry no apiVersion and kind, as the API server sends them. */
function listItem(kind: ResourceKind, object: KubeObject): unknown {
  if (kind.crd) return object;
  const { apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}

interface ContinueToken {
  rv: string;
  start: string;
}

function list(
  store: InMemoryClusterStore,
  { route, query }: ResourceRequest,
): KubeResponse {
  const { kind, namespace } = route;
  const fields = parseFieldSelector(query.get('fieldSelector') ?? undefined);
  const result = store.list(apiVersionOf(kind), kind.kind, {
    namespace,
    labelSelector: query.get('labelSelector') ?? undefined,
  });
  const keyOf = (o: KubeObject) =>
    `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  let items = result.items.filter(o => matchesFields(fields, o));
  const token = query.get('continue');
  if (token) {
    let start: string;
    try {
      start = (
        JSON.parse(
          Buffer.from(token, 'base64url').toString('utf8'),
        ) as ContinueToken
      ).start;
    } catch {
      throw badRequest('invalid continue token');
    }
    items = items.filter(o => keyOf(o) > start);
  }
  const limit = Number(query.get('limit') ?? 0);
  const metadata: Record<string, unknown> = {
    resourceVersion: result.resourceVersion,
  };
  if (limit > 0 && items.length > limit) {
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
    const next: ContinueToken = {
      rv: result.resourceVersion,
      start: keyOf(items[items.length - 1]),
    };
    metadata.continue = Buffer.from(JSON.stringify(next)).toString('base64url');
  }
  return {
    status: 200,
    body: {
      kind: `${kind.kind}List`,
      apiVersion: apiVersionOf(kind),
      metadata,
      items: items.map(o => listItem(kind, o)),
    },
  };
}

function create(
  store: InMemoryClusterStore,
  request: ResourceRequest,
): KubeResponse {
  const { route, query } = request;
  const object = objectForRoute(
    parseBody(request.body, false),
    route.kind,
    route,
    { requireKind: false },
  );
  const result = store.createObject(object, {
    fieldManager: fieldManagerOf(query, request.userAgent, false),
    dryRun: dryRunOf(query),
    fieldValidation: fieldValidationOf(query),
  });
  return { status: 201, body: result.object, warnings: result.warnings };
}

function patch(
  store: InMemoryClusterStore,
  request: ResourceRequest,
): KubeResponse {
  const { route, query } = request;
  const contentType = request.contentType.split(';')[0].trim().toLowerCase();
  const apply = contentType === APPLY;
  const options = {
    fieldManager: fieldManagerOf(query, request.userAgent, apply),
    dryRun: dryRunOf(query),
    fieldValidation: fieldValidationOf(query),
    subresource: route.subresource,
  };
  const force = forceOf(query, apply);
  if (apply) {
    const object = objectForRoute(
      parseBody(request.body, true),
      route.kind,
      route,
      { requireKind: true },
    );
    const result = store.apply(object, { ...options, force });
    return {
      status: result.created ? 201 : 200,
      body: result.object,
      warnings: result.warnings,
    };
  }
  const ref = refOf(route);
  const body = parseBody(request.body, false);
  // Strategic merge patch is built-in kinds' own; it is served as a merge
  // patch (keyed lists are replaced, not merged item by item).
  if (contentType === MERGE || (contentType === STRATEGIC && !route.kind.crd)) {
    const result = store.patchObject(
      ref,
      live => applyMergePatch(live, body),
      options,
    );
    return { status: 200, body: result.object, warnings: result.warnings };
  }
  if (contentType === JSON_PATCH) {
    const result = store.jsonPatch(ref, body, options);
    return { status: 200, body: result.object, warnings: result.warnings };
  }
  throw unsupportedMediaType(
    route.kind.crd
      ? [JSON_PATCH, MERGE, APPLY]
      : [JSON_PATCH, MERGE, APPLY, STRATEGIC],
  );
}

function replace(
  store: InMemoryClusterStore,
  request: ResourceRequest,
): KubeResponse {
  const { route, query } = request;
  const object = objectForRoute(
    parseBody(request.body, false),
    route.kind,
    route,
    { requireKind: false },
  );
  const result = store.replace(object, {
    fieldManager: fieldManagerOf(query, request.userAgent, false),
    dryRun: dryRunOf(query),
    fieldValidation: fieldValidationOf(query),
    subresource: route.subresource,
  });
  return { status: 200, body: result.object, warnings: result.warnings };
}

function remove(
  store: InMemoryClusterStore,
  request: ResourceRequest,
): KubeResponse {
  const { route, query } = request;
  const deleted = store.delete(refOf(route), { dryRun: dryRunOf(query) });
  if (!deleted) throw notFound(route.kind, route.name!);
  if (route.kind.kind === 'Namespace') {
    // A namespace answers with itself, terminating (here it is gone at once).
    return {
      status: 200,
      body: { ...deleted, status: { phase: 'Terminating' } },
    };
  }
  return {
    status: 200,
    body: successStatus({
      name: deleted.metadata.name,
      ...(route.kind.group ? { group: route.kind.group } : {}),
      kind: route.kind.plural,
      uid: deleted.metadata.uid,
    }),
  };
}
