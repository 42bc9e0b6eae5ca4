// Open Result: the final document of an action (its task, async action or session, or its own answer) as received.
import type * as vscode from 'vscode';
import { redactBytes, type RawResponse } from '../../api';
import type { ExplorerServices } from '../commands/services';
import { EXTENSION_OF, renderRawBytes } from '../raw-text';

/** The raw documents' `openStored` (a response kept in memory, shown read-only like any raw response). */
interface StoredDocuments {
  openStored(connectionId: string, raw: RawResponse, title: string): Promise<vscode.TextEditor>;
}

/** Opens a response the extension keeps (not one to GET again) in a read-only editor, secrets redacted. */
export async function openResult(services: Pick<ExplorerServices, 'documents' | 'requests' | 'sessions'>, connectionId: string, raw: RawResponse, title: string): Promise<vscode.TextEditor> {
  const documents = services.documents as typeof services.documents & Partial<StoredDocuments>;
  if (typeof documents.openStored === 'function') return documents.openStored(connectionId, raw, title);
  return openStoredHere(services, connectionId, raw, title);
}

/** Until the raw documents can show a kept response: a read-only copy of its body among the request documents. */
async function openStoredHere(services: Pick<ExplorerServices, 'requests' | 'sessions'>, connectionId: string, raw: RawResponse, title: string): Promise<vscode.TextEditor> {
  const body = redactBytes(raw.body, services.sessions.secretsOf(connectionId));
  const { bytes, language } = renderRawBytes(body === raw.body ? raw : { ...raw, body }, false);
  return services.requests.openReadOnly(title, bytes, EXTENSION_OF[language]);
}
