/* Announcement page: poll the send's status view and update the progress bar, the counts per
   status and the status text until every recipient is done. Without this script the page
   shows the state when it was loaded; reloading it shows the latest. */
(function () {
  "use strict";
  var box = document.querySelector("[data-send-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-send-status-url");
  var bar = box.querySelector("progress");
  var statusText = box.querySelector("[data-send-status]");
  var summary = box.querySelector("[data-send-summary]");
  var delay = 1500;

  function update(data) {
    if (bar) {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
    }
    if (statusText) { statusText.textContent = data.status_label; }
    if (summary) { summary.textContent = data.summary; }
    Object.keys(data.counts).forEach(function (key) {
      var el = box.querySelector('[data-send-count="' + key + '"]');
      if (el) { el.textContent = data.counts[key]; }
    });
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

  if (box.getAttribute("data-send-finished") !== "true") { schedule(); }
})();
