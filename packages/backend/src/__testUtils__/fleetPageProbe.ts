// A devDependency of the repository's root (the e2e suite's), not declared
// here: declaring it needs a lockfile update.
import {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  chromium,
} from '@playwright/test';

export type { Browser };

/*
 * The Fleet page in Chromium, timed from inside the page: an init script
 * notes (on `performance.now()`, whose origin is the navigation's start)
 * when the first matrix cell shows a version and when the state counts show
 * the expected labels, each once the browser has painted that frame.
 */

/** Debian's Chromium, as playwright.config.ts launches it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
  });
}

export type Session = Exclude<BrowserContextOptions['storageState'], string>;

/** Signs in as guest on the sign-in page; answers the browser's state. */
export async function guestSession(
  browser: Browser,
  baseURL: string,
): Promise<Session> {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'Enter' }).click();
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Accounts', exact: true })
      .waitFor({ timeout: 60_000 });
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/** The marks of {@link watchFleetPage}, in ms since navigation start. */
interface Marks {
  firstCell?: number;
  counts?: number;
  longTasks: number[];
}

/** Runs in the page before its scripts (an init script: no closures). */
function watchFleetPage(expectedLabels: string[]) {
  const marks: Marks = { longTasks: [] };
  (window as any).__fleetPageMarks = marks;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) marks.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  const seen: Record<string, boolean> = {};
  // After the frame that shows it: the next animation frame, then a task.
  const painted = (key: 'firstCell' | 'counts') => {
    seen[key] = true;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        marks[key] = performance.now();
      };
      channel.port2.postMessage(null);
    });
  };
  const versionShown = () => {
    const cells = document.querySelectorAll(
      'table[aria-label="Fleet matrix"] td[data-state]',
    );
    // A cell without a live version shows a dash.
    return Array.from(cells).some(cell => {
      const text = cell.textContent ?? '';
      return text !== '' && !text.endsWith('—');
    });
  };
  const countsShown = () => {
    const chips = document.querySelectorAll(
      '[role="group"][aria-label="Cells per state"] [role="button"]',
    );
    // Each chip's text is its icon's title, then its label.
    return (
      chips.length === expectedLabels.length &&
      expectedLabels.every((label, i) =>
        (chips[i].textContent ?? '').endsWith(label),
      )
    );
  };
  const observer = new MutationObserver(() => {
    if (!seen.firstCell && versionShown()) painted('firstCell');
    if (!seen.counts && countsShown()) painted('counts');
    if (seen.firstCell && seen.counts) observer.disconnect();
  });
  observer.observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
  });
}

/** One load of the Fleet page. */
export interface FleetPageLoad {
  /** Navigation start → the first cell showing a version, painted. */
  firstCellMs: number;
  /** Navigation start → the state counts showing the expected labels, painted. */
  countsMs: number;
  /** When navigation started (ms since the epoch): the origin of the rest. */
  timeOrigin: number;
  /** The document's response ended; the guest sign-in's refresh ended. */
  documentMs: number;
  signInMs: number;
  /** GET /api/accounts/fleet the page made, and the last one's figures. */
  fleetRequests: number;
  fleetStatus: number;
  fleetStartMs: number;
  fleetResponseEndMs: number;
  fleetEncodedBytes: number;
  fleetTransferBytes: number;
  longTasks: { count: number; totalMs: number; longestMs: number };
  /** JS heap in use after a forced garbage collection. */
  heapBytes: number;
  domNodes: number;
  /** Main-thread time in scripts and in style and layout, for the whole load. */
  scriptMs: number;
  layoutMs: number;
  /** Rows of the matrix in the DOM, and the rows it says it has. */
  renderedRows: number;
  rowCount: number;
  accountHeader: string;
  /** Test id and state of every cell in the DOM. */
  cells: Array<{ id: string; state: string }>;
}

/**
 * Opens `path` in a new page of `context`, waits until the counts show
 * `expectedLabels` (at most `timeoutMs`) and answers what it took.
 */
export async function loadFleetPage(
  context: BrowserContext,
  path: string,
  expectedLabels: string[],
  timeoutMs: number,
): Promise<FleetPageLoad> {
  const page = await context.newPage();
  try {
    await page.addInitScript(watchFleetPage, expectedLabels);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(path);
    await page
      .waitForFunction(
        () => {
          const marks = (window as any).__fleetPageMarks as Marks | undefined;
          return marks?.firstCell !== undefined && marks?.counts !== undefined;
        },
        undefined,
        { timeout: timeoutMs },
      )
      .catch(async error => {
        // What the page shows instead: other counts, or an error panel.
        const shown = await page
          .locator('body')
          .innerText({ timeout: 1_000 })
          .catch(() => '(nothing)');
        throw new Error(
          `The Fleet page did not show ${expectedLabels.join(
            ', ',
          )} within ${timeoutMs} ms (${
            error.message.split('\n')[0]
          }); it shows:\n${shown.slice(0, 2_000)}`,
        );
      });
    const seen = await page.evaluate(() => {
      const marks = (window as any).__fleetPageMarks as Marks;
      const resources = (pathname: string) =>
        performance
          .getEntriesByType('resource')
          .filter(e => new URL(e.name).pathname === pathname)
          .map(e => e as PerformanceResourceTiming);
      const fleet = resources('/api/accounts/fleet');
      const [navigation] = performance.getEntriesByType(
        'navigation',
      ) as PerformanceNavigationTiming[];
      const last = fleet[fleet.length - 1];
      const table = document.querySelector('table[aria-label="Fleet matrix"]');
      return {
        marks,
        timeOrigin: performance.timeOrigin,
        documentMs: navigation?.responseEnd ?? 0,
        signInMs: resources('/api/auth/guest/refresh')[0]?.responseEnd ?? 0,
        fleetRequests: fleet.length,
        fleetStatus: last?.responseStatus ?? 0,
        fleetStartMs: last?.startTime ?? 0,
        fleetResponseEndMs: last?.responseEnd ?? 0,
        fleetEncodedBytes: last?.encodedBodySize ?? 0,
        fleetTransferBytes: last?.transferSize ?? 0,
        renderedRows:
          table?.querySelectorAll('tbody tr[aria-rowindex]').length ?? 0,
        rowCount: Number(table?.getAttribute('aria-rowcount') ?? 1) - 1,
        accountHeader: table?.querySelector('thead th')?.textContent ?? '',
        cells: Array.from(table?.querySelectorAll('td[data-testid]') ?? []).map(
          cell => ({
            id: cell.getAttribute('data-testid') ?? '',
            state: cell.getAttribute('data-state') ?? '',
          }),
        ),
      };
    });
    const before = await cdp.send('Performance.getMetrics');
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await cdp.send('Performance.getMetrics');
    const metric = (list: typeof after.metrics, name: string): number =>
      list.find(m => m.name === name)?.value ?? 0;
    const { marks, ...rest } = seen;
    return {
      ...rest,
      firstCellMs: marks.firstCell!,
      countsMs: marks.counts!,
      longTasks: {
        count: marks.longTasks.length,
        totalMs: marks.longTasks.reduce((a, b) => a + b, 0),
        longestMs: Math.max(0, ...marks.longTasks),
      },
      heapBytes: metric(after.metrics, 'JSHeapUsedSize'),
      domNodes: metric(after.metrics, 'Nodes'),
      scriptMs: metric(before.metrics, 'ScriptDuration') * 1000,
      layoutMs:
        (metric(before.metrics, 'LayoutDuration') +
          metric(before.metrics, 'RecalcStyleDuration')) *
        1000,
    };
  } finally {
    await page.close();
  }
}
