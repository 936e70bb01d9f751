import { unifiedDiff } from './unifiedDiff';

describe('unifiedDiff', () => {
  it('shows a changed line with git headers and context', () => {
    expect(unifiedDiff('k8s/a.yaml', 'a: 1\nb: 2\n', 'a: 1\nb: 3\n')).toBe(
      [
        'diff --git a/k8s/a.yaml b/k8s/a.yaml',
        '--- a/k8s/a.yaml',
        '+++ b/k8s/a.yaml',
        '@@ -1,2 +1,2 @@',
        ' a: 1',
        '-b: 2',
        '+b: 3',
        '',
      ].join('\n'),
    );
  });

  it('marks new and deleted files', () => {
    expect(unifiedDiff('x.yaml', undefined, 'a: 1\n')).toBe(
      [
        'diff --git a/x.yaml b/x.yaml',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/x.yaml',
        '@@ -0,0 +1,1 @@',
        '+a: 1',
        '',
      ].join('\n'),
    );
    expect(unifiedDiff('x.yaml', 'a: 1\n', undefined)).toMatch(
      /^diff --git a\/x.yaml b\/x.yaml\ndeleted file mode 100644\n--- a\/x.yaml\n\+\+\+ \/dev\/null\n@@ -1,1 \+0,0 @@\n-a: 1\n$/,
    );
  });

  it('is empty when nothing changes', () => {
    expect(unifiedDiff('x.yaml', 'a: 1\n', 'a: 1\n')).toBe('');
  });
});
