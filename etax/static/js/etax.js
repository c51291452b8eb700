// etax portal behaviour: search-box keyboard support and home-page tabs. No framework; htmx does the rest.
(function () {
  "use strict";
  // The header search box is an ARIA combobox: the suggestions (htmx partial) are a listbox whose options
  // are chosen with ↑/↓ (aria-activedescendant), opened with Enter and closed with Escape.
  function box() { return document.getElementById("search-box"); }
  function results() { return Array.from(document.querySelectorAll("#search-listbox [role=option]")); }
  function current() { return document.querySelector("#search-listbox [role=option].active"); }
  function choose(option) {
    var input = box();
    results().forEach(function (item) {
      var on = item === option;
      item.classList.toggle("active", on);
      item.setAttribute("aria-selected", on ? "true" : "false");
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function expanded() {
    var input = box();
    if (!input) return;
    input.setAttribute("aria-expanded", results().length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  }
  function close() {
    var list = document.getElementById("search-results");
    if (list) list.innerHTML = "";
    expanded();
  }
  function move(step) {
    var items = results();
    if (!items.length) return;
    var index = items.indexOf(current());
    index = index < 0 ? (step > 0 ? 0 : items.length - 1) : (index + step + items.length) % items.length;
    choose(items[index]);
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "search-results") expanded();
  });
  document.addEventListener("keydown", function (event) {
    var input = box();
    if (!input) return;
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((event.target && event.target.tagName) || "");
    if (event.key === "/" && !typing) { event.preventDefault(); input.focus(); input.select(); return; }
    if (event.target !== input) return;
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { if (results().length) event.preventDefault(); close(); }
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
    if (form && !form.contains(event.target) && results().length) close();
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); return; }
    // 看不清？换一张: a real <button> (keyboard-reachable) reloads the captcha image it controls.
    var refresh = event.target.closest && event.target.closest("button[data-captcha]");
    if (refresh) {
      var image = document.getElementById(refresh.getAttribute("aria-controls"));
      if (image) image.src = refresh.dataset.captcha + "&t=" + Date.now();
    }
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
  // A page every anonymous visitor shares carries no CSRF token (hx-headers is empty): htmx requests then
  // send the visitor's own token from the etax_csrf cookie.
  document.addEventListener("htmx:configRequest", function (event) {
    var headers = event.detail.headers;
    if (headers["x-csrftoken"]) return;
    var match = document.cookie.match(/(?:^|;\s*)etax_csrf=([^;]+)/);
    if (match) headers["x-csrftoken"] = decodeURIComponent(match[1]);
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
