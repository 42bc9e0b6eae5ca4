// How the Tasks and History views word times, durations and sizes.
import * as vscode from 'vscode';

/** The time of day; with the date when it was not today. */
export function timeText(at: Date, now = new Date()): string {
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? at.toLocaleTimeString() : at.toLocaleString();
}

/** `85 ms`, `1.2 s`, `3 min 4 s`. */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return vscode.l10n.t('{0} ms', Math.round(ms));
  if (ms < 60_000) return vscode.l10n.t('{0} s', (ms / 1000).toFixed(1));
  return vscode.l10n.t('{0} min {1} s', Math.floor(ms / 60_000), Math.round((ms % 60_000) / 1000));
}

/** `512 B`, `4.1 KB`, `2.3 MB`. */
export function sizeText(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return vscode.l10n.t('{0} B', bytes);
  if (bytes < 1024 * 1024) return vscode.l10n.t('{0} KB', (bytes / 1024).toFixed(1));
  return vscode.l10n.t('{0} MB', (bytes / (1024 * 1024)).toFixed(1));
}
