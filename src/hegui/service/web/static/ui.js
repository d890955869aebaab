// hegui web UI: the upload progress bar (htmx's xhr progress events). Pages work without it.
(function () {
  "use strict";
  function bar(form) {
    var box = form.querySelector(".progress");
    return box ? { box: box, fill: box.querySelector(".fill"), pct: box.querySelector(".pct") } : null;
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    var b = bar(e.target);
    if (b) { b.box.classList.add("active"); b.fill.style.width = "0%"; b.pct.textContent = "0%"; }
  });
  document.addEventListener("htmx:xhr:progress", function (e) {
    var b = bar(e.target);
    if (b && e.detail.lengthComputable && e.detail.total > 0) {
      var p = Math.round((e.detail.loaded / e.detail.total) * 100);
      b.fill.style.width = p + "%";
      b.pct.textContent = p + "%";
    }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var b = bar(e.target);
    if (b && !e.detail.successful) { b.box.classList.remove("active"); }
  });
})();
