import { mockServices } from '@backstage/backend-test-utils';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import yaml from 'yaml';
import { AccountsBackendClient } from './client/AccountsBackendClient';
import { createCommitAccountConfigAction } from './actions/commitAccountConfig';
import { createCreateAccountAction } from './actions/createAccount';
import { createDeployAccountAction } from './actions/deployAccount';
import { createExportAccountsAction } from './actions/exportAccounts';
import { createGetAccountAction } from './actions/getAccount';
import { createProvisionAccountAction } from './actions/provisionAccount';
import { createWaitForAccountReadyAction } from './actions/waitForAccountReady';

/*
 * The Fleet Portal templates (templates/ at the repository's root) against
 * the actions of this module: every step names one of them with inputs it
 * declares, every required input is given, and every `steps.X.output.Y`
 * reference names an earlier step and an output its action declares.
 */

const client = new AccountsBackendClient({
  auth: mockServices.auth(),
  discovery: mockServices.discovery(),
});
const actions = [
  createGetAccountAction({ client }),
  createCreateAccountAction({ client }),
  createCommitAccountConfigAction({ client }),
  createExportAccountsAction({ client }),
  createProvisionAccountAction({ client }),
  createWaitForAccountReadyAction({ client }),
  createDeployAccountAction({ client }),
];

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] };

function readTemplate(name: string) {
  const path = resolve(__dirname, '../../../templates', name, 'template.yaml');
  return yaml.parse(readFileSync(path, 'utf8'));
}

describe.each(['new-account', 'deploy-account'])('template %s', name => {
  const template = readTemplate(name);
  const steps: Array<{ id: string; action: string; input?: object }> =
    template.spec.steps;

  it('is a v1beta3 template', () => {
    expect(template).toMatchObject({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name },
    });
  });

  it('starts over when the scaffolder recovers it after a restart', () => {
    // Without this, a recovered task is failed rather than run again.
    expect(template.spec.EXPERIMENTAL_recovery).toEqual({
      EXPERIMENTAL_strategy: 'startOver',
    });
  });

  it.each(steps.map(step => [step.id, step] as const))(
    'step %s uses an action of this module as declared',
    (_id, step) => {
      const action = actions.find(a => a.id === step.action);
      expect(action).toBeDefined();
      const schema = action!.schema!.input as JsonSchema;
      const given = Object.keys(step.input ?? {});
      expect(Object.keys(schema.properties ?? {})).toEqual(
        expect.arrayContaining(given),
      );
      expect(given).toEqual(expect.arrayContaining(schema.required ?? []));
    },
  );

  it('refers only to outputs that earlier steps declare', () => {
    const text = JSON.stringify(template.spec);
    const references = [
      ...text.matchAll(/steps\.([\w-]+)\.output\.(\w+)/g),
    ].map(([, stepId, output]) => ({ stepId, output }));
    expect(references.length).toBeGreaterThan(0);
    for (const { stepId, output } of references) {
      const step = steps.find(s => s.id === stepId);
      expect(step).toBeDefined();
      const action = actions.find(a => a.id === step!.action)!;
      const outputs = (action.schema!.output as JsonSchema).properties ?? {};
      expect(Object.keys(outputs)).toContain(output);
    }
  });
});

describe('template new-account', () => {
  it('waits for the revision its commit step made', () => {
    const { steps } = readTemplate('new-account').spec;
    expect(steps.map((s: { action: string }) => s.action)).toEqual([
      'accounts:create',
      'accounts:config:commit',
      'accounts:export',
      'accounts:provision',
      'accounts:wait-ready',
    ]);
    expect(steps[4].input.revision).toBe(
      '${{ steps.commit.output.commitSha }}',
    );
  });
});
