import { ResourceKind, findKindByPlural } from './kinds';
import { pathNotFound } from './kubeErrors';

/** A request path inside one cluster, once parsed. */
export type ApiRoute =
  | { type: 'version' }
  | { type: 'discovery' }
  | {
      type: 'resource';
      kind: ResourceKind;
      /** Absent: cluster-scoped, or a list/watch across namespaces. */
      namespace?: string;
      /** Absent: the collection. */
      name?: string;
      subresource?: 'status';
    };

/**
 * Parses `/api/v1/...` and `/apis/<group>/<version>/...` paths: the
 * collection, one object or its `/status`, namespaced
 * (`namespaces/<ns>/<resource>`) or not. Anything else is 404, as the API
 * server answers for paths it does not serve.
 */
export function parseApiPath(path: string): ApiRoute {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments.length === 1 && segments[0] === 'version')
    return { type: 'version' };
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else if (segments[0] === 'api' || segments[0] === 'apis') {
    return { type: 'discovery' };
  } else {
    throw pathNotFound();
  }
  if (rest.length === 0) return { type: 'discovery' };

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const namespaced = findKindByPlural(group, version, rest[2]);
    if (namespaced?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const kind = findKindByPlural(group, version, rest[0]);
  const [, name, subresource, ...extra] = rest;
  if (!kind || extra.length > 0) throw pathNotFound();
  if (
    subresource !== undefined &&
    (subresource !== 'status' || !kind.statusSubresource)
  ) {
    throw pathNotFound();
  }
  if (name !== undefined && kind.namespaced && namespace === undefined)
    throw pathNotFound();
  return {
    type: 'resource',
    kind,
    namespace,
    name,
    subresource: subresource as 'status' | undefined,
  };
}
