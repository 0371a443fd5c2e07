import { render, screen } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'

const about = vi.fn()
vi.mock('../wailsjs/go/app/App', () => ({ About: () => about() }))

import App from './App.svelte'

describe('App', () => {
  it('shows the version and data folder the backend reports', async () => {
    about.mockResolvedValue({ name: 'Pagekeeper', version: '9.9.9', dataDir: '/tmp/pk' })
    render(App)
    expect(await screen.findByTestId('version')).toHaveProperty('textContent', '9.9.9')
    expect(screen.getByTestId('data-dir').textContent).toBe('/tmp/pk')
  })

  it('says so when the backend fails', async () => {
    about.mockRejectedValue(new Error('no data folder'))
    render(App)
    expect((await screen.findByRole('alert')).textContent).toContain('no data folder')
  })
})
