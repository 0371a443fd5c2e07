// Facebook's answers that are not about a Page, in the real window against a
// standalone sandbox: a refused Meta app (its secret was reset) is one note
// above the list with the App Dashboard setting to change, turns no Page red
// and never says "could not reach Facebook"; fixed, the note goes. A Page
// Facebook says does not exist is broken, with its own words.
import { startOnSandbox, screenshot, test, assert } from './lib.mjs'
import { finishFacebookLogin, loginURL, LOGIN_TIMEOUT, setUpMetaApp } from './facebook.mjs'

const CHECK_TIMEOUT = 30000
const BAKERY = '104518538110001' // sandbox.PageBakery

await test('Meta app refused: one note above the list; a Page that does not exist: broken', async (defer) => {
  const { sb, app, browser, page } = await startOnSandbox(defer)
  defer(async () => { if (process.exitCode) { await screenshot(page, 'app-problem-failure'); console.error(app.output().split('\n').slice(-30).join('\n')) } })
  await page.goto(app.url)

  await page.getByRole('heading', { name: 'Set up your Meta app' }).waitFor({ timeout: 15000 })
  await setUpMetaApp(page, sb.info.app_id, sb.info.app_secret)
  await page.getByRole('button', { name: 'Log in with Facebook' }).click()
  await finishFacebookLogin(browser, await loginURL(page), 'Dana Whitfield')
  await page.getByTestId('candidate').first().waitFor({ timeout: LOGIN_TIMEOUT })
  await page.getByRole('button', { name: /^Connect \d+ Pages?$/ }).click()
  await page.getByTestId('apply-result').waitFor({ timeout: CHECK_TIMEOUT })
  await page.getByRole('button', { name: 'Open the dashboard' }).click()
  await page.getByTestId('page-row').first().waitFor({ timeout: 15000 })
  const checkNow = page.locator('section.summary').getByRole('button', { name: 'Check now' })
  await checkNow.waitFor({ timeout: CHECK_TIMEOUT }) // enabled again once the check after connecting is done
  const invalidBefore = await page.getByTestId('count-invalid').innerText()

  // The app's secret was reset in the App Dashboard.
  await sb.fault('POST', { kind: 'meta_app', variant: 'secret_reset' })
  await checkNow.click()
  const note = page.getByTestId('app-problem')
  await note.waitFor({ timeout: CHECK_TIMEOUT })
  assert((await note.count()) === 1, 'one note, not one per Page')
  const words = await note.innerText()
  assert(words.includes('App settings > Basic') && words.includes('App Secret'), `the note names the setting: ${words}`)
  const main = await page.locator('main').innerText()
  assert(!/could not reach Facebook/i.test(main), 'an answer that arrived is not "could not reach Facebook"')
  assert((await page.getByTestId('count-invalid').innerText()) === invalidBefore, 'no Page turned red because of the app')
  await screenshot(page, 'app-problem')

  // Fixed: the next check clears the note.
  await sb.fault('DELETE')
  await note.getByRole('button', { name: 'Check now' }).click()
  await page.getByTestId('app-problem').waitFor({ state: 'detached', timeout: CHECK_TIMEOUT })

  // The bakery's Page is deleted on Facebook: definitive for that Page alone.
  await sb.fault('POST', { kind: 'page_deleted', page: BAKERY })
  await checkNow.click()
  await page.getByText(/does not exist any more/).first().waitFor({ timeout: CHECK_TIMEOUT })
  const invalidAfter = Number(await page.getByTestId('count-invalid').innerText())
  assert(invalidAfter === Number(invalidBefore) + 1, `one more Page broken: ${invalidBefore} → ${invalidAfter}`)
})
