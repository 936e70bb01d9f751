/**
 * The records a repository keeps besides git data: releases, pull requests
 * and deployments, as the server stores them (the JSON the API answers is
 * built from them by `recordRepresentations.ts`). Times are `Date`s; people
 * are logins.
 */

/** A release (`repos.createRelease`). */
export interface GithubTestRelease {
  id: number;
  tagName: string;
  /** What the release was asked to target: a branch name or a sha. */
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: string;
  createdAt: Date;
  /** `null` while a draft. */
  publishedAt: Date | null;
}

/** One status of a deployment (`repos.createDeploymentStatus`). */
export interface GithubTestDeploymentStatus {
  id: number;
  state: DeploymentState;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  creator: string;
  createdAt: Date;
}

/** A deployment (`repos.createDeployment`) with its statuses, oldest first. */
export interface GithubTestDeployment {
  id: number;
  /** The commit `ref` resolved to when the deployment was made. */
  sha: string;
  /** The ref as the request named it (branch, tag or sha). */
  ref: string;
  task: string;
  payload: unknown;
  /** The current environment (a status may change it). */
  environment: string;
  originalEnvironment: string;
  description: string | null;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  creator: string;
  createdAt: Date;
  updatedAt: Date;
  statuses: GithubTestDeploymentStatus[];
}

/** A pull request (`pulls.create`) between two branches of one repository. */
export interface GithubTestPullRequest {
  /** Per repository, from 1. */
  number: number;
  id: number;
  title: string;
  body: string | null;
  /** Head branch name (without the owner). */
  head: string;
  /** Base branch name. */
  base: string;
  /** The heads of both branches when last seen (frozen once closed). */
  headSha: string;
  baseSha: string;
  state: 'open' | 'closed';
  draft: boolean;
  user: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/** The states a deployment status may have. */
export const DEPLOYMENT_STATES = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
] as const;

export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

const counters = {
  release: 10_000_000,
  deployment: 20_000_000,
  deploymentStatus: 30_000_000,
  pull: 40_000_000,
};

/**
 * The next id of a kind of record. Ids are unique across repositories, as
 * GitHub's are, and each kind counts in its own range so that an id passed
 * to the wrong route finds nothing.
 */
export function nextRecordId(kind: keyof typeof counters): number {
  counters[kind] += 1;
  return counters[kind];
}
