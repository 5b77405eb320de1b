// The evaluation pages' behaviour, from our own static file: the Content-Security-Policy runs
// no inline script and no inline event handler.
// - the board's "select all" ticks every row shown;
// - a picker marked data-autosubmit (the close screen's unit and period, the year of "my
//   results") sends its form when it changes (a button does it without JavaScript).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.id === "select-all") {
    document.querySelectorAll("#board-form input[name=selected]").forEach(function (box) {
      box.checked = target.checked;
    });
  } else if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
