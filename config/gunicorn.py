"""gunicorn's settings for `manage.py serve` (kollegium/core/management/commands/serve.py).

After a worker has loaded the app, everything loaded so far (Django, every app's modules,
URL patterns, compiled templates, translations: several hundred thousand objects) is moved
out of the cyclic garbage collector's reach with `gc.freeze()`. Otherwise every full
collection a request happens to trigger walks all of them again; a page that makes many
objects (rows, model instances) triggered one every few requests (issue 10,
docs/notes/issue-10-speed.md).
"""

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    gc.collect()
    gc.freeze()
