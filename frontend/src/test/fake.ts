// A stand-in for src/lib/api.ts: every binding a vi.fn, and events that a
// test fires by hand exactly as Go would. Use it from a test file with
//   vi.mock('../lib/api', async (orig) => (await import('../test/fake')).mockApi(await orig()))
import { vi } from 'vitest'
import type * as Real from '../lib/api'
import type { EventName, EventPayloads } from '../lib/api'
import { metaGuide, snapshot } from './fixtures'

type Handler = (payload: never) => void
const handlers = new Map<string, Set<Handler>>()

function makeApi() {
  return {
    about: vi.fn(async () => ({ name: 'Pagekeeper', version: '1.2.3', dataDir: '/home/dana/.local/share/pagekeeper' })),
    snapshot: vi.fn(async (): Promise<Real.FirstSnapshot> => snapshot()),
    snapshotRest: vi.fn(async (_seq: number): Promise<Real.PageView[]> => []),
    checkNow: vi.fn(async () => {}),
    checkPage: vi.fn(async (_id: string) => {}),
    pageDetail: vi.fn(async (_id: string): Promise<Real.PageDetail> => { throw new Error('no detail set up') }),
    labels: vi.fn(async (): Promise<Record<string, string>> => ({
      pages_show_list: 'See the list of your Pages', pages_messaging: "Answer your Pages' messages",
      pages_manage_posts: 'Publish on your Pages', instagram_basic: 'See your Instagram accounts',
      read_insights: "Read your Pages' insights", MANAGE: 'Full control', CREATE_CONTENT: 'Create content',
      MODERATE: 'Moderate (community activity)', MESSAGING: 'Messages', ADVERTISE: 'Ads', ANALYZE: 'Insights',
    })),
    metaAppGuide: vi.fn(async (id: string): Promise<Real.MetaAppGuide> => metaGuide(id)),
    checkMetaApp: vi.fn(async (_id: string, _secret: string): Promise<Real.AppCheck> => ({ appName: 'Harbor Street Pagekeeper', field: '', problem: '' })),
    setupMetaApp: vi.fn(async (_id: string, _secret: string): Promise<Real.AppCheck> => ({ appName: 'Harbor Street Pagekeeper', field: '', problem: '' })),
    startConnect: vi.fn(async () => ({ url: 'https://www.facebook.com/v25.0/dialog/oauth?client_id=1&state=s', redirectUri: 'http://localhost:53682/callback', mode: 'connect' })),
    startReauthorize: vi.fn(async (_profile: string, _page: string) => ({ url: 'https://www.facebook.com/v25.0/dialog/oauth?auth_type=rerequest', redirectUri: 'http://localhost:53682/callback', mode: 'reauthorize' })),
    cancelLogin: vi.fn(async () => {}),
    finishConnect: vi.fn(async (_ids: string[]): Promise<Real.ApplyResult> => ({ connected: [], updated: [], notGranted: [], replaced: [], personName: '', checksAfter: 0, skipped: [] })),
    disconnect: vi.fn(async (_id: string, _unsub: boolean) => {}),
    removePlan: vi.fn(async (id: string): Promise<Real.RemovePlan> => ({ personId: id, person: 'Dana Smith', moved: [], unwatched: [] })),
    removeProfile: vi.fn(async (id: string): Promise<Real.RemovePlan> => ({ personId: id, person: 'Dana Smith', moved: [], unwatched: [] })),
    resubscribe: vi.fn(async (_id: string) => {}),
    askAdmin: vi.fn(async (id: string): Promise<Real.AdminRequest> => ({ pageId: id, pageName: `Page ${id}`, person: 'Dana Smith', tasks: ['Full control'], message: `Please give Dana Smith access to Page ${id}.`, url: 'https://www.facebook.com/settings/?tab=profile_access' })),
    openFacebook: vi.fn(async (_id: string) => 'https://www.facebook.com/settings?tab=business_tools'),
    getSettings: vi.fn(async (): Promise<Real.SettingsView> => ({
      checkIntervalMinutes: 30, notifyInvalid: true, notifyWarning: true, reminderHours: 24, warnDays: 7,
      runInBackground: true, startAtLogin: false, appId: '1234567890', hasAppSecret: true, redirectPort: 53682,
      redirectUri: 'http://localhost:53682/callback',
    })),
    saveSettings: vi.fn(async (_s: Real.SettingsView) => {}),
    replaceAppSecret: vi.fn(async (_s: string) => {}),
    exportPages: vi.fn(async (_f: 'csv' | 'json') => ''),
    scenarios: vi.fn(async (): Promise<Real.ScenarioView[]> => []),
    simulate: vi.fn(async (_kind: string, _target: string) => {}),
    resetSimulation: vi.fn(async () => {}),
    startDemo: vi.fn(async () => {}),
    quit: vi.fn(async () => {}),
    lastLogin: vi.fn(async (): Promise<Real.LoginResult> => ({ ok: false, mode: '', error: '', cancelled: false, personId: '', personName: '', declined: null, candidates: null, skipped: null, applied: null })),
    notices: vi.fn(async (): Promise<Real.Notice[]> => []),
    hooks: vi.fn(async (): Promise<Real.HookView[]> => []),
    setHook: vi.fn(async (h: Real.HookInput): Promise<Real.HookView> => ({
      id: `${h.pageId || 'all'}-${h.command ? 'command' : 'webhook'}`, pageId: h.pageId, pageName: '', kind: h.command ? 'command' : 'webhook',
      command: h.command, url: h.url, withCredential: h.withCredential, hasSecret: !!h.secret, timeoutSeconds: h.timeoutSeconds,
    })),
    removeHook: vi.fn(async (_id: string) => {}),
    testHook: vi.fn(async (id: string, _page: string): Promise<Real.HookResult> => ({
      hookId: id, event: 'new_token', attempt: 1, attempts: 1, ok: true, exitCode: 0, http: 0, error: '', output: ['ok'], duration: '5ms', delivery: '',
    })),
  } satisfies Real.Api
}

export const fake = {
  api: makeApi(),
  copied: [] as string[],
  opened: [] as string[],
  /** emit delivers an event to the window as Go's runtime.EventsEmit would. */
  emit<E extends EventName>(name: E, payload: EventPayloads[E]) {
    for (const h of handlers.get(name) ?? []) (h as (p: EventPayloads[E]) => void)(payload)
  },
  listeners(name: EventName): number {
    return handlers.get(name)?.size ?? 0
  },
  /** reset gives every test fresh mocks and no subscribers. */
  reset() {
    Object.assign(fake.api, makeApi())
    handlers.clear()
    fake.copied = []
    fake.opened = []
  },
}

export function mockApi(real: typeof Real): typeof Real {
  return {
    ...real,
    // Calls go through the current fake.api, so reset() swaps them for every module.
    api: new Proxy({} as Real.Api, { get: (_t, k: string) => fake.api[k as keyof Real.Api] }),
    on: ((name: string, fn: Handler) => {
      let set = handlers.get(name)
      if (!set) handlers.set(name, (set = new Set()))
      set.add(fn)
      return () => set.delete(fn)
    }) as typeof real.on,
    copyText: async (text: string) => {
      fake.copied.push(text)
      return true
    },
    openURL: (url: string) => {
      fake.opened.push(url)
    },
  }
}
