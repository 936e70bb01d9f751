import { KubeApiError, KubeObject, WatchEvent } from './ClusterStore';
import { InMemoryClusterStore } from './InMemoryClusterStore';

const KUSTOMIZATION = 'kustomize.toolkit.fluxcd.io/v1';

function kustomization(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: KUSTOMIZATION,
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: {
      interval: '10m',
      path: './apps',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      ...spec,
    },
  };
}

const ref = {
  apiVersion: KUSTOMIZATION,
  kind: 'Kustomization',
  namespace: 'flux-system',
  name: 'apps',
};

function caught(fn: () => unknown): KubeApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KubeApiError) return error;
    throw error;
  }
  throw new Error('expected a KubeApiError');
}

function newStore() {
  const store = new InMemoryClusterStore({ name: 'test' });
  store.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' } },
    { fieldManager: 'flux' },
  );
  return store;
}

describe('InMemoryClusterStore', () => {
  it('creates by apply with uid, creationTimestamp, generation 1 and an Apply entry', () => {
    const store = newStore();
    const before = Number(store.resourceVersion);
    const { object, created, changed } = store.apply(kustomization(), {
      fieldManager: 'portal',
    });
    expect(created).toBe(true);
    expect(changed).toBe(true);
    expect(object.metadata.resourceVersion).toBe(String(before + 1));
    expect(object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(object.metadata.creationTimestamp).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    expect(object.metadata.generation).toBe(1);
    // The CRD's defaults: spec.force and the status stanza.
    expect(object.spec).toMatchObject({ force: false });
    expect(object.status).toEqual({ observedGeneration: -1 });
    expect(object.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'portal',
        operation: 'Apply',
        apiVersion: KUSTOMIZATION,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:interval': {},
            'f:path': {},
            'f:prune': {},
            'f:sourceRef': { 'f:kind': {}, 'f:name': {} },
          },
        },
      }),
    ]);
  });

  it('changes nothing when the same configuration is applied again', () => {
    const store = newStore();
    const first = store.apply(kustomization(), { fieldManager: 'portal' });
    const second = store.apply(kustomization(), { fieldManager: 'portal' });
    expect(second.changed).toBe(false);
    expect(second.created).toBe(false);
    expect(second.object).toEqual(first.object);
    expect(store.resourceVersion).toBe(first.object.metadata.resourceVersion);
  });

  it('reports a field another manager set to a different value, and takes it with force', () => {
    const store = newStore();
    store.apply(kustomization(), { fieldManager: 'portal' });
    store.mergePatch(
      ref,
      { spec: { interval: '1h' } },
      { fieldManager: 'kubectl-edit' },
    );

    const conflict = caught(() =>
      store.apply(kustomization({ interval: '5m' }), {
        fieldManager: 'portal',
      }),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.reason).toBe('Conflict');
    expect(conflict.message).toBe(
      `Apply failed with 1 conflict: conflict with "kubectl-edit" using ${KUSTOMIZATION}: .spec.interval`,
    );
    expect(conflict.details?.causes).toEqual([
      {
        reason: 'FieldManagerConflict',
        message: `conflict with "kubectl-edit" using ${KUSTOMIZATION}`,
        field: '.spec.interval',
      },
    ]);
    expect(store.get(ref)?.spec).toMatchObject({ interval: '1h' });

    const forced = store.apply(kustomization({ interval: '5m' }), {
      fieldManager: 'portal',
      force: true,
    });
    expect(forced.object.spec).toMatchObject({ interval: '5m' });
    // kubectl-edit owned only the interval, so it owns nothing any more.
    expect(forced.object.metadata.managedFields?.map(m => m.manager)).toEqual([
      'portal',
    ]);
  });

  it('lists every conflict of several managers', () => {
    const store = newStore();
    store.apply(kustomization(), { fieldManager: 'a' });
    store.apply(kustomization({ path: './b' }), {
      fieldManager: 'b',
      force: true,
    });
    const conflict = caught(() =>
      store.apply(kustomization({ interval: '1m', path: './c' }), {
        fieldManager: 'c',
      }),
    );
    // b applied the same interval as a, so both own it.
    expect(conflict.message).toBe(
      'Apply failed with 3 conflicts: conflicts with "a":\n- .spec.interval\nconflicts with "b":\n- .spec.interval\n- .spec.path',
    );
    expect(conflict.details?.causes?.map(c => c.field)).toEqual([
      '.spec.interval',
      '.spec.interval',
      '.spec.path',
    ]);
  });

  it('shares a field applied with the same value, and keeps it while one manager still applies it', () => {
    const store = newStore();
    store.apply(kustomization({ targetNamespace: 'apps' }), {
      fieldManager: 'a',
    });
    const shared = store.apply(kustomization({ targetNamespace: 'apps' }), {
      fieldManager: 'b',
    });
    expect(shared.changed).toBe(true);
    const owners = (shared.object.metadata.managedFields ?? []).filter(
      m => 'f:targetNamespace' in ((m.fieldsV1['f:spec'] as object) ?? {}),
    );
    expect(owners.map(m => m.manager)).toEqual(['a', 'b']);

    const dropped = store.apply(kustomization(), { fieldManager: 'a' });
    expect(dropped.object.spec).toMatchObject({ targetNamespace: 'apps' });
    const gone = store.apply(kustomization(), { fieldManager: 'b' });
    expect(gone.object.spec).not.toHaveProperty('targetNamespace');
  });

  it('removes a field the manager applied before and omits now', () => {
    const store = newStore();
    store.apply(kustomization({ targetNamespace: 'apps' }), {
      fieldManager: 'portal',
    });
    const { object, changed } = store.apply(kustomization(), {
      fieldManager: 'portal',
    });
    expect(changed).toBe(true);
    expect(object.spec).not.toHaveProperty('targetNamespace');
    expect(object.metadata.generation).toBe(2);
  });

  it('keeps fields set by another writer when the applier did not apply them', () => {
    const store = newStore();
    store.apply(kustomization(), { fieldManager: 'portal' });
    store.mergePatch(
      ref,
      { metadata: { labels: { team: 'a' } } },
      { fieldManager: 'kubectl' },
    );
    const { object, changed } = store.apply(kustomization(), {
      fieldManager: 'portal',
    });
    expect(changed).toBe(false);
    expect(object.metadata.labels).toEqual({ team: 'a' });
    expect(
      object.metadata.managedFields?.map(m => [m.manager, m.operation]),
    ).toEqual([
      ['portal', 'Apply'],
      ['kubectl', 'Update'],
    ]);
  });

  it('stores nothing on a dry run', () => {
    const store = newStore();
    const rv = store.resourceVersion;
    const { object, created } = store.apply(kustomization(), {
      fieldManager: 'portal',
      dryRun: true,
    });
    expect(created).toBe(true);
    expect(object.spec).toMatchObject({ interval: '10m' });
    expect(store.get(ref)).toBeUndefined();
    expect(store.resourceVersion).toBe(rv);
  });

  it('refuses an object in a namespace that does not exist', () => {
    const store = newStore();
    const error = caught(() =>
      store.apply(
        {
          ...kustomization(),
          metadata: { name: 'apps', namespace: 'nowhere' },
        },
        { fieldManager: 'portal' },
      ),
    );
    expect(error.status).toBe(404);
    expect(error.message).toBe('namespaces "nowhere" not found');
    expect(error.details).toEqual({ name: 'nowhere', kind: 'namespaces' });
  });

  it('refuses a Flux object that fails its CRD schema, naming the field', () => {
    const store = newStore();
    const error = caught(() =>
      store.apply(
        kustomization({ interval: 'soon', sourceRef: { name: 'x' } }),
        {
          fieldManager: 'portal',
        },
      ),
    );
    expect(error.status).toBe(422);
    expect(error.reason).toBe('Invalid');
    expect(error.details?.causes?.map(c => c.field).sort()).toEqual([
      'spec.interval',
      'spec.sourceRef.kind',
    ]);
    expect(error.message).toContain(
      'Kustomization.kustomize.toolkit.fluxcd.io "apps" is invalid: [',
    );
    expect(store.get(ref)).toBeUndefined();
  });

  it('checks the CRD rules: a HelmRelease needs chart or chartRef', () => {
    const store = newStore();
    const release = (spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'web', namespace: 'flux-system' },
      spec: { interval: '5m', ...spec },
    });
    const error = caught(() =>
      store.apply(release({}), { fieldManager: 'portal' }),
    );
    expect(error.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec',
        message:
          'Invalid value: "object": either chart or chartRef must be set',
      },
    ]);
    const valid = store.apply(
      release({
        chart: {
          spec: {
            chart: 'web',
            sourceRef: { kind: 'HelmRepository', name: 'charts' },
          },
        },
        values: { replicas: 2, anything: { goes: true } },
      }),
      { fieldManager: 'portal' },
    );
    expect(valid.object.spec).toMatchObject({
      values: { anything: { goes: true } },
    });
  });

  it('drops unknown fields with a warning, and refuses them when strict', () => {
    const store = newStore();
    const result = store.apply(kustomization({ colour: 'blue' }), {
      fieldManager: 'portal',
    });
    expect(result.object.spec).not.toHaveProperty('colour');
    expect(result.warnings).toEqual(['unknown field "spec.colour"']);
    const error = caught(() =>
      store.apply(kustomization({ colour: 'blue' }), {
        fieldManager: 'portal',
        fieldValidation: 'Strict',
      }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('unknown field "spec.colour"');
  });

  it('bumps generation for spec changes only, never for status or metadata', () => {
    const store = newStore();
    store.apply(kustomization(), { fieldManager: 'portal' });
    const status = store.mergePatch(
      ref,
      { status: { observedGeneration: 1 } },
      { fieldManager: 'kustomize-controller', subresource: 'status' },
    );
    expect(status.metadata.generation).toBe(1);
    expect(status.status).toEqual({ observedGeneration: 1 });
    expect(
      status.metadata.managedFields?.find(m => m.subresource === 'status'),
    ).toMatchObject({
      manager: 'kustomize-controller',
      operation: 'Update',
      fieldsV1: { 'f:status': { 'f:observedGeneration': {} } },
    });
    const labelled = store.mergePatch(
      ref,
      { metadata: { labels: { a: 'b' } } },
      { fieldManager: 'x' },
    );
    expect(labelled.metadata.generation).toBe(1);
    // Status sent to the object itself is ignored for kinds with /status.
    const ignored = store.mergePatch(
      ref,
      { status: { observedGeneration: 9 } },
      { fieldManager: 'x' },
    );
    expect(ignored.status).toEqual({ observedGeneration: 1 });
    const spec = store.mergePatch(
      ref,
      { spec: { suspend: true } },
      { fieldManager: 'x' },
    );
    expect(spec.metadata.generation).toBe(2);
  });

  it('merges stringData into base64 data and does not store it', () => {
    const store = newStore();
    const { object } = store.apply(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'token', namespace: 'flux-system' },
        stringData: { password: 'hunter2' },
      },
      { fieldManager: 'portal' },
    );
    expect(object.data).toEqual({
      password: Buffer.from('hunter2').toString('base64'),
    });
    expect(object).not.toHaveProperty('stringData');
    expect(object.type).toBe('Opaque');
    expect(object.metadata.generation).toBeUndefined();
  });

  it('creates with AlreadyExists for a second create', () => {
    const store = newStore();
    const config = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default' },
      data: { a: '1' },
    };
    const created = store.create(config, { fieldManager: 'kubectl' });
    expect(created.metadata.managedFields?.[0]).toMatchObject({
      manager: 'kubectl',
      operation: 'Update',
    });
    const error = caught(() =>
      store.create(config, { fieldManager: 'kubectl' }),
    );
    expect(error.status).toBe(409);
    expect(error.reason).toBe('AlreadyExists');
    expect(error.message).toBe('configmaps "c" already exists');
  });

  it('lists by label selector across namespaces', () => {
    const store = newStore();
    const cm = (
      namespace: string,
      name: string,
      labels: Record<string, string>,
    ) =>
      store.apply(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace, labels },
        },
        { fieldManager: 't' },
      );
    cm('default', 'a', { tier: 'web', env: 'prod' });
    cm('flux-system', 'b', { tier: 'web' });
    cm('default', 'c', { tier: 'db', env: 'dev' });
    const names = (selector?: string, namespace?: string) =>
      store
        .list('v1', 'ConfigMap', { labelSelector: selector, namespace })
        .items.map(i => i.metadata.name);
    expect(names()).toEqual(['a', 'c', 'b']);
    expect(names('tier=web')).toEqual(['a', 'b']);
    expect(names('tier==web,env')).toEqual(['a']);
    expect(names('tier!=web')).toEqual(['c']);
    expect(names('env in (dev, prod)')).toEqual(['a', 'c']);
    expect(names('env notin (prod)')).toEqual(['c', 'b']);
    expect(names('!env')).toEqual(['b']);
    expect(names('tier=web', 'default')).toEqual(['a']);
    expect(caught(() => names('tier in web')).status).toBe(400);
    expect(caught(() => names('a b')).status).toBe(400);
  });

  it('tells subscribers every change in order and replays from a resourceVersion', () => {
    const store = newStore();
    const seen: WatchEvent[] = [];
    const from = store.resourceVersion;
    const unsubscribe = store.subscribe(e => seen.push(e));
    store.apply(kustomization(), { fieldManager: 'portal' });
    store.mergePatch(ref, { spec: { suspend: true } }, { fieldManager: 'x' });
    store.delete(ref);
    unsubscribe();
    store.apply(kustomization(), { fieldManager: 'portal' });
    expect(seen.map(e => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(Number(seen[2].object.metadata.resourceVersion)).toBe(
      Number(from) + 3,
    );
    expect(store.eventsSince(from).map(e => e.type)).toEqual([
      'ADDED',
      'MODIFIED',
      'DELETED',
      'ADDED',
    ]);
  });

  it('answers 410 Expired for a resourceVersion older than its history', () => {
    const store = new InMemoryClusterStore({ name: 't', historyLimit: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      store.apply(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: 'default' },
        },
        { fieldManager: 't' },
      );
    }
    const newest = Number(store.resourceVersion);
    expect(store.eventsSince(String(newest - 3))).toHaveLength(3);
    const error = caught(() => store.eventsSince(String(newest - 4)));
    expect(error.status).toBe(410);
    expect(error.reason).toBe('Expired');
  });

  it('deletes the objects of a deleted namespace', () => {
    const store = newStore();
    store.apply(kustomization(), { fieldManager: 'portal' });
    store.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'flux-system' });
    expect(store.get(ref)).toBeUndefined();
    expect(store.list(KUSTOMIZATION, 'Kustomization').items).toEqual([]);
  });
});
