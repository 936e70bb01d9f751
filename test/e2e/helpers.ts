import { Page, expect } from '@playwright/test';
import { mkdirSync } from 'fs';
import { resolve } from 'path';

/** Where screenshots go (git-ignored). */
export const screenshotDir = resolve(
  __dirname,
  '../../test-results/screenshots',
);

/** Opens a page of a fresh browser context: the sign-in page, then guest. */
export async function signInAsGuest(
  page: Page,
  path = '/',
  options: { screenshot?: string } = {},
) {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  const accounts = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Accounts', exact: true });
  await expect(page.getByText('Fleet Portal').first()).toBeVisible();
  await expect(enter).toBeVisible();
  if (options.screenshot) {
    await screenshot(page, options.screenshot);
  }
  await enter.click();
  await expect(accounts).toBeVisible();
}

/**
 * Saves a screenshot under test-results/screenshots: the full page, or
 * only the viewport (`fullPage: false`, for dialogs, which a full-page
 * capture cuts off).
 */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({
    path: resolve(screenshotDir, `${name}.png`),
    fullPage: options.fullPage ?? true,
  });
}
