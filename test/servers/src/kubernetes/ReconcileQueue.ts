/**
 * A controller's work queue: one reconciliation per object at a time, a
 * request that arrives while one runs makes exactly one more run (like
 * controller-runtime's queue), and every timer is owned here so that `stop()`
 * leaves nothing behind.
 */
export class ReconcileQueue {
  private readonly keys = new Map<string, QueuedKey>();
  private readonly requeues = new Map<string, NodeJS.Timeout>();
  /** Requeues that count as pending work for `drained` (retries, not intervals). */
  private readonly pendingRequeues = new Set<string>();
  private readonly sleepers = new Map<
    NodeJS.Timeout,
    (done: boolean) => void
  >();
  private readonly repeaters = new Set<NodeJS.Timeout>();
  private readonly active = new Set<Promise<void>>();
  private waiters: Array<() => void> = [];
  private errors: unknown[] = [];
  private stopped = false;

  private get busy(): boolean {
    return this.keys.size > 0 || this.pendingRequeues.size > 0;
  }

  /** Runs `task` for `key` soon; while one runs, the next waits for it. */
  enqueue(key: string, task: () => Promise<void>): void {
    if (this.stopped) return;
    const queued = this.keys.get(key);
    if (queued) {
      queued.task = task;
      queued.again = queued.running;
      return;
    }
    const entry: QueuedKey = { task, running: false, again: false };
    this.keys.set(key, entry);
    this.track(Promise.resolve().then(() => this.run(key, entry)));
  }

  /**
   * Enqueues `task` for `key` after `ms`, replacing an earlier requeue. A
   * `pending` requeue (a retry due soon) keeps `drained` waiting; others (the
   * next interval) do not.
   */
  requeueAfter(
    key: string,
    ms: number,
    task: () => Promise<void>,
    options: { pending?: boolean } = {},
  ): void {
    if (this.stopped) return;
    this.cancelRequeue(key);
    const timer = setTimeout(() => {
      this.requeues.delete(key);
      // Enqueue before un-counting, so that `drained` never sees a gap.
      this.enqueue(key, task);
      this.pendingRequeues.delete(key);
    }, ms);
    this.requeues.set(key, timer);
    if (options.pending) this.pendingRequeues.add(key);
  }

  cancelRequeue(key: string): void {
    const timer = this.requeues.get(key);
    if (timer) clearTimeout(timer);
    this.requeues.delete(key);
    if (this.pendingRequeues.delete(key)) this.notify();
  }

  /** Runs `fn` now and then `ms` after each run ends, until `stop()`. */
  repeat(ms: number, fn: () => Promise<void>): void {
    const tick = () => {
      if (this.stopped) return;
      this.track(
        fn()
          .catch(error => {
            this.recordError(error);
          })
          .then(() => {
            if (this.stopped) return;
            const timer = setTimeout(() => {
              this.repeaters.delete(timer);
              tick();
            }, ms);
            this.repeaters.add(timer);
          }),
      );
    };
    tick();
  }

  /** Waits `ms`; resolves `false` instead when the queue stops meanwhile. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise(resolve => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve(true);
      }, ms);
      this.sleepers.set(timer, resolve);
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Resolves once no task is queued or running; rejects with the first
   * error a task threw since the last call (a bug in the simulator).
   */
  async drained(): Promise<void> {
    while (this.busy) {
      await new Promise<void>(resolve => this.waiters.push(resolve));
    }
    const [error] = this.errors;
    this.errors = [];
    if (error !== undefined) throw error;
  }

  /** Cancels every timer and waits for the tasks in progress to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.requeues.values()) clearTimeout(timer);
    this.requeues.clear();
    this.pendingRequeues.clear();
    for (const timer of this.repeaters) clearTimeout(timer);
    this.repeaters.clear();
    for (const [timer, resolve] of this.sleepers) {
      clearTimeout(timer);
      resolve(false);
    }
    this.sleepers.clear();
    while (this.active.size > 0) await Promise.all([...this.active]);
    this.keys.clear();
    this.notify();
  }

  private async run(key: string, entry: QueuedKey): Promise<void> {
    entry.running = true;
    do {
      entry.again = false;
      if (this.stopped) break;
      try {
        await entry.task();
      } catch (error) {
        this.recordError(error);
      }
    } while (entry.again);
    this.keys.delete(key);
    this.notify();
  }

  /** Keeps the first few errors for `drained`; a long-lived server never calls it. */
  private recordError(error: unknown): void {
    if (this.errors.length < 10) this.errors.push(error);
  }

  private track(promise: Promise<void>): void {
    this.active.add(promise);
    promise.finally(() => this.active.delete(promise));
  }

  private notify(): void {
    if (this.busy) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

interface QueuedKey {
  task: () => Promise<void>;
  running: boolean;
  again: boolean;
}
