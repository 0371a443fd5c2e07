import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fake } from '../test/fake'
import { many, profile, snapshot } from '../test/fixtures'

vi.mock('./api', async (orig) => (await import('../test/fake')).mockApi(await orig()))

import App from '../App.svelte'

beforeEach(() => fake.reset())
afterEach(() => cleanup())

// 1,000 Pages arrive as Go sends them to the window: the first pull holds
// the summary and the first rows, the rest comes from snapshotRest after
// the list is on screen.
function split(n: number, rows: number) {
  const pages = many(n)
  const people = ['Dana Smith', 'Lee Wong', 'Ana Souza', 'Kofi Mensah', 'Mira Patel'].map((name, i) => profile({ id: `u${i}`, name }))
  const whole = snapshot({ pages, profiles: people, seq: 7 })
  const head = pages.slice(0, rows)
  fake.api.snapshot.mockResolvedValue({ ...whole, pages: head, more: n - rows })
  fake.api.snapshotRest.mockImplementation(async (seq: number) => {
    if (seq !== 7) throw new Error('stale')
    return pages.slice(rows)
  })
  return { whole, head, rest: pages.slice(rows) }
}

// findTheLastPage opens the window on 1,000 Pages split after 60, waits for
// the rest and searches for the last Page, which only the rest held.
async function findTheLastPage() {
  const { rest } = split(1000, 60)
  render(App)
  await screen.findByTestId('headline')
  await waitFor(() => expect(fake.api.snapshotRest).toHaveBeenCalledWith(7))
  const far = rest[rest.length - 1]
  const search = screen.getByRole('searchbox', { name: 'Search Pages' })
  await fireEvent.input(search, { target: { value: far.name } })
  await waitFor(() => expect(screen.getAllByTestId('page-row').map((r) => r.dataset.pageId)).toEqual([far.id]))
  return { far, search }
}

describe('the first pull', () => {
  it('paints the first rows, then the rest arrives and search reaches Pages that were not in the first pull', async () => {
    const { far, search } = await findTheLastPage()
    // All 1,000 are there: the status filter counts them from the rows too.
    await fireEvent.input(search, { target: { value: '' } })
    await fireEvent.click(screen.getByRole('button', { name: /^Broken/ }))
    await waitFor(() => expect(screen.getByText(/of 1000 shown/).textContent).toBe(`${many(1000).filter((p) => p.status === 'invalid').length} of 1000 shown`))
  })

  it('pulls again when a change arrives before the rest', async () => {
    split(1000, 60)
    let resolveRest: (p: never[]) => void = () => {}
    fake.api.snapshotRest.mockImplementation(() => new Promise((r) => (resolveRest = r)))
    render(App)
    await screen.findByTestId('headline')
    await waitFor(() => expect(fake.api.snapshotRest).toHaveBeenCalled())
    const pulls = fake.api.snapshot.mock.calls.length
    fake.emit('pagekeeper:changes', { base: 7, snapshot: snapshot({ seq: 8 }), changed: [], removed: [], stamps: [] })
    await waitFor(() => expect(fake.api.snapshot.mock.calls.length).toBe(pulls + 1))
    resolveRest([])
  })

  it('keeps every row on screen while a later pull waits for its rest', async () => {
    const { far } = await findTheLastPage()
    // A change to another snapshot pulls again; its rest does not come yet.
    fake.api.snapshotRest.mockImplementation(() => new Promise(() => {}))
    fake.emit('pagekeeper:changes', { base: 3, snapshot: snapshot({ seq: 4 }), changed: [], removed: [], stamps: [] })
    await waitFor(() => expect(fake.api.snapshotRest).toHaveBeenCalledTimes(2))
    expect(screen.getAllByTestId('page-row').map((r) => r.dataset.pageId)).toEqual([far.id])
  })
})
