/* Then Chốt: numbers as the reader writes them, and live totals (issue 11, point 3).

   The same reading as the server's (thenchot/core/numbers.py), so that the total the page shows
   while someone types is the one the server will compute: "62,5" and "62.5" are 62.5; with both
   separators the last one is the decimal one ("1.234,5"); a single separator is the decimal one
   unless it is the language's thousands separator in a well-formed group ("1.234" in
   Vietnamese).

   Markup, no framework:
     <input data-sum="NAME" data-max="30">                  a part of the total NAME
     <output data-sum-of="NAME" data-decimal-separator="," data-thousand-separator=".">
                                                             shows the total, "—" while a part
                                                             cannot be read
     <span data-level-of="NAME"><span data-level-from="90">…</span>…</span>
                                                             children from the highest band
                                                             down: the first the total reaches
                                                             is shown */
(function () {
  "use strict";

  function grouped(text, sep) {
    var parts = text.split(sep);
    var first = parts.shift();
    return parts.length > 0 && /^[1-9][0-9]{0,2}$/.test(first) &&
      parts.every(function (part) { return /^[0-9]{3}$/.test(part); });
  }

  /* The number in `text`, null if there is none, NaN if it cannot be read. */
  function parse(text, thousandSep) {
    var raw = String(text || "").trim();
    if (raw === "") { return null; }
    var sign = "";
    if (raw[0] === "-" || raw[0] === "\u2212") { sign = "-"; raw = raw.slice(1); }
    else if (raw[0] === "+") { raw = raw.slice(1); }
    if (!/^[0-9.,]+$/.test(raw) || !/[0-9]/.test(raw)) { return NaN; }
    var dots = raw.split(".").length - 1;
    var commas = raw.split(",").length - 1;
    var whole = raw;
    var fraction = "";
    if (dots && commas) {
      var point = raw.lastIndexOf(".") > raw.lastIndexOf(",") ? "." : ",";
      var group = point === "." ? "," : ".";
      var at = raw.indexOf(point);
      whole = raw.slice(0, at);
      fraction = raw.slice(at + 1);
      if (fraction.indexOf(point) !== -1 || !grouped(whole, group)) { return NaN; }
      whole = whole.split(group).join("");
    } else if (dots + commas > 1) {
      var sep = dots ? "." : ",";
      if (!grouped(raw, sep)) { return NaN; }
      whole = raw.split(sep).join("");
    } else if (dots + commas === 1) {
      var mark = dots ? "." : ",";
      if (mark === thousandSep && grouped(raw, mark)) {
        whole = raw.split(mark).join("");
      } else {
        whole = raw.slice(0, raw.indexOf(mark));
        fraction = raw.slice(raw.indexOf(mark) + 1);
      }
    }
    return Number(sign + (whole || "0") + "." + (fraction || "0"));
  }

  /* `value` rounded to two places, without trailing zeros, grouped by thousands. */
  function format(value, decimalSep, thousandSep) {
    var text = (Math.round(value * 100) / 100).toFixed(2).replace(/\.?0+$/, "");
    if (text === "-0") { text = "0"; }
    var negative = text[0] === "-";
    var parts = text.replace("-", "").split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, thousandSep);
    return (negative ? "-" : "") + whole + (parts[1] ? decimalSep + parts[1] : "");
  }

  function recompute(output) {
    var name = output.dataset.sumOf;
    var thousandSep = output.dataset.thousandSeparator || "";
    var total = 0;
    var unreadable = false;
    var missing = false;
    document.querySelectorAll('[data-sum="' + name + '"]').forEach(function (input) {
      var value = parse(input.value, thousandSep);
      var max = input.dataset.max === undefined ? NaN : Number(input.dataset.max);
      var bad = Number.isNaN(value) || (value !== null && (value < 0 || value > max));
      input.classList.toggle("is-invalid", bad);
      if (bad) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      if (Number.isNaN(value)) { unreadable = true; }
      else if (value === null) { missing = missing || input.required; }
      else { total += value; }
    });
    var shown = unreadable || missing ? null : Math.round(total * 100) / 100;
    output.textContent = shown === null ? "—" :
      format(shown, output.dataset.decimalSeparator || ".", thousandSep);
    document.querySelectorAll('[data-level-of="' + name + '"]').forEach(function (box) {
      var found = false;
      Array.prototype.forEach.call(box.children, function (band) {
        var reached = shown !== null && !found && shown >= Number(band.dataset.levelFrom);
        band.hidden = !reached;
        found = found || reached;
      });
    });
  }

  function refreshAll() {
    document.querySelectorAll("[data-sum-of]").forEach(recompute);
  }

  document.addEventListener("input", function (event) {
    var name = event.target.dataset ? event.target.dataset.sum : undefined;
    if (!name) { return; }
    document.querySelectorAll('[data-sum-of="' + name + '"]').forEach(recompute);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refreshAll);
  } else {
    refreshAll();
  }

  window.thenchotNumbers = { parse: parse, format: format, refresh: refreshAll };
})();
