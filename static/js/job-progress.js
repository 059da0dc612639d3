// Follows a background job on its page (templates/staff/import_job.html, render_job.html): asks
// the job's progress address every second and moves the <progress> bar. The page marks the box
// with data-progress-url and data-state, and names its parts after the box's id: "<id>-bar",
// "<id>-done" and "<id>-state". Once the job ended: a page with data-download-url downloads the
// job's file and shows its link; any other page reloads, and then says how the job ended.
// Without this script the page shows the state it was drawn in, and a reload shows more.
(function () {
  "use strict";
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const ENDED = ["done", "failed"];
  if (ENDED.includes(box.dataset.state)) return;
  function part(name) {
    return document.getElementById(box.id + "-" + name);
  }
  const bar = part("bar");
  const done = part("done");
  const label = part("state");

  // Numbers in the page's digits (data-digits): Thai on a Thai page.
  function written(number) {
    const text = Number(number).toLocaleString("en-US");
    if (box.dataset.digits !== "thai") return text;
    return text.replace(/[0-9]/g, function (digit) { return "๐๑๒๓๔๕๖๗๘๙"[digit]; });
  }

  function show(status) {
    bar.max = Math.max(status.total, 1);
    bar.value = status.done;
    bar.textContent = written(status.done) + " / " + written(status.total);
    done.textContent = written(status.done);
    label.textContent = status.label;
  }

  function ended(status) {
    const download = part("download");
    if (status.state === "done" && box.dataset.downloadUrl && download) {
      box.dataset.state = status.state;
      download.hidden = false;
      window.location.assign(box.dataset.downloadUrl); // an attachment: the page stays
    } else {
      window.location.reload();
    }
  }

  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (ENDED.includes(status.state)) ended(status);
        else window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000); // a restart or a dropped connection: try again, slower
      });
  }

  window.setTimeout(poll, 1000);
})();
