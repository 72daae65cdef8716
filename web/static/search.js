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
  /* type-ahead: subjects, senders and words from letters this reader may see (/api/suggest) */
  var box = document.getElementById("q");
  var list = document.getElementById("q-suggest");
  if (box && list && window.fetch) {
    var timer = null;
    var asked = "";
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = box.value.trim();
        if (text.length < 2 || text === asked) { return; }
        asked = text;
        fetch("/api/suggest?q=" + encodeURIComponent(text), {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
          .then(function (data) {
            if (asked !== text) { return; }
            list.textContent = "";
            data.suggestions.forEach(function (s) {
              var option = document.createElement("option");
              option.value = s.text;
              option.label = s.kind === "sender" ? "ส่วนราชการ" : s.kind === "subject" ? "เรื่อง" : "คำ";
              list.appendChild(option);
            });
            list.setAttribute("data-for", text);
          })
          .catch(function () { /* offline or signed out: no suggestions */ });
      }, 150);
    });
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
