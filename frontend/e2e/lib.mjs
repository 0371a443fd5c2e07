// Shared plumbing for the browser tests: Debian's Chromium through playwright-core,
// and the dev build of Pagekeeper serving the real Go bindings over HTTP.
import { chromium } from 'playwright-core'
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import net from 'node:net'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const shotsDir = path.join(root, 'build', 'screenshots')

export async function launchBrowser() {
  // launch() gives every run a fresh, throwaway profile of its own.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  // On a loaded 2-core machine a window step can take longer than Playwright's
  // 30 s default; waiting longer costs nothing when the step passes.
  const newPage = browser.newPage.bind(browser)
  browser.newPage = async (opts) => {
    const page = await newPage(opts)
    page.setDefaultTimeout(STEP_TIMEOUT)
    return page
  }
  return browser
}

export const STEP_TIMEOUT = 60000

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)) })
  })
}

async function waitForHTTP(url, proc, ms = 30000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`app exited with ${proc.exitCode} before serving ${url}`)
    try { if ((await fetch(url)).ok) return } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 150))
  }
  throw new Error(`app did not serve ${url} within ${ms} ms`)
}

// startApp runs build/bin/pagekeeper-dev, whose window needs $DISPLAY, and
// returns the URL a browser can load to drive it with the real Go bindings.
export async function startApp({ args = [], env = {}, dataDir } = {}) {
  const port = await freePort()
  const data = dataDir || mkdtempSync(path.join(tmpdir(), 'pk-data-'))
  const proc = spawn(path.join(root, 'build/bin/pagekeeper-dev'),
    ['-devserver', `127.0.0.1:${port}`, '-assetdir', path.join(root, 'frontend/dist'), ...args],
    { env: { ...process.env, PAGEKEEPER_DATA_DIR: data, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  proc.stdout.on('data', (d) => { output += d })
  proc.stderr.on('data', (d) => { output += d })
  const url = `http://127.0.0.1:${port}/`
  try {
    await waitForHTTP(url, proc)
  } catch (e) {
    try { process.kill(-proc.pid, 'SIGKILL') } catch { /* gone */ }
    throw new Error(`${e.message}\n--- app output ---\n${output}`)
  }
  const exited = new Promise((r) => proc.once('exit', r))
  return {
    url, dataDir: data, output: () => output,
    // kill9 ends the app as a crash would: nothing of it runs its clean-up.
    async kill9() {
      try { process.kill(-proc.pid, 'SIGKILL') } catch { return }
      await exited
    },
    async stop() {
      try { process.kill(-proc.pid, 'SIGTERM') } catch { return }
      await new Promise((r) => { const t = setTimeout(() => { try { process.kill(-proc.pid, 'SIGKILL') } catch { /* gone */ } r() }, 3000); proc.once('exit', () => { clearTimeout(t); r() }) })
      if (!dataDir) rmSync(data, { recursive: true, force: true })
    },
  }
}

// startSandbox serves the Facebook sandbox standalone (`pagekeeper sandbox`)
// and returns what it prints: {url, app_id, app_secret, ...}. fault switches
// a scenario or fault on (POST) or off (DELETE) over its admin endpoint.
export async function startSandbox(args = []) {
  const proc = spawn(path.join(root, 'build/bin/pagekeeper-dev'), ['sandbox', '--addr', '127.0.0.1:0', '--json', ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const first = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout })
    rl.once('line', resolve)
    proc.once('exit', (code) => reject(new Error(`pagekeeper sandbox exited with ${code}`)))
  })
  const info = JSON.parse(first)
  return {
    info,
    stop: () => proc.kill(),
    async fault(method, scenario) {
      const res = await fetch(`${info.url}/__sandbox/scenarios`, { method, body: scenario ? JSON.stringify(scenario) : undefined })
      if (!res.ok) throw new Error(`sandbox ${method} ${JSON.stringify(scenario)}: HTTP ${res.status} ${await res.text()}`)
    },
  }
}

// startNotifications runs a recording desktop notification service on the
// session bus (backend/notify/notifytest/cmd/notify-recorder), as a desktop
// has one. seen gets every call it records ({event: 'notify' | 'close', id,
// summary, body, ...}) and shown only the notifications. The first start
// compiles the recorder, hence the long wait.
export async function startNotifications(within = 180000) {
  const proc = spawn('go', ['run', './backend/notify/notifytest/cmd/notify-recorder'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] })
  const seen = []
  const shown = []
  const rl = createInterface({ input: proc.stdout })
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`notify-recorder did not start within ${within} ms`)), within)
    rl.on('line', (l) => {
      const v = JSON.parse(l)
      if (v.event === 'ready') { clearTimeout(t); return resolve() }
      seen.push(v)
      if (v.event === 'notify') shown.push(v)
    })
    proc.once('exit', (code) => { clearTimeout(t); reject(new Error(`notify-recorder exited with ${code}`)) })
  })
  const exited = new Promise((r) => proc.once('exit', r))
  return { seen, shown, stop: async () => { proc.stdin.end(); await exited } }
}

// startOnSandbox starts a standalone sandbox (with sandboxArgs), the app on
// it, Chromium and a page of the window's size; defer stops them all.
export async function startOnSandbox(defer, sandboxArgs = []) {
  const sb = await startSandbox(sandboxArgs)
  defer(sb.stop)
  const app = await startApp({ env: { PAGEKEEPER_GRAPH_URL: sb.info.url, PAGEKEEPER_FACEBOOK_URL: sb.info.url, NO_AT_BRIDGE: '1' } })
  defer(app.stop)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1180, height: 780 } })
  return { sb, app, browser, page }
}

export async function screenshot(page, name) {
  mkdirSync(shotsDir, { recursive: true })
  const file = path.join(shotsDir, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}

// test runs one named scenario and turns any failure into a non-zero exit.
// fn gets a `defer` to register clean-ups, run last-in first-out even on failure,
// so a failed test never leaves an app or a browser running.
export async function test(name, fn) {
  const started = Date.now()
  const cleanups = []
  try {
    await fn((c) => cleanups.push(c))
    console.log(`ok   ${name} (${Date.now() - started} ms)`)
  } catch (e) {
    console.error(`FAIL ${name}\n${e.stack || e}`)
    process.exitCode = 1
  } finally {
    for (const c of cleanups.reverse()) {
      try { await c() } catch (e) { console.error(`cleanup: ${e}`) }
    }
  }
}

// step names the part of a test that failed in its error.
export async function step(name, fn) {
  try {
    return await fn()
  } catch (e) {
    e.message = `step "${name}": ${e.message}`
    throw e
  }
}

// eventually polls fn until it returns something truthy, and returns that;
// after ms it fails naming what it waited for.
export async function eventually(what, fn, ms = 30000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 150))
  }
}

export function assert(cond, msg) { if (!cond) throw new Error(`assertion failed: ${msg}`) }
