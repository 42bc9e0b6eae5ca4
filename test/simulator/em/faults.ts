import type { ServerResponse } from 'node:http';
import { EM_NAMESPACE, XML_PROLOG, escapeXmlAttribute } from './render';
import { stableGuid } from './estate';
import { writeWithBackpressure } from '../core/control';
import { CORE_FAULT_KINDS, parseFault, statusText, type CoreFaultKind, type SimulatorFault } from '../core/faults';

/** The core's fault kinds, plus `echo` (an error that repeats the request's credentials). */
export type FaultKind = CoreFaultKind | 'echo';

export interface Fault extends SimulatorFault {
  kind: FaultKind;
}

export const FAULT_KINDS: FaultKind[] = [...CORE_FAULT_KINDS, 'echo'];

/** Validates a fault that arrived as JSON over the control endpoint. */
export function parseEmFault(value: unknown): Fault {
  return parseFault<Fault>(value, FAULT_KINDS);
}

export function simulatedFailureMessage(status: number): string {
  switch (status) {
    case 503:
      return 'The Enterprise Manager service is temporarily unavailable. Try again later.';
    case 501:
      return 'The requested operation is not implemented by this server.';
    case 500:
      return 'An unexpected error occurred on the server.';
    default:
      return `The server answered ${status} ${statusText(status) ?? ''}`.trim() + '.';
  }
}

/**
 * Streams a valid `EntityReferences` document of exactly `sizeBytes` bytes (when that is larger
 * than the empty document), honouring back-pressure, so no large string is ever held at once.
 */
export async function streamHugeXml(res: ServerResponse, sizeBytes: number, apiBase: string): Promise<void> {
  const head = `${XML_PROLOG}<EntityReferences xmlns="${EM_NAMESPACE}">`;
  const tail = '</EntityReferences>';
  const total = Math.max(sizeBytes, Buffer.byteLength(head) + tail.length);
  res.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': String(total) });
  const write = (chunk: string) => writeWithBackpressure(res, chunk);
  let written = Buffer.byteLength(head);
  const room = () => total - written - tail.length;
  try {
    await write(head);
    let n = 0;
    let chunk = '';
    for (;;) {
      const id = stableGuid('bulkJob', n);
      const ref =
        `<Ref Type="JobReference" Href="${escapeXmlAttribute(`${apiBase}jobs/${id}`)}" Name="Bulk job ${n + 1}" UID="urn:veeam:Job:${id}">` +
        `<Links><Link Rel="Alternate" Type="Job" Href="${escapeXmlAttribute(`${apiBase}jobs/${id}?format=Entity`)}"/></Links></Ref>`;
      const size = Buffer.byteLength(ref);
      if (size > room()) break;
      chunk += ref;
      written += size;
      n++;
      if (chunk.length >= 65536) {
        await write(chunk);
        chunk = '';
      }
    }
    // Whitespace between elements keeps the document valid and the length exact.
    chunk += ' '.repeat(room());
    written = total - tail.length;
    await write(chunk + tail);
    res.end();
  } catch {
    res.destroy();
  }
}
