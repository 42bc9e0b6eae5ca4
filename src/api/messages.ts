// What api/'s errors say, as data: a code of the table below and its parameters. The table holds each sentence once,
// in English, with named placeholders in braces. The UI words a code through `vscode.l10n.t(MESSAGES[code], params)`
// (src/ui/wording.ts), so every sentence can be translated; the command line and the log use `english()`.
//
// Parameters are data, never English words: a host, a URL, a number, text a server or Node sent. A part of a
// sentence that varies is a code of its own, or a parameter that is itself a Wording (worded before it is put in).

/** Every sentence api/ can say, by code; a hint's code starts with `hint.`. */
export const MESSAGES = {
  /** Text not worded here: a caller's own (already worded) message, or an error from outside api/. */
  text: '{text}',
  cancelled: 'The request was cancelled.',

  // The connection (transport/http.ts).
  'connect.timeout': 'Could not connect to {host} within {seconds} s.',
  'connect.no-answer': '{host} accepted the connection but did not answer within {seconds} s.',
  'connect.body-stalled': '{host} stopped sending the response for {seconds} s.',
  'connect.refused': '{host} refused the connection.',
  'connect.unresolved': 'The host name {hostname} could not be resolved.',
  'connect.unreachable': '{host} is unreachable.',
  'connect.closed': '{host} closed the connection.',
  'connect.closed-mid-body': '{host} closed the connection in the middle of the response.',
  'connect.failed': 'Request to {host} failed: {reason}',
  'response.truncated': 'The response from {host} was shorter than announced (truncated).',
  'response.deadline-seconds': 'The whole response from {host} took longer than {seconds} s; the request was stopped.',
  'response.deadline-minutes': 'The whole response from {host} took longer than {minutes} min; the request was stopped.',
  'response.too-large': 'The response ({size}) is larger than the {limit} limit; it was not read.',
  'response.too-large-unannounced': 'The response is larger than the {limit} limit; it was not read.',
  'hint.check-host': 'Check the host name, port, VPN and firewall.',
  'hint.server-busy': 'The server may be overloaded; try again or raise the request timeout in the settings.',
  'hint.raise-timeout': 'Try again or raise the request timeout in the settings.',
  'hint.service-port': 'Check that the service is running and the port is right (Enterprise Manager 9398, Service Provider Console 1280, Backup & Replication 9419).',
  'hint.dns': 'Check the spelling, DNS or VPN.',
  'hint.network': 'Check the network, VPN and firewall.',
  'hint.connection-cut': 'Try again; a proxy or firewall may be cutting the connection.',
  'hint.try-again': 'Try again.',
  'hint.deadline':
    'The server or a proxy may be sending very slowly; try again, or raise the request timeout (each request may take ten times it, at least 5 minutes).',
  'hint.raise-size': 'Raise the maximum response size in the settings if you need it.',

  // The server's certificate (transport/http.ts).
  'tls.self-signed': 'The server\u2019s certificate is self-signed.',
  'tls.self-signed-chain': 'The server\u2019s certificate chain ends in a self-signed CA that is not trusted.',
  'tls.unknown-ca': 'The server\u2019s certificate was issued by a CA that is not trusted.',
  'tls.expired': 'The server\u2019s certificate has expired.',
  'tls.not-yet-valid': 'The server\u2019s certificate is not valid yet.',
  'tls.other-host': 'The server\u2019s certificate was issued for another host name.',
  'tls.bad-signature': 'The server\u2019s certificate signature is invalid.',
  'tls.revoked': 'The server\u2019s certificate has been revoked.',
  'tls.unverified': 'The server\u2019s certificate could not be verified ({code}).',
  'tls.pin-mismatch':
    'The server\u2019s certificate has changed: it no longer matches the one trusted for this connection (trusted {trusted}, now {presented}).',
  'tls.pin-mismatch-unread':
    'The server\u2019s certificate has changed: it no longer matches the one trusted for this connection (trusted {trusted}, now none).',
  'tls.handshake': 'The TLS handshake with {host} failed ({code}).',
  'tls.not-https': 'The TLS handshake with {host} failed: the port does not speak HTTPS.',
  'hint.trust-certificate':
    'Trust this certificate for this connection (its SHA-256 fingerprint is pinned), or give the connection the CA file that issued it.',
  'hint.pin-changed':
    'If the server\u2019s certificate was renewed, check the new fingerprint with its administrator and trust it again; otherwise someone may be intercepting the connection.',
  'hint.https-port': 'Check that the URL points to the HTTPS port of the service.',
  'hint.https-scheme': 'Check the port and that the URL starts with https://.',

  // The proxy (transport/http.ts); {source} is the setting it came from (http.proxy, --proxy, HTTPS_PROXY).
  'proxy.not-url': 'The proxy setting \u201c{proxy}\u201d ({source}) is not a usable proxy URL.',
  'proxy.scheme': 'The proxy setting \u201c{proxy}\u201d ({source}) is not a usable proxy URL: {scheme} proxies are not supported.',
  'proxy.auth': 'The proxy {proxy} asks for authentication (407 Proxy Authentication Required) and refused the credentials given, if any.',
  'proxy.refused-target': 'The proxy {proxy} refused to connect to {host} (it answered {status}).',
  'proxy.unreachable': 'The proxy {proxy} ({source}) cannot be reached: {code}.',
  'hint.proxy-url': 'Give it as http://host:port, or set this connection to go direct.',
  'hint.proxy-credentials':
    'Put the proxy user and password in the proxy URL ({source}: http://user:password@host:port) or set http.proxyAuthorization; or set this connection to go direct.',
  'hint.proxy-no-proxy': 'The proxy may not allow this host or port; add the host to http.noProxy / NO_PROXY, or set this connection to go direct.',
  'hint.proxy-setting': 'Check the proxy setting, or set this connection to go direct.',

  // A body (transport/body.ts, parse/, the kinds' parsers).
  'body.not-text': '{url} answered {status} with a body that is not valid {charset} text.',
  'body.empty': 'The server sent an empty body for {url}.',
  'hint.raw-bytes': 'Open the raw response to see the bytes as received; a proxy or a misconfigured server may have altered them.',
  'parse.failed': 'The response could not be parsed: {reason}.',
  'parse.thread-stopped': 'The response could not be parsed: the parser thread stopped (exit code {code}).',
  'parse.no-answer': 'The parser thread answered nothing.',
  'json.too-long': 'The JSON from {url} is over a limit of what this extension reads (line {line}: a string of {length}, more than {limit}); it was not read.',
  'json.malformed': 'The JSON from {url} is malformed or truncated: {reason}.',
  'json.not-object': 'The JSON from {url} is not an object.',
  'json.not-envelope': 'The JSON from {url} is not a {product} response.',
  'hint.short-values': '{product} sends short values (names, IDs, descriptions). Open the raw response to see the body as received.',
  'hint.em-limits':
    'Enterprise Manager sends short values and a handful of attributes per element; the limits ({value} per value, {attributes} attributes per element) are far above that. Open the raw response to see the body as received.',
  'xml.html': 'The server answered {url} with an HTML page, not Enterprise Manager XML.',
  'xml.doctype': 'The XML from {url} has a DOCTYPE, which Enterprise Manager never sends; it was not read.',
  'xml.too-deep': 'The XML from {url} nests elements more than {max} levels deep.',
  'xml.too-large': 'The XML from {url} is over a limit of what this extension reads (line {line}: {reason}); it was not read.',
  'xml.malformed': 'The XML from {url} is malformed or truncated (line {line}: {reason}).',
  'xml.unreadable': 'The XML from {url} could not be read: {reason}.',
  'xml.no-root': 'The XML from {url} has no root element.',
  'hint.other-service': 'A proxy, load balancer or another web service may be answering on this address.',

  // Why an XML text is not well-formed or is over a limit (kinds/em/well-formed.ts): the {reason} of xml.malformed.
  'xml.why.text-outside-root': 'text outside the root element',
  'xml.why.text-after-root': 'text after the root element',
  'xml.why.not-closed': 'a comment, CDATA section or processing instruction is not closed',
  'xml.why.closing-tag': 'a closing tag is cut or malformed',
  'xml.why.closes-other': '</{closing}> closes <{open}>',
  'xml.why.closes-nothing': '</{closing}> closes nothing',
  'xml.why.second-root': 'a second root element',
  'xml.why.no-root': 'no root element',
  'xml.why.truncated': 'the document ends inside <{element}> (truncated)',
  'xml.why.too-deep': 'elements nest more than {max} levels deep',
  'xml.why.declaration': 'a declaration EM never sends',
  'xml.why.tag-malformed': 'a tag is cut or malformed, or a < is not escaped',
  'xml.why.long-comment': 'a comment of {size}',
  'xml.why.long-instruction': 'a processing instruction of {size}',
  'xml.why.long-text': 'the text of <{element}> is more than {limit}',
  'xml.why.long-tag': 'the tag <{element}> is more than {limit} long without its values',
  'xml.why.many-attributes': '<{element}> has more than {limit} attributes',
  'xml.why.long-attribute': 'the attribute {attribute} of <{element}> is {size} long',
  // A count of characters in those reasons (parse/long-values.ts).
  'size.characters': '{count} characters',
  'size.megabytes': '{count} MB',

  // What the request flow checks of every response (session/responses.ts, session/request-flow.ts).
  'link.control': 'The link \u201c{href}\u201d holds control characters; it was not followed.',
  'link.relative': 'The link \u201c{href}\u201d is not an absolute URL; it was not followed.',
  'link.scheme': 'The link \u201c{href}\u201d uses {scheme} and was not followed.',
  'response.html-page': '{url} answered {status} with an HTML page, not {expected}.',
  'response.content-type': '{url} answered {status} with Content-Type \u201c{type}\u201d, not {expected}.',
  'response.empty': '{url} answered {status} with an empty body.',
  'response.with-status': '{message} (HTTP {status})',
  'hint.proxy-answering': 'A proxy or another web service may be answering on this address.',
  'hint.proxy-answering-raw': 'A proxy or another web service may be answering on this address; the raw response shows what it sent.',
  'redirect.nowhere': '{url} redirected ({status}) without saying where to; it was not followed.',
  'redirect.invalid': '{url} redirected ({status}) to \u201c{location}\u201d, which is not a valid URL; it was not followed.',
  'redirect.same-origin': '{url} redirected ({status}) to {target}; redirects are not followed, so the credentials are never sent again on the server\u2019s say-so.',
  'redirect.other-origin': '{url} redirected ({status}) to another origin, {target}; it was not followed, and no credentials were sent there.',
  'hint.redirect-moved': 'If the server has really moved, change the connection\u2019s URL; otherwise a proxy or portal may be redirecting.',
  'hint.redirect-use': 'Use the address the server redirects to in the connection.',
  'status.html-page': '{what} answered {status} {statusText} with an HTML page, not {expected}.',
  'status.server-says': '{what}: {status} {statusText} \u2014 {server}',
  'status.plain': '{what} answered {status} {statusText}.',
  'status.plain-no-text': '{what} answered {status}.',
  'forbidden': 'Forbidden: {reason}',
  'session.not-kept': 'Could not keep a session with {origin}.',
  'session.expired-no-password': 'The session expired and no password was given to log on again.',
  'session.no-refresh-token': 'The server issued no refresh token.',
  'logon.no-password': 'No password was given for {user}.',
  'logon.not-json': 'The logon answer from {url} is not JSON.',
  'logon.no-access-token': 'The logon answer from {url} holds no access token.',
  'hint.log-on-again': 'Log on again.',
  'hint.enter-password': 'Log on again and enter the password.',
  'hint.role-to-allow': 'Ask for a role that allows it.',
  'hint.refused-retry': 'Log on again to retry; if it keeps happening, check the account\u2019s role and any proxy in the way.',
  'hint.throttled': 'The server is throttling requests; try again in a minute.',
  'hint.revision-missing': 'The resource does not exist, or this server\u2019s API revision does not have it.',
  // The steps a logon names when it fails.
  'step.logon': 'Logon',
  'step.em-root': 'The Enterprise Manager API root',
  'step.vspc-user': 'Reading the logged-on user',

  // Enterprise Manager (kinds/em/).
  'em.product': 'Enterprise Manager',
  'em.bodies': 'Enterprise Manager XML or JSON',
  'em.logon-refused': 'Enterprise Manager refused the logon of {user}.',
  'em.no-api-role': '{user} may not use the Enterprise Manager REST API.',
  'em.no-session-header': 'The logon answered {status} without an {header} header.',
  'em.forbidden': 'your Enterprise Manager role does not allow this.',
  'em.refused': 'Enterprise Manager refused the session right after a new logon, so it is not logging on again by itself.',
  'hint.em-role':
    'Check the user name and password. If they are right, the account may have no Enterprise Manager role: give it Portal Administrator, Portal User or Restore Operator in Enterprise Manager (Configuration \u2192 Roles).',
  'hint.headers-stripped': 'A proxy may be stripping headers.',
  'hint.em-forbidden': 'Ask for a role that allows it (Portal Administrator sees everything).',
  'hint.em-refused': 'Log on again to retry. If it happens again, a proxy may be in the way, or the account may have lost its Enterprise Manager role.',
  'hint.em-404': 'The resource does not exist (any more), or this Enterprise Manager version does not have it.',
  'hint.method-not-allowed': 'The resource does not allow this method.',
  'hint.em-unavailable': 'The Enterprise Manager service is unavailable; try again later.',
  'hint.server-failed': 'The server failed; its log may say more.',

  // Service Provider Console (kinds/vspc/).
  'vspc.product': 'Service Provider Console',
  'vspc.bodies': 'Service Provider Console JSON',
  'vspc.logon-refused': 'Service Provider Console refused the logon of {user}.',
  'vspc.logon-refused-says': 'Service Provider Console refused the logon of {user}: {server}',
  'vspc.mfa': '{user} has multi-factor authentication enabled, which this extension does not support yet.',
  'vspc.forbidden': 'your role does not allow this.',
  'vspc.refused': 'Service Provider Console refused the session right after renewing it, so it is not logging on again by itself.',
  'hint.vspc-credentials': 'Check the user name (DOMAIN\\user for Windows accounts) and the password, and that the account may use the REST API.',
  'hint.vspc-mfa': 'Use an account without MFA for the REST API (a dedicated API user is good practice).',
  'hint.vspc-520': 'The server failed (VSPC reports every server error as 520); its log may say more.',

  // Veeam Backup & Replication (kinds/vbr/).
  'vbr.product': 'Veeam Backup & Replication',
  'vbr.bodies': 'Veeam Backup & Replication JSON',
  'vbr.logon-refused': 'Veeam Backup & Replication refused the logon of {user}.',
  'vbr.logon-refused-says': 'Veeam Backup & Replication refused the logon of {user}: {server}',
  'vbr.no-api-role': '{user} may not use the Veeam Backup & Replication REST API.',
  'vbr.no-api-role-says': '{user} may not use the Veeam Backup & Replication REST API: {server}',
  'vbr.forbidden': 'your Veeam Backup & Replication role does not allow this.',
  'vbr.refused': 'Veeam Backup & Replication refused the session right after renewing it, so it is not logging on again by itself.',
  'hint.vbr-role':
    'Check the user name (DOMAIN\\user for domain accounts) and the password. If they are right, the account may have no Veeam Backup & Replication role: the REST API needs Veeam Backup Administrator, or Veeam Backup Viewer to read.',
  'hint.vbr-forbidden': 'Ask for a role that allows it: Veeam Backup Administrator sees everything, Veeam Backup Viewer reads.',
  'hint.vbr-400': 'The server refused the request; its message says why (an API revision it does not have, or a parameter).',
  'hint.vbr-server-failed': 'The server failed; the log of its REST API service (Veeam.Backup.RestAPIService) may say more.',
  'step.vbr-server-info': 'Reading the server information',

  // A request document checked before it is sent (openapi/request-body.ts, kinds/em/specs.ts).
  'request-body.too-large': 'The document has {chars} characters, more than the {limit} a request body may have here.',
  'request-body.empty': 'The request needs a body ({schema}); the document is empty.',
  'request-body.json-malformed-at': 'The document is not well-formed JSON (line {line}, column {column}): {reason}',
  'request-body.json-malformed': 'The document is not well-formed JSON: {reason}',
  'request-body.xml-malformed': 'The document is not well-formed XML (line {line}: {reason}).',
  'request-body.wrong-root': 'The document\u2019s root element is <{found}>; the request takes <{expected}>.',
  'request-body.missing': 'The document has no {path}, which the request requires.',

  // Actions and the work they start (session/actions.ts).
  'action.foreign-origin': 'The action’s URL {url} is not on {origin}; an action is sent only to its connection’s server.',
  'action.not-a-method': '“{method}” is not a method an action is sent with (POST, PUT, PATCH or DELETE).',
  'action.not-sent-again':
    'The request may have reached the server, so it was not sent again: look at the server’s tasks or sessions before you run it again.',
  'action.no-following': 'This connection’s API has no way to follow the work an action starts.',
  'action.task-foreign': 'The server said its task is at {url}, which is not on {origin}; it is not followed.',
  'action.follow-too-long': 'Stopped waiting for {url} after {hours} h; the work may still run on the server.',
  'action.task-unreadable': 'Reading the task at {url} failed {count} times in a row; the work may still run on the server.',

  // Copy as cURL (redact.ts).
  'curl.not-a-method': '\u201c{method}\u201d is not an HTTP method; no curl command was made.',
  'curl.unprintable-header':
    'The header \u201c{header}\u201d has a name or value with control, invisible or other unprintable characters, which a command pasted into a terminal must not hold; no curl command was made.',
} as const;

