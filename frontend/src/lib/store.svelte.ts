// The window's state: one initial pull from Go, then events. Components get
// the store from context, so every test renders with a store of its own.
import { getContext, setContext } from 'svelte'
import {
  api, errorText, Events, firstPaint, on,
  type About, type FirstSnapshot, type ApplyResult, type CheckState, type LoginProgress, type LoginResult, type LoginStart, type Notice, type Snapshot, type SnapshotChanges,
} from './api'

export type View =
  | { name: 'dashboard' }
  | { name: 'page'; id: string }
  | { name: 'settings' }
  | { name: 'connect' }

export type LoginPhase = 'idle' | 'starting' | 'waiting' | 'choosing' | 'connecting' | 'done' | 'failed'

export interface LoginFlow {
  phase: LoginPhase
  mode: 'connect' | 'reauthorize'
  start: LoginStart | null
  result: LoginResult | null
  applied: ApplyResult | null
  error: string
  /** whose Pages a reauthorization repairs, for the words of the dialog */
  person: string
  /** what a reauthorization was for, so "Try again" repeats it */
  target: { profileId: string; pageId: string }
}

export interface ShownNotice extends Notice {
  id: number
}

const idleLogin = (): LoginFlow => ({ phase: 'idle', mode: 'connect', start: null, result: null, applied: null, error: '', person: '', target: { profileId: '', pageId: '' } })

export class Store {
  // Raw: a snapshot is replaced, never changed in place, and a deep proxy
  // gave each of 1,000 Pages a signal per field read (~30 MiB after a check).
  snapshot = $state.raw<Snapshot | null>(null)
  loadError = $state('')
  about = $state<About | null>(null)
  check = $state<CheckState | null>(null)
  view = $state<View>({ name: 'dashboard' })
  login = $state<LoginFlow>(idleLogin())
  /** what the login does after the browser said "connected"; null before and after */
  loginProgress = $state<LoginProgress | null>(null)
  notices = $state<ShownNotice[]>([])
  simulateOpen = $state(false)
  /** the Pages the "Ask an admin" dialog is open for; null when closed */
  askAdmin = $state<string[] | null>(null)
  /** Page ids with a repair running (Resubscribe, Check again) */
  repairing = $state<Record<string, string>>({})
  /** a Page whose Disconnect confirmation should open (the Disconnect action of a fix) */
  confirmDisconnect = $state('')

  #off: (() => void)[] = []
  #noticeId = 0
  #decidedStart = false
  /** the first pull, when main.ts started it before the window was mounted */
  #first: Promise<FirstSnapshot> | undefined
  /** the snapshot has only its first rows; the other Pages are on their way */
  #partial = false

