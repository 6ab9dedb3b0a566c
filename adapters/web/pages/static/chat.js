// Dealwise web chat: streamed answers (SSE over fetch), confirm/cancel, audio upload and recording.
(() => {
  "use strict";
  const root = document.getElementById("chat");
  if (!root) return;
  const csrf = root.dataset.csrf;
  const csrfHeader = root.dataset.csrfHeader;
  const messages = document.getElementById("messages");
  const composer = document.getElementById("composer");
  const input = document.getElementById("message");
  const sendButton = document.getElementById("send-button");
  const statusLine = document.getElementById("status");
  const fileInput = document.getElementById("audio-file");
  const recordButton = document.getElementById("record-button");
  const dealChooser = document.getElementById("upload-deal");
  const counter = document.getElementById("char-count");
  const maxChars = () => Number(root.dataset.maxChars) || 4000;
  const numberFormat = new Intl.NumberFormat("en-US");
  let threadId = root.dataset.threadId || null;
  let busy = false;

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const setStatus = (text, isError) => {
    statusLine.textContent = text || "";
    statusLine.classList.toggle("error", Boolean(isError));
  };

  const setBusy = (value) => {
    busy = value;
    sendButton.disabled = value || messageLength(input.value) > maxChars();
    recordButton.disabled = value && !recorder;
    fileInput.disabled = value;
    root.classList.toggle("busy", value);
  };

  // The message pane scrolls, not the page; it follows new text unless the reader has scrolled up.
  let followNewest = true;
  const scrollDown = () => { messages.scrollTop = messages.scrollHeight; };
  const follow = () => { if (followNewest) scrollDown(); };
  messages.addEventListener("scroll", () => {
    followNewest = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
  });

  const addMessage = (role, text) => {
    document.getElementById("welcome")?.remove();
    const article = el("article", `message ${role}`);
    const body = el("div", "text", text || "");
    article.appendChild(body);
    messages.appendChild(article);
    followNewest = true;
    scrollDown();
    return article;
  };

  // Characters as the server counts them (code points, surrounding whitespace ignored).
  const messageLength = (text) => [...text.trim()].length;
  const tooLongText = (length) =>
    `Too long: ${numberFormat.format(length)} characters; the limit is ${numberFormat.format(maxChars())}. Shorten it to send.`;
  const updateCounter = () => {
    const length = messageLength(input.value);
    const over = length > maxChars();
    counter.textContent = `${numberFormat.format(length)} / ${numberFormat.format(maxChars())}`;
    counter.classList.toggle("over", over);
    input.setAttribute("aria-invalid", String(over));
    sendButton.disabled = busy || over;
    if (over) {
      setStatus(tooLongText(length), true);
      statusLine.dataset.tooLong = "1";
    } else if (statusLine.dataset.tooLong) {
      delete statusLine.dataset.tooLong;
      setStatus("");
    }
  };

  const SHOWN_RECORDS = 6;
  const renderRecords = (article, records) => {
    if (!records || !records.length) return;
    const box = el("div", "records");
    box.appendChild(el("span", "", "Based on:"));
    records.forEach((record, index) => {
      const link = el("a", index < SHOWN_RECORDS ? "record-link" : "record-link extra", `${record.type}: ${record.name}`);
      link.href = `/records/${encodeURIComponent(record.type)}/${encodeURIComponent(record.id)}`;
      link.dataset.type = record.type;
      link.dataset.id = record.id;
      box.appendChild(link);
    });
    if (records.length > SHOWN_RECORDS) {
      const more = el("button", "more", `+${records.length - SHOWN_RECORDS} more`);
      more.type = "button";
      box.appendChild(more);
    }
    article.appendChild(box);
  };

  const resolveForm = (action, verb) => {
    const form = el("form", "resolve inline");
    form.method = "post";
    form.action = `/web/chat/${encodeURIComponent(threadId)}/${verb}`;
    for (const [name, value] of [["csrf_token", csrf], ["action_id", action.id]]) {
      const hidden = el("input");
      hidden.type = "hidden";
      hidden.name = name;
      hidden.value = value;
      form.appendChild(hidden);
    }
    const button = el("button", verb === "confirm" ? "primary" : "", verb === "confirm" ? "Confirm" : "Cancel");
    button.type = "submit";
    form.appendChild(button);
    return form;
  };

  // `shown`: the answer's HTML already previews what will change; that preview moves into the box, above the buttons.
  const renderPending = (article, action, shown) => {
    if (!action) return;
    const box = el("div", "pending");
    box.dataset.actionId = action.id;
    if (shown) for (const section of article.querySelectorAll(".text .answer-section")) box.appendChild(section);
    else box.appendChild(el("p", "summary", action.summary || action.kind));
    if (!shown && action.changes && action.changes.length) {
      const table = el("table", "changes");
      for (const change of action.changes) {
        const row = el("tr");
        row.appendChild(el("th", "", `${change.record_name} · ${change.field}`));
        const old = change.old === null || change.old === undefined ? "" : `${change.old} → `;
        row.appendChild(el("td", "", `${old}${change.new ?? ""}`));
        table.appendChild(row);
      }
      box.appendChild(table);
    }
    const actions = el("div", "actions");
    actions.appendChild(resolveForm(action, "confirm"));
    actions.appendChild(resolveForm(action, "cancel"));
    box.appendChild(actions);
    article.appendChild(box);
    follow();
  };

  const addThreadLink = (id, title) => {
    const list = document.getElementById("threads");
    if (!list) return;
    list.querySelector(".empty")?.remove();
    for (const item of list.querySelectorAll("li.current")) item.classList.remove("current");
    const item = el("li", "current");
    const link = el("a", "", title.slice(0, 80));
    link.href = `/chat/${encodeURIComponent(id)}`;
    item.appendChild(link);
    list.prepend(item);
  };

  const rememberThread = (id) => {
    if (!id || id === threadId) return;
    const first = messages.querySelector(".message.user .text");
    addThreadLink(id, first ? first.textContent : "New conversation");
    threadId = id;
    root.dataset.threadId = id;
    history.replaceState(null, "", `/chat/${encodeURIComponent(id)}`);
  };

  // The answer's own content. Part B (rich answers) extends this: it gets the whole ChatResponse.
  // A structured answer comes as an HTML fragment rendered (and escaped) by the server: tables, linked names.
  const renderAnswerBody = (body, response) => {
    body.classList.toggle("rich", Boolean(response.html));
    if (response.html) body.innerHTML = response.html;
    else body.textContent = response.answer;
  };

  // One assistant message from a ChatResponse (answer, thread_id, records, pending_action, grounded)
  // plus action_status: fills `article` (a new one if not given), remembers the thread, returns it.
  const renderMessage = (response, article) => {
    const target = article || addMessage("assistant", "");
    rememberThread(response.thread_id);
    let body = target.querySelector(".text");
    if (!body) { body = el("div", "text"); target.prepend(body); }
    renderAnswerBody(body, response);
    target.classList.toggle("ungrounded", response.grounded === false);
    for (const old of target.querySelectorAll(".records, .pending")) old.remove();
    renderRecords(target, response.records);
    if (response.action_status === "pending") renderPending(target, response.pending_action, Boolean(response.html));
    follow();
    return target;
  };

  // Reads a text/event-stream body; calls onEvent(name, parsedData) for each event.
  const readEvents = async (response, onEvent) => {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) name = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
        }
        if (data.length) onEvent(name, JSON.parse(data.join("\n")));
      }
    }
  };

  const errorText = async (response) => {
    try {
      const body = await response.json();
      if (typeof body.detail === "string") return body.detail;
      if (Array.isArray(body.detail)) return body.detail.map((d) => `${(d.loc || []).slice(-1)[0]}: ${d.msg}`).join("; ");
    } catch (_) { /* not JSON */ }
    return `request failed (${response.status})`;
  };

  const ask = async (text) => {
    addMessage("user", text);
    const article = addMessage("assistant streaming", "");
    const body = article.querySelector(".text");
    setBusy(true);
    setStatus("Thinking…");
    try {
      const response = await fetch("/web/chat/stream", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream", [csrfHeader]: csrf },
        body: JSON.stringify({ message: text, thread_id: threadId }),
      });
      if (!response.ok) throw new Error(await errorText(response));
      await readEvents(response, (name, data) => {
        if (name === "token") { body.textContent += data.text; follow(); }
        else if (name === "done") renderMessage(data, article);
        else if (name === "error") throw new Error(data.detail);
      });
      article.classList.remove("streaming");
      setStatus("");
    } catch (error) {
      article.classList.remove("streaming");
      article.classList.add("failed");
      body.textContent = error.message;
      setStatus(error.message, true);
      if (!input.value.trim()) { input.value = text; updateCounter(); }
    } finally {
      setBusy(false);
      input.focus();
    }
  };

  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    const length = messageLength(text);
    if (length > maxChars()) { setStatus(tooLongText(length), true); return; }
    input.value = "";
    updateCounter();
    ask(text);
  });

  input.addEventListener("input", updateCounter);

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  // Confirm / Cancel: fetch() with the CSRF header; the server answers with the turn's ChatResponse.
  messages.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.resolve");
    if (!form) return;
    event.preventDefault();
    for (const button of form.parentElement.querySelectorAll("button")) button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { Accept: "application/json", [csrfHeader]: csrf },
        body: new FormData(form),
      });
      if (!response.ok) throw new Error(await errorText(response));
      const result = await response.json();
      form.closest(".pending").classList.add("resolved");
      renderMessage(result);
    } catch (error) {
      setStatus(error.message, true);
      for (const button of form.parentElement.querySelectorAll("button")) button.disabled = false;
    }
  });

  // Audio: an uploaded file or an in-browser recording goes to the calls pipeline.
  const sendAudio = async (blob, filename) => {
    const deal = dealChooser && dealChooser.value ? dealChooser.selectedOptions[0].textContent : "";
    const article = addMessage("user", deal ? `Audio: ${filename}, for ${deal}` : `Audio: ${filename}`);
    article.classList.add("audio");
    setBusy(true);
    setStatus("Transcribing…");
    const form = new FormData();
    form.append("audio", blob, filename);
    if (threadId) form.append("thread_id", threadId);
    if (dealChooser && dealChooser.value) form.append("deal_id", dealChooser.value);
    try {
      const response = await fetch("/web/calls", {
        method: "POST",
        headers: { Accept: "application/json", [csrfHeader]: csrf },
        body: form,
      });
      if (!response.ok) throw new Error(await errorText(response));
      const result = await response.json();
      renderMessage(result.response);
      setStatus("");
    } catch (error) {
      setStatus(error.message, true);
      article.classList.add("failed");
    } finally {
      setBusy(false);
    }
  };

  fileInput.addEventListener("change", () => {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (file) sendAudio(file, file.name);
  });

  let recorder = null;
  recordButton.addEventListener("click", async () => {
    if (recorder) { recorder.stop(); return; }
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      setStatus("This browser cannot record audio here; upload a file instead.", true);
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      setStatus(`Microphone not available: ${error.message}`, true);
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream, MediaRecorder.isTypeSupported("audio/webm") ? { mimeType: "audio/webm" } : {});
    recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
    recorder.addEventListener("stop", () => {
      for (const track of stream.getTracks()) track.stop();
      recorder = null;
      recordButton.textContent = "● Record";
      recordButton.setAttribute("aria-pressed", "false");
      recordButton.classList.remove("recording");
      const blob = new Blob(chunks, { type: chunks[0]?.type || "audio/webm" });
      if (blob.size) sendAudio(blob, `voice-note-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.webm`);
    });
    recorder.start();
    recordButton.textContent = "■ Stop";
    recordButton.setAttribute("aria-pressed", "true");
    recordButton.classList.add("recording");
    setStatus("Recording… press Stop when done.");
  });

  messages.addEventListener("click", (event) => {
    const more = event.target.closest(".records .more");
    if (!more) return;
    more.parentElement.classList.add("expanded");
    more.remove();
  });

  // Phone layout: the conversation list folds away behind a toggle.
  const toggle = document.getElementById("sidebar-toggle");
  toggle?.addEventListener("click", () => {
    const open = document.getElementById("sidebar").classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });

  updateCounter();
  scrollDown();
})();
