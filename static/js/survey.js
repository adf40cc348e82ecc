/* Nothing typed is lost, online or not.

   Drafts: what is typed on a survey page is copied, as it is typed, to localStorage under the
   response and page ("ost-draft:<response>:<page>"), with the page's revision (it changes
   whenever the server saves the page). When the page is shown again with the same revision
   (tab closed, phone locked, Back pressed, or the page sent while offline), the copy is put
   back; once the server has saved the page, the revision differs and the copy is dropped.
   While online the same fields go to the server as a draft a moment after typing stops (and
   when the page is hidden), so the half-done page comes back on another device. Email
   addresses are never copied.

   Offline: the page registers the survey's service worker (/survey-sw.js), which caches every
   page of the response and the static files. Before a page is sent, the page this button
   leads to is worked out here from the page conditions and the answers (offline_next), so
   the service worker can move on while the page waits in its queue. Each page load gets a
   fresh submission key: a double tap sends the same key and the server saves it once. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-keep-answers]");
  var status = document.getElementById("offline-status");
  var done = document.querySelector("[data-response-done]");
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  var MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

  function read(key) {
    if (!store) { return null; }
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }
  function write(key, value) {
    if (!store) { return; }
    try { store.setItem(key, JSON.stringify(value)); } catch (e) { /* full or disabled */ }
  }
  function forgetResponse(id) {
    if (!store) { return; }
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var key = store.key(i);
      if (key && (key.indexOf("ost-draft:" + id + ":") === 0 || key === "ost-values:" + id)) {
        store.removeItem(key);
      }
    }
  }
  // The old copy kept for a failed save (sessionStorage) is replaced by the drafts.
  try { window.sessionStorage.removeItem("ost-survey-unsaved"); } catch (e) { /* none */ }

  var sw = ("serviceWorker" in navigator) && window.isSecureContext ? navigator.serviceWorker : null;
  if (sw && (form || done)) {
    sw.register("/survey-sw.js", { scope: "/" }).catch(function () { /* no offline mode */ });
  }
  if (done) {
    // Submitted: the drafts and cached pages of this response are no longer needed.
    forgetResponse(done.getAttribute("data-response-done"));
    try { window.sessionStorage.removeItem("ost-final-queued"); } catch (e) { /* none */ }
    if (sw) {
      sw.ready.then(function (reg) {
        if (reg.active) {
          reg.active.postMessage({ type: "forget", prefix: "/survey/r/" + done.getAttribute("data-response-done") + "/" });
        }
      });
    }
  }
  if (!form) { return; }

  var responseId = form.getAttribute("data-response");
  var pageKey = form.getAttribute("data-page");
  var revision = form.getAttribute("data-revision");
  var draftKey = "ost-draft:" + responseId + ":" + (form.getAttribute("data-draft-key") || pageKey);
  var valuesKey = "ost-values:" + responseId;
  var SKIP = { csrfmiddlewaretoken: 1, submission_key: 1, offline_next: 1, action: 1 };
  var offline = {};
  try {
    offline = JSON.parse(document.getElementById("survey-offline").textContent);
  } catch (e) { offline = { pages: [], values: {} }; }

  function say(text, extra) {
    if (!status) { return; }
    status.textContent = text || "";
    if (extra) { status.appendChild(extra); }
  }

  function randomKey() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function freshKey() { form.querySelector("[name=submission_key]").value = randomKey(); }
  freshKey();
  // A page brought back from the back-forward cache is a new visit: a new key.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { freshKey(); } });

  function fields() {
    var values = [];
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || SKIP[el.name] || el.type === "email" || el.type === "file" ||
          el.type === "submit" || el.type === "button" || el.disabled) { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { values.push([el.name, o.value]); });
        return;
      }
      values.push([el.name, el.value]);
    });
    return values;
  }

  function restore(values) {
    var names = {};
    values.forEach(function (pair) { names[pair[0]] = true; });
    Object.keys(names).forEach(function (name) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") { el.checked = false; }
      });
    });
    values.forEach(function (pair) {
      form.querySelectorAll('[name="' + pair[0] + '"]').forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === pair[1]) { el.checked = true; }
        } else if (el.type !== "hidden" && el.type !== "email") {
          el.value = pair[1];
        }
        // A folded section (the write-in tasks) opens when it holds something restored.
        var fold = el.closest("details");
        if (fold && pair[1] && el.type !== "checkbox" && el.type !== "radio") { fold.open = true; }
      });
    });
  }

  // Drafts of other pages of this response that the server has saved since are dropped.
  (offline.pages || []).forEach(function (p) {
    var other = read("ost-draft:" + responseId + ":" + p.key);
    if (other && p.key !== pageKey && other.rev !== p.rev && store) {
      store.removeItem("ost-draft:" + responseId + ":" + p.key);
    }
  });
  var saved = read(draftKey);
  if (saved && saved.rev === revision && Array.isArray(saved.values) &&
      (Date.now() - saved.at) < MAX_AGE_MS) {
    restore(saved.values);
    form.setAttribute("data-restored", "true");
    // Not said on a page the server sent back with errors: it shows what was sent already,
    // and "we put back what you had typed" read as if something had been lost.
    if (status && status.getAttribute("data-restored") && !document.getElementById("error-summary")) {
      say(status.getAttribute("data-restored"));
    }
  } else if (saved && store) {
    store.removeItem(draftKey);  // the server saved this page since
  }

  var timer = null;
  var dirty = false;
  function sendDraft(keepalive) {
    if (!dirty || !navigator.onLine || !window.fetch || !form.getAttribute("data-draft-url")) { return; }
    dirty = false;
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("base", revision);
    fields().forEach(function (pair) { body.append(pair[0], pair[1]); });
    fetch(form.getAttribute("data-draft-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-Requested-With": "fetch" }
    }).catch(function () { dirty = true; });
  }
  function keep() {
    write(draftKey, { rev: revision, at: Date.now(), values: fields() });
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { sendDraft(false); }, 1500);
  }
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { sendDraft(true); }
  });
  window.addEventListener("pagehide", function () { sendDraft(true); });

  // --- where a button leads, worked out on the phone (for the offline queue) ---
  function knownValues() {
    var values = {};
    Object.keys(offline.values || {}).forEach(function (k) { values[k] = offline.values[k].slice(); });
    var local = read(valuesKey) || {};
    Object.keys(local).forEach(function (k) { values[k] = local[k]; });
    return values;
  }
  function pageValues() {
    var values = {};
    form.querySelectorAll("[data-question]").forEach(function (wrapper) {
      var key = wrapper.getAttribute("data-question");
      var chosen = [];
      if (!wrapper.hidden) {
        wrapper.querySelectorAll('[name="' + key + '"]').forEach(function (el) {
          if ((el.type === "radio" || el.type === "checkbox") ? el.checked : (el.tagName === "SELECT" && el.value)) {
            chosen.push(el.value);
          }
        });
        var state = wrapper.querySelector('[name="' + key + '__state"]');
        if (state && state.value) { chosen.push(state.value); }
      }
      values[key] = chosen;
    });
    return values;
  }
  function met(cond, values) {
    if (!cond) { return true; }
    if (cond.all) { return cond.all.every(function (c) { return met(c, values); }); }
    if (cond.any) { return cond.any.some(function (c) { return met(c, values); }); }
    var have = values[cond.question] || [];
    if (cond["in"]) { return have.some(function (v) { return cond["in"].indexOf(String(v)) >= 0; }); }
    if (cond.not_in) {
      return have.length > 0 && !have.some(function (v) { return cond.not_in.indexOf(String(v)) >= 0; });
    }
    return true;
  }
  function target(action) {
    var values = knownValues();
    var mine = pageValues();
    Object.keys(mine).forEach(function (k) { values[k] = mine[k]; });
    var shown = (offline.pages || []).filter(function (p) { return met(p.condition, values); });
    var index = -1;
    shown.forEach(function (p, i) { if (p.key === pageKey) { index = i; } });
    if (index < 0) { return { url: "", values: mine }; }
    var to = index;
    if (action === "next") { to = Math.min(index + 1, shown.length - 1); }
    if (action === "back") { to = Math.max(index - 1, 0); }
    return { url: shown[to].url, values: mine };
  }

  var sending = false;
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var action = button && button.name === "action" ? button.value : "next";
    if (sending) {
      // A second tap while the first is on its way: the key is the same; let only one go.
      event.preventDefault();
      return;
    }
    sending = true;
    window.setTimeout(function () { sending = false; }, 4000);
    var leads = target(action);
    form.querySelector("[name=offline_next]").value = leads.url;
    write(draftKey, { rev: revision, at: Date.now(), values: fields() });
    var local = read(valuesKey) || {};
    Object.keys(leads.values).forEach(function (k) { local[k] = leads.values[k]; });
    write(valuesKey, local);
    if (action === "next" && form.hasAttribute("data-last-page")) {
      try { window.sessionStorage.setItem("ost-final-queued", responseId); } catch (e) { /* none */ }
    }
    window.clearTimeout(timer);
    dirty = false;  // the page itself is on its way: no draft after it
  });

  // --- the service worker: cache the survey, show and send the queue ---
  if (!sw) { return; }
  var size = 0;
  function show() {
    if (!status) { return; }
    if (size > 0 && !navigator.onLine) { say(status.getAttribute("data-queued")); }
    else if (size > 0) { say(status.getAttribute("data-sending")); }
    else if (!navigator.onLine) { say(status.getAttribute("data-offline")); }
  }
  function post(message) {
    if (sw.controller) { sw.controller.postMessage(message); }
  }
  sw.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "status" || data.type === "queued") {
      size = data.size || 0;
      show();
      if (size > 0 && navigator.onLine) { post({ type: "replay" }); }
    } else if (data.type === "cached") {
      form.setAttribute("data-offline-ready", "true");
    } else if (data.type === "sending") {
      say(status && status.getAttribute("data-sending"));
    } else if (data.type === "sent") {
      size = 0;
      var extra = null;
      var refused = data.attention && data.attention.length;
      if (refused) {
        // Named by the page's title, in the respondent's language (not its internal key).
        var path = data.attention[0];
        var known = (offline.pages || []).filter(function (p) { return p.url === path; })[0];
        extra = document.createElement("span");
        extra.appendChild(document.createTextNode(" " + status.getAttribute("data-attention") + " "));
        var link = document.createElement("a");
        link.href = path;
        link.textContent = known && known.title ? known.title : path;
        extra.appendChild(link);
      }
      say(status && status.getAttribute(refused ? "data-sent-some" : "data-sent"), extra);
      var final = null;
      try { final = window.sessionStorage.getItem("ost-final-queued"); } catch (e) { final = null; }
      if (final === responseId && form.hasAttribute("data-last-page")) {
        window.location.href = form.getAttribute("data-thanks-url");
      }
    }
  });
  if (sw.startMessages) { sw.startMessages(); }
  function ask() { post({ type: "status" }); }
  window.addEventListener("online", function () { post({ type: "replay" }); ask(); });
  window.addEventListener("offline", function () { show(); ask(); });
  sw.ready.then(function (reg) {
    var assets = [];
    document.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=icon][href]").forEach(function (el) {
      assets.push(el.href || el.src);
    });
    var pages = form.hasAttribute("data-prefetch") ? (offline.pages || []).map(function (p) { return p.url; }) : [];
    var worker = sw.controller || reg.active;
    if (worker) { worker.postMessage({ type: "cache", assets: assets, pages: pages }); }
    ask();
    if (navigator.onLine) { post({ type: "replay" }); }
  });
  if (!navigator.onLine) { show(); }
})();

