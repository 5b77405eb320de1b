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

/* Pickers (core/picker.py): a code input becomes a combobox that searches by name (issue 11).
   Without this script the input is a plain code input, which is why the server renders the
   field's name on the visible input: here the name moves to a hidden input that receives the
   chosen code(s), and the visible input only searches. Suggestions are fetched with htmx
   (hx-sync on the input drops a slower earlier answer) and swapped into the listbox; the
   keyboard follows the ARIA combobox pattern: arrows move, Enter picks, Escape closes. */
(function () {
  "use strict";
  var DELAY = 200;

  function options(box) {
    return Array.prototype.slice.call(
      box.listbox.querySelectorAll('[role="option"]:not([aria-disabled="true"])'));
  }

  function open(box, yes) {
    box.listbox.hidden = !yes;
    box.input.setAttribute("aria-expanded", yes ? "true" : "false");
    if (!yes) { activate(box, -1); }
  }

  function activate(box, index) {
    var items = options(box);
    items.forEach(function (item, i) {
      var on = i === index;
      item.classList.toggle("active", on);
      item.setAttribute("aria-selected", on ? "true" : "false");
      if (on) { item.scrollIntoView({block: "nearest"}); }
    });
    box.active = index >= 0 && index < items.length ? index : -1;
    if (box.active >= 0) {
      box.input.setAttribute("aria-activedescendant", items[box.active].id);
    } else {
      box.input.removeAttribute("aria-activedescendant");
    }
  }

  function codes(box) {
    return box.hidden.value.split(/[\s,;]+/).filter(function (c) { return c; });
  }

  function addChip(box, code, label) {
    var li = document.createElement("li");
    li.className = "list-inline-item mb-1";
    li.dataset.value = code;
    var badge = document.createElement("span");
    badge.className = "badge text-bg-secondary d-inline-flex align-items-center gap-1";
    badge.appendChild(document.createTextNode(label));
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn-close btn-close-white";
    remove.style.fontSize = ".6rem";
    remove.setAttribute("aria-label", (box.root.dataset.removeText || "×") + " " + label);
    remove.addEventListener("click", function () {
      box.hidden.value = codes(box).filter(function (c) { return c !== code; }).join(" ");
      li.remove();
      box.chosen.hidden = !box.chosen.children.length;
      box.input.focus();
    });
    badge.appendChild(remove);
    li.appendChild(badge);
    box.chosen.appendChild(li);
    box.chosen.hidden = false;
  }

  function pick(box, item) {
    var code = item.dataset.value;
    var label = item.dataset.label || code;
    if (box.multiple) {
      if (codes(box).indexOf(code) < 0) {
        box.hidden.value = codes(box).concat([code]).join(" ");
        addChip(box, code, label);
      }
      box.input.value = "";
    } else {
      box.hidden.value = code;
      box.input.value = label;
    }
    box.status.textContent = label;
    open(box, false);
    box.hidden.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function search(box) {
    var text = box.input.value.trim();
    if (!text) { box.listbox.innerHTML = ""; open(box, false); return; }
    var params = new URLSearchParams({q: text});
    var include = box.root.dataset.pickerInclude;
    if (include) {
      document.querySelectorAll(include).forEach(function (el) {
        if (el.name) { params.append(el.name, el.value); }
      });
    }
    var url = box.root.dataset.pickerUrl;
    htmx.ajax("GET", url + (url.indexOf("?") < 0 ? "?" : "&") + params.toString(),
      {source: box.input, target: box.listbox, swap: "innerHTML"});
  }

  function shown(box) {
    var items = options(box);
    items.forEach(function (item, i) { item.id = box.listbox.id + "-" + i; });
    var any = box.listbox.children.length > 0;
    open(box, any && document.activeElement === box.input);
    box.status.textContent = items.length
      ? items.length + " " + box.status.dataset.found
      : (any ? box.status.dataset.none : "");
  }

  function setUp(root) {
    if (root.dataset.pickerReady) { return; }
    root.dataset.pickerReady = "1";
    var input = root.querySelector("input:not([type=hidden])");
    var box = {
      root: root,
      input: input,
      listbox: root.querySelector('[role="listbox"]'),
      status: root.querySelector("[data-picker-status]"),
      chosen: root.querySelector(".picker-chosen"),
      multiple: root.hasAttribute("data-picker-multiple"),
      active: -1,
      timer: null
    };
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.value;
    input.removeAttribute("name");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", box.listbox.id);
    input.setAttribute("hx-sync", "this:replace");
    root.appendChild(hidden);
    box.hidden = hidden;
    if (box.multiple) {
      codes(box).forEach(function (code) { addChip(box, code, code); });
      hidden.value = codes(box).join(" ");
      input.value = "";
    }

    input.addEventListener("input", function () {
      if (!box.multiple) { hidden.value = input.value.trim(); }
      clearTimeout(box.timer);
      box.timer = setTimeout(function () { search(box); }, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var items = options(box);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (box.listbox.hidden) {
          if (items.length) { open(box, true); } else { search(box); }
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = box.active + step;
        if (next >= items.length) { next = 0; }
        if (next < 0) { next = items.length - 1; }
        activate(box, next);
        event.preventDefault();
      } else if (event.key === "Enter") {
        if (!box.listbox.hidden && box.active >= 0 && items[box.active]) {
          event.preventDefault();
          pick(box, items[box.active]);
        }
      } else if (event.key === "Escape") {
        if (!box.listbox.hidden) { event.preventDefault(); open(box, false); }
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(function () { open(box, false); }, 150);
    });
    box.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();  // keep the focus in the input
      var item = event.target.closest('[role="option"]:not([aria-disabled="true"])');
      if (item) { pick(box, item); }
    });
    root.addEventListener("htmx:afterSwap", function () { shown(box); });
    var form = input.form;
    if (form && box.multiple) {
      // A code typed in full and not picked still counts, as it would without the script.
      form.addEventListener("submit", function () {
        var typed = input.value.trim();
        if (typed && codes(box).indexOf(typed) < 0) {
          hidden.value = codes(box).concat([typed]).join(" ");
        }
      });
    }
  }

  htmx.onLoad(function (elt) {
    var roots = elt.matches && elt.matches("[data-picker]") ? [elt] : [];
    elt.querySelectorAll("[data-picker]").forEach(function (r) { roots.push(r); });
    roots.forEach(setUp);
  });
})();

/* The working-days helper beside a deadline (core.calendar_widget): "in N working days" fills
   the date input with the city calendar's answer and names the days off it skipped. The date
   stays editable: a deadline is a date (rules.md Settled point 8). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var count = event.target.closest("[data-working-days-count]");
    if (!count) { return; }
    var box = count.closest("[data-working-days]");
    var input = box.querySelector("input[type=date]");
    var note = box.querySelector("[data-working-days-note]");
    var origin = box.dataset.from ? document.getElementById(box.dataset.from) : null;
    var start = origin && origin.value ? origin.value : new Date().toLocaleDateString("sv");
    var days = parseInt(count.value, 10);
    if (!input || !(days >= 0)) { return; }
    var url = box.dataset.url + "?from=" + encodeURIComponent(start) + "&days=" + days;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        input.value = answer.date;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        note.textContent = answer.skipped.length ? note.dataset.skips + " " + answer.skipped.map(
          function (day) { return day.date + " " + day.name; }).join("; ") : "";
      })
      .catch(function () { note.textContent = note.dataset.failed; });
  });
})();

/* Small behaviours declared in the markup, since the Content-Security-Policy allows scripts from
   these files only (no inline script, no on…= attribute): a select or input with
   data-autosubmit submits its form when it changes; a checkbox with data-select-all="selector"
   checks or unchecks every box the selector names. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
      return;
    }
    var selector = target.getAttribute("data-select-all");
    if (selector) {
      document.querySelectorAll(selector).forEach(function (box) { box.checked = target.checked; });
    }
  });
})();
