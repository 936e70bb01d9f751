import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { ServiceRelease } from '@fleet-portal/plugin-accounts-common';
import { Octokit } from '@octokit/rest';
import {
  GithubClientTuning,
  createGithubClient,
} from '../../gitops/github/githubClient';
import { assertBranchName } from '../../gitops/local/prepareRepository';
import {
  GithubRepository,
  StatusMapping,
  callGithub,
  conflict,
  githubError,
  notFound,
  readGithubFailure,
  refused,
} from './githubCalls';
import { readGithubCommits } from './githubCommits';
import { createGithubRelease, listGithubReleases } from './githubReleases';
import {
  NewRelease,
  ReleaseSource,
  ReleaseSourceLocation,
  SourceCommit,
} from './ReleaseSource';

/** Options of {@link GithubReleaseSource}. */
export interface GithubReleaseSourceOptions extends GithubClientTuning {
  owner: string;
  repo: string;
  /** The web host for links; default `github.com`. */
  host?: string;
  /** The REST API's base URL; default `https://api.github.com`. */
  baseUrl?: string;
  /** A token, or a function giving the token for the next request. */
  token: string | (() => Promise<string>);
  logger: LoggerService;
  /**
   * A client made by `createGithubClient` to use instead of one made from
   * these options (tests hook its requests).
   */
  octokit?: Octokit;
}

/**
 * A service's releases in its GitHub repository: release tags, enriched
 * with their GitHub releases (notes, date, link); commits through the
 * compare and commits APIs; releases, branches and pull requests made
 * through the REST API with the config repository's client (throttled, 5xx
 * retried, a fresh token per attempt, never logged).
 */
export class GithubReleaseSource implements ReleaseSource {
  readonly location: ReleaseSourceLocation;
  private readonly github: GithubRepository;
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;

  constructor(options: GithubReleaseSourceOptions) {
    const { owner, repo, token } = options;
    const host = options.host ?? 'github.com';
    this.owner = owner;
    this.repo = repo;
    this.location = {
      kind: 'github',
      name: `${owner}/${repo}`,
      url: `https://${host}/${owner}/${repo}`,
    };
    this.octokit =
      options.octokit ??
      createGithubClient({
        ...options,
        baseUrl: options.baseUrl ?? 'https://api.github.com',
        getToken: typeof token === 'string' ? async () => token : token,
      });
    this.github = {
      octokit: this.octokit,
      owner,
      repo,
      logger: options.logger,
    };
  }

  listReleases(): Promise<ServiceRelease[]> {
    return listGithubReleases(this.github);
  }

  commitsBetween(
    base: string | undefined,
    head: string,
  ): Promise<SourceCommit[]> {
    return readGithubCommits(this.github, base, head);
  }

  async branchHead(branch: string): Promise<string> {
    assertBranchName(branch);
    const { data } = await this.call(
      `read the branch ${branch} of`,
      () =>
        this.octokit.rest.repos.getBranch({
          owner: this.owner,
          repo: this.repo,
          branch,
        }),
      { 404: notFound(`No branch ${branch} in ${this.location.name}`) },
    );
    return data.commit.sha;
  }

  async defaultBranch(): Promise<string> {
    const { data } = await this.call(
      'read',
      () => this.octokit.rest.repos.get({ owner: this.owner, repo: this.repo }),
      { 404: notFound(`No GitHub repository ${this.location.name}`) },
    );
    return data.default_branch;
  }

  createRelease(release: NewRelease): Promise<ServiceRelease> {
    return createGithubRelease(this.github, release);
  }

  async createBranch(branch: string, sha: string): Promise<void> {
    assertBranchName(branch);
    const name = this.location.name;
    await this.call(
      `create the branch ${branch} of`,
      () =>
        this.octokit.rest.git.createRef({
          owner: this.owner,
          repo: this.repo,
          ref: `refs/heads/${branch}`,
          sha,
        }),
      {
        422: failure => {
          if (/already exists/i.test(failure.text)) {
            return conflict(`The branch ${branch} exists already in ${name}`);
          }
          if (/object does not exist/i.test(failure.text)) {
            return notFound(`No commit ${sha} in ${name}`)();
          }
          return refused(`create the branch ${branch} of ${name}`)(failure);
        },
      },
    );
  }

  /**
   * Opens the pull request; when one is open already for the same branches
   * (GitHub's 422), answers that one, so a retried hot-fix goes on.
   */
  async openPullRequest(request: {
    head: string;
    base: string;
    title: string;
    body: string;
  }): Promise<{ number: number; url: string }> {
    const { head, base } = request;
    const what = `open a pull request from ${head} to ${base} in`;
    try {
      const { data } = await this.octokit.rest.pulls.create({
        owner: this.owner,
        repo: this.repo,
        ...request,
      });
      return { number: data.number, url: data.html_url };
    } catch (error) {
      const failure = readGithubFailure(error);
      const exists =
        failure?.status === 422 &&
        /pull request already exists/i.test(failure.text);
      if (!exists) {
        throw githubError(what, this.location.name, error, {
          422: refused(`${what} ${this.location.name}`),
        });
      }
    }
    const { data: open } = await this.call(
      `find the pull request from ${head} to ${base} in`,
      () =>
        this.octokit.rest.pulls.list({
          owner: this.owner,
          repo: this.repo,
          head: `${this.owner}:${head}`,
          base,
          state: 'open',
        }),
    );
    if (open.length === 0) {
      throw new ConflictError(
        `GitHub has a pull request from ${head} to ${base} in ${this.location.name} but does not list it; try again`,
      );
    }
    return { number: open[0].number, url: open[0].html_url };
  }

  private call<T>(
    operation: string,
    run: () => Promise<T>,
    mapping?: StatusMapping,
  ): Promise<T> {
    return callGithub(operation, this.location.name, run, mapping);
  }
}
