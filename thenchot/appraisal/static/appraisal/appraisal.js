// The evaluation pages' behaviour, from our own static file: the Content-Security-Policy runs
// no inline script and no inline event handler.
// - the board's "select all" ticks every row shown;
// (a picker marked data-autosubmit sends its form through thenchot.js, on every page).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.id === "select-all") {
    document.querySelectorAll("#board-form input[name=selected]").forEach(function (box) {
      box.checked = target.checked;
    });
  }
});
