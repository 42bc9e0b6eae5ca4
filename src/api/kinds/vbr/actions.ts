// Backup & Replication's actions: starting, retrying or stopping a job answers with a session model (`id`, `state`,
// `progressPercent`, `result`); the session is read at /api/v1/sessions/{id} until its state is Stopped, and stopped
// by `POST /api/v1/sessions/{id}/stop`.
import type { Resource } from '../../resource';
import { percentOf } from '../../session/actions';
import { fieldAt, underApi } from '../../session/task-fields';
import type { KindActions } from '../../session/strategy';
import type { RawResponse, TaskProgress, TrackedTask } from '../../types';

const API_V1 = /\/api\/v1(?=\/|$)/i;
const ID = /^[\w.-]{1,128}$/;

export const VBR_ACTIONS: KindActions = {
  trackedTask(raw: RawResponse, resource: Resource | undefined): TrackedTask | undefined {
    const id = fieldAt(resource, 'id');
    const isSession = fieldAt(resource, 'state') !== undefined && (fieldAt(resource, 'sessionType') !== undefined || fieldAt(resource, 'progressPercent') !== undefined);
    if (!id || !ID.test(id) || !isSession) return undefined;
    const url = underApi(raw.url, API_V1, `sessions/${encodeURIComponent(id)}`);
    if (!url) return undefined;
    return { kind: 'vbr', url, cancel: { method: 'POST', url: `${url}/stop` }, operation: fieldAt(resource, 'name') ?? fieldAt(resource, 'sessionType') };
  },

  readTask(task: TrackedTask, raw: RawResponse, resource: Resource | undefined): TaskProgress {
    const status = fieldAt(resource, 'state') ?? '';
    const percent = percentOf(fieldAt(resource, 'progressPercent'));
    const message = fieldAt(resource, 'result', 'message') || undefined;
    const operation = fieldAt(resource, 'name') ?? task.operation;
    if (status.toLowerCase() !== 'stopped') return { state: 'running', status, percent, message, operation, raw };
    const result = fieldAt(resource, 'result', 'result')?.toLowerCase();
    const canceled = fieldAt(resource, 'result', 'isCanceled') === 'true';
    const state = result === 'failed' ? 'failed' : canceled ? 'canceled' : 'succeeded';
    return { state, status: fieldAt(resource, 'result', 'result') ? `${status} (${fieldAt(resource, 'result', 'result')})` : status, percent, message, operation, raw };
  },
};
