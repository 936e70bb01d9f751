import { commitsBetween } from './commitGraph';
import { Handler, HandlerContext } from './handlers';
import {
  DOCS_URLS,
  GithubErrorDetail,
  notFound,
  optional,
  unprocessable,
  validationFailed,
} from './http';
import { paginate } from './pagination';
import { GithubTestPullRequest, nextRecordId } from './records';
import { pullRequestJson } from './recordRepresentations';
import { RepositoryState } from './RepositoryState';

/** An open pull request follows its branches; a closed one keeps its shas. */
function refresh(repo: RepositoryState, pull: GithubTestPullRequest) {
  if (pull.state !== 'open') return;
  pull.headSha = repo.branchHead(pull.head) ?? pull.headSha;
  pull.baseSha = repo.branchHead(pull.base) ?? pull.baseSha;
}

function respond(
  ctx: HandlerContext,
  pull: GithubTestPullRequest,
  status: number,
) {
  const { repo, rep } = ctx;
  refresh(repo, pull);
  const commits = commitsBetween(repo, pull.baseSha, pull.headSha).length;
  return {
    status,
    body: pullRequestJson(rep, pull, rep.repository(), { commits }),
  };
}

/** `branch` or `owner:branch` of this repository's owner, else undefined. */
function ownBranch(repo: RepositoryState, head: string): string | undefined {
  const colon = head.indexOf(':');
  if (colon < 0) return head;
  const owner = head.slice(0, colon);
  return owner.toLowerCase() === repo.owner.toLowerCase()
    ? head.slice(colon + 1)
    : undefined;
}

function pullError(message: string): GithubErrorDetail {
  return { resource: 'PullRequest', code: 'custom', message };
}

function checkNoOtherOpen(
  repo: RepositoryState,
  pull: Pick<GithubTestPullRequest, 'head' | 'base' | 'number'>,
  docs: string,
) {
  const open = repo.pulls.find(
    p =>
      p.state === 'open' &&
      p.number !== pull.number &&
      p.head === pull.head &&
      p.base === pull.base,
  );
  if (open) {
    throw validationFailed(
      [
        pullError(
          `A pull request already exists for ${repo.owner}:${pull.head}.`,
        ),
      ],
      docs,
    );
  }
}

/**
 * `POST /repos/{o}/{r}/pulls` with `title`, `head` (`branch` or
 * `owner:branch`), `base`, `body`, `draft`: 201 with the pull request.
 * 422 when a branch is unknown, an open pull request joins the same
 * branches, or head has no commits that base lacks.
 */
export const createPull: Handler = ctx => {
  const { repo, body, rep } = ctx;
  const docs = DOCS_URLS.createPull;
  const title = optional(body, 'title', 'string', docs);
  const headParam = optional(body, 'head', 'string', docs);
  const baseParam = optional(body, 'base', 'string', docs);
  const missing = (['title', 'head', 'base'] as const).filter(
    f => !{ title, head: headParam, base: baseParam }[f],
  );
  if (missing.length > 0) {
    throw validationFailed(
      missing.map(field => ({
        resource: 'PullRequest',
        code: 'missing_field',
        field,
      })),
      docs,
    );
  }
  const head = ownBranch(repo, headParam!);
  const headSha = head === undefined ? undefined : repo.branchHead(head);
  const baseSha = repo.branchHead(baseParam!);
  const invalid: GithubErrorDetail[] = [];
  if (!headSha) {
    invalid.push({ resource: 'PullRequest', field: 'head', code: 'invalid' });
  }
  if (!baseSha) {
    invalid.push({ resource: 'PullRequest', field: 'base', code: 'invalid' });
  }
  if (invalid.length > 0) throw validationFailed(invalid, docs);
  checkNoOtherOpen(repo, { head: head!, base: baseParam!, number: 0 }, docs);
  if (commitsBetween(repo, baseSha!, headSha!).length === 0) {
    throw validationFailed(
      [pullError(`No commits between ${baseParam} and ${headParam}`)],
      docs,
    );
  }
  const now = new Date();
  const pull: GithubTestPullRequest = {
    number: repo.pulls.length + 1,
    id: nextRecordId('pull'),
    title: title!,
    body: optional(body, 'body', 'string', docs) ?? null,
    head: head!,
    base: baseParam!,
    headSha: headSha!,
    baseSha: baseSha!,
    state: 'open',
    draft: optional(body, 'draft', 'boolean', docs) ?? false,
    user: rep.login,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
  };
  repo.pulls.push(pull);
  return respond(ctx, pull, 201);
};

