import { Page, expect, test } from '@playwright/test';
import { execFileSync } from 'child_process';
import { screenshot, signInAsGuest } from './helpers';

/** The tabs of a catalog entity page. */
function entityTabs(page: Page) {
  return page.getByRole('navigation', { name: 'Content navigation' });
}

test('the accounts backend answers health without sign-in', async ({
  request,
}) => {
  const response = await request.get(
    'http://localhost:7007/api/accounts/health',
  );
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('the accounts API refuses a caller without a token', async ({
  request,
}) => {
  const response = await request.get(
    'http://localhost:7007/api/accounts/accounts',
  );
  expect(response.status()).toBe(401);
});

test('the home page is the accounts list, reached from the sidebar', async ({
  page,
}) => {
  await signInAsGuest(page, '/', { screenshot: 'sign-in' });
  await expect(page).toHaveURL(/\/accounts$/);

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  const accountsLink = nav.getByRole('link', { name: 'Accounts', exact: true });
  await expect(accountsLink).toBeVisible();

  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(page).toHaveURL(/\/catalog/);
  await accountsLink.click();
  await expect(page).toHaveURL(/\/accounts$/);

  // A fresh portal on the embedded defaults holds the seeded demo fleet.
  await expect(page.getByText('Accounts (12)')).toBeVisible();
  await expect(page.getByText('Northwind Traders')).toBeVisible();
  await expect(page.getByText('Blue Yonder Airlines')).toBeVisible();
  await screenshot(page, 'accounts');
});

test('a service component has a Releases tab: its releases, the next version from its commits, and a release candidate made from it', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog/default/component/backend');
  const tab = entityTabs(page).getByRole('link', { name: 'Releases' });
  await expect(tab).toBeVisible();
  await tab.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/backend\/releases$/,
  );
  // The demo repository's releases lead up to production's 1.4.2; a
  // feature and two fixes followed.
  await expect(
    page.getByRole('cell', { name: 'v1.4.2', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('cell', { name: 'v1.4.0', exact: true }),
  ).toBeVisible();
  await expect(page.getByText('Commits since v1.4.2')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Features' })).toBeVisible();
  await screenshot(page, 'releases-tab');

  await page
    .getByRole('button', { name: 'Create release candidate (v1.5.0-rc.1)' })
    .click();
  const dialog = page.getByRole('dialog', {
    name: 'Create release candidate v1.5.0-rc.1',
  });
  await expect(dialog).toBeVisible();
  await screenshot(page, 'releases-tab-dialog');
  await dialog.getByRole('button', { name: 'Create v1.5.0-rc.1' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole('status', { name: 'Created release' }),
  ).toContainText('Created release candidate v1.5.0-rc.1');
  await expect(
    page.getByRole('cell', { name: 'v1.5.0-rc.1', exact: true }),
  ).toBeVisible();
  // The next candidate of 1.5.0 is numbered on.
  await expect(
    page.getByRole('button', {
      name: 'Create release candidate (v1.5.0-rc.2)',
    }),
  ).toBeVisible();
  await screenshot(page, 'releases-tab-created');
});

test('a component that is not a service has no Releases tab', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog/default/component/fleet-portal');
  const tabs = entityTabs(page);
  await expect(tabs.getByRole('link', { name: 'Overview' })).toBeVisible();
  await expect(tabs.getByRole('link', { name: 'Releases' })).toHaveCount(0);
});

test('the accounts list searches and filters in the backend, with the filters in the URL', async ({
  page,
}) => {
  await signInAsGuest(page, '/accounts');
  await expect(page.getByText('Accounts (12)')).toBeVisible();

  await page.getByLabel('Search accounts').fill('north');
  await expect(page).toHaveURL(/q=north/);
  await expect(page.getByText('Accounts (1)')).toBeVisible();
  await expect(page.getByText('Northwind Traders')).toBeVisible();
  await expect(page.getByText('Contoso Ltd')).toHaveCount(0);

  // Leaving the search through a link clears it and it stays cleared.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Accounts', exact: true })
    .click();
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByLabel('Search accounts')).toHaveValue('');
  await page.waitForTimeout(1000); // longer than the search's typing pause
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByText('Accounts (12)')).toBeVisible();

  // The URL is the state: reloading it shows the same filtered list.
  await page.goto('/accounts?environment=production&active=false');
  await expect(page.getByText('Accounts (1)')).toBeVisible();
  await expect(page.getByText('Blue Yonder Airlines')).toBeVisible();
  await screenshot(page, 'accounts-filtered');

  // The name opens the account's page: its configuration and history.
  await page.getByRole('link', { name: 'blue-yonder' }).click();
  await expect(page).toHaveURL(/\/accounts\/blue-yonder$/);
  await expect(page.getByText('Global configuration')).toBeVisible();
  await expect(page.getByText('no (deactivated)')).toBeVisible();
  await expect(page.getByText('system:demo-seed').first()).toBeVisible();
  // The demo fleet's folders were committed when it was seeded.
  await expect(
    page.getByText('k8s/flux/production/blue-yonder', { exact: true }),
  ).toBeVisible();
  await expect(page.getByText(/seed the demo fleet/)).toBeVisible();
  await expect(page.getByText('Config repository')).toBeVisible();
  await screenshot(page, 'account-page');
});

// Runs last: it adds an account, which the counts above do not expect.
test('an account is created through the form, found by search, opened and edited', async ({
  page,
}) => {
  await signInAsGuest(page, '/accounts');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/accounts\/new$/);

  // A demo account has this name already: the backend will say so.
  await page.getByLabel(/^Name/).fill('tailspin');
  await page.getByLabel(/^Display name/).fill("Margie's Travel");
  await page.getByLabel(/^Environment/).selectOption('production');
  await page.getByLabel(/^Region/).selectOption('europe-west4');
  // The only production cluster in europe-west4 is chosen for the user.
  await expect(page.getByLabel(/^Cluster/)).toHaveValue('production-eu');
  await page.getByLabel(/^GCP project/).fill('Tailspin_Project');
  await page.getByLabel(/^Owner/).fill('group:default/platform');
  await page.getByLabel('UAT: receives release candidates').check();
  await page.getByRole('button', { name: 'Add label' }).click();
  await page.getByLabel(/^Label 1 key/).fill('tier');
  await page.getByLabel(/^Label 1 value/).fill('gold');
  await page.getByRole('button', { name: 'Add service' }).click();
  await page.getByLabel(/^Service 1 name/).fill('backend');
  await page.getByLabel(/^Service 1 values/).fill('{"replicas": 2}');

  // The backend refuses the project id; its message is next to that field.
  const submit = page.getByRole('button', { name: 'Create account' });
  await submit.click();
  const project = page.getByLabel(/^GCP project/);
  await expect(project).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/^must be a GCP project id/)).toBeVisible();
  await expect(page.getByLabel(/^Display name/)).toHaveValue("Margie's Travel");
  await expect(page.getByLabel(/^Service 1 values/)).toHaveValue(
    '{"replicas": 2}',
  );
  // Back to the top, so that the full-page capture lines up the sidebar.
  await page.getByRole('heading', { name: 'Create account' }).hover();
  await page.mouse.wheel(0, -5000);
  await screenshot(page, 'create-account-error');

  await project.fill('margies-travel-prod');
  await submit.click();
  await expect(
    page.getByText('An account with that name exists'),
  ).toBeVisible();
  await expect(page.getByLabel(/^Name/)).toHaveAttribute(
    'aria-invalid',
    'true',
  );

  await page.getByLabel(/^Name/).fill('margies-travel');
  await submit.click();
  await expect(page).toHaveURL(/\/accounts\/margies-travel$/);
  await expect(
    page.getByRole('heading', { name: "Margie's Travel" }),
  ).toBeVisible();
  await expect(page.getByText('tier=gold')).toBeVisible();
  await expect(page.getByText(/values \{"replicas":2\}/)).toBeVisible();
  await screenshot(page, 'account-created');

  // Found by search on the Accounts page, and opened from there.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Accounts', exact: true })
    .click();
  await page.getByLabel('Search accounts').fill('margie');
  await expect(page.getByText('Accounts (1)')).toBeVisible();
  await page.getByRole('link', { name: 'margies-travel' }).click();
  await expect(page).toHaveURL(/\/accounts\/margies-travel$/);

  // Edited: the display name, with the version that was read.
  await page.getByRole('button', { name: 'Edit' }).click();
  const editor = page.getByRole('dialog');
  await expect(editor.getByLabel(/^Display name/)).toHaveValue(
    "Margie's Travel",
  );
  await editor.getByLabel(/^Display name/).fill("Margie's Travel Ltd");
  await expect(editor.getByRole('button', { name: 'Save' })).toBeInViewport();
  await page.waitForTimeout(500); // the dialog's fade-in
  await screenshot(page, 'account-edit', { fullPage: false });
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toHaveCount(0);
  await expect(
    page.getByRole('heading', { name: "Margie's Travel Ltd" }),
  ).toBeVisible();
  await expect(
    page.getByText("Margie's Travel → Margie's Travel Ltd"),
  ).toBeVisible();
  await screenshot(page, 'account-edited');

  // Its folder in the config repository: previewed, then committed.
  await expect(page.getByText('never committed')).toBeVisible();
  await page.getByRole('button', { name: 'Preview changes' }).click();
  await expect(page.getByTestId('config-preview-summary')).toContainText(
    '5 files would change: 5 added',
  );
  const diff = page.getByTestId('config-diff');
  await expect(
    diff.getByText(
      '+++ b/k8s/flux/production/margies-travel/helmrelease-backend.yaml',
    ),
  ).toBeVisible();
  await expect(diff.getByText('+    replicas: 2')).toBeVisible();
  await screenshot(page, 'account-config-preview');

  // The config card's button (the deployments table has a Commit column).
  await page
    .locator('button')
    .filter({ hasText: /^Commit$/ })
    .click();
  const commitDialog = page.getByRole('dialog');
  await commitDialog.getByLabel(/^Reason/).fill("onboard Margie's Travel");
  await page.waitForTimeout(500); // the dialog's fade-in
  await screenshot(page, 'account-config-commit', { fullPage: false });
  await commitDialog
    .getByRole('button', { name: 'Commit', exact: true })
    .click();
  await expect(commitDialog).toHaveCount(0);
  await expect(
    page.getByText(/^Committed [0-9a-f]{7} to main \(5 files\)/),
  ).toBeVisible();
  await expect(page.getByText('never committed')).toHaveCount(0);
  await screenshot(page, 'account-config-committed');

  // The commit is in the repository on disk, naming account, reason, actor.
  const message = execFileSync(
    'git',
    [
      '--git-dir=test-results/e2e-config-repo.git',
      'log',
      '-1',
      '--format=%B',
      'main',
    ],
    { encoding: 'utf8' },
  );
  expect(message).toContain(
    "margies-travel (production): onboard Margie's Travel",
  );
  expect(message).toContain('Requested-by: user:default/guest');

  // Nothing is left to commit.
  await page.getByRole('button', { name: 'Preview changes' }).click();
  await expect(page.getByTestId('config-preview-summary')).toContainText(
    'Nothing to commit',
  );
});
