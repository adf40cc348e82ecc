/* The language switcher on pages whose answers live only in their form (the comment builder
   and draft): it sends that form, with the action the server expects, to the page's own
   address in the other language, so nothing typed is lost. No inline JS (CSP). */
(function () {
  "use strict";
  document.querySelectorAll("form.language-switcher[data-carry-form]").forEach(function (switcher) {
    switcher.addEventListener("submit", function (event) {
      var form = document.getElementById(switcher.getAttribute("data-carry-form"));
      if (!form) { return; }  // no such form here: the ordinary switch
      event.preventDefault();
      var action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      action.value = switcher.getAttribute("data-carry-value");
      form.appendChild(action);
      form.setAttribute("action", switcher.getAttribute("data-carry-action"));
      // requestSubmit fires the form's submit event (the draft's leave-page guard hears it).
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
    });
  });
})();
