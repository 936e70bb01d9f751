import { parseAllDocuments } from 'yaml';
import { stagingAcme, testGitopsConfig } from './__fixtures__/gitopsFixtures';
import { renderAccountFolder, RenderedFolder } from './renderAccountFolder';
import { RenderValidationError } from './RenderValidationError';
import { parseYamlDocument } from './yamlDocument';

const HOSTILE = [
  'x\n---\nkind: Secret\nmetadata:\n  name: stolen',
  '---\napiVersion: v1\nkind: Secret',
  '&a value',
  '*a',
  '<<: *a',
  '${{ secrets.X }}',
  '{% raw %}{{ .Values.x }}{% endraw %}',
  '# comment',
  'value # trailing comment',
  'key: value',
  '- item',
  '!!binary aGVsbG8=',
  '\'single\' "double"',
  '  leading and trailing  ',
  'line\n  indented\n\ttab\n',
  '\n\n',
  '...',
  'yes',
  'on',
  'NO',
  '0o17',
  '012',
  '1:20',
  '~',
  'null',
  '2001-12-14',
  '.inf',
  '\u2028line separator\u2029paragraph\u0085next line',
  '\ufeffbom',
  'nul\u0000bell\u0007',
  'ünïcødé 中文 🎉',
];

function hostileValues(): Record<string, unknown> {
  const shared = { same: 'object', used: ['twice'] };
  const values: Record<string, unknown> = {
    strings: HOSTILE,
    byKey: Object.fromEntries(HOSTILE.map((s, i) => [s, i])),
    '<<': { merge: 'key' },
    '*a': 'alias key',
    '&a': 'anchor key',
    y: 'n',
    first: shared,
    second: shared,
    numbers: [0, -1, 1.5, 1e21, 1e-7, Number.MAX_SAFE_INTEGER],
    nothing: null,
    image: {
      tag: 'evil\n---\nkind: Secret',
      repository: 'evil.example.com/x',
      pullPolicy: 'Always',
    },
  };
  Object.defineProperty(values, '__proto__', {
    value: { polluted: true },
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return values;
}

function renderHostile(): RenderedFolder {
  return renderAccountFolder(
    {
      account: stagingAcme({
        displayName: 'Acme\n---\nkind: Secret # not a comment',
        services: [{ name: 'backend', values: hostileValues() }],
      }),
      current: new Map(),
    },
    testGitopsConfig(),
  );
}

function file(folder: RenderedFolder, name: string) {
  return folder.files.find(f => f.name === name)!.content;
}

describe('values are written as data', () => {
  it('read back deep-equal, with one document per file and no extra keys', () => {
    const folder = renderHostile();
    for (const { name, content } of folder.files) {
      const docs = parseAllDocuments(content);
      expect({
        name,
        documents: Array.isArray(docs) ? docs.length : 0,
      }).toEqual({
        name,
        documents: 1,
      });
    }
    const release: any = parseYamlDocument(
      file(folder, 'helmrelease-backend.yaml'),
    );
    expect(Object.keys(release)).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
    ]);
    expect(Object.keys(release.spec)).toEqual(['interval', 'chart', 'values']);

    const expected = hostileValues();
    const values = release.spec.values;
    expect(Object.keys(values).sort()).toEqual(
      [
        ...Object.keys(expected),
        'env',
        'replicas',
        'resources',
        'tolerations',
      ].sort(),
    );
    for (const key of Object.keys(expected).filter(k => k !== 'image')) {
      expect({ key, value: values[key] }).toEqual({
        key,
        value: expected[key],
      });
    }
    expect(Object.getOwnPropertyDescriptor(values, '__proto__')?.value).toEqual(
      {
        polluted: true,
      },
    );
    expect(({} as any).polluted).toBeUndefined();
  });

  it('reads back the same under YAML 1.1, as Go parsers do (yes, 0o17, <<)', () => {
    const content = file(renderHostile(), 'helmrelease-backend.yaml');
    const values = (parseYamlDocument(content, '1.1') as any).spec.values;
    expect(values.strings).toEqual(HOSTILE);
    expect(values['<<']).toEqual({ merge: 'key' });
    expect(values.y).toBe('n');
    expect(content).toContain("- 'yes'\n");
    expect(content).toContain("'<<':\n");
  });

  it('uses no anchors or aliases and escapes characters Go reads as line breaks', () => {
    const content = file(renderHostile(), 'helmrelease-backend.yaml');
    expect(content).not.toMatch(/^\s*(- )?[\w-]*:? ?[&*]a\d/m);
    expect(content).not.toMatch(/[\u2028\u2029\u0085\ufeff]/);
    expect(content).toContain(
      '\\u2028line separator\\u2029paragraph\\u0085next line',
    );
  });

  it('keeps the tag, repository and header the portal owns', () => {
    const content = file(renderHostile(), 'helmrelease-backend.yaml');
    const release: any = parseYamlDocument(content);
    expect(release.spec.values.image).toEqual({
      pullPolicy: 'Always',
      repository: 'europe-docker.pkg.dev/acme-saas/images/backend',
      tag: 'main-3f9c2a1-1763800000',
    });
    expect(content).toContain(
      '    tag: main-3f9c2a1-1763800000 # {"$imagepolicy": "flux-system:backend-staging:tag"}\n',
    );
    expect(content.split('\n')[0]).toBe(
      '# Rendered by Fleet Portal for account acme. Changes here are overwritten; change the account in the portal.',
    );
  });

  it('keeps the account config as data too', () => {
    const config: any = parseYamlDocument(
      file(renderHostile(), 'account-config.yaml'),
    );
    expect(config.data.displayName).toBe(
      'Acme\n---\nkind: Secret # not a comment',
    );
    expect(Object.keys(config)).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'data',
    ]);
  });

  it('refuses values YAML and UTF-8 cannot carry, naming the field', () => {
    const render = (values: Record<string, unknown>) => () =>
      renderAccountFolder(
        {
          account: stagingAcme({ services: [{ name: 'backend', values }] }),
          current: new Map(),
        },
        testGitopsConfig(),
      );
    expect(render({ bad: 'lone \ud800 surrogate' })).toThrow(
      RenderValidationError,
    );
    expect(render({ bad: 'lone \ud800 surrogate' })).toThrow(
      'helmrelease-backend.yaml: HelmRelease acme/backend: spec.values.bad: must be valid Unicode text (has a lone surrogate)',
    );
    expect(render({ n: [Infinity] })).toThrow(
      /spec\.values\.n\[0\]: must be a finite number/,
    );
    expect(render({ d: new Date(0) })).toThrow(
      /spec\.values\.d: must be plain JSON data/,
    );
    expect(render({ image: 'evil:latest' })).toThrow(
      /spec\.values\.image: must be an object/,
    );
  });
});
