import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DatabaseAccountsStore } from '../registry/DatabaseAccountsStore';
import { testAccount } from '../__testUtils__/accounts';
import { DatabaseOperationsStore } from './DatabaseOperationsStore';
import { OperationRunner } from './OperationRunner';
import { WorkflowStep } from './WorkflowStep';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function createStore() {
  const knex = await databases.init('SQLITE_3');
  const database = mockServices.database({ knex, migrations: { skip: false } });
  const accounts = await DatabaseAccountsStore.create({ database });
  await accounts.createAccount(testAccount('acme'), 'user:default/alice');
  return DatabaseOperationsStore.create({ database });
}

/** A step that records its runs and does what the test says. */
function step(
  id: string,
  runs: string[],
  behaviour: (signal: AbortSignal) => Promise<string> = async () =>
    `${id} done`,
): WorkflowStep {
  return {
    id,
    title: `Step ${id}`,
    async run({ signal }) {
      runs.push(id);
      return { message: await behaviour(signal) };
    },
  };
}

const request = {
  kind: 'deploy' as const,
  account: 'acme',
  requestedBy: 'user:default/alice',
  request: {},
};

describe('OperationRunner', () => {
  it('runs the steps in order and records each outcome', async () => {
    const store = await createStore();
    const runs: string[] = [];
    const runner = new OperationRunner({
      store,
      logger: mockServices.logger.mock(),
      steps: { deploy: [step('a', runs), step('b', runs)] },
    });
    const started = await runner.start(request);
    expect(started.status).toBe('pending');
    // The steps are listed, with their titles, before any runs.
    expect(started.steps).toEqual([
      { id: 'a', title: 'Step a', status: 'pending' },
      { id: 'b', title: 'Step b', status: 'pending' },
    ]);
    await runner.idle();
    const done = await store.get(started.id);
    expect(runs).toEqual(['a', 'b']);
    expect(done).toMatchObject({
      status: 'succeeded',
      steps: [
        { id: 'a', status: 'succeeded', message: 'a done' },
        { id: 'b', status: 'succeeded', message: 'b done' },
      ],
    });
    expect(done?.finishedAt).toBeDefined();
    expect(done?.steps[0].startedAt).toBeDefined();
  });

  it('stops at a failing step and names it in the error', async () => {
    const store = await createStore();
    const runs: string[] = [];
    const runner = new OperationRunner({
      store,
      logger: mockServices.logger.mock(),
      steps: {
        deploy: [
          step('a', runs, async () => {
            throw new Error('cluster said no');
          }),
          step('b', runs),
        ],
      },
    });
    const { id } = await runner.start(request);
    await runner.idle();
    expect(runs).toEqual(['a']);
    expect(await store.get(id)).toMatchObject({
      status: 'failed',
      error: 'Step a: cluster said no',
      steps: [
        { id: 'a', status: 'failed', message: 'cluster said no' },
        { id: 'b', status: 'pending' },
      ],
    });
  });

  it('resumes an interrupted operation from its unfinished step on another replica', async () => {
    const store = await createStore();
    const runs: string[] = [];
    let blocked!: () => void;
    const reachedB = new Promise<void>(resolve => {
      blocked = resolve;
    });
    const first = new OperationRunner({
      store,
      owner: 'replica-1',
      logger: mockServices.logger.mock(),
      steps: {
        deploy: [
          step('a', runs),
          step(
            'b',
            runs,
            signal =>
              new Promise((_resolve, reject) => {
                blocked();
                signal.addEventListener('abort', () =>
                  reject(new Error('aborted')),
                );
              }),
          ),
        ],
      },
    });
    const { id } = await first.start(request);
    await reachedB;
    await first.shutdown();
    expect(await store.get(id)).toMatchObject({
      status: 'running',
      steps: [{ status: 'succeeded' }, { status: 'running' }],
    });

    const second = new OperationRunner({
      store,
      owner: 'replica-2',
      logger: mockServices.logger.mock(),
      steps: { deploy: [step('a', runs), step('b', runs)] },
    });
    expect(await second.resumeInterrupted()).toBe(1);
    await second.idle();
    // Step a ran once: the resumed run started at b.
    expect(runs).toEqual(['a', 'b', 'b']);
    expect(await store.get(id)).toMatchObject({
      status: 'succeeded',
      steps: [{ status: 'succeeded' }, { status: 'succeeded' }],
    });
    expect(await second.resumeInterrupted()).toBe(0);
  });

  it('leaves an operation whose lease another replica holds alone', async () => {
    const store = await createStore();
    const runs: string[] = [];
    const steps = { deploy: [step('a', runs)] };
    const holder = new OperationRunner({
      store,
      owner: 'replica-1',
      leaseMs: 60_000,
      logger: mockServices.logger.mock(),
      steps,
    });
    const other = new OperationRunner({
      store,
      owner: 'replica-2',
      logger: mockServices.logger.mock(),
      steps,
    });
    const { id } = await holder.start(request);
    expect(await other.resumeInterrupted()).toBe(0);
    await holder.idle();
    expect(runs).toEqual(['a']);
    expect((await store.get(id))?.status).toBe('succeeded');
  });
});
