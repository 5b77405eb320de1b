/* Then Chốt: tree toggles (children are loaded once by htmx; later clicks only show/hide). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".tree .toggle");
    if (!button) { return; }
    var target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) { return; }
    var expanded = button.getAttribute("aria-expanded") === "true";
    if (button.dataset.loaded === "1") {
      target.hidden = expanded;
    } else {
      button.dataset.loaded = "1";
      target.hidden = false;
    }
    button.setAttribute("aria-expanded", expanded ? "false" : "true");
  });
})();

/* Refusals and failures of htmx requests, configured once for every page (issue 11).
   htmx 2 does not swap 4xx responses by default, so a refused form (a bad import file, a bad
   filter) showed nothing although the server had explained why. A 4xx fragment is swapped into
   the target as if it were a success; a whole 4xx page (403, 404: the request was for a fragment
   but the server refused before rendering one) shows its message in the alert at the bottom of
   the window, since swapping a page into a table would break the page; a 5xx, an empty 4xx, a
   network error or a timeout shows a generic message there. The texts come translated from
   base.html. A beforeSwap handler is used rather than htmx.config.responseHandling because the
   choice depends on the body, not only on the status code. */
(function () {
  "use strict";
  var box = function () { return document.getElementById("request-problem"); };

  function show(content, isHtml) {
    var alert = box();
    if (!alert) { return; }
    var text = document.getElementById("request-problem-text");
    if (isHtml) { text.innerHTML = content; } else { text.textContent = content; }
    alert.hidden = false;
  }

  function hide() {
    var alert = box();
    if (alert) { alert.hidden = true; }
  }

  function generic(kind) {
    var alert = box();
    show(alert ? alert.dataset[kind] : "", false);
  }

  function pageMessage(body) {
    var doc = new DOMParser().parseFromString(body, "text/html");
    var main = doc.querySelector("main");
    if (!main) { return null; }
    main.querySelectorAll("a.btn, form, nav, script").forEach(function (el) { el.remove(); });
    return main.innerHTML.trim() || null;
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-request-problem-close]")) { hide(); }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    // The menu badge polls every minute: it must not hide a refusal the person is reading.
    if (!event.detail.elt.closest("nav")) { hide(); }
  });
  document.addEventListener("htmx:sendError", function () { generic("offline"); });
  document.addEventListener("htmx:timeout", function () { generic("offline"); });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail.xhr.status;
    if (status < 400) { return; }
    var body = detail.xhr.responseText || "";
    detail.isError = false;  // handled here: no second report through htmx:responseError
    if (status >= 500 || !body.trim()) {
      detail.shouldSwap = false;
      generic("generic");
      return;
    }
    var swapStyle = (detail.elt.closest("[hx-swap]") || detail.elt).getAttribute("hx-swap") || "";
    if (/^\s*(<!doctype|<html)/i.test(body)) {
      detail.shouldSwap = false;
      var message = pageMessage(body);
      if (message) { show(message, true); } else { generic("generic"); }
    } else if (swapStyle.indexOf("none") === 0) {
      // The element swaps nothing on success: its refusal still has to be seen.
      detail.shouldSwap = false;
      show(body, true);
    } else {
      detail.shouldSwap = true;
    }
  });
})();
