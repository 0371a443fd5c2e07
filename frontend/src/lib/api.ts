// The one door to Go: the generated Wails bindings and runtime, wrapped so
// components and tests depend on this module only (tests mock it whole).
import * as App from '../../wailsjs/go/app/App'
import type { app, hooks, keeper, metaapp } from '../../wailsjs/go/models'
import { BrowserOpenURL, ClipboardSetText, EventsOn, LogPrint } from '../../wailsjs/runtime/runtime'

// Data strips the generated classes down to the JSON that actually arrives:
// Wails hands the window plain objects, never class instances.
export type Data<T> = T extends (infer U)[]
  ? Data<U>[]
  : T extends object
    ? { [K in keyof T as T[K] extends (...a: never[]) => unknown ? never : K]: Data<T[K]> }
    : T

export type About = Data<app.About>
export type Snapshot = Data<keeper.Snapshot>
export type PageView = Data<keeper.PageView>
export type ProfileView = Data<keeper.ProfileView>
export type CheckState = Data<keeper.CheckState>
export type Counts = Data<keeper.Counts>
export type PageDetail = Data<keeper.PageDetail>
export type DayView = Data<keeper.DayView>
export type ActivityView = Data<keeper.ActivityView>
export type FeatureView = Data<keeper.FeatureView>
export type SettingsView = Data<keeper.SettingsView>
export type LoginStart = Data<keeper.LoginStart>
export type SkippedPage = Data<keeper.SkippedPage>
// skipped: Pages a login listed without a Page token (absent from older results).
export type ApplyResult = Omit<Data<keeper.ApplyResult>, 'skipped'> & { skipped?: SkippedPage[] | null }
export type ScenarioView = Data<keeper.ScenarioView>
export type AppCheck = Data<keeper.AppCheck>
export type MetaAppGuide = Data<metaapp.Guide>
export type MetaAppStep = Data<metaapp.Step>
export type ActionView = Data<keeper.ActionView>
export type AdminRequest = Data<keeper.AdminRequest>
export type RemovePlan = Data<keeper.RemovePlan>
export type HookView = Data<keeper.HookView>
export type HookInput = Data<keeper.HookInput>
// Go sends a nil slice as null.
export type HookResult = Omit<Data<hooks.Result>, 'output'> & { output: string[] | null }

export type Candidate = Data<keeper.Candidate>
// Go sends nil slices and pointers as null, which the generated optional
// fields do not say.
export type LoginResult = Omit<Data<keeper.LoginResult>, 'applied' | 'declined' | 'candidates' | 'skipped'> & {
  applied: ApplyResult | null
  skipped?: SkippedPage[] | null
  declined: string[] | null
  candidates: Candidate[] | null
}
export type Notice = Data<keeper.Notice> & { level: 'info' | 'warning' | 'error' }
/** SnapshotChanges mirrors keeper.SnapshotChanges, an event payload no bound method returns (so not generated). */
export interface SnapshotChanges {
  base: number
  snapshot: Snapshot
  changed: PageView[]
  removed: string[]
  /** check times that moved: field is a PageView time (checkedAt, rolesCheckedAt, webhooksCheckedAt) */
  stamps: { field: 'checkedAt' | 'rolesCheckedAt' | 'webhooksCheckedAt'; at: string; ids: string[] }[]
}

/** FirstSnapshot is the window's pull: the summary and the first rows; more Pages come from snapshotRest. */
export type FirstSnapshot = Snapshot & { more?: number }

export type Status = 'valid' | 'warning' | 'invalid' | 'unknown' | 'disconnected'

// Event names: the constants of backend/keeper/views.go.
export const Events = {
  snapshot: 'pagekeeper:snapshot',
  checkProgress: 'pagekeeper:check-progress',
  loginResult: 'pagekeeper:login-result',
  focusPage: 'pagekeeper:focus-page',
  notice: 'pagekeeper:notice',
  changes: 'pagekeeper:changes',
  loginProgress: 'pagekeeper:login-progress',
  hookRun: 'pagekeeper:hook-run',
  hooksChanged: 'pagekeeper:hooks-changed',
} as const

/** LoginProgress: what a login does after the browser said "connected" (keeper.LoginProgress). */
export interface LoginProgress {
  mode: 'connect' | 'reauthorize'
  step: 'reading' | 'saving'
  total: number
}

export interface EventPayloads {
  'pagekeeper:snapshot': Snapshot
  'pagekeeper:check-progress': CheckState
  'pagekeeper:login-result': LoginResult
  'pagekeeper:focus-page': string
  'pagekeeper:notice': Notice
  'pagekeeper:changes': SnapshotChanges
  'pagekeeper:login-progress': LoginProgress
  'pagekeeper:hook-run': string
  'pagekeeper:hooks-changed': null
}

