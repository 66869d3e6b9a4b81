// <dossier-report-button> — Dossier's embeddable report button. Vanilla JS, an ES module,
// no dependencies, served as-is by the gateway at /widget/dossier-report-button.js.
//
//   <script type="module" src="https://API/widget/dossier-report-button.js"></script>
//   <dossier-report-button client-id="client_123" candidate-id="cand_456"
//       session-url="/your-backend/dossier-session"></dossier-report-button>
//
// `session-url` is on the partner's own backend: POSTed {client_id, candidate_id} (JSON, with
// the page's cookies), it answers what `POST /api/v1/widget-sessions` gave it,
// {token, expires_at}, plus `analysis`: {client: {...}, candidate: {...}}, the body of
// `POST /api/v1/analyses` for this pair (without `language`). The API key stays there.
// `api-base` defaults to the origin this script was served from; `lang` (en, fr, de, es, it)
// to the nearest `lang` attribute of the page. States (seeds 000/001): "Run candidate
// intelligence report" -> "Running…" (stage, signals) -> the report opens by itself ->
// "✕ Close report" -> "View Intelligence report"; failed and canceled offer a retry.
// Every change is announced as a `dossier-report-button:state` event (bubbles, composed).

const MESSAGES = {
  en: {
    checking: "Checking…", run: "Run candidate intelligence report", running: "Running…",
    close: "✕ Close report", view: "View Intelligence report",
    failed: "Report failed — retry", canceled: "Report canceled — retry",
    error: "Could not reach Dossier — retry", title: "Candidate intelligence report",
    opened: "Report opened.", signals: (n) => (n === 1 ? "1 signal" : `${n} signals`),
    stages: { queued: "queued", identity: "identity", enrichment: "enrichment", report: "report", done: "done" },
  },
  fr: {
    checking: "Vérification…", run: "Lancer le rapport d'intelligence candidat", running: "En cours…",
    close: "✕ Fermer le rapport", view: "Voir le rapport d'intelligence",
    failed: "Échec du rapport — réessayer", canceled: "Rapport annulé — réessayer",
    error: "Dossier injoignable — réessayer", title: "Rapport d'intelligence candidat",
    opened: "Rapport ouvert.", signals: (n) => (n <= 1 ? `${n} signal` : `${n} signaux`),
    stages: { queued: "en attente", identity: "identité", enrichment: "enrichissement", report: "rapport", done: "terminé" },
  },
  de: {
    checking: "Wird geprüft…", run: "Kandidaten-Intelligence-Bericht erstellen", running: "Läuft…",
    close: "✕ Bericht schließen", view: "Intelligence-Bericht ansehen",
    failed: "Bericht fehlgeschlagen – erneut versuchen", canceled: "Bericht abgebrochen – erneut versuchen",
    error: "Dossier nicht erreichbar – erneut versuchen", title: "Kandidaten-Intelligence-Bericht",
    opened: "Bericht geöffnet.", signals: (n) => (n === 1 ? "1 Signal" : `${n} Signale`),
    stages: { queued: "in Warteschlange", identity: "Identität", enrichment: "Anreicherung", report: "Bericht", done: "fertig" },
  },
  es: {
    checking: "Comprobando…", run: "Generar informe de inteligencia del candidato", running: "En curso…",
    close: "✕ Cerrar informe", view: "Ver informe de inteligencia",
    failed: "El informe falló — reintentar", canceled: "Informe cancelado — reintentar",
    error: "No se pudo contactar con Dossier — reintentar", title: "Informe de inteligencia del candidato",
    opened: "Informe abierto.", signals: (n) => (n === 1 ? "1 señal" : `${n} señales`),
    stages: { queued: "en cola", identity: "identidad", enrichment: "enriquecimiento", report: "informe", done: "terminado" },
  },
  it: {
    checking: "Verifica…", run: "Genera report di intelligence sul candidato", running: "In corso…",
    close: "✕ Chiudi report", view: "Visualizza report di intelligence",
    failed: "Report non riuscito — riprova", canceled: "Report annullato — riprova",
    error: "Dossier non raggiungibile — riprova", title: "Report di intelligence sul candidato",
    opened: "Report aperto.", signals: (n) => (n === 1 ? "1 segnale" : `${n} segnali`),
    stages: { queued: "in coda", identity: "identità", enrichment: "arricchimento", report: "report", done: "completato" },
  },
};
const TERMINAL = new Set(["completed", "failed", "canceled"]);
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;
//: A report link is signed for an hour: older than this, re-read the analysis (free) first.
const LINK_FRESH_MS = 45 * 60 * 1000;

