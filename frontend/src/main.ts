import { mount } from 'svelte'
import App from './App.svelte'
import { api } from './lib/api'
import './app.css'

// The first pull starts before the page is built: Go answers meanwhile.
const first = api.snapshot()
first.catch(() => {}) // the store reports it
// Linux's fonts by their generic names (app.css), before the first layout.
if (/Linux/.test(navigator.userAgent) && !/Android/.test(navigator.userAgent)) document.documentElement.classList.add('linux')
const app = mount(App, { target: document.getElementById('app')!, props: { first } })

export default app
