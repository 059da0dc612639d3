// A published version's PDF is rendered after publication, in the background: where a page
// shows it as being prepared (templates/portal/_pdf_link.html), this asks the version's status
// address (data-pdf-status-url) until the PDF is ready, then shows its link in place of the
// notice, inside the same live region so that a screen reader hears it. Without the script, a
// reload shows the link once it is ready.
(function () {
  "use strict";
  document.querySelectorAll("[data-pdf-status-url]").forEach(function (box) {
    const notice = box.querySelector("[data-pdf-preparing]");
    const link = box.querySelector("[data-pdf-ready]");
    let wait = 1000;

    function ready(status) {
      if (status.url) link.href = status.url;
      link.hidden = false;
      notice.remove();
      box.removeAttribute("data-pdf-status-url");
    }

    function poll() {
      fetch(box.dataset.pdfStatusUrl, {
        headers: { Accept: "application/json" },
        cache: "no-store",
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (status) {
          if (status.state === "ready") {
            ready(status);
          } else {
            wait = Math.min(wait * 1.5, 10000); // a long report takes a minute: ask less often
            window.setTimeout(poll, wait);
          }
        })
        .catch(function () {
          window.setTimeout(poll, 10000); // a restart or a dropped connection: try again, slower
        });
    }

    window.setTimeout(poll, wait);
  });
})();
