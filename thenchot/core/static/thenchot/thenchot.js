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
