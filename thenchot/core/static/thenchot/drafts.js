/* Then Chốt: what a person typed in a form is kept on their device until they send it (issue
   11, point 3: a phone locks, a call comes, the page is left and the typing was lost).

   <form data-draft-key="thenchot:self-assessment:42:v3" data-draft-notice="draft-notice">
   The key names the record and its version: a draft typed against version 3 is never poured
   into the record once it has changed (version 4); drafts of older versions of the same record
   (same key up to the last ":") are removed. Every field with a name is kept except hidden ones
   and the CSRF token. On load a kept draft that differs from the page is put back and the
   notice (an element the page renders hidden, translated) is shown; a [data-draft-discard]
   button in it puts the page's own values back. Sending the form removes the draft.

   Kept in localStorage, not on the server: the only write of a self-assessment is the one that
   sends it to the manager, and a half-typed page is not a record anyone else should see. */
(function () {
  "use strict";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function kept(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "hidden" && el.type !== "submit" && el.type !== "button" &&
        el.name !== "csrfmiddlewaretoken";
    });
  }

  function read(form) {
    var values = {};
    kept(form).forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { values[el.name] = el.value; }
        else if (!(el.name in values)) { values[el.name] = el.type === "radio" ? "" : null; }
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function write(form, values) {
    kept(form).forEach(function (el) {
      if (!(el.name in values)) { return; }
      var before = el.type === "radio" || el.type === "checkbox" ? el.checked : el.value;
      if (el.type === "radio" || el.type === "checkbox") { el.checked = values[el.name] === el.value; }
      else { el.value = values[el.name]; }
      var after = el.type === "radio" || el.type === "checkbox" ? el.checked : el.value;
      if (before !== after) { el.dispatchEvent(new Event("input", { bubbles: true })); }
    });
  }

  function same(a, b) {
    return Object.keys(a).every(function (k) { return a[k] === b[k]; }) &&
      Object.keys(b).every(function (k) { return a[k] === b[k]; });
  }

  function setUp(form) {
    var store = storage();
    var key = form.dataset.draftKey;
    if (!store || !key) { return; }
    var prefix = key.slice(0, key.lastIndexOf(":") + 1);
    for (var i = store.length - 1; i >= 0; i--) {
      var other = store.key(i);
      if (other && other !== key && other.indexOf(prefix) === 0) { store.removeItem(other); }
    }
    var original = read(form);
    var notice = document.getElementById(form.dataset.draftNotice || "");
    var draft = null;
    try { draft = JSON.parse(store.getItem(key) || "null"); } catch (e) { draft = null; }
    if (draft && draft.values && !same(draft.values, original)) {
      write(form, draft.values);
      if (notice) { notice.hidden = false; }
    }
    var save = function () {
      var values = read(form);
      if (same(values, original)) { store.removeItem(key); return; }
      try {
        store.setItem(key, JSON.stringify({ saved: new Date().toISOString(), values: values }));
      } catch (e) { /* storage full or refused: the form still works */ }
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function () { store.removeItem(key); });
    if (notice) {
      notice.addEventListener("click", function (event) {
        if (!event.target.closest("[data-draft-discard]")) { return; }
        store.removeItem(key);
        write(form, original);
        notice.hidden = true;
      });
    }
  }

  function setUpAll() {
    document.querySelectorAll("form[data-draft-key]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
