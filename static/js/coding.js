/* Coding page: selecting a passage of the answer fills in its first and last character in
   the "apply a code" and "quote" forms. Offsets count Unicode code points of the answer as
   stored (as the server does), not the browser's UTF-16 units; a stored CR LF shows as one
   line break. Without this script the forms still work by sentence or typed offsets. */
(function () {
  "use strict";
  var box = document.getElementById("answer-text");
  var data = document.getElementById("answer-text-data");
  if (!box || !data) return;
  var original = JSON.parse(data.textContent);
  var points = Array.from(original);
  // domToPoint[i]: code-point offset of the i-th UTF-16 unit of the displayed text.
  var domToPoint = [];
  for (var p = 0; p < points.length; p++) {
    var cp = points[p];
    if (cp === "\r" && points[p + 1] === "\n") continue; // shown as the following \n only
    for (var u = 0; u < cp.length; u++) domToPoint.push(u === 0 ? p : p + 1);
  }
  domToPoint.push(points.length);
  var preview = document.getElementById("span-preview");
  var forms = Array.prototype.slice.call(document.querySelectorAll(".span-form"));

  function field(form, name) {
    return form.querySelector('[name="' + name + '"], [name$="-' + name + '"]');
  }

  function showPreview(start, end) {
    if (!preview) return;
    if (start === null || end === null || !(start < end) || end > points.length) {
      preview.textContent = "";
      return;
    }
    var text = points.slice(start, end).join("");
    preview.textContent = box.dataset.previewLabel
      .replace("{start}", start).replace("{end}", end)
      .replace("{text}", text.length > 200 ? text.slice(0, 200) + "…" : text);
  }

  function setSpan(start, end, source) {
    forms.forEach(function (form) {
      var s = field(form, "start"), e = field(form, "end");
      if (s) s.value = start;
      if (e) e.value = end;
      var sentence = field(form, "sentence");
      if (sentence && sentence !== source) sentence.value = "";
      var scope = form.querySelector('input[name="scope"][value="span"]');
      if (scope) scope.checked = true;
    });
    showPreview(start, end);
  }

  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
    var before = document.createRange();
    before.selectNodeContents(box);
    before.setEnd(range.startContainer, range.startOffset);
    var startDom = before.toString().length;
    var endDom = startDom + range.toString().length;
    var start = domToPoint[Math.min(startDom, domToPoint.length - 1)];
    var end = domToPoint[Math.min(endDom, domToPoint.length - 1)];
    if (end > start) setSpan(start, end, null);
  });

  forms.forEach(function (form) {
    var sentence = field(form, "sentence");
    if (sentence) {
      sentence.addEventListener("change", function () {
        if (!sentence.value) return;
        var parts = sentence.value.split("-");
        setSpan(parseInt(parts[0], 10), parseInt(parts[1], 10), sentence);
      });
    }
    ["start", "end"].forEach(function (name) {
      var input = field(form, name);
      if (!input) return;
      input.addEventListener("input", function () {
        var s = parseInt(field(form, "start").value, 10);
        var e = parseInt(field(form, "end").value, 10);
        showPreview(isNaN(s) ? null : s, isNaN(e) ? null : e);
      });
    });
  });
})();
