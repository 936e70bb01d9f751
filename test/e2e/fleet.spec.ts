import { expect, test } from '@playwright/test';
import { screenshot, signInAsGuest } from './helpers';

/*
 * The Fleet page and an account's Flux health, against the demo fleet that
 * the backend seeds and provisions on the simulated clusters at start-up
 * (simulated Flux then installs its HelmReleases from the config repo).
 */

test('the Fleet page shows the demo fleet, desired against live, with the states counted', async ({
  page,
}) => {
  await signInAsGuest(page, '/');
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Fleet', exact: true })
    .click();
  await expect(page).toHaveURL(/\/fleet/);
  const matrix = page.getByRole('table', { name: 'Fleet matrix' });
  await expect(matrix.getByRole('link', { name: 'qa-team' })).toBeVisible();
  // The staging demo accounts run on the simulated cluster: healthy cells.
  const counts = page.getByRole('group', { name: 'Cells per state' });
  await expect(counts.getByText(/^healthy: [1-9]\d*$/)).toBeVisible({
    timeout: 60_000,
  });
  await screenshot(page, 'fleet');

  // A filter goes into the URL and survives a reload.
  await counts.getByText(/^healthy: /).click();
  await expect(page).toHaveURL(/state=healthy/);
  await page.reload();
  await expect(matrix.getByRole('link', { name: 'qa-team' })).toBeVisible();
  await expect(page).toHaveURL(/state=healthy/);
});

test("an account's Flux health: suspend, resume and reconcile a HelmRelease on the simulated cluster", async ({
  page,
}) => {
  await signInAsGuest(page, '/accounts/qa-team');
  const release = page.getByRole('region', { name: 'HelmRelease backend' });
  // The state chip (its icon's SVG title says the state too).
  const state = (name: string) =>
    release.locator('span', { hasText: new RegExp(`^${name}$`) });
  await expect(release).toBeVisible({ timeout: 60_000 });
  await expect(state('healthy')).toBeVisible({
    timeout: 60_000,
  });

  await release
    .getByRole('button', { name: 'Suspend HelmRelease backend' })
    .click();
  const result = release.getByRole('status', {
    name: 'Result for HelmRelease backend',
  });
  await expect(result).toContainText('Suspend handled');
  await expect(state('suspended')).toBeVisible();
  await expect(release).toContainText('user:default/guest');
  await screenshot(page, 'account-flux-health-suspended');

  await release
    .getByRole('button', { name: 'Resume HelmRelease backend' })
    .click();
  await expect(result).toContainText('Resume handled');
  await expect(state('healthy')).toBeVisible();

  await release
    .getByRole('button', { name: 'Reconcile HelmRelease backend' })
    .click();
  await expect(result).toContainText('Reconcile handled');
  await screenshot(page, 'account-flux-health');
});
