"""The report-site generator.

`REPORTSITE_ENGINE=properdocs` builds with ProperDocs, the maintained fork of MkDocs 1.6, in place
of MkDocs: its `replacement` module makes every `mkdocs.*` import (ours, Material's) load the
`properdocs.*` module of the same name, so it must run before anything imports MkDocs, here.
docs/engine.md says why and what differs (only the generator meta tag).
"""

import os

if os.environ.get("REPORTSITE_ENGINE", "mkdocs") == "properdocs":
    import properdocs.replacement  # noqa: F401
