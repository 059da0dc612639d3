// Behaviour every page may use, bound here because the Content-Security-Policy allows no inline
// script (no onchange="…" in the templates).
document.addEventListener("DOMContentLoaded", function () {
  // The language switcher applies a choice at once; without script its button does.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // An address to copy is selected whole when the field is entered.
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
});

// A text field with a length limit (data-maxlength, set by staff/fields.py) counts what is left
// and warns when the text is too long, before saving. The browser's own maxlength would cut a
// long paste without a word; here nothing typed is ever cut, the server refuses and says so.
(function () {
  "use strict";
  const THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  function writeNumber(field, count) {
    const text = count.toLocaleString("en-US");
    if (field.dataset.digits !== "thai") return text;
    return text.replace(/[0-9]/g, function (digit) { return THAI_DIGITS[digit]; });
  }

  function counterOf(field) {
    let counter = field.counter;
    if (!counter) {
      counter = document.createElement("div");
      counter.className = "form-text char-count";
      counter.id = (field.id || field.name) + "-count";
      counter.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", counter);
      const described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      field.counter = counter;
    }
    return counter;
  }

  function count(field) {
    const limit = parseInt(field.dataset.maxlength, 10);
    // Characters as the server counts them: a line break is sent as two (CR LF).
    const length = Array.from(field.value).length + (field.value.match(/\n/g) || []).length;
    const over = length > limit;
    // A short text needs no counter until it comes near the limit or the field is in use.
    if (!over && !field.counter && length < limit * 0.8 && document.activeElement !== field) return;
    const counter = counterOf(field);
    const template = over ? field.dataset.over : field.dataset.left;
    counter.textContent = template.replace("%(count)s", writeNumber(field, Math.abs(limit - length)));
    counter.classList.toggle("text-danger", over);
    counter.classList.toggle("fw-bold", over);
    field.classList.toggle("is-invalid", over);
  }

  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.maxlength) count(event.target);
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.dataset && event.target.dataset.maxlength) count(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-maxlength]").forEach(count);
  });
})();
