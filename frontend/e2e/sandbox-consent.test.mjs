// The sandbox's Login dialog in a real browser: build `pagekeeper`, run
// `pagekeeper sandbox`, open a dialog URL made from the app id it prints,
// click through persona, Pages and permissions like a person, and check the
// redirect carries a code and the same state, that the code exchanges into
// a token whose grant matches the clicks, and that Cancel says user_denied.
// Run from the repo root: node frontend/e2e/sandbox-consent.test.mjs
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { launchBrowser, screenshot, test, assert, root } from './lib.mjs'

const REDIRECT = 'http://localhost:8976/callback'
const DANA = '122098765432101'
const CLASSES = '104518538110005' // a Page to untick

// One build of the real binary serves both tests.
const binDir = mkdtempSync(path.join(tmpdir(), 'pk-sandbox-e2e-'))
process.on('exit', () => rmSync(binDir, { recursive: true, force: true }))
const bin = path.join(binDir, 'pagekeeper')
execFileSync('go', ['build', '-o', bin, '.'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })

async function startSandbox(defer) {
  const proc = spawn(bin, ['sandbox', '--addr', '127.0.0.1:0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] })
  defer(() => new Promise((r) => {
    if (proc.exitCode !== null) return r()
    proc.once('exit', r)
    proc.kill('SIGTERM')
  }))
  const line = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('sandbox printed nothing within 15 s')), 15000)
    readline.createInterface({ input: proc.stdout }).once('line', (l) => { clearTimeout(t); resolve(l) })
    proc.once('exit', (c) => reject(new Error(`sandbox exited with ${c}`)))
  })
  return JSON.parse(line)
}

function dialogURL(info, state, extra = {}) {
  const q = new URLSearchParams({ client_id: info.app_id, redirect_uri: REDIRECT, state, response_type: 'code',
    scope: 'pages_show_list,pages_manage_metadata,instagram_basic', ...extra })
  return `${info.dialog_url}?${q}`
}

// catchRedirect answers the loopback redirect inside the browser (nothing
// listens on it) and resolves with the URL the dialog sent the browser to.
function catchRedirect(page) {
  return new Promise((resolve) => {
    page.route(`${REDIRECT}**`, (route) => {
      resolve(new URL(route.request().url()))
      route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Pagekeeper got the redirect.</p>' })
    })
  })
}

async function graph(info, p, params) {
  const r = await fetch(`${info.graph_url}${p}?${new URLSearchParams(params)}`)
  const body = await r.json()
  if (!r.ok) throw new Error(`${p}: ${r.status} ${JSON.stringify(body)}`)
  return body
}

await test('the sandbox consent flow in Chromium ends in a redirect with code and state', async (defer) => {
  const info = await startSandbox(defer)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage()

  const state = 'st=1&x y/é'
  const redirected = catchRedirect(page)
  await page.goto(dialogURL(info, state))
  assert((await page.title()) === 'Log in with Facebook', 'dialog title')
  assert(await page.locator('header .logo').textContent() === 'facebook', 'blue header')
  await screenshot(page, 'sandbox-dialog-login')
  await page.getByRole('button', { name: 'Continue as Dana Whitfield' }).click()

  // Pages: all preselected on a first login; untick one.
  await page.getByText('What Pages do you want').waitFor()
  const boxes = page.locator('input[name=page]')
  assert(await boxes.count() === 7, 'Dana is offered her 7 Pages, Portfolio one included')
  assert(await page.locator(`#page-${CLASSES}`).isChecked(), 'preselected on first login')
  await page.locator(`#page-${CLASSES}`).uncheck()
  await screenshot(page, 'sandbox-dialog-pages')
  await page.locator('#continue').click()

  // Permissions: each can be unticked.
  await page.getByText('allowed to do?').waitFor()
  await page.locator('#perm-instagram_basic').uncheck()
  await screenshot(page, 'sandbox-dialog-permissions')
  await page.locator('#continue').click()

  const to = await redirected
  assert(`${to.origin}${to.pathname}` === REDIRECT, `redirected to the redirect_uri, got ${to}`)
  assert(to.searchParams.get('code'), 'the redirect has a code')
  assert(to.searchParams.get('state') === state, `state echoed exactly, got ${to.searchParams.get('state')}`)

  // The code works once and the grant is what was clicked.
  const tok = await graph(info, 'oauth/access_token', { client_id: info.app_id, client_secret: info.app_secret, redirect_uri: REDIRECT, code: to.searchParams.get('code') })
  assert(tok.token_type === 'bearer' && tok.expires_in === 3600, `token response ${JSON.stringify(tok)}`)
  const me = await graph(info, 'me', { access_token: tok.access_token })
  assert(me.id === DANA && me.name === 'Dana Whitfield', `me ${JSON.stringify(me)}`)
  const accounts = await graph(info, 'me/accounts', { access_token: tok.access_token, fields: 'id' })
  assert(accounts.data.length === 5 && !accounts.data.some((p) => p.id === CLASSES), `unticked Page left out: ${JSON.stringify(accounts)}`)
  const perms = await graph(info, 'me/permissions', { access_token: tok.access_token })
  assert(perms.data.some((p) => p.permission === 'instagram_basic' && p.status === 'declined'), `instagram_basic declined: ${JSON.stringify(perms)}`)
  const again = await fetch(`${info.graph_url}oauth/access_token?${new URLSearchParams({ client_id: info.app_id, client_secret: info.app_secret, redirect_uri: REDIRECT, code: to.searchParams.get('code') })}`)
  assert(again.status === 400, 'the code is single use')

  // A second login reuses the grant: one "Continue" screen.
  const page2 = await browser.newPage()
  const redirected2 = catchRedirect(page2)
  await page2.goto(dialogURL(info, 'second'))
  await page2.getByRole('button', { name: 'Continue as Dana Whitfield' }).click()
  await page2.getByText('You previously logged in').waitFor()
  await page2.locator('#continue').click()
  const to2 = await redirected2
  assert(to2.searchParams.get('code') && to2.searchParams.get('state') === 'second', `re-login redirect ${to2}`)
})

await test('Cancel in Chromium redirects with user_denied', async (defer) => {
  const info = await startSandbox(defer)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage()
  const redirected = catchRedirect(page)
  await page.goto(dialogURL(info, 'cancel-me'))
  await page.getByRole('button', { name: 'Continue as Sam Ortiz' }).click()
  await page.locator('#cancel').click()
  const to = await redirected
  const q = to.searchParams
  assert(q.get('error') === 'access_denied' && q.get('error_reason') === 'user_denied' && q.get('error_description') === 'Permissions error.',
    `cancel redirect ${to}`)
  assert(q.get('state') === 'cancel-me' && !q.get('code'), 'state kept, no code')
})
