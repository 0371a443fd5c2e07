import { cleanup, fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fake } from '../test/fake'
import { page } from '../test/fixtures'

vi.mock('../lib/api', async (orig) => (await import('../test/fake')).mockApi(await orig()))

import HooksSettings from './HooksSettings.svelte'

const pages = [page({ id: '1', name: 'Crumb & Co' }), page({ id: '2', name: 'Harbor Café' })]

beforeEach(() => fake.reset())
afterEach(() => cleanup())

describe('HooksSettings', () => {
  it('sets a command hook for every Page', async () => {
    render(HooksSettings, { pages })
    await screen.findByTestId('no-hooks')
    await fireEvent.input(screen.getByTestId('hook-command'), { target: { value: '  /opt/deploy.sh  ' } })
    fake.api.hooks.mockResolvedValue([{ id: 'all-command', pageId: '', pageName: '', kind: 'command', command: '/opt/deploy.sh', url: '', withCredential: false, hasSecret: false, timeoutSeconds: 0 }])
    await fireEvent.click(screen.getByRole('button', { name: 'Set hook' }))
    expect(fake.api.setHook).toHaveBeenCalledWith({ pageId: '', command: '/opt/deploy.sh', url: '', secret: '', withCredential: false, timeoutSeconds: 0 })
    expect(await screen.findByText('Hook all-command is set.')).toBeTruthy()
    expect((await screen.findByTestId('hook')).textContent).toContain('/opt/deploy.sh')
  })

  it('sets a webhook with its secret and the token only when ticked', async () => {
    render(HooksSettings, { pages })
    await fireEvent.click(screen.getByRole('radio', { name: 'Send a signed webhook' }))
    await fireEvent.input(screen.getByTestId('hook-url'), { target: { value: 'https://example.com/pk' } })
    await fireEvent.input(screen.getByLabelText(/Signing secret/), { target: { value: '0123456789abcdef' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Set hook' }))
    expect(fake.api.setHook).toHaveBeenLastCalledWith({ pageId: '', command: '', url: 'https://example.com/pk', secret: '0123456789abcdef', withCredential: false, timeoutSeconds: 0 })
    expect((screen.getByLabelText(/Signing secret/) as HTMLInputElement).value).toBe('')
  })

  it('says why a hook was refused', async () => {
    fake.api.setHook.mockRejectedValue('the webhook address must start with https://')
    render(HooksSettings, { pages })
    await fireEvent.click(screen.getByRole('radio', { name: 'Send a signed webhook' }))
    await fireEvent.input(screen.getByTestId('hook-url'), { target: { value: 'http://example.com' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Set hook' }))
    expect((await screen.findByRole('alert')).textContent).toContain('must start with https://')
  })

  it('tests a hook on the chosen Page and shows what it printed', async () => {
    fake.api.hooks.mockResolvedValue([{ id: 'all-command', pageId: '', pageName: '', kind: 'command', command: 'x', url: '', withCredential: false, hasSecret: false, timeoutSeconds: 0 }])
    fake.api.testHook.mockResolvedValue({ hookId: 'all-command', event: 'new_token', attempt: 1, attempts: 1, ok: false, exitCode: 3, http: 0, error: 'exited with status 3', output: ['receiver down'], duration: '4ms', delivery: '' })
    render(HooksSettings, { pages })
    await screen.findByTestId('hook')
    await fireEvent.change(screen.getByLabelText('Page to test on'), { target: { value: '2' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Test this hook' }))
    expect(fake.api.testHook).toHaveBeenCalledWith('all-command', '2')
    const res = await screen.findByTestId('hook-result')
    expect(res.textContent).toContain('Failed: exited with status 3')
    expect(res.textContent).toContain('receiver down')
  })
})
