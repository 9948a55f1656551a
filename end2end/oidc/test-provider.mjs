// A real OpenID provider (npm oidc-provider, certified) for Tokensmith's tests and local
// runs. NOT for production: accounts are made up on the spot and keys live in memory.
//
//   OIDC_PORT            where it listens on 127.0.0.1 (4400); its issuer is http://127.0.0.1:<port>
//   OIDC_REDIRECT_URIS   the client's redirect URIs, comma-separated
//   OIDC_CLIENT_SECRET   the client `tokensmith`'s secret
//
// Signing in: the account id is whatever follows `/__test/login-as?account=` (default
// `alice`); its email is the id if it has an @, else <id>@example.test, verified unless
// the id starts with `unverified`.
// `/__test/mischief?kind=` makes the next ID tokens lie, as a broken or hostile provider
// would: `issuer`, `audience`, `nonce`, `expired` (re-signed with the provider's own key) or
// `signature` (a signature that doesn't match); `kind=` (empty) tells the truth again.
import crypto from 'node:crypto';
import http from 'node:http';
import { Provider } from 'oidc-provider';

const PORT = Number(process.env.OIDC_PORT ?? 4400);
const ISSUER = `http://127.0.0.1:${PORT}`;
const REDIRECTS = (process.env.OIDC_REDIRECT_URIS ?? 'http://localhost:3000/login/sso/callback').split(',');
const SECRET = process.env.OIDC_CLIENT_SECRET ?? 'oidc-client-secret-for-tests';

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

let account = 'alice';
let mischief = '';

const provider = new Provider(ISSUER, {
  clients: [
    {
      client_id: 'tokensmith',
      client_secret: SECRET,
      redirect_uris: REDIRECTS,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  cookies: { keys: ['test-provider-cookie-key'] },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        const email = sub.includes('@') ? sub : `${sub}@example.test`;
        const local = email.split('@')[0];
        return {
          sub,
          email,
          email_verified: !sub.startsWith('unverified'),
          name: `${local[0].toUpperCase()}${local.slice(1)} Example`,
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const { client, session, result } = ctx.oidc;
    const grantId = result?.consent?.grantId || session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The ID token as the current mischief wants it. */
function lie(idToken) {
  const [header, payload, signature] = idToken.split('.');
  if (mischief === 'signature') return `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  if (mischief === 'issuer') claims.iss = 'http://127.0.0.1:1';
  if (mischief === 'audience') claims.aud = 'someone-else';
  if (mischief === 'nonce') claims.nonce = 'another-sign-in';
  if (mischief === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  const signed = `${header}.${b64(claims)}`;
  return `${signed}.${crypto.sign('sha256', Buffer.from(signed), privateKey).toString('base64url')}`;
}

const handle = provider.callback();
const server = http.createServer(async (req, res) => {
  const { pathname, searchParams } = new URL(req.url, ISSUER);
  if (pathname === '/__test/login-as') {
    account = searchParams.get('account') || 'alice';
    res.end(`signing in as ${account}\n`);
    return;
  }
  if (pathname === '/__test/mischief') {
    mischief = searchParams.get('kind') ?? '';
    res.end(`mischief: ${mischief || 'none'}\n`);
    return;
  }
  if (req.method === 'GET' && /^\/interaction\/[\w-]+$/.test(pathname)) {
    try {
      const { prompt } = await provider.interactionDetails(req, res);
      if (prompt.name !== 'login') throw new Error(`unexpected prompt ${prompt.name}`);
      const login = { login: { accountId: account } };
      await provider.interactionFinished(req, res, login, { mergeWithLastSubmission: false });
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
    return;
  }
  if (mischief && req.method === 'POST' && pathname === '/token') {
    const end = res.end.bind(res);
    res.end = (body, ...rest) => {
      try {
        const answer = JSON.parse(String(body));
        if (answer.id_token) answer.id_token = lie(answer.id_token);
        const text = JSON.stringify(answer);
        res.setHeader('content-length', Buffer.byteLength(text));
        return end(text);
      } catch {
        return end(body, ...rest);
      }
    };
  }
  handle(req, res);
});
server.listen(PORT, '127.0.0.1', () => console.log(`test OpenID provider at ${ISSUER}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
