// Starts GOV.UK Frontend's components (error summary, conditional radios, exclusive checkboxes, character count,
// the service navigation's menu on small screens). A file, not the inline snippet GOV.UK's template uses,
// because the content security policy allows no inline script. Every page works without it.
import { initAll } from "../vendor/govuk-frontend-6.6.0/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
