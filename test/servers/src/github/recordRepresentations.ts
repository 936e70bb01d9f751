import {
  GithubTestDeployment,
  GithubTestDeploymentStatus,
  GithubTestPullRequest,
  GithubTestRelease,
} from './records';
import { Representations, iso, nodeId } from './representations';

/** A release as the releases routes answer it (no assets are kept). */
export function releaseJson(rep: Representations, release: GithubTestRelease) {
  const url = `${rep.apiRepo}/releases/${release.id}`;
  return {
    url,
    html_url: `${rep.webRepo}/releases/tag/${release.tagName}`,
    assets_url: `${url}/assets`,
    upload_url: `${url}/assets{?name,label}`,
    tarball_url: `${rep.apiRepo}/tarball/${release.tagName}`,
    zipball_url: `${rep.apiRepo}/zipball/${release.tagName}`,
    id: release.id,
    node_id: nodeId('RE', release.id),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    created_at: iso(release.createdAt),
    published_at: release.publishedAt ? iso(release.publishedAt) : null,
    author: rep.user(release.author),
    assets: [],
  };
}

/**
 * A pull request as `pulls.list` lists it; with `full`, as `pulls.get`
 * and `pulls.create` answer (merge state and counts added).
 */
export function pullRequestJson(
  rep: Representations,
  pull: GithubTestPullRequest,
  repository: ReturnType<Representations['repository']>,
  full?: { commits: number },
) {
  const url = `${rep.apiRepo}/pulls/${pull.number}`;
  const html = `${rep.webRepo}/pull/${pull.number}`;
  const side = (ref: string, sha: string) => ({
    label: `${repository.owner.login}:${ref}`,
    ref,
    sha,
    user: repository.owner,
    repo: repository,
  });
  const simple = {
    url,
    id: pull.id,
    node_id: nodeId('PR', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${rep.apiRepo}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    comments_url: `${rep.apiRepo}/issues/${pull.number}/comments`,
    statuses_url: `${rep.apiRepo}/statuses/${pull.headSha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: rep.user(pull.user),
    body: pull.body,
    labels: [],
    milestone: null,
    created_at: iso(pull.createdAt),
    updated_at: iso(pull.updatedAt),
    closed_at: pull.closedAt ? iso(pull.closedAt) : null,
    merged_at: null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head, pull.headSha),
    base: side(pull.base, pull.baseSha),
    author_association: 'MEMBER',
    auto_merge: null,
    draft: pull.draft,
  };
  if (!full) return simple;
  return {
    ...simple,
    merged: false,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: full.commits,
  };
}

/** A deployment as the deployments routes answer it. */
export function deploymentJson(
  rep: Representations,
  deployment: GithubTestDeployment,
) {
  const url = `${rep.apiRepo}/deployments/${deployment.id}`;
  return {
    url,
    id: deployment.id,
    node_id: nodeId('DE', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.originalEnvironment,
    environment: deployment.environment,
    description: deployment.description,
    creator: rep.user(deployment.creator),
    created_at: iso(deployment.createdAt),
    updated_at: iso(deployment.updatedAt),
    statuses_url: `${url}/statuses`,
    repository_url: rep.apiRepo,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
  };
}

/** A deployment status as the statuses routes answer it. */
export function deploymentStatusJson(
  rep: Representations,
  deployment: GithubTestDeployment,
  status: GithubTestDeploymentStatus,
) {
  const deploymentUrl = `${rep.apiRepo}/deployments/${deployment.id}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DES', status.id),
    state: status.state,
    creator: rep.user(status.creator),
    description: status.description,
    environment: status.environment,
    // `target_url` is the older name of `log_url`; GitHub fills both.
    target_url: status.logUrl,
    log_url: status.logUrl,
    environment_url: status.environmentUrl,
    created_at: iso(status.createdAt),
    updated_at: iso(status.createdAt),
    deployment_url: deploymentUrl,
    repository_url: rep.apiRepo,
  };
}
