/* Comment toolkit and builder: copy buttons and the live character counter. No inline JS (CSP). */
(function () {
  "use strict";

  function announce(status, key) {
    if (!status) { return; }
    status.textContent = status.getAttribute(key) || "";
    status.classList.remove("visually-hidden");
  }

  function copyWithSelection(target) {
    // Fallback for browsers without the async clipboard (or without permission).
    if (typeof target.select !== "function") { return false; }
    target.focus();
    target.select();
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.querySelector(".copy-status");
      if (!target) { return; }
      var text = target.value !== undefined ? target.value : target.textContent.trim();
      var done = function () { announce(status, "data-copied-text"); };
      var failed = function () {
        if (copyWithSelection(target)) { done(); } else { announce(status, "data-failed-text"); }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, failed);
      } else {
        failed();
      }
    });
  });

  var area = document.querySelector("textarea.draft-text");
  var counter = document.getElementById("char-count");
  var alertBox = document.getElementById("char-limit-alert");
  if (area && counter) {
    var limit = parseInt(counter.getAttribute("data-limit"), 10) || 5000;
    var wasOver = null;
    var format = function (template, values) {
      return template.replace(/\{(\w+)\}/g, function (m, key) {
        return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : m;
      });
    };
    var update = function () {
      // The form sends line ends as CR LF; count them the way the comment form's box does.
      var count = area.value.length;
      var over = count > limit;
      var fmt = new Intl.NumberFormat(document.documentElement.lang || undefined);
      counter.textContent = format(counter.getAttribute(over ? "data-over" : "data-under"), {
        count: fmt.format(count), limit: fmt.format(limit), over: fmt.format(count - limit)
      });
      counter.classList.toggle("text-danger", over);
      counter.classList.toggle("fw-semibold", over);
      if (alertBox && wasOver !== null && over !== wasOver) {
        alertBox.textContent = alertBox.getAttribute(over ? "data-over" : "data-under");
      }
      wasOver = over;
    };
    area.addEventListener("input", update);
    update();
  }

  // The draft is never stored: leaving the page (the language switcher, a link, closing the
  // tab) would lose an edited draft. Ask first, unless the draft's own form is being sent
  // (check again, or a download, after which that text is on the person's device).
  if (area && area.form) {
    var kept = area.value;
    var sending = false;
    area.form.addEventListener("submit", function () {
      sending = true;
      kept = area.value;
      window.setTimeout(function () { sending = false; }, 2000);
    });
    window.addEventListener("beforeunload", function (event) {
      if (sending || area.value === kept) { return; }
      event.preventDefault();
      event.returnValue = "";
    });
  }
})();
