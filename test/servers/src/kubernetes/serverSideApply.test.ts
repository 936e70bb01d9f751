import { KubeApiError, KubeObject } from './ClusterStore';
import { FieldSet, formatFieldPath } from './FieldSet';
import { InMemoryClusterStore } from './InMemoryClusterStore';

function deployment(
  containers: Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...extra },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
    },
  };
}

const containersOf = (object: KubeObject) =>
  (object.spec as any).template.spec.containers as Array<
    Record<string, unknown>
  >;

describe('server-side apply of keyed lists', () => {
  it('merges list items by key, one manager per item, as for Deployment containers', () => {
    const store = new InMemoryClusterStore({ name: 't' });
    store.apply(deployment([{ name: 'app', image: 'app:1' }]), {
      fieldManager: 'portal',
    });
    const both = store.apply(
      deployment([{ name: 'proxy', image: 'proxy:1' }]),
      { fieldManager: 'mesh' },
    );
    expect(containersOf(both.object).map(c => c.name)).toEqual([
      'app',
      'proxy',
    ]);
    const portal = both.object.metadata.managedFields!.find(
      m => m.manager === 'portal',
    )!;
    expect(
      (portal.fieldsV1 as any)['f:spec']['f:template']['f:spec'][
        'f:containers'
      ],
    ).toEqual({
      'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} },
    });

    let conflict: KubeApiError | undefined;
    try {
      store.apply(deployment([{ name: 'app', image: 'app:2' }]), {
        fieldManager: 'mesh',
      });
    } catch (error) {
      conflict = error as KubeApiError;
    }
    expect(conflict?.details?.causes?.map(c => c.field)).toEqual([
      '.spec.template.spec.containers[name="app"].image',
    ]);

    // The portal stops applying its container: it goes, the sidecar stays.
    const dropped = store.apply(deployment([]), { fieldManager: 'portal' });
    expect(containersOf(dropped.object).map(c => c.name)).toEqual(['proxy']);
    expect(dropped.object.metadata.generation).toBe(3);
  });

  it('treats finalizers as a set', () => {
    const store = new InMemoryClusterStore({ name: 't' });
    store.apply(deployment([], { finalizers: ['a.example.com/x'] }), {
      fieldManager: 'one',
    });
    const { object } = store.apply(
      deployment([], { finalizers: ['b.example.com/y'] }),
      { fieldManager: 'two' },
    );
    expect(object.metadata.finalizers).toEqual([
      'a.example.com/x',
      'b.example.com/y',
    ]);
    const two = object.metadata.managedFields!.find(m => m.manager === 'two')!;
    expect((two.fieldsV1 as any)['f:metadata']['f:finalizers']).toEqual({
      'v:"b.example.com/y"': {},
    });
  });
});

describe('FieldSet', () => {
  it('reads and writes fieldsV1 as the API server does', () => {
    const fieldsV1 = {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:ports': {
          'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} },
        },
      },
    };
    const set = FieldSet.fromFieldsV1(fieldsV1);
    expect(set.paths().map(formatFieldPath).sort()).toEqual([
      '.metadata.labels',
      '.metadata.labels.app',
      '.spec.ports[port=80,protocol="TCP"]',
      '.spec.ports[port=80,protocol="TCP"].port',
    ]);
    expect(set.toFieldsV1()).toEqual(fieldsV1);
  });
});