const STYLE = `
:host { display: inline-block; font-family: var(--dossier-font, system-ui, sans-serif); }
button { font: inherit; cursor: pointer; }
#main {
  background: var(--dossier-button-bg, #1f4fd1); color: var(--dossier-button-fg, #fff);
  border: var(--dossier-button-border, 1px solid transparent);
  border-radius: var(--dossier-button-radius, 6px); padding: var(--dossier-button-padding, 8px 14px);
  font-size: var(--dossier-button-font-size, 14px); font-weight: 600; min-width: 12em;
}
#main:hover { filter: brightness(1.08); }
#main:focus-visible, #close:focus-visible { outline: 3px solid var(--dossier-focus-ring, #ffb000); outline-offset: 2px; }
#main[data-state="running"], #main[data-state="checking"] { cursor: progress; opacity: .85; }
#main[data-state="failed"], #main[data-state="canceled"], #main[data-state="error"] {
  background: var(--dossier-button-error-bg, #b42318); }
#progress { display: block; min-height: 1.2em; font-size: 12px; margin-top: 4px;
  color: var(--dossier-progress-fg, #5a6478); }
dialog { width: var(--dossier-dialog-width, min(960px, 94vw)); height: var(--dossier-dialog-height, 88vh);
  padding: 0; border: 0; border-radius: var(--dossier-dialog-radius, 10px);
  box-shadow: 0 20px 60px rgba(0,0,0,.35); overflow: hidden; }
dialog[open] { display: flex; flex-direction: column; }
dialog::backdrop { background: var(--dossier-backdrop, rgba(15, 20, 30, .55)); }
header { display: flex; justify-content: space-between; align-items: center; gap: 12px;
  padding: 10px 14px; background: var(--dossier-dialog-header-bg, #1d2330);
  color: var(--dossier-dialog-header-fg, #fff); }
header h2 { font-size: 15px; margin: 0; }
#close { background: transparent; color: inherit; border: 1px solid currentColor;
  border-radius: var(--dossier-button-radius, 6px); padding: 6px 12px; }
iframe { flex: 1; width: 100%; border: 0; background: #fff; }
`;

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

