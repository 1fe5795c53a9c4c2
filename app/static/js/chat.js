// Live chat for both sides: the subscriber's chat (/chat/) and the operator's console
// (/chat/console). Events arrive from the chat stream server (Server-Sent Events); everything
// written goes to the web server. Nothing is lost on a dropped connection: every message has
// the browser's own client id (a resend is stored once), unsent messages stay in localStorage
// and go again, and on each (re)connect the page fetches what it missed by message id.
(() => {
  const root = document.querySelector("[data-chat-root]");
  if (!root) return;
  const side = root.dataset.side;
  const csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  const PENDING = `ulybka-chat-pending-${side}`;

  const post = async (url, data) => {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(data || {}),
    });
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    if (!response.ok) {
      const message = (body.error && body.error.message) || `Сервер ответил ошибкой ${response.status}.`;
      const error = new Error(message);
      error.refused = response.status === 400;
      throw error;
    }
    return body;
  };
  const getJson = async (url) => {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${response.status}`);
    return response.json();
  };
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(16).slice(2)}`);
  const time = (iso) => new Date(iso).toLocaleTimeString("ru-RU", {
    hour: "2-digit", minute: "2-digit", timeZone: "Europe/Moscow" });  // as the server writes them

  // One chat's conversation on the page.
  class Pane {
    constructor(el, base) {
      this.el = el;
      this.base = base;
      this.log = el.querySelector(".chat-log");
      this.lastId = 0;
      this.inflight = new Set();
      this.readByOther = Number(el.dataset.readByOther || 0);
      for (const li of this.log.querySelectorAll("[data-id]")) this.lastId = Math.max(this.lastId, Number(li.dataset.id));
      this.typingEl = el.querySelector(".chat-typing");
      this.form = el.querySelector(".chat-send");
      if (this.form) {
        this.form.addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
        const box = this.form.querySelector("textarea");
        box.addEventListener("keydown", (e) => {
          if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); this.submit(); }
        });
        let last = 0;
        box.addEventListener("input", () => {
          if (Date.now() - last > 2500) { last = Date.now(); post(`${this.base}/typing`).catch(() => {}); }
        });
      }
      const file = el.querySelector(".chat-file");
      if (file) file.addEventListener("change", () => { if (file.files[0]) this.upload(file); });
      this.marks();
      this.scroll();
    }
    async upload(input) {
      const chosen = input.files[0];
      const clientId = uuid();
      this.render({ client_id: clientId, from: side, body: `Файл: ${chosen.name}`, created_at: new Date().toISOString() }, true);
      const form = new FormData();
      form.append("file", chosen);
      form.append("client_id", clientId);
      input.value = "";
      const li = this.log.querySelector(`[data-client="${CSS.escape(clientId)}"]`);
      try {
        const response = await fetch(`${this.base}/files`, {
          method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf }, body: form,
        });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error((body.error && body.error.message) || `Сервер ответил ошибкой ${response.status}.`);
        this.render(body);
      } catch (error) {
        li.classList.add("msg-failed");
        li.querySelector(".msg-mark").textContent = error.message;
      }
    }
    pending() { return JSON.parse(localStorage.getItem(PENDING) || "[]").filter((p) => p.base === this.base); }
    savePending(list) {
      const others = JSON.parse(localStorage.getItem(PENDING) || "[]").filter((p) => p.base !== this.base);
      localStorage.setItem(PENDING, JSON.stringify(others.concat(list)));
    }
    submit() {
      const box = this.form.querySelector("textarea");
      const body = box.value.trim();
      if (!body) return;
      const item = { base: this.base, client_id: uuid(), body };
      this.savePending(this.pending().concat([item]));
      box.value = "";
      this.render({ client_id: item.client_id, from: side, body, created_at: new Date().toISOString() }, true);
      this.deliver(item);
    }
    async deliver(item) {
      if (this.inflight.has(item.client_id)) return;
      this.inflight.add(item.client_id);
      try {
        const stored = await post(`${this.base}/messages`, { client_id: item.client_id, body: item.body });
        this.savePending(this.pending().filter((p) => p.client_id !== item.client_id));
        this.render(stored);
        this.read();
      } catch (error) {
        const li = this.log.querySelector(`[data-client="${CSS.escape(item.client_id)}"]`);
        if (error.refused) {  // the server will never take it: say why, do not retry
          this.savePending(this.pending().filter((p) => p.client_id !== item.client_id));
          if (li) { li.classList.add("msg-failed"); li.querySelector(".msg-mark").textContent = error.message; }
          const box = this.form && this.form.querySelector("textarea");
          if (box && !box.value) box.value = item.body;  // back in the box, to be shortened or fixed
        } else if (li) {
          li.querySelector(".msg-mark").textContent = "не отправлено — повторим, когда связь вернётся";
        }
      } finally {
        this.inflight.delete(item.client_id);
      }
    }
    resend() { for (const item of this.pending()) this.deliver(item); }
    render(m, pending) {
      let li = this.log.querySelector(`[data-client="${CSS.escape(m.client_id)}"]`);
      if (!li && m.id) li = this.log.querySelector(`[data-id="${m.id}"]`);
      if (!li) {
        li = document.createElement("li");
        li.dataset.client = m.client_id;
        li.className = `msg msg-${m.from}`;
        const text = document.createElement("p");
        text.className = "msg-text";
        text.textContent = m.body;  // text, never HTML
        if (m.file && m.id) {
          text.textContent = "";
          const link = document.createElement("a");
          link.href = `${this.base}/files/${m.id}`;
          link.textContent = m.body;
          text.append(link);
        }
        const meta = document.createElement("small");
        meta.className = "msg-meta muted";
        const when = document.createElement("span");
        when.className = "msg-when";
        const mark = document.createElement("span");
        mark.className = "msg-mark";
        meta.append(when, " ", mark);
        li.append(text, meta);
        this.log.append(li);
        this.scroll();
      }
      const who = m.from === "system" ? "" : (m.from === side ? "Вы"
        : (m.author || (side === "operator" ? "Абонент" : "Оператор")));
      li.querySelector(".msg-when").textContent = [who, m.time || time(m.created_at)].filter(Boolean).join(" · ");
      if (m.file && m.id && !li.querySelector(".msg-text a")) {
        const text = li.querySelector(".msg-text");
        const link = document.createElement("a");
        link.href = `${this.base}/files/${m.id}`;
        link.textContent = m.body;
        text.replaceChildren(link);
      }
      if (m.id) {
        li.dataset.id = m.id;
        this.lastId = Math.max(this.lastId, m.id);
      }
      if (pending) li.querySelector(".msg-mark").textContent = "отправляется…";
      this.marks();
    }
    marks() {
      for (const li of this.log.querySelectorAll(`.msg-${side}`)) {
        const mark = li.querySelector(".msg-mark");
        if (!li.dataset.id || li.classList.contains("msg-failed")) continue;
        const read = Number(li.dataset.id) <= this.readByOther;
        mark.textContent = read ? "✓✓ прочитано" : "✓ доставлено";
        mark.classList.toggle("msg-read", read);
      }
    }
    scroll() { this.log.scrollTop = this.log.scrollHeight; }
    async catchUp() {
      const data = await getJson(`${this.base}/messages?after=${this.lastId}`);
      for (const m of data.messages) this.render(m);
      this.readByOther = Math.max(this.readByOther, data.chat.read_by_other || 0);
      this.marks();
      this.read();
      return data.chat;
    }
    read() {
      if (document.visibilityState === "visible" && this.lastId) {
        post(`${this.base}/read`, { upto: this.lastId }).catch(() => {});
      }
    }
    typing() {
      if (!this.typingEl) return;
      this.typingEl.hidden = false;
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => { this.typingEl.hidden = true; }, 4000);
    }
  }

  let acting = false;  // a take / transfer / close of this page is on its way
  const panes = new Map();  // chat id -> Pane
  for (const el of root.querySelectorAll("[data-chat-pane]")) panes.set(Number(el.dataset.chatId), new Pane(el, el.dataset.base));

  const onChatState = async () => {
    if (side === "subscriber") { window.location.reload(); return; }
    const wanted = new URL(window.location.href).searchParams.get("chat");
    const state = await getJson("/chat/console/state");
    const held = state.mine.map((c) => String(c.id));
    if (wanted && !held.includes(wanted)) window.location.assign("/chat/console");
    else window.location.reload();
  };

  const handle = (event) => {
    const pane = panes.get(event.chat);
    if (event.type === "message" && pane) { pane.render(event.message); pane.read(); }
    else if (event.type === "read" && pane) { pane.readByOther = Math.max(pane.readByOther, event.upto); pane.marks(); }
    else if (event.type === "typing" && pane) pane.typing();
    else if (event.type === "chat" || event.type === "queue") {
      if (acting) return;  // this page's own action navigates by itself
      const box = root.querySelector(".chat-composing");
      if (box && box.value && box.value.trim()) return;  // do not reload under a half-written answer
      onChatState().catch(() => {});
    }
  };

  const status = root.querySelector(".chat-connection");
  let source;
  let streamUrl = root.dataset.stream;
  const connect = () => {
    source = new EventSource(streamUrl);
    source.onopen = () => {
      if (status) status.hidden = true;
      for (const pane of panes.values()) { pane.catchUp().catch(() => {}); pane.resend(); }
    };
    source.onmessage = (e) => { try { handle(JSON.parse(e.data)); } catch (err) { /* a garbled event */ } };
    source.onerror = async () => {
      if (status) status.hidden = false;
      if (source.readyState !== EventSource.CLOSED) return;  // EventSource reconnects by itself
      try {  // the token ran out or was refused: ask for a new one (only a signed-in page gets it)
        const response = await fetch("/chat/stream-token", { credentials: "same-origin", redirect: "manual" });
        if (!response.ok) throw new Error("signed out");
        streamUrl = (await response.json()).stream;
        setTimeout(connect, 1000);
      } catch (e) {
        if (status) status.textContent = "Сессия завершена — войдите снова, чтобы продолжить чат.";
      }
    };
  };
  connect();
  // a safety net for events lost while the stream server was away
  setInterval(() => { for (const pane of panes.values()) pane.catchUp().catch(() => {}); }, 20000);
  // unsent messages go again as soon as the connection is back (and every few seconds until then)
  const resendAll = () => { for (const pane of panes.values()) pane.resend(); };
  window.addEventListener("online", () => {
    resendAll();
    for (const pane of panes.values()) pane.catchUp().catch(() => {});
  });
  setInterval(resendAll, 3000);
  document.addEventListener("visibilitychange", () => { for (const pane of panes.values()) pane.read(); });

  // The console: ready answers from the knowledge base, transfer, close, take.
  for (const form of root.querySelectorAll("[data-canned]")) {
    const input = form.querySelector("input");
    const list = form.querySelector(".canned-results");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const data = await getJson(`/chat/canned?q=${encodeURIComponent(input.value)}&carrier=${form.dataset.carrier}`);
      list.replaceChildren(...data.items.map((item) => {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-small";
        button.textContent = "Вставить";
        button.addEventListener("click", () => {
          const box = root.querySelector(`[data-chat-pane] textarea`);
          box.value = (box.value ? `${box.value}\n` : "") + item.text;
          box.focus();
        });
        const title = document.createElement("strong");
        title.textContent = item.title;
        const text = document.createElement("p");
        text.textContent = item.text;
        li.append(title, text, button);
        return li;
      }));
      if (!data.items.length) list.textContent = "Ничего не нашлось — переформулируйте.";
    });
  }
  for (const button of root.querySelectorAll("[data-post]")) {
    button.addEventListener("click", async () => {
      if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
      const form = button.closest("form");
      const data = form ? Object.fromEntries(new FormData(form)) : {};
      const error = root.querySelector(".chat-error");
      acting = true;
      button.disabled = true;
      try {
        const answer = await post(button.dataset.post, data);
        if (button.dataset.go) window.location.assign(button.dataset.go.replace("{ticket}", answer.ticket || ""));
        else window.location.reload();
      } catch (err) {
        acting = false;
        button.disabled = false;
        if (error) { error.textContent = err.message; error.hidden = false; }
      }
    });
  }
})();
