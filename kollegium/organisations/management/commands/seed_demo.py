from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

from kollegium.core.demo import DEMO_PASSWORD
from kollegium.organisations.demo import (
    DEMO_OWNER_NAME,
    DEMO_OWNER_STAFF,
    DEMO_PEOPLE,
    create_demo,
    demo_exists,
)


class Command(BaseCommand):
    help = "Loads the demo school owner, schools, people and each app's demo content (once)."

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write("The demo data is already loaded.")
        else:
            # The demo people are made up: what their demo activity would email stays in the
            # app instead of being printed over the sign-ins.
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
                transaction.atomic(),
            ):
                demo = create_demo()
                for config in apps.get_app_configs():
                    if not config.name.startswith("kollegium.") or config.label == "organisations":
                        continue
                    try:
                        module = import_module(f"{config.name}.demo")
                    except ModuleNotFoundError as error:
                        if error.name != f"{config.name}.demo":
                            raise
                        continue
                    if hasattr(module, "load_demo"):
                        module.load_demo(demo)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        with translation.override("en"):
            for key, name, email, school, role, *_ in DEMO_PEOPLE:
                if key in {"alice", "bob", "carol", "dave"}:
                    where = "Björkskolan" if school == "a" else "Ekskolan"
                    self.stdout.write(f"  {email:<28} {name} — {role.label} at {where}")
            _key, name, email, _title = DEMO_OWNER_STAFF
            self.stdout.write(f"  {email:<28} {name} — development staff at {DEMO_OWNER_NAME}")
