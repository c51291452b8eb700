// etax portal behaviour: search-box keyboard support and home-page tabs. No framework; htmx does the rest.
(function () {
  "use strict";
  function results() { return Array.from(document.querySelectorAll("#search-results a.result")); }
  function current() { return document.querySelector("#search-results a.result.active"); }
  function move(step) {
    var items = results();
    if (!items.length) return;
    var index = items.indexOf(current());
    if (index >= 0) items[index].classList.remove("active");
    index = (index + step + items.length) % items.length;
    items[index].classList.add("active");
    items[index].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("search-box");
    if (!box) return;
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((event.target && event.target.tagName) || "");
    if (event.key === "/" && !typing) { event.preventDefault(); box.focus(); box.select(); return; }
    if (event.target !== box) return;
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { document.getElementById("search-results").innerHTML = ""; }
    else if (event.key === "Enter") {
      var active = current();
      if (active) { event.preventDefault(); window.location.href = active.href; }
    }
  });
  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest("[data-tab]");
    if (tab) {
      var list = tab.parentElement;
      list.querySelectorAll("[data-tab]").forEach(function (b) {
        var on = b === tab;
        b.classList.toggle("active", on);
        b.setAttribute("aria-selected", on ? "true" : "false");
        document.getElementById("tab-" + b.dataset.tab).hidden = !on;
      });
    }
    var form = document.querySelector("form.search");
    if (form && !form.contains(event.target)) {
      var box = document.getElementById("search-results");
      if (box) box.innerHTML = "";
    }
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); return; }
    var refresh = event.target.closest && event.target.closest("img[data-captcha]");
    if (refresh) { refresh.src = refresh.dataset.captcha + "&t=" + Date.now(); }
  });
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
  // <select data-autosubmit>: choosing a value submits its form (no inline onchange: the CSP forbids it).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
  });
  // Inside [data-swap-invalid], htmx swaps in a 400 answer (the form shown again with its messages).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.target;
    if (event.detail.xhr.status === 400 && target.closest && target.closest("[data-swap-invalid]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
