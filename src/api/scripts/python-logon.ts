// The kinds' logon and logoff in the generated Python script: each as the kind's strategy does it
// (src/api/kinds/*/kind.ts).
import type { ScriptPlan } from './plan';

const py = String.raw;

/** The logon, its session object and the logoff of the plan's kind. */
export function logonBlock(plan: ScriptPlan): string {
  if (plan.kind === 'em') {
    const xml = plan.representation === 'xml';
    return py`

def em_links(response: requests.Response, where: str = "") -> list[dict[str, str]]:
    """The Link elements of the document's own Links (or of its child element 'where', e.g. PagingInfo)."""
    links: list[dict[str, str]] = []
${xml
  ? py`    holder: ET.Element | None = xml_body(response)
    if where and holder is not None:
        holder = next((c for c in holder if local(c.tag) == where), None)
    for group in holder if holder is not None else []:
        if local(group.tag) == "Links":
            links += [dict(link.attrib) for link in group if local(link.tag) == "Link"]
    return links`
  : py`    body = json_body(response)
    holder = body.get(where) if where and isinstance(body, dict) else body
    for link in (holder.get("Links") if isinstance(holder, dict) else None) or []:
        if isinstance(link, dict):
            links.append({k: v for k, v in link.items() if isinstance(v, str)})
    return links`}


def em_own_href(response: requests.Response) -> str | None:
${xml ? py`    return xml_body(response).get("Href")` : py`    body = json_body(response)
    return body.get("Href") if isinstance(body, dict) and isinstance(body.get("Href"), str) else None`}


class Logon:
    """Enterprise Manager's logon session: its X-RestSvcSessionId, and the URL that deletes it."""

    def __init__(self, token: str, delete_url: str | None) -> None:
        self.headers = {"X-RestSvcSessionId": token}
        self.delete_url = delete_url


def log_on(http: requests.Session, username: str, password: str) -> Logon:
    # The documented flow: the API root lists the Create link of a logon session.
    root = send(http, "GET", BASE_URL)
    expect(root, (200,), "reading the API root")
    create = next((link.get("Href") for link in em_links(root) if link.get("Rel") == "Create" and (link.get("Type") == "LogonSession" or "sessionmngr" in (link.get("Href") or "").lower())), None)
    if not create or not same_origin(create):
        create = ORIGIN + "/api/sessionMngr/?v=latest"
    basic = base64.b64encode(f"{username}:{password}".encode("utf-8")).decode("ascii")
    answer = send(http, "POST", create, {"Authorization": "Basic " + basic, "Content-Length": "0"})
    if answer.status_code in (401, 403):
        raise ScriptError(f"Enterprise Manager refused the logon of {username!r} ({answer.status_code}): a wrong password, or an account without an Enterprise Manager role")
    expect(answer, (200, 201), "logging on")
    token = answer.headers.get("X-RestSvcSessionId")
    if not token:
        raise ScriptError("the logon answer has no X-RestSvcSessionId header (a proxy may strip it)")
    # Where this logon session is deleted: its Delete link, else its own Href, else the Location of the answer.
    delete_url: str | None = None
    try:
        delete_url = next((link.get("Href") for link in em_links(answer) if link.get("Rel") == "Delete"), None) or em_own_href(answer)
    except ScriptError:
        delete_url = None
    if not delete_url:
        location = answer.headers.get("Location") or ""
        delete_url = location if "/logonSessions/" in location else None
    return Logon(token, delete_url if delete_url and same_origin(delete_url) else None)


def log_off(http: requests.Session, logon: Logon) -> None:
    if not logon.delete_url:
        print("warning: the logon session could not be named; the server ends it after 15 minutes without use", file=sys.stderr)
        return
    answer = send(http, "DELETE", logon.delete_url, logon.headers)
    if answer.status_code >= 300 and answer.status_code not in (401, 404):
        print(f"warning: deleting the logon session answered {answer.status_code}; it ends after 15 minutes without use", file=sys.stderr)
`;
  }
  if (plan.kind === 'vspc') {
    return py`

class Logon:
    """Service Provider Console's bearer token."""

    def __init__(self, access_token: str, username: str) -> None:
        self.headers = {"Authorization": "Bearer " + access_token}
        self.username = username


def log_on(http: requests.Session, username: str, password: str) -> Logon:
    form = {"grant_type": "password", "username": username, "password": password}
    answer = send(http, "POST", BASE_URL + "token", data=form)
    if answer.status_code in (404, 405):
        # A server without /token: the older logon, multipart username and password.
        fields = {"username": (None, username), "password": (None, password)}
        answer = send(http, "POST", BASE_URL + "authentication/usernamepassword", files=fields)
    if answer.status_code in (400, 401, 403):
        raise ScriptError(f"Service Provider Console refused the logon of {username!r} ({answer.status_code}){server_message(answer)}")
    expect(answer, (200, 201), "logging on")
    body = json_body(answer)
    data = body.get("data") if isinstance(body, dict) else None
    tokens = (data[0] if isinstance(data, list) and data else data) if data else body
    access = (tokens.get("access_token") or tokens.get("accessToken")) if isinstance(tokens, dict) else None
    if not isinstance(access, str) or not access:
        if isinstance(tokens, dict) and (tokens.get("mfa_token") or tokens.get("mfaToken")):
            raise ScriptError(f"{username!r} logs on with multi-factor authentication, which this script does not do")
        raise ScriptError("the logon answer has no access token")
    return Logon(access, username)


def log_off(http: requests.Session, logon: Logon) -> None:
    """Revokes the tokens of the identity this script logged on with (DELETE /users/{uid}/tokens?userLoginId=...).

    Without userLoginId that DELETE would revoke every token of the user, in every application: when the identity
    cannot be known, nothing is revoked and the token expires by itself (within the hour).
    """
    def leave(why: str) -> None:
        print(f"warning: not logged off ({why}); the token expires by itself", file=sys.stderr)

    me = send(http, "GET", BASE_URL + "users/me", logon.headers)
    uid = dig(json_body(me), "data", "instanceUid") if me.status_code == 200 else None
    if not isinstance(uid, str) or not uid:
        return leave(f"reading the logged-on user answered {me.status_code}")
    user_path = BASE_URL + "users/" + requests.utils.quote(uid, safe="")
    logins = send(http, "GET", user_path + "/logins", logon.headers)
    if logins.status_code != 200:
        return leave(f"the user's identities could not be read ({logins.status_code})")
    body = json_body(logins)
    items = body.get("data") if isinstance(body, dict) else None
    total = dig(body, "meta", "pagingInfo", "total")
    if not isinstance(items, list) or (isinstance(total, int) and total > len(items)):
        return leave("the user's identities are not one list")
    name = logon.username.lower()
    matches = [
        login for login in items
        if isinstance(login, dict)
        and str(login.get("identifierInProvider") or "").lower() == name
        and (login.get("status") is None or str(login.get("status")).lower() == "enabled")
        and (not isinstance(login.get("scopes"), list) or any(str(s).lower() == "rest" for s in login["scopes"]))
    ]
    login_id = matches[0].get("id") if len(matches) == 1 else None
    if not isinstance(login_id, int) or isinstance(login_id, bool) or login_id < 0:
        return leave(f"{len(matches)} identities of the user match the user name")
    answer = send(http, "DELETE", f"{user_path}/tokens?userLoginId={login_id}", logon.headers)
    if answer.status_code >= 300:
        leave(f"revoking the tokens answered {answer.status_code}")
`;
  }
  return py`

class Logon:
    """Backup & Replication's bearer token (x-api-version goes with every request, logon and logoff included)."""

    def __init__(self, access_token: str) -> None:
        self.headers = {"Authorization": "Bearer " + access_token}


def log_on(http: requests.Session, username: str, password: str) -> Logon:
    form = {"grant_type": "password", "username": username, "password": password}
    answer = send(http, "POST", BASE_URL + "oauth2/token", data=form)
    if answer.status_code in (400, 401, 403):
        raise ScriptError(f"Backup & Replication refused the logon of {username!r} ({answer.status_code}){server_message(answer)}")
    expect(answer, (200, 201), "logging on")
    body = json_body(answer)
    access = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(access, str) or not access:
        raise ScriptError("the logon answer has no access token")
    return Logon(access)


def log_off(http: requests.Session, logon: Logon) -> None:
    answer = send(http, "POST", BASE_URL + "oauth2/logout", {**logon.headers, "Content-Length": "0"})
    if answer.status_code >= 300 and answer.status_code != 401:
        print(f"warning: logging off answered {answer.status_code}; the token expires by itself", file=sys.stderr)
`;
}
