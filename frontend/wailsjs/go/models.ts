export namespace app {
	
	export class About {
	    name: string;
	    version: string;
	    dataDir: string;
	
	    static createFrom(source: any = {}) {
	        return new About(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.version = source["version"];
	        this.dataDir = source["dataDir"];
	    }
	}
	export class WindowSnapshot {
	    snapshot: keeper.Snapshot;
	    more: number;
	
	    static createFrom(source: any = {}) {
	        return new WindowSnapshot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.snapshot = this.convertValues(source["snapshot"], keeper.Snapshot);
	        this.more = source["more"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace hooks {
	
	export class Result {
	    hookId: string;
	    event: string;
	    attempt: number;
	    attempts: number;
	    ok: boolean;
	    exitCode: number;
	    http: number;
	    error: string;
	    output: string[];
	    duration: string;
	    delivery: string;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hookId = source["hookId"];
	        this.event = source["event"];
	        this.attempt = source["attempt"];
	        this.attempts = source["attempts"];
	        this.ok = source["ok"];
	        this.exitCode = source["exitCode"];
	        this.http = source["http"];
	        this.error = source["error"];
	        this.output = source["output"];
	        this.duration = source["duration"];
	        this.delivery = source["delivery"];
	    }
	}

}

export namespace keeper {
	
	export class ActionView {
	    kind: string;
	    label: string;
	    command: string;
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new ActionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.label = source["label"];
	        this.command = source["command"];
	        this.url = source["url"];
	    }
	}
	export class ActivityView {
	    at: string;
	    kind: string;
	    actor: string;
	    details: string;
	    sentence: string;
	
	    static createFrom(source: any = {}) {
	        return new ActivityView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.kind = source["kind"];
	        this.actor = source["actor"];
	        this.details = source["details"];
	        this.sentence = source["sentence"];
	    }
	}
	export class AdminRequest {
	    pageId: string;
	    pageName: string;
	    person: string;
	    tasks: string[];
	    message: string;
	    url: string;
	
	    static createFrom(source: any = {}) {
	        return new AdminRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pageId = source["pageId"];
	        this.pageName = source["pageName"];
	        this.person = source["person"];
	        this.tasks = source["tasks"];
	        this.message = source["message"];
	        this.url = source["url"];
	    }
	}
	export class AppCheck {
	    appName: string;
	    field: string;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new AppCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.appName = source["appName"];
	        this.field = source["field"];
	        this.problem = source["problem"];
	    }
	}
	export class AppProblemView {
	    issue: string;
	    summary: string;
	    fix: string;
	
	    static createFrom(source: any = {}) {
	        return new AppProblemView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.issue = source["issue"];
	        this.summary = source["summary"];
	        this.fix = source["fix"];
	    }
	}
	export class SkippedPage {
	    id: string;
	    name: string;
	    why: string;
	
	    static createFrom(source: any = {}) {
	        return new SkippedPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.why = source["why"];
	    }
	}
	export class ApplyResult {
	    connected: string[];
	    updated: string[];
	    notGranted: string[];
	    replaced: string[];
	    personName: string;
	    checksAfter: number;
	    skipped: SkippedPage[];
	
	    static createFrom(source: any = {}) {
	        return new ApplyResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connected = source["connected"];
	        this.updated = source["updated"];
	        this.notGranted = source["notGranted"];
	        this.replaced = source["replaced"];
	        this.personName = source["personName"];
	        this.checksAfter = source["checksAfter"];
	        this.skipped = this.convertValues(source["skipped"], SkippedPage);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Candidate {
	    id: string;
	    name: string;
	    category: string;
	    instagramUsername: string;
	    tasks: string[];
	    missingPermissions: string[];
	    missingTasks: string[];
	    alreadyConnected: boolean;
	    viaPortfolio: boolean;
	    selected: boolean;
	    watchedById: string;
	    watchedBy: string;
	    watchedTasks: string[];
	    watchedStatus: string;
	    takeover: string;
	
	    static createFrom(source: any = {}) {
	        return new Candidate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.category = source["category"];
	        this.instagramUsername = source["instagramUsername"];
	        this.tasks = source["tasks"];
	        this.missingPermissions = source["missingPermissions"];
	        this.missingTasks = source["missingTasks"];
	        this.alreadyConnected = source["alreadyConnected"];
	        this.viaPortfolio = source["viaPortfolio"];
	        this.selected = source["selected"];
	        this.watchedById = source["watchedById"];
	        this.watchedBy = source["watchedBy"];
	        this.watchedTasks = source["watchedTasks"];
	        this.watchedStatus = source["watchedStatus"];
	        this.takeover = source["takeover"];
	    }
	}
	export class CheckState {
	    running: boolean;
	    done: number;
	    total: number;
	    lastStarted: string;
	    lastFinished: string;
	    nextAt: string;
	    error: string;
	    appProblem?: AppProblemView;
	
	    static createFrom(source: any = {}) {
	        return new CheckState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.lastStarted = source["lastStarted"];
	        this.lastFinished = source["lastFinished"];
	        this.nextAt = source["nextAt"];
	        this.error = source["error"];
	        this.appProblem = this.convertValues(source["appProblem"], AppProblemView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Counts {
	    total: number;
	    valid: number;
	    warning: number;
	    invalid: number;
	    unknown: number;
	    disconnected: number;
	    expiring: number;
	
	    static createFrom(source: any = {}) {
	        return new Counts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.valid = source["valid"];
	        this.warning = source["warning"];
	        this.invalid = source["invalid"];
	        this.unknown = source["unknown"];
	        this.disconnected = source["disconnected"];
	        this.expiring = source["expiring"];
	    }
	}
	export class DayView {
	    date: string;
	    status: string;
	
	    static createFrom(source: any = {}) {
	        return new DayView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.date = source["date"];
	        this.status = source["status"];
	    }
	}
	export class FeatureView {
	    name: string;
	    label: string;
	    ok: boolean;
	    missing: string;
	
	    static createFrom(source: any = {}) {
	        return new FeatureView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.ok = source["ok"];
	        this.missing = source["missing"];
	    }
	}
	export class HookInput {
	    pageId: string;
	    command: string;
	    url: string;
	    secret: string;
	    withCredential: boolean;
	    timeoutSeconds: number;
	
	    static createFrom(source: any = {}) {
	        return new HookInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pageId = source["pageId"];
	        this.command = source["command"];
	        this.url = source["url"];
	        this.secret = source["secret"];
	        this.withCredential = source["withCredential"];
	        this.timeoutSeconds = source["timeoutSeconds"];
	    }
	}
	export class HookView {
	    id: string;
	    pageId: string;
	    pageName: string;
	    kind: string;
	    command: string;
	    url: string;
	    withCredential: boolean;
	    hasSecret: boolean;
	    timeoutSeconds: number;
	
	    static createFrom(source: any = {}) {
	        return new HookView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.pageId = source["pageId"];
	        this.pageName = source["pageName"];
	        this.kind = source["kind"];
	        this.command = source["command"];
	        this.url = source["url"];
	        this.withCredential = source["withCredential"];
	        this.hasSecret = source["hasSecret"];
	        this.timeoutSeconds = source["timeoutSeconds"];
	    }
	}
	export class LoginResult {
	    ok: boolean;
	    mode: string;
	    error: string;
	    cancelled: boolean;
	    personId: string;
	    personName: string;
	    declined: string[];
	    candidates: Candidate[];
	    skipped: SkippedPage[];
	    applied?: ApplyResult;
	
	    static createFrom(source: any = {}) {
	        return new LoginResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.mode = source["mode"];
	        this.error = source["error"];
	        this.cancelled = source["cancelled"];
	        this.personId = source["personId"];
	        this.personName = source["personName"];
	        this.declined = source["declined"];
	        this.candidates = this.convertValues(source["candidates"], Candidate);
	        this.skipped = this.convertValues(source["skipped"], SkippedPage);
	        this.applied = this.convertValues(source["applied"], ApplyResult);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LoginStart {
	    url: string;
	    redirectUri: string;
	    mode: string;
	
	    static createFrom(source: any = {}) {
	        return new LoginStart(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.redirectUri = source["redirectUri"];
	        this.mode = source["mode"];
	    }
	}
	export class Notice {
	    level: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Notice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.level = source["level"];
	        this.message = source["message"];
	    }
	}
	export class StatusChangeView {
	    at: string;
	    from: string;
	    to: string;
	    reason: string;
	
	    static createFrom(source: any = {}) {
	        return new StatusChangeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = source["at"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.reason = source["reason"];
	    }
	}
	export class PageView {
	    id: string;
	    name: string;
	    category: string;
	    profileId: string;
	    profileName: string;
	    instagramId: string;
	    instagramUsername: string;
	    status: string;
	    reason: string;
	    summary: string;
	    fix: string;
	    tasks: string[];
	    permissions: string[];
	    missingPermissions: string[];
	    missingTasks: string[];
	    features: FeatureView[];
	    webhooksSubscribed?: boolean;
	    checkedAt: string;
	    rolesCheckedAt: string;
	    webhooksCheckedAt: string;
	    updatedAt: string;
	    connectedAt: string;
	    actions: ActionView[];
	
	    static createFrom(source: any = {}) {
	        return new PageView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.category = source["category"];
	        this.profileId = source["profileId"];
	        this.profileName = source["profileName"];
	        this.instagramId = source["instagramId"];
	        this.instagramUsername = source["instagramUsername"];
	        this.status = source["status"];
	        this.reason = source["reason"];
	        this.summary = source["summary"];
	        this.fix = source["fix"];
	        this.tasks = source["tasks"];
	        this.permissions = source["permissions"];
	        this.missingPermissions = source["missingPermissions"];
	        this.missingTasks = source["missingTasks"];
	        this.features = this.convertValues(source["features"], FeatureView);
	        this.webhooksSubscribed = source["webhooksSubscribed"];
	        this.checkedAt = source["checkedAt"];
	        this.rolesCheckedAt = source["rolesCheckedAt"];
	        this.webhooksCheckedAt = source["webhooksCheckedAt"];
	        this.updatedAt = source["updatedAt"];
	        this.connectedAt = source["connectedAt"];
	        this.actions = this.convertValues(source["actions"], ActionView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PageDetail {
	    page: PageView;
	    activity: ActivityView[];
	    history: StatusChangeView[];
	    timeline: DayView[];
	
	    static createFrom(source: any = {}) {
	        return new PageDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.page = this.convertValues(source["page"], PageView);
	        this.activity = this.convertValues(source["activity"], ActivityView);
	        this.history = this.convertValues(source["history"], StatusChangeView);
	        this.timeline = this.convertValues(source["timeline"], DayView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PageMove {
	    pageId: string;
	    pageName: string;
	    toId: string;
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new PageMove(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pageId = source["pageId"];
	        this.pageName = source["pageName"];
	        this.toId = source["toId"];
	        this.to = source["to"];
	    }
	}
	
	export class ProfileView {
	    id: string;
	    name: string;
	    status: string;
	    reason: string;
	    summary: string;
	    fix: string;
	    tokenExpiresAt: string;
	    dataAccessExpiresAt: string;
	    declined: string[];
	    pageCount: number;
	
	    static createFrom(source: any = {}) {
	        return new ProfileView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.status = source["status"];
	        this.reason = source["reason"];
	        this.summary = source["summary"];
	        this.fix = source["fix"];
	        this.tokenExpiresAt = source["tokenExpiresAt"];
	        this.dataAccessExpiresAt = source["dataAccessExpiresAt"];
	        this.declined = source["declined"];
	        this.pageCount = source["pageCount"];
	    }
	}
	export class RemovePlan {
	    personId: string;
	    person: string;
	    moved: PageMove[];
	    unwatched: string[];
	
	    static createFrom(source: any = {}) {
	        return new RemovePlan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.personId = source["personId"];
	        this.person = source["person"];
	        this.moved = this.convertValues(source["moved"], PageMove);
	        this.unwatched = source["unwatched"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ScenarioView {
	    kind: string;
	    label: string;
	    description: string;
	    target: string;
	
	    static createFrom(source: any = {}) {
	        return new ScenarioView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.label = source["label"];
	        this.description = source["description"];
	        this.target = source["target"];
	    }
	}
	export class SettingsView {
	    checkIntervalMinutes: number;
	    notifyInvalid: boolean;
	    notifyWarning: boolean;
	    reminderHours: number;
	    warnDays: number;
	    runInBackground: boolean;
	    startAtLogin: boolean;
	    appId: string;
	    hasAppSecret: boolean;
	    redirectPort: number;
	    redirectUri: string;
	
	    static createFrom(source: any = {}) {
	        return new SettingsView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.checkIntervalMinutes = source["checkIntervalMinutes"];
	        this.notifyInvalid = source["notifyInvalid"];
	        this.notifyWarning = source["notifyWarning"];
	        this.reminderHours = source["reminderHours"];
	        this.warnDays = source["warnDays"];
	        this.runInBackground = source["runInBackground"];
	        this.startAtLogin = source["startAtLogin"];
	        this.appId = source["appId"];
	        this.hasAppSecret = source["hasAppSecret"];
	        this.redirectPort = source["redirectPort"];
	        this.redirectUri = source["redirectUri"];
	    }
	}
	
	export class Snapshot {
	    demo: boolean;
	    configured: boolean;
	    appId: string;
	    appName: string;
	    redirectUri: string;
	    profiles: ProfileView[];
	    pages: PageView[];
	    counts: Counts;
	    check: CheckState;
	    seq: number;
	
	    static createFrom(source: any = {}) {
	        return new Snapshot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.demo = source["demo"];
	        this.configured = source["configured"];
	        this.appId = source["appId"];
	        this.appName = source["appName"];
	        this.redirectUri = source["redirectUri"];
	        this.profiles = this.convertValues(source["profiles"], ProfileView);
	        this.pages = this.convertValues(source["pages"], PageView);
	        this.counts = this.convertValues(source["counts"], Counts);
	        this.check = this.convertValues(source["check"], CheckState);
	        this.seq = source["seq"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace metaapp {
	
	export class Step {
	    id: string;
	    title: string;
	    intro: string;
	    do: string[];
	    note: string;
	    button: string;
	    url: string;
	    field: string;
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new Step(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.intro = source["intro"];
	        this.do = source["do"];
	        this.note = source["note"];
	        this.button = source["button"];
	        this.url = source["url"];
	        this.field = source["field"];
	        this.source = source["source"];
	    }
	}
	export class Guide {
	    checkedOn: string;
	    redirectUri: string;
	    steps: Step[];
	
	    static createFrom(source: any = {}) {
	        return new Guide(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.checkedOn = source["checkedOn"];
	        this.redirectUri = source["redirectUri"];
	        this.steps = this.convertValues(source["steps"], Step);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

