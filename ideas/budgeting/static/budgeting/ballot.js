/* Knapsack ballot: a running total of the ticked projects' costs against the budget.
 * Progressive enhancement: without JavaScript the server checks the total when the ballot
 * is saved and names the limit in its message. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-ballot][data-kind='knapsack']");
  if (!form) return;
  var output = form.querySelector("[data-ballot-total]");
  var budget = parseInt(form.dataset.budget, 10);
  var lang = document.documentElement.lang || "en";
  var format = new Intl.NumberFormat(lang);

  function update() {
    var total = 0;
    form.querySelectorAll("input[type=checkbox][data-cost]").forEach(function (box) {
      if (box.checked) total += parseInt(box.dataset.cost || "0", 10);
    });
    output.textContent = format.format(total);
    output.classList.toggle("over-budget", total > budget);
    form.querySelectorAll("input[type=checkbox][data-cost]").forEach(function (box) {
      var fits = box.checked || total + parseInt(box.dataset.cost || "0", 10) <= budget;
      box.closest(".ballot-option").classList.toggle("does-not-fit", !fits);
    });
  }

  form.addEventListener("change", update);
  update();
})();
