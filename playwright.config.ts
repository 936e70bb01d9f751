import { defineConfig } from '@playwright/test';
import { resolve } from 'path';

const root = __dirname;
const config = (file: string) => `--config ${resolve(root, file)}`;

/**
 * End-to-end tests: Playwright drives Debian's Chromium (it cannot download
 * browsers here) against a portal this run starts on ports 3000 and 7007,
 * with an in-memory database so every run starts empty.
 */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: 'test-results/e2e-output',
  webServer: [
    {
      // The clusters of app-config.yaml, with simulated Flux reading this
      // run's config repository (quick timing: tests wait less).
      command: [
        'node --require @backstage/cli/config/nodeTransform.cjs',
        'test/servers/src/kubernetes/main.ts --port 7480 --timing fast',
        ...['staging-eu', 'production-eu', 'production-us'].map(
          c => `--cluster ${c}=simulated-cluster-token`,
        ),
        `--git-repository flux-system/fleet-config=${resolve(
          root,
          'test-results/e2e-config-repo.git',
        )}#main`,
      ].join(' '),
      url: 'http://localhost:7480/simulator/clusters',
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // A fresh config repository (app-config.e2e.yaml) every run. Started
      // without `backstage-cli package start`, which restarts the backend on
      // every change to a source file it loaded: in a checkout being edited
      // that wiped the in-memory database in the middle of tests.
      command: [
        `rm -rf ${resolve(root, 'test-results/e2e-config-repo.git')} ${resolve(
          root,
          'test-results/e2e-services',
        )} &&`,
        'node --enable-source-maps',
        '--require @backstage/cli/config/nodeTransform.cjs src/index.ts',
        config('app-config.yaml'),
        config('test/e2e/app-config.e2e.yaml'),
      ].join(' '),
      // The configs' relative paths are relative to the backend package.
      cwd: resolve(root, 'packages/backend'),
      // What `package start` sets: the guest sign-in is for development.
      env: { NODE_ENV: 'development' },
      url: 'http://localhost:7007/.backstage/health/v1/readiness',
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `yarn workspace app start ${config('app-config.yaml')}`,
      url: 'http://localhost:3000',
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
