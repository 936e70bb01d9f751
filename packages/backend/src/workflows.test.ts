import {
  PortalEnvironment,
  startPortalEnvironment,
} from './__testUtils__/portalEnvironment';

/*
 * The create-account and deploy templates end to end, through the
 * scaffolder's own API as the portal's frontend uses it: the portal's
 * backend process with every plugin (catalog, scaffolder, accounts), a local
 * git config repository, accounts.json in a local Cloud Storage server, and
 * the cluster simulator whose Flux reconciles that repository.
 */

jest.setTimeout(180_000);

const SECRET = 'sentinel-webhook-4e9a17c3';

const newAccount = (name: string) => ({
  name,
  displayName: `${name[0].toUpperCase()}${name.slice(1)} Inc.`,
  owner: 'group:default/platform',
  environment: 'staging',
  region: 'europe-west4',
  cluster: 'staging-eu',
  isUat: false,
  services: ['backend', 'engine'],
});

const NEW_ACCOUNT_STEPS = ['create', 'commit', 'export', 'provision', 'ready'];

describe('the account templates, through the scaffolder', () => {
  let env: PortalEnvironment;
  beforeAll(async () => {
    env = await startPortalEnvironment({ secret: SECRET });
    await env.api.waitForTemplate('new-account');
    await env.api.waitForTemplate('deploy-account');
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** Commits of the config repository that touched the account's folder. */
  const folderCommits = (account: string) =>
    env
      .git('log', '--format=%H', 'main', '--', `k8s/flux/staging/${account}`)
      .trim()
      .split('\n')
      .filter(Boolean);

  const accountsNamed = async (name: string) => {
    const { items } = await env.api.call(`accounts/accounts?q=${name}`);
    return items.filter((a: { name: string }) => a.name === name);
  };

  const taskMessages = async (taskId: string) =>
    (await env.api.events(taskId))
      .map(e => [e.body.message, e.body.error?.message].join(' '))
      .join('\n');

  it('new-account brings a new account to Ready; running it again creates nothing twice', async () => {
    const { api } = env;
    const taskId = await api.run('new-account', newAccount('acme'));
    const task = await api.finished(taskId);
    expect({ status: task.status, log: await taskMessages(taskId) }).toEqual(
      expect.objectContaining({ status: 'completed' }),
    );
    const steps = await api.stepStatuses(taskId);
    expect(NEW_ACCOUNT_STEPS.map(id => steps[id])).toEqual(
      NEW_ACCOUNT_STEPS.map(() => 'completed'),
    );
    const completion = (await api.events(taskId)).find(
      e => e.type === 'completion',
    );
    expect(completion?.body.output?.links).toContainEqual(
      expect.objectContaining({ title: 'Account page', url: '/accounts/acme' }),
    );

    // Ready in the portal and on the cluster, at the commit of the task.
    const readiness = await api.call('accounts/accounts/acme/readiness');
    expect(readiness.state).toBe('ready');
    const [commit] = folderCommits('acme');
    expect(readiness.kustomization.lastAppliedRevision).toBe(
      `main@sha1:${commit}`,
    );
    for (const service of ['backend', 'engine']) {
      expect(env.helmRelease('acme', service).status.conditions).toContainEqual(
        expect.objectContaining({ type: 'Ready', status: 'True' }),
      );
    }
    expect(JSON.parse(env.exported()).accounts).toContainEqual(
      expect.objectContaining({ name: 'acme', cluster: 'staging-eu' }),
    );

    // The same form submitted again: one account, one commit, same version.
    const before = (await accountsNamed('acme'))[0];
    const again = await api.run('new-account', newAccount('acme'));
    expect((await api.finished(again)).status).toBe('completed');
    expect(await accountsNamed('acme')).toEqual([before]);
    expect(folderCommits('acme')).toEqual([commit]);
  });

  it('deploy-account applies a changed version; the cluster shows a new Helm revision', async () => {
    const { api } = env;
    const revisionBefore = env.helmRelease('acme', 'backend').status.history[0]
      .version;
    const taskId = await api.run('deploy-account', {
      account: 'acme',
      versions: { backend: 'main-abc1234-1763900000' },
      reason: 'Pin backend for the demo',
    });
    const task = await api.finished(taskId);
    expect({ status: task.status, log: await taskMessages(taskId) }).toEqual(
      expect.objectContaining({ status: 'completed' }),
    );

    const backend = env.helmRelease('acme', 'backend');
    expect(backend.spec.values.image.tag).toBe('main-abc1234-1763900000');
    expect(backend.status.history[0]).toMatchObject({
      version: revisionBefore + 1,
      status: 'deployed',
    });
    const { items } = await api.call('accounts/accounts/acme/deployments');
    expect(items).toEqual([
      expect.objectContaining({
        commit: env.git('rev-parse', 'main').trim(),
        deployedBy: 'user:default/guest',
        versions: expect.objectContaining({
          backend: 'main-abc1234-1763900000',
        }),
      }),
    ]);
  });

  it("a failing release fails the deploy task, naming the HelmRelease and Flux's message; a retry after the fix completes without duplicates", async () => {
    const { api } = env;
    await env.failRelease('acme', 'engine', 'Back-off pulling image engine');
    const taskId = await api.run('deploy-account', {
      account: 'acme',
      versions: { engine: '2.1.4' },
    });
    expect((await api.finished(taskId)).status).toBe('failed');
    const log = await taskMessages(taskId);
    expect(log).toContain('HelmRelease acme/engine');
    expect(log).toContain('Back-off pulling image engine');
    const deployments = async () =>
      (await api.call('accounts/accounts/acme/deployments')).items;
    expect(await deployments()).toHaveLength(1);
    const commits = folderCommits('acme');

    // Fixed on the cluster side; the task is retried (the UI's Retry).
    await env.failRelease('acme', 'engine');
    await api.retry(taskId);
    const retried = await api.finished(taskId);
    expect({ status: retried.status, log: await taskMessages(taskId) }).toEqual(
      expect.objectContaining({ status: 'completed' }),
    );
    expect(env.helmRelease('acme', 'engine').spec.values.image.tag).toBe(
      '2.1.4',
    );
    // One more deployment, and the pin's commit was not made again.
    expect(await deployments()).toHaveLength(2);
    expect(folderCommits('acme')).toEqual(commits);
  });

  it('new-account resumes and completes when the backend is killed in the middle of it', async () => {
    const { api, simulator } = env;
    // The cluster stops answering, so the provision step hangs...
    simulator.hang('staging-eu', true);
    const taskId = await api.run('new-account', newAccount('globex'));
    await api.stepReached(taskId, 'provision', 'processing');
    // ...when the backend dies. The cluster is back before a new one starts.
    await env.restart(() => simulator.hang('staging-eu', false));

    const task = await env.api.finished(taskId);
    expect({ status: task.status, log: await taskMessages(taskId) }).toEqual(
      expect.objectContaining({ status: 'completed' }),
    );
    const events = await env.api.events(taskId);
    expect(events.map(e => e.type)).toContain('recovered');
    expect(await accountsNamed('globex')).toHaveLength(1);
    expect(folderCommits('globex')).toHaveLength(1);
    const readiness = await env.api.call('accounts/accounts/globex/readiness');
    expect(readiness.state).toBe('ready');
  });

  it('keeps the provisioned secret on the cluster and out of the log, tasks, accounts.json and git', async () => {
    const secret = env.simulator.store('staging-eu').get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: 'acme',
      name: 'slack-webhook',
    }) as any;
    expect(Buffer.from(secret.data.address, 'base64').toString()).toBe(SECRET);

    expect(await env.portal.output()).not.toContain(SECRET);
    const { tasks } = await env.api.call('scaffolder/v2/tasks');
    expect(tasks.length).toBeGreaterThanOrEqual(5);
    for (const { id } of tasks) {
      expect(JSON.stringify(await env.api.events(id))).not.toContain(SECRET);
    }
    expect(env.exported()).not.toContain(SECRET);
    expect(env.git('log', '-p', '--all')).not.toContain(SECRET);
  });
});
