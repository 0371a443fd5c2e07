// Check now is complete, in Chromium on the dev build against a standalone
// sandbox that the test changes behind the app's back (as an admin or the
// person would on Facebook): a Page listed without a token is skipped with
// its reason, then a task taken away, a permission declined and webhooks
// unsubscribed each show at the next Check now, and putting them back shows
// Working at the one after (once through the Page's own Check again).
import { startOnSandbox, screenshot, step, test, assert } from './lib.mjs'
import { finishFacebookLogin, loginURL, LOGIN_TIMEOUT, setUpMetaApp } from './facebook.mjs'

const DANA = '122098765432101'
const CATERING = '104518538110002'
const CAFE = '104518538110003'
const CHECK_TIMEOUT = 30000

await test('check: Check now reads tasks, permissions and webhooks; a tokenless Page is skipped', async (defer) => {
  const { sb, app, browser, page } = await startOnSandbox(defer)
  defer(async () => { if (process.exitCode) { await screenshot(page, 'check-failure'); console.error(app.output().split('\n').filter((l) => !l.includes('AssetHandler')).slice(-40).join('\n')) } })
  await page.goto(app.url)

  await step('set up the Meta app', async () => {
    await page.getByRole('heading', { name: 'Set up your Meta app' }).waitFor({ timeout: 15000 })
    await setUpMetaApp(page, sb.info.app_id, sb.info.app_secret)
    await page.getByRole('heading', { name: 'Connect your Facebook Pages' }).waitFor({ timeout: 10000 })
  })

  await step('a Page listed without a token is skipped, with why, and the others connect', async () => {
    await sb.fault('POST', { kind: 'page_token_missing', page: CAFE })
    await page.getByRole('button', { name: 'Log in with Facebook' }).click()
    await finishFacebookLogin(browser, await loginURL(page), 'Dana Whitfield')
    await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
    const skipped = await page.getByTestId('skipped').innerText()
    assert(skipped.includes('Little Harbor Café cannot be connected') && skipped.includes('gave Pagekeeper no access to it'), `the chooser says why: ${skipped}`)
    assert(!(await page.locator('fieldset.cands').innerText()).includes('Little Harbor Café'), 'the tokenless Page cannot be ticked')
    await screenshot(page, 'skipped-page')
    await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
    const result = page.getByTestId('apply-result')
    await result.waitFor({ timeout: CHECK_TIMEOUT })
    const text = await result.innerText()
    assert(text.includes('Connected:') && text.includes('Skipped Little Harbor Café'), `the summary names the skipped Page: ${text}`)
    await sb.fault('DELETE')
    await page.getByRole('button', { name: 'Open the dashboard' }).click()
    await page.getByTestId('page-row').first().waitFor({ timeout: 15000 })
    assert((await page.locator(`[data-testid="page-row"][data-page-id="${CAFE}"]`).count()) === 0, 'nothing stored for the skipped Page')
  })

  const row = page.locator(`[data-testid="page-row"][data-page-id="${CATERING}"]`)
  const rowIs = (status) => page.waitForFunction(([id, s]) => document.querySelector(`[data-testid="page-row"][data-page-id="${id}"]`)?.classList.contains(s), [CATERING, status], { timeout: CHECK_TIMEOUT })
  const checkNow = () => page.getByRole('button', { name: 'Check now' }).click()
  await rowIs('valid')

  const cases = [
    { sc: { kind: 'task_removed', persona: DANA, page: CATERING, task: 'CREATE_CONTENT' }, words: 'does not include: “Create content”', again: true },
    { sc: { kind: 'permission_declined', persona: DANA, permission: 'pages_manage_posts' }, words: 'lacks Facebook permissions it needs for Harbor Street Catering: “Publish on your Pages”' },
    { sc: { kind: 'webhooks_unsubscribed', page: CATERING }, words: 'no longer sends its events' },
  ]
  for (const c of cases) {
    await step(`${c.sc.kind}: the next Check now reports it`, async () => {
      await sb.fault('POST', c.sc)
      await checkNow()
      await rowIs('warning')
      const why = await row.locator('.why').innerText()
      assert(why.includes(c.words), `the row says ${why}`)
      assert((await row.getByTestId('checked-roles').innerText()) === 'roles just now', 'the roles were read by this check')
      await screenshot(page, `check-${c.sc.kind}`)
    })
    await step(`${c.sc.kind}: put back, the next check reports Working`, async () => {
      await sb.fault('DELETE', c.sc)
      if (c.again) {
        // The Page's own Check again is a complete check of that Page.
        await row.locator('.open').click()
        await page.getByRole('button', { name: 'Check again' }).click()
        await page.waitForFunction(() => !document.querySelector('section.problem'), null, { timeout: CHECK_TIMEOUT })
        assert((await page.getByTestId('checked-roles').innerText()).includes('just now'), 'the Page says its roles were just checked')
        await page.getByRole('button', { name: '← All Pages' }).click()
      } else {
        await checkNow()
      }
      await rowIs('valid')
    })
  }
})