export type MessageCode = keyof typeof MESSAGES;

/** A parameter: data put into a sentence as it is, or a Wording worded first (a reason inside a message). */
export type Param = string | number | Wording;

/** A sentence as data: its code and the values of its placeholders. Plain data: it crosses to the worker thread. */
export interface Wording {
  code: MessageCode;
  params?: Record<string, Param>;
}

/** The `{name}`s of a template, as a union of names (never when it has none). */
export type PlaceholdersOf<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | PlaceholdersOf<Rest> : never;

/** The arguments a template takes after its code: nothing, or an object with exactly its placeholders. */
export type ParamsFor<T extends string> = [PlaceholdersOf<T>] extends [never] ? [] : [params: { [K in PlaceholdersOf<T>]: Param }];

/** A Wording of `code`; the compiler checks that `params` names exactly the template's placeholders. */
export function say<C extends MessageCode>(code: C, ...params: ParamsFor<(typeof MESSAGES)[C]>): Wording {
  return params.length ? { code, params: params[0] } : { code };
}

/** The Wording in English: the command line, the log, and `Error.message`. */
export function english(wording: Wording): string {
  return fill(MESSAGES[wording.code] ?? wording.code, wording.params, english);
}

/**
 * A template with its `{name}`s replaced by the parameters, in one pass (a value holding braces is not read again);
 * a placeholder without a parameter is left as it is. A Wording parameter is worded by `word` first.
 */
export function fill(template: string, params: Readonly<Record<string, Param>> | undefined, word: (wording: Wording) => string = english): string {
  if (!params) return template;
  return template.replace(/\{([^{}]+)\}/g, (placeholder, name: string) => {
    if (!Object.hasOwn(params, name)) return placeholder;
    const value = params[name];
    return typeof value === 'object' ? word(value) : String(value);
  });
}
