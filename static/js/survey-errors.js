/* Survey errors that help: an error goes away as soon as the answer is fixed, and the links
   of the error summary move the focus to the field itself. Progressive enhancement: without
   this script the server shows the same errors and the summary links are plain anchors.

   Numbers are read the way the server reads them: "$24.50", "24,50" (decimal comma) and
   "1,200" (thousands) are accepted. */
(function () {
  "use strict";
  var form = document.querySelector("form.survey-form");
  if (!form) { return; }
  var summary = document.getElementById("error-summary");

  function parseNumber(text) {
    text = String(text || "").replace(/\u00a0/g, " ").replace(/US\$|\$|%|USD/gi, "").replace(/\s+/g, "");
    if (!text) { return null; }
    var comma = text.lastIndexOf(","), dot = text.lastIndexOf(".");
    if (comma >= 0 && dot >= 0) {
      text = comma > dot ? text.replace(/\./g, "").replace(",", ".") : text.replace(/,/g, "");
    } else if (comma >= 0) {
      var tail = text.slice(comma + 1);
      var head = text.slice(0, comma);
      if (text.split(",").length === 2 && (tail.length === 1 || tail.length === 2) && /^-?\d+$/.test(head)) {
        text = head + "." + tail;
      } else {
        text = text.replace(/,/g, "");
      }
    }
    if (!/^-?\d+(\.\d+)?$/.test(text)) { return NaN; }
    return parseFloat(text);
  }

  function numberOk(input) {
    var n = parseNumber(input.value);
    if (n === null) { return false; }
    if (isNaN(n)) { return false; }
    var min = parseFloat(input.getAttribute("data-min"));
    var max = parseFloat(input.getAttribute("data-max"));
    if (!isNaN(min) && n < min) { return false; }
    if (!isNaN(max) && n > max) { return false; }
    if (!input.hasAttribute("data-decimal") && Math.round(n) !== n) { return false; }
    return true;
  }

  /* The part of the page an error belongs to, and whether its answer is now acceptable. */
  function scopeOf(el) {
    return el.closest(".seg-scale, .duties-checklist, [data-time-use], .other-specify, .col-sm-7, .col-sm-5, .survey-question");
  }

  function fixed(scope) {
    var boxes = scope.querySelectorAll("input[type=radio], input[type=checkbox]");
    if (scope.hasAttribute("data-time-use")) {
      var total = 0, all = true;
      scope.querySelectorAll(".time-share").forEach(function (input) {
        var n = parseNumber(input.value);
        if (n === null || isNaN(n)) { all = false; } else { total += n; }
      });
      return all && Math.abs(total - 100) < 1e-9;
    }
    if (boxes.length) {
      return Array.prototype.some.call(boxes, function (b) { return b.checked; });
    }
    var field = scope.querySelector("input:not([type=hidden]), select, textarea");
    if (!field) { return false; }
    if (field.classList.contains("num-input")) { return numberOk(field); }
    if (field.name && /__zip3$/.test(field.name)) { return /^\d{3}$/.test(field.value.trim()); }
    if (field.type === "email") { return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(field.value.trim()); }
    return field.value.trim() !== "";
  }

  function clear(scope) {
    var errorIds = [];
    scope.querySelectorAll(".invalid-feedback").forEach(function (box) {
      if (box.id) { errorIds.push(box.id); }
      box.hidden = true;
      box.classList.remove("d-block");
    });
    var owners = [scope].concat(Array.prototype.slice.call(scope.querySelectorAll("*")));
    var question = scope.closest(".survey-question");
    if (question && question !== scope) { owners.push(question.querySelector("fieldset") || question); }
    owners.forEach(function (el) {
      if (!el.classList) { return; }
      el.classList.remove("is-invalid", "has-error");
      if (el.getAttribute("aria-invalid") === "true" && (scope.contains(el) || el === scope)) {
        el.removeAttribute("aria-invalid");
      }
      var described = el.getAttribute("aria-describedby");
      if (described) {
        var kept = described.split(/\s+/).filter(function (id) { return errorIds.indexOf(id) < 0; });
        if (kept.length) { el.setAttribute("aria-describedby", kept.join(" ")); } else { el.removeAttribute("aria-describedby"); }
      }
    });
    if (!summary) { return; }
    summary.querySelectorAll("li[data-error-for]").forEach(function (li) {
      var target = document.getElementById(li.getAttribute("data-error-for"));
      if (target && (scope === target || scope.contains(target))) { li.remove(); }
    });
    if (!summary.querySelector("li[data-error-for]")) { summary.hidden = true; }
  }

  function onAnswer(event) {
    var el = event.target;
    if (!el.name) { return; }
    var scope = scopeOf(el);
    if (!scope || !scope.querySelector(".invalid-feedback:not([hidden]), .is-invalid, [aria-invalid=true]")) { return; }
    if (fixed(scope)) { clear(scope); }
  }
  form.addEventListener("change", onAnswer);
  form.addEventListener("input", onAnswer);

  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var focusable = target.matches("input, select, textarea") ? target
        : (target.querySelector("input:checked") || target.querySelector("input:not([type=hidden]), select, textarea"));
      (target.closest(".survey-question") || target).scrollIntoView({ block: "start" });
      (focusable || target).focus({ preventScroll: true });
      if (history.replaceState) { history.replaceState(null, "", "#" + target.id); }
    });
  }
})();
