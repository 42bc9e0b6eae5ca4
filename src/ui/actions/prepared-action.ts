// An action as the user is about to run it: what is sent, what it is called, the object it acts on and the rows of the
// tree to read again once it ended. Built from an action row of the tree, or from a request the History runs again.
import * as vscode from 'vscode';
import type { ActionBody, ActionMethod, ActionRequest, ConnectionDefinition } from '../../api';
import { ConnectionNode } from '../tree/connection-node';
import { EmbeddedNode } from '../tree/embedded-node';
import { HrefNode } from '../tree/href-node';
import { labelText, resourceLabel } from '../tree/labels';
import { actionLabel, LeafNode } from '../tree/leaf-node';
import { LinkNode } from '../tree/link-node';
import type { ExplorerNode } from '../tree/node';
import { ResourceNode } from '../tree/resource-node';
import { actionShapeOf } from './action-shape';

/** Longest object name the confirmation and notifications show. */
const MAX_OBJECT_NAME = 100;

export interface PreparedAction {
  connectionId: string;
  method: ActionMethod;
  url: string;
  /** What it does, safe for a label (`Start`, `Start Job`, `POST /api/v1/jobs/…/start`). */
  actionName: string;
  /** What it acts on, safe for a label (`SQL Cluster Backup`), when the tree knows. */
  objectName?: string;
  /** The body a request document must satisfy before it is sent (actions that take one). */
  body?: ActionBody;
  /** The rows of the tree that show what the action changes: read again once it ended. */
  affected: readonly ExplorerNode[];
}

/** "Start 'SQL Cluster Backup'", or the action's name alone: how the confirmation, progress and Tasks name it. */
export function actionTitle(action: Pick<PreparedAction, 'actionName' | 'objectName'>): string {
  return action.objectName ? vscode.l10n.t("{0} '{1}'", action.actionName, action.objectName) : action.actionName;
}

/** The action of an action row; undefined when the row's method is one this explorer never sends. */
export function actionOfLeaf(def: ConnectionDefinition, leaf: LeafNode<Extract<LeafNode['leaf'], { kind: 'actionLink' }>>): PreparedAction | undefined {
  const { link } = leaf.leaf;
  // The connection as it is now, not as it was when the row was drawn.
  const shape = actionShapeOf(def, link);
  if (!shape.method) return undefined;
  return {
    connectionId: def.id,
    method: shape.method,
    url: link.href,
    actionName: link.name?.trim() && link.rel !== 'Create' ? labelText(link.name.trim(), MAX_OBJECT_NAME) : actionLabel(link),
    objectName: objectNameOf(leaf),
    body: shape.body,
    affected: affectedNodes(leaf),
  };
}

/** A request as the History recorded it, to run again: named by its method and URL unless a title is given. */
export function actionOfRequest(connectionId: string, request: ActionRequest, title?: string): PreparedAction {
  const name = title?.trim() ? title.trim() : `${request.method} ${request.url}`;
  return { connectionId, method: request.method, url: request.url, actionName: labelText(name, 300), affected: [] };
}

/**
 * The name of what an action acts on: the item above the row (EM's Job entity is an Alternate link of its reference:
 * its link or its reference names it), or a list's label for an action on a list. Safe for a label.
 */
export function objectNameOf(leaf: ExplorerNode): string | undefined {
  const parent = leaf.parent;
  let name: string | undefined;
  if (parent instanceof ResourceNode) name = parent.label;
  else if (parent instanceof EmbeddedNode) name = resourceLabel(parent.resource);
  else if (parent instanceof LinkNode) {
    if (parent.link.rel === 'Alternate') name = parent.link.name?.trim() || (parent.parent instanceof ResourceNode ? parent.parent.label : undefined);
    name ??= parent.label;
  } else if (parent && !(parent instanceof ConnectionNode)) {
    const label = parent.getTreeItem().label;
    name = typeof label === 'string' ? label : label?.label;
  }
  return name?.trim() ? labelText(name.trim(), MAX_OBJECT_NAME) : undefined;
}

/**
 * What to read again once an action ended: the item it belongs to, and the list that item is in (found above the
 * item's reference and Alternate links), so both show the new state.
 */
export function affectedNodes(leaf: LeafNode): ExplorerNode[] {
  const parent = leaf.parent;
  if (!parent || parent instanceof ConnectionNode) return [];
  const nodes: ExplorerNode[] = [parent];
  let up: ExplorerNode | undefined = parent;
  while (up && (up instanceof ResourceNode || up instanceof EmbeddedNode || (up instanceof LinkNode && up.link.rel === 'Alternate'))) up = up.parent;
  if (up && up !== parent && up instanceof HrefNode && !(up instanceof ConnectionNode)) nodes.push(up);
  return nodes;
}
