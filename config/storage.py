"""Static file storage for production: hashed names and compressed copies (WhiteNoise).

Django's manifest storage rewrites a `//# sourceMappingURL=` comment in a JavaScript file to the hashed name of
the map, and refuses to collect when the map is not there. The vendored libraries ship minified files
without their maps (static/vendor/README.md), so JavaScript references are left as they are: a browser's
developer tools asking for a missing map get a 404, and nothing else reads it. CSS references (url(),
@import) are still rewritten to hashed names."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (extension, rules) for extension, rules in ManifestStaticFilesStorage.patterns if extension != "*.js"
    )
