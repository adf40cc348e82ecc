/* Every background job's page (exports, proposal documents, announcement sends): poll the
   job's status view and update the progress bar, the status text, the summary, the counts,
   the waiting notice, the error and the download link until the job is finished. Without
   this script the page shows the state when it was loaded; reloading it shows the latest.

   Markup (templates/jobs/_progress.html writes it):
     [data-job-status-url]  the box; data-job-finished="true" when there is nothing to poll
     progress               the bar (value 0-100)
     [data-job-status]      status text          [data-job-summary]  e.g. "1,200 rows written"
     [data-job-notice]      shown while waiting  [data-job-error]    shown when failed
     [data-job-ready]       shown with the link  [data-job-download] the link
     [data-job-count=KEY]   one count of the reply's "counts" (announcements) */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("progress");
  var statusText = box.querySelector("[data-job-status]");
  var summary = box.querySelector("[data-job-summary]");
  var notice = box.querySelector("[data-job-notice]");
  var error = box.querySelector("[data-job-error]");
  var ready = box.querySelector("[data-job-ready]");
  var link = box.querySelector("[data-job-download]");
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
    Object.keys(data.counts || {}).forEach(function (key) {
      var el = box.querySelector('[data-job-count="' + key + '"]');
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

  if (box.getAttribute("data-job-finished") !== "true") { schedule(); }
})();
