import {
  NextRelease,
  ReleaseCommit,
} from '@fleet-portal/plugin-accounts-common';

const SECTIONS: Array<[keyof NextRelease['commits'], string]> = [
  ['major', 'Breaking changes'],
  ['minor', 'Features'],
  ['patch', 'Fixes and other changes'],
];

function line(commit: ReleaseCommit): string {
  const scope = commit.scope ? `**${commit.scope}:** ` : '';
  return `- ${scope}${commit.subject} (${commit.sha.slice(0, 7)})`;
}

/**
 * A release's notes in Markdown: the commits since the previous release, by
 * the bump they asked for (breaking changes, features, the rest), newest
 * first, each with its scope and short sha.
 */
export function releaseNotes(args: {
  tag: string;
  previous?: string;
  commits: NextRelease['commits'];
}): string {
  const parts = [
    args.previous ? `Changes since ${args.previous}.` : 'The first release.',
  ];
  for (const [bump, title] of SECTIONS) {
    const commits = args.commits[bump];
    if (commits.length === 0) continue;
    parts.push(`## ${title}\n\n${commits.map(line).join('\n')}`);
  }
  return parts.join('\n\n');
}
