/* Export job page: poll the job's status view and update the progress bar, the status text
   and the download link until the job is finished. Without this script the page shows the
   state when it was loaded; reloading it shows the latest. */
(function () {
  "use strict";
  var box = document.querySelector("[data-export-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-export-status-url");
  var bar = box.querySelector("progress");
  var statusText = box.querySelector("[data-export-status]");
  var summary = box.querySelector("[data-export-summary]");
  var notice = box.querySelector("[data-export-notice]");
  var error = box.querySelector("[data-export-error]");
  var ready = box.querySelector("[data-export-ready]");
  var link = box.querySelector("[data-export-download]");
  var delay = 1500;

  function show(el, text) {
    if (!el) { return; }
    if (text) { el.textContent = text; }
    el.hidden = !text;
  }

  function update(data) {
    if (bar) {
      bar.value = data.progress;
      bar.textContent = data.progress + "%";
    }
    if (statusText) { statusText.textContent = data.status_label; }
    if (summary) { summary.textContent = data.summary; }
    show(notice, data.status === "pending" ? data.message : "");
    show(error, data.status === "failed" ? data.message : "");
    if (ready && link && data.download_url) {
      link.href = data.download_url;
      ready.hidden = false;
    }
  }

  function schedule() { window.setTimeout(poll, delay); }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (reply) {
        if (!reply.ok) { throw new Error("status " + reply.status); }
        return reply.json();
      })
      .then(function (data) {
        update(data);
        delay = 1500;
        if (!data.is_finished) { schedule(); }
      })
      .catch(function () {
        // Signed out, server restarting or offline: try again, less and less often.
        delay = Math.min(delay * 2, 30000);
        schedule();
      });
  }

  if (box.getAttribute("data-export-finished") !== "true") { schedule(); }
})();
