// Follows a large import on its page (templates/staff/import_job.html): asks how far it got every
// second and moves the <progress> bar; once the import ended, reloads the page, which then says
// how it ended. Without it the page shows the state it was drawn in, and a reload shows more.
(function () {
  "use strict";
  const box = document.getElementById("import-job");
  if (!box) return;
  const ENDED = ["done", "failed"];
  if (ENDED.includes(box.dataset.state)) return;
  const bar = document.getElementById("import-job-bar");
  const done = document.getElementById("import-job-done");
  const label = document.getElementById("import-job-state");

  function show(status) {
    bar.max = Math.max(status.total, 1);
    bar.value = status.done;
    bar.textContent = status.done + " / " + status.total;
    done.textContent = status.done;
    label.textContent = status.label;
  }

  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (ENDED.includes(status.state)) window.location.reload();
        else window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // a restart or a dropped connection: try again, slower
      });
  }

  window.setTimeout(poll, 1000);
})();
