import { ResourceKind, apiVersionOf, servedKinds } from './kinds';
import { pathNotFound } from './kubeErrors';

/*
 * The discovery documents clients read to map kinds to resources
 * (`KubernetesObjectApi` reads `/api/v1` and `/apis/<group>/<version>`).
 */

/** Every verb served; `deletecollection` is not simulated. */
const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** What `/version` answers: a recent Kubernetes release. */
export const serverVersion = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.1',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T00:00:00Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function resources(kinds: ResourceKind[]) {
  return kinds.flatMap(kind => {
    const resource = {
      name: kind.plural,
      singularName: kind.singular,
      namespaced: kind.namespaced,
      kind: kind.kind,
      verbs: VERBS,
      ...(kind.shortNames.length > 0 ? { shortNames: kind.shortNames } : {}),
    };
    const status = {
      name: `${kind.plural}/status`,
      singularName: '',
      namespaced: kind.namespaced,
      kind: kind.kind,
      verbs: ['get', 'patch', 'update'],
    };
    return kind.statusSubresource ? [resource, status] : [resource];
  });
}

function groupNames(): string[] {
  return [...new Set(servedKinds.filter(k => k.group).map(k => k.group))];
}

function group(name: string) {
  const versions = [
    ...new Set(servedKinds.filter(k => k.group === name).map(k => k.version)),
  ].map(version => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions, preferredVersion: versions[0] };
}

/** The discovery document at a path (`/api`, `/apis/apps/v1`…), or 404. */
export function discoveryDocument(
  path: string,
  serverAddress: string,
): unknown {
  const segments = path.split('/').filter(Boolean);
  const [root, first, second] = segments;
  if (root === 'api' && segments.length === 1) {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }
  if (root === 'api' && segments.length === 2 && first === 'v1') {
    return resourceList(
      'v1',
      servedKinds.filter(k => !k.group),
    );
  }
  if (root !== 'apis') throw pathNotFound();
  if (segments.length === 1) {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groupNames().map(group),
    };
  }
  const kinds = servedKinds.filter(k => k.group === first);
  if (kinds.length === 0) throw pathNotFound();
  if (segments.length === 2)
    return { kind: 'APIGroup', apiVersion: 'v1', ...group(first) };
  const served = kinds.filter(k => k.version === second);
  if (segments.length !== 3 || served.length === 0) throw pathNotFound();
  return resourceList(apiVersionOf(served[0]), served);
}

function resourceList(groupVersion: string, kinds: ResourceKind[]) {
  // The core group's list has no apiVersion, as the API server sends it.
  return {
    kind: 'APIResourceList',
    ...(groupVersion === 'v1' ? {} : { apiVersion: 'v1' }),
    groupVersion,
    resources: resources(kinds),
  };
}
