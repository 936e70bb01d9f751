import { isAncestor } from './commitGraph';
import { Handler } from './handlers';
import {
  DOCS_URLS,
  GithubDetailedError,
  GithubHttpError,
  notFound,
  optional,
  requireString,
  unprocessable,
  validationFailed,
} from './http';
import { paginate } from './pagination';
import {
  DEPLOYMENT_STATES,
  DeploymentState,
  GithubTestDeployment,
  GithubTestDeploymentStatus,
  nextRecordId,
} from './records';
import { deploymentJson, deploymentStatusJson } from './recordRepresentations';
import { RepositoryState } from './RepositoryState';

function requiredContexts(value: unknown, docs: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some(c => typeof c !== 'string')) {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/required_contexts', ${JSON.stringify(
        value,
      )} is not an array of strings.`,
      docs,
    );
  }
  return value as string[];
}

/**
 * `POST /repos/{o}/{r}/deployments`: 201 with the deployment of `ref`
 * (branch, tag or sha) to `environment` (default `production`).
 *
 * - 422 "No ref found for: {ref}" when the ref resolves to nothing.
 * - `auto_merge` (default true): when the ref lacks the default branch's
 *   head, GitHub merges the default branch into it and answers 202 without
 *   a deployment, or 409 when the merge conflicts. Merging is not
 *   simulated: this answers the 409 (no deployment either way), so a
 *   client deploying an older ref must send `auto_merge: false`, as it must
 *   on GitHub.
 * - `required_contexts` (default: every context): no commit statuses are
 *   kept here, so a non-empty list can never be met and answers 409, as
 *   GitHub does for contexts that never reported; `[]` skips the check.
 */
export const createDeployment: Handler = ({ repo, body, rep }) => {
  const docs = DOCS_URLS.createDeployment;
  const ref = requireString(body, 'ref', docs);
  const environment =
    optional(body, 'environment', 'string', docs) ?? 'production';
  const payload = body.payload ?? {};
  if (typeof payload !== 'string' && typeof payload !== 'object') {
    throw unprocessable(
      `Invalid request.\n\nFor 'properties/payload', ${JSON.stringify(
        payload,
      )} is not an object or a string.`,
      docs,
    );
  }
  const deployment: Omit<GithubTestDeployment, 'id' | 'sha'> = {
    ref,
    task: optional(body, 'task', 'string', docs) ?? 'deploy',
    payload,
    environment,
    originalEnvironment: environment,
    description: optional(body, 'description', 'string', docs) ?? '',
    transientEnvironment:
      optional(body, 'transient_environment', 'boolean', docs) ?? false,
    productionEnvironment:
      optional(body, 'production_environment', 'boolean', docs) ??
      environment === 'production',
    creator: rep.login,
    createdAt: new Date(),
    updatedAt: new Date(),
    statuses: [],
  };
  const autoMerge = optional(body, 'auto_merge', 'boolean', docs) ?? true;
  const contexts = requiredContexts(body.required_contexts, docs);
  const sha = repo.resolveCommitish(ref);
  if (!sha) throw unprocessable(`No ref found for: ${ref}`, docs);
  const defaultHead = repo.branchHead(repo.defaultBranch);
  if (autoMerge && defaultHead && !isAncestor(repo, defaultHead, sha)) {
    throw new GithubHttpError(
      409,
      `Conflict merging ${repo.defaultBranch} into ${ref}.`,
      docs,
    );
  }
  if (contexts && contexts.length > 0) {
    throw new GithubDetailedError(
      409,
      `Conflict: Commit status checks failed for ${ref}.`,
      [
        {
          contexts: contexts.map(context => ({ context, state: 'missing' })),
          resource: 'Deployment',
          field: 'required_contexts',
          code: 'invalid',
        },
      ],
      docs,
    );
  }
  const created = { id: nextRecordId('deployment'), sha, ...deployment };
  repo.deployments.push(created);
  return { status: 201, body: deploymentJson(rep, created) };
};

/**
 * `GET /repos/{o}/{r}/deployments?sha=&ref=&task=&environment=`: newest
 * first, paginated.
 */
export const listDeployments: Handler = ({ repo, query, rep, urlWith }) => {
  const matches = (value: string, filter: string | undefined) =>
    filter === undefined || filter === '' || value === filter;
  const deployments = repo.deployments
    .filter(
      d =>
        matches(d.sha, query.sha?.toLowerCase()) &&
        matches(d.ref, query.ref) &&
        matches(d.task, query.task) &&
        matches(d.environment, query.environment),
    )
    .reverse();
  const page = paginate(deployments, query, urlWith);
  return {
    status: 200,
    body: page.items.map(d => deploymentJson(rep, d)),
    headers: page.headers,
  };
};

function deploymentById(repo: RepositoryState, param: string | undefined) {
  const deployment = repo.deployments.find(d => String(d.id) === param);
  if (!deployment) throw notFound(DOCS_URLS.deployments);
  return deployment;
}

/** `GET /repos/{o}/{r}/deployments/{id}`. */
export const getDeployment: Handler = ({ repo, route, rep }) => ({
  status: 200,
  body: deploymentJson(rep, deploymentById(repo, route.param)),
});

function addStatus(
  deployment: GithubTestDeployment,
  status: Omit<GithubTestDeploymentStatus, 'id' | 'createdAt'>,
): GithubTestDeploymentStatus {
  const created = {
    id: nextRecordId('deploymentStatus'),
    createdAt: new Date(),
    ...status,
  };
  deployment.statuses.push(created);
  deployment.updatedAt = created.createdAt;
  return created;
}

/**
 * `POST /repos/{o}/{r}/deployments/{id}/statuses`: 201 with the status.
 * `environment` moves the deployment to another environment. A `success`
 * with `auto_inactive` (default true) adds an `inactive` status to every
 * earlier, non-transient deployment of the same environment not already
 * inactive. 422 for a state GitHub does not know.
 */
export const createDeploymentStatus: Handler = ({ repo, route, body, rep }) => {
  const docs = DOCS_URLS.createDeploymentStatus;
  const deployment = deploymentById(repo, route.param);
  const state = requireString(body, 'state', docs);
  if (!(DEPLOYMENT_STATES as readonly string[]).includes(state)) {
    throw validationFailed(
      [
        {
          resource: 'DeploymentStatus',
          code: 'custom',
          field: 'state',
          message: 'state is not included in the list',
        },
      ],
      docs,
    );
  }
  const logUrl =
    optional(body, 'log_url', 'string', docs) ??
    optional(body, 'target_url', 'string', docs) ??
    '';
  const environmentUrl = optional(body, 'environment_url', 'string', docs);
  const description = optional(body, 'description', 'string', docs);
  const environment = optional(body, 'environment', 'string', docs);
  const autoInactive = optional(body, 'auto_inactive', 'boolean', docs) ?? true;
  if (environment) deployment.environment = environment;
  const status = addStatus(deployment, {
    state: state as DeploymentState,
    description: description ?? '',
    environment: deployment.environment,
    logUrl,
    environmentUrl: environmentUrl ?? '',
    creator: rep.login,
  });
  if (state === 'success' && autoInactive) {
    for (const earlier of repo.deployments) {
      if (
        earlier.id < deployment.id &&
        earlier.environment === deployment.environment &&
        !earlier.transientEnvironment &&
        earlier.statuses.at(-1)?.state !== 'inactive'
      ) {
        addStatus(earlier, {
          state: 'inactive',
          description: '',
          environment: earlier.environment,
          logUrl: '',
          environmentUrl: '',
          creator: rep.login,
        });
      }
    }
  }
  return { status: 201, body: deploymentStatusJson(rep, deployment, status) };
};

/** `GET /repos/{o}/{r}/deployments/{id}/statuses`: newest first. */
export const listDeploymentStatuses: Handler = ({
  repo,
  route,
  query,
  rep,
  urlWith,
}) => {
  const deployment = deploymentById(repo, route.param);
  const page = paginate([...deployment.statuses].reverse(), query, urlWith);
  return {
    status: 200,
    body: page.items.map(s => deploymentStatusJson(rep, deployment, s)),
    headers: page.headers,
  };
};
