import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { AccountConfigPreview } from '@fleet-portal/plugin-accounts-common';
import { fireEvent, screen, within } from '@testing-library/react';
import {
  setupAccountsBackend,
  testAccount,
  testConfigCommit,
} from '../../../__testUtils__/accountsBackend';
import { AccountConfigCard } from '../AccountConfigCard';

/** The folder of the test account `northwind`. */
export const folder = 'k8s/flux/production/northwind';

/** A preview of two added files and a modified one. */
export const threeChanges: AccountConfigPreview = {
  folder,
  base: testConfigCommit(),
  changes: [
    { path: `${folder}/helmrelease-engine.yaml`, status: 'added' },
    { path: `${folder}/kustomization.yaml`, status: 'modified' },
    { path: `${folder}/values-engine.yaml`, status: 'added' },
  ],
  diff: [
    `diff --git a/${folder}/helmrelease-engine.yaml b/${folder}/helmrelease-engine.yaml`,
    'new file mode 100644',
    '--- /dev/null',
    `+++ b/${folder}/helmrelease-engine.yaml`,
    '@@ -0,0 +1,2 @@',
    '+kind: HelmRelease',
    '+  name: engine',
    `diff --git a/${folder}/kustomization.yaml b/${folder}/kustomization.yaml`,
    `--- a/${folder}/kustomization.yaml`,
    `+++ b/${folder}/kustomization.yaml`,
    '@@ -1,2 +1,2 @@',
    ' resources:',
    '-  - helmrelease-backend.yaml',
    '+  - helmrelease-engine.yaml',
    '',
  ].join('\n'),
};

/** A preview finding the folder up to date. */
export const nothing: AccountConfigPreview = {
  folder,
  base: testConfigCommit(),
  changes: [],
  diff: '',
};

/** The card of an account named `name`, rendered by the test file's backend. */
export function renderCard(
  render: ReturnType<typeof setupAccountsBackend>['render'],
  name = 'northwind',
  permission?: (
    request: EvaluatePermissionRequest,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  return render(<AccountConfigCard account={testAccount({ name })} />, {
    permission,
  });
}

/** Queries inside the open dialog. */
export function dialog() {
  return within(screen.getByRole('dialog'));
}

/** Clicks "Preview changes" and waits for the answer. */
export async function previewChanges() {
  fireEvent.click(
    await screen.findByRole('button', { name: 'Preview changes' }),
  );
  await screen.findByTestId('config-preview-summary');
}

/** Opens the commit dialog and types a reason. */
export async function openCommit(reason: string) {
  await previewChanges();
  fireEvent.click(await screen.findByRole('button', { name: 'Commit' }));
  fireEvent.change(dialog().getByLabelText('Reason'), {
    target: { value: reason },
  });
}

/** A line of the diff, by its exact text (spaces kept). */
export function diffLine(text: string) {
  const line = Array.from(
    screen.getByTestId('config-diff').querySelectorAll('[data-line-kind]'),
  ).find(element => element.textContent === text);
  if (!line) throw new Error(`No diff line ${JSON.stringify(text)}`);
  return line;
}

/** The text under the Reason field. */
export function reasonHelperText() {
  const id = dialog().getByLabelText('Reason').getAttribute('aria-describedby');
  return id ? document.getElementById(id)?.textContent : undefined;
}
