import { expect, test } from '@playwright/test';

// Requests the server refuses before reading their body. Run against the server directly
// and (in the second run of scripts/test) through nginx: either way the client gets the
// refusal itself, never a 502 from the proxy because the server closed on an unread body.

const body = 'x'.repeat(60_000);

test('early refusals with a body reach the client as themselves', async ({ playwright, baseURL }) => {
  const api = await playwright.request.newContext({ baseURL });
  const sameSite = { 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' };
  const cases: Array<[string, string, string, Record<string, string>, string, number]> = [
    ['an unknown server function', 'POST', '/api/nope', sameSite, body, 404],
    ['a body over the limit', 'POST', '/api/create_token', sameSite, 'x'.repeat(70_000), 413],
    ['a cross-site write', 'POST', '/api/create_token', { ...sameSite, 'Sec-Fetch-Site': 'cross-site' }, body, 403],
    ['no credentials on the sandbox', 'POST', '/Advertisers/AC0/Actions', {}, body, 401],
    ['revocation without a token', 'POST', '/oauth/revoke', { 'Content-Type': 'application/json' }, body, 400],
  ];
  for (const [what, method, path, headers, data, status] of cases) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await api.fetch(path, { method, headers, data });
      expect(response.status(), `${what}, try ${attempt + 1}`).toBe(status);
    }
  }
  await api.dispose();
});
