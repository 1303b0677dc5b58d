// Forms on the demo site stay on their page: the Leadglow SDK sees the submit first (it
// listens in the capture phase), then the form is replaced by its thank-you message.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('form[data-thanks]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var thanks = document.getElementById(form.getAttribute('data-thanks'));
      form.hidden = true;
      if (thanks) thanks.hidden = false;
    });
  });
});
