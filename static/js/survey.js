/* Answers survive a failed save. Before a survey page is sent, its values are copied to
   sessionStorage (this tab only, gone when the tab closes). If the save fails (the portal
   answered "try again in a minute", or the connection dropped) and the same page is shown
   again, the values are put back. The copy is deleted as soon as any later survey page or
   the thank-you page loads, i.e. once the server has stored the answers, so a typed email
   address stays in the browser no longer than the failed save. */
(function () {
  "use strict";
  var KEY = "ost-survey-unsaved";
  var MAX_AGE_MS = 24 * 60 * 60 * 1000;
  var store;
  try { store = window.sessionStorage; } catch (e) { return; }
  if (!store) { return; }
  var form = document.querySelector("form[data-keep-answers]");
  var saved = null;
  try { saved = JSON.parse(store.getItem(KEY) || "null"); } catch (e) { saved = null; }

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
        } else if (el.type !== "hidden" && el.type !== "submit" && el.type !== "file") {
          el.value = pair[1];
        }
      });
    });
  }

  if (saved) {
    var fresh = saved.at && (Date.now() - saved.at) < MAX_AGE_MS;
    if (form && fresh && saved.path === window.location.pathname && Array.isArray(saved.values)) {
      restore(saved.values);
      form.setAttribute("data-restored", "true");
    } else {
      // Another page loaded: the earlier save went through (or the copy is too old).
      store.removeItem(KEY);
    }
  }
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var values = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "action" || typeof value !== "string") { return; }
      values.push([name, value]);
    });
    try {
      store.setItem(KEY, JSON.stringify({ path: window.location.pathname, at: Date.now(), values: values }));
    } catch (e) { /* storage full or disabled: the server copy is all there is */ }
  });
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
      set.querySelectorAll(".time-share").forEach(function (input) {
        var n = parseFloat(input.value);
        if (!isNaN(n)) { total += n; any = true; }
      });
      var out = set.querySelector(".time-total");
      out.hidden = !any;
      out.textContent = out.getAttribute("data-total-label") + ": " + total + "%";
      out.classList.toggle("text-danger", any && total !== 100);
      out.classList.toggle("text-success", total === 100);
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
