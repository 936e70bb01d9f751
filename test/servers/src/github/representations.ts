import { GitPathEntry } from './GitObjectStore';
import { GitCommitData, GitSignature, formatGitDate } from './gitObjects';
import { RepositoryState } from './RepositoryState';

/** Base addresses the JSON points at: the API (the server) and the web UI. */
export interface GithubUrls {
  api: string;
  web: string;
}

/**
 * The JSON documents GitHub answers with, for one repository (releases,
 * pull requests and deployments: `recordRepresentations.ts`).
 */
export class Representations {
  constructor(
    readonly urls: GithubUrls,
    private readonly repo: RepositoryState,
    /** The token's user: who creates releases, pull requests, deployments. */
    readonly login: string = 'test-user',
  ) {}

  /** `<api>/repos/{owner}/{repo}`. */
  get apiRepo(): string {
    return `${this.urls.api}/repos/${this.repo.owner}/${this.repo.name}`;
  }

  /** `<web>/{owner}/{repo}`. */
  get webRepo(): string {
    return `${this.urls.web}/${this.repo.owner}/${this.repo.name}`;
  }

  /** A user as GitHub shows authors and creators (a simple user). */
  user(login: string) {
    return {
      login,
      id: userId(login),
      node_id: nodeId('U', userId(login)),
      avatar_url: `${this.urls.web}/${login}.png`,
      url: `${this.urls.api}/users/${login}`,
      html_url: `${this.urls.web}/${login}`,
      type: 'User',
      site_admin: false,
    };
  }

  /** A tag as `GET /repos/{o}/{r}/tags` lists it. */
  tag(name: string, sha: string) {
    return {
      name,
      commit: { sha, url: `${this.apiRepo}/commits/${sha}` },
      zipball_url: `${this.apiRepo}/zipball/refs/tags/${name}`,
      tarball_url: `${this.apiRepo}/tarball/refs/tags/${name}`,
      node_id: nodeId('REF', `refs/tags/${name}`),
    };
  }

  /** A branch as `GET /repos/{o}/{r}/branches/{branch}` shows it. */
  branch(name: string, sha: string) {
    return {
      name,
      commit: this.repoCommit(sha, this.repo.objects.commit(sha)!),
      _links: {
        self: `${this.apiRepo}/branches/${name}`,
        html: `${this.webRepo}/tree/${name}`,
      },
      protected: false,
      protection: {
        enabled: false,
        required_status_checks: {
          enforcement_level: 'off',
          contexts: [],
          checks: [],
        },
      },
      protection_url: `${this.apiRepo}/branches/${name}/protection`,
    };
  }

  repository() {
    const { repo } = this;
    return {
      id: repo.id,
      node_id: nodeId('R', repo.id),
      name: repo.name,
      full_name: repo.fullName,
      private: true,
      visibility: 'private',
      owner: {
        login: repo.owner,
        id: 1,
        type: 'Organization',
        url: `${this.urls.api}/users/${repo.owner}`,
        html_url: `${this.urls.web}/${repo.owner}`,
      },
      html_url: this.webRepo,
      url: this.apiRepo,
      git_url: `${this.webRepo.replace(/^https?:/, 'git:')}.git`,
      clone_url: `${this.webRepo}.git`,
      default_branch: repo.defaultBranch,
      created_at: iso(repo.createdAt),
      updated_at: iso(repo.pushedAt),
      pushed_at: iso(repo.pushedAt),
      archived: false,
      disabled: false,
      permissions: { admin: false, maintain: false, push: true, pull: true },
    };
  }

  ref(ref: string, sha: string) {
    return {
      ref,
      node_id: nodeId('REF', ref),
      url: `${this.apiRepo}/git/${ref}`,
      object: {
        sha,
        type: 'commit',
        url: `${this.apiRepo}/git/commits/${sha}`,
      },
    };
  }

  blobRef(sha: string) {
    return { sha, url: `${this.apiRepo}/git/blobs/${sha}` };
  }

  blob(sha: string, data: Buffer) {
    return {
      sha,
      node_id: nodeId('B', sha),
      size: data.length,
      url: `${this.apiRepo}/git/blobs/${sha}`,
      // GitHub wraps the base64 every 60 characters.
      content: (data.toString('base64').match(/.{1,60}/g) ?? ['']).join('\n'),
      encoding: 'base64',
    };
  }

  tree(sha: string, entries: GitPathEntry[], truncated: boolean) {
    return {
      sha,
      url: `${this.apiRepo}/git/trees/${sha}`,
      tree: entries.map(e => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.type === 'blob' ? { size: e.size } : {}),
        url:
          e.type === 'commit'
            ? undefined
            : `${this.apiRepo}/git/${e.type}s/${e.sha}`,
      })),
      truncated,
    };
  }

  /** A commit as `GET /git/commits/{sha}` shows it. */
  gitCommit(sha: string, commit: GitCommitData) {
    return {
      sha,
      node_id: nodeId('C', sha),
      url: `${this.apiRepo}/git/commits/${sha}`,
      html_url: `${this.webRepo}/commit/${sha}`,
      author: person(commit.author),
      committer: person(commit.committer),
      tree: {
        sha: commit.tree,
        url: `${this.apiRepo}/git/trees/${commit.tree}`,
      },
      message: commit.message,
      parents: commit.parents.map(p => ({
        sha: p,
        url: `${this.apiRepo}/git/commits/${p}`,
        html_url: `${this.webRepo}/commit/${p}`,
      })),
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    };
  }

  /** A commit as `GET /repos/{o}/{r}/commits` lists it. */
  repoCommit(sha: string, commit: GitCommitData) {
    const git = this.gitCommit(sha, commit);
    return {
      sha,
      node_id: git.node_id,
      commit: {
        author: git.author,
        committer: git.committer,
        message: git.message,
        tree: git.tree,
        url: git.url,
        comment_count: 0,
        verification: git.verification,
      },
      url: `${this.apiRepo}/commits/${sha}`,
      html_url: git.html_url,
      comments_url: `${this.apiRepo}/commits/${sha}/comments`,
      // No GitHub users exist here, so no account matches the emails.
      author: null,
      committer: null,
      parents: commit.parents.map(p => ({
        sha: p,
        url: `${this.apiRepo}/commits/${p}`,
        html_url: `${this.webRepo}/commit/${p}`,
      })),
    };
  }
}

function person(signature: GitSignature) {
  return {
    name: signature.name,
    email: signature.email,
    date: formatGitDate(signature),
  };
}

/** A time as GitHub writes it: ISO 8601 in UTC, whole seconds. */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An opaque, stable `node_id` for a kind of object and its id. */
export function nodeId(kind: string, id: string | number): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}

/** A stable numeric id for a login (the organisation owning repos is 1). */
function userId(login: string): number {
  let hash = 0;
  for (const c of login) hash = (hash * 31 + c.charCodeAt(0)) % 1_000_000;
  return 1_000_000 + hash;
}