class HttpError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export class DossierReportButton extends HTMLElement {
  static observedAttributes = ["lang", "client-id", "candidate-id"];

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = `<style>${STYLE}</style>
      <button id="main" type="button" part="button" aria-haspopup="dialog" aria-expanded="false"></button>
      <span id="progress" part="progress" role="status" aria-live="polite"></span>
      <dialog id="dialog" part="dialog" aria-labelledby="title">
        <header><h2 id="title"></h2><button id="close" type="button" part="close"></button></header>
        <iframe id="frame" title=""></iframe>
      </dialog>`;
    this.$ = (id) => root.getElementById(id);
    this._state = "checking";
    this._analysis = null;
    this._fetchedAt = 0;
    this._session = null;
    this._stage = null;
    this._signals = 0;
    this._abort = null;
    this.$("main").addEventListener("click", () => this._onClick());
    this.$("close").addEventListener("click", () => this.closeReport());
    // Escape (the dialog's `cancel`) closes the report like the button does.
    this.$("dialog").addEventListener("cancel", (event) => { event.preventDefault(); this.closeReport(); });
  }

  connectedCallback() {
    this._render();
    if (!this._started) {
      this._started = true;
      this._findExisting();
    }
  }

  disconnectedCallback() { this._abort?.abort(); }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this._started) return;
    if (name === "lang") { this._render(); return; }
    this._abort?.abort();
    this._session = null; this._analysis = null;
    this._findExisting();
  }

  get state() { return this._state; }

  get _lang() {
    const own = this.getAttribute("lang") || this.closest("[lang]")?.getAttribute("lang")
      || document.documentElement.lang || "en";
    const code = own.slice(0, 2).toLowerCase();
    return MESSAGES[code] ? code : "en";
  }

  get _t() { return MESSAGES[this._lang]; }

  get _apiBase() { return (this.getAttribute("api-base") || SCRIPT_ORIGIN).replace(/\/$/, ""); }

  _set(state, extra = {}) {
    Object.assign(this, extra);
    this._state = state;
    this._render();
    this.dispatchEvent(new CustomEvent("dossier-report-button:state", {
      bubbles: true, composed: true,
      detail: { state, stage: this._stage, signals: this._signals, analysisId: this._analysis?.id ?? null },
    }));
  }

  _render() {
    const t = this._t;
    const main = this.$("main");
    const label = {
      checking: t.checking, idle: t.run, running: t.running, open: t.close, view: t.view,
      failed: t.failed, canceled: t.canceled, error: t.error,
    }[this._state];
    main.textContent = label;
    main.dataset.state = this._state;
    main.setAttribute("aria-busy", String(this._state === "running" || this._state === "checking"));
    main.setAttribute("aria-expanded", String(this._state === "open"));
    main.disabled = this._state === "checking";
    this.$("title").textContent = t.title;
    this.$("close").textContent = t.close;
    this.$("frame").title = t.title;
    const progress = this.$("progress");
    if (this._state === "running") {
      const stage = t.stages[this._stage || "queued"] || this._stage;
      progress.textContent = `${stage} · ${t.signals(this._signals)}`;
    } else if (this._state === "open") {
      progress.textContent = t.opened;
    } else {
      progress.textContent = "";
    }
  }

  // ------------------------------------------------------------------ API access
  async _token(force = false) {
    const s = this._session;
    if (!force && s && Date.parse(s.expires_at) - Date.now() > 30_000) return s.token;
    const answer = await fetch(this.getAttribute("session-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        client_id: this.getAttribute("client-id"), candidate_id: this.getAttribute("candidate-id"),
      }),
    });
    if (!answer.ok) throw new HttpError(answer.status, await answer.json().catch(() => null));
    this._session = await answer.json();
    return this._session.token;
  }

  async _api(path, init = {}, retried = false) {
    const token = await this._token(retried);
    const answer = await fetch(this._apiBase + path, {
      ...init,
      headers: { Accept: "application/json", ...(init.headers || {}), Authorization: `Bearer ${token}` },
    });
    if (answer.status === 401 && !retried) return this._api(path, init, true); // expired: new token
    return answer;
  }

  async _json(path, init) {
    const answer = await this._api(path, init);
    const body = await answer.json().catch(() => null);
    if (!answer.ok) throw new HttpError(answer.status, body);
    return { answer, body };
  }

  // ------------------------------------------------------------------ flow
  async _findExisting() {
    this._set("checking");
    const query = new URLSearchParams({
      client_id: this.getAttribute("client-id"), candidate_id: this.getAttribute("candidate-id"), limit: "1",
    });
    try {
      const { body } = await this._json(`/api/v1/analyses?${query}`);
      const current = body.data[0];
      if (!current) { this._set("idle"); return; }
      this._show(current);
    } catch (error) {
      this._set("error", { _error: error });
    }
  }

  _show(analysis) {
    this._analysis = analysis;
    this._fetchedAt = Date.now();
    if (analysis.status === "completed") this._set("view");
    else if (analysis.status === "failed") this._set("failed");
    else if (analysis.status === "canceled") this._set("canceled");
    else this._follow(analysis);
  }

  _onClick() {
    switch (this._state) {
      case "idle": case "failed": case "canceled": this._run(); break;
      case "view": this.openReport(); break;
      case "open": this.closeReport(); break;
      case "error": (this._analysis ? this._follow(this._analysis) : this._findExisting()); break;
      default: break; // running, checking: nothing to do
    }
  }

  async _run() {
    this._set("running", { _stage: "queued", _signals: 0 });
    try {
      await this._token();
      const request = this._session.analysis || {};
      const body = {
        language: this._lang,
        ...request,
        client: { ...(request.client || {}), id: this.getAttribute("client-id") },
        candidate: { ...(request.candidate || {}), id: this.getAttribute("candidate-id") },
      };
      const { body: created } = await this._json("/api/v1/analyses", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      if (created.status === "completed") { this._analysis = created; this._fetchedAt = Date.now(); this.openReport(); return; }
      this._follow(created);
    } catch (error) {
      this._set("error", { _error: error });
    }
  }

  async _follow(analysis) {
    this._abort?.abort();
    const abort = (this._abort = new AbortController());
    this._analysis = analysis;
    this._set("running", { _stage: analysis.stage || "queued", _signals: (analysis.signals || []).length });
    let final = null;
    try {
      final = await this._stream(analysis.id, abort.signal);
    } catch {
      final = null; // no streaming here (proxy, old browser): poll instead
    }
    try {
      while (!final && !abort.signal.aborted) final = await this._poll(analysis.id, abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) this._set("error", { _error: error });
      return;
    }
    if (!final || abort.signal.aborted) return;
    this._analysis = final;
    this._fetchedAt = Date.now();
    if (final.status === "completed") this.openReport();
    else this._set(final.status);
  }

  // Server-Sent Events over fetch (EventSource cannot send Authorization); resumes with
  // Last-Event-ID when the server closes a long stream. Returns the final analysis.
  async _stream(id, signal) {
    let lastId = null;
    for (let attempt = 0; attempt < 50 && !signal.aborted; attempt += 1) {
      const headers = { Accept: "text/event-stream" };
      if (lastId) headers["Last-Event-ID"] = lastId;
      const answer = await this._api(`/api/v1/analyses/${encodeURIComponent(id)}/events`, { headers, signal });
      if (!answer.ok || !answer.body) throw new HttpError(answer.status, null);
      const reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let event = { data: "" };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.search(/\r?\n/)) >= 0) {
          const line = buffer.slice(0, cut);
          buffer = buffer.slice(cut + (buffer[cut] === "\r" ? 2 : 1));
          if (line === "") {
            if (event.id) lastId = event.id;
            const final = event.data ? this._onEvent(event.type, JSON.parse(event.data)) : null;
            if (final) { reader.cancel().catch(() => {}); return final; }
            event = { data: "" };
          } else if (!line.startsWith(":")) {
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const data = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "data") event.data += (event.data ? "\n" : "") + data;
            else if (field === "event") event.type = data;
            else if (field === "id") event.id = data;
          }
        }
      }
    }
    return null;
  }

  _onEvent(type, data) {
    if (type === "stage") this._set("running", { _stage: data.stage });
    else if (type === "signal") this._set("running", { _signals: Math.max(this._signals, data.index + 1) });
    else if (TERMINAL.has(type)) return data.analysis;
    return null;
  }

  async _poll(id, signal) {
    const answer = await this._api(`/api/v1/analyses/${encodeURIComponent(id)}`, { signal });
    const body = await answer.json().catch(() => null);
    if (!answer.ok) throw new HttpError(answer.status, body);
    if (TERMINAL.has(body.status)) return body;
    this._set("running", { _stage: body.stage || "queued", _signals: (body.signals || []).length });
    const wait = Number(answer.headers.get("Retry-After")) || 10;
    await sleep(wait * 1000, signal);
    return null;
  }

  // ------------------------------------------------------------------ the report
  /** Open the cached report (re-reading the analysis — free — when its link is old). */
  async openReport() {
    if (!this._analysis) return;
    if (Date.now() - this._fetchedAt > LINK_FRESH_MS) {
      try {
        const { body } = await this._json(`/api/v1/analyses/${encodeURIComponent(this._analysis.id)}`);
        this._analysis = body; this._fetchedAt = Date.now();
      } catch (error) { this._set("error", { _error: error }); return; }
    }
    const url = this._analysis.metadata?.report_url || this._analysis.metadata?.pdf_download_url;
    if (!url) return;
    const frame = this.$("frame");
    if (frame.getAttribute("src") !== url) frame.setAttribute("src", url);
    const dialog = this.$("dialog");
    if (!dialog.open) dialog.showModal();
    this.$("close").focus();
    this._set("open");
  }

  closeReport() {
    const dialog = this.$("dialog");
    if (dialog.open) dialog.close();
    if (this._state === "open") this._set("view");
    this.$("main").focus();
  }
}

if (!customElements.get("dossier-report-button")) {
  customElements.define("dossier-report-button", DossierReportButton);
}
