/* Search and record pages: sort submits itself, facets fold on small screens,
   "back" returns to the search the reader came from. No inline script (CSP). */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  var panel = document.getElementById("facet-panel");
  if (panel && window.matchMedia("(max-width: 760px)").matches) {
    panel.open = false;
  }
  var back = document.querySelector("a[data-back]");
  if (back && document.referrer) {
    try {
      var ref = new URL(document.referrer);
      if (ref.origin === window.location.origin && ref.pathname === "/") {
        back.href = ref.pathname + ref.search;
      }
    } catch (e) { /* no usable referrer: keep the plain link */ }
  }
})();
