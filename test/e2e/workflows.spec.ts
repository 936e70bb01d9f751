import { Locator, Page, expect, test } from '@playwright/test';
import { screenshot, signInAsGuest } from './helpers';

/** The steps of templates/new-account/template.yaml, in order. */
const newAccountSteps = [
  'Register the account',
  "Commit the account's folder",
  'Export accounts.json',
  'Provision namespace, secrets and Flux Kustomization',
  'Wait for the HelmReleases',
];

/** One step of the task page's stepper, found by its name. */
function taskStep(page: Page, name: string): Locator {
  return page
    .getByTestId('step-label')
    .filter({ has: page.getByText(name, { exact: true }) });
}

/**
 * What a step's icon shows: a spinner while it runs, a check mark once done.
 * The scaffolder's stepper marks a finished step only by its icon's style
 * (MUI's own "completed" class on the label follows the active step, not the
 * step's status), so the icon's class is what tells.
 */
async function stepStatus(step: Locator): Promise<string> {
  return step.evaluate(label => {
    const icon = label.querySelector('.MuiStepLabel-iconContainer > div');
    if (!icon) return 'no icon';
    if (icon.querySelector('[role="progressbar"]')) return 'running';
    if (/-completed-/.test(icon.className)) return 'done';
    if (/-error-/.test(icon.className)) return 'failed';
    return 'waiting';
  });
}

/**
 * Where a readiness line's status icon and its "Flux:" text are drawn (the
 * text's own box, whatever element holds it).
 */
function iconAndTextBoxes(line: Element) {
  const box = (r: DOMRect) => ({
    top: r.top,
    bottom: r.bottom,
    left: r.left,
    right: r.right,
  });
  const icon = line.querySelector('[data-testid^="status-"]');
  const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.textContent?.includes('Flux:')) node = walker.nextNode();
  if (!icon || !node) throw new Error('no status icon or no "Flux:" text');
  const range = document.createRange();
  range.selectNodeContents(node);
  return {
    icon: box(icon.getBoundingClientRect()),
    text: box(range.getBoundingClientRect()),
  };
}

/** Back to the top, so that a full-page capture lines up the sidebar. */
async function scrollToTop(page: Page, heading: string) {
  await page.getByRole('heading', { name: heading }).first().hover();
  await page.mouse.wheel(0, -5000);
}

test('an account is created through the new-account template, step by step, and Flux has it Ready', async ({
  page,
}) => {
  await signInAsGuest(page, '/create');
  await page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Create an account', { exact: true }) })
    .getByRole('button', { name: 'Choose' })
    .click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/new-account/);

  // Page 1: the account, its owner chosen among the catalog's groups.
  await page.getByLabel(/^Name/).fill('fourth-coffee');
  await page.getByLabel(/^Display name/).fill('Fourth Coffee');
  await page.getByLabel(/^Owner/).fill('platform');
  await page.getByRole('option', { name: /platform/ }).click();
  await expect(page.getByLabel(/^Owner/)).toHaveValue(/platform/);
  await screenshot(page, 'template-new-account-form-account');
  await page.getByRole('button', { name: 'Next' }).click();

  // Page 2: the placement, through the fleet option pickers. Regions and
  // clusters wait for an environment, and list only the environment's.
  const region = page.getByLabel(/^Region/);
  const cluster = page.getByLabel(/^Cluster/);
  await expect(region).toBeDisabled();
  await page.getByLabel(/^Environment/).selectOption('staging');
  await expect(region.getByRole('option')).toHaveText([
    'Choose…',
    'europe-west4',
  ]);
  await region.selectOption('europe-west4');
  await expect(cluster.getByRole('option')).toHaveText([
    'Choose…',
    'staging-eu (simulated)',
  ]);
  await cluster.selectOption('staging-eu');
  // The help reads whole (Markdown once ate "<name>-<environment>").
  await expect(
    page.getByText(/^Optional; defaults to the name and the environment/),
  ).toContainText('as in globex-staging');
  await page.getByRole('checkbox', { name: 'backend' }).check();
  await page.getByRole('checkbox', { name: 'engine' }).check();
  await scrollToTop(page, 'Create an account');
  await screenshot(page, 'template-new-account-form');

  // The review lists what was chosen; the pickers' validation has passed.
  await page.getByRole('button', { name: 'Review' }).click();
  const create = page.getByRole('button', { name: 'Create' });
  await expect(create).toBeVisible();
  await expect(page.getByRole('cell', { name: 'staging-eu' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'fourth-coffee' })).toBeVisible();
  await scrollToTop(page, 'Create an account');
  await screenshot(page, 'template-new-account-review');
  await create.click();
  await expect(page).toHaveURL(/\/create\/tasks\/[^/]+$/);

  // The task page lists every step; each one reaches done, in order.
  for (const name of newAccountSteps) {
    await expect(taskStep(page, name)).toBeVisible();
  }
  for (const [index, name] of newAccountSteps.entries()) {
    await expect
      .poll(() => stepStatus(taskStep(page, name)), {
        message: `step '${name}' is done`,
        timeout: 90_000,
      })
      .toBe('done');
    if (index === 0) {
      await screenshot(page, 'template-new-account-running');
    }
  }
  const accountPage = page.getByRole('link', { name: 'Account page' });
  await expect(accountPage).toBeVisible();
  await expect(
    page.getByText(/\(committed\); Flux reports the account ready\./),
  ).toBeVisible();
  await screenshot(page, 'template-new-account-finished');

  // The output link opens the account page; Flux has it on staging-eu.
  await accountPage.click();
  await expect(page).toHaveURL(/\/accounts\/fourth-coffee$/);
  await expect(
    page.getByRole('heading', { name: 'Fourth Coffee' }),
  ).toBeVisible();
  const card = page
    .locator('.MuiCard-root')
    .filter({ has: page.getByText('Cluster and deployments') });
  await expect(card.getByText('Runs on staging-eu')).toBeVisible();
  await expect(card.getByText('simulated', { exact: true })).toBeVisible();
  const readiness = card.getByTestId('account-readiness');
  await expect(readiness).toContainText('Flux: ready');
  await expect(readiness).toContainText('2 HelmReleases Ready');

  // The status icon sits on the line of its text, not above it.
  const { icon, text } = await readiness.evaluate(iconAndTextBoxes);
  const iconMiddle = (icon.top + icon.bottom) / 2;
  expect(iconMiddle).toBeGreaterThan(text.top);
  expect(iconMiddle).toBeLessThan(text.bottom);
  expect(icon.right).toBeLessThanOrEqual(text.left);
  await screenshot(page, 'template-new-account-account-page');
});
