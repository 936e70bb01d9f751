import { Octokit } from '@octokit/rest';
import { GithubTestServer } from './GithubTestServer';

// Deployments and their statuses, as a release manager records rollouts,
// through the real Octokit.

const OWNER = 'acme';
const REPO = 'payments';
const TOKEN = 'ghp_deployments_test_token';
const repo = { owner: OWNER, repo: REPO };
const DOCS =
  'https://docs.github.com/rest/deployments/deployments#create-a-deployment';

let server: GithubTestServer;
let octokit: Octokit;
let initial: string;

beforeEach(async () => {
  server = await GithubTestServer.start({ token: TOKEN });
  octokit = new Octokit({ baseUrl: server.url, auth: TOKEN });
  initial = server.createRepository(OWNER, REPO, { files: { a: 'a' } });
});
afterEach(async () => {
  await server.stop();
});

/** `ref` and any other createDeployment parameters. */
type DeployParams = { ref: string; [parameter: string]: unknown };

/** Creates a deployment that must succeed (201), and returns it. */
async function deploy(params: DeployParams) {
  const res = await octokit.repos.createDeployment({ ...repo, ...params });
  expect(res.status).toBe(201);
  return res.data as Extract<typeof res.data, { sha: string }>;
}

async function status(deploymentId: number, state: string, extra = {}) {
  return octokit.repos.createDeploymentStatus({
    ...repo,
    deployment_id: deploymentId,
    state: state as 'success',
    ...extra,
  });
}

async function states(deploymentId: number) {
  const { data } = await octokit.repos.listDeploymentStatuses({
    ...repo,
    deployment_id: deploymentId,
  });
  return data.map(s => s.state);
}

