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
