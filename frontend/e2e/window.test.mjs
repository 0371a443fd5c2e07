// The window at its minimum size (860 × 560, main.go), in the demo: Page
// names that share a beginning are shown whole (never cut to the same
// prefix), messages never cover the banner or the list, the reconnect dialog
// keeps the keyboard inside and closes on Escape, and Quit is there.
import { launchBrowser, startApp, screenshot, test, assert } from './lib.mjs'
import { finishFacebookLogin, loginURL, LOGIN_TIMEOUT } from './facebook.mjs'

const TIMEOUT = 30000

function overlap(a, b) {
  return a && b && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

await test('window at its minimum size: whole names, messages beside the list, a dialog that keeps the focus, Quit', async (defer) => {
  const app = await startApp({ env: { PAGEKEEPER_DEMO: '1', NO_AT_BRIDGE: '1' } })
  defer(app.stop)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 860, height: 560 } })
  defer(async () => { if (process.exitCode) await screenshot(page, 'window-failure') })
  await page.goto(app.url)

  await page.getByRole('button', { name: 'Log in with Facebook' }).click({ timeout: 15000 })
  await finishFacebookLogin(browser, await loginURL(page), 'Dana Whitfield')
  await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
  await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
  await page.getByTestId('apply-result').waitFor({ timeout: TIMEOUT })
  await page.getByRole('button', { name: 'Open the dashboard' }).click()
  await page.getByTestId('page-row').first().waitFor({ timeout: 15000 })

  // Names: "Harbor Street Bakery" and "Harbor Street Bakery – Eastside" both whole.
  const names = await page.locator('[data-testid="page-row"] .open').evaluateAll((els) =>
    els.map((el) => ({ text: el.textContent, title: el.getAttribute('title'), cut: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1 })))
  for (const n of names) {
    assert(n.title === n.text, `the full name is on hover: ${JSON.stringify(n)}`)
    assert(!n.cut, `the name is shown whole at the minimum width: ${n.text}`)
  }
  assert(names.some((n) => n.text === 'Harbor Street Bakery – Eastside'), 'the look-alike Page is listed')

  // Break Dana's Pages: the banner comes, and messages pile up.
  await page.getByRole('button', { name: 'Simulate', exact: true }).click()
  const sc = page.locator('[data-kind="password_changed"]')
  await sc.waitFor({ timeout: 10000 })
  await sc.locator('select').selectOption({ label: 'Dana Whitfield' })
  await sc.getByRole('button', { name: 'Simulate Password changed' }).click()
  await page.getByTestId('reauth-banner').first().waitFor({ timeout: TIMEOUT })
  await page.getByRole('button', { name: 'Close' }).click() // the Simulate panel
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: /^Check/ }).first().click().catch(() => {})
  await page.evaluate(() => { for (let i = 0; i < 4; i++) window.runtime.EventsEmit('pagekeeper:notice', { level: 'error', message: `Test message ${i}: something went wrong in the background and this message is long enough to wrap over more than one line at this width.` }) })
  const strip = page.getByTestId('notices')
  await strip.getByRole('alert').first().waitFor({ timeout: 5000 })
  assert((await strip.getByRole('alert').count()) <= 2, 'at most two messages at once')
  // The messages sit below the view, never over it: the banner and the list
  // are in the view, and the view scrolls to show the list.
  const [s, view, banner] = await Promise.all([strip.boundingBox(), page.locator('main').boundingBox(), page.getByTestId('reauth-banner').first().boundingBox()])
  assert(!overlap(s, view) && !overlap(s, banner), `messages ${JSON.stringify(s)} are over the view ${JSON.stringify(view)}`)
  await screenshot(page, 'window-small-broken')
  await page.locator('.viewport').scrollIntoViewIfNeeded()
  const list = await page.locator('.viewport').boundingBox()
  const shown = Math.min(list.y + list.height, view.y + view.height) - Math.max(list.y, view.y)
  assert(shown >= 100 && !overlap(s, { ...list, height: shown }), `the list shows ${shown}px, uncovered, once scrolled to`)
  await screenshot(page, 'window-small-list')

  // The reconnect dialog keeps the keyboard inside and closes on Escape.
  await page.getByTestId('reauth-banner').getByRole('button', { name: /^Reconnect .* Pages$/ }).first().click()
  const dialog = page.getByRole('dialog')
  await dialog.getByTestId('login-url').waitFor({ timeout: LOGIN_TIMEOUT })
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab')
    assert(await dialog.evaluate((d) => d.contains(document.activeElement)), `Tab ${i + 1} stays in the dialog`)
  }
  await screenshot(page, 'window-small-dialog')
  await page.locator('main').click({ position: { x: 5, y: 5 }, force: true }).catch(() => {})
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached', timeout: 5000 })

  assert(await page.getByRole('button', { name: 'Quit Pagekeeper' }).isVisible(), 'Quit is in the window')
})
