// A certified OpenID Provider (panva's oidc-provider) on loopback, for the browser journeys.
//
// One confidential client (the served site), any email address can sign in with the shared
// test password, every address is verified, consent is implied (a first-party client), and
// RP-initiated logout is on. The sign-in, sign-out and error pages are small, accessible and
// self-contained (the library's development pages load web fonts from the internet).
//
// Environment: PORT, SITE_URL (the served site, e.g. http://127.0.0.1:8123), CLIENT_ID,
// CLIENT_SECRET, PROVIDER_ID (the site's id for this provider, part of the callback URL),
// TEST_PASSWORD.
import { createHash } from 'node:crypto';
import Provider from 'oidc-provider';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const port = Number(env('PORT'));
const site = env('SITE_URL').replace(/\/$/, '');
const providerId = env('PROVIDER_ID', 'loopback');
const password = env('TEST_PASSWORD', 'provider-pass');
const issuer = `http://127.0.0.1:${port}`;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escape(title)} — Loopback ID</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#111}
label{display:block;margin-top:1rem}input{display:block;width:100%;padding:.4rem;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1rem;font-size:1rem}</style></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

// A stable subject per address, so signing in again finds the same account.
const subjectOf = (email) => createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 24);
const emails = new Map();

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: env('CLIENT_ID'),
      client_secret: env('CLIENT_SECRET'),
      client_name: 'Civic Commons (journeys)',
      redirect_uris: [`${site}/accounts/oidc/${providerId}/login/callback/`],
      post_logout_redirect_uris: [`${site}/`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  cookies: { keys: ['journeys-only-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out of Loopback ID?', `${form}
<p>You are signed in at Loopback ID in this browser.</p>
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Signed out', '<p>You are signed out of Loopback ID.</p>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const email = emails.get(sub);
    if (!email) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email, email_verified: true, name: email.split('@')[0] };
      },
    };
  },
  // The served site is a first-party client: consent to what it asks is implied.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Sign-in error', `<p>${escape(out.error)}: ${escape(out.error_description || '')}</p>`);
  },
});

const readForm = (req) => new Promise((resolve, reject) => {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { raw += chunk; if (raw.length > 10_000) reject(new Error('too big')); });
  req.on('end', () => resolve(new URLSearchParams(raw)));
  req.on('error', reject);
});

const loginForm = (uid, message = '', email = '') => page('Sign in to Loopback ID', `
${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escape(email)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`);

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (!match) return next();
  const [, uid, login] = match;
  ctx.set('Cache-Control', 'no-store');
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== uid) ctx.throw(400, 'interaction mismatch');
  if (!login && ctx.method === 'GET') {
    if (details.prompt.name !== 'login') ctx.throw(501, `prompt ${details.prompt.name} not implemented`);
    ctx.type = 'html';
    ctx.body = loginForm(uid);
    return undefined;
  }
  if (login && ctx.method === 'POST') {
    const form = await readForm(ctx.req);
    const email = (form.get('email') || '').trim();
    if (!email.includes('@') || form.get('password') !== password) {
      ctx.type = 'html';
      ctx.status = 400;
      ctx.body = loginForm(uid, 'That email address and password do not match.', email);
      return undefined;
    }
    const sub = subjectOf(email);
    emails.set(sub, email);
    const returnTo = await provider.interactionResult(
      ctx.req, ctx.res, { login: { accountId: sub } }, { mergeWithLastSubmission: false },
    );
    ctx.status = 303;
    ctx.redirect(returnTo);
    return undefined;
  }
  return ctx.throw(405);
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`oidc-provider listening on ${issuer}\n`);
});
