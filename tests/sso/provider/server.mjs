// A real OpenID Connect provider for the single sign-on tests: the certified `oidc-provider` package, on a
// loopback port of its own choosing, with one client (the application under test) and users read afresh from a
// JSON file at every sign-in, so a test changes someone's groups by rewriting the file.
//
//   node server.mjs CONFIG.json
//
// CONFIG: {"host": "127.0.0.1", "usersFile": "...", "client": {"client_id", "client_secret", "redirect_uris",
// "post_logout_redirect_uris"}}. USERS file: {"users": {"<login>": {"password", "sub", "email", "given_name",
// "family_name", "groups": [...], "roles": [...]}}}. Prints one line of JSON, {"issuer": "http://host:port"},
// once it is listening; stops on SIGTERM.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const users = () => JSON.parse(readFileSync(config.usersFile, 'utf8')).users;
// The account's id is its subject (`sub`), which the provider puts in every token; the login is what is typed.
const subjectOf = (login, user) => user.sub || login;
const bySubject = (sub) => Object.entries(users()).find(([login, user]) => subjectOf(login, user) === sub)?.[1];

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;

const server = createServer();
await new Promise((resolve) => server.listen(0, config.host, resolve));
const issuer = `http://${config.host}:${server.address().port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [{
    ...config.client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // Groups and app roles travel in the ID token, as Microsoft Entra ID sends them, and in userinfo.
  claims: {
    openid: ['sub', 'groups', 'roles'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Sign out of the council directory?', `${form}
          <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
          <button type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out of the council directory', '');
      },
    },
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
  async findAccount(ctx, id) {
    const user = bySubject(id);
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        const current = bySubject(id) || user;
        const claims = {
          sub: id,
          email: current.email,
          email_verified: true,
          given_name: current.given_name,
          family_name: current.family_name,
          name: [current.given_name, current.family_name].filter(Boolean).join(' '),
          preferred_username: current.preferred_username || current.email,
          roles: current.roles || [],
        };
        if (current.groupsOverage) {
          // What Entra ID sends for someone in more groups than fit in a token: a pointer instead of the list.
          claims._claim_names = { groups: 'src1' };
          claims._claim_sources = { src1: { endpoint: `${issuer}/graph-not-here` } };
        } else {
          claims.groups = current.groups || [];
        }
        return claims;
      },
    };
  },
  // The application is the council's own: no consent screen, as in Entra ID with admin consent granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

const loginForm = (uid, error = '') => page('Sign in to the council directory', `
  ${error ? `<p role="alert">${escape(error)}</p>` : ''}
  <form method="post" action="/interaction/${escape(uid)}">
    <label for="username">Directory username</label> <input id="username" name="username" autocomplete="username">
    <label for="password">Directory password</label> <input id="password" name="password" type="password">
    <button type="submit">Sign in to the directory</button>
  </form>`);

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(loginForm(details.uid));
    return;
  }
  const form = await readForm(req);
  const user = users()[form.get('username')];
  if (!user || user.password !== form.get('password')) {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(loginForm(details.uid, 'Wrong username or password.'));
    return;
  }
  const accountId = subjectOf(form.get('username'), user);
  await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page('Sign-in error', `<pre>${escape(error.message)}</pre>`));
    });
    return;
  }
  callback(req, res);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
