// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector('[data-module="error-summary"]');
    if (summary) {
      summary.focus();
    }
  }

  // Links in the error summary move focus to the field, not just scroll to it.
  function linkErrorsToFields() {
    document.querySelectorAll(".error-summary__list a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (field) {
          event.preventDefault();
          field.focus();
          field.scrollIntoView({ block: "center" });
        }
      });
    });
  }

  // A form submits once: a double click or an impatient second press does not send it twice.
  function preventDoubleSubmit() {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.submitted === "true") {
          event.preventDefault();
          return;
        }
        form.dataset.submitted = "true";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    linkErrorsToFields();
    preventDoubleSubmit();
  });
})();
