import { Entity } from '@backstage/catalog-model';
import { isReleasableService } from './annotations';

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
