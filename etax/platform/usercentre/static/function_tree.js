// The function-tree checkboxes (权限身份, 代理机构认定). A branch is ticked only when the user ticks it
// (which grants everything below it, including functions added later, so everything below shows
// ticked); unticking something below a ticked branch unticks the branches above it. A branch with
// only some of its functions ticked shows as indeterminate and is not submitted as a grant.
(function () {
  "use strict";
  function boxes(item) { return item.querySelectorAll("input[type=checkbox]"); }
  function own(item) { return item.querySelector("input[type=checkbox]"); }
  function refresh(tree) {
    var items = Array.from(tree.querySelectorAll("li.tree-branch")).reverse();
    items.forEach(function (item) {
      var mine = own(item);
      var below = Array.from(boxes(item)).filter(function (b) { return b !== mine; });
      var ticked = below.filter(function (b) { return b.checked; }).length;
      if (mine.checked && ticked < below.length) mine.checked = false;
      mine.indeterminate = !mine.checked && ticked > 0;
    });
  }
  function init(tree) {
    if (tree.dataset.ready) return;
    tree.dataset.ready = "1";
    Array.from(tree.querySelectorAll("li.tree-branch")).forEach(function (item) {
      if (own(item).checked) boxes(item).forEach(function (b) { b.checked = true; });
    });
    refresh(tree);
    tree.addEventListener("change", function (event) {
      var box = event.target;
      if (!box || box.type !== "checkbox") return;
      var item = box.closest("li");
      if (item && item.classList.contains("tree-branch") && own(item) === box) {
        boxes(item).forEach(function (b) { b.checked = box.checked; });
      }
      refresh(tree);
    });
  }
  function start() { document.querySelectorAll("[data-function-tree]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  document.addEventListener("htmx:afterSettle", start);
})();
