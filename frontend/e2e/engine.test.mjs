// The command line beside the window (issue 15): every command goes through
// the running app with the same output as without it, the window follows a
// command-line check at once, another user is refused, and after a kill -9
// of the app the commands work at once.
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { launchBrowser, startApp, startSandbox, startNotifications, freePort, screenshot, test, assert, eventually, root } from './lib.mjs'
import { finishFacebookLogin, LOGIN_TIMEOUT } from './facebook.mjs'

const bin = path.join(root, 'build/bin/pagekeeper-dev')
const DANA = '122098765432101'
const BAKERY = '104518538110001'
const CAFE = '104518538110003'

// pk runs a command to its end; opts.asNobody runs it as uid 65534.
function pk(env, args, { input = '', asNobody = false } = {}) {
  const [cmd, argv] = asNobody
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', bin, ...args]]
    : [bin, args]
  const proc = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stdout.on('data', (d) => { stdout += d })
  proc.stderr.on('data', (d) => { stderr += d })
  proc.stdin.end(input)
  return new Promise((resolve) => proc.once('close', (code) => resolve({ code, stdout, stderr })))
}

// pkLogin runs connect/reconnect --no-browser: its first line is the login URL.
function pkLogin(env, args) {
  const proc = spawn(bin, [...args, '--no-browser'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  proc.stderr.on('data', (d) => { stderr += d })
  const rl = createInterface({ input: proc.stdout })
  const url = new Promise((resolve, reject) => {
    rl.once('line', resolve)
    proc.once('close', () => reject(new Error(`${args[0]} ended before printing a URL: ${stderr}`)))
  })
  rl.on('line', (l) => { stdout += l + '\n' })
  const done = new Promise((resolve) => proc.once('close', (code) => resolve({ code, stdout, stderr })))
  return { url, done }
}

// same: times and the "checked ... ago" of two runs a few seconds apart.
const same = (s) => s.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'TIME').replace(/\d+ min ago|just now/g, 'AGO')

// version asks the engine's socket directly, as a script would (curl --unix-socket).
function version(socketPath) {
  return new Promise((resolve, reject) => {
    http.get({ socketPath, path: '/v1/version' }, (res) => {
      let body = ''
      res.on('data', (d) => { body += d })
      res.on('end', () => resolve({ status: res.statusCode, body }))
    }).on('error', reject)
  })
}

await test('commands beside the window: same output, the window follows, another user refused, kill -9', async (defer) => {
  const notes = await startNotifications()
  defer(notes.stop)
  const sb = await startSandbox()
  defer(sb.stop)
  const data = mkdtempSync(path.join(tmpdir(), 'pk-engine-'))
  defer(() => rmSync(data, { recursive: true, force: true }))
  const env = { PAGEKEEPER_DATA_DIR: data, PAGEKEEPER_GRAPH_URL: sb.info.url, PAGEKEEPER_FACEBOOK_URL: sb.info.url, NO_AT_BRIDGE: '1' }
  const socket = path.join(data, 'engine.sock')

  let r = await pk(env, ['setup', '--app-id', sb.info.app_id], { input: sb.info.app_secret + '\n' })
  assert(r.code === 0, `setup without the window: ${r.code} ${r.stderr}`)

  const app = await startApp({ dataDir: data, env })
  defer(app.stop)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1180, height: 780 } })
  await page.goto(app.url)
  await page.getByRole('heading', { name: 'Connect your Facebook Pages' }).waitFor({ timeout: 15000 })
  // A login port of its own, so this test never collides with another.
  const port = await freePort()
  await page.evaluate(async (port) => {
    const s = await window.go.app.App.GetSettings()
    await window.go.app.App.SaveSettings({ ...s, redirectPort: port })
  }, port)
  const v = await version(socket)
  assert(v.status === 200 && JSON.parse(v.body).api === 1, `the window serves /v1 on its socket: ${v.status} ${v.body}`)

  // connect through the window: the command chooses, the window shows the Pages.
  const login = pkLogin(env, ['connect', '--pages', `${BAKERY},${CAFE}`])
  await finishFacebookLogin(browser, await login.url, 'Dana Whitfield')
  r = await login.done
  assert(r.code === 0 && r.stdout.includes('Logged in as Dana Whitfield.') && r.stdout.includes('Connected (2)'), `connect beside the window: ${r.code}\n${r.stdout}\n${r.stderr}`)
  assert(await page.getByRole('heading', { name: 'Choose the Pages to watch' }).count() === 0 &&
    await page.getByRole('heading', { name: 'Connect your Facebook Pages' }).count() === 1, 'the window does not offer the choice the command made')
  await page.getByRole('button', { name: /^Pages/ }).click()
  await page.getByTestId('page-row').nth(1).waitFor({ timeout: LOGIN_TIMEOUT })
  assert(await page.getByTestId('page-row').count() === 2, 'the window lists the two Pages the command connected')

  // check from the command line: it runs in the app, and the window shows it at once.
  await sb.fault('POST', { kind: 'password_changed', persona: DANA })
  r = await pk(env, ['check'])
  assert(r.code === 2 && r.stdout.includes('2 Broken') && !r.stderr.includes('waiting'), `check beside the window: ${r.code}\n${r.stdout}\n${r.stderr}`)
  await page.locator('[data-testid=page-row].invalid').nth(1).waitFor({ timeout: 5000 })
  await page.getByLabel('2 broken').waitFor({ timeout: 5000 })
  // The notification travels through the recording daemon's output, and may
  // come a moment after the window (which hears of the check as small changes).
  await eventually('a notification', async () => notes.shown.length > 0, 10000).catch(() => {})
  assert(notes.shown.length === 1 && notes.shown[0].body.includes('Harbor Street Bakery'), `the app told the desktop once: ${JSON.stringify(notes.shown)}`)
  await screenshot(page, 'engine-after-cli-check')

  // disconnect from the command line: the window shows it too.
  r = await pk(env, ['disconnect', CAFE])
  assert(r.code === 0 && r.stdout.includes('is disconnected'), `disconnect beside the window: ${r.code} ${r.stderr}`)
  await page.locator(`[data-page-id="${CAFE}"].disconnected`).waitFor({ timeout: 5000 })

  // token beside the window: the window logs the read, the token itself
  // comes from the keychain, never through the socket.
  const tokBeside = await pk(env, ['token', BAKERY])
  assert(tokBeside.code === 0 && /^EAA\S+\n$/.test(tokBeside.stdout), `token beside the window: ${tokBeside.code} ${tokBeside.stderr} (${tokBeside.stdout.length} bytes: ${tokBeside.stdout.slice(0, 5)}...)`)

  // hooks set from the command line: the window's Settings lists it at once.
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('heading', { name: 'Deliver tokens to your systems' }).waitFor({ timeout: 10000 })
  r = await pk(env, ['hooks', 'set', '--page', BAKERY, '--command', 'cat >/dev/null; echo set-beside'])
  assert(r.code === 0 && r.stdout.includes('is set'), `hooks set beside the window: ${r.code} ${r.stderr}`)
  await page.getByTestId('hook').filter({ hasText: 'set-beside' }).waitFor({ timeout: 5000 })

  const commands = [['status'], ['status', '--json'], ['check', '--json'], ['log', BAKERY], ['log', BAKERY, '--json'], ['log', '999'],
    ['export'], ['export', '--format', 'json'], ['disconnect', '999'], ['hooks', 'list'], ['token', CAFE],
    ['ask-admin', BAKERY], ['open-facebook', BAKERY, '--print'], ['resubscribe', '999']]
  const beside = []
  for (const c of commands) beside.push(await pk(env, c))

  // Another user: kept out by the folder's and the socket's modes; and with
  // those opened up, refused by the engine itself and by its own client.
  // (Playing another user takes root, as the test sessions run.)
  if (process.getuid() === 0) {
    r = await pk(env, ['status'], { asNobody: true })
    assert(r.code === 3 && r.stderr.includes('permission denied') && r.stdout === '', `nobody, private socket: ${r.code} ${r.stderr}`)
    chmodSync(data, 0o755)
    chmodSync(socket, 0o666)
    r = await pk(env, ['status'], { asNobody: true })
    assert(r.code === 3 && r.stderr.includes('runs as another user') && r.stdout === '', `nobody's pagekeeper: ${r.code} ${r.stderr}`)
    const curl = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'curl', '-s', '--unix-socket', socket, 'http://pagekeeper/v1/snapshot'])
    let body = ''
    curl.stdout.on('data', (d) => { body += d })
    await new Promise((resolve) => curl.once('close', resolve))
    assert(body.includes('belongs to another user') && !body.includes('Harbor'), `nobody's curl is refused: ${body}`)
    chmodSync(socket, 0o600)
    chmodSync(data, 0o700)
  } else {
    console.log('note: the other-user part needs root; run as root to include it')
  }

  // kill -9: the socket stays behind, and the commands work at once, alone.
  await app.kill9()
  assert(existsSync(socket), 'a killed app leaves its socket')
  for (const [i, c] of commands.entries()) {
    const a = await pk(env, c)
    assert(!a.stderr.includes('waiting'), `${c.join(' ')} after kill -9 waits: ${a.stderr}`)
    const b = beside[i]
    assert(a.code === b.code && same(a.stdout) === same(b.stdout) && same(a.stderr) === same(b.stderr),
      `${c.join(' ')}: the same beside the window and alone\nbeside ${b.code}\n${b.stdout}\n${b.stderr}\nalone ${a.code}\n${a.stdout}\n${a.stderr}`)
  }
  assert(beside[0].code === 0 && beside[0].stdout.includes('1 Disconnected'), `status: ${beside[0].code} ${beside[0].stdout}`)
  assert(beside[3].stdout.includes('token_read'), `the window logged the token read: ${beside[3].stdout}`)
  const tokAlone = await pk(env, ['token', BAKERY])
  assert(tokAlone.code === 0 && tokAlone.stdout === tokBeside.stdout, 'token: the same token alone')

  // The next app replaces the stale socket.
  const again = await startApp({ dataDir: data, env })
  defer(again.stop)
  const v2 = await version(socket)
  assert(v2.status === 200, `the next app serves again: ${v2.status}`)
  r = await pk(env, ['status'])
  assert(r.code === beside[0].code && same(r.stdout) === same(beside[0].stdout), `status through the next app: ${r.code}\n${r.stdout}\n${r.stderr}`)
})
