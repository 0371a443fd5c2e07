// A real (not demo) first run from an empty data folder against a standalone
// sandbox, as an owner with their own Meta app would do it: every screen of
// the guided Meta app setup (a screenshot each), a wrong secret refused with
// one clear message, the right one showing the app's name, the secret into
// the keychain, Log in with Facebook, choose the Pages (the Business
// Portfolio one and the Instagram accounts included), and the dashboard.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { startOnSandbox, test, assert, screenshot } from './lib.mjs'
import { finishFacebookLogin, loginURL, LOGIN_TIMEOUT } from './facebook.mjs'

const APP_NAME = 'Harbor Street Pagekeeper'

await test('first run: Meta app, login, Pages with the Portfolio one and Instagram, dashboard', async (defer) => {
  const { sb, app, browser, page } = await startOnSandbox(defer, ['--app-name', APP_NAME])
  await page.goto(app.url)

  await page.getByRole('heading', { name: 'Set up your Meta app' }).waitFor({ timeout: 15000 })
  assert((await page.getByTestId('demo-badge').count()) === 0, 'no DEMO badge outside the demo')
  // The links open in the system browser; here the runtime's BrowserOpenURL is
  // recorded instead, so the test sees which page each button opens.
  await page.evaluate(() => {
    window.__opened = []
    window.runtime.BrowserOpenURL = (u) => window.__opened.push(u)
  })
  const opened = () => page.evaluate(() => window.__opened.slice())
  const guide = page.getByTestId('meta-setup')
  const stepIs = async (id) => {
    await page.locator(`[data-testid="meta-setup"][data-step="${id}"]`).waitFor({ timeout: 5000 })
  }
  const next = () => guide.getByRole('button', { name: 'Next', exact: true }).click()
  const openLink = async () => {
    await guide.getByRole('button', { name: /↗$/ }).click()
    return (await opened()).at(-1)
  }

  await stepIs('create')
  assert(/checked on \d+ \w+ \d{4}/.test(await guide.innerText()), 'the guide says when it was checked')
  assert(await openLink() === 'https://developers.facebook.com/apps/creation/', 'the first button opens the app creation')
  await screenshot(page, 'setup-1-create')
  await next()

  await stepIs('app-id')
  const nextButton = guide.getByRole('button', { name: 'Next', exact: true })
  await page.getByLabel('App ID').fill('my-app')
  await guide.getByRole('alert').filter({ hasText: 'digits only' }).waitFor({ timeout: 5000 })
  assert(await nextButton.isDisabled(), 'no Next with a malformed App ID')
  await screenshot(page, 'setup-2-app-id-wrong')
  await page.getByLabel('App ID').fill(sb.info.app_id)
  await page.waitForFunction(() => !document.querySelector('[data-testid="meta-setup"] [aria-invalid="true"]'))
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="meta-setup"] button')].find((b) => b.textContent.trim() === 'Next')?.disabled)
  await screenshot(page, 'setup-2-app-id')
  await next()

  await stepIs('login')
  assert(await openLink() === `https://developers.facebook.com/apps/${sb.info.app_id}/add/`, 'the products link is aimed at this app')
  await screenshot(page, 'setup-3-login')
  await next()

  await stepIs('redirect')
  const redirect = await page.getByTestId('redirect-uri').innerText()
  assert(redirect.startsWith('http://localhost:') && redirect.endsWith('/callback'), `the redirect address is shown: ${redirect}`)
  assert((await openLink()).endsWith(`/apps/${sb.info.app_id}/business-login/settings/`), 'the login settings link is aimed at this app')
  await screenshot(page, 'setup-4-redirect')
  await next()

  await stepIs('roles')
  assert(/development mode/.test(await guide.innerText()), 'the roles step explains development mode')
  assert((await openLink()).endsWith(`/apps/${sb.info.app_id}/roles/roles/`), 'the roles link is aimed at this app')
  await screenshot(page, 'setup-5-roles')
  await next()

  await stepIs('secret')
  const save = guide.getByRole('button', { name: 'Save and continue' })
  assert(await save.isDisabled(), 'nothing to save before a secret')
  await page.getByLabel('App Secret').fill('0123456789abcdef0123456789abcdef')
  await guide.getByRole('alert').first().waitFor({ timeout: 10000 })
  const alerts = await guide.getByRole('alert').allInnerTexts()
  assert(alerts.length === 1, `one message for a wrong secret: ${JSON.stringify(alerts)}`)
  assert(/App Secret/.test(alerts[0]) && (alerts[0].match(/did not accept/g) || []).length === 1, `the message names the secret, once: ${alerts[0]}`)
  assert(await save.isDisabled(), 'a refused secret cannot be saved')
  await screenshot(page, 'setup-6-secret-wrong')
  await page.getByLabel('App Secret').fill(sb.info.app_secret)
  const name = await page.getByTestId('app-name').innerText({ timeout: 10000 })
  assert(name === `Connected to your Meta app “${APP_NAME}”.`, `the app's own name is shown: ${name}`)
  assert((await guide.getByRole('alert').count()) === 0, 'the old message is gone')
  await screenshot(page, 'setup-6-secret')
  await save.click()
  await page.getByRole('heading', { name: 'Connect your Facebook Pages' }).waitFor({ timeout: 10000 })
  await screenshot(page, 'setup-7-before-login')

  // The secret went to the system keychain, and nowhere in the data folder.
  const entries = execFileSync('secret-tool', ['search', '--all', 'service', 'pagekeeper'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  assert(entries.includes(`app-secret:${sb.info.app_id}`), 'the app secret is in the keychain')
  // (Files only: the engine's socket for the command line is there too.)
  for (const f of readdirSync(app.dataDir, { withFileTypes: true }).filter((e) => e.isFile())) {
    assert(!readFileSync(path.join(app.dataDir, f.name)).includes(sb.info.app_secret), `the secret is not in ${f.name}`)
  }

  await page.getByRole('button', { name: 'Log in with Facebook' }).click()
  await finishFacebookLogin(browser, await loginURL(page), 'Dana Whitfield')
  await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
  await screenshot(page, 'setup-8-choose')
  const offered = await page.locator('fieldset.cands').innerText()
  assert(/Harbor Foods Wholesale[\s\S]*through a Business Portfolio/.test(offered), 'the Portfolio-only Page is offered and labelled')
  assert(offered.includes('@harborstreetbakery') && offered.includes('@littleharborcafe'), 'the Instagram accounts are shown')
  const n = await page.getByTestId('candidate').count()
  await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
  await page.getByTestId('apply-result').waitFor({ timeout: 30000 })
  await screenshot(page, 'setup-9-done')
  await page.getByRole('button', { name: 'Open the dashboard' }).click()
  await page.getByTestId('page-row').first().waitFor({ timeout: 15000 })
  assert((await page.getByTestId('page-row').count()) === n, `all ${n} Pages listed`)
  await screenshot(page, 'setup-10-dashboard')
  const list = await page.locator('main').innerText()
  assert(list.includes('Harbor Foods Wholesale') && list.includes('harborstreetbakery'), 'the list shows the Portfolio Page and Instagram')
})
