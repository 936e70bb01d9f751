import { makeStyles, Theme } from '@material-ui/core/styles';
import { useMemo } from 'react';

/**
 * What one line of a unified diff is: `file` for the `diff --git` line,
 * `meta` for the other header lines (`new file mode`, `---`, `+++`, ...),
 * `hunk` for `@@ ... @@`, then `added`, `removed`, `context`, and `note` for
 * `\ No newline at end of file`.
 */
export type DiffLineKind =
  | 'file'
  | 'meta'
  | 'hunk'
  | 'added'
  | 'removed'
  | 'context'
  | 'note';

/** One line of a unified diff and what it is. */
export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

/**
 * Classifies the lines of a git-style unified diff. The header state is
 * tracked rather than guessed from the first characters: a removed line
 * reading `-- x` would otherwise look like a `--- a/path` header.
 */
export function parseUnifiedDiff(diff: string): DiffLine[] {
  const lines = diff.split('\n');
  // The text ends with a newline; it does not start another line.
  if (lines[lines.length - 1] === '') lines.pop();
  let inHeader = false;
  return lines.map(text => {
    if (text.startsWith('diff --git ')) {
      inHeader = true;
      return { kind: 'file', text };
    }
    if (text.startsWith('@@')) {
      inHeader = false;
      return { kind: 'hunk', text };
    }
    if (inHeader) return { kind: 'meta', text };
    switch (text[0]) {
      case '+':
        return { kind: 'added', text };
      case '-':
        return { kind: 'removed', text };
      case '\\':
        return { kind: 'note', text };
      default:
        return { kind: 'context', text };
    }
  });
}

// Light tints behind text of the primary colour (and a dark blue on light
// blue for hunks) keep WCAG AA contrast in both themes; the +/- marks say
// the same for those who cannot tell the colours apart.
const useStyles = makeStyles((theme: Theme) => {
  const dark = theme.palette.type === 'dark';
  return {
    frame: {
      maxHeight: 480,
      overflow: 'auto',
      border: `1px solid ${theme.palette.divider}`,
      borderRadius: theme.shape.borderRadius,
      backgroundColor: theme.palette.background.default,
    },
    // At least the frame's width, so that tints run the full width when a
    // long line makes the frame scroll sideways.
    lines: {
      display: 'inline-block',
      minWidth: '100%',
      margin: 0,
      padding: theme.spacing(0.5, 0),
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: '0.8125rem',
      lineHeight: 1.5,
      color: theme.palette.text.primary,
    },
    line: {
      display: 'block',
      whiteSpace: 'pre',
      padding: theme.spacing(0, 1),
    },
    file: {
      fontWeight: 700,
      marginTop: theme.spacing(0.5),
      borderTop: `1px solid ${theme.palette.divider}`,
      backgroundColor: dark ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.06)',
    },
    meta: {
      backgroundColor: dark ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.06)',
    },
    hunk: {
      color: dark ? '#a5d6ff' : '#0b4f9c',
      backgroundColor: dark ? 'rgba(56,139,253,0.15)' : '#ddf4ff',
    },
    added: {
      backgroundColor: dark ? 'rgba(46,160,67,0.25)' : '#dafbe1',
    },
    removed: {
      backgroundColor: dark ? 'rgba(248,81,73,0.25)' : '#ffebe9',
    },
    context: {},
    note: {
      fontStyle: 'italic',
    },
  };
});

/** The props of {@link ConfigDiff}. */
export interface ConfigDiffProps {
  /** A git-style unified diff. */
  diff: string;
}

/**
 * A unified diff, monospace, one element per line carrying its kind in
 * `data-line-kind`. Long lines scroll sideways instead of wrapping, so the
 * columns of YAML stay aligned; the frame scrolls beyond a height.
 */
export function ConfigDiff(props: ConfigDiffProps) {
  const classes = useStyles();
  const lines = useMemo(() => parseUnifiedDiff(props.diff), [props.diff]);
  return (
    <div
      className={classes.frame}
      role="region"
      aria-label="Unified diff"
      // Keyboard users can only scroll a region that takes focus (WCAG
      // 2.1.1; axe's rule scrollable-region-focusable).
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      data-testid="config-diff"
    >
      <pre className={classes.lines}>
        {lines.map((line, index) => (
          <code
            key={index}
            className={`${classes.line} ${classes[line.kind]}`}
            data-line-kind={line.kind}
          >
            {line.text || ' '}
          </code>
        ))}
      </pre>
    </div>
  );
}