describe('repos.createDeployment', () => {
  it('creates a deployment of a ref with GitHub defaults', async () => {
    const d = await deploy({ ref: 'main', required_contexts: [] });
    expect(d).toMatchObject({
      id: expect.any(Number),
      node_id: expect.any(String),
      sha: initial,
      ref: 'main',
      task: 'deploy',
      payload: {},
      environment: 'production',
      original_environment: 'production',
      description: '',
      creator: { login: 'test-user' },
      production_environment: true,
      transient_environment: false,
      url: `${server.url}/repos/acme/payments/deployments/${d.id}`,
      statuses_url: `${server.url}/repos/acme/payments/deployments/${d.id}/statuses`,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
  });

  it('deploys a tag or sha with a payload, an environment and flags', async () => {
    server.createTag(OWNER, REPO, 'v1.2.3', initial);
    const later = server.commitFiles(OWNER, REPO, 'main', { b: 'b' });
    const tagged = await deploy({
      ref: 'v1.2.3',
      environment: 'uat-eu',
      description: 'Deploy v1.2.3 to UAT',
      payload: { accounts: ['a1', 'a2'] },
      auto_merge: false,
      required_contexts: [],
      transient_environment: true,
    });
    expect(tagged).toMatchObject({
      sha: initial,
      ref: 'v1.2.3',
      environment: 'uat-eu',
      description: 'Deploy v1.2.3 to UAT',
      payload: { accounts: ['a1', 'a2'] },
      production_environment: false,
      transient_environment: true,
    });
    const bySha = await deploy({
      ref: later,
      task: 'deploy:migrations',
      payload: '{"dry":true}',
      production_environment: true,
      environment: 'prod-eu',
      required_contexts: [],
    });
    expect(bySha).toMatchObject({
      sha: later,
      task: 'deploy:migrations',
      payload: '{"dry":true}',
      production_environment: true,
    });
    expect(server.deployments(OWNER, REPO).map(d => d.ref)).toEqual([
      'v1.2.3',
      later,
    ]);
  });

  it('answers 422 for a ref that resolves to nothing', async () => {
    const error = await octokit.repos
      .createDeployment({ ...repo, ref: 'v9.9.9' })
      .catch(e => e);
    expect(error.status).toBe(422);
    expect(error.response.data).toEqual({
      message: 'No ref found for: v9.9.9',
      documentation_url: DOCS,
      status: '422',
    });
    expect(server.deployments(OWNER, REPO)).toEqual([]);
  });

  it('answers 409 with auto_merge (the default) when the ref is behind the default branch', async () => {
    server.createTag(OWNER, REPO, 'v1.0.0', initial);
    server.commitFiles(OWNER, REPO, 'main', { b: 'b' });
    const error = await octokit.repos
      .createDeployment({ ...repo, ref: 'v1.0.0', required_contexts: [] })
      .catch(e => e);
    expect(error.status).toBe(409);
    expect(error.response.data.message).toBe(
      'Conflict merging main into v1.0.0.',
    );
    expect(server.deployments(OWNER, REPO)).toEqual([]);
    // Without auto_merge nothing is merged and the deployment is made.
    const d = await deploy({
      ref: 'v1.0.0',
      auto_merge: false,
      required_contexts: [],
    });
    expect(d.sha).toBe(initial);
  });

  it('answers 409 for required contexts, since no commit statuses exist here', async () => {
    const error = await octokit.repos
      .createDeployment({
        ...repo,
        ref: 'main',
        required_contexts: ['ci/build'],
      })
      .catch(e => e);
    expect(error.status).toBe(409);
    expect(error.response.data).toMatchObject({
      message: 'Conflict: Commit status checks failed for main.',
      errors: [
        {
          resource: 'Deployment',
          field: 'required_contexts',
          code: 'invalid',
          contexts: [{ context: 'ci/build' }],
        },
      ],
    });
    // Without required_contexts every context must pass: there are none.
    await deploy({ ref: 'main' });
  });
});

describe('repos.listDeployments and repos.getDeployment', () => {
  it('lists newest first, filtered by sha, ref, task and environment, paginated', async () => {
    const a = await deploy({ ref: 'main', environment: 'uat' });
    const next = server.commitFiles(OWNER, REPO, 'main', { b: 'b' });
    const b = await deploy({ ref: 'main', environment: 'prod' });
    const c = await deploy({ ref: next, environment: 'uat', task: 'migrate' });

    const ids = async (params: Record<string, unknown>) =>
      (await octokit.repos.listDeployments({ ...repo, ...params })).data.map(
        d => d.id,
      );
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ environment: 'uat' })).toEqual([c.id, a.id]);
    expect(await ids({ sha: initial })).toEqual([a.id]);
    expect(await ids({ ref: 'main' })).toEqual([b.id, a.id]);
    expect(await ids({ task: 'migrate' })).toEqual([c.id]);
    expect(await ids({ environment: 'nowhere' })).toEqual([]);

    const page = await octokit.repos.listDeployments({ ...repo, per_page: 2 });
    expect(page.data.map(d => d.id)).toEqual([c.id, b.id]);
    expect(page.headers.link).toContain('rel="next"');

    const got = await octokit.repos.getDeployment({
      ...repo,
      deployment_id: b.id,
    });
    expect(got.data).toEqual(b);
    await expect(
      octokit.repos.getDeployment({ ...repo, deployment_id: 1 }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('deployment statuses', () => {
  it('adds statuses and lists them newest first', async () => {
    const d = await deploy({ ref: 'main', environment: 'uat' });
    const { status: code, data: queued } = await status(d.id, 'queued');
    expect(code).toBe(201);
    await status(d.id, 'in_progress', {
      log_url: 'https://ci.example.com/run/1',
    });
    const { data: done } = await status(d.id, 'success', {
      description: 'Rolled out to 12 accounts',
      environment_url: 'https://uat.example.com',
    });
    expect(done).toMatchObject({
      id: expect.any(Number),
      state: 'success',
      description: 'Rolled out to 12 accounts',
      environment: 'uat',
      environment_url: 'https://uat.example.com',
      creator: { login: 'test-user' },
      deployment_url: `${server.url}/repos/acme/payments/deployments/${d.id}`,
      url: `${server.url}/repos/acme/payments/deployments/${d.id}/statuses/${done.id}`,
    });
    expect(queued.id).toBeLessThan(done.id);
    const { data: list } = await octokit.repos.listDeploymentStatuses({
      ...repo,
      deployment_id: d.id,
    });
    expect(list.map(s => s.state)).toEqual([
      'success',
      'in_progress',
      'queued',
    ]);
    expect(list[1]).toMatchObject({
      log_url: 'https://ci.example.com/run/1',
      target_url: 'https://ci.example.com/run/1',
    });
    expect(
      server.deployments(OWNER, REPO)[0].statuses.map(s => s.state),
    ).toEqual(['queued', 'in_progress', 'success']);
  });

  it('marks earlier deployments of the environment inactive on success', async () => {
    const old = await deploy({ ref: 'main', environment: 'prod' });
    await status(old.id, 'success');
    const failed = await deploy({ ref: 'main', environment: 'prod' });
    await status(failed.id, 'failure');
    const preview = await deploy({
      ref: 'main',
      environment: 'prod',
      transient_environment: true,
    });
    const elsewhere = await deploy({ ref: 'main', environment: 'uat' });
    await status(elsewhere.id, 'success');
    const current = await deploy({ ref: 'main', environment: 'prod' });
    await status(current.id, 'success');

    expect(await states(old.id)).toEqual(['inactive', 'success']);
    expect(await states(failed.id)).toEqual(['inactive', 'failure']);
    expect(await states(preview.id)).toEqual([]);
    expect(await states(elsewhere.id)).toEqual(['success']);
    expect(await states(current.id)).toEqual(['success']);

    // Already inactive ones get no second inactive status.
    const newer = await deploy({ ref: 'main', environment: 'prod' });
    await status(newer.id, 'success');
    expect(await states(old.id)).toEqual(['inactive', 'success']);
    expect(await states(current.id)).toEqual(['inactive', 'success']);
  });

  it('leaves earlier deployments alone with auto_inactive false; a status may move the environment', async () => {
    const old = await deploy({ ref: 'main', environment: 'prod' });
    await status(old.id, 'success');
    const next = await deploy({ ref: 'main', environment: 'staging' });
    const { data } = await status(next.id, 'success', {
      environment: 'prod',
      auto_inactive: false,
    });
    expect(data.environment).toBe('prod');
    expect(await states(old.id)).toEqual(['success']);
    const { data: moved } = await octokit.repos.getDeployment({
      ...repo,
      deployment_id: next.id,
    });
    expect(moved).toMatchObject({
      environment: 'prod',
      original_environment: 'staging',
    });
  });

  it('answers 422 for an unknown state and 404 for an unknown deployment', async () => {
    const d = await deploy({ ref: 'main' });
    const error = await status(d.id, 'done').catch(e => e);
    expect(error.status).toBe(422);
    expect(error.response.data).toMatchObject({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'DeploymentStatus',
          field: 'state',
          code: 'custom',
          message: 'state is not included in the list',
        },
      ],
    });
    expect(await states(d.id)).toEqual([]);
    await expect(status(d.id + 1000, 'success')).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.repos.listDeploymentStatuses({ ...repo, deployment_id: 1 }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('deployments and the server machinery', () => {
  it('requires the token, and deployment writes meet faults and the log', async () => {
    const anonymous = new Octokit({ baseUrl: server.url });
    await expect(
      anonymous.repos.createDeployment({ ...repo, ref: 'main' }),
    ).rejects.toMatchObject({ status: 401 });

    server.injectFault({
      route: 'repos.createDeploymentStatus',
      status: 503,
      times: 1,
    });
    const d = await deploy({ ref: 'main' });
    await expect(status(d.id, 'success')).rejects.toMatchObject({
      status: 503,
    });
    expect(server.deployments(OWNER, REPO)[0].statuses).toEqual([]);
    await status(d.id, 'success');
    expect(
      server
        .requestsMatching({ write: true })
        .map(r => [r.route, r.status, r.injected]),
    ).toEqual([
      ['repos.createDeployment', 401, false],
      ['repos.createDeployment', 201, false],
      ['repos.createDeploymentStatus', 503, true],
      ['repos.createDeploymentStatus', 201, false],
    ]);
    expect(
      server.requestsMatching({ route: 'repos.createDeploymentStatus' })[1]
        .path,
    ).toBe(`/repos/acme/payments/deployments/${d.id}/statuses`);
  });
});
