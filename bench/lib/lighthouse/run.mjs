// Lighthouse (mobile, its default throttling) on each URL given, signed in by the cookie in
// $COOKIE, with Debian's Chromium: prints one line per page (score, FCP, LCP, TBT, CLS,
// the LCP element and its phases). Run by bench/lighthouse.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const urls = process.argv.slice(2);
// One run of a page varies (its blocking time most): each page is run this many times and
// the run with the median LCP (then TBT) is reported, with the range of scores seen.
const runs = Number(process.env.LIGHTHOUSE_RUNS || 5);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const ms = (audit) => `${Math.round(audit.numericValue)} ms`;
console.log(['page', 'score', 'FCP', 'LCP', 'TBT', 'CLS', 'LCP element', 'LCP phases', 'scores of the runs'].join('\t'));
const audit = (lhr, id) => lhr.audits[id].numericValue;
try {
  for (const url of urls) {
    const all = [];
    for (let n = 0; n < runs; n += 1) {
      const result = await lighthouse(url, {
        port: chrome.port,
        onlyCategories: ['performance'],
        extraHeaders: process.env.COOKIE ? { Cookie: process.env.COOKIE } : undefined,
        logLevel: 'error',
      });
      all.push(result.lhr);
    }
    const done = all.filter((run) => !run.runtimeError);
    // Why a run failed, on stderr (its code and message), so a failure can be told from a
    // slow page.
    all.filter((run) => run.runtimeError).forEach((run) =>
      console.error(`${url}: a run failed: ${run.runtimeError.code} ${run.runtimeError.message}`));
    done.sort((a, b) => audit(a, 'largest-contentful-paint') - audit(b, 'largest-contentful-paint')
      || audit(a, 'total-blocking-time') - audit(b, 'total-blocking-time'));
    if (done.length === 0) throw new Error(`every run of ${url} failed: ${all[0].runtimeError.message}`);
    const lhr = done[Math.floor(done.length / 2)];
    // A run Lighthouse could not finish (its runtimeError) scores 0: shown as "failed".
    const scores = all.map((run) => (run.runtimeError ? 'failed' : Math.round(run.categories.performance.score * 100)))
      .sort((a, b) => (a === 'failed') - (b === 'failed') || a - b);
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
      scores.join(' '),
    ].join('\t'));
    // LIGHTHOUSE_DETAIL=1: where the median run's main thread went (what its blocking
    // time is made of), on stderr so the table stays one line per page.
    if (process.env.LIGHTHOUSE_DETAIL) {
      const items = (id) => audits[id]?.details?.items ?? [];
      const tasks = items('long-tasks').map((t) => `${Math.round(t.startTime)}+${Math.round(t.duration)} ${t.url.split('/').pop()}`);
      const work = items('mainthread-work-breakdown').map((w) => `${w.groupLabel} ${Math.round(w.duration)}`);
      const boot = items('bootup-time').map((b) => `${b.url.split('/').pop()} script ${Math.round(b.scripting)} compile ${Math.round(b.scriptParseCompile)}`);
      console.error(`${new URL(url).pathname}\n  long tasks: ${tasks.join(', ')}\n  main thread: ${work.join(', ')}\n  scripts: ${boot.join(', ')}`);
    }
  }
} finally {
  await chrome.kill();
}
