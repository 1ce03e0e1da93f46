// Open every page of the built book in headless Chromium, the way a reader would, and fail on
// what a reader would stumble on:
//   - an image that does not load (naturalWidth 0);
//   - raw TeX left in the rendered text outside code blocks ($$, \frac, …), or a KaTeX error;
//   - a page with formulas whose KaTeX fonts did not load (the bundled CSS or fonts are broken);
//   - any request to a host other than 127.0.0.1 / localhost (it is blocked and reported);
//   - a local request that fails or answers with an HTTP error.
// One full-page screenshot per page goes into the screenshot directory for a person to look at
// (with the folded worked answers opened, so their mathematics can be seen too).
//
//   node check.js <built-book-dir> <screenshot-dir>
//
// The built book is served with `python3 -m http.server` on 127.0.0.1 (a free port). Chromium
// is /usr/bin/chromium unless CHROMIUM names another binary. Run through `just book-check`.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-default-apps',
  '--disable-extensions',
];

// Pages that are not chapters: print.html repeats every chapter (checked, screenshot of its
// first screen only); index.html is the introduction again; toc.html and 404.html are chrome.
const SKIP = new Set(['index.html', 'toc.html', '404.html']);

// Problems listed per page before the rest are summarised.
const MAX_LISTED = 12;

// Text that means TeX was not rendered. Checked on the text of <main> with code blocks,
// KaTeX's hidden MathML copies, scripts and styles removed.
const RAW_TEX = [
  { name: '$$', re: /\$\$/ },
  { name: 'a TeX command such as \\frac', re: /\\(frac|mathrm|mathbb|mathcal|sum|int|ln|log|left|right|qquad|quad|text|tfrac|dfrac|sqrt|partial|nabla|mu|sigma|alpha|beta|theta|pi|infty|le|ge|cdot|times|approx|mid|begin|end)(?![A-Za-z])/ },
  { name: 'a $…$ span with TeX in it', re: /\$[^$\n]*[\\^_{}][^$\n]*\$/ },
];

function isLocal(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  return u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`http.server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`http.server did not answer at ${url}`);
}

// Runs in the page: what a reader sees.
function inspectPage(rawTexSources) {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const images = [...document.querySelectorAll('main img')].map((img) => ({
    src: img.getAttribute('src'),
    ok: img.complete && img.naturalWidth > 0,
  }));
  const main = document.querySelector('main');
  const clone = main ? main.cloneNode(true) : document.body.cloneNode(true);
  for (const el of clone.querySelectorAll('pre, code, .katex-mathml, script, style, annotation')) {
    el.remove();
  }
  const text = clone.textContent || '';
  const rawTex = [];
  for (const { name, source } of rawTexSources) {
    const m = text.match(new RegExp(source));
    if (m) {
      const at = Math.max(0, m.index - 40);
      rawTex.push(`${name}: …${text.slice(at, m.index + 60).replace(/\s+/g, ' ')}…`);
    }
  }
  const katexErrors = [...document.querySelectorAll('.katex-error')].map((e) => e.textContent);
  const formulas = document.querySelectorAll('.katex').length;
  const katexFonts = [...document.fonts]
    .filter((f) => f.family.replace(/["']/g, '') === 'KaTeX_Main')
    .map((f) => f.status);
  return { images, rawTex, katexErrors, formulas, katexFonts, title: document.title };
}

async function checkPage(context, base, file, shotDir) {
  const problems = [];
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (isLocal(req.url())) problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  // Catch requests opened by workers or by the browser for the page, too.
  page.on('websocket', (ws) => {
    if (!isLocal(ws.url())) problems.push(`websocket to another host: ${ws.url()}`);
  });

  await page.goto(`${base}/${file}`, { waitUntil: 'networkidle', timeout: 30000 });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const sources = RAW_TEX.map(({ name, re }) => ({ name, source: re.source }));
  const seen = await page.evaluate(inspectPage, sources);

  for (const img of seen.images) {
    if (!img.ok) problems.push(`image did not load: ${img.src}`);
  }
  for (const raw of seen.rawTex) problems.push(`raw TeX visible: ${raw}`);
  for (const err of seen.katexErrors) problems.push(`KaTeX error: ${err}`);
  if (seen.formulas > 0 && !seen.katexFonts.includes('loaded')) {
    problems.push(`${seen.formulas} formulas but the KaTeX_Main font did not load (fonts: ${seen.katexFonts.join(', ') || 'none declared'})`);
  }

  const shot = path.join(shotDir, file.replace(/\.html$/, '.png'));
  await page.screenshot({ path: shot, fullPage: file !== 'print.html' });
  await page.close();
  return { problems, seen, shot };
}

async function main() {
  const [bookDir, shotDir] = process.argv.slice(2);
  if (!bookDir || !shotDir) {
    console.error('usage: node check.js <built-book-dir> <screenshot-dir>');
    process.exit(2);
  }
  const pages = fs
    .readdirSync(bookDir)
    .filter((f) => f.endsWith('.html') && !SKIP.has(f))
    .sort();
  if (pages.length === 0) throw new Error(`no pages in ${bookDir}; build the book first`);
  fs.rmSync(shotDir, { recursive: true, force: true });
  fs.mkdirSync(shotDir, { recursive: true });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', bookDir], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'book-check-profile-'));
  let context;
  const offHost = [];
  let failed = 0;
  try {
    await waitForServer(`${base}/`, server);
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1100, height: 900 },
      offline: false,
      serviceWorkers: 'block',
    });
    // Every request of every page goes through here: anything not for this machine is
    // recorded and aborted, so the check also proves the book reads offline.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isLocal(url)) return route.continue();
      offHost.push(url);
      return route.abort('blockedbyclient');
    });
    for (const file of pages) {
      const before = offHost.length;
      const { problems, seen, shot } = await checkPage(context, base, file, shotDir);
      for (const url of offHost.slice(before)) problems.push(`request to another host: ${url}`);
      // A blocked request, or one that got an HTTP error, also shows up as a failed request:
      // report each once.
      const httpErrors = new Set(problems.filter((p) => p.startsWith('HTTP ')).map((p) => p.replace(/^HTTP \d+: /, '')));
      const unique = [...new Set(problems)].filter((p) => {
        const m = p.match(/^request failed: (\S+)/);
        return !m || (isLocal(m[1]) && !httpErrors.has(m[1]));
      });
      // What a reader sees first; the HTTP errors behind it last.
      unique.sort((a, b) => Number(a.startsWith('HTTP ')) - Number(b.startsWith('HTTP ')));
      if (unique.length > MAX_LISTED) {
        const more = unique.length - MAX_LISTED;
        unique.splice(MAX_LISTED, more, `… and ${more} more`);
      }
      if (unique.length === 0) {
        console.log(`ok    ${file}  (${seen.images.length} images, ${seen.formulas} formulas)  ${shot}`);
      } else {
        failed++;
        console.log(`FAIL  ${file}  ${shot}`);
        for (const p of unique) console.log(`      - ${p}`);
      }
    }
  } finally {
    if (context) await context.close();
    server.kill();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failed > 0) {
    console.error(`book-check: ${failed} of ${pages.length} pages failed`);
    process.exit(1);
  }
  console.log(`book-check: ${pages.length} pages ok; screenshots in ${shotDir}`);
}

main().catch((err) => {
  console.error(`book-check: ${err.stack || err}`);
  process.exit(1);
});
