import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { defaultCrdFolder } from './FluxSchemaValidator';
import { servedKinds } from './kinds';

describe('servedKinds', () => {
  const crds = readdirSync(defaultCrdFolder)
    .filter(f => f.endsWith('.yaml'))
    .map(f => parse(readFileSync(join(defaultCrdFolder, f), 'utf8')));

  it.each(servedKinds.filter(k => k.crd).map(k => [k.kind, k]))(
    'serves %s as its CRD does',
    (_name, kind) => {
      const crd = crds.find(
        c => c.spec.group === kind.group && c.spec.names.kind === kind.kind,
      );
      expect(crd).toBeDefined();
      const served = crd.spec.versions.filter((v: any) => v.served);
      expect(served.map((v: any) => v.name)).toContain(kind.version);
      const version = served.find((v: any) => v.name === kind.version);
      expect({
        plural: kind.plural,
        singular: kind.singular,
        namespaced: kind.namespaced,
        status: kind.statusSubresource,
      }).toEqual({
        plural: crd.spec.names.plural,
        singular: crd.spec.names.singular,
        namespaced: crd.spec.scope === 'Namespaced',
        status: version.subresources?.status !== undefined,
      });
    },
  );

  it('serves the kinds the portal needs', () => {
    expect(
      servedKinds.map(k => `${k.group || 'core'}/${k.version}/${k.kind}`),
    ).toEqual([
      'core/v1/Namespace',
      'core/v1/Secret',
      'core/v1/ConfigMap',
      'apps/v1/Deployment',
      'source.toolkit.fluxcd.io/v1/GitRepository',
      'kustomize.toolkit.fluxcd.io/v1/Kustomization',
      'helm.toolkit.fluxcd.io/v2/HelmRelease',
      'image.toolkit.fluxcd.io/v1/ImagePolicy',
      'notification.toolkit.fluxcd.io/v1beta3/Alert',
      'notification.toolkit.fluxcd.io/v1beta3/Provider',
    ]);
  });
});
