// Enhances the delegate's page: the "print badge" button (hidden without JavaScript).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