function pullByNumber(repo: RepositoryState, param: string | undefined) {
  const pull = repo.pulls.find(p => String(p.number) === param);
  if (!pull) throw notFound(DOCS_URLS.pulls);
  return pull;
}

/** `GET /repos/{o}/{r}/pulls/{number}`. */
export const getPull: Handler = ctx =>
  respond(ctx, pullByNumber(ctx.repo, ctx.route.param), 200);

/**
 * `PATCH /repos/{o}/{r}/pulls/{number}` with `title`, `body`, `state`
 * (`open`/`closed`) or `base`. Reopening answers 422 when another open pull
 * request joins the same branches.
 */
export const updatePull: Handler = ctx => {
  const { repo, route, body } = ctx;
  const docs = DOCS_URLS.updatePull;
  const pull = pullByNumber(repo, route.param);
  const state = optional(body, 'state', 'string', docs);
  if (state !== undefined && state !== 'open' && state !== 'closed') {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/state', "${state}" is not a member of enum.`,
      docs,
    );
  }
  const base = optional(body, 'base', 'string', docs);
  if (base !== undefined && !repo.branchHead(base)) {
    throw validationFailed(
      [{ resource: 'PullRequest', field: 'base', code: 'invalid' }],
      docs,
    );
  }
  const nextState = state ?? pull.state;
  if (nextState === 'open') {
    checkNoOtherOpen(repo, { ...pull, base: base ?? pull.base }, docs);
  }
  refresh(repo, pull);
  const now = new Date();
  pull.title = optional(body, 'title', 'string', docs) ?? pull.title;
  if (body.body !== undefined) {
    pull.body = optional(body, 'body', 'string', docs) ?? null;
  }
  pull.base = base ?? pull.base;
  if (nextState !== pull.state) {
    pull.state = nextState;
    pull.closedAt = nextState === 'closed' ? now : null;
  }
  pull.updatedAt = now;
  return respond(ctx, pull, 200);
};

/**
 * `GET /repos/{o}/{r}/pulls?state=&head=&base=&sort=&direction=`: `state`
 * defaults to `open`; `head` must be `owner:branch` (GitHub ignores a
 * filter without the owner, and so does this); newest first unless
 * `direction=asc`; paginated.
 */
export const listPulls: Handler = ({ repo, query, rep, urlWith }) => {
  const state = query.state ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/state', "${state}" is not a member of enum.`,
      DOCS_URLS.pulls,
    );
  }
  const headFilter =
    query.head?.includes(':') === true
      ? ownBranch(repo, query.head) ?? null
      : undefined;
  const sortKey = query.sort === 'updated' ? 'updatedAt' : 'createdAt';
  const pulls = repo.pulls
    .filter(p => state === 'all' || p.state === state)
    .filter(p => headFilter === undefined || p.head === headFilter)
    .filter(p => query.base === undefined || p.base === query.base)
    .sort(
      (a, b) =>
        a[sortKey].getTime() - b[sortKey].getTime() || a.number - b.number,
    );
  if (query.direction !== 'asc') pulls.reverse();
  const page = paginate(pulls, query, urlWith);
  const repository = rep.repository();
  return {
    status: 200,
    body: page.items.map(p => {
      refresh(repo, p);
      return pullRequestJson(rep, p, repository);
    }),
    headers: page.headers,
  };
};
