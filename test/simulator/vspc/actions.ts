// Async actions: what a VSPC action POST starts. The POST answers 202 with `Location: /api/v3/asyncActions/{id}`;
// the action is `running` for a while and then `succeed` or `failed` (an `action-fails` fault), or `canceled` by
// `DELETE /asyncActions/{id}`. `x-request-id` names the action (documented: it assigns the UID) and makes the
// request idempotent for 5 minutes: the same id again answers as the first did and runs nothing.
import { randomUUID } from 'node:crypto';
import { ERROR_CODES, VspcError } from './errors';
import type { Item, Json } from './estate';

/** How long a request id is remembered. */
export const REQUEST_ID_WINDOW_MS = 5 * 60_000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AsyncStatus = 'running' | 'succeed' | 'failed' | 'canceled';

interface AsyncAction {
  id: string;
  initiatorUid: string;
  actionName: string;
  startedAt: number;
  durationMs: number;
  status: AsyncStatus;
  /** Set by an `action-fails` fault. */
  failure?: string;
  /** The item the action changes (a job's status follows the action). */
  target: Item;
  /** What `…/result` answers once it succeeded. */
  onSucceed: (now: number) => Json;
  onEnd: (status: AsyncStatus, now: number, failure?: string) => void;
}

export interface ActionStart {
  actionName: string;
  initiatorUid: string;
  target: Item;
  onStart: (now: number) => void;
  onSucceed: (now: number) => Json;
  onEnd: (status: AsyncStatus, now: number, failure?: string) => void;
}

export interface ActionReply {
  status: number;
  headers: Record<string, string>;
  body: Json;
}

/** The async actions of one VSPC simulator. */
export class AsyncActions {
  private readonly actions = new Map<string, AsyncAction>();
  private readonly byRequestId = new Map<string, { at: number; reply: ActionReply }>();

  constructor(private readonly durationMs: number) {}

  /** Brings every running action up to `now`. */
  advance(now: number): void {
    for (const action of this.actions.values()) {
      if (action.status !== 'running' || now - action.startedAt < action.durationMs) continue;
      action.status = action.failure === undefined ? 'succeed' : 'failed';
      action.onEnd(action.status, now, action.failure);
    }
    for (const [id, seen] of this.byRequestId) if (now - seen.at >= REQUEST_ID_WINDOW_MS) this.byRequestId.delete(id);
  }

  /**
   * Starts an action, or — for an `x-request-id` seen within 5 minutes — answers as the first request did and
   * starts nothing. Not a UID: 400 (the simulator's choice; the docs call it a UID).
   */
  start(requestId: string | undefined, failure: string | undefined, now: number, start: ActionStart): ActionReply {
    if (requestId !== undefined && !GUID.test(requestId)) {
      throw new VspcError(400, `The x-request-id header must be a UID, not '${requestId}'.`, 'logical', ERROR_CODES.badParameter);
    }
    const key = requestId?.toLowerCase();
    const seen = key === undefined ? undefined : this.byRequestId.get(key);
    if (seen) return seen.reply;
    const id = key ?? randomUUID();
    const action: AsyncAction = { id, initiatorUid: start.initiatorUid, actionName: start.actionName, startedAt: now, durationMs: this.durationMs, status: 'running', failure, target: start.target, onSucceed: start.onSucceed, onEnd: start.onEnd };
    this.actions.set(id, action);
    start.onStart(now);
    const reply: ActionReply = { status: 202, headers: { Location: `/api/v3/asyncActions/${id}` }, body: { data: view(action) } };
    if (key !== undefined) this.byRequestId.set(key, { at: now, reply });
    return reply;
  }

  list(): Item[] {
    return [...this.actions.values()].map((a) => view(a) as Item);
  }

  /** `GET /asyncActions/{id}`. */
  get(id: string): Json {
    return { data: view(this.find(id)) };
  }

  /**
   * `GET /asyncActions/{id}/result`: the operation's answer once it succeeded; for a failed or canceled action
   * `data` null and the failure in `errors` (the envelope's members, the simulator's choice); while running 400.
   */
  result(id: string, now: number): Json {
    const action = this.find(id);
    switch (action.status) {
      case 'running':
        throw new VspcError(400, `The async action '${action.id}' is still running.`, 'logical', ERROR_CODES.badParameter);
      case 'succeed':
        return { data: action.onSucceed(now) };
      case 'failed':
        return { data: null, errors: [{ message: action.failure ?? 'The action failed.', type: 'logical', code: ERROR_CODES.server }] };
      case 'canceled':
        return { data: null, errors: [{ message: 'The async action was canceled.', type: 'logical', code: ERROR_CODES.badParameter }] };
    }
  }

  /** `DELETE /asyncActions/{id}`: a running action becomes `canceled`; an ended one cannot be (400). */
  cancel(id: string, now: number): Json {
    const action = this.find(id);
    if (action.status !== 'running') {
      throw new VspcError(400, `The async action '${action.id}' has already ended (${action.status}).`, 'logical', ERROR_CODES.badParameter);
    }
    action.status = 'canceled';
    action.onEnd('canceled', now);
    return { data: true };
  }

  private find(id: string): AsyncAction {
    const action = this.actions.get(id.toLowerCase());
    if (!action) throw new VspcError(404, `Async action '${id}' was not found.`, 'logical', ERROR_CODES.notFound);
    return action;
  }
}

function view(a: AsyncAction): Json {
  return { id: a.id, initiatorUid: a.initiatorUid, actionName: a.actionName, status: a.status };
}