/* Survey pages: skip logic, "other" boxes, exclusive choices, time-use total, task ratings.
   Progressive enhancement only: without this script every question shows and the server
   applies the same rules. */
(function () {
  "use strict";
  var form = document.querySelector(".survey-form");
  if (!form) { return; }

  function selectedValues(key) {
    var values = [];
    form.querySelectorAll('[name="' + key + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") ? el.checked : el.value) {
        values.push(el.value);
      }
    });
    var state = form.querySelector('[name="' + key + '__state"]');
    if (state && state.value) { values.push(state.value); }
    return values;
  }

  function met(cond) {
    if (!cond) { return true; }
    if (cond.all) { return cond.all.every(met); }
    if (cond.any) { return cond.any.some(met); }
    var wrapper = form.querySelector('[data-question="' + cond.question + '"]');
    if (!wrapper) { return true; } // answered on an earlier page: the server decided
    if (wrapper.hidden) { return false; }
    var have = selectedValues(cond.question);
    if (cond["in"]) { return have.some(function (v) { return cond["in"].indexOf(v) >= 0; }); }
    if (cond.not_in) {
      return have.length > 0 && !have.some(function (v) { return cond.not_in.indexOf(v) >= 0; });
    }
    return true;
  }

  function applyConditions() {
    form.querySelectorAll("[data-condition]").forEach(function (el) {
      var cond;
      try { cond = JSON.parse(el.getAttribute("data-condition")); } catch (e) { return; }
      el.hidden = !met(cond);
    });
  }

  function applyOther() {
    form.querySelectorAll("[data-other-box]").forEach(function (box) {
      var name = box.getAttribute("data-other-box");
      var trigger = form.querySelector('[data-other="' + name + '"]');
      var hasError = box.querySelector(".is-invalid");
      box.hidden = !(trigger && trigger.checked) && !hasError && !box.querySelector("input").value;
    });
  }

  function applyTaskRatings() {
    form.querySelectorAll("[data-ratings-for]").forEach(function (box) {
      var name = box.getAttribute("data-ratings-for");
      var yes = form.querySelector('[name="' + name + '"][value="yes"]');
      box.hidden = !(yes && yes.checked);
    });
  }

  function applyTimeTotals() {
    form.querySelectorAll("[data-time-use]").forEach(function (set) {
      var total = 0;
      var any = false;
      var unreadable = false;
      set.querySelectorAll(".time-share").forEach(function (input) {
        var value = input.value.trim();
        if (value === "") { return; }
        any = true;
        // Whole numbers only, as the server takes them: "9,5" is not read as 9.
        if (/^\d{1,3}$/.test(value)) { total += parseInt(value, 10); } else { unreadable = true; }
      });
      var out = set.querySelector(".time-total");
      out.hidden = !any;
      out.textContent = unreadable
        ? out.getAttribute("data-whole-label")
        : out.getAttribute("data-total-label") + ": " + total + "%";
      out.classList.toggle("text-danger", any && (unreadable || total !== 100));
      out.classList.toggle("text-success", !unreadable && total === 100);
    });
  }

  function onChange(event) {
    var el = event.target;
    if (el.type === "checkbox" && el.checked) {
      var group = form.querySelectorAll('[name="' + el.name + '"]');
      group.forEach(function (other) {
        if (other === el) { return; }
        if (el.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) {
          other.checked = false;
        }
      });
    }
    applyConditions();
    applyOther();
    applyTaskRatings();
    applyTimeTotals();
  }

  form.addEventListener("change", onChange);
  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("time-share")) { applyTimeTotals(); }
  });
  applyConditions();
  applyOther();
  applyTaskRatings();
  applyTimeTotals();

  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();

(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      input.select();
      var done = function () { button.textContent = button.getAttribute("data-copied"); };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(input.value).then(done, function () {});
      }
    });
  });
})();