  /** start subscribes to Go's events, then pulls the state once (first: that pull, already under way). */
  async start(first?: Promise<FirstSnapshot>): Promise<void> {
    this.#first = first
    this.#off.push(
      on(Events.snapshot, (s) => this.applySnapshot(s)),
      on(Events.changes, (c) => this.applyChanges(c)),
      on(Events.checkProgress, (c) => { this.check = c }),
      on(Events.loginResult, (r) => this.onLoginResult(r)),
      on(Events.focusPage, (id) => { if (id) this.view = { name: 'page', id } }),
      on(Events.notice, (n) => this.notify(n.level, n.message)),
      on(Events.loginProgress, (p) => { if (this.login.phase !== 'idle') this.loginProgress = p }),
    )
    api.about().then((a) => { this.about = a }, () => { /* the footer just stays empty */ })
    await this.refresh()
    await this.catchUp()
  }

  /** catchUp shows what happened while no window listened: background
   * problems, and a login whose Pages still wait to be chosen. */
  async catchUp(): Promise<void> {
    try {
      for (const n of await api.notices()) this.notify(n.level, n.message)
      const last = await api.lastLogin()
      if (last.ok && last.mode === 'connect' && !last.applied && last.candidates?.length) this.onLoginResult(last)
    } catch {
      // The snapshot already told the window what it needs to start.
    }
  }

  stop(): void {
    for (const off of this.#off.splice(0)) off()
  }

  async refresh(): Promise<void> {
    let more = 0
    try {
      const pull = this.#first ?? api.snapshot()
      this.#first = undefined
      const { more: m, ...first } = await pull
      more = m ?? 0
      if (more > 0 && this.snapshot) {
        // A list already on screen waits for the whole: it would shrink meanwhile.
        const rest = await api.snapshotRest(first.seq)
        this.applySnapshot({ ...first, pages: [...first.pages, ...rest] })
        return
      }
      this.applySnapshot(first)
      this.#partial = more > 0
      this.loadError = ''
    } catch (e) {
      if (!this.snapshot) this.loadError = errorText(e)
      else this.notify('error', errorText(e))
    }
    if (more > 0 && this.snapshot) await this.#rest(this.snapshot.seq)
  }

  /** #rest adds the Pages a pull left out, once the first rows are on screen. */
  async #rest(seq: number): Promise<void> {
    await Promise.race([firstPaint, new Promise((r) => setTimeout(r, 1000))])
    try {
      const rest = await api.snapshotRest(seq)
      const s = this.snapshot
      if (s?.seq === seq) {
        this.snapshot = { ...s, pages: [...s.pages, ...rest] }
        this.#partial = false
      }
    } catch {
      // Another pull came between (a reload, a change): it brings its own.
      if (this.snapshot?.seq === seq) void this.refresh()
    }
  }

  /** applyChanges applies what changed since the snapshot the window has;
   * changes to another one (a reload crossed them), or to one still
   * missing Pages, fetch it whole instead. */
  applyChanges(c: SnapshotChanges): void {
    const s = this.snapshot
    if (!s || s.seq !== c.base || this.#partial) {
      void this.refresh()
      return
    }
    const byId = new Map(s.pages.map((p) => [p.id, p]))
    for (const id of c.removed) byId.delete(id)
    for (const st of c.stamps) {
      for (const id of st.ids) {
        const p = byId.get(id)
        if (p) byId.set(id, { ...p, [st.field]: st.at })
      }
    }
    for (const p of c.changed) byId.set(p.id, p)
    this.applySnapshot({ ...c.snapshot, pages: [...byId.values()] })
  }

  applySnapshot(s: Snapshot): void {
    this.#partial = false
    this.snapshot = s
    this.loadError = ''
    // Progress events are fresher than a snapshot taken while a check runs.
    if (!this.check || !this.check.running || !s.check.running || s.check.done >= this.check.done) this.check = s.check
    if (!this.#decidedStart) {
      // First run: nothing set up, or nothing connected yet, opens on the wizard.
      this.#decidedStart = true
      if (!s.configured || (s.pages.length === 0 && s.profiles.length === 0)) this.view = { name: 'connect' }
    }
  }

  go(view: View): void {
    this.view = view
  }

  notify(level: Notice['level'], message: string): void {
    const id = ++this.#noticeId
    this.notices = [...this.notices, { id, level, message }]
    if (level === 'info') setTimeout(() => this.dismiss(id), 6000)
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id)
  }

  async checkNow(): Promise<void> {
    try {
      await api.checkNow()
    } catch (e) {
      this.notify('error', `Could not start a check: ${errorText(e)}`)
    }
  }

  // --- the repairs a fix names (health.ActionSpecs in Go) ---

  async #eachPage(action: string, ids: string[], call: (id: string) => Promise<unknown>): Promise<string[]> {
    const failed: string[] = []
    this.repairing = { ...this.repairing, ...Object.fromEntries(ids.map((id) => [id, action])) }
    try {
      for (const id of ids) {
        try {
          await call(id)
        } catch (e) {
          failed.push(errorText(e))
        }
      }
    } finally {
      const next = { ...this.repairing }
      for (const id of ids) delete next[id]
      this.repairing = next
    }
    return failed
  }

  #name(id: string): string {
    return this.snapshot?.pages.find((p) => p.id === id)?.name ?? `Page ${id}`
  }

  async resubscribe(ids: string[]): Promise<void> {
    const failed = await this.#eachPage('resubscribe', ids, (id) => api.resubscribe(id))
    for (const f of failed) this.notify('error', f)
    if (failed.length < ids.length) {
      this.notify('info', `${ids.length === 1 ? this.#name(ids[0]) : `${ids.length - failed.length} Pages`} subscribed to Pagekeeper's app again, and checked.`)
    }
    await this.refresh()
  }

  /** checkPages re-reads the given Pages ("Check again"); many at once run as a whole check. */
  async checkPages(ids: string[]): Promise<void> {
    if (ids.length > 25) return this.checkNow()
    const failed = await this.#eachPage('check', ids, (id) => api.checkPage(id))
    for (const f of failed) this.notify('error', `Could not check: ${f}`)
    await this.refresh()
  }

  async openFacebook(id: string): Promise<void> {
    try {
      await api.openFacebook(id)
    } catch (e) {
      this.notify('error', errorText(e))
    }
  }

  async startDemo(): Promise<void> {
    try {
      await api.startDemo()
      await this.refresh()
    } catch (e) {
      this.notify('error', `Could not start the demo: ${errorText(e)}`)
    }
  }

  // --- logging in: the connect wizard and the reauthorize prompt share it ---

  async startConnect(): Promise<void> {
    await this.#startLogin('connect', '', { profileId: '', pageId: '' }, () => api.startConnect())
  }

  async startReauth(profileId: string, pageId: string, person: string): Promise<void> {
    await this.#startLogin('reauthorize', person, { profileId, pageId }, () => api.startReauthorize(profileId, pageId))
  }

  async #startLogin(mode: LoginFlow['mode'], person: string, target: LoginFlow['target'], call: () => Promise<LoginStart>): Promise<void> {
    this.login = { ...idleLogin(), phase: 'starting', mode, person, target }
    this.loginProgress = null
    try {
      const start = await call()
      // The result may in theory beat the answer; keep it if it did.
      if (this.login.phase === 'starting') this.login = { ...this.login, phase: 'waiting', start }
      else this.login = { ...this.login, start }
    } catch (e) {
      this.login = { ...this.login, phase: 'failed', error: errorText(e) }
    }
  }

  onLoginResult(r: LoginResult): void {
    // The echo of a login this window already cancelled.
    if (this.login.phase === 'idle' && !r.ok) return
    const mode = r.mode === 'reauthorize' ? 'reauthorize' : 'connect'
    const base = { ...this.login, mode, result: r } as LoginFlow
    this.loginProgress = null
    if (!r.ok) {
      this.login = { ...base, phase: 'failed', error: r.error || (r.cancelled ? 'The login was cancelled; nothing was changed.' : 'The login did not finish; nothing was changed.') }
    } else if (mode === 'reauthorize' || r.applied) {
      this.login = { ...base, phase: 'done', applied: r.applied }
    } else {
      this.login = { ...base, phase: 'choosing' }
      // The choice is made in the wizard, wherever the window was meanwhile.
      this.view = { name: 'connect' }
    }
  }

  async cancelLogin(): Promise<void> {
    try {
      await api.cancelLogin()
    } catch (e) {
      this.notify('error', errorText(e))
    }
    // The backend also answers with a cancelled login-result; do not wait for it.
    this.login = idleLogin()
    this.loginProgress = null
  }

  async finishConnect(ids: string[]): Promise<void> {
    this.login = { ...this.login, phase: 'connecting', error: '' }
    try {
      const applied = await api.finishConnect(ids)
      this.login = { ...this.login, phase: 'done', applied }
      this.loginProgress = null
    } catch (e) {
      this.login = { ...this.login, phase: 'choosing', error: errorText(e) }
      this.loginProgress = null
    }
  }

  resetLogin(): void {
    this.login = idleLogin()
    this.loginProgress = null
  }
}

const key = Symbol('pagekeeper-store')

export function provideStore(store: Store): Store {
  setContext(key, store)
  return store
}

export function useStore(): Store {
  const s = getContext<Store | undefined>(key)
  if (!s) throw new Error('useStore outside of the app: render with provideStore')
  return s
}

export const storeKey = key
