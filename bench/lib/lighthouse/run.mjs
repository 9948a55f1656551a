// Lighthouse (mobile, its default throttling) on each URL given, signed in by the cookie in
// $COOKIE, with Debian's Chromium: prints one line per page (score, FCP, LCP, TBT, CLS,
// the LCP element and its phases). Run by bench/lighthouse.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const urls = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const ms = (audit) => `${Math.round(audit.numericValue)} ms`;
console.log(['page', 'score', 'FCP', 'LCP', 'TBT', 'CLS', 'LCP element', 'LCP phases'].join('\t'));
try {
  for (const url of urls) {
    const result = await lighthouse(url, {
      port: chrome.port,
      onlyCategories: ['performance'],
      extraHeaders: process.env.COOKIE ? { Cookie: process.env.COOKIE } : undefined,
      logLevel: 'error',
    });
    const lhr = result.lhr;
    const audits = lhr.audits;
    const element = audits['largest-contentful-paint-element'];
    const items = element?.details?.items ?? [];
    const node = items[0]?.items?.[0]?.node;
    const phases = (items[1]?.items ?? []).map((p) => `${p.phase} ${Math.round(p.timing)}`).join(', ');
    console.log([
      new URL(url).pathname,
      Math.round(lhr.categories.performance.score * 100),
      ms(audits['first-contentful-paint']),
      ms(audits['largest-contentful-paint']),
      ms(audits['total-blocking-time']),
      audits['cumulative-layout-shift'].numericValue.toFixed(3),
      node ? `${node.nodeLabel?.slice(0, 40)} (${node.selector?.slice(-40)})` : '-',
      phases || '-',
    ].join('\t'));
  }
} finally {
  await chrome.kill();
}
