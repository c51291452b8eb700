// Chinese messages for the browser's own form checks (required, pattern, type, length, range), which
// the browser would otherwise word in its own language ("Please match the requested format."). A
// field's `title` (or `data-invalid` text) is used for a pattern mismatch. The server checks every
// field again and its Chinese message is the authority; this only words the early hint.
(function () {
  "use strict";
  function fieldName(el) {
    var label = el.id && document.querySelector('label[for="' + el.id + '"]');
    var text = label ? label.textContent : el.getAttribute("aria-label") || el.getAttribute("placeholder") || "";
    return text.replace(/\s+/g, " ").trim();
  }
  function message(el) {
    var v = el.validity;
    var name = fieldName(el);
    var quoted = name ? "“" + name + "”" : "此项";
    if (v.valueMissing) {
      if (el.type === "checkbox") return "请勾选此项后再提交";
      if (el.type === "radio" || el.tagName === "SELECT") return "请选择" + quoted;
      if (el.type === "file") return "请选择要上传的文件";
      return "请填写" + quoted;
    }
    if (v.patternMismatch) return el.dataset.invalid || el.title || quoted + "的格式不正确，请检查后重新输入";
    if (v.typeMismatch) {
      if (el.type === "email") return "请输入正确的电子邮箱地址";
      if (el.type === "url") return "请输入正确的网址";
      return quoted + "的格式不正确";
    }
    if (v.badInput) return el.type === "number" ? "请输入数字" : quoted + "的格式不正确";
    if (v.tooLong) return quoted + "最多" + el.maxLength + "个字符";
    if (v.tooShort) return quoted + "至少" + el.minLength + "个字符";
    if (v.rangeUnderflow) return quoted + "不能小于" + el.min;
    if (v.rangeOverflow) return quoted + "不能大于" + el.max;
    if (v.stepMismatch) return el.type === "number" ? quoted + "请输入整数或按规定的精度填写" : quoted + "的取值不正确";
    return quoted + "填写不正确，请检查后重新输入";
  }
  document.addEventListener("invalid", function (event) {
    var el = event.target;
    if (!el || !el.validity || !el.setCustomValidity) return;
    el.setCustomValidity("");
    if (!el.validity.valid) el.setCustomValidity(message(el));
  }, true);
  function reset(event) {
    var el = event.target;
    if (el && el.setCustomValidity) el.setCustomValidity("");
  }
  document.addEventListener("input", reset, true);
  document.addEventListener("change", reset, true);
})();
