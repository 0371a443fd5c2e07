// The wiring end to end: the window's frontend calls a bound Go method and
// shows the version and data folder the backend reports.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { launchBrowser, startApp, screenshot, test, assert, root } from './lib.mjs'

await test('the window shows the version and data folder from Go', async (defer) => {
  const version = execFileSync(path.join(root, 'build/bin/pagekeeper-dev'), ['version']).toString().trim().replace(/^pagekeeper /, '')
  const app = await startApp()
  defer(app.stop)
  const browser = await launchBrowser()
  defer(() => browser.close())
  const page = await browser.newPage()
  await page.goto(app.url)
  await page.getByTestId('version').waitFor({ timeout: 15000 })
  assert((await page.getByTestId('version').textContent()) === version, 'version matches `pagekeeper version`')
  assert((await page.getByTestId('data-dir').textContent()) === app.dataDir, 'data folder matches PAGEKEEPER_DATA_DIR')
  await screenshot(page, 'about')
})
