// Enterprise Manager's actions: an action link answers 202 with a Task (TaskId, State Running|Finished, Operation, then
// Result Success + Message) at /api/tasks/{id}, whose Delete link ends it.
import type { Resource } from '../../resource';
import { fieldAt } from '../../session/task-fields';
import type { KindActions } from '../../session/strategy';
import type { RawResponse, TaskProgress, TrackedTask } from '../../types';

function isTask(resource: Resource | undefined): resource is Resource {
  return resource !== undefined && (resource.type === 'Task' || resource.element === 'Task');
}

export const EM_ACTIONS: KindActions = {
  trackedTask(raw: RawResponse, resource: Resource | undefined): TrackedTask | undefined {
    if (!isTask(resource) || !resource.href) return undefined;
    const remove = resource.links.find((l) => l.rel === 'Delete');
    return { kind: 'em', url: resource.href, operation: fieldAt(resource, 'Operation'), ...(remove && { cancel: { method: 'DELETE', url: remove.href } }) };
  },

  readTask(task: TrackedTask, raw: RawResponse, resource: Resource | undefined): TaskProgress {
    const status = fieldAt(resource, 'State') ?? '';
    const operation = fieldAt(resource, 'Operation') ?? task.operation;
    const message = fieldAt(resource, 'Result', 'Message') || undefined;
    if (status.toLowerCase() !== 'finished') return { state: 'running', status, operation, message, raw };
    const success = fieldAt(resource, 'Result', 'Success')?.toLowerCase();
    return { state: success === 'false' ? 'failed' : 'succeeded', status, operation, message, raw };
  },
};
