import { Entity } from '@backstage/catalog-model';
import { isReleasableService, serviceNameOf } from './annotations';

function entity(kind: string, type?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'x' },
    spec: type ? { type } : {},
  };
}

describe('isReleasableService', () => {
  it.each([
    [entity('Component', 'service'), true],
    [entity('component', 'Service'), true],
    [entity('Component', 'website'), false],
    [entity('Component'), false],
    [entity('API', 'service'), false],
  ])('%j -> %p', (e, expected) => {
    expect(isReleasableService(e)).toBe(expected);
  });
});

describe('serviceNameOf', () => {
  it('is the HelmRelease annotation when set', () => {
    const e = entity('Component', 'service');
    e.metadata.annotations = { 'fleet-portal.io/helm-release': 'backend-api' };
    expect(serviceNameOf(e)).toBe('backend-api');
  });

  it('is the entity name otherwise', () => {
    expect(serviceNameOf(entity('Component', 'service'))).toBe('x');
  });
});
