// The kinds' logon and logoff in the generated PowerShell script: each as the kind's strategy does it
// (src/api/kinds/*/kind.ts).
import type { ScriptPlan } from './plan';

/** The logon, its session object and the logoff of the plan's kind. */
export function logonBlock(plan: ScriptPlan): string {
  if (plan.kind === 'em') {
    const xml = plan.representation === 'xml';
    return `
# The Link elements of a document's own Links (or of its child element Where, e.g. PagingInfo).
function Get-VeeamLinks {
    param([Parameter(Mandatory)] $Answer, [string] $Where = '')
${xml
  ? `    $holder = ([xml]$Answer.Content).DocumentElement
    if ($Where) { $holder = $holder.ChildNodes | Where-Object { $_.LocalName -eq $Where } | Select-Object -First 1 }
    if ($null -eq $holder) { return }
    foreach ($group in @($holder.ChildNodes | Where-Object { $_.LocalName -eq 'Links' })) {
        foreach ($link in @($group.ChildNodes | Where-Object { $_.LocalName -eq 'Link' })) {
            [pscustomobject]@{ Rel = $link.GetAttribute('Rel'); Href = $link.GetAttribute('Href'); Type = $link.GetAttribute('Type') }
        }
    }`
  : `    $holder = ConvertFrom-Json -InputObject $Answer.Content
    if ($Where) { $holder = Get-VeeamProperty -Object $holder -Name $Where }
    $links = Get-VeeamProperty -Object $holder -Name 'Links'
    foreach ($link in @($links)) {
        if ($link -is [System.Management.Automation.PSCustomObject]) {
            [pscustomobject]@{ Rel = Get-VeeamProperty -Object $link -Name 'Rel'; Href = Get-VeeamProperty -Object $link -Name 'Href'; Type = Get-VeeamProperty -Object $link -Name 'Type' }
        }
    }`}
}

# Enterprise Manager: the API root lists the Create link of a logon session; a POST with Basic authentication opens it
# and answers its X-RestSvcSessionId; DELETE of the logon session logs off.
function Connect-VeeamServer {
    param([Parameter(Mandatory)] [System.Management.Automation.PSCredential] $Logon)
    $root = Invoke-VeeamRequest -Method 'GET' -Uri $BaseUrl
    Assert-VeeamStatus -Answer $root -Allowed 200 -What 'reading the API root'
    $create = Get-VeeamLinks -Answer $root |
        Where-Object { $_.Rel -eq 'Create' -and ($_.Type -eq 'LogonSession' -or [string]$_.Href -match 'sessionmngr') } |
        Select-Object -First 1 -ExpandProperty Href
    if (-not (Test-SameOrigin -Uri $create)) { $create = $Origin + '/api/sessionMngr/?v=latest' }
    $pair = $Logon.UserName + ':' + $Logon.GetNetworkCredential().Password
    $basic = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($pair))
    $empty = [System.Net.Http.ByteArrayContent]::new([byte[]]::new(0))
    $answer = Invoke-VeeamRequest -Method 'POST' -Uri $create -Headers @{ 'Authorization' = 'Basic ' + $basic } -Body $empty
    if ($answer.StatusCode -in 401, 403) {
        throw ('Enterprise Manager refused the logon of {0} ({1}): a wrong password, or an account without an Enterprise Manager role.' -f $Logon.UserName, $answer.StatusCode)
    }
    Assert-VeeamStatus -Answer $answer -Allowed 200, 201 -What 'logging on'
    $token = $answer.Headers['X-RestSvcSessionId']
    if (-not $token) { throw 'The logon answer has no X-RestSvcSessionId header (a proxy may strip it).' }
    # Where this logon session is deleted: its Delete link, else its own Href, else the Location of the answer.
    $deleteUrl = $null
    try {
        $deleteUrl = Get-VeeamLinks -Answer $answer | Where-Object { $_.Rel -eq 'Delete' } | Select-Object -First 1 -ExpandProperty Href
${xml
  ? `        if (-not $deleteUrl) { $deleteUrl = ([xml]$answer.Content).DocumentElement.GetAttribute('Href') }`
  : `        if (-not $deleteUrl) { $deleteUrl = Get-VeeamProperty -Object (ConvertFrom-Json -InputObject $answer.Content) -Name 'Href' }`}
    }
    catch { $deleteUrl = $null }
    $location = [string]$answer.Headers['Location']
    if (-not $deleteUrl -and $location -match '/logonSessions/') { $deleteUrl = $location }
    if (-not (Test-SameOrigin -Uri $deleteUrl)) { $deleteUrl = $null }
    return [pscustomobject]@{ Headers = @{ 'X-RestSvcSessionId' = $token }; DeleteUrl = $deleteUrl }
}

function Disconnect-VeeamServer {
    param([Parameter(Mandatory)] $Session)
    if (-not $Session.DeleteUrl) {
        Write-Warning 'The logon session could not be named; the server ends it after 15 minutes without use.'
        return
    }
    try {
        $answer = Invoke-VeeamRequest -Method 'DELETE' -Uri $Session.DeleteUrl -Headers $Session.Headers
        if ($answer.StatusCode -ge 300 -and $answer.StatusCode -notin 401, 404) {
            Write-Warning ('Deleting the logon session answered {0}; it ends after 15 minutes without use.' -f $answer.StatusCode)
        }
    }
    catch { Write-Warning ('Log off failed: {0}' -f $_.Exception.Message) }
}
`;
  }
  const tokens = `    $parsed = ConvertFrom-Json -InputObject $answer.Content
    $data = Get-VeeamProperty -Object $parsed -Name 'data'
    $tokenHolder = if ($data -is [array]) { if ($data.Count -gt 0) { $data[0] } else { $null } } elseif ($null -ne $data) { $data } else { $parsed }
    $access = Get-VeeamProperty -Object $tokenHolder -Name 'access_token'
    if (-not $access) { $access = Get-VeeamProperty -Object $tokenHolder -Name 'accessToken' }`;
  if (plan.kind === 'vspc') {
    return `
# Service Provider Console: a password grant at /token (the older /authentication/usernamepassword on servers without
# it) gives a bearer token.
function Connect-VeeamServer {
    param([Parameter(Mandatory)] [System.Management.Automation.PSCredential] $Logon)
    $password = $Logon.GetNetworkCredential().Password
    $form = [System.Collections.Generic.Dictionary[string, string]]::new()
    $form['grant_type'] = 'password'
    $form['username'] = $Logon.UserName
    $form['password'] = $password
    $answer = Invoke-VeeamRequest -Method 'POST' -Uri ($BaseUrl + 'token') -Body ([System.Net.Http.FormUrlEncodedContent]::new($form))
    if ($answer.StatusCode -in 404, 405) {
        $multipart = [System.Net.Http.MultipartFormDataContent]::new()
        $multipart.Add([System.Net.Http.StringContent]::new($Logon.UserName), 'username')
        $multipart.Add([System.Net.Http.StringContent]::new($password), 'password')
        $answer = Invoke-VeeamRequest -Method 'POST' -Uri ($BaseUrl + 'authentication/usernamepassword') -Body $multipart
    }
    if ($answer.StatusCode -in 400, 401, 403) {
        throw ('Service Provider Console refused the logon of {0} ({1}){2}' -f $Logon.UserName, $answer.StatusCode, (Get-VeeamServerMessage -Answer $answer))
    }
    Assert-VeeamStatus -Answer $answer -Allowed 200, 201 -What 'logging on'
${tokens}
    if (-not $access) { throw 'The logon answer has no access token (an account with multi-factor authentication cannot use this script).' }
    return [pscustomobject]@{ Headers = @{ 'Authorization' = 'Bearer ' + $access }; UserName = $Logon.UserName }
}

# Revokes the tokens of the identity this script logged on with: GET /users/me, the user's identities, then
# DELETE /users/{uid}/tokens?userLoginId={id}. Without userLoginId that DELETE would revoke every token of the user, in
# every application: when the identity cannot be known, nothing is revoked and the token expires by itself.
function Disconnect-VeeamServer {
    param([Parameter(Mandatory)] $Session)
    try {
        $me = Invoke-VeeamRequest -Method 'GET' -Uri ($BaseUrl + 'users/me') -Headers $Session.Headers
        $uid = if ($me.StatusCode -eq 200) { Get-VeeamProperty -Object (Get-VeeamProperty -Object (ConvertFrom-Json -InputObject $me.Content) -Name 'data') -Name 'instanceUid' } else { $null }
        if ($uid -isnot [string] -or -not $uid) {
            Write-Warning ('Not logged off (reading the logged-on user answered {0}); the token expires by itself.' -f $me.StatusCode)
            return
        }
        $userUrl = $BaseUrl + 'users/' + [Uri]::EscapeDataString($uid)
        $logins = Invoke-VeeamRequest -Method 'GET' -Uri ($userUrl + '/logins') -Headers $Session.Headers
        if ($logins.StatusCode -ne 200) {
            Write-Warning ('Not logged off (the user''s identities could not be read: {0}); the token expires by itself.' -f $logins.StatusCode)
            return
        }
        $listed = ConvertFrom-Json -InputObject $logins.Content
        $identities = Get-VeeamProperty -Object $listed -Name 'data'
        $total = Get-VeeamProperty -Object (Get-VeeamProperty -Object (Get-VeeamProperty -Object $listed -Name 'meta') -Name 'pagingInfo') -Name 'total'
        $name = $Session.UserName.ToLowerInvariant()
        $matched = @(foreach ($identity in @($identities)) {
            if ($identity -isnot [System.Management.Automation.PSCustomObject]) { continue }
            $status = Get-VeeamProperty -Object $identity -Name 'status'
            $scopes = Get-VeeamProperty -Object $identity -Name 'scopes'
            if ([string](Get-VeeamProperty -Object $identity -Name 'identifierInProvider') -ne $name) { continue }
            if ($null -ne $status -and [string]$status -ne 'enabled') { continue }
            if ($scopes -is [array] -and -not ($scopes | Where-Object { [string]$_ -eq 'rest' })) { continue }
            $identity
        })
        $loginId = if ($matched.Count -eq 1) { Get-VeeamProperty -Object $matched[0] -Name 'id' } else { $null }
        $allListed = $identities -is [array] -and -not (($total -is [long] -or $total -is [int]) -and $total -gt $identities.Count)
        if (-not $allListed -or -not ($loginId -is [long] -or $loginId -is [int]) -or $loginId -lt 0) {
            Write-Warning 'Not logged off (no single identity of the user matches the user name); the token expires by itself.'
            return
        }
        $answer = Invoke-VeeamRequest -Method 'DELETE' -Uri ('{0}/tokens?userLoginId={1}' -f $userUrl, $loginId) -Headers $Session.Headers
        if ($answer.StatusCode -ge 300) { Write-Warning ('Revoking the tokens answered {0}; the token expires by itself.' -f $answer.StatusCode) }
    }
    catch { Write-Warning ('Log off failed: {0}' -f $_.Exception.Message) }
}
`;
  }
  return `
# Backup & Replication: a password grant at /api/oauth2/token gives a bearer token; x-api-version goes with every
# request ($DefaultHeaders), logon and logoff included; POST /api/oauth2/logout logs off.
function Connect-VeeamServer {
    param([Parameter(Mandatory)] [System.Management.Automation.PSCredential] $Logon)
    $form = [System.Collections.Generic.Dictionary[string, string]]::new()
    $form['grant_type'] = 'password'
    $form['username'] = $Logon.UserName
    $form['password'] = $Logon.GetNetworkCredential().Password
    $answer = Invoke-VeeamRequest -Method 'POST' -Uri ($BaseUrl + 'oauth2/token') -Body ([System.Net.Http.FormUrlEncodedContent]::new($form))
    if ($answer.StatusCode -in 400, 401, 403) {
        throw ('Backup & Replication refused the logon of {0} ({1}){2}' -f $Logon.UserName, $answer.StatusCode, (Get-VeeamServerMessage -Answer $answer))
    }
    Assert-VeeamStatus -Answer $answer -Allowed 200, 201 -What 'logging on'
${tokens}
    if (-not $access) { throw 'The logon answer has no access token.' }
    return [pscustomobject]@{ Headers = @{ 'Authorization' = 'Bearer ' + $access } }
}

function Disconnect-VeeamServer {
    param([Parameter(Mandatory)] $Session)
    try {
        $empty = [System.Net.Http.ByteArrayContent]::new([byte[]]::new(0))
        $answer = Invoke-VeeamRequest -Method 'POST' -Uri ($BaseUrl + 'oauth2/logout') -Headers $Session.Headers -Body $empty
        if ($answer.StatusCode -ge 300 -and $answer.StatusCode -ne 401) {
            Write-Warning ('Logging off answered {0}; the token expires by itself.' -f $answer.StatusCode)
        }
    }
    catch { Write-Warning ('Log off failed: {0}' -f $_.Exception.Message) }
}
`;
}
