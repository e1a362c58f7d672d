import os
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serves Kollegium with gunicorn (production-grade) on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", "4"))
        )

    def handle(self, *args, bind, workers, threads, **options):
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"Kollegium on http://{bind}/ (database: {engine})")
        argv = [
            gunicorn,
            "config.wsgi:application",
            # After a worker loads the app, gc.freeze() (config/gunicorn.py).
            "--config",
            "python:config.gunicorn",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        os.execv(gunicorn, argv)  # noqa: S606 — replaces this process with the server
