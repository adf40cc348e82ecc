/* Public forms (comment builder, sign-up, contact, pledge): after a refused send, the focus
   moves to the error summary, and each of its links moves the focus to its field (not only
   the scroll position). Without this script the summary's links are plain anchors. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    var field = target.matches("input, select, textarea") ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    target.scrollIntoView({ block: "center" });
    (field || target).focus({ preventScroll: true });
  });
})();
