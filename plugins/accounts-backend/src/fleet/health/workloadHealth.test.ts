import { KubeObject } from '../../cluster/ClusterClient';
import { workloadHealth } from './workloadHealth';

function deployment(
  fields: {
    labels?: Record<string, string>;
    images?: string[];
    status?: Record<string, number>;
  } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'backend-web', namespace: 'acme', labels: fields.labels },
    spec: {
      template: {
        spec: {
          containers: (fields.images ?? []).map((image, i) => ({
            name: `c${i}`,
            image,
          })),
        },
      },
    },
    ...(fields.status && { status: fields.status }),
  };
}

describe('workloadHealth', () => {
  it('reads the owning release, the first container image and the replica counts', () => {
    expect(
      workloadHealth(
        deployment({
          labels: {
            'helm.toolkit.fluxcd.io/name': 'backend',
            'helm.toolkit.fluxcd.io/namespace': 'acme',
          },
          images: [
            'fleet/backend:main-3f9c2a1-1763800000',
            'fleet/proxy-sidecar:1.2.0',
          ],
          status: {
            replicas: 3,
            readyReplicas: 2,
            updatedReplicas: 3,
            availableReplicas: 2,
          },
        }),
      ),
    ).toEqual({
      name: 'backend-web',
      release: 'backend',
      image: {
        tag: 'main-3f9c2a1-1763800000',
        build: {
          branch: 'main',
          commit: '3f9c2a1',
          builtAt: '2025-11-22T08:26:40.000Z',
        },
      },
      replicas: 3,
      readyReplicas: 2,
      updatedReplicas: 3,
      availableReplicas: 2,
    });
  });

  it('counts 0 where the status leaves a count out, and has no release without the label', () => {
    expect(
      workloadHealth(
        deployment({
          images: ['fleet/backend:1.4.2'],
          status: { replicas: 1, updatedReplicas: 1 },
        }),
      ),
    ).toEqual({
      name: 'backend-web',
      image: { tag: '1.4.2' },
      replicas: 1,
      readyReplicas: 0,
      updatedReplicas: 1,
      availableReplicas: 0,
    });
  });

  it('has no image when there is no container or it is pinned by digest only, and 0 replicas without a status', () => {
    expect(workloadHealth(deployment())).toEqual({
      name: 'backend-web',
      replicas: 0,
      readyReplicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
    });
    expect(
      workloadHealth(deployment({ images: ['fleet/backend@sha256:4e2d8c1a'] })),
    ).not.toHaveProperty('image');
  });
});