export type EventName = keyof EventPayloads

/** on subscribes to one typed event and returns the unsubscribe function. */
export function on<E extends EventName>(name: E, fn: (payload: EventPayloads[E]) => void): () => void {
  return EventsOn(name, (payload: EventPayloads[E]) => fn(payload))
}

export const api = {
  about: (): Promise<About> => App.About(),
  snapshot: async (): Promise<FirstSnapshot> => {
    const w = await App.Snapshot()
    return { ...w.snapshot, more: w.more } as FirstSnapshot
  },
  snapshotRest: (seq: number): Promise<PageView[]> => App.SnapshotRest(seq),
  checkNow: (): Promise<void> => App.CheckNow(),
  checkPage: (pageId: string): Promise<void> => App.CheckPage(pageId),
  pageDetail: (id: string): Promise<PageDetail> => App.PageDetail(id),
  labels: (): Promise<Record<string, string>> => App.Labels(),
  metaAppGuide: (appId: string): Promise<MetaAppGuide> => App.MetaAppGuide(appId),
  checkMetaApp: (appId: string, secret: string): Promise<AppCheck> => App.CheckMetaApp(appId, secret),
  setupMetaApp: (appId: string, secret: string): Promise<AppCheck> => App.SetupMetaApp(appId, secret),
  startConnect: (): Promise<LoginStart> => App.StartConnect(),
  startReauthorize: (profileId: string, pageId: string): Promise<LoginStart> => App.StartReauthorize(profileId, pageId),
  cancelLogin: (): Promise<void> => App.CancelLogin(),
  finishConnect: (ids: string[]): Promise<ApplyResult> => App.FinishConnect(ids),
  lastLogin: (): Promise<LoginResult> => App.LastLogin() as Promise<LoginResult>,
  notices: (): Promise<Notice[]> => App.Notices() as Promise<Notice[]>,
  disconnect: (pageId: string, unsubscribeWebhooks: boolean): Promise<void> => App.Disconnect(pageId, unsubscribeWebhooks),
  removePlan: (profileId: string): Promise<RemovePlan> => App.RemovePlan(profileId),
  removeProfile: (profileId: string): Promise<RemovePlan> => App.RemoveProfile(profileId),
  resubscribe: (pageId: string): Promise<void> => App.Resubscribe(pageId),
  askAdmin: (pageId: string): Promise<AdminRequest> => App.AskAdmin(pageId),
  openFacebook: (pageId: string): Promise<string> => App.OpenFacebook(pageId),
  getSettings: (): Promise<SettingsView> => App.GetSettings(),
  saveSettings: (s: SettingsView): Promise<void> => App.SaveSettings(s as keeper.SettingsView),
  replaceAppSecret: (secret: string): Promise<void> => App.ReplaceAppSecret(secret),
  exportPages: (format: 'csv' | 'json'): Promise<string> => App.ExportPages(format),
  scenarios: (): Promise<ScenarioView[]> => App.Scenarios(),
  simulate: (kind: string, targetId: string): Promise<void> => App.Simulate(kind, targetId),
  resetSimulation: (): Promise<void> => App.ResetSimulation(),
  startDemo: (): Promise<void> => App.StartDemo(),
  quit: (): Promise<void> => App.Quit(),
  hooks: (): Promise<HookView[]> => App.Hooks(),
  setHook: (h: HookInput): Promise<HookView> => App.SetHook(h as keeper.HookInput),
  removeHook: (id: string): Promise<void> => App.RemoveHook(id),
  testHook: (id: string, pageId: string): Promise<HookResult> => App.TestHook(id, pageId) as Promise<HookResult>,
}

export type Api = typeof api

/** copyText puts text on the clipboard through the runtime, else the browser's. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (await ClipboardSetText(text)) return true
  } catch {
    // No Wails runtime (a plain browser on the dev server): try the web API.
  }
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

/** openURL opens a link in the person's default browser. */
export function openURL(url: string): void {
  BrowserOpenURL(url)
}

/** errorText turns a rejected binding call (Wails rejects with a string) into words. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message
  if (typeof e === 'string') return e
  return String(e)
}

let painted = false
let donePainting = () => {}
/** firstPaint settles once the first screen with data is on screen. */
export const firstPaint = new Promise<void>((resolve) => (donePainting = resolve))

/** paintedOnce writes one line to the window's log (stdout) after the first
 * screen with data is on screen, which scripts/bench.sh times launch to, and
 * tells Go, whose first check waits for it. */
export function paintedOnce(what: string): void {
  if (painted) return
  painted = true
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      donePainting()
      try {
        LogPrint(`first paint: ${what}`)
        App.Painted().catch(() => {})
      } catch {
        // No Wails runtime (tests, a plain browser).
      }
    }),
  )
}
