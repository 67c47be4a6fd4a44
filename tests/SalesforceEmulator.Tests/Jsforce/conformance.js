// Drives jsforce, unmodified, against a running SalesforceEmulator, exactly as an application would, and prints one JSON object
// with what each step saw. JsforceConformanceTests runs it and checks the result.
// Usage: node conformance.js <loginUrl> <clientId> <clientSecret> <redirectUri> <username> <password>
'use strict';
const jsforce = require('jsforce');

const [loginUrl, clientId, clientSecret, redirectUri, username, password] = process.argv.slice(2);
const result = { jsforceVersion: jsforce.VERSION };

// The browser's part of the web-server flow (not jsforce's job): open the login page, post the form, read the redirect.
async function logInThroughForm(authorizationUrl) {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  const html = await page.text();
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) {
    form.append(name, decodeHtml(value));
  }
  form.append('username', username);
  form.append('password', password);
  const action = new URL(html.match(/<form method="post" action="([^"]*)"/)[1], authorizationUrl);
  const answer = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  const location = new URL(answer.headers.get('location'));
  return { status: answer.status, code: location.searchParams.get('code'), state: location.searchParams.get('state') };
}

function decodeHtml(text) {
  return text
    .replace(/&#x([0-9A-Fa-f]+);/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function failure(error) {
  return { name: error.name, message: error.message, errorCode: error.errorCode ?? null };
}

async function main() {
  // 1. Username-password login (OAuth2): a Session ID without refresh token; identity, a REST call, queries, logout (revokes it).
  const conn = new jsforce.Connection({ oauth2: { loginUrl, clientId, clientSecret, redirectUri } });
  const login = await conn.login(username, password);
  const identity = await conn.identity();
  const user = await conn.sobject('User').retrieve(login.id);
  const queried = await conn.query(`SELECT Id, Username, IsActive FROM User WHERE Username = '${username}'`);
  result.query = {
    totalSize: queried.totalSize, done: queried.done, type: queried.records[0]?.attributes?.type ?? null,
    id: queried.records[0]?.Id ?? null, username: queried.records[0]?.Username ?? null, isActive: queried.records[0]?.IsActive ?? null,
  };
  result.badQuery = await conn.query('SELECT Id FROM Nothing__c').then(() => null, failure);
  const passwordToken = conn.accessToken;
  result.password = {
    userId: login.id, organizationId: login.organizationId, url: login.url, instanceUrl: conn.instanceUrl,
    refreshToken: conn.refreshToken ?? null, identityUsername: identity.username, identityUserId: identity.user_id,
    identityOrgId: identity.organization_id, userRecordUsername: user.Username,
  };
  await conn.logout();
  const stale = new jsforce.Connection({ instanceUrl: result.password.instanceUrl, accessToken: passwordToken });
  result.password.afterLogout = await stale.identity().then(() => null, failure);

  // 2. A wrong password surfaces Salesforce's error to the application.
  const wrong = new jsforce.Connection({ oauth2: { loginUrl, clientId, clientSecret, redirectUri } });
  result.wrongPassword = await wrong.login(username, 'not-the-password').then(() => null, failure);

  // 3. Web-server flow with PKCE (as the sf CLI logs in): authorize, identity, explicit refresh,
  //    automatic refresh on an expired session, then logout(true), which revokes the refresh token.
  const oauth2 = new jsforce.OAuth2({ loginUrl, clientId, clientSecret, redirectUri, useVerifier: true });
  const browser = await logInThroughForm(oauth2.getAuthorizationUrl({ scope: 'api id refresh_token openid', state: 'jsforce-state' }));
  const web = new jsforce.Connection({ oauth2 });
  let refreshes = 0;
  web.on('refresh', () => { refreshes += 1; });
  const authorized = await web.authorize(browser.code);
  const firstAccessToken = web.accessToken;
  const refreshToken = web.refreshToken;
  const webIdentity = await web.identity();
  const refreshed = await oauth2.refreshToken(refreshToken);

  // The emulator's test hook ends the session, as a session timeout would; jsforce must notice the 401 and refresh.
  const expired = await fetch(new URL('/_emulator/tokens/expire', loginUrl), { method: 'POST', body: new URLSearchParams({ username }) });
  const afterExpiry = await web.sobject('User').retrieve(authorized.id);
  result.webServer = {
    redirectStatus: browser.status, state: browser.state, codeLength: browser.code.length, userId: authorized.id,
    hasRefreshToken: typeof refreshToken === 'string' && refreshToken.length > 0,
    identityUsername: webIdentity.username,
    refreshedKeys: Object.keys(refreshed).sort(), refreshedTokenDiffers: refreshed.access_token !== firstAccessToken,
    expireHookStatus: expired.status, automaticRefreshes: refreshes, userAfterExpiry: afterExpiry.Username,
  };
  await web.logout(true);
  result.webServer.refreshAfterRevoke = await oauth2.refreshToken(refreshToken).then(() => null, failure);

  // 4. Revoking a token the server does not know.
  result.revokeUnknown = await oauth2.revokeToken('not-a-token').then(() => null, failure);
}

main().then(
  () => { process.stdout.write(JSON.stringify(result) + '\n'); },
  (error) => { process.stdout.write(JSON.stringify({ ...result, fatal: failure(error), stack: error.stack }) + '\n'); process.exitCode = 1; });
