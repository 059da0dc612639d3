// Makes the measure form quicker; without it the form works the same (numbers order the lines,
// empty lines come with every page, the preview refreshes on save).
(function () {
  "use strict";
  const form = document.getElementById("measure-form");
  if (!form) return;

  function renumber(tbody) {
    tbody.querySelectorAll("tr").forEach(function (row, index) {
      const order = row.querySelector(".order-input");
      if (order) order.value = index + 1;
    });
  }

  function addRow(fieldset, after) {
    const prefix = fieldset.dataset.prefix;
    const total = fieldset.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    const index = parseInt(total.value, 10);
    const html = fieldset.querySelector("template").innerHTML.replace(/__prefix__/g, index);
    const holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    const row = holder.firstElementChild;
    const tbody = fieldset.querySelector("tbody");
    if (after && after.nextSibling) tbody.insertBefore(row, after.nextSibling);
    else tbody.appendChild(row);
    total.value = index + 1;
    bindRow(row, fieldset);
    renumber(tbody);
    row.querySelector(".item-text").focus();
    return row;
  }

  let dragged = null;
  function bindRow(row, fieldset) {
    const text = row.querySelector(".item-text");
    // Enter starts the next line, as in a list; Shift+Enter keeps a line break in the text.
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        addRow(fieldset, row);
      }
    });
    row.addEventListener("dragstart", function () { dragged = row; row.classList.add("dragging"); });
    row.addEventListener("dragend", function () { row.classList.remove("dragging"); dragged = null; schedulePreview(); });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row || dragged.parentNode !== row.parentNode) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      const before = event.clientY < box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, before ? row : row.nextSibling);
      renumber(row.parentNode);
    });
  }

  form.querySelectorAll("fieldset.items").forEach(function (fieldset) {
    fieldset.querySelectorAll("tbody tr").forEach(function (row) { bindRow(row, fieldset); });
    const button = fieldset.querySelector(".add-item");
    button.hidden = false;
    button.addEventListener("click", function () { addRow(fieldset); });
  });

  // Show only the period inputs the chosen style needs.
  const style = form.querySelector('[name="period_style"]');
  function showPeriodInputs() {
    const value = style.value;
    const quarters = value === "quarters";
    const dates = value && !quarters && !["fiscal_year", "fiscal_year_be", "all_year"].includes(value);
    form.querySelectorAll(".dates").forEach(function (el) { el.hidden = !dates; });
    form.querySelectorAll(".quarters").forEach(function (el) { el.hidden = !quarters; });
  }
  style.addEventListener("change", showPeriodInputs);
  showPeriodInputs();

  // Live preview of the measure in the report's layout.
  const preview = document.getElementById("measure-preview");
  let timer = null;
  function schedulePreview() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(form.dataset.previewUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) { return response.status === 200 ? response.text() : null; })
        .then(function (html) { if (html !== null) preview.innerHTML = html; })
        .catch(function () { /* the preview is a convenience; saving still works */ });
    }, 600);
  }
  form.addEventListener("input", schedulePreview);
  form.addEventListener("change", schedulePreview);
})();
