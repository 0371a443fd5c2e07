// A real (not demo) first run against a standalone sandbox, as an owner with
// their own Meta app would do it: App ID and secret into the keychain, Log in
// with Facebook, choose the Pages (the Business Portfolio one and the
// Instagram accounts included), and the dashboard lists them.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { launchBrowser, startApp, startSandbox, test, assert } from './lib.mjs'
import { finishFacebookLogin, loginURL, LOGIN_TIMEOUT } from './facebook.mjs'

await test('first run: Meta app, login, Pages with the Portfolio one and Instagram, dashboard', async (defer) => {
  const sb = await startSandbox()
  defer(sb.stop)
  const app = await startApp({ env: { PAGEKEEPER_GRAPH_URL: sb.info.url, PAGEKEEPER_FACEBOOK_URL: sb.info.url, NO_AT_BRIDGE: '1' } })
  defer(app.stop)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1180, height: 780 } })
  await page.goto(app.url)

  await page.getByRole('heading', { name: 'Set up your Meta app' }).waitFor({ timeout: 15000 })
  assert((await page.getByTestId('demo-badge').count()) === 0, 'no DEMO badge outside the demo')
  assert((await page.getByTestId('redirect-uri').innerText()).startsWith('http://localhost:'), 'the redirect URI to register is shown')
  await page.getByLabel('App ID').fill(sb.info.app_id)
  await page.getByLabel('App Secret').fill('not-the-secret-0000000000000000')
  await page.getByRole('button', { name: 'Check and save' }).click()
  await page.getByRole('alert').filter({ hasText: 'did not accept' }).waitFor({ timeout: 10000 })
  await page.getByLabel('App Secret').fill(sb.info.app_secret)
  await page.getByRole('button', { name: 'Check and save' }).click()
  await page.getByRole('heading', { name: 'Connect your Facebook Pages' }).waitFor({ timeout: 10000 })

  // The secret went to the system keychain, and nowhere in the data folder.
  const entries = execFileSync('secret-tool', ['search', '--all', 'service', 'pagekeeper'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  assert(entries.includes(`app-secret:${sb.info.app_id}`), 'the app secret is in the keychain')
  for (const f of readdirSync(app.dataDir)) {
    assert(!readFileSync(path.join(app.dataDir, f)).includes(sb.info.app_secret), `the secret is not in ${f}`)
  }

  await page.getByRole('button', { name: 'Log in with Facebook' }).click()
  await finishFacebookLogin(browser, await loginURL(page), 'Dana Whitfield')
  await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
  const offered = await page.locator('fieldset.cands').innerText()
  assert(/Harbor Foods Wholesale[\s\S]*through a Business Portfolio/.test(offered), 'the Portfolio-only Page is offered and labelled')
  assert(offered.includes('@harborstreetbakery') && offered.includes('@littleharborcafe'), 'the Instagram accounts are shown')
  const n = await page.getByTestId('candidate').count()
  await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
  await page.getByTestId('apply-result').waitFor({ timeout: 30000 })
  await page.getByRole('button', { name: 'Open the dashboard' }).click()
  await page.getByTestId('page-row').first().waitFor({ timeout: 15000 })
  assert((await page.getByTestId('page-row').count()) === n, `all ${n} Pages listed`)
  const list = await page.locator('main').innerText()
  assert(list.includes('Harbor Foods Wholesale') && list.includes('harborstreetbakery'), 'the list shows the Portfolio Page and Instagram')
})
