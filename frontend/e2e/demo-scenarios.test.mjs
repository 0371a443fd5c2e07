// Every scenario of the demo's Simulate panel, in Chromium on the dev build:
// each changes what the dashboard shows within the one check Simulate runs,
// and Reset (with the banner's Reconnect for the scenarios that kill
// tokens, as on Facebook) brings the dashboard back as it was.
import { launchBrowser, startApp, screenshot, test, assert } from './lib.mjs'
import { finishFacebookLogin, loginURL, LOGIN_TIMEOUT } from './facebook.mjs'

const TIMEOUT = 30000
const person = 'Dana Whitfield'

// dashboard is what the owner sees of each Page and of the last check,
// without the times (which move on their own).
function dashboard() {
  const rows = [...document.querySelectorAll('[data-testid="page-row"]')].map((r) =>
    [r.dataset.pageId, r.className, r.querySelector('.sub')?.textContent, r.querySelector('.why')?.textContent].join(' | '))
  rows.sort()
  const extra = [...document.querySelectorAll('.check-error, [data-testid="reauth-banner"]')].map((e) => e.textContent)
  return rows.concat(extra).join('\n')
}

await test('demo: every Simulate scenario changes the dashboard, and Reset restores it', async (defer) => {
  const app = await startApp({ env: { PAGEKEEPER_DEMO: '1', NO_AT_BRIDGE: '1' } })
  defer(app.stop)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  defer(async () => { if (process.exitCode) { await screenshot(page, 'demo-scenarios-failure'); console.error(app.output().split('\n').filter((l) => !l.includes('AssetHandler')).slice(-40).join('\n')) } })
  await page.addInitScript(`window.__dashboard = ${dashboard.toString()}`)
  await page.goto(app.url)

  await page.getByRole('button', { name: 'Log in with Facebook' }).click({ timeout: 15000 })
  await finishFacebookLogin(browser, await loginURL(page), person)
  await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
  await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
  await page.getByTestId('apply-result').waitFor({ timeout: TIMEOUT })
  await page.getByRole('button', { name: 'Open the dashboard' }).click()
  await page.getByTestId('page-row').first().waitFor({ timeout: 15000 })
  const base = await page.evaluate(dashboard)

  await page.getByRole('button', { name: 'Simulate', exact: true }).click()
  await page.locator('[data-kind]').first().waitFor({ timeout: 10000 })
  const kinds = await page.locator('[data-kind]').evaluateAll((els) => els.map((e) => e.dataset.kind))
  assert(kinds.length >= 10, `the panel offers the demo's scenarios: ${kinds}`)

  for (const kind of kinds) {
    try {
      const sc = page.locator(`[data-kind="${kind}"]`)
      const select = sc.locator('select')
      if (await select.count()) {
        const options = await select.locator('option').allInnerTexts()
        await select.selectOption({ label: options.includes(person) ? person : 'Harbor Street Bakery' })
      }
      await sc.getByRole('button', { name: /^Simulate / }).click()
      await page.waitForFunction((b) => window.__dashboard() !== b, base, { timeout: TIMEOUT }).catch(async () => {
        throw new Error(`nothing changed on the dashboard:\n${await page.evaluate(dashboard)}`)
      })
      await screenshot(page, `demo-${kind}`)
      await page.getByRole('button', { name: 'Reset all simulations' }).click()
      const back = await page.waitForFunction((b) => window.__dashboard() === b, base, { timeout: 8000 }).then(() => true, () => false)
      if (!back) {
        // Tokens that died stay dead after Reset: the banner repairs them.
        const reconnect = page.getByTestId('reauth-banner').getByRole('button', { name: /^Reconnect .* Pages$/ }).first()
        assert(await reconnect.count(), `not restored by Reset and no Reconnect offered:\n${await page.evaluate(dashboard)}`)
        await reconnect.click()
        await finishFacebookLogin(browser, await loginURL(page), person)
        await page.getByTestId('reauth-done').waitFor({ timeout: TIMEOUT })
        await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
        await page.waitForFunction((b) => window.__dashboard() === b, base, { timeout: TIMEOUT }).catch(async () => {
          throw new Error(`not restored after Reconnect:\n${await page.evaluate(dashboard)}\nwant\n${base}`)
        })
      }
    } catch (e) {
      e.message = `scenario ${kind}: ${e.message}`
      throw e
    }
  }
})
