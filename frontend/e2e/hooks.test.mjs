// Deploy hooks end to end, in Chromium on the dev build with the real Go
// bindings and the in-process Facebook sandbox: a command hook is set and
// tested in Settings, a simulated password change breaks the Pages, the
// banner's Reconnect repairs them, and the Page's activity shows the hook's
// runs while the script itself received the new token on stdin.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eventually, launchBrowser, startApp, screenshot, step, test, assert } from './lib.mjs'
import { finishFacebookLogin, loginURL, LOGIN_TIMEOUT } from './facebook.mjs'

const CHECK_TIMEOUT = 30000

await test('hooks: set and test a hook in Settings, repair a Page, see the run in its activity', async (defer) => {
  const hookDir = mkdtempSync(path.join(tmpdir(), 'pk-hook-'))
  defer(() => rmSync(hookDir, { recursive: true, force: true }))
  const script = path.join(hookDir, 'deploy.sh')
  // The owner's system: keeps the token it is handed on stdin, one file per Page.
  writeFileSync(script, `#!/bin/sh
tok=$(cat)
[ "$PAGEKEEPER_EVENT" = new_token ] && printf '%s' "$tok" > "$1/token-$PAGEKEEPER_PAGE_ID"
echo "$PAGEKEEPER_EVENT delivered for $PAGEKEEPER_PAGE_NAME"
`, { mode: 0o700 })

  const app = await startApp({ env: { PAGEKEEPER_DEMO: '1', NO_AT_BRIDGE: '1' } })
  defer(app.stop)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1180, height: 900 } })
  defer(async () => { if (process.exitCode) { await screenshot(page, 'hooks-failure'); console.error(app.output().split('\n').filter((l) => !l.includes('AssetHandler')).slice(-40).join('\n')) } })
  await page.goto(app.url)
  const person = 'Dana Whitfield'

  await step('connect the demo Pages', async () => {
    await page.getByRole('heading', { name: 'Connect your Facebook Pages' }).waitFor({ timeout: 15000 })
    await page.getByRole('button', { name: 'Log in with Facebook' }).click()
    await finishFacebookLogin(browser, await loginURL(page), person)
    await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
    await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
    await page.getByTestId('apply-result').waitFor({ timeout: CHECK_TIMEOUT })
    await page.getByRole('button', { name: 'Open the dashboard' }).click()
    await page.getByTestId('page-row').first().waitFor({ timeout: 15000 })
  })

  await step('set a command hook for all Pages in Settings and test it', async () => {
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('heading', { name: 'Deliver tokens to your systems' }).waitFor({ timeout: 10000 })
    await page.getByTestId('hook-command').fill(`'${script}' '${hookDir}'`)
    await page.getByRole('button', { name: 'Set hook' }).click()
    await page.getByText('Hook all-command is set.').waitFor({ timeout: 10000 })
    const hook = page.getByTestId('hook')
    assert((await hook.innerText()).includes(script), 'the hook is listed with its command')
    await hook.getByRole('button', { name: 'Test this hook' }).click()
    const result = hook.getByTestId('hook-result')
    await result.waitFor({ timeout: 15000 })
    const text = await result.innerText()
    assert(text.includes('Worked') && text.includes('new_token delivered for'), `the test worked and shows the output: ${text}`)
    await hook.scrollIntoViewIfNeeded()
    await screenshot(page, 'hooks')
  })

  await step('simulate a password change, then Reconnect in the banner', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Pages', exact: true }).click()
    await page.getByRole('button', { name: 'Simulate', exact: true }).click()
    const sc = page.locator('[data-kind="password_changed"]')
    await sc.waitFor({ timeout: 10000 })
    await sc.locator('select').selectOption({ label: person })
    await sc.getByRole('button', { name: 'Simulate Password changed' }).click()
    await page.getByTestId('reauth-banner').first().waitFor({ timeout: CHECK_TIMEOUT })
    await page.getByRole('button', { name: 'Close' }).click()
    await page.getByTestId('reauth-banner').getByRole('button', { name: /^Reconnect .* Pages$/ }).first().click()
    await finishFacebookLogin(browser, await loginURL(page), person)
    await page.getByTestId('reauth-done').waitFor({ timeout: CHECK_TIMEOUT })
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    await page.waitForFunction(() => document.querySelector('[data-testid="count-invalid"]')?.textContent === '0', null, { timeout: CHECK_TIMEOUT })
  })

  await step("the Page's activity shows the hook's runs; the script got the new token", async () => {
    const row = page.locator('[data-testid="page-row"].valid').first()
    const name = await row.locator('.open').innerText()
    await row.locator('.open').click()
    await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 10000 })
    const log = page.locator('table.log')
    await eventually('the hook runs in the activity log', async () => {
      const text = await log.innerText()
      return ['stopped_working: exit 0', 'new_token: exit 0', 'works_again: exit 0'].every((s) => text.includes(s))
    })
    const text = await log.innerText()
    assert(text.includes('Pagekeeper ran the command') && text.includes(`new_token delivered for ${name}`), 'the run is in words, with its output')
    assert(!/EAA[A-Za-z0-9_-]{16,}/.test(text), 'no token in the activity log')
    const delivered = readdirSync(hookDir).filter((f) => f.startsWith('token-')).map((f) => readFileSync(path.join(hookDir, f), 'utf8'))
    assert(delivered.length > 0 && delivered.every((t) => /^EAA[A-Za-z0-9_-]{16,}$/.test(t)), `the script received tokens on stdin (${delivered.length})`)
    await log.scrollIntoViewIfNeeded()
    await screenshot(page, 'hook-run')
  })
})
