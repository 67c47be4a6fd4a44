// Drives openid-client (OpenID Connect certified), unmodified, against a running SalesforceEmulator, and prints one JSON
// object with what each step saw. OpenIdClientConformanceTests runs it and checks the result.
// Usage: node openid-client.mjs <loginUrl> <clientId> <clientSecret> <redirectUri> <postLogoutRedirectUri> <username> <password>
import * as client from 'openid-client';

const [loginUrl, clientId, clientSecret, redirectUri, postLogoutRedirectUri, username, password] = process.argv.slice(2);
const result = {};

// The browser's part (not the client library's job): a cookie jar for the emulator's login session, the login form, redirects.
const cookies = new Map();
async function browse(url, init = {}) {
  const headers = new Headers(init.headers);
  if (cookies.size > 0) {
    headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
  }
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, value] = pair.split('=');
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name); else cookies.set(name, value);
  }
  return response;
}

async function logInThroughForm(authorizationUrl) {
  const page = await browse(authorizationUrl);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) {
    form.append(name, decodeHtml(value));
  }
  form.append('username', username);
  form.append('password', password);
  const action = new URL(html.match(/<form method="post" action="([^"]*)"/)[1], authorizationUrl);
  const answer = await browse(action, { method: 'POST', body: form });
  return { status: answer.status, location: answer.headers.get('location') };
}

function decodeHtml(text) {
  return text
    .replace(/&#x([0-9A-Fa-f]+);/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function failure(error) {
  const challenge = Array.isArray(error.cause) ? error.cause[0] : null;
  return {
    name: error.name, code: error.code ?? null, error: error.error ?? null, status: error.status ?? error.cause?.status ?? null, message: error.message,
    challenge: challenge ? { scheme: challenge.scheme, error: challenge.parameters?.error ?? null } : null,
  };
}

// A silent authorization (immediate=true) in the same browser: a code while the login session lives, an error after logout.
async function silentAuthorization(config) {
  const url = client.buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: 'openid api', immediate: 'true' });
  const location = new URL((await browse(url)).headers.get('location'));
  return { code: location.searchParams.has('code'), error: location.searchParams.get('error') };
}

async function main() {
  // 1. Discovery. Loopback http needs the library's documented opt-in (allowInsecureRequests); its other documented opt-in,
  //    enableNonRepudiationChecks, makes it verify every id_token's signature against jwks_uri (by default it trusts the
  //    token endpoint's TLS for that). Nothing else is changed.
  const config = await client.discovery(new URL(loginUrl), clientId, clientSecret, undefined, {
    execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
  });
  const metadata = config.serverMetadata();
  result.discovery = {
    issuer: metadata.issuer, endSession: metadata.end_session_endpoint, registration: metadata.registration_endpoint,
    jwks: metadata.jwks_uri, pkceMethods: metadata.code_challenge_methods_supported ?? null,
  };

  // 2. Authorization-code flow with PKCE (S256), state and nonce; the library checks the id_token (RS256 signature with a key
  //    from jwks_uri, iss, aud, exp, iat, nonce) when it exchanges the code.
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid api id refresh_token', state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const login = await logInThroughForm(authorizationUrl);
  const tokens = await client.authorizationCodeGrant(config, new URL(login.location), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
  const claims = tokens.claims();
  result.codeFlow = {
    redirectStatus: login.status, sessionCookie: cookies.has('sid'), tokenType: tokens.token_type, hasRefreshToken: typeof tokens.refresh_token === 'string',
    idTokenSub: claims.sub, idTokenAud: claims.aud, idTokenIss: claims.iss, idTokenNonce: claims.nonce,
  };

  // 3. UserInfo, with the library's check that its sub is the id_token's.
  const userInfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  result.userInfo = { sub: userInfo.sub, preferredUsername: userInfo.preferred_username, email: userInfo.email };

  // 4. Refresh: a new access token and a new id_token, checked again by the library.
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  result.refresh = {
    accessTokenDiffers: refreshed.access_token !== tokens.access_token, idTokenSub: refreshed.claims()?.sub ?? null,
    refreshTokenReturned: typeof refreshed.refresh_token === 'string',
  };

  // 5. Revocation (RFC 7009) of the refresh token: it and the access tokens issued from it stop working.
  await client.tokenRevocation(config, tokens.refresh_token);
  result.revoke = {
    refreshAfter: await client.refreshTokenGrant(config, tokens.refresh_token).then(() => null, failure),
    userInfoAfter: await client.fetchUserInfo(config, refreshed.access_token, claims.sub).then(() => null, failure),
  };

  // 6. RP-initiated logout at the discovery's end_session_endpoint ends the login session and returns to the registered URI.
  result.logout = { silentBefore: await silentAuthorization(config) };
  const endSession = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: postLogoutRedirectUri, state: 'bye' });
  const logout = await browse(endSession);
  result.logout.status = logout.status;
  result.logout.location = logout.headers.get('location');
  result.logout.sessionCookie = cookies.has('sid');
  result.logout.silentAfter = await silentAuthorization(config);

  // 7. Dynamic client registration without an initial access token is refused.
  result.registration = await client.dynamicClientRegistration(new URL(loginUrl), { redirect_uris: [redirectUri] }, undefined, { execute: [client.allowInsecureRequests] })
    .then(() => null, failure);
}

main().then(
  () => { process.stdout.write(JSON.stringify(result) + '\n'); },
  (error) => { process.stdout.write(JSON.stringify({ ...result, fatal: failure(error), stack: error.stack }) + '\n'); process.exitCode = 1; });
