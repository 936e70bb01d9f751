import { Page, expect, test } from '@playwright/test';
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

test('a service component has a Releases tab with its repository', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog/default/component/backend');
  const tab = entityTabs(page).getByRole('link', { name: 'Releases' });
  await expect(tab).toBeVisible();
  await tab.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/backend\/releases$/,
  );
  await expect(
    page.getByRole('link', { name: /acme-saas\/backend/ }),
  ).toHaveAttribute('href', 'https://github.com/acme-saas/backend');
  await expect(page.getByText('No releases to show yet')).toBeVisible();
  await screenshot(page, 'releases-tab');
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
  await expect(page.getByText('system:demo-seed')).toBeVisible();
  await screenshot(page, 'account-page');
});
