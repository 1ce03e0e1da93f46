// Open every page of the built book in headless Chromium, the way a reader would, and fail on
// what a reader would stumble on:
//   - an image that does not load (naturalWidth 0);
//   - raw TeX left in the rendered text outside code blocks ($$, \frac, …), or a KaTeX error;
//   - a page with formulas whose KaTeX fonts did not load (the bundled CSS or fonts are broken);
//   - any request to a host other than 127.0.0.1 / localhost (it is blocked and reported);
//   - a local request that fails or answers with an HTTP error;
//   - anything a reader would have to scroll sideways to read, or that is cut off at the right:
//     a display formula (.katex-display), a table, an output or code block (pre) or an image
//     that is wider than the room it has, at a desktop window (1280 px) and at a phone's width
//     (420 px). See `inspectOverflow` for what is measured.
// One full-page screenshot per page and width goes into the screenshot directory for a person
// to look at (NAME-1280.png, NAME-420.png; the folded worked answers opened, so their
// mathematics can be seen too).
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

// The window widths a reader uses: a desktop window (mdBook shows its sidebar from 1080 px on)
// and a phone held upright.
const WIDTHS = [1280, 420];

// Overflow below this many CSS pixels is rounding (sub-pixel layout, KaTeX's struts), not
// anything a reader misses.
const SLACK_PX = 1;

// Problems listed per page before the rest are summarised.
const MAX_LISTED = 40;

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

// Runs in the page: everything of the kinds a reader must see whole, and by how many pixels
// each would need a horizontal scrollbar or is cut off. An element is too wide when
//   - it, or a descendant that scrolls or clips sideways (overflow-x not `visible`: mdBook's
//     `pre > code`), has more content than width
//     (scrollWidth > clientWidth): the reader gets a scrollbar;
//   - a scrolling or clipping ancestor (mdBook's .table-wrapper) is narrower than it: same;
//   - its right edge lies past the content column (<main>) or the window: it runs into the
//     margin or is clipped by the page (mdBook's body has overflow-x: clip, so the page never
//     scrolls sideways; what sticks out is simply lost).
// Folded answers are opened first, so what they hold is measured too.
function inspectOverflow(slack) {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const main = document.querySelector('main');
  if (!main) return [];
  const column = main.getBoundingClientRect();
  const viewport = document.documentElement.clientWidth;
  const kinds = [
    { sel: '.katex-display', kind: 'display formula' },
    { sel: 'table', kind: 'table' },
    { sel: 'pre', kind: 'code/output block' },
    { sel: 'img', kind: 'image' },
  ];
  const clips = (el) => getComputedStyle(el).overflowX !== 'visible';
  const describe = (el) => {
    let text = (el.tagName === 'IMG' ? el.getAttribute('src') : el.textContent) || '';
    const ann = el.querySelector && el.querySelector('annotation');
    if (ann) text = ann.textContent; // a formula is named by its TeX
    text = text.replace(/\s+/g, ' ').trim();
    return text.length > 70 ? `${text.slice(0, 70)}…` : text;
  };
  const found = [];
  for (const { sel, kind } of kinds) {
    for (const el of main.querySelectorAll(sel)) {
      if (el.closest('.katex-display') && el.closest('.katex-display') !== el) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) continue; // not displayed
      const why = [];
      // Content wider than the element itself (or a scrolling part of it).
      for (const part of [el, ...el.querySelectorAll('*')]) {
        // KaTeX's own clipping boxes are not the reader's: the hidden MathML copy for screen
        // readers is a 1 px clipped box on purpose, and stretchy accents clip their long SVGs.
        if (part !== el && (!clips(part) || part.closest('.katex'))) continue;
        const over = part.scrollWidth - part.clientWidth;
        if (part.clientWidth > 0 && over > slack) {
          why.push(`${over} px more than its ${part.clientWidth} px${part === el ? '' : ` (<${part.tagName.toLowerCase()}>)`} scroll sideways`);
          break;
        }
      }
      // Wider than a scrolling or clipping ancestor inside the column.
      for (let up = el.parentElement; up && up !== main; up = up.parentElement) {
        if (!clips(up)) continue;
        const box = up.getBoundingClientRect();
        const over = Math.round(rect.right - (box.left + up.clientWidth));
        if (over > slack) why.push(`${over} px past its scrolling <${up.tagName.toLowerCase()}${up.className ? '.' + String(up.className).split(' ')[0] : ''}>`);
      }
      const pastColumn = Math.round(rect.right - column.right);
      if (pastColumn > slack) why.push(`right edge ${pastColumn} px past the text column`);
      const pastWindow = Math.round(rect.right - viewport);
      if (pastWindow > slack) why.push(`right edge ${pastWindow} px past the window (cut off)`);
      if (why.length) found.push(`${kind} "${describe(el)}": ${why.join('; ')}`);
    }
  }
  return found;
}

async function checkPage(context, base, file, shotDir, width) {
  const problems = [];
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
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

  for (const o of await page.evaluate(inspectOverflow, SLACK_PX)) problems.push(`too wide at ${width} px: ${o}`);

  const shot = path.join(shotDir, file.replace(/\.html$/, `-${width}.png`));
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
      viewport: { width: WIDTHS[0], height: 900 },
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
      const problems = [];
      const shots = [];
      let seen;
      for (const width of WIDTHS) {
        const one = await checkPage(context, base, file, shotDir, width);
        problems.push(...one.problems);
        shots.push(one.shot);
        seen = one.seen;
      }
      const shot = shots.join(' ');
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
    console.error(`book-check: ${failed} of ${pages.length} pages failed (at ${WIDTHS.join(' px and ')} px)`);
    process.exit(1);
  }
  console.log(`book-check: ${pages.length} pages ok at ${WIDTHS.join(' px and ')} px; screenshots in ${shotDir}`);
}

main().catch((err) => {
  console.error(`book-check: ${err.stack || err}`);
  process.exit(1);
});
