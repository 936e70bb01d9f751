import {
  ReleaseCommit,
  VersionBump,
} from '@fleet-portal/plugin-accounts-common';
import { sync as parseCommit } from 'conventional-commits-parser';

/**
 * The Conventional Commits grammar (conventionalcommits.org 1.0): a header
 * `type(scope)!: description`, footers such as `BREAKING CHANGE: …`.
 */
const OPTIONS = {
  headerPattern: /^(\w+)(?:\(([\w$.\-*/ ]+)\))?!?: (.+)$/,
  breakingHeaderPattern: /^(\w+)(?:\(([\w$.\-*/ ]+)\))?!: (.+)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
};

/**
 * A commit read as a Conventional Commit and the version bump it asks for:
 * `!` after the type or a `BREAKING CHANGE` footer → major, `feat` → minor,
 * anything else (other types and headers that are not conventional) → patch.
 */
export function readConventionalCommit(commit: {
  sha: string;
  message: string;
  author?: string;
  committedAt?: string;
}): ReleaseCommit {
  const parsed = parseCommit(commit.message, OPTIONS);
  const header = commit.message.split('\n', 1)[0].trim();
  const type = parsed.type ? parsed.type.toLowerCase() : '';
  const breaking = parsed.notes.some(note =>
    OPTIONS.noteKeywords.includes(note.title),
  );
  let bump: VersionBump = 'patch';
  if (breaking) bump = 'major';
  else if (type === 'feat') bump = 'minor';
  return {
    sha: commit.sha,
    type,
    ...(parsed.scope && { scope: parsed.scope }),
    subject: (type && parsed.subject) || header,
    breaking,
    bump,
    ...(commit.author && { author: commit.author }),
    ...(commit.committedAt && { committedAt: commit.committedAt }),
  };
}
