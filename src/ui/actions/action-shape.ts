// What an action link is to the user before anything is sent: its method, whether it takes a body, whether the
// connection lets it run at all. No vscode here: unit-tested in plain Node.
import { actionBodyOf, type ActionBody, type ActionMethod, type ConnectionDefinition, type Link } from '../../api';

const ACTION_METHODS: readonly ActionMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** What a tree row shows of an action and what Run Action… needs to know first. */
export interface ActionShape {
  /** The method it is sent with; undefined when the API names one this explorer never sends (then it is not run). */
  method?: ActionMethod;
  /** The body it takes, when it takes one (a request document opens first). */
  body?: ActionBody;
  /** The connection is read-only (`"actions": "off"`): no action of it runs. */
  readOnly: boolean;
}

/** True for a method an action may be sent with (GET is browsing, never an action). */
export function isActionMethod(method: unknown): method is ActionMethod {
  return typeof method === 'string' && (ACTION_METHODS as readonly string[]).includes(method);
}

/**
 * The method of an action link: the OpenAPI operation's (VSPC, VBR); EM's links name none: its `Delete` links are
 * DELETEs, `Edit` links PUTs, and everything else (`…?action=start`, `Create`) is a POST.
 */
export function actionMethodOf(link: Link): ActionMethod | undefined {
  if (link.method !== undefined) {
    const method = link.method.toUpperCase();
    return isActionMethod(method) ? method : undefined;
  }
  if (link.rel === 'Delete') return 'DELETE';
  if (link.rel === 'Edit') return 'PUT';
  return 'POST';
}

/** True when the connection runs no action (`"actions": "off"`). */
export function isReadOnly(def: Pick<ConnectionDefinition, 'actions'>): boolean {
  return def.actions === 'off';
}

export function actionShapeOf(def: Pick<ConnectionDefinition, 'kind' | 'representation' | 'actions'>, link: Link): ActionShape {
  const method = actionMethodOf(link);
  // A DELETE sends no body, whatever a document says.
  const body = method && method !== 'DELETE' ? actionBodyOf(def, link) : undefined;
  return { method, body, readOnly: isReadOnly(def) };
}

/**
 * The context value of an action row (package.json's menus match it): `action` runs, `action.body` runs after its
 * request document, `action.readOnly` (a read-only connection) and `action.unsupported` (a method never sent) do not.
 */
export function actionContextValue(shape: ActionShape): string {
  if (shape.readOnly) return 'action.readOnly';
  if (!shape.method) return 'action.unsupported';
  return shape.body ? 'action.body' : 'action';
}
