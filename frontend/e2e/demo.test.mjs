// Demo mode end to end, in Chromium on the dev build with the real Go
// bindings and the in-process Facebook sandbox: first run lands on the
// wizard, a login connects the seed business's Pages, a simulated password
// change breaks them, the banner's Reconnect repairs them, a Page is
// disconnected with its history kept, and a setting survives a reload.
import { launchBrowser, startApp, screenshot, step, test, assert } from './lib.mjs'
import { finishFacebookLogin, loginURL, LOGIN_TIMEOUT } from './facebook.mjs'

const CHECK_TIMEOUT = 30000

await test('demo: connect, break, repair, disconnect and settings', async (defer) => {
  const app = await startApp({ env: { PAGEKEEPER_DEMO: '1', NO_AT_BRIDGE: '1' } })
  defer(app.stop)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1180, height: 780 } })
  defer(async () => { if (process.exitCode) { await screenshot(page, 'demo-failure'); console.error(app.output().split('\n').filter((l) => !l.includes('AssetHandler')).slice(-40).join('\n')) } })
  await page.goto(app.url)

  await step('first run opens the wizard in demo mode', async () => {
    await page.getByRole('heading', { name: 'Connect your Facebook Pages' }).waitFor({ timeout: 15000 })
    assert(await page.getByTestId('demo-badge').isVisible(), 'the DEMO badge shows')
    await screenshot(page, 'wizard')
  })

  let person = 'Dana Whitfield'
  let connected = 0
  await step('log in with Facebook and choose the Pages', async () => {
    await page.getByRole('button', { name: 'Log in with Facebook' }).click()
    await finishFacebookLogin(browser, await loginURL(page), person)
    await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
    connected = await page.getByTestId('candidate').count()
    assert(connected > 0, 'the sandbox offers Pages to choose')
    await screenshot(page, 'choose-pages')
    await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
    const result = page.getByTestId('apply-result')
    await result.waitFor({ timeout: CHECK_TIMEOUT })
    assert((await result.innerText()).includes('Connected:'), 'the result names the connected Pages')
  })

  await step('the dashboard lists the connected Pages', async () => {
    await page.getByRole('button', { name: 'Open the dashboard' }).click()
    await page.getByTestId('page-row').first().waitFor({ timeout: 15000 })
    const rows = await page.getByTestId('page-row').count()
    assert(rows === connected, `${connected} Pages connected, ${rows} rows shown`)
    assert((await page.getByTestId('count-invalid').innerText()) === '0', 'nothing broken after connecting')
    await screenshot(page, 'dashboard')
  })

  await step('Check now runs a check of every Page', async () => {
    await page.getByRole('button', { name: 'Check now' }).click()
    // It may finish before a progress frame is seen; what counts is that it ends.
    await page.getByRole('button', { name: 'Check now' }).waitFor({ timeout: CHECK_TIMEOUT })
    await page.waitForFunction(() => !document.querySelector('[data-testid="check-progress"]'), null, { timeout: CHECK_TIMEOUT })
    assert(/Last check (just now|\d+ (sec|min))/.test(await page.locator('.when').innerText()), 'the summary says the check just ran')
  })

  await step('simulate a password change: the Pages break and the banner names it', async () => {
    await page.getByRole('button', { name: 'Simulate', exact: true }).click()
    const sc = page.locator('[data-kind="password_changed"]')
    await sc.waitFor({ timeout: 10000 })
    await screenshot(page, 'simulate')
    await sc.locator('select').selectOption({ label: person })
    await sc.getByRole('button', { name: 'Simulate Password changed' }).click()
    await page.getByTestId('reauth-banner').first().waitFor({ timeout: CHECK_TIMEOUT })
    await page.getByRole('button', { name: 'Close' }).click() // the Simulate panel
    const headline = await page.getByTestId('headline').innerText()
    assert(/need(s)? you/.test(headline), `headline says Pages need you: ${headline}`)
    assert(Number(await page.getByTestId('count-invalid').innerText()) > 0, 'broken Pages are counted')
    await screenshot(page, 'broken')
  })

  await step('Reconnect in the banner repairs the Pages', async () => {
    await page.getByTestId('reauth-banner').getByRole('button', { name: /^Reconnect .* Pages$/ }).first().click()
    await finishFacebookLogin(browser, await loginURL(page), person)
    const done = page.getByTestId('reauth-done')
    await done.waitFor({ timeout: CHECK_TIMEOUT })
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    await page.waitForFunction(() => document.querySelector('[data-testid="count-invalid"]')?.textContent === '0', null, { timeout: CHECK_TIMEOUT })
    // Warnings of the seed business (missing tasks, a Page without webhooks) keep their own banners.
    assert((await page.locator('[data-testid="reauth-banner"][data-tone="invalid"]').count()) === 0, 'no broken-Page banner once repaired')
  })

  let name = ''
  await step('open a Page and disconnect it: its history stays', async () => {
    const row = page.locator('[data-testid="page-row"].valid').first()
    name = await row.locator('.open').innerText()
    await row.locator('.open').click()
    await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 10000 })
    await page.getByText('What works').waitFor()
    await screenshot(page, 'page-detail')
    const before = await page.getByTestId('history').locator('li').count()
    assert(before > 0, 'the Page has a status history')
    await page.getByRole('button', { name: 'Disconnect…' }).click()
    await page.getByRole('button', { name: 'Disconnect', exact: true }).click()
    await page.getByTestId('disconnected-note').waitFor({ timeout: 15000 })
    assert((await page.locator('.title').innerText()).includes('Disconnected'), 'the chip says Disconnected')
    const after = await page.getByTestId('history').locator('li').count()
    assert(after >= before, `history kept (${before} before, ${after} after)`)
    assert((await page.locator('table.log').innerText()).includes('You disconnected'), 'the activity log says who disconnected it, as a sentence')
    await page.getByRole('button', { name: '← All Pages' }).click()
    const chip = page.locator('[data-testid="page-row"]', { hasText: name }).locator('[data-status]')
    await chip.waitFor({ timeout: 10000 })
    assert((await chip.getAttribute('data-status')) === 'disconnected', 'the list shows it disconnected')
  })

  await step('settings: change the interval, save, reload, read it back', async () => {
    await page.getByRole('button', { name: 'Settings' }).click()
    const interval = page.getByTestId('interval')
    await interval.waitFor({ timeout: 10000 })
    const next = (await interval.inputValue()) === '45' ? '50' : '45'
    await interval.fill(next)
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved.').waitFor({ timeout: 10000 })
    await screenshot(page, 'settings')
    await page.reload()
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByTestId('interval').waitFor({ timeout: 15000 })
    const back = await page.getByTestId('interval').inputValue()
    assert(back === next, `interval read back after reload: ${back}, want ${next}`)
  })
})
