// An OpenID provider for Värna's tests, started on loopback by tests/sso/conftest.py (the npm oidc-provider
// package, pinned in package.json). Its clients come from IDP_CLIENTS (JSON); its people from the JSON file
// IDP_ACCOUNTS, read again at every login so that a test can change someone's groups between two logins.
// The login page is a plain form: the person's account id, and the assurance (acr, amr) the login had.
// The ID tokens are signed with an RSA key made at start.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.IDP_CLIENTS);
const accountsFile = process.env.IDP_ACCOUNTS;
const accounts = () => JSON.parse(readFileSync(accountsFile, 'utf8'));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const readBody = (req) => new Promise((resolve, reject) => {
  let data = '';
  req.on('data', (chunk) => { data += chunk; if (data.length > 1e5) reject(new Error('too large')); });
  req.on('end', () => resolve(new URLSearchParams(data)));
});

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups', 'organisation'],
    claims: {
      openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'],
      groups: ['groups'], organisation: ['organisation'],
    },
    conformIdTokenClaims: false,
    acrValues: ['urn:varna:test:password', 'urn:varna:test:mfa'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, id) {
      const person = accounts()[id];
      if (!person) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...person }; } };
    },
    // First-party test clients: the person is never asked to consent.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile groups organisation');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    const url = new URL(req.url, issuer);
    if (!url.pathname.startsWith('/interaction/')) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        return res.end(`<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body>
<h1>Test identity provider</h1><p>Client: ${escape(details.params.client_id)}</p>
<form method="post" action="${escape(url.pathname)}">
<label for="account">Account</label><input id="account" name="account" autofocus>
<label for="acr">Assurance</label><select id="acr" name="acr">
<option value="urn:varna:test:password">Password</option><option value="urn:varna:test:mfa">Password and phone</option></select>
<button type="submit">Sign in</button></form></body></html>`);
      }
      const form = await readBody(req);
      const accountId = form.get('account');
      if (!accounts()[accountId]) { res.statusCode = 400; return res.end('unknown account'); }
      const acr = form.get('acr') || 'urn:varna:test:password';
      const amr = acr.endsWith(':mfa') ? ['pwd', 'otp'] : ['pwd'];
      return await provider.interactionFinished(req, res, { login: { accountId, acr, amr } }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.statusCode = 500;
      return res.end(String(err));
    }
  });
  process.stdout.write(`READY ${issuer}\n`);
});
