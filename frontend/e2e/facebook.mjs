// Playing the person in the sandbox's Facebook login dialog, for the browser tests.
import { assert } from './lib.mjs'

export const LOGIN_TIMEOUT = 60000

// setUpMetaApp goes through the window's guided Meta app setup with the
// sandbox app's ID and secret, Next on every step, and saves.
export async function setUpMetaApp(page, appId, secret) {
  const guide = page.getByTestId('meta-setup')
  await guide.waitFor({ timeout: 15000 })
  const next = guide.getByRole('button', { name: 'Next', exact: true })
  for (let i = 0; i < 8 && !(await page.getByLabel('App Secret').count()); i++) {
    if (await page.getByLabel('App ID').count()) {
      await page.getByLabel('App ID').fill(appId)
      await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="meta-setup"] button')].find((b) => b.textContent.trim() === 'Next')?.disabled)
    }
    await next.click()
  }
  await page.getByLabel('App Secret').fill(secret)
  await page.getByTestId('app-name').waitFor({ timeout: 10000 })
  await guide.getByRole('button', { name: 'Save and continue' }).click()
}

// loginURL reads the copyable login link the window shows while it waits.
export async function loginURL(page) {
  const input = page.getByTestId('login-url')
  await input.waitFor({ timeout: LOGIN_TIMEOUT })
  const url = await input.inputValue()
  assert(url.includes('/dialog/oauth'), `the copyable link is the login dialog: ${url}`)
  return url
}

// finishFacebookLogin opens the dialog in a new tab, picks the persona, keeps
// every Page and permission ticked (but the Page ids in untick; tick puts
// ones back, through "Edit previous settings" on a re-login) and continues
// until the dialog redirects to Pagekeeper's loopback callback.
export async function finishFacebookLogin(browser, url, persona, { untick = [], tick = [] } = {}) {
  const fb = await browser.newPage()
  try {
    await fb.goto(url)
    const who = fb.locator('button.persona', { hasText: persona })
    if (await who.count()) {
      await who.click()
      await fb.waitForLoadState()
    }
    if ((untick.length || tick.length) && await fb.locator('#edit').count()) {
      await fb.locator('#edit').click()
      await fb.waitForLoadState()
    }
    for (let i = 0; i < 8 && !fb.url().includes('/callback'); i++) {
      for (const id of untick) {
        const box = fb.locator(`#page-${id}`)
        if (await box.count()) await box.uncheck()
      }
      for (const id of tick) {
        const box = fb.locator(`#page-${id}`)
        if (await box.count()) await box.check()
      }
      const next = fb.locator('#continue')
      if (!(await next.count())) break
      await next.click()
      await fb.waitForLoadState()
    }
    assert(fb.url().includes('/callback'), `the dialog ends on the app's callback, not ${fb.url()}`)
    const body = await fb.locator('body').innerText()
    // "connected" once a reauthorize has stored everything; "logged in" when the
    // Pages are still to be chosen in the window.
    assert(/You.re (connected|logged in)/i.test(body), `the callback page says the login worked: ${body.slice(0, 200)}`)
  } finally {
    await fb.close()
  }
}
