// Service Provider Console's actions: an operation answers 202 with `Location: …/asyncActions/{id}`; the async action's
// `status` is running, then succeed, failed or canceled; its answer is at `…/result`; DELETE cancels it. An
// `x-request-id` (a UUID per user action) makes a request idempotent for 5 minutes: sent again, it runs once.
import { randomUUID } from 'node:crypto';
import type { Resource } from '../../resource';
import { header } from '../../transport/body';
import { fieldAt } from '../../session/task-fields';
import type { KindActions } from '../../session/strategy';
import type { RawResponse, TaskProgress, TaskState, TrackedTask } from '../../types';

const STATES: Record<string, TaskState> = { running: 'running', succeed: 'succeeded', succeeded: 'succeeded', success: 'succeeded', failed: 'failed', canceled: 'canceled', cancelled: 'canceled' };

export const VSPC_ACTIONS: KindActions = {
  idempotencyHeaders: () => ({ 'x-request-id': randomUUID() }),

  trackedTask(raw: RawResponse, resource: Resource | undefined): TrackedTask | undefined {
    const location = raw.status === 202 ? header(raw, 'location') : undefined;
    if (!location) return undefined;
    let url: URL;
    try {
      url = new URL(location, raw.url);
    } catch {
      return undefined;
    }
    if (!/\/asyncActions\/[^/]+\/?$/i.test(url.pathname)) return undefined;
    const href = url.href.replace(/\/+$/, '');
    return { kind: 'vspc', url: href, cancel: { method: 'DELETE', url: href }, operation: fieldAt(resource, 'actionName') };
  },

  readTask(task: TrackedTask, raw: RawResponse, resource: Resource | undefined): TaskProgress {
    const status = fieldAt(resource, 'status') ?? '';
    // A status this client does not know yet (a newer server's) is read as still running; following is bounded.
    const state = STATES[status.toLowerCase()] ?? 'running';
    return { state, status, operation: fieldAt(resource, 'actionName') ?? task.operation, raw };
  },

  resultUrl: (task: TrackedTask) => `${task.url}/result`,
};
