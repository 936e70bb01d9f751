/*
 * The scaffolder's own REST API (`/api/scaffolder/v2/tasks`), as the
 * portal's frontend calls it, signed in as the guest user.
 */

/** A task as `GET /v2/tasks/{id}` returns it (the fields tests read). */
export interface ScaffolderTask {
  id: string;
  status: 'open' | 'processing' | 'completed' | 'failed' | 'cancelled';
  createdBy?: string;
}

/** One entry of `GET /v2/tasks/{id}/events`. */
export interface TaskEvent {
  id: number;
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: {
    message?: string;
    stepId?: string;
    status?: string;
    output?: Record<string, unknown>;
    error?: { name?: string; message?: string };
  };
}

export class ScaffolderApi {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Signs in as the guest user of `app-config.yaml`. */
  static async signIn(baseUrl: string): Promise<ScaffolderApi> {
    const response = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
      method: 'POST',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (!response.ok) {
      throw new Error(
        `Guest sign-in: ${response.status} ${await response.text()}`,
      );
    }
    const { backstageIdentity } = await response.json();
    return new ScaffolderApi(baseUrl, backstageIdentity.token);
  }

  /** GET (or POST with `body`) on any plugin's API, answering its JSON. */
  async call<T = any>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${path}: ${response.status} ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Waits until the catalog has read the template (it ingests in the background). */
  async waitForTemplate(name: string, timeoutMs = 60_000): Promise<void> {
    await this.poll(timeoutMs, `template ${name} in the catalog`, () =>
      this.call(`catalog/entities/by-name/template/default/${name}`).then(
        () => true,
        () => false,
      ),
    );
  }

  /** Starts a task of the template; answers its id. */
  async run(
    template: string,
    values: Record<string, unknown>,
  ): Promise<string> {
    const { id } = await this.call('scaffolder/v2/tasks', {
      templateRef: `template:default/${template}`,
      values,
    });
    return id;
  }

  /** Runs a failed task again, keeping its checkpoints (the UI's Retry). */
  async retry(taskId: string): Promise<void> {
    await this.call(`scaffolder/v2/tasks/${taskId}/retry`, {});
  }

  async task(taskId: string): Promise<ScaffolderTask> {
    return this.call(`scaffolder/v2/tasks/${taskId}`);
  }

  async events(taskId: string): Promise<TaskEvent[]> {
    return this.call(`scaffolder/v2/tasks/${taskId}/events`);
  }

  /** The status each step last reported, by step id. */
  async stepStatuses(taskId: string): Promise<Record<string, string>> {
    const statuses: Record<string, string> = {};
    for (const { body } of await this.events(taskId)) {
      if (body.stepId && body.status) statuses[body.stepId] = body.status;
    }
    return statuses;
  }

  /** Waits until the task completed, failed or was cancelled. */
  async finished(taskId: string, timeoutMs = 90_000): Promise<ScaffolderTask> {
    let task: ScaffolderTask | undefined;
    await this.poll(timeoutMs, `task ${taskId} to finish`, async () => {
      task = await this.task(taskId);
      return ['completed', 'failed', 'cancelled'].includes(task.status);
    });
    return task!;
  }

  /** Waits until the step has reported `status` (e.g. `processing`). */
  async stepReached(
    taskId: string,
    stepId: string,
    status: string,
    timeoutMs = 60_000,
  ): Promise<void> {
    await this.poll(timeoutMs, `step ${stepId} ${status}`, async () => {
      return (await this.stepStatuses(taskId))[stepId] === status;
    });
  }

  private async poll(
    timeoutMs: number,
    what: string,
    done: () => Promise<boolean>,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) {
        throw new Error(`Gave up waiting for ${what} after ${timeoutMs} ms`);
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
}
