// Every fix through its own button, end to end: Chromium on the dev build,
// a standalone Facebook sandbox, the real keychain and a notification
// recorder on the session bus (backend/notify/notifytest/cmd/notify-recorder).
// Resubscribe; Ask an admin, the admin gives the task back, Check again;
// Reconnect from a warning banner; a second person's login with fewer tasks
// (asked, current connection kept); a re-login with a Page unticked (its
// notification recorded, and withdrawn once the Page works again); Remove
// person with Pages moved to the other person.
import { eventually, freePort, launchBrowser, startApp, startNotifications, startSandbox, screenshot, step, test, assert } from './lib.mjs'
import { finishFacebookLogin, loginURL, LOGIN_TIMEOUT, setUpMetaApp } from './facebook.mjs'

const WAIT = 30000
const DANA = 'Dana Whitfield'
const SAM = 'Sam Ortiz'
const ids = {
  bakery: '104518538110001', catering: '104518538110002', cafe: '104518538110003',
  classes: '104518538110005', jobs: '104518538110006',
}

await test('repair: every fix through its own button', async (defer) => {
  const rec = await startNotifications()
  defer(rec.stop)
  const sb = await startSandbox()
  defer(sb.stop)
  const fb = sb.info
  const admin = (method, scenario) => sb.fault(method, scenario)
  const taken = { kind: 'task_removed', persona: '122098765432101', page: ids.catering, task: 'CREATE_CONTENT' }
  // Before Pagekeeper ever looks: an admin took Create content from Dana on Catering.
  await admin('POST', taken)

  const app = await startApp({ env: { PAGEKEEPER_GRAPH_URL: fb.url, PAGEKEEPER_FACEBOOK_URL: fb.url, NO_AT_BRIDGE: '1' } })
  defer(app.stop)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage({ viewport: { width: 1180, height: 800 } })
  defer(async () => { if (process.exitCode) { await screenshot(page, 'repair-failure'); console.error(app.output().split('\n').filter((l) => !l.includes('AssetHandler')).slice(-40).join('\n')) } })
  await page.goto(app.url)

  const status = (id) => page.locator(`[data-page-id="${id}"] [data-status]`).getAttribute('data-status')
  const waitStatus = (id, want) => eventually(`${id} to be ${want}`, async () => (await status(id)) === want)
  const dashboard = async () => {
    await page.locator('nav.side button.nav').first().click()
    await page.getByTestId('page-row').first().waitFor({ timeout: WAIT })
  }
  const openPage = async (id) => {
    await page.locator(`[data-page-id="${id}"] .open`).click()
    await page.getByTestId('detail-page-id').filter({ hasText: id }).waitFor({ timeout: WAIT })
  }

  await step('set up the Meta app and connect all of Dana\'s Pages', async () => {
    await page.getByRole('heading', { name: 'Set up your Meta app' }).waitFor({ timeout: 15000 })
    await setUpMetaApp(page, fb.app_id, fb.app_secret)
    await page.getByRole('heading', { name: 'Connect your Facebook Pages' }).waitFor({ timeout: 10000 })
    // A login port of its own: other tests may log in beside this one.
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByLabel(/Login port/).fill(String(await freePort()))
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved.').waitFor({ timeout: 10000 })
    await page.getByRole('button', { name: 'Connect Pages' }).click()
    await page.getByRole('button', { name: 'Log in with Facebook' }).click()
    await finishFacebookLogin(browser, await loginURL(page), DANA)
    await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
    await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
    await page.getByTestId('apply-result').waitFor({ timeout: WAIT })
    await page.getByRole('button', { name: 'Open the dashboard' }).click()
    await waitStatus(ids.classes, 'warning')
    await waitStatus(ids.catering, 'warning')
    await screenshot(page, 'repair-1-problems')
  })

  await step('Resubscribe: the Page without webhooks works again', async () => {
    const banner = page.locator('[data-testid="reauth-banner"][data-repair="resubscribe"]')
    assert((await banner.innerText()).includes("Dana's Baking Classes"), 'the resubscribe banner names the Page')
    await banner.getByRole('button', { name: 'Resubscribe' }).click()
    await waitStatus(ids.classes, 'valid')
    assert(!(await banner.count()), 'no resubscribe banner once subscribed')
    const state = await (await fetch(`${fb.url}/__sandbox/state`)).json()
    const classes = state.pages.find((p) => p.id === ids.classes)
    assert(classes.subscribed_fields?.includes('messages') && classes.subscribed_fields?.includes('feed'), `the sandbox Page is subscribed: ${JSON.stringify(classes)}`)
  })

  await step('Ask an admin: a ready message; the admin gives the task back; Check again turns it green', async () => {
    await openPage(ids.catering)
    const acts = page.getByTestId('page-actions')
    assert((await acts.getByRole('button').first().innerText()) === 'Ask an admin', 'Ask an admin is the main action')
    assert((await acts.getByRole('button', { name: 'Open in Facebook' }).getAttribute('data-url')).includes('facebook.com/settings'), 'Open in Facebook has the Page access address')
    await acts.getByRole('button', { name: 'Ask an admin' }).click()
    const dialog = page.getByRole('dialog', { name: /Ask an admin/ })
    const msg = await dialog.getByTestId('admin-message').inputValue()
    for (const want of ['Harbor Street Catering', ids.catering, DANA, 'Create content']) assert(msg.includes(want), `the message names ${want}:\n${msg}`)
    await screenshot(page, 'repair-2-ask-admin')
    await admin('DELETE', taken) // the admin gives Create content back
    await dialog.getByRole('button', { name: 'Check again' }).click()
    await eventually('Catering to work', async () => (await page.locator('.title').innerText()).includes('Working'))
    await dashboard()
    await waitStatus(ids.catering, 'valid')
  })

  await step('Reconnect from a warning banner: an expired login', async () => {
    await admin('POST', { kind: 'user_token_expired', persona: '122098765432101' })
    await openPage(ids.bakery)
    await page.getByTestId('check-page').click() // re-reads the person's login too
    await eventually('the Page to need attention', async () => (await page.locator('.title').innerText()).includes('Needs attention'))
    await dashboard()
    await page.getByRole('button', { name: 'Check now' }).click()
    await waitStatus(ids.catering, 'warning')
    const banner = page.locator('[data-testid="reauth-banner"][data-tone="warning"][data-repair="reconnect"]')
    await banner.waitFor({ timeout: WAIT })
    const headline = await page.getByTestId('headline').innerText()
    assert(/need(s)? attention$/.test(headline) && !/soon/.test(headline), `the headline speaks of now: ${headline}`)
    await screenshot(page, 'repair-3-warning-banner')
    await banner.getByRole('button', { name: `Reconnect ${DANA}'s Pages` }).click()
    await finishFacebookLogin(browser, await loginURL(page), DANA)
    await page.getByTestId('reauth-done').waitFor({ timeout: WAIT })
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    await waitStatus(ids.bakery, 'valid')
    await waitStatus(ids.catering, 'valid')
    assert(!(await banner.count()), 'no warning banner once reconnected')
  })

  await step("Sam's login with fewer tasks asks first and keeps Dana's connection", async () => {
    await page.getByRole('button', { name: 'Connect Pages' }).click()
    await page.getByRole('button', { name: 'Log in with Facebook' }).click()
    await finishFacebookLogin(browser, await loginURL(page), SAM)
    await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
    const bakery = page.getByTestId('candidate').filter({ hasText: 'Harbor Street Bakery' }).filter({ hasNotText: 'Eastside' })
    assert((await bakery.getByTestId('watched-by').innerText()).includes(`Watched through ${DANA}`), 'the chooser says through whom the Page is watched')
    assert((await bakery.getByTestId('takeover').innerText()).includes('fewer tasks'), 'it says why it asks')
    assert(!(await bakery.getByRole('checkbox').isChecked()), 'a takeover is not preselected')
    await bakery.getByRole('checkbox').check()
    await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
    const ask = page.getByTestId('confirm-move')
    await ask.waitFor({ timeout: WAIT })
    await screenshot(page, 'repair-4-takeover-asked')
    await ask.getByRole('button', { name: 'Keep the current connection' }).click()
    const result = page.getByTestId('apply-result')
    await result.waitFor({ timeout: WAIT })
    assert((await result.innerText()).includes(`Now watched through ${SAM}: Harbor Street Jobs`), `Jobs (more tasks) moved: ${await result.innerText()}`)
    await page.getByRole('button', { name: 'Open the dashboard' }).click()
    await openPage(ids.bakery)
    assert((await page.locator('.facts').innerText()).includes(DANA), 'Bakery is still watched through Dana')
    await dashboard()
    await openPage(ids.jobs)
    assert((await page.locator('table.log').innerText()).includes(`${SAM} replaced ${DANA}`), 'the log says who replaced whom')
    await dashboard()
  })

  await step('a re-login with a Page unticked: notified once, withdrawn when it works again', async () => {
    const before = rec.seen.length
    await page.getByRole('button', { name: 'Settings' }).click()
    const dana = page.getByTestId('person').filter({ hasText: DANA })
    await dana.getByRole('button', { name: 'Reconnect' }).click()
    await finishFacebookLogin(browser, await loginURL(page), DANA, { untick: [ids.catering] })
    await page.getByTestId('reauth-done').waitFor({ timeout: WAIT })
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    const note = await eventually('the notification', () => rec.seen.slice(before).find((l) => l.event === 'notify'))
    assert(note.summary === 'Harbor Street Catering stopped working', `notification title: ${note.summary}`)
    assert(note.body.includes('no longer among the Pages'), `notification body: ${note.body}`)
    await dashboard()
    await waitStatus(ids.catering, 'invalid')
    await screenshot(page, 'repair-5-page-unticked')
    await page.getByRole('button', { name: 'Check now' }).click()
    await page.getByRole('button', { name: 'Check now' }).waitFor({ timeout: WAIT })
    assert(rec.seen.slice(before).filter((l) => l.event === 'notify').length === 1, 'notified once, not again at the next check')
    // Reconnect with everything ticked: the Page works, its notification goes.
    await page.locator('[data-testid="reauth-banner"][data-tone="invalid"]').getByRole('button', { name: `Reconnect ${DANA}'s Pages` }).click()
    await finishFacebookLogin(browser, await loginURL(page), DANA, { tick: [ids.catering] })
    await page.getByTestId('reauth-done').waitFor({ timeout: WAIT })
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    await waitStatus(ids.catering, 'valid')
    await eventually('the notification to be withdrawn', () => rec.seen.slice(before).some((l) => l.event === 'close' && l.id === note.id))
  })

  await step('Remove person: Pages Sam manages move to Sam, the rest are listed as no longer watched', async () => {
    await page.getByRole('button', { name: 'Settings' }).click()
    const dana = page.getByTestId('person').filter({ hasText: DANA })
    await dana.getByRole('button', { name: `Remove ${DANA}…` }).click()
    const plan = dana.getByTestId('remove-plan')
    await plan.getByTestId('moves').first().waitFor({ timeout: WAIT })
    const moves = await plan.getByTestId('moves').allInnerTexts()
    assert(moves.includes(`Harbor Street Bakery → ${SAM}`) && moves.includes(`Little Harbor Café → ${SAM}`), `moves: ${moves}`)
    assert((await plan.getByTestId('unwatched').allInnerTexts()).includes('Harbor Street Catering'), 'Catering is listed as no longer watched')
    await plan.scrollIntoViewIfNeeded()
    await screenshot(page, 'repair-6-remove-person')
    await plan.getByRole('button', { name: `Remove ${DANA}` }).click()
    await page.getByText(`Pagekeeper forgot ${DANA}`).waitFor({ timeout: WAIT })
    await dashboard()
    await waitStatus(ids.catering, 'disconnected')
    await openPage(ids.bakery)
    assert((await page.locator('.facts').innerText()).includes(SAM), 'Bakery is now watched through Sam')
    assert(!(await page.locator('.title').innerText()).includes('Disconnected'), 'Bakery is still watched')
    await screenshot(page, 'repair-7-moved')
  })
})
